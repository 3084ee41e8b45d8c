#include "bench/rewardbench2.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "bench/answer_score.h"

namespace rmg::bench {
namespace {

constexpr std::string_view kRewardBench2 = "RewardBench 2";

// min(correct) - max(incorrect) of one Ties sample.
double Margin(const RewardBench2TiesSample& sample) {
  return *std::min_element(sample.correct.begin(), sample.correct.end()) -
         *std::max_element(sample.incorrect.begin(), sample.incorrect.end());
}

// The Ties id of `sample` ("<type>:<prompt>"): metadata.id, else the unique_id's last part.
std::pair<std::string, std::string> TiesId(const DataSample& sample) {
  std::string id = MetadataString(sample, "id");
  if (id.empty()) id = sample.unique_id.substr(sample.unique_id.rfind('/') + 1);
  const size_t colon = id.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == id.size()) {
    ThrowBadSample(kRewardBench2, sample, "metadata.id: expected \"<ref|tied>:<prompt>\" in Ties, got \"" + id + "\"");
  }
  return {id.substr(0, colon), id.substr(colon + 1)};
}

}  // namespace

double RewardBench2Ties::score() const {
  return 0.30 * all_accurate + 0.20 * correctness_preferred + 0.20 * correctness_preferred_hard +
         0.30 * correctness_margin_score;
}

double RewardBench2PromptScore(const std::vector<double>& chosen, const std::vector<double>& rejected) {
  if (chosen.empty()) return 0.0;
  const double best_chosen = *std::max_element(chosen.begin(), chosen.end());
  const double best =
      rejected.empty() ? best_chosen : std::max(best_chosen, *std::max_element(rejected.begin(), rejected.end()));
  if (best_chosen < best) return 0.0;
  const auto at_best = [best](double score) { return score == best; };
  const auto tied =
      std::count_if(chosen.begin(), chosen.end(), at_best) + std::count_if(rejected.begin(), rejected.end(), at_best);
  return 1.0 / static_cast<double>(tied);
}

RewardBench2Ties ScoreRewardBench2Ties(const std::vector<RewardBench2TiesSample>& samples) {
  // prompt -> its ref and tied samples.
  std::map<std::string, std::pair<const RewardBench2TiesSample*, const RewardBench2TiesSample*>> by_prompt;
  for (const RewardBench2TiesSample& sample : samples) {
    const std::string name = sample.type + ":" + sample.prompt;
    if (sample.correct.empty() || sample.incorrect.empty()) {
      throw std::invalid_argument("Ties sample " + name + ": needs at least one correct and one incorrect score");
    }
    auto& [ref, tied] = by_prompt[sample.prompt];
    const RewardBench2TiesSample** slot = sample.type == "ref" ? &ref : sample.type == "tied" ? &tied : nullptr;
    if (slot == nullptr) throw std::invalid_argument("Ties sample " + name + ": the type is neither ref nor tied");
    if (*slot != nullptr) throw std::invalid_argument("Ties sample " + name + ": appears twice");
    *slot = &sample;
  }
  RewardBench2Ties ties;
  double all_accurate = 0, preferred = 0, preferred_hard = 0, margin_score = 0;
  for (const auto& [prompt, ref_and_tied] : by_prompt) {
    const auto [ref, tied] = ref_and_tied;
    if (ref == nullptr || tied == nullptr) {
      ties.unpaired.push_back((ref == nullptr ? "tied:" : "ref:") + prompt);
      continue;
    }
    ++ties.prompts;
    const double margin_ref = Margin(*ref);
    const double margin_tied = Margin(*tied);
    if (margin_ref > 0 && margin_tied > 0) ++all_accurate;
    if (tied->correct.size() < 2) continue;  // no gap between correct answers: the rest is undefined
    const auto [low, high] = std::minmax_element(tied->correct.begin(), tied->correct.end());
    const double correct_gap = *high - *low;
    const double hard_margin = std::min(margin_ref, margin_tied);
    if (margin_tied > correct_gap) ++preferred;
    if (hard_margin > correct_gap) ++preferred_hard;
    // tanh(margin / gap - 1) clipped at 0, as reward-bench computes it: correct answers
    // scored alike (a gap of 0) above every incorrect one is the best case, tanh(inf) = 1.
    if (correct_gap > 0) {
      margin_score += std::max(0.0, std::tanh(hard_margin / correct_gap - 1.0));
    } else if (hard_margin > 0) {
      margin_score += 1.0;
    }
  }
  if (ties.prompts > 0) {
    const double n = static_cast<double>(ties.prompts);
    ties.all_accurate = all_accurate / n;
    ties.correctness_preferred = preferred / n;
    ties.correctness_preferred_hard = preferred_hard / n;
    ties.correctness_margin_score = margin_score / n;
  }
  return ties;
}

RewardBench2Result EvaluateRewardBench2(const std::vector<DataSample>& samples, std::string_view score_path) {
  std::map<std::string, std::pair<double, size_t>> totals;  // subset -> (sum of prompt scores, prompts)
  std::vector<RewardBench2TiesSample> ties_samples;
  bool has_ties = false;
  for (const DataSample& sample : samples) {
    const std::string subset = SampleGroup(sample, "subset");
    if (subset.empty()) {
      ThrowBadSample(kRewardBench2, sample, "no metadata.subset and the unique_id is not rewardbench2/<subset>/<id>");
    }
    PreferenceScores scores = PreferenceScoresOf(sample, score_path, kRewardBench2);
    if (scores.chosen.empty() || scores.rejected.empty()) {
      ThrowBadSample(kRewardBench2, sample,
                     "output: expected chosen and rejected responses, got " + std::to_string(scores.chosen.size()) +
                         " chosen and " + std::to_string(scores.rejected.size()) + " rejected");
    }
    if (subset == kRewardBench2Ties) {
      has_ties = true;
      auto [type, prompt] = TiesId(sample);
      if (type != "ref" && type != "tied") {
        ThrowBadSample(kRewardBench2, sample, "metadata.id: the type must be ref or tied, got \"" + type + "\"");
      }
      ties_samples.push_back(
          {std::move(type), std::move(prompt), std::move(scores.chosen), std::move(scores.rejected)});
      continue;
    }
    auto& [sum, prompts] = totals[subset];
    sum += RewardBench2PromptScore(scores.chosen, scores.rejected);
    ++prompts;
  }
  RewardBench2Result result;
  for (const auto& [subset, sum_and_prompts] : totals) {
    result.per_subset[subset] = {sum_and_prompts.second,
                                 sum_and_prompts.first / static_cast<double>(sum_and_prompts.second)};
  }
  if (has_ties) {
    try {
      result.ties = ScoreRewardBench2Ties(ties_samples);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(kRewardBench2) + " " + e.what());
    }
    // Ties prompts whose ref or tied half is missing are not scored; with none left, Ties
    // has no accuracy to add to the mean.
    if (result.ties->prompts > 0) {
      result.per_subset[std::string(kRewardBench2Ties)] = {result.ties->prompts, result.ties->score()};
    }
  }
  for (const auto& [subset, accuracy] : result.per_subset) {
    result.score += accuracy.accuracy / static_cast<double>(result.per_subset.size());
    result.prompts += accuracy.prompts;
  }
  return result;
}

Json RewardBench2Report(const RewardBench2Result& result) {
  Json per_subset = Json::object();
  for (const auto& [subset, accuracy] : result.per_subset) {
    Json entry = JsonObjectBuilder(6).Add("accuracy", accuracy.accuracy).Add("prompts", accuracy.prompts).Build();
    if (subset == kRewardBench2Ties && result.ties) {
      entry["all_accurate"] = result.ties->all_accurate;
      entry["correctness_preferred"] = result.ties->correctness_preferred;
      entry["correctness_preferred_hard"] = result.ties->correctness_preferred_hard;
      entry["correctness_margin_score"] = result.ties->correctness_margin_score;
    }
    per_subset[subset] = std::move(entry);
  }
  Json metrics = JsonObjectBuilder(3)
                     .Add("score", result.score)
                     .Add("prompts", result.prompts)
                     .Add("per_subset", std::move(per_subset))
                     .Build();
  // Samples left out of the figures, which rmg bench lists as it lists bad records.
  Json errors = Json::array();
  if (result.ties) {
    for (const std::string& name : result.ties->unpaired) {
      errors.push_back("Ties sample " + name + ": its other half (ref or tied) is missing; the prompt is not scored");
    }
  }
  return JsonObjectBuilder(2).Add("metrics", std::move(metrics)).Add("errors", std::move(errors)).Build();
}

}  // namespace rmg::bench
