// Throughput of every rule reward on RM-Gallery's timing workload
// (shared/data/bench/rule_workload.jsonl, 2,000 samples), single thread.
//
// One benchmark iteration is one pass of `reward->Evaluate(sample)` over all 2,000
// samples, which is what RM-Gallery's own figure measures (its `evaluate` copies the
// sample and fans it out; ours copies it too). items_per_second is samples/s.
//
// The rewards are not listed here: every registry entry that is not an alias and
// has kind "rule" is benchmarked with its defaults, so a reward registered later is
// timed without touching this file. Where RM-Gallery's figure used a non-default
// setting (whitespace tokens, ROUGE-L) a variant with that setting is added too.
//
// Two further families of benchmarks split that figure into its parts:
//   BM_Baseline/copy_sample   copy and destroy each sample, no reward: the floor
//                             every Evaluate() pays before any scoring
//   BM_Baseline/write_sample  write each sample as a JSONL line (AppendDataSampleJson),
//                             what `rmg eval` pays per sample to output it; with
//                             bytes_per_second
//   BM_Apply/<reward>         `reward->Apply(copy, {})` on fresh copies made (and
//                             destroyed) outside the timing: the scoring itself,
//                             including writing details and extra_data
//
// Counters:
//   items_per_second   samples/s
//   x_rm_gallery       samples/s divided by RM-Gallery's figure for the same
//                      setting (shared/data/bench/README.md); absent when there is none.
//                      Google Benchmark prints it with a "/s" suffix because it is
//                      computed as a rate; it is a plain ratio.
//   failed_units       units that failed per pass (should be 0: a failing reward
//                      would be timed on its error path)
//   wall_samples_per_s samples/s of wall time over the timed parts
//
// items_per_second is computed from the CPU time of this thread (the default of
// Google Benchmark), which is the fairer figure on a shared machine for rewards that
// compute in-process. For rewards whose work runs in other processes (code_syntax_check,
// code_execution) only wall_samples_per_s counts that work.
//
// Usage: rewards_bench [--benchmark_repetitions=5 --benchmark_report_aggregates_only=true]
// The workload path can be overridden with RMG_BENCH_WORKLOAD.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rmg/record_file.h"
#include "rmg/registry.h"
#include "rmg/reward.h"
#include "rmg/sample_io.h"

namespace {

std::string WorkloadPath() {
  if (const char* path = std::getenv("RMG_BENCH_WORKLOAD"); path != nullptr && *path != '\0') return path;
  return std::string(RMG_SHARED_DATA_DIR) + "/bench/rule_workload.jsonl";
}

// The workload, parsed once and shared by every benchmark.
const std::vector<rmg::DataSample>& Workload() {
  static const std::vector<rmg::DataSample> samples = [] {
    const std::string path = WorkloadPath();
    rmg::RecordFile file = rmg::RecordFile::Open(path);
    std::vector<rmg::DataSample> parsed;
    parsed.reserve(file.records().size());
    for (const rmg::JsonRecord& record : file.records()) {
      parsed.push_back(rmg::ParseDataSample(record.text));
    }
    if (parsed.empty()) {
      std::fprintf(stderr, "%s: no samples\n", path.c_str());
      std::exit(1);
    }
    return parsed;
  }();
  return samples;
}

// Wall time summed over the timed parts of a benchmark.
class WallTimer {
 public:
  void Start() { started_ = std::chrono::steady_clock::now(); }
  void Stop() { total_ += std::chrono::steady_clock::now() - started_; }
  // Sets the wall_samples_per_s counter for `samples` samples processed.
  void Report(benchmark::State& state, double samples) const {
    const double seconds = std::chrono::duration<double>(total_).count();
    if (seconds > 0) state.counters["wall_samples_per_s"] = samples / seconds;
  }

 private:
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::duration total_{};
};

// One timed configuration: a registered reward and the parameters it is built with.
struct Variant {
  std::string reward;
  rmg::Json params = rmg::Json::object();
  std::optional<double> rm_gallery_per_second;  // RM-Gallery's figure for this setting
};

// RM-Gallery v0.1.4's samples/s on this workload (shared/data/bench/README.md), for
// the setting its figure used. Rewards it does not list have no entry.
const std::map<std::string, double, std::less<>>& RmGalleryDefaults() {
  static const std::map<std::string, double, std::less<>> figures = {
      {"accuracy", 16059},
      {"number_accuracy", 4982},
      {"reasoning_format", 11296},
      {"reasoning_tool_call_format", 10950},
      {"length_penalty", 14897},
      {"privacy_leakage", 2894},
      {"code_syntax_check", 13469},
      {"code_style", 13731},
      {"code_patch_similarity", 337},
  };
  return figures;
}

// Settings RM-Gallery's figure used that are not our defaults. The default-parameter
// run of these rewards is still timed; it has no RM-Gallery figure of its own
// (f1_score's 3,422/s was RM-Gallery's str.split fallback, not tiktoken).
std::vector<Variant> NonDefaultVariants() {
  return {
      {"f1_score", {{"tokenizer", "simple"}}, 5780},
      {"ngram_repetition_penalty", {{"tokenizer", "simple"}}, 4994},
      {"rouge", {{"variant", "rougeL"}, {"tokenizer", "simple"}}, 40},
  };
}

std::string VariantLabel(const Variant& variant) {
  std::string label = variant.reward;
  bool first = true;
  for (const auto& [key, value] : variant.params.items()) {
    label += first ? "/" : ",";
    first = false;
    label += key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return label;
}

void BM_Evaluate(benchmark::State& state, const Variant& variant) {
  const std::vector<rmg::DataSample>& samples = Workload();
  std::unique_ptr<rmg::RewardModel> reward;
  try {
    reward = rmg::RewardRegistry::Global().Create(variant.reward, variant.params);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }

  // Warm-up outside the timing (RM-Gallery warmed up on 100 samples): one full
  // untimed pass, which also counts the units that fail.
  size_t failed_units = 0;
  for (const rmg::DataSample& sample : samples) {
    rmg::DataSample copy = sample;
    failed_units += reward->Apply(copy, rmg::EvalContext{});
  }

  WallTimer wall;
  for (auto _ : state) {
    wall.Start();
    for (const rmg::DataSample& sample : samples) {
      rmg::DataSample scored = reward->Evaluate(sample);
      benchmark::DoNotOptimize(scored);
    }
    benchmark::ClobberMemory();
    wall.Stop();
  }

  const double processed = static_cast<double>(state.iterations()) * static_cast<double>(samples.size());
  state.SetItemsProcessed(static_cast<int64_t>(processed));
  wall.Report(state, processed);
  state.counters["failed_units"] = static_cast<double>(failed_units);
  if (variant.rm_gallery_per_second) {
    // A rate counter divides by the elapsed time: samples/s / RM-Gallery's samples/s.
    state.counters["x_rm_gallery"] =
        benchmark::Counter(processed / *variant.rm_gallery_per_second, benchmark::Counter::kIsRate);
  }
}

void BM_Apply(benchmark::State& state, const Variant& variant) {
  const std::vector<rmg::DataSample>& samples = Workload();
  std::unique_ptr<rmg::RewardModel> reward;
  try {
    reward = rmg::RewardRegistry::Global().Create(variant.reward, variant.params);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  {
    std::vector<rmg::DataSample> warm_up = samples;
    for (rmg::DataSample& sample : warm_up) reward->Apply(sample, rmg::EvalContext{});
  }
  std::vector<rmg::DataSample> copies;
  WallTimer wall;
  for (auto _ : state) {
    state.PauseTiming();
    copies = samples;
    state.ResumeTiming();
    wall.Start();
    for (rmg::DataSample& sample : copies) {
      benchmark::DoNotOptimize(reward->Apply(sample, rmg::EvalContext{}));
    }
    benchmark::ClobberMemory();
    wall.Stop();
    state.PauseTiming();
    copies.clear();
    state.ResumeTiming();
  }
  const double processed = static_cast<double>(state.iterations()) * static_cast<double>(samples.size());
  state.SetItemsProcessed(static_cast<int64_t>(processed));
  wall.Report(state, processed);
}

void BM_CopySample(benchmark::State& state) {
  const std::vector<rmg::DataSample>& samples = Workload();
  for (auto _ : state) {
    for (const rmg::DataSample& sample : samples) {
      rmg::DataSample copy = sample;
      benchmark::DoNotOptimize(copy);
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(samples.size()));
}

void BM_WriteSample(benchmark::State& state) {
  const std::vector<rmg::DataSample>& samples = Workload();
  std::string line;
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const rmg::DataSample& sample : samples) {
      line.clear();
      rmg::AppendDataSampleJson(sample, &line);
      bytes += static_cast<int64_t>(line.size());
      benchmark::DoNotOptimize(line.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(samples.size()));
  state.SetBytesProcessed(bytes);
}

// Registers the default run of every non-alias rule reward, plus the variants whose
// reward is registered and accepts the variant's parameters.
void RegisterRewardBenchmarks() {
  const rmg::RewardRegistry& registry = rmg::RewardRegistry::Global();
  std::vector<Variant> variants;
  for (const rmg::RegistryEntry& entry : registry.List()) {
    if (!entry.alias_of.empty() || entry.spec == nullptr || entry.spec->kind != "rule") continue;
    Variant variant;
    variant.reward = entry.name;
    if (auto it = RmGalleryDefaults().find(entry.name); it != RmGalleryDefaults().end()) {
      variant.rm_gallery_per_second = it->second;
    }
    variants.push_back(std::move(variant));
  }
  for (Variant& variant : NonDefaultVariants()) {
    if (!registry.Contains(variant.reward)) continue;  // not (yet) registered
    try {
      registry.ResolveParams(variant.reward, variant.params);
    } catch (const rmg::RegistryError& e) {
      std::fprintf(stderr, "rewards_bench: skipping %s: %s\n", VariantLabel(variant).c_str(), e.what());
      continue;
    }
    variants.push_back(std::move(variant));
  }
  benchmark::RegisterBenchmark("BM_Baseline/copy_sample", BM_CopySample)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_Baseline/write_sample", BM_WriteSample)->Unit(benchmark::kMillisecond);
  for (const Variant& variant : variants) {
    benchmark::RegisterBenchmark(("BM_Evaluate/" + VariantLabel(variant)).c_str(), [variant](benchmark::State& state) {
      BM_Evaluate(state, variant);
    })->Unit(benchmark::kMillisecond);
  }
  for (const Variant& variant : variants) {
    benchmark::RegisterBenchmark(("BM_Apply/" + VariantLabel(variant)).c_str(), [variant](benchmark::State& state) {
      BM_Apply(state, variant);
    })->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    Workload();  // fail before any timing if the workload cannot be read
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rewards_bench: %s: %s\n", WorkloadPath().c_str(), e.what());
    return 1;
  }
  RegisterRewardBenchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
