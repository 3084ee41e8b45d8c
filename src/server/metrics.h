// Server metrics in Prometheus' text format: requests by endpoint, reward and
// status; a latency histogram per endpoint and reward; gauges the server reads at
// scrape time (queue depth, in flight, connections); rejections; LLM cache hits.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace rmg::server {

class Metrics {
 public:
  // Counts one answered request taking `seconds`. `reward` is "" for endpoints without one.
  void Observe(const std::string& endpoint, const std::string& reward, unsigned status, double seconds);

  // Counts a request refused because the queue was full.
  void CountRejected(const std::string& endpoint);

  // Counts `count` units of `reward` that failed or timed out (scored error_score).
  void CountFailedUnits(const std::string& reward, uint64_t count);

  // Adds a gauge whose value is read at each scrape.
  void AddGauge(std::string name, std::string help, std::function<double()> read);

  // Everything, in the Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  struct Series {
    std::vector<uint64_t> buckets;  // cumulative counts are computed when rendering
    uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, uint64_t> requests_;  // (endpoint, reward, status)
  std::map<std::pair<std::string, std::string>, Series> latency_;                // (endpoint, reward)
  std::map<std::string, uint64_t> rejected_;
  std::map<std::string, uint64_t> failed_units_;  // by reward
  std::vector<Gauge> gauges_;
};

}  // namespace rmg::server
