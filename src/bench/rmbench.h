// RM-Bench (Liu et al. 2024, "RM-Bench: Benchmarking Reward Models of Language
// Models with Subtlety and Style"). Every prompt has three chosen and three
// rejected responses, one of each in three styles: 0 concise, 1 detailed plain
// text, 2 detailed markdown. compute_accuracy in THU-KEG/RM-Bench's scripts
// fills a 3x3 matrix per prompt with
//   M[i][j] = 1 if score(chosen_i) > score(rejected_j), else 0
// — strictly greater, so a tie counts as wrong — and averages it over prompts:
//   hard_acc      = mean of the upper triangle (i < j: the chosen response is
//                   plainer than the rejected one, so style works against it),
//   normal_acc    = mean of the diagonal (same style),
//   easy_acc      = mean of the lower triangle (i > j),
//   total_avg_acc = mean of all nine cells.
// Each of the paper's four domains (chat, math, code, safety) is scored on its
// own; the data's two safety subsets, safety-refuse and safety-response, are
// pooled into "safety", which the paper and its leaderboard report as one
// column. The overall numbers are the mean over domains, each domain weighing
// the same as in the paper's table, not the mean over prompts.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::bench {

inline constexpr size_t kRmBenchStyles = 3;

using RmBenchMatrix = std::array<std::array<double, kRmBenchStyles>, kRmBenchStyles>;

// The scores of one prompt's responses, indexed by style.
struct RmBenchScores {
  std::array<double, kRmBenchStyles> chosen{};
  std::array<double, kRmBenchStyles> rejected{};
};

struct RmBenchAccuracy {
  size_t prompts = 0;
  RmBenchMatrix matrix{};  // matrix[i][j]: share of prompts with chosen_i > rejected_j
  double hard_acc = 0.0;
  double normal_acc = 0.0;
  double easy_acc = 0.0;
  double total_avg_acc = 0.0;
};

struct RmBenchResult {
  RmBenchAccuracy overall;  // mean over domains (prompts = all prompts)
  std::map<std::string, RmBenchAccuracy> per_domain;
};

// The accuracies of a matrix of shares (what compute_accuracy derives from it).
RmBenchAccuracy RmBenchAccuracyOfMatrix(const RmBenchMatrix& matrix, size_t prompts);

// compute_accuracy over `prompts`; all zero when there are none.
RmBenchAccuracy RmBenchAccuracyOf(std::span<const RmBenchScores> prompts);

// The domain of an RM-Bench sample: metadata.domain, else the middle part of a
// unique_id of the form "rmbench/<domain>/<id>", with "safety-refuse" and
// "safety-response" (any "safety-..." subset) read as "safety". Throws
// std::invalid_argument naming the sample when neither is there.
std::string RmBenchDomain(const DataSample& sample);

// The scores of an RM-Bench sample by style: each output is chosen or rejected by
// answer.label.preference and has its style in answer.label.style_index; the
// score is AnswerScore(answer, score_path). Throws std::invalid_argument naming
// the sample and output unless there is exactly one chosen and one rejected
// response of each style.
RmBenchScores RmBenchScoresOf(const DataSample& sample, std::string_view score_path);

// RM-Bench on scored samples, per domain and as the mean over domains.
RmBenchResult EvaluateRmBench(const std::vector<DataSample>& samples, std::string_view score_path = "");

// The report: {"metrics": {"hard_acc", "normal_acc", "easy_acc", "total_avg_acc",
// "prompts", "per_domain": {domain: {the same four, "prompts", "matrix"}}},
// "matrix": [[...], [...], [...]]}, where the top-level matrix is the mean of the
// domains' matrices (so the top-level accuracies are read off it).
Json RmBenchReport(const RmBenchResult& result);

}  // namespace rmg::bench
