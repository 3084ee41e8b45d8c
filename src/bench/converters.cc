#include "bench/converters.h"

#include <array>
#include <utility>

#include "bench/dataset_converters.h"
#include "bench/record_fields.h"

namespace rmg::bench {
namespace {

// The strings of the array record[field], which must be non-empty.
std::vector<std::string> StringsField(const Json& record, const char* field) {
  const Json& values = Field(record, field);
  if (!values.is_array() || values.empty()) BadField(field, "expected a non-empty array of strings");
  std::vector<std::string> strings;
  for (size_t k = 0; k < values.size(); ++k) {
    if (!values[k].is_string()) BadField(std::string(field) + "[" + std::to_string(k) + "]", "expected a string");
    strings.push_back(values[k].get<std::string>());
  }
  return strings;
}

// An RMB conversation: [{role, content, ...}] -> the sample's input messages.
void AddRmbConversation(DataSample& sample, const Json& record) {
  const Json& conversation = Field(record, "conversation_input");
  if (!conversation.is_array() || conversation.empty()) {
    BadField("conversation_input", "expected a non-empty array of messages");
  }
  sample.input = MessagesOf(conversation, "conversation_input");
}

// An RMB answer {answer, llm_name} at `where` -> an output labelled `preference`.
void AddRmbAnswer(DataSample& sample, const Json& answer, const std::string& where, const char* preference) {
  if (!answer.is_object()) BadField(where, "expected an object {answer, llm_name}");
  const auto text = answer.find("answer");
  if (text == answer.end() || !text->is_string()) BadField(where + ".answer", "expected a string");
  JsonObjectBuilder label(2);
  label.Add("preference", preference);
  if (const auto llm = answer.find("llm_name"); llm != answer.end()) {
    if (!llm->is_string()) BadField(where + ".llm_name", "expected a string");
    label.Add("llm_name", *llm);
  }
  AddAnswer(sample, text->get<std::string>(), label.Build());
}

// An RMB sample's frame: id, source and conversation; the answers come after.
DataSample NewRmbSample(const Json& record, const char* uid_field, const char* set) {
  CheckObject(record);
  const std::string uid = IdField(record, uid_field);
  const std::string category_path = StringField(record, "category_path");
  DataSample sample;
  sample.unique_id = "rmb/" + std::string(set) + "/" + uid;
  AddRmbConversation(sample, record);
  sample.source = "RMB:" + category_path;
  sample.task_category = "preference";
  return sample;
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
  if (label != "A>B" && label != "B>A" && label != "A=B") {
    BadField("label", "expected \"A>B\", \"B>A\" or \"A=B\", got \"" + label + "\"");
  }
  std::string unique_id = "judgebench/";
  if (record.contains("response_model")) unique_id += StringField(record, "response_model") + "/";
  unique_id += IdField(record, "pair_id");
  const std::string source = StringField(record, "source");
  DataSample sample =
      NewSample(std::move(unique_id), StringField(record, "question"), "ScalerLab/JudgeBench:" + source);
  // A tie ("A=B") marks both responses "tie"; otherwise one is chosen.
  const char* preference_a = label == "A>B" ? "chosen" : label == "B>A" ? "rejected" : "tie";
  const char* preference_b = label == "A>B" ? "rejected" : label == "B>A" ? "chosen" : "tie";
  AddAnswer(sample, StringField(record, "response_A"),
            JsonObjectBuilder(2).Add("preference", preference_a).Add("position", "A").Build());
  AddAnswer(sample, StringField(record, "response_B"),
            JsonObjectBuilder(2).Add("preference", preference_b).Add("position", "B").Build());
  sample.metadata = MetadataOf(record, {"question", "response_A", "response_B"});
  return sample;
}

DataSample FromRewardBench2(const Json& record) {
  CheckObject(record);
  const std::string subset = StringField(record, "subset");
  const std::string id = IdField(record, "id");
  DataSample sample =
      NewSample("rewardbench2/" + subset + "/" + id, StringField(record, "prompt"), "allenai/reward-bench-2:" + subset);
  for (const char* preference : {"chosen", "rejected"}) {
    for (std::string& text : StringsField(record, preference)) {
      AddAnswer(sample, std::move(text), JsonObjectBuilder(1).Add("preference", preference).Build());
    }
  }
  sample.metadata = MetadataOf(record, {"prompt", "chosen", "rejected"});
  return sample;
}

DataSample FromRmbPairwise(const Json& record) {
  DataSample sample = NewRmbSample(record, "pair_uid", "pairwise");
  AddRmbAnswer(sample, Field(record, "chosen"), "chosen", "chosen");
  AddRmbAnswer(sample, Field(record, "reject"), "reject", "rejected");
  sample.metadata = MetadataOf(record, {"conversation_input", "chosen", "reject"});
  return sample;
}

DataSample FromRmbBestOfN(const Json& record) {
  DataSample sample = NewRmbSample(record, "bon_uid", "bestofn");
  AddRmbAnswer(sample, Field(record, "bon_best"), "bon_best", "chosen");
  const Json& losers = Field(record, "loser_list");
  if (!losers.is_array() || losers.empty()) BadField("loser_list", "expected a non-empty array of answers");
  for (size_t k = 0; k < losers.size(); ++k) {
    AddRmbAnswer(sample, losers[k], "loser_list[" + std::to_string(k) + "]", "rejected");
  }
  sample.metadata = MetadataOf(record, {"conversation_input", "bon_best", "loser_list"});
  return sample;
}

namespace {

struct NamedConverter {
  std::string_view name;
  Converter converter;
};

// Sorted by name, so ConverterNames lists them in order.
constexpr std::array<NamedConverter, 11> kConverters = {{
    {"chat_message", &OneSample<&FromChatMessages>},
    {"helpsteer2_pairwise", &FromHelpSteer2Pairwise},
    {"helpsteer2_pointwise", &OneSample<&FromHelpSteer2Pointwise>},
    {"helpsteer3", &OneSample<&FromHelpSteer3>},
    {"judgebench", &OneSample<&FromJudgeBench>},
    {"prmbench", &OneSample<&FromPrmBench>},
    {"rewardbench", &OneSample<&FromRewardBench>},
    {"rewardbench2", &OneSample<&FromRewardBench2>},
    {"rmb_bestofn", &OneSample<&FromRmbBestOfN>},
    {"rmb_pairwise", &OneSample<&FromRmbPairwise>},
    {"rmbench", &OneSample<&FromRmBench>},
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
