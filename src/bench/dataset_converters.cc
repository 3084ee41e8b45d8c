#include "bench/dataset_converters.h"

#include <array>
#include <string>
#include <utility>

#include "bench/record_fields.h"

namespace rmg::bench {
namespace {

// The preference of response 1 and of response 2 under a signed strength whose
// negative values favour response 1 (both HelpSteer versions use this sign).
std::pair<const char*, const char*> PreferencesOf(int64_t strength) {
  if (strength < 0) return {"chosen", "rejected"};
  if (strength > 0) return {"rejected", "chosen"};
  return {"tie", "tie"};
}

Json PairLabel(const char* preference, int response) {
  return JsonObjectBuilder(2).Add("preference", preference).Add("response", response).Build();
}

}  // namespace

DataSample FromHelpSteer2Pointwise(const Json& record) {
  CheckObject(record);
  static constexpr std::array<const char*, 5> kAttributes = {"helpfulness", "correctness", "coherence", "complexity",
                                                             "verbosity"};
  const std::string prompt = StringField(record, "prompt");
  std::string response = StringField(record, "response");
  JsonObjectBuilder label(kAttributes.size());
  for (const char* attribute : kAttributes) label.Add(attribute, IntField(record, attribute, 0, 4));
  DataSample sample = NewSample("helpsteer2_pointwise/" + ContentKey({prompt, response}), prompt, "nvidia/HelpSteer2");
  sample.task_category = "pointwise";
  AddAnswer(sample, std::move(response), label.Build());
  sample.metadata =
      MetadataOf(record, {"prompt", "response", "helpfulness", "correctness", "coherence", "complexity", "verbosity"});
  return sample;
}

std::vector<DataSample> FromHelpSteer2Pairwise(const Json& record) {
  CheckObject(record);
  const std::string prompt = StringField(record, "prompt");
  const std::array<std::string, 2> responses = {StringField(record, "response_1"), StringField(record, "response_2")};
  const auto [first, second] = PreferencesOf(IntField(record, "preference_strength", -3, 3));
  const std::array<const char*, 2> preferences = {first, second};
  const std::string key = "helpsteer2_pairwise/" + ContentKey({prompt, responses[0], responses[1]});
  const Json metadata = MetadataOf(record, {"prompt", "response_1", "response_2"});
  std::vector<DataSample> samples;
  for (const std::array<int, 2>& order : {std::array<int, 2>{0, 1}, std::array<int, 2>{1, 0}}) {
    const std::string order_name = std::to_string(order[0] + 1) + std::to_string(order[1] + 1);
    DataSample& sample =
        samples.emplace_back(NewSample(key + "/" + order_name, prompt, "nvidia/HelpSteer2:preference"));
    for (int response : order) AddAnswer(sample, responses[response], PairLabel(preferences[response], response + 1));
    sample.metadata = metadata;
    sample.metadata["order"] = order_name;
  }
  return samples;
}

DataSample FromHelpSteer3(const Json& record) {
  CheckObject(record);
  const std::string domain = StringField(record, "domain");
  std::vector<ChatMessage> context = MessagesOf(Field(record, "context"), "context");
  std::string response1 = StringField(record, "response1");
  std::string response2 = StringField(record, "response2");
  const auto [first, second] = PreferencesOf(IntField(record, "overall_preference", -3, 3));
  DataSample sample;
  sample.unique_id = "helpsteer3/" + domain + "/" + ContentKey({Field(record, "context").dump(), response1, response2});
  sample.input = std::move(context);
  sample.source = "nvidia/HelpSteer3:" + domain;
  sample.task_category = "preference";
  AddAnswer(sample, std::move(response1), PairLabel(first, 1));
  AddAnswer(sample, std::move(response2), PairLabel(second, 2));
  sample.metadata = MetadataOf(record, {"context", "response1", "response2"});
  return sample;
}

DataSample FromPrmBench(const Json& record) {
  CheckObject(record);
  const std::string classification = StringField(record, "classification");
  const std::string idx = IdField(record, "idx");
  const bool modified = record.contains("modified_question");
  const std::string question = StringField(record, modified ? "modified_question" : "original_question");
  const Json& process = Field(record, "modified_process");
  if (!process.is_array()) BadField("modified_process", "expected an array of strings");
  const Json& error_steps = Field(record, "error_steps");
  if (!error_steps.is_array()) BadField("error_steps", "expected an array of step numbers");
  std::vector<bool> correct(process.size(), true);
  for (size_t i = 0; i < error_steps.size(); ++i) {
    const Json& step = error_steps[i];
    if (!step.is_number_integer() || step.get<int64_t>() < 1 || step.get<uint64_t>() > process.size()) {
      BadField("error_steps[" + std::to_string(i) + "]",
               "expected a step number from 1 to " + std::to_string(process.size()) + ", got " + step.dump());
    }
    correct[step.get<size_t>() - 1] = false;
  }
  DataSample sample =
      NewSample("prmbench/" + classification + "/" + idx, question, "hitsmy/PRMBench_Preview:" + classification);
  sample.task_category = "process";
  std::string joined;
  std::vector<Step> steps(process.size());
  for (size_t i = 0; i < process.size(); ++i) {
    if (!process[i].is_string()) BadField("modified_process[" + std::to_string(i) + "]", "expected a string");
    steps[i].role = "assistant";
    steps[i].content = process[i].get<std::string>();
    steps[i].label = JsonObjectBuilder(1).Add("correct", static_cast<bool>(correct[i])).Build();
    if (i > 0) joined += '\n';
    joined += steps[i].content;
  }
  AddAnswer(sample, std::move(joined), JsonObjectBuilder(1).Add("correct", error_steps.empty()).Build());
  sample.output.back().steps = std::move(steps);
  sample.metadata = MetadataOf(record, {modified ? "modified_question" : "original_question", "modified_process"});
  return sample;
}

DataSample FromChatMessages(const Json& record) {
  CheckObject(record);
  std::vector<ChatMessage> messages = MessagesOf(Field(record, "messages"), "messages");
  if (messages.empty() || messages.back().role != "assistant") {
    BadField("messages", "expected the last message to be the assistant's");
  }
  const std::string id = record.contains("id") ? IdField(record, "id") : ContentKey({Field(record, "messages").dump()});
  DataSample sample;
  sample.unique_id = "chat_message/" + id;
  DataOutput& output = sample.output.emplace_back();
  static_cast<ChatMessage&>(output.answer) = std::move(messages.back());
  messages.pop_back();
  sample.input = std::move(messages);
  sample.task_category = "chat";
  sample.metadata = MetadataOf(record, {"messages"});
  return sample;
}

}  // namespace rmg::bench
