#include "bench/answer_score.h"

#include <stdexcept>
#include <vector>

#include "data/field_path.h"

namespace rmg::bench {
namespace {

[[noreturn]] void NoScore(std::string_view path, std::string_view why) {
  throw std::invalid_argument("score '" + std::string(path) + "': " + std::string(why));
}

}  // namespace

double AnswerScore(const Step& answer, std::string_view path) {
  if (path.empty() || path == "reward.score") {
    if (!answer.reward) NoScore(path.empty() ? "reward.score" : path, "the output has no reward");
    return answer.reward->score;
  }
  const std::vector<std::string> parts = SplitFieldPath(path);
  const Json* node = nullptr;
  if (parts[0] == "label") {
    node = &answer.label;
  } else if (parts[0] == "additional_kwargs") {
    node = &answer.additional_kwargs;
  } else if (parts[0] == "reward") {
    // Only reward.score is a number; the details are a list without stable positions.
    NoScore(path, "the only number under 'reward' is 'reward.score'");
  } else {
    const std::string key(parts[0]);
    if (!answer.extra.is_object() || !answer.extra.contains(key)) {
      NoScore(path, "the answer has no field '" + key + "'");
    }
    node = &answer.extra[key];
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    node = FindFieldPart(*node, parts[i]);
    if (node == nullptr) NoScore(path, "nothing at '" + parts[i] + "'");
  }
  if (!node->is_number()) NoScore(path, "not a number");
  return node->get<double>();
}

std::string MetadataString(const DataSample& sample, std::string_view key) {
  if (!sample.metadata.is_object()) return "";
  const auto it = sample.metadata.find(std::string(key));
  if (it == sample.metadata.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string SampleGroup(const DataSample& sample, std::string_view key) {
  std::string group = MetadataString(sample, key);
  if (!group.empty()) return group;
  const std::string_view id = sample.unique_id;
  const size_t first = id.find('/');
  const size_t second = first == std::string_view::npos ? first : id.find('/', first + 1);
  if (second == std::string_view::npos || second == first + 1) return "";
  return std::string(id.substr(first + 1, second - first - 1));
}

void ThrowBadSample(std::string_view benchmark, const DataSample& sample, std::string_view why) {
  throw std::invalid_argument(std::string(benchmark) + " sample '" + sample.unique_id + "': " + std::string(why));
}

PreferenceScores PreferenceScoresOf(const DataSample& sample, std::string_view score_path, std::string_view benchmark) {
  PreferenceScores scores;
  for (size_t k = 0; k < sample.output.size(); ++k) {
    const Step& answer = sample.output[k].answer;
    const std::string where = "output[" + std::to_string(k) + "]";
    const Json* preference = nullptr;
    if (answer.label.is_object()) {
      const auto it = answer.label.find("preference");
      if (it != answer.label.end()) preference = &*it;
    }
    const bool chosen = preference != nullptr && *preference == "chosen";
    if (!chosen && (preference == nullptr || *preference != "rejected")) {
      ThrowBadSample(benchmark, sample, where + ".answer.label.preference: expected \"chosen\" or \"rejected\"");
    }
    try {
      (chosen ? scores.chosen : scores.rejected).push_back(AnswerScore(answer, score_path));
    } catch (const std::invalid_argument& e) {
      ThrowBadSample(benchmark, sample, where + ": " + e.what());
    }
  }
  return scores;
}

}  // namespace rmg::bench
