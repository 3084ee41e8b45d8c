// Loading and converting a dataset: 100,000 RewardBench-style records ({prompt,
// chosen, rejected, subset, id}, about 1-2 KB of text each) in one JSONL file,
// read with LoadRecords and converted with FromRewardBench, as `rmg convert
// --from rewardbench` does. Target: >= 100 MB/s of input on one core.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/converters.h"
#include "core/simd_json.h"
#include "rmg/data_loader.h"
#include "rmg/record_file.h"
#include "rmg/sample_io.h"

namespace {

constexpr int kRecords = 100000;

// A deterministic stream of words (a 64-bit LCG), with the punctuation, newlines,
// quotes and occasional non-ASCII text of real prompts and answers.
class TextMaker {
 public:
  std::string Text(size_t min_bytes, size_t max_bytes) {
    const size_t target = min_bytes + Next() % (max_bytes - min_bytes + 1);
    std::string text;
    while (text.size() < target) {
      const uint64_t pick = Next();
      text += kWords[pick % kWords.size()];
      text += kSeparators[(pick >> 20) % kSeparators.size()];
    }
    return text;
  }
  uint64_t Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 17;
  }

 private:
  // Mostly spaces; sometimes punctuation, a paragraph break or a quotation.
  static constexpr std::array<const char*, 16> kSeparators = {
      ". ", ", ", ".\n\n", " \"quoted\" ", " ", " ", " ", " ", " ", " ", " ", " ", " ", " ", " ", " "};
  static constexpr std::array<const char*, 16> kWords = {
      "the",       "reward", "model", "answer", "because",  "function",  "return",  "value",
      "x = 2 * y", "Paris",  "café",  "naïve",  "response", "assistant", "explain", "λ-calculus"};
  uint64_t state_ = 42;
};

// The JSONL file, written once and deleted at exit.
struct Dataset {
  Dataset() {
    path = std::filesystem::temp_directory_path() / ("rmg_convert_bench_" + std::to_string(getpid()) + ".jsonl");
    static constexpr std::array<const char*, 4> kSubsets = {"alpacaeval-easy", "math-prm", "hep-python",
                                                            "refusals-dangerous"};
    TextMaker maker;
    std::string text;
    for (int i = 0; i < kRecords; ++i) {
      rmg::Json record = rmg::Json::object();
      record["prompt"] = maker.Text(150, 500);
      record["chosen"] = maker.Text(300, 800);
      record["rejected"] = maker.Text(300, 800);
      record["subset"] = kSubsets[maker.Next() % kSubsets.size()];
      record["id"] = i;
      rmg::AppendJson(record, &text);
      text += '\n';
    }
    std::ofstream(path, std::ios::binary) << text;
    bytes = text.size();
  }
  ~Dataset() { std::filesystem::remove(path); }
  std::filesystem::path path;
  size_t bytes = 0;
};

const Dataset& TheDataset() {
  static Dataset dataset;
  return dataset;
}

// The JSON parse alone, on the lines of the memory-mapped file: nlohmann's parser
// (what LoadRecords used first) against simdjson plus the copy into Json (ParseJson).
template <rmg::Json (*kParse)(std::string_view)>
void BM_ParseLines(benchmark::State& state) {
  const Dataset& dataset = TheDataset();
  const rmg::RecordFile file = rmg::RecordFile::Open(dataset.path.string());
  for (auto _ : state) {
    for (const rmg::JsonRecord& record : file.records()) benchmark::DoNotOptimize(kParse(record.text));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dataset.bytes));
}
rmg::Json NlohmannParse(std::string_view text) { return rmg::Json::parse(text); }
BENCHMARK(BM_ParseLines<&NlohmannParse>)
    ->Name("BM_ParseLines/Json::parse")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
rmg::Json SimdjsonParse(std::string_view text) { return rmg::ParseJson(text); }
BENCHMARK(BM_ParseLines<&SimdjsonParse>)
    ->Name("BM_ParseLines/ParseJson")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LoadRecords(benchmark::State& state) {
  const Dataset& dataset = TheDataset();
  for (auto _ : state) benchmark::DoNotOptimize(rmg::LoadRecords(dataset.path.string()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dataset.bytes));
}
BENCHMARK(BM_LoadRecords)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadAndConvertRewardBench(benchmark::State& state) {
  const Dataset& dataset = TheDataset();
  state.SetLabel(std::to_string(kRecords) + " records, " + std::to_string(dataset.bytes) + " bytes");
  for (auto _ : state) {
    const std::vector<rmg::LoadedRecord> records = rmg::LoadRecords(dataset.path.string());
    size_t outputs = 0;
    for (const rmg::LoadedRecord& record : records) outputs += rmg::bench::FromRewardBench(record.value).output.size();
    if (outputs != 2 * static_cast<size_t>(kRecords)) state.SkipWithError("expected two outputs per record");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dataset.bytes));
}
BENCHMARK(BM_LoadAndConvertRewardBench)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
