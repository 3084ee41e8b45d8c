#include "bench/benchmarks.h"

#include <algorithm>

#include "bench/conflict.h"
#include "bench/judgebench.h"
#include "bench/majority.h"
#include "bench/rewardbench.h"
#include "bench/rewardbench2.h"
#include "bench/rmb.h"
#include "bench/rmbench.h"

namespace rmg::bench {
namespace {

std::vector<Benchmark> MakeBenchmarks() {
  std::vector<Benchmark> all;
  all.push_back({"conflict",
                 "Conflict detection: every pair of outputs compared once; preference cycles (Tarjan SCC), dominance",
                 "none", ConflictPairSamples, MarkConflictPairFailed,
                 [](const std::vector<DataSample>& samples, const BenchmarkScores& scores) {
                   return ConflictReport(EvaluateConflictPairs(samples, scores.score_path));
                 }});
  all.push_back({"judgebench", "JudgeBench: pairs with one correct response; accuracy per source", "judgebench",
                 nullptr, nullptr, [](const std::vector<DataSample>& samples, const BenchmarkScores& scores) {
                   const JudgeBenchMode mode = scores.pairwise ? JudgeBenchMode::kJudge : JudgeBenchMode::kRewardModel;
                   return JudgeBenchReport(EvaluateJudgeBench(samples, mode, scores.score_path));
                 }});
  all.push_back({"rmbench", "RM-Bench: 3 chosen x 3 rejected styles; hard/normal/easy accuracy per domain", "rmbench",
                 nullptr, nullptr, [](const std::vector<DataSample>& samples, const BenchmarkScores& scores) {
                   return RmBenchReport(EvaluateRmBench(samples, scores.score_path));
                 }});
  all.push_back({"majority", "Majority vote vs reward-model pick on k sampled math answers: maj@k, rm@k, oracle@k",
                 "none", nullptr, nullptr, [](const std::vector<DataSample>& samples, const BenchmarkScores& scores) {
                   return MajorityReport(EvaluateMajority(samples, scores.score_path));
                 }});
  all.push_back(
      {"rewardbench", "RewardBench: chosen vs rejected per subset; Chat, Chat Hard, Safety, Reasoning sections; score",
       "rewardbench", nullptr, nullptr, [](const std::vector<DataSample>& samples, const BenchmarkScores& scores) {
         return RewardBenchReport(EvaluateRewardBench(samples, scores.score_path));
       }});
  all.push_back({"rewardbench2", "RewardBench 2: best-of-4 per subset, the Ties subset's weighted score; score",
                 "rewardbench2", nullptr, nullptr,
                 [](const std::vector<DataSample>& samples, const BenchmarkScores& scores) {
                   return RewardBench2Report(EvaluateRewardBench2(samples, scores.score_path));
                 }});
  all.push_back({"rmb", "RMB: pairwise and best-of-N accuracy per category path", "rmb_pairwise", nullptr, nullptr,
                 [](const std::vector<DataSample>& samples, const BenchmarkScores& scores) {
                   return RmbReport(EvaluateRmb(samples, scores.score_path));
                 }});
  std::sort(all.begin(), all.end(), [](const Benchmark& a, const Benchmark& b) { return a.name < b.name; });
  return all;
}

}  // namespace

const std::vector<Benchmark>& Benchmarks() {
  static const std::vector<Benchmark> all = MakeBenchmarks();
  return all;
}

const Benchmark* FindBenchmark(std::string_view name) {
  for (const Benchmark& benchmark : Benchmarks()) {
    if (benchmark.name == name) return &benchmark;
  }
  return nullptr;
}

}  // namespace rmg::bench
