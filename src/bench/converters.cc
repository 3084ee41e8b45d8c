#include "bench/converters.h"

#include <array>
#include <utility>

#include "bench/dataset_converters.h"
#include "bench/record_fields.h"

namespace rmg::bench {

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
constexpr std::array<NamedConverter, 8> kConverters = {{
    {"chat_message", &OneSample<&FromChatMessages>},
    {"helpsteer2_pairwise", &FromHelpSteer2Pairwise},
    {"helpsteer2_pointwise", &OneSample<&FromHelpSteer2Pointwise>},
    {"helpsteer3", &OneSample<&FromHelpSteer3>},
    {"judgebench", &OneSample<&FromJudgeBench>},
    {"prmbench", &OneSample<&FromPrmBench>},
    {"rewardbench", &OneSample<&FromRewardBench>},
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
