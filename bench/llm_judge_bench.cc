// LLM judge throughput against the scripted OpenAI-compatible server on loopback
// (src/llm/testing/scripted_openai_server.py, a separate process).
//
//   build/release/llm_judge_bench [--calls 2000] [--latency-ms 100] [--concurrency 64] [--runs 3]
//
// Per run it measures, in this process only (the server's CPU is not counted):
//   client  — `calls` chat completions through ChatClient, all submitted at once;
//   judge   — the same number of listwise judge calls through `rmg eval`'s batch
//             evaluator (prompt rendering, cache off, tag parsing, result writing);
// wall time against the ideal calls * latency / concurrency, and CPU seconds per
// 1,000 calls from getrusage(RUSAGE_SELF). Then the response cache: the time of a
// hit (key hashing + SQLite lookup) on a cache of 100,000 entries.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "llm/testing/scripted_server.h"
#include "rmg/chat_client.h"
#include "rmg/evaluator.h"
#include "rmg/registry.h"
#include "rmg/response_cache.h"
#include "rmg/sample_io.h"

namespace {

using Clock = std::chrono::steady_clock;

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Measure {
  double wall = 0;
  double cpu = 0;
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Measure RunClient(const std::string& base_url, int calls, int concurrency) {
  rmg::ChatClientOptions options;
  options.base_url = base_url;
  options.api_key = "bench";
  options.concurrency = concurrency;
  rmg::ChatClient client(options);
  std::mutex mutex;
  std::condition_variable done;
  int remaining = calls, failed = 0;
  const double cpu0 = CpuSeconds();
  const auto start = Clock::now();
  for (int i = 0; i < calls; ++i) {
    rmg::ChatRequest request;
    request.body = rmg::Json{{"model", "bench"},
                             {"messages", rmg::Json::array({rmg::Json{{"role", "user"}, {"content", "question " + std::to_string(i)}}})}};
    client.Submit(std::move(request), [&](rmg::ChatReply reply) {
      std::lock_guard lock(mutex);
      if (!reply.ok()) ++failed;
      if (--remaining == 0) done.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  done.wait(lock, [&] { return remaining == 0; });
  Measure m{std::chrono::duration<double>(Clock::now() - start).count(), CpuSeconds() - cpu0};
  if (failed) std::fprintf(stderr, "warning: %d client calls failed\n", failed);
  return m;
}

std::vector<rmg::DataSample> JudgeSamples(int count) {
  std::vector<rmg::DataSample> samples;
  for (int i = 0; i < count; ++i) {
    rmg::Json sample{{"unique_id", "s" + std::to_string(i)},
                     {"input", rmg::Json::array({rmg::Json{{"role", "user"}, {"content", "How do I sort a list in Python? #" + std::to_string(i)}}})},
                     {"output", rmg::Json::array({rmg::Json{{"answer", {{"role", "assistant"}, {"content", "Use sorted(xs)."}}}},
                                                  rmg::Json{{"answer", {{"role", "assistant"}, {"content", "Call xs.sort() in place."}}}}})}};
    samples.push_back(rmg::ParseDataSample(sample.dump()));
  }
  return samples;
}

Measure RunJudge(const std::string& base_url, int calls, int concurrency) {
  const rmg::Json params{{"base_url", base_url}, {"api_key", "bench"}, {"cache", "off"},
                         {"concurrency", concurrency}};
  auto reward = rmg::RewardRegistry::Global().Create("base_helpfulness_listwise", params);
  const std::vector<rmg::DataSample> samples = JudgeSamples(calls);
  rmg::EvalOptions options;
  options.timeout_seconds = 60;
  rmg::EvalStats stats;
  const double cpu0 = CpuSeconds();
  const auto start = Clock::now();
  rmg::EvaluateBatch(*reward, samples, options, &stats);
  Measure m{std::chrono::duration<double>(Clock::now() - start).count(), CpuSeconds() - cpu0};
  if (stats.failed_units) std::fprintf(stderr, "warning: %zu judge units failed\n", stats.failed_units);
  return m;
}

// Median microseconds of KeyFor + Get of a present key, on a cache of `entries`.
double CacheHitMicros(int entries) {
  const std::string dir = std::filesystem::temp_directory_path() / ("rmg_cache_bench_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto cache = rmg::ResponseCache::Open(dir + "/cache.sqlite");
  auto body = [](int i) {
    return rmg::Json{{"model", "bench"}, {"temperature", 0}, {"max_tokens", 8192},
                     {"messages", rmg::Json::array({rmg::Json{{"role", "user"}, {"content", std::string(2000, 'x') + std::to_string(i)}}})}};
  };
  for (int i = 0; i < entries; ++i) cache->Put(rmg::ResponseCache::KeyFor(body(i)), R"({"content":"<best>1</best>"})");
  std::vector<double> micros;
  for (int i = 0; i < 2000; ++i) {
    const rmg::Json request = body((i * 7919) % entries);
    const auto start = Clock::now();
    const auto hit = cache->Get(rmg::ResponseCache::KeyFor(request));
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (!hit) std::fprintf(stderr, "warning: expected a hit\n");
  }
  std::filesystem::remove_all(dir);
  return Median(micros);
}

}  // namespace

int main(int argc, char** argv) {
  int calls = 2000, latency_ms = 100, concurrency = 64, runs = 3, cache_entries = 100000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--calls") calls = value;
    else if (flag == "--latency-ms") latency_ms = value;
    else if (flag == "--concurrency") concurrency = value;
    else if (flag == "--runs") runs = value;
    else if (flag == "--cache-entries") cache_entries = value;
  }
  auto server = rmg::llm::testing::ScriptedServer::Start({"--latency-ms", std::to_string(latency_ms)});
  const double ideal = calls * latency_ms / 1000.0 / concurrency;
  std::printf("%d calls, server latency %d ms, concurrency %d: ideal wall %.3f s\n", calls, latency_ms, concurrency,
              ideal);
  for (const char* what : {"client", "judge"}) {
    std::vector<double> walls, cpus;
    for (int r = 0; r < runs; ++r) {
      const Measure m = std::strcmp(what, "client") == 0 ? RunClient(server->base_url(), calls, concurrency)
                                                          : RunJudge(server->base_url(), calls, concurrency);
      walls.push_back(m.wall);
      cpus.push_back(m.cpu * 1000.0 / calls);
      std::printf("  %-6s run %d: wall %.3f s (%.3f x ideal), client CPU %.3f core-s per 1000 calls\n", what, r + 1,
                  m.wall, m.wall / ideal, m.cpu * 1000.0 / calls);
    }
    std::printf("%-6s median: wall %.3f s = %.3f x ideal; CPU %.3f core-s per 1000 calls\n", what, Median(walls),
                Median(walls) / ideal, Median(cpus));
  }
  std::printf("cache hit (KeyFor + Get, %d entries): median %.1f us\n", cache_entries, CacheHitMicros(cache_entries));
  return 0;
}
