#include "bench/dataset_converters.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/record_fields.h"
#include "bench/testing.h"
#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

using testing::SchemaErrorOf;

// `sample` after a trip through its JSON form, which `rmg convert` writes.
DataSample RoundTrip(const DataSample& sample) { return DataSampleFromJson(DataSampleToJson(sample)); }

TEST(FromHelpSteer2Pointwise, Mapping) {
  const DataSample sample = RoundTrip(FromHelpSteer2Pointwise(Json::parse(R"({"prompt": "Name a prime.",
      "response": "7", "helpfulness": 4, "correctness": 4, "coherence": 3, "complexity": 0, "verbosity": 1.0,
      "split": "train"})")));
  EXPECT_EQ(sample.unique_id, "helpsteer2_pointwise/" + ContentKey({"Name a prime.", "7"}));
  EXPECT_EQ(sample.source, "nvidia/HelpSteer2");
  EXPECT_EQ(sample.task_category, "pointwise");
  ASSERT_EQ(sample.input.size(), 1u);
  EXPECT_EQ(sample.input[0].role, "user");
  EXPECT_EQ(sample.input[0].content, "Name a prime.");
  ASSERT_EQ(sample.output.size(), 1u);
  EXPECT_EQ(sample.output[0].answer.role, "assistant");
  EXPECT_EQ(sample.output[0].answer.content, "7");
  EXPECT_EQ(sample.output[0].answer.label.dump(),
            R"({"helpfulness":4,"correctness":4,"coherence":3,"complexity":0,"verbosity":1})");
  EXPECT_EQ(sample.metadata, Json({{"split", "train"}}));
}

TEST(FromHelpSteer2Pointwise, ErrorsNameTheField) {
  const char* record = R"({"prompt": "p", "response": "r", "helpfulness": 4, "correctness": 5, "coherence": 3,
      "complexity": 0, "verbosity": 1})";
  EXPECT_EQ(SchemaErrorOf([&] { FromHelpSteer2Pointwise(Json::parse(record)); }),
            "correctness: expected an integer from 0 to 4, got 5");
  EXPECT_EQ(SchemaErrorOf([] { FromHelpSteer2Pointwise(Json::parse(R"({"prompt": "p", "helpfulness": 1})")); }),
            "response: missing");
}

TEST(FromHelpSteer2Pairwise, OneRecordGivesBothOrders) {
  // Strength -2: response_1 is better.
  const std::vector<DataSample> samples = FromHelpSteer2Pairwise(Json::parse(R"({"split": "val", "prompt": "q",
      "response_1": "one", "response_2": "two", "preference_strength": -2, "preference_statement": "@Response 1"})"));
  ASSERT_EQ(samples.size(), 2u);
  const std::string key = "helpsteer2_pairwise/" + ContentKey({"q", "one", "two"});
  const DataSample first = RoundTrip(samples[0]);
  const DataSample second = RoundTrip(samples[1]);
  EXPECT_EQ(first.unique_id, key + "/12");
  EXPECT_EQ(second.unique_id, key + "/21");
  for (const DataSample& sample : {first, second}) {
    ASSERT_EQ(sample.input.size(), 1u);
    EXPECT_EQ(sample.input[0].content, "q");
    EXPECT_EQ(sample.source, "nvidia/HelpSteer2:preference");
    EXPECT_EQ(sample.task_category, "preference");
    ASSERT_EQ(sample.output.size(), 2u);
  }
  EXPECT_EQ(first.output[0].answer.content, "one");
  EXPECT_EQ(first.output[0].answer.label, Json({{"preference", "chosen"}, {"response", 1}}));
  EXPECT_EQ(first.output[1].answer.content, "two");
  EXPECT_EQ(first.output[1].answer.label, Json({{"preference", "rejected"}, {"response", 2}}));
  EXPECT_EQ(second.output[0].answer.content, "two");
  EXPECT_EQ(second.output[0].answer.label, Json({{"preference", "rejected"}, {"response", 2}}));
  EXPECT_EQ(second.output[1].answer.content, "one");
  EXPECT_EQ(second.output[1].answer.label, Json({{"preference", "chosen"}, {"response", 1}}));
  EXPECT_EQ(
      first.metadata,
      Json({{"split", "val"}, {"preference_strength", -2}, {"preference_statement", "@Response 1"}, {"order", "12"}}));
  EXPECT_EQ(second.metadata["order"], "21");
}

TEST(FromHelpSteer2Pairwise, StrengthSignAndTie) {
  const auto labels = [](int strength) {
    Json record = Json::parse(R"({"prompt": "q", "response_1": "one", "response_2": "two"})");
    record["preference_strength"] = strength;
    const std::vector<DataSample> samples = FromHelpSteer2Pairwise(record);
    // response_1's preference in the first sample, response_2's in the second's first output.
    return std::vector<std::string>{samples[0].output[0].answer.label["preference"].get<std::string>(),
                                    samples[1].output[0].answer.label["preference"].get<std::string>()};
  };
  EXPECT_EQ(labels(3), (std::vector<std::string>{"rejected", "chosen"}));
  EXPECT_EQ(labels(-1), (std::vector<std::string>{"chosen", "rejected"}));
  EXPECT_EQ(labels(0), (std::vector<std::string>{"tie", "tie"}));
}

TEST(FromHelpSteer2Pairwise, ErrorsNameTheField) {
  EXPECT_EQ(SchemaErrorOf([] {
              FromHelpSteer2Pairwise(
                  Json::parse(R"({"prompt": "q", "response_1": "a", "response_2": "b", "preference_strength": 7})"));
            }),
            "preference_strength: expected an integer from -3 to 3, got 7");
  EXPECT_EQ(SchemaErrorOf([] {
              FromHelpSteer2Pairwise(Json::parse(R"({"prompt": "q", "response_1": "a", "preference_strength": 1})"));
            }),
            "response_2: missing");
}

TEST(FromHelpSteer3, Mapping) {
  const Json record = Json::parse(R"json({"domain": "code", "language": "python",
      "context": [{"role": "user", "content": "sort a list"}, {"role": "assistant", "content": "sorted(x)?"},
                  {"role": "user", "content": "in place"}],
      "response1": "x.sort()", "response2": "sorted(x)", "overall_preference": -3,
      "individual_preference": [{"score": -3}]})json");
  const DataSample sample = RoundTrip(FromHelpSteer3(record));
  EXPECT_EQ(sample.unique_id, "helpsteer3/code/" + ContentKey({record["context"].dump(), "x.sort()", "sorted(x)"}));
  EXPECT_EQ(sample.source, "nvidia/HelpSteer3:code");
  ASSERT_EQ(sample.input.size(), 3u);
  EXPECT_EQ(sample.input[1].role, "assistant");
  EXPECT_EQ(sample.input[2].content, "in place");
  ASSERT_EQ(sample.output.size(), 2u);
  EXPECT_EQ(sample.output[0].answer.content, "x.sort()");
  EXPECT_EQ(sample.output[0].answer.label, Json({{"preference", "chosen"}, {"response", 1}}));
  EXPECT_EQ(sample.output[1].answer.content, "sorted(x)");
  EXPECT_EQ(sample.output[1].answer.label, Json({{"preference", "rejected"}, {"response", 2}}));
  EXPECT_EQ(sample.metadata, Json({{"domain", "code"},
                                   {"language", "python"},
                                   {"overall_preference", -3},
                                   {"individual_preference", Json::parse(R"([{"score": -3}])")}}));
}

TEST(FromHelpSteer3, ErrorsNameTheField) {
  EXPECT_EQ(SchemaErrorOf([] {
              FromHelpSteer3(Json::parse(R"({"domain": "general", "context": [{"role": "user", "content": "hi"},
                  {"content": "x"}], "response1": "a", "response2": "b", "overall_preference": 0})"));
            }),
            "context[1].role: missing");
  EXPECT_EQ(SchemaErrorOf([] {
              FromHelpSteer3(Json::parse(R"({"domain": "general", "context": [], "response1": "a",
                  "response2": "b", "overall_preference": "A"})"));
            }),
            "overall_preference: expected an integer from -3 to 3, got \"A\"");
}

TEST(FromPrmBench, StepsAndLabels) {
  const DataSample sample = RoundTrip(FromPrmBench(Json::parse(R"({"idx": 12, "original_question": "1+1+1?",
      "modified_question": "1+1+1?", "original_process": ["1+1=2", "2+1=3"],
      "modified_process": ["1+1=2", "2+1=4", "So 4."], "modified_steps": [2, 3], "error_steps": [2, 3],
      "reason": "arithmetic", "classification": "counterfactual"})")));
  EXPECT_EQ(sample.unique_id, "prmbench/counterfactual/12");
  EXPECT_EQ(sample.source, "hitsmy/PRMBench_Preview:counterfactual");
  EXPECT_EQ(sample.task_category, "process");
  ASSERT_EQ(sample.input.size(), 1u);
  EXPECT_EQ(sample.input[0].content, "1+1+1?");
  ASSERT_EQ(sample.output.size(), 1u);
  EXPECT_EQ(sample.output[0].answer.content, "1+1=2\n2+1=4\nSo 4.");
  EXPECT_EQ(sample.output[0].answer.label, Json({{"correct", false}}));
  ASSERT_TRUE(sample.output[0].steps.has_value());
  const std::vector<Step>& steps = *sample.output[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[1].content, "2+1=4");
  EXPECT_EQ(steps[1].role, "assistant");
  EXPECT_EQ(steps[0].label, Json({{"correct", true}}));
  EXPECT_EQ(steps[1].label, Json({{"correct", false}}));
  EXPECT_EQ(steps[2].label, Json({{"correct", false}}));
  EXPECT_EQ(sample.metadata["error_steps"], Json::parse("[2, 3]"));
  EXPECT_EQ(sample.metadata["original_question"], "1+1+1?");
  EXPECT_FALSE(sample.metadata.contains("modified_process"));
}

TEST(FromPrmBench, OriginalQuestionWithoutAModifiedOne) {
  const DataSample sample = FromPrmBench(Json::parse(R"({"idx": "a7", "original_question": "q",
      "modified_process": ["s"], "error_steps": [], "classification": "redundancy"})"));
  EXPECT_EQ(sample.unique_id, "prmbench/redundancy/a7");
  EXPECT_EQ(sample.input[0].content, "q");
  EXPECT_EQ(sample.output[0].answer.label, Json({{"correct", true}}));
  EXPECT_EQ((*sample.output[0].steps)[0].label, Json({{"correct", true}}));
}

TEST(FromPrmBench, ErrorsNameTheField) {
  EXPECT_EQ(SchemaErrorOf([] {
              FromPrmBench(Json::parse(R"({"idx": 1, "original_question": "q", "modified_process": ["a", "b"],
                  "error_steps": [1, 3], "classification": "c"})"));
            }),
            "error_steps[1]: expected a step number from 1 to 2, got 3");
  EXPECT_EQ(SchemaErrorOf([] {
              FromPrmBench(Json::parse(R"({"idx": 1, "original_question": "q", "modified_process": ["a", 2],
                  "error_steps": [], "classification": "c"})"));
            }),
            "modified_process[1]: expected a string");
  EXPECT_EQ(SchemaErrorOf([] {
              FromPrmBench(Json::parse(R"({"idx": 1, "original_question": "q", "modified_process": "a",
                  "error_steps": [], "classification": "c"})"));
            }),
            "modified_process: expected an array of strings");
}

TEST(FromChatMessages, LastAssistantMessageIsTheOutput) {
  const Json record = Json::parse(R"({"messages": [{"role": "system", "content": "Be brief."},
      {"role": "user", "content": "Capital of France?"}, {"role": "assistant", "content": "Paris."}],
      "lang": "en"})");
  const DataSample sample = RoundTrip(FromChatMessages(record));
  EXPECT_EQ(sample.unique_id, "chat_message/" + ContentKey({record["messages"].dump()}));
  EXPECT_EQ(sample.task_category, "chat");
  ASSERT_EQ(sample.input.size(), 2u);
  EXPECT_EQ(sample.input[0].role, "system");
  EXPECT_EQ(sample.input[1].content, "Capital of France?");
  ASSERT_EQ(sample.output.size(), 1u);
  EXPECT_EQ(sample.output[0].answer.role, "assistant");
  EXPECT_EQ(sample.output[0].answer.content, "Paris.");
  EXPECT_EQ(sample.metadata, Json({{"lang", "en"}}));
  const DataSample with_id = FromChatMessages(Json::parse(
      R"({"id": 5, "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hey"}]})"));
  EXPECT_EQ(with_id.unique_id, "chat_message/5");
}

TEST(FromChatMessages, ErrorsNameTheField) {
  EXPECT_EQ(SchemaErrorOf([] {
              FromChatMessages(Json::parse(R"({"messages": [{"role": "assistant", "content": "a"},
                  {"role": "user", "content": "b"}]})"));
            }),
            "messages: expected the last message to be the assistant's");
  EXPECT_EQ(SchemaErrorOf([] { FromChatMessages(Json::parse(R"({"messages": []})")); }),
            "messages: expected the last message to be the assistant's");
  EXPECT_EQ(SchemaErrorOf([] { FromChatMessages(Json::parse(R"({"conversation": []})")); }), "messages: missing");
}

}  // namespace
}  // namespace rmg::bench
