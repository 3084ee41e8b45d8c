#include "bench/answer_score.h"

#include <charconv>
#include <stdexcept>
#include <vector>

namespace rmg::bench {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t dot = path.find('.');
    parts.push_back(path.substr(0, dot));
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  return parts;
}

[[noreturn]] void NoScore(std::string_view path, std::string_view why) {
  throw std::invalid_argument("score '" + std::string(path) + "': " + std::string(why));
}

}  // namespace

double AnswerScore(const Step& answer, std::string_view path) {
  if (path.empty() || path == "reward.score") {
    if (!answer.reward) NoScore(path.empty() ? "reward.score" : path, "the output has no reward");
    return answer.reward->score;
  }
  const std::vector<std::string_view> parts = SplitPath(path);
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
    const std::string key(parts[i]);
    if (node->is_object() && node->contains(key)) {
      node = &(*node)[key];
      continue;
    }
    size_t index = 0;
    const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
    if (node->is_array() && error == std::errc() && end == key.data() + key.size() && index < node->size()) {
      node = &(*node)[index];
      continue;
    }
    NoScore(path, "nothing at '" + key + "'");
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

}  // namespace rmg::bench
