// The data model: RM-Gallery's DataSample and its parts, as plain structs.
// Field names follow RM-Gallery so its exported data loads unchanged; fields rmg
// does not know are kept in `extra` and written back on output (lossless round trip).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rmg {

// JSON value with insertion-ordered objects, used for every free-form field.
using Json = nlohmann::ordered_json;

// One scored dimension of a reward (RM-Gallery's RewardDimensionWithScore). Every detail
// a reward writes has a score; one read without it (RM-Gallery's listwise rank details)
// keeps it absent, is written back without one and counts in no mean.
struct RewardDetail {
  std::string name;
  std::optional<double> score;
  std::string reason;
  Json extra;             // optional free-form object; null when absent
  Json unknown_fields{};  // other keys as read (RM-Gallery's rank lists...), written back as they were
};

// The reward attached to an answer or a step.
struct Reward {
  double score = 0.0;
  std::vector<RewardDetail> details;
  Json extra;  // unknown fields
};

struct ChatMessage {
  std::string role = "user";  // system | user | assistant | function
  std::string content;        // "" when the input had null; the text parts' text for content parts
  Json raw_content;           // the input's content when it was a list of parts, written back as it was
  std::optional<std::string> name;
  std::string reasoning_content;
  Json tool_calls;         // null when absent
  Json additional_kwargs;  // object, or null when absent
  Json extra;              // unknown fields, in input order
};

// A chat message that can carry ground truth and a reward (RM-Gallery's Step).
struct Step : ChatMessage {
  Json label;                    // object, or null when absent
  std::optional<Reward> reward;  // absent until a reward has run
};

struct DataOutput {
  Step answer;
  std::optional<std::vector<Step>> steps;
  Json extra;
};

struct DataSample {
  std::string unique_id;
  std::vector<ChatMessage> input;
  std::vector<DataOutput> output;
  std::optional<std::string> task_category;
  std::optional<std::string> source;
  std::optional<std::string> created_at;
  Json metadata;  // object, or null when absent
  Json extra;
};

// `label.reference` of a step as text: a view of the string (valid while the step
// is), "" when there is none, or — for a number or other JSON value — its JSON text,
// written into `*scratch` (so the view is valid while *scratch is).
std::string_view LabelReference(const Step& step, std::string* scratch);

// Builds a JSON object field by field with its table allocated once; cheaper than
// an initializer list, which builds a two-element array per field first.
class JsonObjectBuilder {
 public:
  explicit JsonObjectBuilder(size_t fields) : object_(Json::object()) {
    object_.get_ref<Json::object_t&>().reserve(fields);
  }
  JsonObjectBuilder& Add(std::string_view key, Json value) {
    object_.get_ref<Json::object_t&>().emplace_back(std::string(key), std::move(value));
    return *this;
  }
  Json Build() { return std::move(object_); }

 private:
  Json object_;
};

// Sets score to the mean of the details' scores; leaves it unchanged when no detail has one.
void RecomputeScore(Reward& reward);

// The reward of `step`, created empty if the step has none yet.
Reward& MutableReward(Step& step);

}  // namespace rmg
