// Response cache cost on a hit: the key of a typical judge request (about 2 KB of
// prompt) and the lookup in a cache of 100k replies. Target: KeyFor + Get <= 50 us.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "rmg/response_cache.h"

namespace {

constexpr int kRows = 100000;

// A pairwise judge request: system prompt, a ~2 KB user prompt, sampling parameters.
rmg::Json JudgeRequest(int id) {
  std::string prompt = "Sample " + std::to_string(id) + ". Compare the two answers below and decide which one is "
                       "more helpful, harmless and honest. Reply with <reason>...</reason> and <best>N</best>.\n";
  for (int answer = 1; prompt.size() < 2000; ++answer) {
    prompt += "<answer_" + std::to_string(answer % 2 + 1) +
              ">The derivative of x^2 is 2x, because the limit of ((x+h)^2 - x^2) / h as h goes to zero "
              "equals 2x + h evaluated at h = 0.</answer>\n";
  }
  return rmg::Json{{"model", "qwen-max"},
                   {"messages", {{{"role", "system"}, {"content", "You are a careful and impartial judge."}},
                                 {{"role", "user"}, {"content", prompt}}}},
                   {"temperature", 0.0},
                   {"top_p", 1.0},
                   {"max_tokens", 512}};
}

// One cache file with kRows replies, built once and deleted at exit.
struct FilledCache {
  FilledCache() {
    dir = std::filesystem::temp_directory_path() / ("rmg_cache_bench_" + std::to_string(getpid()));
    cache = rmg::ResponseCache::Open((dir / "cache.sqlite").string());
    const std::string reply = "<reason>Answer 1 explains the limit step by step; answer 2 skips it.</reason>\n"
                              "<best>1</best>";
    for (int i = 0; i < kRows; ++i) cache->Put(rmg::ResponseCache::KeyFor(JudgeRequest(i)), reply);
  }
  ~FilledCache() {
    cache.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::shared_ptr<rmg::ResponseCache> cache;
};

FilledCache& Filled() {
  static FilledCache filled;
  return filled;
}

// Requests spread over the table, so lookups do not all hit the same pages.
std::vector<rmg::Json> SomeRequests() {
  std::vector<rmg::Json> requests;
  for (int i = 0; i < 1000; ++i) requests.push_back(JudgeRequest(i * (kRows / 1000) + 7));
  return requests;
}

void BM_KeyFor(benchmark::State& state) {
  const rmg::Json request = JudgeRequest(42);
  state.SetLabel(std::to_string(request.dump().size()) + " byte request");
  for (auto _ : state) benchmark::DoNotOptimize(rmg::ResponseCache::KeyFor(request));
}
BENCHMARK(BM_KeyFor);

void BM_GetHit(benchmark::State& state) {
  rmg::ResponseCache& cache = *Filled().cache;
  std::vector<std::string> keys;
  for (const rmg::Json& request : SomeRequests()) keys.push_back(rmg::ResponseCache::KeyFor(request));
  size_t i = 0;
  for (auto _ : state) {
    auto value = cache.Get(keys[i++ % keys.size()]);
    if (!value) state.SkipWithError("expected a hit");
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_GetHit);

void BM_KeyForAndGetHit(benchmark::State& state) {
  rmg::ResponseCache& cache = *Filled().cache;
  const std::vector<rmg::Json> requests = SomeRequests();
  size_t i = 0;
  for (auto _ : state) {
    auto value = cache.Get(rmg::ResponseCache::KeyFor(requests[i++ % requests.size()]));
    if (!value) state.SkipWithError("expected a hit");
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_KeyForAndGetHit);

void BM_GetMiss(benchmark::State& state) {
  rmg::ResponseCache& cache = *Filled().cache;
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back(rmg::ResponseCache::KeyFor(rmg::Json{{"absent", i}}));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cache.Get(keys[i++ % keys.size()]));
}
BENCHMARK(BM_GetMiss);

}  // namespace

BENCHMARK_MAIN();
