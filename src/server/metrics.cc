#include "server/metrics.h"

#include <cstdio>

#include "rmg/chat_client.h"
#include "rmg/response_cache.h"

namespace rmg::server {
namespace {

// Latency bucket bounds in seconds: 100 µs to 60 s.
const std::vector<double>& Bounds() {
  static const std::vector<double> bounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,    0.5,    1.0,   2.5,    5.0,   10.0, 30.0,  60.0};
  return bounds;
}

std::string Number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// A label value with Prometheus' escapes (backslash, quote, newline).
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

void Metrics::Observe(const std::string& endpoint, const std::string& reward, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  requests_[{endpoint, reward, status}] += 1;
  Series& series = latency_[{endpoint, reward}];
  if (series.buckets.empty()) series.buckets.assign(Bounds().size(), 0);
  for (size_t i = 0; i < Bounds().size(); ++i) {
    if (seconds <= Bounds()[i]) {
      series.buckets[i] += 1;
      break;
    }
  }
  series.count += 1;
  series.sum += seconds;
}

void Metrics::CountRejected(const std::string& endpoint) {
  std::lock_guard lock(mutex_);
  rejected_[endpoint] += 1;
}

void Metrics::CountFailedUnits(const std::string& reward, uint64_t count) {
  std::lock_guard lock(mutex_);
  failed_units_[reward] += count;
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP rmg_requests_total Requests answered, by endpoint, reward and HTTP status.\n";
  out += "# TYPE rmg_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [endpoint, reward, status] = key;
    out += "rmg_requests_total{endpoint=\"" + Escape(endpoint) + "\",reward=\"" + Escape(reward) + "\",status=\"" +
           std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP rmg_request_seconds Time from reading a request to writing its answer.\n";
  out += "# TYPE rmg_request_seconds histogram\n";
  for (const auto& [key, series] : latency_) {
    const std::string labels = "endpoint=\"" + Escape(key.first) + "\",reward=\"" + Escape(key.second) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < Bounds().size(); ++i) {
      cumulative += series.buckets[i];
      out += "rmg_request_seconds_bucket{" + labels + ",le=\"" + Number(Bounds()[i]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "rmg_request_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(series.count) + "\n";
    out += "rmg_request_seconds_sum{" + labels + "} " + Number(series.sum) + "\n";
    out += "rmg_request_seconds_count{" + labels + "} " + std::to_string(series.count) + "\n";
  }
  out += "# HELP rmg_rejected_total Requests answered 503 because the queue was full.\n";
  out += "# TYPE rmg_rejected_total counter\n";
  for (const auto& [endpoint, count] : rejected_) {
    out += "rmg_rejected_total{endpoint=\"" + Escape(endpoint) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP rmg_failed_units_total Units that failed or timed out, scored error_score rather than judged.\n";
  out += "# TYPE rmg_failed_units_total counter\n";
  for (const auto& [reward, count] : failed_units_) {
    out += "rmg_failed_units_total{reward=\"" + Escape(reward) + "\"} " + std::to_string(count) + "\n";
  }
  for (const Gauge& gauge : gauges_) {
    out += "# HELP " + gauge.name + " " + gauge.help + "\n# TYPE " + gauge.name + " gauge\n";
    out += gauge.name + " " + Number(gauge.read()) + "\n";
  }
  const CacheStats cache = ResponseCache::ProcessTotals();
  const ChatClientStats chat = ChatClient::ProcessTotals();
  out += "# HELP rmg_llm_cache_hits_total LLM response cache hits.\n# TYPE rmg_llm_cache_hits_total counter\n";
  out += "rmg_llm_cache_hits_total " + std::to_string(cache.hits) + "\n";
  out += "# HELP rmg_llm_cache_misses_total LLM response cache misses.\n# TYPE rmg_llm_cache_misses_total counter\n";
  out += "rmg_llm_cache_misses_total " + std::to_string(cache.misses) + "\n";
  out += "# HELP rmg_llm_requests_total LLM chat requests.\n# TYPE rmg_llm_requests_total counter\n";
  out += "rmg_llm_requests_total " + std::to_string(chat.requests) + "\n";
  out += "# HELP rmg_llm_retries_total LLM HTTP attempts after a failed one.\n# TYPE rmg_llm_retries_total counter\n";
  out += "rmg_llm_retries_total " + std::to_string(chat.retries) + "\n";
  return out;
}

}  // namespace rmg::server
