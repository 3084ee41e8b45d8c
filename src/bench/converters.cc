#include "bench/converters.h"

#include <array>
#include <initializer_list>
#include <utility>

#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

[[noreturn]] void BadField(std::string_view field, std::string_view why) {
  throw SchemaError(std::string(field) + ": " + std::string(why));
}

const Json& Field(const Json& record, const char* field) {
  const auto it = record.find(field);
  if (it == record.end()) BadField(field, "missing");
  return *it;
}

std::string StringField(const Json& record, const char* field) {
  const Json& value = Field(record, field);
  if (!value.is_string()) BadField(field, "expected a string");
  return value.get<std::string>();
}

// An id as text: upstream ids are numbers in some files and strings in others.
std::string IdField(const Json& record, const char* field) {
  const Json& value = Field(record, field);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  BadField(field, "expected a string or an integer");
}

void CheckObject(const Json& record) {
  if (!record.is_object()) BadField("record", "expected a JSON object");
}

// Every field of `record` but the ones the sample holds elsewhere.
Json MetadataOf(const Json& record, std::initializer_list<std::string_view> moved) {
  Json metadata = Json::object();
  for (auto it = record.begin(); it != record.end(); ++it) {
    bool skip = false;
    for (std::string_view name : moved) skip = skip || it.key() == name;
    if (!skip) metadata[it.key()] = *it;
  }
  return metadata;
}

DataSample NewSample(std::string unique_id, std::string prompt, std::string source) {
  DataSample sample;
  sample.unique_id = std::move(unique_id);
  ChatMessage message;
  message.role = "user";
  message.content = std::move(prompt);
  sample.input.push_back(std::move(message));
  sample.source = std::move(source);
  sample.task_category = "preference";
  return sample;
}

void AddAnswer(DataSample& sample, std::string content, Json label) {
  DataOutput output;
  output.answer.role = "assistant";
  output.answer.content = std::move(content);
  output.answer.label = std::move(label);
  sample.output.push_back(std::move(output));
}

}  // namespace

DataSample FromRewardBench(const Json& record) {
  CheckObject(record);
  // Fields are read one statement at a time so that the first bad one is the one reported.
  const std::string subset = StringField(record, "subset");
  const std::string id = IdField(record, "id");
  DataSample sample =
      NewSample("rewardbench/" + subset + "/" + id, StringField(record, "prompt"), "allenai/reward-bench:" + subset);
  AddAnswer(sample, StringField(record, "chosen"), JsonObjectBuilder(1).Add("preference", "chosen").Build());
  AddAnswer(sample, StringField(record, "rejected"), JsonObjectBuilder(1).Add("preference", "rejected").Build());
  sample.metadata = MetadataOf(record, {"prompt", "chosen", "rejected"});
  return sample;
}

DataSample FromRmBench(const Json& record) {
  CheckObject(record);
  static constexpr std::array<const char*, 3> kStyles = {"concise", "detailed_plain", "detailed_markdown"};
  const std::string domain = StringField(record, "domain");
  const std::string id = IdField(record, "id");
  DataSample sample =
      NewSample("rmbench/" + domain + "/" + id, StringField(record, "prompt"), "THU-KEG/RM-Bench:" + domain);
  for (const char* preference : {"chosen", "rejected"}) {
    const Json& responses = Field(record, preference);
    if (!responses.is_array() || responses.size() != kStyles.size()) {
      BadField(preference, "expected an array of 3 strings");
    }
    for (size_t style = 0; style < kStyles.size(); ++style) {
      if (!responses[style].is_string()) {
        BadField(std::string(preference) + "[" + std::to_string(style) + "]", "expected a string");
      }
      AddAnswer(sample, responses[style].get<std::string>(),
                JsonObjectBuilder(3)
                    .Add("preference", preference)
                    .Add("style_index", style)
                    .Add("style", kStyles[style])
                    .Build());
    }
  }
  sample.metadata = MetadataOf(record, {"prompt", "chosen", "rejected"});
  return sample;
}

DataSample FromJudgeBench(const Json& record) {
  CheckObject(record);
  const std::string label = StringField(record, "label");
  if (label != "A>B" && label != "B>A") BadField("label", "expected \"A>B\" or \"B>A\", got \"" + label + "\"");
  std::string unique_id = "judgebench/";
  if (record.contains("response_model")) unique_id += StringField(record, "response_model") + "/";
  unique_id += IdField(record, "pair_id");
  const std::string source = StringField(record, "source");
  DataSample sample =
      NewSample(std::move(unique_id), StringField(record, "question"), "ScalerLab/JudgeBench:" + source);
  const bool a_wins = label == "A>B";
  AddAnswer(sample, StringField(record, "response_A"),
            JsonObjectBuilder(2).Add("preference", a_wins ? "chosen" : "rejected").Add("position", "A").Build());
  AddAnswer(sample, StringField(record, "response_B"),
            JsonObjectBuilder(2).Add("preference", a_wins ? "rejected" : "chosen").Add("position", "B").Build());
  sample.metadata = MetadataOf(record, {"question", "response_A", "response_B"});
  return sample;
}

namespace {

struct NamedConverter {
  std::string_view name;
  Converter converter;
};

// Sorted by name, so ConverterNames lists them in order.
constexpr std::array<NamedConverter, 3> kConverters = {{
    {"judgebench", &FromJudgeBench},
    {"rewardbench", &FromRewardBench},
    {"rmbench", &FromRmBench},
}};

}  // namespace

Converter ConverterFor(std::string_view name) {
  for (const NamedConverter& entry : kConverters) {
    if (entry.name == name) return entry.converter;
  }
  return nullptr;
}

std::vector<std::string> ConverterNames() {
  std::vector<std::string> names;
  for (const NamedConverter& entry : kConverters) names.emplace_back(entry.name);
  return names;
}

}  // namespace rmg::bench
