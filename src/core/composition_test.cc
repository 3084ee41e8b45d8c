#include "rmg/composition.h"

#include <gtest/gtest.h>

#include "rmg/config.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

DataSample Sample(const std::string& task = "math") {
  return ParseDataSample(R"({"unique_id":"c","task_category":")" + task +
                         R"(","metadata":{"domain":"qa"},"output":[{"answer":{"content":"<think>x</think><answer>4</answer>","label":{"reference":"4"}}}]})");
}

TEST(CompositionTest, WeightedUsesChildNamesAndDetailWeights) {
  const auto reward = BuildReward(ParseYaml(R"(
compose: weighted
rewards:
  fmt: reasoning_format
  acc: {reward: accuracy}
weights: {fmt: 1.0, acc: 3.0}
)"));
  const DataSample scored = reward->Evaluate(Sample());
  const Reward& r = *scored.output[0].answer.reward;
  ASSERT_EQ(r.details.size(), 2u);
  EXPECT_EQ(r.details[0].name, "fmt");
  EXPECT_EQ(r.details[1].name, "acc");
  EXPECT_DOUBLE_EQ(r.details[0].score.value(), 1.0);
  EXPECT_DOUBLE_EQ(r.details[1].score.value(), 0.0);  // content is not exactly "4"
  EXPECT_DOUBLE_EQ(r.score, 0.25);            // (1*1 + 3*0) / 4
}

// The evaluator keeps no more requests in flight than the tightest LLM judge inside serves.
TEST(CompositionTest, RequestsInFlightIsTheTightestChilds) {
  const std::string judge =
      "{reward: base_helpfulness_listwise, params: {api_key: k, base_url: 'http://127.0.0.1:9/v1', "
      "cache: 'off', concurrency: ";
  const auto weighted = BuildReward(ParseYaml("compose: weighted\nrewards:\n  fmt: reasoning_format\n  a: " + judge +
                                              "5}}\n  b: " + judge + "3}}\n"));
  EXPECT_EQ(weighted->requests_in_flight(), 3u);
  const auto routed =
      BuildReward(ParseYaml("router: task_category\nroutes:\n  x: " + judge + "7}}\ndefault: " + judge + "4}}\n"));
  EXPECT_EQ(routed->requests_in_flight(), 4u);
  EXPECT_EQ(BuildReward(ParseYaml("compose: weighted\nrewards: {fmt: reasoning_format}\n"))->requests_in_flight(), 0u);
}

// Children score a sample one after the other: a sample sends at once what its most
// demanding child sends.
TEST(CompositionTest, RequestsAtOnceAreTheMostOfAnyChild) {
  const std::string judge = "{api_key: k, base_url: 'http://127.0.0.1:9/v1', cache: 'off'}}";
  const auto weighted = BuildReward(
      ParseYaml("compose: weighted\nrewards:\n  fmt: reasoning_format\n  p: {reward: base_helpfulness_pointwise, "
                "params: " +
                judge + "\n  l: {reward: base_helpfulness_listwise, params: " + judge + "\n"));
  DataSample sample = Sample();
  sample.output.push_back(sample.output[0]);
  sample.output.push_back(sample.output[0]);
  EXPECT_EQ(weighted->requests_at_once(sample), 3u);
  const auto routed =
      BuildReward(ParseYaml("router: task_category\nroutes:\n  x: {reward: base_helpfulness_listwise, "
                            "params: " +
                            judge + "\ndefault: reasoning_format\n"));
  EXPECT_EQ(routed->requests_at_once(sample), 1u);
}

TEST(CompositionTest, MissingWeightCountsAsOne) {
  const auto reward = BuildReward(ParseYaml("compose: weighted\nrewards: {fmt: reasoning_format, acc: accuracy}\n"));
  EXPECT_DOUBLE_EQ(reward->Evaluate(Sample()).output[0].answer.reward->score, 0.5);
}

TEST(CompositionTest, ZeroTotalWeightKeepsTheMean) {
  const auto reward =
      BuildReward(ParseYaml("compose: weighted\nrewards: {fmt: reasoning_format}\nweights: {fmt: 0}\n"));
  EXPECT_DOUBLE_EQ(reward->Evaluate(Sample()).output[0].answer.reward->score, 1.0);
}

// A rank detail already in the input (no score) weighs nothing: fmt alone makes the score.
TEST(CompositionTest, ADetailWithoutScoreIsNotWeighed) {
  const auto reward = BuildReward(ParseYaml("compose: weighted\nrewards: {fmt: reasoning_format}\n"));
  DataSample sample = Sample();
  MutableReward(sample.output[0].answer).details.push_back(RewardDetail{"judge", std::nullopt, "rank", nullptr});
  const DataSample evaluated = reward->Evaluate(sample);
  const Reward& scored = *evaluated.output[0].answer.reward;
  ASSERT_EQ(scored.details.size(), 2u);
  EXPECT_DOUBLE_EQ(scored.score, 1.0);
}

TEST(CompositionTest, RouterPicksByTaskCategory) {
  const auto reward = BuildReward(ParseYaml(R"(
router: task_category
routes:
  math: accuracy
  chat: reasoning_format
)"));
  // Routed rewards are named by their route, as in RM-Gallery.
  EXPECT_EQ(reward->Evaluate(Sample("math")).output[0].answer.reward->details[0].name, "math");
  EXPECT_EQ(reward->Evaluate(Sample("chat")).output[0].answer.reward->details[0].name, "chat");
}

// The child's key is its detail name even when its params name it otherwise, so that
// its weight applies (RM-Gallery builds children with name=key last).
TEST(CompositionTest, AChildsKeyWinsOverANameParameter) {
  const auto reward = BuildReward(ParseYaml(R"(
compose: weighted
rewards:
  fmt: {reward: reasoning_format, params: {name: my_format}}
  len: {reward: length_penalty, params: {min_length: 1000}}
weights: {fmt: 9, len: 1}
)"));
  const DataSample scored = reward->Evaluate(Sample());
  const Reward& result = *scored.output[0].answer.reward;
  EXPECT_EQ(result.details[0].name, "fmt");
  EXPECT_DOUBLE_EQ(result.score, (9 * result.details[0].score.value() + result.details[1].score.value()) / 10);
}

TEST(CompositionTest, RouterByMetadataKeyWithFallback) {
  const auto reward = BuildReward(ParseYaml(R"(
router: metadata.domain
routes: {code: accuracy}
default: {reward: length_penalty, params: {min_length: 1}}
)"));
  EXPECT_EQ(reward->Evaluate(Sample()).output[0].answer.reward->details[0].name, "length_penalty");
}

TEST(CompositionTest, RouterWithoutRouteGivesErrorDetail) {
  const auto reward = BuildReward(ParseYaml("router: source\nroutes: {gsm8k: accuracy}\n"));
  DataSample sample = Sample();
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 1u);
  EXPECT_EQ(sample.output[0].answer.reward->details[0].reason, "error: no route for source ''");
}

// A server must not score a batch that may run programs on its I/O thread.
TEST(CompositionTest, RunsProgramsWhenAnyChildDoes) {
  EXPECT_FALSE(
      BuildReward(ParseYaml("compose: weighted\nrewards: {a: accuracy, f: reasoning_format}\n"))->runs_programs());
  EXPECT_TRUE(
      BuildReward(ParseYaml("compose: weighted\nrewards: {a: accuracy, c: code_execution}\n"))->runs_programs());
  EXPECT_FALSE(BuildReward(ParseYaml("router: source\nroutes: {gsm8k: accuracy}\n"))->runs_programs());
  EXPECT_TRUE(BuildReward(ParseYaml("router: source\nroutes: {apps: code_syntax_check}\n"))->runs_programs());
  EXPECT_TRUE(
      BuildReward(ParseYaml("router: source\nroutes: {gsm8k: accuracy}\ndefault: code_execution\n"))->runs_programs());
  EXPECT_FALSE(BuildReward(ParseYaml("accuracy"))->runs_programs());
}

// A benchmark reads equal scores of a composition holding a pairwise judge as a tie.
TEST(CompositionTest, ComparesOutputsWhenAnyChildDoes) {
  const std::string judge = "{reward: base_helpfulness_pairwise, params: {api_key: k, base_url: 'http://127.0.0.1:9'}}";
  EXPECT_TRUE(BuildReward(ParseYaml(judge))->compares_outputs());
  EXPECT_FALSE(BuildReward(ParseYaml("accuracy"))->compares_outputs());
  EXPECT_TRUE(
      BuildReward(ParseYaml("compose: weighted\nrewards: {a: accuracy, j: " + judge + "}\n"))->compares_outputs());
  EXPECT_FALSE(BuildReward(ParseYaml("compose: weighted\nrewards: {a: accuracy}\n"))->compares_outputs());
  EXPECT_TRUE(BuildReward(ParseYaml("router: source\nroutes: {gsm8k: accuracy}\ndefault: " + judge + "\n"))
                  ->compares_outputs());
  EXPECT_FALSE(BuildReward(ParseYaml("router: source\nroutes: {gsm8k: accuracy}\n"))->compares_outputs());
}

TEST(CompositionTest, BadDescriptionsNameTheKey) {
  try {
    BuildReward(ParseYaml("compose: weighted\nrewards: {a: {reward: nope}}\n"));
    FAIL();
  } catch (const RegistryError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown reward 'nope'"), std::string::npos) << e.what();
  }
  try {
    BuildReward(ParseYaml("compose: weighted\nrewards: {a: accuracy}\nweights: {a: heavy}\n"));
    FAIL();
  } catch (const RegistryError& e) {
    EXPECT_EQ(std::string(e.what()), "reward.weights.a: expected a number");
  }
  EXPECT_THROW(BuildReward(ParseYaml("router: colour\nroutes: {a: accuracy}\n")), RegistryError);
}

// `weight:` for `weights:` changed the mean score silently (0.3750 instead of 0.1250).
TEST(CompositionTest, MisspeltKeysAndBadChildParametersNameWhereTheyAre) {
  const auto error_of = [](const std::string& yaml) {
    try {
      BuildReward(ParseYaml(yaml));
    } catch (const RegistryError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("compose: weighted\nrewards: {a: accuracy}\nweight: {a: 0}\n"),
            "reward: weight: unknown key (known: compose, rewards, weights, name)");
  EXPECT_EQ(error_of("router: source\nroutes: {a: accuracy}\nfallback: accuracy\n"),
            "reward: fallback: unknown key (known: router, routes, default, name)");
  EXPECT_EQ(error_of("router: source\nroutes: {math: {reward: length_penalty, parms: {}}}\n"),
            "reward.routes.math: parms: unknown key (known: reward, params)");
  EXPECT_EQ(error_of("router: source\nroutes: {math: {reward: length_penalty, params: {min_lenght: 2}}}\n")
                .rfind("reward.routes.math: unknown parameter 'min_lenght' for reward 'length_penalty'", 0),
            0u);
}

}  // namespace
}  // namespace rmg
