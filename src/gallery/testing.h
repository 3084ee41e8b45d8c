// Test-only helpers for the gallery reward tests: build a one-response sample through
// the JSON reader, run a registered reward on it, and look at what it wrote.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/registry.h"
#include "rmg/sample_io.h"
#include "rmg/schema.h"

namespace rmg::gallery::testing {

// The JSON of one answer: an assistant message with `content` and, unless
// `reference` is null, label.reference = `reference`.
inline Json AnswerJson(std::string_view content, const Json& reference = nullptr) {
  Json answer = Json::object();
  answer["role"] = "assistant";
  answer["content"] = content;
  if (!reference.is_null()) answer["label"] = Json{{"reference", reference}};
  return answer;
}

// A DataSample with one user question and one output per answer in `answers`
// (each made by AnswerJson), parsed by the library's own reader.
inline DataSample SampleWithAnswers(const std::vector<Json>& answers) {
  Json sample = Json::object();
  sample["unique_id"] = "gallery-test";
  Json question = Json::object();
  question["role"] = "user";
  question["content"] = "question";
  sample["input"] = Json::array({question});
  sample["output"] = Json::array();
  for (const Json& answer : answers) sample["output"].push_back(Json{{"answer", answer}});
  return ParseDataSample(sample.dump());
}

// A DataSample with a single response (and optional reference).
inline DataSample OneResponse(std::string_view content, const Json& reference = nullptr) {
  return SampleWithAnswers({AnswerJson(content, reference)});
}

// What one pointwise reward wrote on one answer.
struct Scored {
  double score = 0.0;                // answer.reward.score
  std::vector<RewardDetail> details;  // answer.reward.details
  Json additional_kwargs;            // answer.additional_kwargs (extra_data sits under the instance name)
  Json extra;                        // additional_kwargs[<instance name>], null if absent

  // The first detail's reason ("" when there is no detail, so a comparison fails).
  std::string reason() const { return details.empty() ? std::string() : details.front().reason; }
};

// The result written on `sample.output[index]` by `reward`.
inline Scored ScoredOutput(const RewardModel& reward, const DataSample& evaluated, size_t index = 0) {
  Scored scored;
  const Step& answer = evaluated.output.at(index).answer;
  if (answer.reward) {
    scored.score = answer.reward->score;
    scored.details = answer.reward->details;
  }
  scored.additional_kwargs = answer.additional_kwargs;
  if (answer.additional_kwargs.is_object() && answer.additional_kwargs.contains(reward.name())) {
    scored.extra = answer.additional_kwargs.at(reward.name());
  }
  return scored;
}

// Builds the registered reward `reward_name` with `params` and scores one response.
inline Scored ScoreWith(std::string_view reward_name, const Json& params, std::string_view content,
                        const Json& reference = nullptr) {
  const auto reward = RewardRegistry::Global().Create(reward_name, params);
  return ScoredOutput(*reward, reward->Evaluate(OneResponse(content, reference)));
}

// Same with the reward's default parameters.
inline Scored Score(std::string_view reward_name, std::string_view content, const Json& reference = nullptr) {
  return ScoreWith(reward_name, Json::object(), content, reference);
}

// The keys of a JSON object, sorted (RM-Gallery documents which keys exist, not
// their order).
inline std::vector<std::string> SortedKeys(const Json& object) {
  std::vector<std::string> keys;
  if (!object.is_object()) return keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  return keys;
}

// The default value of parameter `param` of the registered reward `reward_name`
// (null when the reward does not declare it).
inline Json DefaultParam(std::string_view reward_name, std::string_view param) {
  for (const ParamSpec& spec : RewardRegistry::Global().Spec(reward_name).params) {
    if (spec.name == param) return spec.default_value;
  }
  return nullptr;
}

}  // namespace rmg::gallery::testing
