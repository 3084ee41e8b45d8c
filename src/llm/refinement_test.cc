// LLMRefinement against the scripted OpenAI-compatible server: real HTTP on loopback.
#include "rmg/refinement.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "llm/testing/scripted_server.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

using llm::testing::ScriptedServer;

// Critiques each answer by its length, so the feedback of output[0] is known.
class LengthCritic final : public PointwiseReward {
 public:
  LengthCritic() : PointwiseReward("length_critic") {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    RewardResult result;
    const std::string length = std::to_string(output.answer.content.size());
    result.details.push_back({name(), 0.5, "answer of " + length + " characters: explain the steps", nullptr});
    return result;
  }
};

// A reward that writes no detail at all.
class SilentReward final : public ListwiseReward {
 public:
  SilentReward() : ListwiseReward("silent") {}
  RankResult EvaluateList(const DataSample&, const Deadline&) const override { return {}; }
};

// A reward whose unit fails (as a judge whose endpoint is down): the evaluator turns
// the throw into an error detail whose reason is the message.
class FailingCritic final : public PointwiseReward {
 public:
  FailingCritic() : PointwiseReward("failing_critic") {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput&, const Deadline&) const override {
    throw std::runtime_error("http_error: HTTP 500 from http://judge.internal/v1/chat/completions");
  }
};

// Needs a reference on the answer's label, as bleu does: the answers refinement
// appends have none, so their units fail while output[0]'s is scored.
class ReferenceCritic final : public PointwiseReward {
 public:
  ReferenceCritic() : PointwiseReward("reference_critic") {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    if (!output.answer.label.is_object() || !output.answer.label.contains("reference")) {
      throw std::invalid_argument("no reference text in answer.label.reference");
    }
    RewardResult result;
    result.details.push_back({name(), 0.3, "close to the reference, but the steps are missing", nullptr});
    return result;
  }
};

ChatClientOptions ClientOptions(const ScriptedServer& server) {
  ChatClientOptions options;
  options.base_url = server.base_url();
  options.api_key = "test-key";
  options.timeout_seconds = 10;
  options.max_retries = 0;
  return options;
}

RefinementOptions Options(int iterations) {
  RefinementOptions options;
  options.max_iterations = iterations;
  options.request_fields = Json{{"model", "refiner"}, {"temperature", 0.0}};
  return options;
}

DataSample OneDraft() {
  return ParseDataSample(
      R"({"unique_id": "q1", "input": [{"role": "user", "content": "What is 6 times 7?"}],)"
      R"( "output": [{"answer": {"role": "assistant", "content": "42"}}]})");
}

// The content of the last message of a request body the server received.
std::string LastMessage(const Json& body) { return body["messages"].back()["content"].get<std::string>(); }

TEST(RefinementTest, EachIterationSendsTheFeedbackOfTheFirstAnswer) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array()}, {"default_reply", "<think>hmm</think>\n6 x 7 = 42.\n"}});
  ChatClient client(ClientOptions(*server));
  const DataSample sample = OneDraft();
  const RefinementResult result = Refine(LengthCritic(), client, sample, Options(3));
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.llm_calls, 3u);

  const std::vector<Json> requests = server->Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const Json& body : requests) {
    EXPECT_EQ(body["model"], "refiner");
    ASSERT_EQ(body["messages"].size(), 2u);
    EXPECT_EQ(body["messages"][0]["content"], "You are a helpful assistant.");
    // "42" has 2 characters; output[0] stays the critiqued answer in every iteration.
    EXPECT_NE(LastMessage(body).find("answer of 2 characters: explain the steps"), std::string::npos);
    EXPECT_NE(LastMessage(body).find("<user>What is 6 times 7?</user>"), std::string::npos);
  }
  // The second prompt shows the first refinement, thinking removed, as response 2.
  EXPECT_NE(LastMessage(requests[1]).find("<response_2>\n6 x 7 = 42.\n</response_2>"), std::string::npos)
      << LastMessage(requests[1]);
  EXPECT_EQ(LastMessage(requests[2]).find("<response_4>"), std::string::npos);

  ASSERT_EQ(result.sample.output.size(), 4u);
  EXPECT_EQ(result.sample.output[0].answer.content, "42");
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(result.sample.output[i].answer.content, "6 x 7 = 42.");
    EXPECT_EQ(result.sample.output[i].answer.role, "assistant");
    EXPECT_FALSE(result.sample.output[i].answer.reward.has_value());
  }
  EXPECT_FALSE(result.sample.output[0].answer.reward.has_value());
  EXPECT_EQ(sample.output.size(), 1u);  // the caller's sample is unchanged
}

// The judge's error message went to the LLM as its "evaluation"; a failed evaluation
// is no feedback, as in RM-Gallery.
TEST(RefinementTest, AFailedEvaluationGivesNoFeedback) {
  auto server = ScriptedServer::StartWithScript(Json{{"rules", Json::array()}, {"default_reply", "better"}});
  ChatClient client(ClientOptions(*server));
  const RefinementResult result = Refine(FailingCritic(), client, OneDraft(), Options(1));
  ASSERT_TRUE(result.ok()) << result.error;
  const std::vector<Json> requests = server->Requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string prompt = LastMessage(requests[0]);
  EXPECT_NE(prompt.find("# Evaluation\n" + std::string(kNoRefinementFeedback)), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find("judge.internal"), std::string::npos) << prompt;
}

// Only output[0]'s unit decides the feedback: the refinements' own failures do not
// take it away from the second iteration on.
TEST(RefinementTest, FailuresOfOtherAnswersKeepTheFirstAnswersFeedback) {
  auto server = ScriptedServer::StartWithScript(Json{{"rules", Json::array()}, {"default_reply", "better"}});
  ChatClient client(ClientOptions(*server));
  DataSample sample = OneDraft();
  sample.output[0].answer.label = Json{{"reference", "6 times 7 is 42"}};
  const RefinementResult result = Refine(ReferenceCritic(), client, sample, Options(3));
  ASSERT_TRUE(result.ok()) << result.error;
  const std::vector<Json> requests = server->Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const Json& body : requests) {
    EXPECT_NE(LastMessage(body).find("# Evaluation\nclose to the reference, but the steps are missing"),
              std::string::npos)
        << LastMessage(body);
  }
  // And a failed output[0] still gives none.
  server = ScriptedServer::StartWithScript(Json{{"rules", Json::array()}, {"default_reply", "better"}});
  ChatClient second_client(ClientOptions(*server));
  const RefinementResult unlabelled = Refine(ReferenceCritic(), second_client, OneDraft(), Options(2));
  ASSERT_TRUE(unlabelled.ok()) << unlabelled.error;
  for (const Json& body : server->Requests()) {
    EXPECT_NE(LastMessage(body).find("# Evaluation\n" + std::string(kNoRefinementFeedback)), std::string::npos);
  }
}

TEST(RefinementTest, AnEmptySampleFirstAsksWithItsInputAlone) {
  // Refinement prompts quote the question too, so their rule comes first.
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Json{{"match", "# Task"}, {"reply", "better"}},
                                  Json{{"match", "What is 6 times 7?"}, {"reply", "It is 42."}}})},
           {"default_reply", "unexpected"}});
  ChatClient client(ClientOptions(*server));
  DataSample sample = OneDraft();
  sample.output.clear();
  const RefinementResult result = Refine(SilentReward(), client, sample, Options(2));
  ASSERT_TRUE(result.ok()) << result.error;
  const std::vector<Json> requests = server->Requests();
  ASSERT_EQ(requests.size(), 3u);  // the first answer, then two iterations
  EXPECT_EQ(requests[0]["messages"], Json::array({Json{{"role", "user"}, {"content", "What is 6 times 7?"}}}));
  EXPECT_NE(LastMessage(requests[1]).find(std::string(kNoRefinementFeedback)), std::string::npos);
  EXPECT_NE(LastMessage(requests[1]).find("<response_1>\nIt is 42.\n</response_1>"), std::string::npos);
  ASSERT_EQ(result.sample.output.size(), 3u);
  EXPECT_EQ(result.sample.output[0].answer.content, "It is 42.");
  EXPECT_EQ(result.sample.output[2].answer.content, "better");
}

TEST(RefinementTest, AnLlmFailureIsReportedAndStopsOnlyThisSample) {
  // The second iteration's prompt shows response_2, and the server fails that one.
  auto server = ScriptedServer::StartWithScript(Json{
      {"rules", Json::array({Json{{"match", "<response_2>"}, {"reply", "never"}, {"faults", {"500", "500", "500"}}}})},
      {"default_reply", "fine"}});
  ChatClient client(ClientOptions(*server));
  const RefinementResult result = Refine(LengthCritic(), client, OneDraft(), Options(3));
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("iteration 2"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("http_error"), std::string::npos) << result.error;
  EXPECT_EQ(result.llm_calls, 2u);
  ASSERT_EQ(result.sample.output.size(), 2u);  // the draft and the first refinement
  EXPECT_EQ(result.sample.output[1].answer.content, "fine");
  // Another sample on the same client still goes through.
  EXPECT_TRUE(Refine(LengthCritic(), client, OneDraft(), Options(1)).ok());
}

TEST(RefinementTest, FeedbackIsTheFirstReasonOfTheFirstOutput) {
  DataSample scored = OneDraft();
  EXPECT_EQ(RefinementFeedback(scored), kNoRefinementFeedback);
  Reward& reward = MutableReward(scored.output[0].answer);
  reward.details.push_back({"a", 1.0, "", nullptr});
  EXPECT_EQ(RefinementFeedback(scored), kNoRefinementFeedback);
  reward.details.push_back({"b", 1.0, "first reason", nullptr});
  reward.details.push_back({"c", 1.0, "second reason", nullptr});
  EXPECT_EQ(RefinementFeedback(scored), "first reason");
  // A judge that failed stores {"error": ...} under its name (on the answer, or on the
  // last input message for a listwise judge): its reason is no feedback. Python's
  // LLMRefinement, which sees only the scored sample, relies on this.
  scored.output[0].answer.additional_kwargs = Json{{"b", {{"error", "error: http_error: HTTP 500"}}}};
  EXPECT_EQ(RefinementFeedback(scored), kNoRefinementFeedback);
  scored.output[0].answer.additional_kwargs = nullptr;
  scored.input.back().additional_kwargs = Json{{"b", {{"error", "error: unreadable reply"}}}};
  EXPECT_EQ(RefinementFeedback(scored), kNoRefinementFeedback);
}

TEST(RefinementTest, ThinkingIsRemovedFromReplies) {
  EXPECT_EQ(WithoutThinking("<think>draft <b>1</b></think>\n\nFinal."), "Final.");
  EXPECT_EQ(WithoutThinking("opened by the template</think>Answer"), "Answer");
  EXPECT_EQ(WithoutThinking("  plain answer \n"), "plain answer");
  EXPECT_EQ(WithoutThinking("<think>never finished"), "");
}

}  // namespace
}  // namespace rmg
