#include "bench/rmb.h"

#include <algorithm>

#include "bench/answer_score.h"

namespace rmg::bench {
namespace {

constexpr std::string_view kRmb = "RMB";

void Count(RmbAccuracy& accuracy, bool best_of_n, bool correct) {
  (best_of_n ? accuracy.best_of_n : accuracy.pairwise).Add(correct);
}

// {group: {"accuracy", "prompts"}} of the groups with prompts of one kind.
Json GroupsJson(const std::map<std::string, RmbAccuracy>& groups, Tally RmbAccuracy::*kind) {
  Json json = Json::object();
  for (const auto& [name, accuracy] : groups) {
    const Tally& tally = accuracy.*kind;
    if (tally.prompts == 0) continue;
    json[name] = JsonObjectBuilder(2).Add("accuracy", tally.accuracy()).Add("prompts", tally.prompts).Build();
  }
  return json;
}

}  // namespace

std::string RmbTopCategory(std::string_view category_path) {
  std::string_view part = category_path.substr(0, category_path.find('/'));
  if (part.ends_with("_set") && part.size() < category_path.size()) {
    return RmbTopCategory(category_path.substr(part.size() + 1));
  }
  return std::string(part);
}

RmbResult EvaluateRmb(const std::vector<DataSample>& samples, std::string_view score_path) {
  RmbResult result;
  for (const DataSample& sample : samples) {
    const std::string path = MetadataString(sample, "category_path");
    if (path.empty()) ThrowBadSample(kRmb, sample, "metadata.category_path: missing or not a string");
    const PreferenceScores scores = PreferenceScoresOf(sample, score_path, kRmb);
    if (scores.chosen.size() != 1 || scores.rejected.empty()) {
      ThrowBadSample(kRmb, sample,
                     "output: expected one chosen and at least one rejected response, got " +
                         std::to_string(scores.chosen.size()) + " chosen and " +
                         std::to_string(scores.rejected.size()) + " rejected");
    }
    // RMB's category paths say which set an item is from ("BoN_set/...", "Pairwise_set/..."):
    // a best-of-N item with a single loser is still best-of-N. Other paths go by the count.
    const bool best_of_n =
        path.starts_with("BoN_set") || (!path.starts_with("Pairwise_set") && scores.rejected.size() > 1);
    // Strictly above the best loser, so a tie with any loser is a miss.
    const bool correct = scores.chosen[0] > *std::max_element(scores.rejected.begin(), scores.rejected.end());
    Count(result.overall, best_of_n, correct);
    Count(result.per_category[path], best_of_n, correct);
    Count(result.per_top_category[RmbTopCategory(path)], best_of_n, correct);
  }
  return result;
}

Json RmbReport(const RmbResult& result) {
  JsonObjectBuilder metrics(8);
  // An accuracy only for a kind that has prompts: 0 of 0 is no result, not a 0.
  if (result.overall.pairwise.prompts > 0) metrics.Add("pairwise_accuracy", result.overall.pairwise.accuracy());
  metrics.Add("pairs", result.overall.pairwise.prompts);
  if (result.overall.best_of_n.prompts > 0) metrics.Add("bon_accuracy", result.overall.best_of_n.accuracy());
  metrics.Add("bon_prompts", result.overall.best_of_n.prompts)
      .Add("per_pairwise_category", GroupsJson(result.per_category, &RmbAccuracy::pairwise))
      .Add("per_bon_category", GroupsJson(result.per_category, &RmbAccuracy::best_of_n))
      .Add("per_pairwise_top_category", GroupsJson(result.per_top_category, &RmbAccuracy::pairwise))
      .Add("per_bon_top_category", GroupsJson(result.per_top_category, &RmbAccuracy::best_of_n));
  return JsonObjectBuilder(1).Add("metrics", metrics.Build()).Build();
}

}  // namespace rmg::bench
