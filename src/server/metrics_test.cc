#include "server/metrics.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "rmg/chat_client.h"
#include "rmg/response_cache.h"

namespace rmg::server {
namespace {

std::vector<std::string> MetricsLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines of `text` that start with `prefix`.
std::vector<std::string> MetricsLinesStarting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  for (const std::string& line : MetricsLines(text)) {
    if (line.rfind(prefix, 0) == 0) found.push_back(line);
  }
  return found;
}

// The bucket lines of one histogram series as (le bound, cumulative count); +Inf as -1.
std::vector<std::pair<double, std::string>> MetricsBuckets(const std::string& text, const std::string& labels) {
  std::vector<std::pair<double, std::string>> buckets;
  const std::string prefix = "rmg_request_seconds_bucket{" + labels + ",le=\"";
  for (const std::string& line : MetricsLinesStarting(text, prefix)) {
    const size_t end = line.find('"', prefix.size());
    const std::string le = line.substr(prefix.size(), end - prefix.size());
    const double bound = le == "+Inf" ? -1 : std::strtod(le.c_str(), nullptr);
    buckets.emplace_back(bound, line.substr(line.rfind(' ') + 1));
  }
  return buckets;
}

TEST(MetricsTest, EmptyRenderHasEveryFamilyHeaderAndNoSeries) {
  Metrics metrics;
  const CacheStats cache = ResponseCache::ProcessTotals();
  const ChatClientStats chat = ChatClient::ProcessTotals();
  const std::string expected =
      "# HELP rmg_requests_total Requests answered, by endpoint, reward and HTTP status.\n"
      "# TYPE rmg_requests_total counter\n"
      "# HELP rmg_request_seconds Time from reading a request to writing its answer.\n"
      "# TYPE rmg_request_seconds histogram\n"
      "# HELP rmg_rejected_total Requests answered 503 because the queue was full.\n"
      "# TYPE rmg_rejected_total counter\n"
      "# HELP rmg_failed_units_total Units that failed or timed out, scored error_score rather than judged.\n"
      "# TYPE rmg_failed_units_total counter\n"
      "# HELP rmg_llm_cache_hits_total LLM response cache hits.\n# TYPE rmg_llm_cache_hits_total counter\n"
      "rmg_llm_cache_hits_total " +
      std::to_string(cache.hits) +
      "\n"
      "# HELP rmg_llm_cache_misses_total LLM response cache misses.\n# TYPE rmg_llm_cache_misses_total counter\n"
      "rmg_llm_cache_misses_total " +
      std::to_string(cache.misses) +
      "\n"
      "# HELP rmg_llm_requests_total LLM chat requests.\n# TYPE rmg_llm_requests_total counter\n"
      "rmg_llm_requests_total " +
      std::to_string(chat.requests) +
      "\n"
      "# HELP rmg_llm_retries_total LLM HTTP attempts after a failed one.\n"
      "# TYPE rmg_llm_retries_total counter\n"
      "rmg_llm_retries_total " +
      std::to_string(chat.retries) + "\n";
  EXPECT_EQ(metrics.Render(), expected);
}

TEST(MetricsTest, RequestsAreCountedPerEndpointRewardAndStatus) {
  Metrics metrics;
  metrics.Observe("evaluate", "math", 200, 0.01);
  metrics.Observe("evaluate", "math", 200, 0.01);
  metrics.Observe("evaluate", "math", 503, 0.01);
  metrics.Observe("evaluate", "bleu", 200, 0.01);
  metrics.Observe("healthz", "", 200, 0.01);
  const std::vector<std::string> lines = MetricsLinesStarting(metrics.Render(), "rmg_requests_total{");
  const std::vector<std::string> expected = {
      R"(rmg_requests_total{endpoint="evaluate",reward="bleu",status="200"} 1)",
      R"(rmg_requests_total{endpoint="evaluate",reward="math",status="200"} 2)",
      R"(rmg_requests_total{endpoint="evaluate",reward="math",status="503"} 1)",
      R"(rmg_requests_total{endpoint="healthz",reward="",status="200"} 1)",
  };
  EXPECT_EQ(lines, expected);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndBoundsInclusive) {
  Metrics metrics;
  metrics.Observe("e", "r", 200, 0.001);   // exactly on a bound: counted in that bucket
  metrics.Observe("e", "r", 200, 0.0011);  // just above: the next one
  metrics.Observe("e", "r", 200, 0.5);
  metrics.Observe("e", "r", 200, 60.0);
  metrics.Observe("e", "r", 200, 61.0);  // beyond the last bound: only +Inf
  const std::string text = metrics.Render();
  const auto buckets = MetricsBuckets(text, R"(endpoint="e",reward="r")");
  const std::vector<double> bounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                      0.25,   0.5,     1.0,    2.5,   5.0,    10.0,  30.0, 60.0, -1};
  const std::vector<std::string> counts = {"0", "0", "0", "1", "2", "2", "2", "2", "2", "2",
                                           "2", "3", "3", "3", "3", "3", "3", "4", "5"};
  ASSERT_EQ(buckets.size(), bounds.size()) << text;
  for (size_t i = 0; i < bounds.size(); ++i) {
    EXPECT_EQ(buckets[i].first, bounds[i]) << "bucket " << i;
    EXPECT_EQ(buckets[i].second, counts[i]) << "bucket " << i;
  }
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_request_seconds_count{"),
            std::vector<std::string>{R"(rmg_request_seconds_count{endpoint="e",reward="r"} 5)"});
  const std::vector<std::string> sum = MetricsLinesStarting(text, "rmg_request_seconds_sum{");
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_DOUBLE_EQ(std::strtod(sum[0].substr(sum[0].rfind(' ') + 1).c_str(), nullptr), 0.001 + 0.0011 + 0.5 + 121.0);
}

TEST(MetricsTest, SumIsPrintedExactly) {
  Metrics metrics;
  metrics.Observe("e", "", 200, 0.25);
  metrics.Observe("e", "", 200, 2.0);
  metrics.Observe("e", "", 500, 0.5);  // every status of a series shares one histogram
  const std::string text = metrics.Render();
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_request_seconds_sum{"),
            std::vector<std::string>{R"(rmg_request_seconds_sum{endpoint="e",reward=""} 2.75)"});
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_request_seconds_count{"),
            std::vector<std::string>{R"(rmg_request_seconds_count{endpoint="e",reward=""} 3)"});
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Metrics metrics;
  metrics.Observe("a\"b", "c\\d\ne", 200, 0.001);
  metrics.CountRejected("x\"y\nz");
  const std::string text = metrics.Render();
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_requests_total{"),
            std::vector<std::string>{R"(rmg_requests_total{endpoint="a\"b",reward="c\\d\ne",status="200"} 1)"});
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_rejected_total{"),
            std::vector<std::string>{R"(rmg_rejected_total{endpoint="x\"y\nz"} 1)"});
  // No raw newline may split a sample line.
  for (const std::string& line : MetricsLines(text)) {
    EXPECT_TRUE(line.empty() || line[0] == '#' || line.rfind("rmg_", 0) == 0) << line;
  }
}

TEST(MetricsTest, RejectionsAreCountedPerEndpoint) {
  Metrics metrics;
  metrics.CountRejected("evaluate");
  metrics.CountRejected("evaluate");
  metrics.CountRejected("get_reward");
  EXPECT_EQ(MetricsLinesStarting(metrics.Render(), "rmg_rejected_total{"),
            (std::vector<std::string>{R"(rmg_rejected_total{endpoint="evaluate"} 2)",
                                      R"(rmg_rejected_total{endpoint="get_reward"} 1)"}));
  EXPECT_TRUE(MetricsLinesStarting(metrics.Render(), "rmg_requests_total{").empty());
}

TEST(MetricsTest, FailedUnitsAreCountedPerReward) {
  Metrics metrics;
  metrics.CountFailedUnits("judge", 2);
  metrics.CountFailedUnits("judge", 3);
  metrics.CountFailedUnits("length_penalty", 1);
  EXPECT_EQ(MetricsLinesStarting(metrics.Render(), "rmg_failed_units_total{"),
            (std::vector<std::string>{R"(rmg_failed_units_total{reward="judge"} 5)",
                                      R"(rmg_failed_units_total{reward="length_penalty"} 1)"}));
}

TEST(MetricsTest, GaugesAreReadAtEachScrape) {
  Metrics metrics;
  std::atomic<int> depth{3};
  int reads = 0;
  metrics.AddGauge("rmg_queue_depth", "Jobs waiting.", [&] {
    ++reads;
    return static_cast<double>(depth.load());
  });
  metrics.AddGauge("rmg_fraction", "A fraction.", [] { return 0.5; });
  const std::string first = metrics.Render();
  EXPECT_NE(first.find("# HELP rmg_queue_depth Jobs waiting.\n# TYPE rmg_queue_depth gauge\nrmg_queue_depth 3\n"
                       "# HELP rmg_fraction A fraction.\n# TYPE rmg_fraction gauge\nrmg_fraction 0.5\n"),
            std::string::npos)
      << first;
  depth = 12345678;
  EXPECT_EQ(MetricsLinesStarting(metrics.Render(), "rmg_queue_depth "),
            std::vector<std::string>{"rmg_queue_depth 12345678"});
  EXPECT_EQ(reads, 2);
}

TEST(MetricsTest, ConcurrentObservationsAreAllCounted) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.Observe("e", "r", 200, 0.002);
        if (i % 2 == 0) metrics.CountRejected("e");
        if (t == 0 && i % 100 == 0) metrics.Render();  // scrapes race with updates
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = metrics.Render();
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_requests_total{"),
            std::vector<std::string>{R"(rmg_requests_total{endpoint="e",reward="r",status="200"} 8000)"});
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_rejected_total{"),
            std::vector<std::string>{R"(rmg_rejected_total{endpoint="e"} 4000)"});
  EXPECT_EQ(MetricsLinesStarting(text, "rmg_request_seconds_bucket{endpoint=\"e\",reward=\"r\",le=\"+Inf\"}"),
            std::vector<std::string>{R"(rmg_request_seconds_bucket{endpoint="e",reward="r",le="+Inf"} 8000)"});
}

}  // namespace
}  // namespace rmg::server
