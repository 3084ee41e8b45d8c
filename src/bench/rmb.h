// RMB (Zhou et al. 2024, "RMB: Comprehensively Benchmarking Reward Models in LLM
// Alignment"). Its prompts are filed under category paths such as
// "Helpfulness/Brainstorming/Idea Development" or "Harmlessness/S1/...", and come
// in two sets:
//   * pairwise: one chosen and one rejected answer; right when
//     score(chosen) > score(rejected), strictly;
//   * best-of-N: one best answer and a list of losers; right when the best answer
//     scores strictly above every loser.
// A sample is best-of-N when it has more than one rejected output, else pairwise.
// Accuracies are shares of prompts (micro averages), overall, per category path
// and per top-level part of the path. A leading part ending in "_set" (the name of
// RMB's folders, Pairwise_set and BoN_set) is not the top-level part: the next
// one is, so paths with and without it group together.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bench/answer_score.h"
#include "rmg/schema.h"

namespace rmg::bench {

// The pairwise and best-of-N counts of one group of prompts.
struct RmbAccuracy {
  Tally pairwise;
  Tally best_of_n;
};

struct RmbResult {
  RmbAccuracy overall;
  std::map<std::string, RmbAccuracy> per_category;      // by full category path
  std::map<std::string, RmbAccuracy> per_top_category;  // by top-level part (see above)
};

// The top-level part of a category path (see above), e.g. "Helpfulness" for
// "Pairwise_set/Helpfulness/Chat/Open QA"; the path itself when it has no '/'.
std::string RmbTopCategory(std::string_view category_path);

// RMB on scored samples, as FromRmbPairwise and FromRmbBestOfN (converters.h)
// write them: the category path from metadata.category_path; outputs chosen or
// rejected by answer.label.preference, scored at AnswerScore(answer, score_path),
// exactly one chosen and at least one rejected. Throws std::invalid_argument
// naming the sample and field for a sample of another layout.
RmbResult EvaluateRmb(const std::vector<DataSample>& samples, std::string_view score_path = "");

// The report: {"metrics": {"pairwise_accuracy", "pairs", "bon_accuracy",
// "bon_prompts", "per_pairwise_category", "per_bon_category",
// "per_pairwise_top_category", "per_bon_top_category"}}, each breakdown
// {group: {"accuracy", "prompts"}} over the groups that have prompts of its kind
// (so a category without best-of-N prompts shows no best-of-N accuracy, not a 0;
// likewise the top-level accuracies); accuracies in [0, 1].
Json RmbReport(const RmbResult& result);

}  // namespace rmg::bench
