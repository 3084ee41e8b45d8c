// JudgeReward against the scripted OpenAI-compatible server on loopback, through a
// small JudgeFormat of the test's own, so that what is checked is JudgeReward's part:
// the fan-out into calls, the request bodies, mapping verdicts back, the attempt
// budget, error reasons, the cache and the asynchronous completion.
#include "llm/judge_reward.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "core/testing/temp_dir.h"
#include "llm/testing/scripted_server.h"
#include "rmg/evaluator.h"
#include "rmg/sample_io.h"

namespace rmg::llm {
namespace {

using testing::ScriptedServer;

// Prompt: "judge <uid> thinking=<0|1>:[answer][answer]...". Reply: "scores:s1,s2,...|reason",
// one score per answer shown, in the order shown; without "|" the reason is the thinking.
class JudgeRewardScriptFormat final : public JudgeFormat {
 public:
  explicit JudgeRewardScriptFormat(RewardFamily family, std::string rejected_marker = "")
      : family_(family), rejected_marker_(std::move(rejected_marker)) {}

  RewardFamily family() const override { return family_; }

  std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>& shown,
                     bool enable_thinking) const override {
    std::string prompt = "judge " + sample.unique_id + " thinking=" + (enable_thinking ? "1" : "0") + ":";
    for (const DataOutput* output : shown) {
      if (output->answer.content == "UNPROMPTABLE") throw std::runtime_error("cannot show UNPROMPTABLE");
      prompt += "[" + output->answer.content + "]";
    }
    return prompt;
  }

  std::optional<std::string> Read(const JudgeReply& reply, size_t shown_count, Verdict* verdict) const override {
    std::string text = reply.answer;
    if (!rejected_marker_.empty() && text.find(rejected_marker_) != std::string::npos) {
      return "the reply is marked " + rejected_marker_;
    }
    const size_t at = text.find("scores:");
    if (at == std::string::npos) return std::string("no scores: line");
    text = text.substr(at + 7);
    std::string reason = reply.thinking;
    if (const size_t bar = text.find('|'); bar != std::string::npos) {
      reason = text.substr(bar + 1);
      text = text.substr(0, bar);
    }
    std::vector<double> scores;
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      scores.push_back(std::strtod(text.substr(start, comma - start).c_str(), nullptr));
      start = comma + 1;
    }
    if (scores.size() != shown_count) {
      return "expected " + std::to_string(shown_count) + " scores, got " + std::to_string(scores.size());
    }
    verdict->scores = std::move(scores);
    verdict->reason = reason;
    return std::nullopt;
  }

 private:
  RewardFamily family_;
  std::string rejected_marker_;
};

// Breaks the format contract: one score however many outputs were shown.
class JudgeRewardShortVerdictFormat final : public JudgeFormat {
 public:
  RewardFamily family() const override { return RewardFamily::kListwise; }
  std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>&, bool) const override {
    return "short verdict for " + sample.unique_id;
  }
  std::optional<std::string> Read(const JudgeReply&, size_t, Verdict* verdict) const override {
    verdict->scores = {1.0};
    verdict->reason = "one score only";
    return std::nullopt;
  }
};

DataSample JudgeRewardSample(const std::string& id, const std::vector<std::string>& answers) {
  Json sample{{"unique_id", id},
              {"input", Json::array({Json{{"role", "system"}, {"content", "sys"}},
                                     Json{{"role", "user"}, {"content", "question"}}})}};
  sample["output"] = Json::array();
  for (const std::string& answer : answers) {
    sample["output"].push_back(Json{{"answer", Json{{"role", "assistant"}, {"content", answer}}}});
  }
  return ParseDataSample(sample.dump());
}

// A rule of the server's script.
Json JudgeRewardRule(const std::string& match, const std::string& reply, std::vector<std::string> faults = {}) {
  Json rule{{"match", match}, {"reply", reply}};
  if (!faults.empty()) rule["faults"] = faults;
  return rule;
}

// Settings for a server at `base_url`; the back-off is short so retried faults do not slow the tests.
LlmSettings JudgeRewardSettingsFor(const std::string& base_url, int max_retries) {
  LlmSettings settings;
  settings.client.base_url = base_url;
  settings.client.api_key = "judge-reward-key";
  settings.client.max_retries = max_retries;
  settings.client.timeout_seconds = 10;
  settings.client.backoff_base_seconds = 0.01;
  settings.client.backoff_max_seconds = 0.05;
  settings.model = "judge-reward-model";
  settings.max_tokens = 77;
  settings.system_prompt = "be fair";
  return settings;
}

class JudgeRewardTest : public ::testing::Test {
 protected:
  void TearDown() override { server_.reset(); }

  void StartServer(const Json& script) { server_ = ScriptedServer::StartWithScript(script); }

  // Scores `count` samples of `outputs` with a judge of `family` whose client sends
  // `concurrency` requests at once, to an endpoint that gives `reply` after 100 ms,
  // with `timeout_seconds` per sample. Returns the units that failed.
  size_t FailedUnitsBehindTheLimit(RewardFamily family, const std::string& reply, int concurrency, int count,
                                   const std::vector<std::string>& outputs, double timeout_seconds) {
    server_ =
        ScriptedServer::StartWithScript({{"rules", Json::array()}, {"default_reply", reply}}, {"--latency-ms", "100"});
    LlmSettings settings = Settings();
    settings.client.concurrency = concurrency;
    auto reward = Make(family, settings);
    EXPECT_EQ(reward->requests_in_flight(), static_cast<size_t>(concurrency));
    std::vector<DataSample> samples;
    for (int i = 0; i < count; ++i) samples.push_back(JudgeRewardSample("s-" + std::to_string(i), outputs));
    EvalOptions options;
    options.timeout_seconds = timeout_seconds;
    EvalStats stats;
    EvaluateBatch(*reward, samples, options, &stats);
    return stats.failed_units;
  }

  LlmSettings Settings(int max_retries = 2) const {
    return JudgeRewardSettingsFor(server_ ? server_->base_url() : "http://127.0.0.1:9/v1", max_retries);
  }

  std::unique_ptr<JudgeReward> Make(RewardFamily family, LlmSettings settings, JudgeOptions options = {},
                                    std::string rejected_marker = "") const {
    return std::make_unique<JudgeReward>("jr", std::make_unique<JudgeRewardScriptFormat>(family, rejected_marker),
                                         std::move(settings), options);
  }

  std::string CachePath() const { return dir_.Path("cache.sqlite"); }

  TempTestDir dir_;
  std::unique_ptr<ScriptedServer> server_;
};

const RewardDetail& JudgeRewardOnlyDetail(const DataSample& sample, size_t output) {
  const auto& reward = sample.output.at(output).answer.reward;
  EXPECT_TRUE(reward.has_value()) << "output " << output;
  EXPECT_EQ(reward->details.size(), 1u) << "output " << output;
  return reward->details.at(0);
}

TEST(JudgeRewardSplitTest, PlainContentIsAllAnswer) {
  ChatReply reply;
  reply.content = "  <best>2</best>\n";
  const JudgeReply split = SplitReply(reply);
  EXPECT_EQ(split.answer, "  <best>2</best>\n");
  EXPECT_EQ(split.thinking, "");
  EXPECT_EQ(split.raw, "  <best>2</best>\n");
}

TEST(JudgeRewardSplitTest, LeadingThinkBlockIsKeptApart) {
  ChatReply reply;
  reply.content = "\n<think>maybe <best>1</best>?</think>\n<best>2</best>";
  const JudgeReply split = SplitReply(reply);
  EXPECT_EQ(split.thinking, "maybe <best>1</best>?");
  EXPECT_EQ(split.answer.find("<best>1</best>"), std::string::npos) << split.answer;
  EXPECT_NE(split.answer.find("<best>2</best>"), std::string::npos) << split.answer;
  EXPECT_EQ(split.raw, reply.content);
}

TEST(JudgeRewardSplitTest, ReasoningContentComesBeforeInlineThinking) {
  ChatReply reply;
  reply.reasoning_content = "channel thoughts";
  reply.content = "<think>inline thoughts</think>verdict";
  JudgeReply split = SplitReply(reply);
  EXPECT_EQ(split.thinking, "channel thoughts\ninline thoughts");
  EXPECT_EQ(split.answer, "verdict");

  reply.content = "verdict only";
  split = SplitReply(reply);
  EXPECT_EQ(split.thinking, "channel thoughts");
  EXPECT_EQ(split.answer, "verdict only");
  EXPECT_EQ(split.raw, "verdict only");
}

TEST(JudgeRewardSplitTest, UnclosedThinkLeavesNoAnswer) {
  ChatReply reply;
  reply.content = "<think>ran out of tokens <best>1</best>";
  const JudgeReply split = SplitReply(reply);
  EXPECT_EQ(split.answer, "");
  EXPECT_NE(split.thinking.find("ran out of tokens"), std::string::npos);
  EXPECT_EQ(split.raw, reply.content);
}

TEST_F(JudgeRewardTest, FamilyAndAsyncnessComeFromTheFormat) {
  for (RewardFamily family : {RewardFamily::kPointwise, RewardFamily::kPairwise, RewardFamily::kListwise}) {
    auto reward = Make(family, Settings());
    EXPECT_EQ(reward->family(), family);
    EXPECT_TRUE(reward->is_async());
    EXPECT_EQ(reward->name(), "jr");
  }
}

TEST_F(JudgeRewardTest, PointwisePromptsOnePerOutputInOrder) {
  auto reward = Make(RewardFamily::kPointwise, Settings());
  EXPECT_EQ(reward->Prompts(JudgeRewardSample("p", {"a", "b", "c"})),
            (std::vector<std::string>{"judge p thinking=0:[a]", "judge p thinking=0:[b]", "judge p thinking=0:[c]"}));
}

TEST_F(JudgeRewardTest, PairwisePromptsAskEachPairInBothOrdersAdjacently) {
  auto reward = Make(RewardFamily::kPairwise, Settings());
  EXPECT_EQ(reward->Prompts(JudgeRewardSample("w", {"a", "b", "c"})),
            (std::vector<std::string>{"judge w thinking=0:[a][b]", "judge w thinking=0:[b][a]",
                                      "judge w thinking=0:[a][c]", "judge w thinking=0:[c][a]",
                                      "judge w thinking=0:[b][c]", "judge w thinking=0:[c][b]"}));
  JudgeOptions one_order;
  one_order.both_orders = false;
  auto single = Make(RewardFamily::kPairwise, Settings(), one_order);
  EXPECT_EQ(single->Prompts(JudgeRewardSample("w", {"a", "b", "c"})),
            (std::vector<std::string>{"judge w thinking=0:[a][b]", "judge w thinking=0:[a][c]",
                                      "judge w thinking=0:[b][c]"}));
}

// The order is part of the cache key, so it must not change across builds: these
// orders were computed independently from the documented FNV-1a + splitmix64 scheme.
TEST_F(JudgeRewardTest, ListwiseShuffleIsSeededByIdAndSeed) {
  const DataSample sample = JudgeRewardSample("shuffle-golden", {"a", "b", "c", "d", "e"});
  auto seeded = Make(RewardFamily::kListwise, Settings());
  EXPECT_EQ(seeded->Prompts(sample), (std::vector<std::string>{"judge shuffle-golden thinking=0:[c][a][d][e][b]"}));
  EXPECT_EQ(seeded->Prompts(sample), seeded->Prompts(sample));

  JudgeOptions seven;
  seven.seed = 7;
  EXPECT_EQ(Make(RewardFamily::kListwise, Settings(), seven)->Prompts(sample),
            (std::vector<std::string>{"judge shuffle-golden thinking=0:[e][b][c][d][a]"}));

  DataSample other_id = sample;
  other_id.unique_id = "mjl";
  EXPECT_EQ(seeded->Prompts(other_id), (std::vector<std::string>{"judge mjl thinking=0:[a][c][b][e][d]"}));

  JudgeOptions unshuffled;
  unshuffled.shuffle = false;
  EXPECT_EQ(Make(RewardFamily::kListwise, Settings(), unshuffled)->Prompts(sample),
            (std::vector<std::string>{"judge shuffle-golden thinking=0:[a][b][c][d][e]"}));
}

TEST_F(JudgeRewardTest, NoUnitsMeansNoPrompts) {
  const DataSample empty = JudgeRewardSample("e", {});
  for (RewardFamily family : {RewardFamily::kPointwise, RewardFamily::kPairwise, RewardFamily::kListwise}) {
    EXPECT_TRUE(Make(family, Settings())->Prompts(empty).empty());
  }
  EXPECT_TRUE(Make(RewardFamily::kPairwise, Settings())->Prompts(JudgeRewardSample("one", {"a"})).empty());
  EXPECT_EQ(Make(RewardFamily::kListwise, Settings())->Prompts(JudgeRewardSample("one", {"a"})),
            (std::vector<std::string>{"judge one thinking=0:[a]"}));
}

TEST_F(JudgeRewardTest, EnableThinkingReachesTheFormat) {
  LlmSettings settings = Settings();
  settings.enable_thinking = true;
  EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Prompts(JudgeRewardSample("t", {"a"})),
            (std::vector<std::string>{"judge t thinking=1:[a]"}));
}

TEST_F(JudgeRewardTest, PointwiseSendsTheSettingsBodyAndWritesEachOutput) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[good]", "scores:0.75|fine"),
                                      JudgeRewardRule("[bad]", "noise before scores:0.25|poor")})}});
  LlmSettings settings = Settings();
  settings.extra_body = Json{{"top_p", 0.5}};
  auto reward = Make(RewardFamily::kPointwise, settings);
  DataSample sample = JudgeRewardSample("pw", {"good", "bad"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 0u);

  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).name, "jr");
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).score, 0.75);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason, "fine");
  EXPECT_EQ(sample.output[0].answer.reward->score, 0.75);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 1).score, 0.25);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 1).reason, "poor");
  EXPECT_EQ(sample.output[0].answer.additional_kwargs["jr"], (Json{{"prompt", "judge pw thinking=0:[good]"}}));
  EXPECT_EQ(sample.output[1].answer.additional_kwargs["jr"], (Json{{"prompt", "judge pw thinking=0:[bad]"}}));

  // Pointwise calls run concurrently, so match the bodies by their prompt.
  std::vector<Json> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const std::string prompt : {"judge pw thinking=0:[good]", "judge pw thinking=0:[bad]"}) {
    const Json expected = ChatRequestBody(settings, prompt);
    EXPECT_TRUE(requests[0] == expected || requests[1] == expected) << expected.dump();
  }
  EXPECT_EQ(requests[0]["model"], "judge-reward-model");
  EXPECT_EQ(requests[0]["max_tokens"], 77);
  EXPECT_EQ(requests[0]["top_p"], 0.5);
  EXPECT_EQ(requests[0]["messages"][0], (Json{{"role", "system"}, {"content", "be fair"}}));
}

// A judge whose scores are the positions it saw: output i ends with 1 + the position
// it was shown at, so a wrong mapping back shows up as a permutation.
TEST_F(JudgeRewardTest, ListwiseVerdictIsMappedBackThroughTheShuffle) {
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:1,2,3,4,5|by position"}});
  auto reward = Make(RewardFamily::kListwise, Settings());
  DataSample sample = JudgeRewardSample("shuffle-golden", {"a", "b", "c", "d", "e"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 0u);
  // Shown as [c][a][d][e][b].
  const std::vector<double> expected = {2, 5, 1, 3, 4};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).score, expected[i]) << "output " << i;
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).reason, "by position");
  }
  EXPECT_EQ(sample.input.back().additional_kwargs["jr"],
            (Json{{"prompt", "judge shuffle-golden thinking=0:[c][a][d][e][b]"}}));
  EXPECT_FALSE(sample.output[0].answer.additional_kwargs.is_object() &&
               sample.output[0].answer.additional_kwargs.contains("jr"));
  EXPECT_EQ(server_->Requests().size(), 1u);
}

// The evaluator started up to 1,024 samples at once: those beyond the judge's
// concurrency waited for a request while their deadlines ran, and a healthy endpoint
// timed them out (40 samples at 2 requests at once and 100 ms each need 2 s).
TEST_F(JudgeRewardTest, SamplesWaitingForTheConcurrencyLimitDoNotTimeOut) {
  EXPECT_EQ(FailedUnitsBehindTheLimit(RewardFamily::kListwise, "scores:1,2|ok", 2, 40, {"a", "b"}, 1.0), 0u);
  EXPECT_EQ(server_->Requests().size(), 40u);
}

// The evaluator kept `concurrency` samples in flight, however many requests each sends
// at once: samples of four outputs queued four times what the client sends, and a
// healthy endpoint timed them out (4 outputs at 4 requests at once, 100 ms each, need
// 0.1 s per sample; queued behind three others, 0.4 s).
TEST_F(JudgeRewardTest, SamplesOfManyRequestsDoNotQueueBehindEachOther) {
  EXPECT_EQ(FailedUnitsBehindTheLimit(RewardFamily::kPointwise, "scores:1|ok", 4, 8, {"a", "b", "c", "d"}, 0.3), 0u);
  EXPECT_EQ(server_->Requests().size(), 32u);
}

// A reason is copied into every output's detail: a 4 MB one made records of hundreds
// of megabytes. What a detail keeps of it is bounded.
TEST_F(JudgeRewardTest, ALongReasonIsCutShortInEachDetail) {
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:1,2,3|" + std::string(100000, 'r') + "\nend"}});
  auto reward = Make(RewardFamily::kListwise, Settings());
  DataSample sample = JudgeRewardSample("long", {"a", "b", "c"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 0u);
  for (size_t i = 0; i < 3; ++i) {
    const std::string& reason = JudgeRewardOnlyDetail(sample, i).reason;
    EXPECT_LE(reason.size(), 16u * 1024 + 64) << i;
    EXPECT_EQ(reason.rfind("rrrr", 0), 0u);
    EXPECT_NE(reason.find("100004 bytes"), std::string::npos) << reason.substr(reason.size() - 40);
  }
}

TEST_F(JudgeRewardTest, RequestsAtOnceCountTheCallsOfASample) {
  const DataSample three = JudgeRewardSample("r", {"a", "b", "c"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, Settings())->requests_at_once(three), 3u);
  EXPECT_EQ(Make(RewardFamily::kListwise, Settings())->requests_at_once(three), 1u);
  EXPECT_EQ(Make(RewardFamily::kPairwise, Settings())->requests_at_once(three), 6u);
  JudgeOptions one_order;
  one_order.both_orders = false;
  EXPECT_EQ(Make(RewardFamily::kPairwise, Settings(), one_order)->requests_at_once(three), 3u);
  EXPECT_EQ(Make(RewardFamily::kPairwise, Settings())->requests_at_once(JudgeRewardSample("e", {})), 0u);
  for (RewardFamily family : {RewardFamily::kPointwise, RewardFamily::kPairwise, RewardFamily::kListwise}) {
    auto reward = Make(family, Settings());
    EXPECT_EQ(reward->requests_at_once(three), reward->Prompts(three).size());
  }
}

TEST_F(JudgeRewardTest, PairwiseBothOrdersAverageAndLabelTheReasons) {
  // Always prefers the answer shown first: both orders cancel that out.
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:1,0|first"}});
  auto reward = Make(RewardFamily::kPairwise, Settings());
  DataSample sample = JudgeRewardSample("pb", {"a", "b", "c"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 0u);
  EXPECT_EQ(server_->Requests().size(), 6u);
  for (size_t i = 0; i < 3; ++i) {
    const Reward& result = *sample.output[i].answer.reward;
    ASSERT_EQ(result.details.size(), 2u) << i;
    for (const RewardDetail& detail : result.details) {
      EXPECT_EQ(detail.name, "jr");
      EXPECT_EQ(detail.score, 0.5);
      EXPECT_EQ(detail.reason, "[shown as A, B] first\n[shown as B, A] first");
    }
    EXPECT_EQ(result.score, 0.5);
  }
  // RM-Gallery's pairwise family drops extra_data.
  EXPECT_FALSE(sample.input.back().additional_kwargs.is_object() &&
               sample.input.back().additional_kwargs.contains("jr"));
}

TEST_F(JudgeRewardTest, PairwiseSingleOrderKeepsThePositionVerdicts) {
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:1,0|first"}});
  JudgeOptions one_order;
  one_order.both_orders = false;
  auto reward = Make(RewardFamily::kPairwise, Settings(), one_order);
  DataSample sample = JudgeRewardSample("ps", {"a", "b", "c"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 0u);
  EXPECT_EQ(server_->Requests().size(), 3u);
  EXPECT_EQ(sample.output[0].answer.reward->score, 1.0);
  EXPECT_EQ(sample.output[1].answer.reward->score, 0.5);
  EXPECT_EQ(sample.output[2].answer.reward->score, 0.0);
  EXPECT_EQ(sample.output[1].answer.reward->details[0].reason, "first");
}

TEST_F(JudgeRewardTest, PairwiseVerdictsAreMappedBackFromTheReversedOrder) {
  // The judge prefers "good" wherever it is shown, with different strengths per order.
  StartServer({{"rules", Json::array({JudgeRewardRule("[good][meh]", "scores:0.75,0.25|ab"),
                                      JudgeRewardRule("[meh][good]", "scores:0,1|ba")})}});
  auto reward = Make(RewardFamily::kPairwise, Settings());
  DataSample sample = JudgeRewardSample("pr", {"meh", "good"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 0u);
  EXPECT_DOUBLE_EQ(JudgeRewardOnlyDetail(sample, 0).score.value(), 0.125);
  EXPECT_DOUBLE_EQ(JudgeRewardOnlyDetail(sample, 1).score.value(), 0.875);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason, "[shown as A, B] ba\n[shown as B, A] ab");
}

TEST_F(JudgeRewardTest, PairwiseUnitFailsWhenEitherOrderFails) {
  StartServer(
      {{"rules", Json::array({JudgeRewardRule("[two][one]", "nonsense")})}, {"default_reply", "scores:1,0|ok"}});
  auto reward = Make(RewardFamily::kPairwise, Settings(/*max_retries=*/0));
  DataSample sample = JudgeRewardSample("pf", {"one", "two"});
  EvalContext context;
  context.error_score = -1;
  EXPECT_EQ(reward->Apply(sample, context), 1u);
  const std::string reason =
      "error: unreadable reply (no scores: line) after 1 attempts; the model replied: \"nonsense\"";
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).score, -1) << i;
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).reason, reason) << i;
    EXPECT_EQ(sample.output[i].answer.reward->score, -1);
  }
}

TEST_F(JudgeRewardTest, UnreadableReplyIsAskedAgainWithinTheBudget) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[x]", "scores:0.5|third time", {"notags", "notags"})})}});
  auto reward = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/2));
  DataSample sample = JudgeRewardSample("retry", {"x"});
  const ChatClientStats before = ChatClient::ProcessTotals();
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 0u);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).score, 0.5);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason, "third time");
  EXPECT_EQ(server_->Stats()["requests"], 3);
  // One request, asked again twice: the run summary read "3 requests, 0 retries".
  const ChatClientStats after = ChatClient::ProcessTotals();
  EXPECT_EQ(after.requests - before.requests, 1u);
  EXPECT_EQ(after.attempts - before.attempts, 3u);
  EXPECT_EQ(after.retries - before.retries, 2u);
  EXPECT_EQ(after.succeeded - before.succeeded, 1u);
  EXPECT_EQ(after.failed - before.failed, 0u);
}

TEST_F(JudgeRewardTest, UnreadableReplyFailsForGoodWithTheQuotedReply) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[x]", "scores:0.5", std::vector<std::string>(5, "notags"))})}});
  auto reward = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/1));
  DataSample sample = JudgeRewardSample("hopeless", {"x"});
  EvalContext context;
  context.error_score = -2.5;
  EXPECT_EQ(reward->Apply(sample, context), 1u);
  const std::string reason =
      "error: unreadable reply (no scores: line) after 2 attempts; the model replied: \"I cannot decide.\"";
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).name, "jr");
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).score, -2.5);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason, reason);
  // The extra data says what went wrong without the reason's "error: ", as RM-Gallery's does.
  EXPECT_EQ(sample.output[0].answer.additional_kwargs["jr"],
            (Json{{"error", reason.substr(7)}, {"prompt", "judge hopeless thinking=0:[x]"}}));
  EXPECT_EQ(server_->Stats()["requests"], 2);
}

// Unreadable for good: one failed request with one retry ("0 retries, 0 failed" before).
TEST_F(JudgeRewardTest, AnUnreadableReplyCountsAsAFailedRequestWithItsRetries) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[x]", "scores:0.5", std::vector<std::string>(5, "notags"))})}});
  auto reward = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/1));
  DataSample sample = JudgeRewardSample("counted", {"x"});
  const ChatClientStats before = ChatClient::ProcessTotals();
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 1u);
  const ChatClientStats after = ChatClient::ProcessTotals();
  EXPECT_EQ(after.requests - before.requests, 1u);
  EXPECT_EQ(after.retries - before.retries, 1u);
  EXPECT_EQ(after.succeeded - before.succeeded, 0u);
  EXPECT_EQ(after.failed - before.failed, 1u);
}

TEST_F(JudgeRewardTest, ReadersErrorMessageIsInTheReason) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[x]", "scores:1,2,3")})}});
  auto reward = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/0));
  DataSample sample = JudgeRewardSample("count", {"x"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 1u);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason,
            "error: unreadable reply (expected 1 scores, got 3) after 1 attempts; the model replied: \"scores:1,2,3\"");
}

// The quote is one line and at most 500 bytes, cut at a character boundary.
TEST_F(JudgeRewardTest, LongUnreadableReplyIsQuotedAsAnExcerpt) {
  std::string long_reply = "x\n\n";
  for (int i = 0; i < 300; ++i) long_reply += "\u00e9";  // 2 bytes each, from byte 3 on
  long_reply += "\n";
  ASSERT_EQ(long_reply.size(), 604u);
  StartServer({{"rules", Json::array({JudgeRewardRule("[x]", long_reply)})}});
  auto reward = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/0));
  DataSample sample = JudgeRewardSample("long", {"x"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 1u);
  // Byte 500 is the second byte of an \u00e9, so the cut falls one byte earlier.
  std::string quoted = "x  ";
  for (int i = 0; i < 248; ++i) quoted += "\u00e9";
  ASSERT_EQ(quoted.size(), 499u);
  quoted += "... (604 bytes)";
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason,
            "error: unreadable reply (no scores: line) after 1 attempts; the model replied: \"" + quoted + "\"");
}

TEST_F(JudgeRewardTest, TransportFaultsAndUnreadableRepliesShareOneBudget) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[short]", "scores:1|ok", {"500", "notags"}),
                                      JudgeRewardRule("[long]", "scores:1|ok", {"500", "notags"})})}});
  auto tight = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/1));
  DataSample short_budget = JudgeRewardSample("budget", {"short"});
  EXPECT_EQ(tight->Apply(short_budget, EvalContext{}), 1u);
  EXPECT_EQ(JudgeRewardOnlyDetail(short_budget, 0).reason,
            "error: unreadable reply (no scores: line) after 2 attempts; the model replied: \"I cannot decide.\"");
  EXPECT_EQ(server_->Stats()["requests"], 2);

  auto roomy = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/2));
  DataSample long_budget = JudgeRewardSample("budget", {"long"});
  EXPECT_EQ(roomy->Apply(long_budget, EvalContext{}), 0u);
  EXPECT_EQ(JudgeRewardOnlyDetail(long_budget, 0).score, 1.0);
  EXPECT_EQ(server_->Stats()["requests"], 5);
}

TEST_F(JudgeRewardTest, HttpErrorReasonNamesStatusUrlAndServerMessage) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[x]", "scores:1", {"500"})})}});
  auto reward = Make(RewardFamily::kPointwise, Settings(/*max_retries=*/0));
  DataSample sample = JudgeRewardSample("http", {"x"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 1u);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason,
            "error: http_error: HTTP 500 from " + server_->base_url() +
                "/chat/completions: The server had an error (after 1 attempts)");
  EXPECT_EQ("error: " + sample.output[0].answer.additional_kwargs["jr"]["error"].get<std::string>(),
            JudgeRewardOnlyDetail(sample, 0).reason);
}

TEST_F(JudgeRewardTest, ExpiredDeadlineFailsEveryUnitWithoutARequest) {
  StartServer({{"rules", Json::array()}});
  auto reward = Make(RewardFamily::kPointwise, Settings());
  DataSample sample = JudgeRewardSample("late", {"a", "b"});
  EvalContext context;
  context.deadline = Deadline::After(0);
  context.error_score = -1;
  EXPECT_EQ(reward->Apply(sample, context), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).score, -1);
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).reason,
              "error: deadline: the deadline passed before the request could start");
  }
  EXPECT_EQ(server_->Stats()["requests"], 0);
}

TEST_F(JudgeRewardTest, PromptThatCannotBeBuiltFailsOnlyItsUnit) {
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:0.5|ok"}});
  auto reward = Make(RewardFamily::kPointwise, Settings());
  DataSample sample = JudgeRewardSample("np", {"UNPROMPTABLE", "fine"});
  try {
    reward->Prompts(sample);
    ADD_FAILURE() << "Prompts built an unbuildable prompt";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "cannot show UNPROMPTABLE");
  }
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 1u);
  const std::string reason = "error: cannot build the prompt: cannot show UNPROMPTABLE";
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason, reason);
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).score, 0.0);
  EXPECT_EQ(sample.output[0].answer.additional_kwargs["jr"], (Json{{"error", reason.substr(7)}, {"prompt", ""}}));
  EXPECT_EQ(JudgeRewardOnlyDetail(sample, 1).score, 0.5);
  const std::vector<Json> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["messages"][1]["content"], "judge np thinking=0:[fine]");
}

TEST_F(JudgeRewardTest, ListwisePromptFailureRanksEveryOutputWithTheErrorScore) {
  StartServer({{"rules", Json::array()}});
  auto reward = Make(RewardFamily::kListwise, Settings());
  DataSample sample = JudgeRewardSample("lf", {"a", "UNPROMPTABLE", "c"});
  EvalContext context;
  context.error_score = -3;
  EXPECT_EQ(reward->Apply(sample, context), 1u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).score, -3);
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, i).reason, "error: cannot build the prompt: cannot show UNPROMPTABLE");
  }
  EXPECT_EQ(sample.input.back().additional_kwargs["jr"]["error"], "cannot build the prompt: cannot show UNPROMPTABLE");
  EXPECT_EQ(server_->Stats()["requests"], 0);
}

TEST_F(JudgeRewardTest, CacheAnswersARepeatWithItsThinking) {
  Json rule = JudgeRewardRule("[x]", "scores:0.25");
  rule["reasoning_content"] = "deliberated";
  StartServer({{"rules", Json::array({rule})}});
  LlmSettings settings = Settings();
  settings.cache_path = CachePath();
  {
    DataSample sample = JudgeRewardSample("c", {"x"});
    EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(sample, EvalContext{}), 0u);
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).reason, "deliberated");
  }
  DataSample again = JudgeRewardSample("c", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(again, EvalContext{}), 0u);
  EXPECT_EQ(JudgeRewardOnlyDetail(again, 0).score, 0.25);
  EXPECT_EQ(JudgeRewardOnlyDetail(again, 0).reason, "deliberated");
  EXPECT_EQ(server_->Stats()["requests"], 1);

  // Another model is another request, and so is another endpoint (here the same server
  // under another name: two servers may serve different weights under one model name).
  settings.model = "another-model";
  DataSample other = JudgeRewardSample("c", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(other, EvalContext{}), 0u);
  EXPECT_EQ(server_->Stats()["requests"], 2);
  settings.client.base_url = "http://localhost:" + std::to_string(server_->port()) + "/v1";
  DataSample elsewhere = JudgeRewardSample("c", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(elsewhere, EvalContext{}), 0u);
  EXPECT_EQ(server_->Stats()["requests"], 3);
}

TEST_F(JudgeRewardTest, CachedReplyTheFormatCannotReadIsAskedAgainAndReplaced) {
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:0.1|stale"}});
  LlmSettings settings = Settings();
  settings.cache_path = CachePath();
  DataSample first = JudgeRewardSample("stale", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(first, EvalContext{}), 0u);
  EXPECT_EQ(JudgeRewardOnlyDetail(first, 0).reason, "stale");

  // A second server at the same URL (so the same cache entry) and a reader that rejects
  // the cached reply.
  const int port = server_->port();
  server_.reset();
  server_ = ScriptedServer::StartWithScript({{"rules", Json::array()}, {"default_reply", "scores:0.9|fresh"}},
                                            {"--port", std::to_string(port)});
  LlmSettings second_settings = Settings();
  second_settings.cache_path = CachePath();
  DataSample second = JudgeRewardSample("stale", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, second_settings, {}, "stale")->Apply(second, EvalContext{}), 0u);
  EXPECT_EQ(JudgeRewardOnlyDetail(second, 0).score, 0.9);
  EXPECT_EQ(JudgeRewardOnlyDetail(second, 0).reason, "fresh");
  EXPECT_EQ(server_->Stats()["requests"], 1);

  DataSample third = JudgeRewardSample("stale", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, second_settings, {}, "stale")->Apply(third, EvalContext{}), 0u);
  EXPECT_EQ(JudgeRewardOnlyDetail(third, 0).reason, "fresh");
  EXPECT_EQ(server_->Stats()["requests"], 1);  // the fresh reply replaced the stale one
}

// The default cache (cache=auto) that cannot be opened leaves the judge without one; a
// cache file the user named is an error.
TEST_F(JudgeRewardTest, AnUnusableDefaultCacheMeansNoCache) {
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:0.5|ok"}});
  LlmSettings settings = Settings();
  settings.cache_path = dir_.Path("");  // a directory, not a file
  settings.cache_optional = true;
  for (int round = 0; round < 2; ++round) {
    DataSample sample = JudgeRewardSample("nc", {"x"});
    EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(sample, EvalContext{}), 0u);
    EXPECT_EQ(JudgeRewardOnlyDetail(sample, 0).score, 0.5);
  }
  EXPECT_EQ(server_->Stats()["requests"], 2);
  settings.cache_optional = false;
  EXPECT_THROW(Make(RewardFamily::kPointwise, settings), std::runtime_error);
}

TEST_F(JudgeRewardTest, FailedCallIsNotCached) {
  StartServer({{"rules", Json::array({JudgeRewardRule("[x]", "scores:0.5|ok", {"500"})})}});
  LlmSettings settings = Settings(/*max_retries=*/0);
  settings.cache_path = CachePath();
  DataSample first = JudgeRewardSample("nc", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(first, EvalContext{}), 1u);
  DataSample second = JudgeRewardSample("nc", {"x"});
  EXPECT_EQ(Make(RewardFamily::kPointwise, settings)->Apply(second, EvalContext{}), 0u);
  EXPECT_EQ(JudgeRewardOnlyDetail(second, 0).score, 0.5);
  EXPECT_EQ(server_->Stats()["requests"], 2);
}

TEST_F(JudgeRewardTest, ApplyAsyncCallsDoneOnceWithEachSamplesFailures) {
  Json rules = Json::array();
  for (int k = 0; k < 8; ++k) {
    rules.push_back(JudgeRewardRule("[answer " + std::to_string(k) + "]", "scores:0." + std::to_string(k) + "|r"));
  }
  StartServer({{"rules", rules}});
  auto reward = Make(RewardFamily::kPointwise, Settings());
  constexpr int kSamples = 16;
  std::vector<DataSample> samples;
  for (int s = 0; s < kSamples; ++s) {
    std::vector<std::string> answers = {"answer " + std::to_string(s % 8), "answer " + std::to_string((s + 3) % 8)};
    if (s % 4 == 0) answers.push_back("UNPROMPTABLE");
    samples.push_back(JudgeRewardSample("async" + std::to_string(s), answers));
  }
  std::vector<std::promise<size_t>> finished(kSamples);
  std::vector<std::atomic<int>> calls(kSamples);
  std::vector<std::future<size_t>> failures;
  for (int s = 0; s < kSamples; ++s) failures.push_back(finished[s].get_future());
  for (int s = 0; s < kSamples; ++s) {
    reward->ApplyAsync(samples[s], EvalContext{}, [&finished, &calls, s](size_t failed) {
      if (calls[s].fetch_add(1) == 0) finished[s].set_value(failed);
    });
  }
  for (int s = 0; s < kSamples; ++s) {
    ASSERT_EQ(failures[s].wait_for(std::chrono::seconds(60)), std::future_status::ready) << s;
    EXPECT_EQ(failures[s].get(), s % 4 == 0 ? 1u : 0u) << s;
    EXPECT_DOUBLE_EQ(JudgeRewardOnlyDetail(samples[s], 0).score.value(), (s % 8) / 10.0) << s;
    EXPECT_DOUBLE_EQ(JudgeRewardOnlyDetail(samples[s], 1).score.value(), ((s + 3) % 8) / 10.0) << s;
  }
  for (int s = 0; s < kSamples; ++s) EXPECT_EQ(calls[s].load(), 1) << s;
  EXPECT_EQ(server_->Stats()["requests"], 2 * kSamples);
}

TEST_F(JudgeRewardTest, ApplyAsyncWithoutUnitsStillFinishes) {
  auto reward = Make(RewardFamily::kPairwise, Settings());
  DataSample sample = JudgeRewardSample("lonely", {"only"});
  std::promise<size_t> finished;
  std::future<size_t> failures = finished.get_future();
  reward->ApplyAsync(sample, EvalContext{}, [&finished](size_t failed) { finished.set_value(failed); });
  ASSERT_EQ(failures.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(failures.get(), 0u);
  EXPECT_FALSE(sample.output[0].answer.reward.has_value());
}

// A JudgeFormat is user code (rmg/llm_judge.h); one that returns fewer scores than
// outputs shown must fail its unit with a reason, not take the process down (it
// threw std::out_of_range on the completion thread).
TEST(JudgeRewardFormatTest, VerdictWithTooFewScoresFailsTheUnitNotTheProcess) {
  auto server = ScriptedServer::Start({});
  JudgeReward reward("jr", std::make_unique<JudgeRewardShortVerdictFormat>(),
                     JudgeRewardSettingsFor(server->base_url(), 0), JudgeOptions{});
  DataSample sample = JudgeRewardSample("short", {"a", "b", "c"});
  EvalContext context;
  context.error_score = -1;
  EXPECT_EQ(reward.Apply(sample, context), 1u);
  for (const DataOutput& output : sample.output) {
    ASSERT_TRUE(output.answer.reward.has_value());
    ASSERT_EQ(output.answer.reward->details.size(), 1u);
    EXPECT_EQ(output.answer.reward->details[0].score, -1);
    EXPECT_NE(output.answer.reward->details[0].reason.find("expected 3 scores, the judge format gave 1"),
              std::string::npos)
        << output.answer.reward->details[0].reason;
  }
}

TEST_F(JudgeRewardTest, EvaluateLeavesTheCallersSampleAlone) {
  StartServer({{"rules", Json::array()}, {"default_reply", "scores:1|ok"}});
  auto reward = Make(RewardFamily::kPointwise, Settings());
  const DataSample sample = JudgeRewardSample("copy", {"a"});
  const DataSample evaluated = reward->Evaluate(sample);
  EXPECT_EQ(JudgeRewardOnlyDetail(evaluated, 0).score, 1.0);
  EXPECT_FALSE(sample.output[0].answer.reward.has_value());
}

}  // namespace
}  // namespace rmg::llm
