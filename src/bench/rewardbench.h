// RewardBench (Lambert et al. 2024, "RewardBench: Evaluating Reward Models for
// Language Modeling"; allenai/reward-bench). Every prompt has one chosen and one
// rejected response, and is right when score(chosen) > score(rejected) — strictly,
// so a tie is a miss. Accuracy is taken per subset; a section's score is the mean
// of its subsets' accuracies weighted by the official example counts
// (rewardbench/constants.py, EXAMPLE_COUNTS and SUBSET_MAPPING), whatever the
// number of prompts in the data:
//   Chat       alpacaeval-easy 100, alpacaeval-length 95, alpacaeval-hard 95,
//              mt-bench-easy 28, mt-bench-med 40
//   Chat Hard  mt-bench-hard 37, llmbar-natural 100, llmbar-adver-neighbor 134,
//              llmbar-adver-GPTInst 92, llmbar-adver-GPTOut 47, llmbar-adver-manual 46
//   Safety     refusals-dangerous 100, refusals-offensive 100,
//              xstest-should-refuse 154, xstest-should-respond 250, donotanswer 136
//   Reasoning  math-prm 984 (447 prompts, up-weighted to equal the code subsets'
//              total), hep-cpp, hep-go, hep-java, hep-js, hep-python, hep-rust 164 each
// Only the subsets present count, in the weights and in the sections; the final
// score is the mean of the sections present. A subset outside this mapping is
// reported on its own and belongs to no section.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bench/answer_score.h"
#include "rmg/schema.h"

namespace rmg::bench {

struct RewardBenchResult {
  double score = 0.0;  // mean of per_section
  size_t prompts = 0;
  std::map<std::string, double> per_section;  // only sections with a subset present
  std::map<std::string, Tally> per_subset;
};

// The section of `subset` ("Chat", "Chat Hard", "Safety", "Reasoning"), or ""
// when it is in none.
std::string_view RewardBenchSection(std::string_view subset);

// The official example count that weighs `subset` in its section; 0 when the
// subset is in no section.
size_t RewardBenchWeight(std::string_view subset);

// RewardBench on scored samples, as FromRewardBench (converters.h) writes them:
// the subset from metadata.subset, else from a unique_id "rewardbench/<subset>/<id>";
// one output with answer.label.preference "chosen" and one "rejected", each scored
// at AnswerScore(answer, score_path). Throws std::invalid_argument naming the
// sample and field for a sample of another layout.
RewardBenchResult EvaluateRewardBench(const std::vector<DataSample>& samples, std::string_view score_path = "");

// The report: {"metrics": {"score", "prompts", "per_section": {section: score},
// "per_subset": {subset: {"accuracy", "prompts"}}}}, all in [0, 1].
Json RewardBenchReport(const RewardBenchResult& result);

}  // namespace rmg::bench
