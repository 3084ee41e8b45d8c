#include "server/openrlhf.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "server/testing.h"

namespace rmg::server {
namespace {

// The status and field of the RequestError `body` raises.
std::pair<int, std::string> OpenRlhfErrorOf(const std::string& body) {
  testing::Refusal refusal = testing::RefusalOf(ParseOpenRlhfRequest, body);
  return {refusal.status, std::move(refusal.field)};
}

TEST(OpenRlhfTest, ParsesOpenRlhfsPayloadAndAnswersInItsShape) {
  const std::string prompt = "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n";
  const Json body = {{"query", {prompt + "4<|im_end|>", prompt + "5<|im_end|>"}},
                     {"prompts", {prompt, prompt}},
                     {"labels", {"4", "4"}}};
  const OpenRlhfBatch batch = ParseOpenRlhfRequest(body.dump());
  ASSERT_EQ(batch.queries.size(), 2u);
  std::vector<DataSample> samples = OpenRlhfSamples(batch);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[1].unique_id, "openrlhf-1");
  ASSERT_EQ(samples[0].input.size(), 1u);
  EXPECT_EQ(samples[0].input[0].role, "user");
  EXPECT_EQ(samples[0].input[0].content, prompt);
  ASSERT_EQ(samples[0].output.size(), 1u);
  const Step& answer = samples[0].output[0].answer;
  EXPECT_EQ(answer.role, "assistant");
  EXPECT_EQ(answer.content, "4<|im_end|>");
  EXPECT_EQ(answer.label, Json({{"reference", "4"}}));

  // As a reward would leave them: two details on the first, one on the second. A detail
  // without a score (a listwise rank) is no column.
  Reward& first = MutableReward(samples[0].output[0].answer);
  first.details = {{"accuracy", 1.0, "", nullptr}, {"format", 0.5, "", nullptr}, {"rank", std::nullopt, "", nullptr}};
  RecomputeScore(first);
  Reward& second = MutableReward(samples[1].output[0].answer);
  second.details = {{"format", 0.0, "", nullptr}};
  RecomputeScore(second);

  // The second sample's 0 is a failed unit's, not a verdict: rmg_failed says so.
  const Json response = OpenRlhfResponse(samples, {0, 1});
  EXPECT_EQ(response.dump(), R"({"rewards":[0.75,0.0],"scores":[0.75,0.0],)"
                             R"("extra_logs":{"accuracy":[1.0,0.0],"format":[0.5,0.0],"rmg_failed":[0.0,1.0]}})");
}

TEST(OpenRlhfTest, OlderClientsSendQueriesOnly) {
  for (const char* body : {R"({"query": ["a", "b"]})", R"({"query": ["a", "b"], "prompts": null, "labels": null})"}) {
    const OpenRlhfBatch batch = ParseOpenRlhfRequest(body);
    EXPECT_TRUE(batch.prompts.empty());
    EXPECT_TRUE(batch.labels.empty());
    const std::vector<DataSample> samples = OpenRlhfSamples(batch);
    ASSERT_EQ(samples.size(), 2u);
    EXPECT_TRUE(samples[0].input.empty()) << "no prompt, no input message";
    EXPECT_EQ(samples[1].output[0].answer.content, "b");
    EXPECT_TRUE(samples[1].output[0].answer.label.is_null());
  }
}

TEST(OpenRlhfTest, ResponseTextStripsOnlyAMatchingPrompt) {
  EXPECT_EQ(ResponseText("<s>Q: hi\nA: hello", "<s>Q: hi\nA: "), "hello");
  EXPECT_EQ(ResponseText("Q: hi\nA: hello", "<s>Q: hi\nA: "), "Q: hi\nA: hello");
  EXPECT_EQ(ResponseText("same", "same"), "");
  EXPECT_EQ(ResponseText("anything", ""), "anything");
}

TEST(OpenRlhfTest, LabelsMayBeNumbersOrNull) {
  const OpenRlhfBatch batch =
      ParseOpenRlhfRequest(R"({"query": ["a", "b", "c", "d"], "labels": [42, 0.5, null, "x"]})");
  ASSERT_EQ(batch.labels.size(), 4u);
  EXPECT_EQ(batch.labels[0], "42");
  EXPECT_EQ(batch.labels[1], "0.5");
  EXPECT_EQ(batch.labels[2], std::nullopt);
  EXPECT_EQ(batch.labels[3], "x");
  const std::vector<DataSample> samples = OpenRlhfSamples(batch);
  EXPECT_EQ(samples[0].output[0].answer.label, Json({{"reference", "42"}}));
  EXPECT_TRUE(samples[2].output[0].answer.label.is_null());
}

TEST(OpenRlhfTest, EmptyListsGiveAnEmptyAnswer) {
  const OpenRlhfBatch batch = ParseOpenRlhfRequest(R"({"query": [], "prompts": [], "labels": []})");
  EXPECT_TRUE(OpenRlhfSamples(batch).empty());
  EXPECT_EQ(OpenRlhfResponse({}, {}).dump(), R"({"rewards":[],"scores":[],"extra_logs":{"rmg_failed":[]}})");
}

TEST(OpenRlhfTest, NamesTheFieldAtFault) {
  EXPECT_EQ(OpenRlhfErrorOf(R"({"prompts": []})"), std::make_pair(422, std::string("query")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": "a"})"), std::make_pair(422, std::string("query")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": ["a", 7]})"), std::make_pair(422, std::string("query[1]")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": ["a", "b"], "prompts": ["a"]})"), std::make_pair(422, std::string("prompts")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": ["a"], "prompts": [null]})"), std::make_pair(422, std::string("prompts[0]")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": ["a"], "labels": ["x", "y"]})"), std::make_pair(422, std::string("labels")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": ["a"], "labels": [[1]]})"), std::make_pair(422, std::string("labels[0]")));
  EXPECT_EQ(OpenRlhfErrorOf(R"(["query"])"), std::make_pair(400, std::string("body")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": ["a"])"), std::make_pair(400, std::string("body")));
  EXPECT_EQ(OpenRlhfErrorOf(""), std::make_pair(400, std::string("body")));
}

TEST(OpenRlhfTest, MessageSaysWhereAndWhat) {
  const std::string body = R"({"query": ["a", "b", "c", "d", "e", "f", "g", null]})";
  EXPECT_EQ(testing::RefusalOf(ParseOpenRlhfRequest, body).message, "query[7]: expected a string, got null");
  const RequestError error(422, "query[7]", "expected a string, got null");
  EXPECT_EQ(RequestErrorBody(error).dump(),
            R"({"error":{"message":"query[7]: expected a string, got null","field":"query[7]"}})");
}

TEST(OpenRlhfTest, RejectsHostileBodiesWithoutCrashing) {
  // Deep enough to overflow a recursive parser's stack.
  EXPECT_EQ(OpenRlhfErrorOf(std::string(1000000, '[')), std::make_pair(400, std::string("body")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": [)" + std::string(100000, '{') + "]}"), std::make_pair(400, std::string("body")));
  // Invalid UTF-8 inside a string.
  EXPECT_EQ(OpenRlhfErrorOf("{\"query\": [\"\xff\xfe\"]}"), std::make_pair(400, std::string("body")));
  // Numbers beyond a double's range, however long, are not JSON the parser accepts.
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": [)" + std::string(1000000, '9') + "]}"), std::make_pair(400, std::string("body")));
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": ["a"], "labels": [1e999]})"), std::make_pair(400, std::string("body")));
  // Long numbers within range are numbers.
  EXPECT_EQ(OpenRlhfErrorOf(R"({"query": [0.)" + std::string(100000, '1') + "]}"),
            std::make_pair(422, std::string("query[0]")));
}

TEST(OpenRlhfTest, BracketsInsideStringsAreNotNesting) {
  const std::string deep_text(10000, '[');
  const OpenRlhfBatch batch = ParseOpenRlhfRequest(Json{{"query", {deep_text + "\\\"" + "{"}}}.dump());
  ASSERT_EQ(batch.queries.size(), 1u);
  EXPECT_EQ(batch.queries[0], deep_text + "\\\"{");
}

}  // namespace
}  // namespace rmg::server
