// Where the time of f1_score and ngram_repetition_penalty (tokenizer=simple) goes,
// on RM-Gallery's timing workload (shared/data/bench/rule_workload.jsonl), single
// thread. The two rewards miss 50x RM-Gallery; these figures show which stages do.
//
// Each benchmark runs the first stages of the reward on every sample, cumulatively,
// with the buffers kept between samples as the rewards keep them; the cost of a stage
// is the difference between two rows. Cumulative rows keep each stage's input hot in
// the cache, as it is inside the reward (a stage timed alone on stored inputs reads
// 20 MB of token views from memory).
//
//   BM_F1Stages/1   lower-case and split the response and the reference
//   BM_F1Stages/2   + the two token sets and their intersection
//   BM_F1Stages/3   + the two token lists as JSON arrays (extra_data's
//                   `generated_tokens` and `reference_tokens`); the arrays are
//                   destroyed outside the timing, as BM_Apply destroys its results
//   BM_NgramStages/1  lower-case and split the response
//   BM_NgramStages/2  + counting its distinct trigrams (NgramCounter)
//
// items_per_second is samples/s (CPU time). Usage:
//   token_stages_bench [--benchmark_repetitions=5 --benchmark_report_aggregates_only=true]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rmg/record_file.h"
#include "rmg/sample_io.h"
#include "rmg/schema.h"
#include "text/ngram_counter.h"
#include "text/token_set.h"
#include "text/unicode.h"

namespace {

struct TextPair {
  std::string response;
  std::string reference;
};

const std::vector<TextPair>& Workload() {
  static const std::vector<TextPair> texts = [] {
    const char* override_path = std::getenv("RMG_BENCH_WORKLOAD");
    const std::string path = override_path != nullptr && *override_path != '\0'
                                 ? override_path
                                 : std::string(RMG_SHARED_DATA_DIR) + "/bench/rule_workload.jsonl";
    const rmg::RecordFile file = rmg::RecordFile::Open(path);
    std::vector<TextPair> pairs;
    for (const rmg::JsonRecord& record : file.records()) {
      const rmg::DataSample sample = rmg::ParseDataSample(record.text);
      for (const rmg::DataOutput& output : sample.output) {
        std::string scratch;
        pairs.push_back({output.answer.content, std::string(rmg::LabelReference(output.answer, &scratch))});
      }
    }
    if (pairs.empty()) {
      std::fprintf(stderr, "%s: no samples\n", path.c_str());
      std::exit(1);
    }
    return pairs;
  }();
  return texts;
}

rmg::Json TokenList(const rmg::text::TokenSet& tokens) {
  rmg::Json list = rmg::Json::array();
  list.get_ref<rmg::Json::array_t&>().reserve(tokens.size());
  for (std::string_view token : tokens.items()) list.push_back(token);
  return list;
}

void BM_F1Stages(benchmark::State& state) {
  const int stages = static_cast<int>(state.range(0));
  const std::vector<TextPair>& texts = Workload();
  std::string response_lower, reference_lower;
  std::vector<std::string_view> response_tokens, reference_tokens;
  rmg::text::TokenSet response_set, reference_set;
  std::vector<rmg::Json> lists;
  lists.reserve(2 * texts.size());
  size_t common = 0;
  for (auto _ : state) {
    for (const TextPair& pair : texts) {
      rmg::text::LowerSplitPythonSpace(pair.response, &response_lower, &response_tokens);
      rmg::text::LowerSplitPythonSpace(pair.reference, &reference_lower, &reference_tokens);
      benchmark::DoNotOptimize(reference_tokens.data());
      if (stages < 2) continue;
      response_set.Assign(response_tokens, response_lower);
      reference_set.Assign(reference_tokens, reference_lower);
      common += response_set.CountShared(reference_set);
      if (stages < 3) continue;
      lists.push_back(TokenList(response_set));
      lists.push_back(TokenList(reference_set));
    }
    state.PauseTiming();
    lists.clear();
    state.ResumeTiming();
  }
  benchmark::DoNotOptimize(common);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(texts.size()));
}
BENCHMARK(BM_F1Stages)->DenseRange(1, 3);

void BM_NgramStages(benchmark::State& state) {
  const int stages = static_cast<int>(state.range(0));
  const std::vector<TextPair>& texts = Workload();
  std::string lower;
  std::vector<std::string_view> tokens;
  rmg::text::NgramCounter trigrams;
  size_t distinct = 0;
  for (auto _ : state) {
    for (const TextPair& pair : texts) {
      rmg::text::LowerSplitPythonSpace(pair.response, &lower, &tokens);
      benchmark::DoNotOptimize(tokens.data());
      if (stages < 2) continue;
      distinct += trigrams.Count(tokens, lower, 3).size();
    }
  }
  benchmark::DoNotOptimize(distinct);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(texts.size()));
}
BENCHMARK(BM_NgramStages)->DenseRange(1, 2);

}  // namespace

BENCHMARK_MAIN();
