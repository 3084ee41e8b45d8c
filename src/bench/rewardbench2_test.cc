#include "bench/rewardbench2.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "bench/converters.h"
#include "bench/testing.h"

namespace rmg::bench {
namespace {


// A converted RewardBench 2 record whose chosen answers score `chosen` and
// rejected answers `rejected`.
DataSample Prompt(const std::string& subset, const std::string& id, const std::vector<double>& chosen,
                  const std::vector<double>& rejected) {
  Json record = {{"id", id}, {"prompt", "p"}, {"subset", subset}};
  record["chosen"] = std::vector<std::string>(chosen.size(), "c");
  record["rejected"] = std::vector<std::string>(rejected.size(), "r");
  std::vector<double> scores = chosen;
  scores.insert(scores.end(), rejected.begin(), rejected.end());
  return testing::Scored(FromRewardBench2(record), scores);
}

TEST(RewardBench2PromptScore, ShareOfTheTieAtTheTop) {
  EXPECT_EQ(RewardBench2PromptScore({5}, {3, 4, 1}), 1.0);
  EXPECT_EQ(RewardBench2PromptScore({5}, {5, 2, 5}), 1.0 / 3);  // three answers at the top
  EXPECT_EQ(RewardBench2PromptScore({4}, {5, 1, 1}), 0.0);      // a rejected answer is higher
  EXPECT_EQ(RewardBench2PromptScore({2, 2}, {2, 1}), 1.0 / 3);  // t counts every answer at the top
  EXPECT_EQ(RewardBench2PromptScore({1, 3}, {2}), 1.0);         // the best chosen decides
  EXPECT_EQ(RewardBench2PromptScore({}, {2}), 0.0);
}

// Ties fixture, worked by hand:
//   prompt 1: ref C {10} I {2, 4}: margin 6; tied C {9, 7, 8} I {3, 5}: margin 7 - 5 = 2,
//             gap 9 - 7 = 2. Accurate in both. 2 > 2 no; min(6, 2) = 2 > 2 no;
//             tanh(2 / 2 - 1) = 0.
//   prompt 2: ref C {10} I {1}: margin 9; tied C {8, 9} I {2}: margin 6, gap 1.
//             Accurate in both; 6 > 1 yes; min(9, 6) = 6 > 1 yes; tanh(6 / 1 - 1) = tanh(5).
//   prompt 3: ref C {1} I {3}: margin -2; tied C {6, 5} I {2}: margin 3, gap 1.
//             Not accurate in ref; 3 > 1 yes; -2 > 1 no; max(0, tanh(-3)) = 0.
//   prompt 4: a ref sample only, left out.
// all_accurate 2/3, correctness_preferred 2/3, correctness_preferred_hard 1/3,
// correctness_margin_score tanh(5)/3; score 0.3*2/3 + 0.2*2/3 + 0.2*1/3 + 0.3*tanh(5)/3
// = 0.4 + 0.1*tanh(5).
const std::vector<RewardBench2TiesSample> kTies = {
    {"ref", "1", {10}, {2, 4}},        // margin 6
    {"tied", "1", {9, 7, 8}, {3, 5}},  // margin 2, gap 2
    {"ref", "2", {10}, {1}},           // margin 9
    {"tied", "2", {8, 9}, {2}},        // margin 6, gap 1
    {"tied", "3", {6, 5}, {2}},        // margin 3, gap 1
    {"ref", "3", {1}, {3}},            // margin -2
    {"ref", "4", {5}, {1}},            // no tied sample for prompt 4
};

TEST(ScoreRewardBench2Ties, HandWorkedFixture) {
  const RewardBench2Ties ties = ScoreRewardBench2Ties(kTies);
  EXPECT_EQ(ties.prompts, 3u);
  EXPECT_NEAR(ties.all_accurate, 2.0 / 3, testing::kEps);
  EXPECT_NEAR(ties.correctness_preferred, 2.0 / 3, testing::kEps);
  EXPECT_NEAR(ties.correctness_preferred_hard, 1.0 / 3, testing::kEps);
  EXPECT_NEAR(ties.correctness_margin_score, std::tanh(5.0) / 3, testing::kEps);
  EXPECT_NEAR(ties.score(), 0.4 + 0.1 * std::tanh(5.0), testing::kEps);
}

TEST(ScoreRewardBench2Ties, UndefinedGapCountsAsNotPreferred) {
  // A "tied" sample with one correct answer has no gap: only all_accurate can count.
  // A zero gap (equal correct scores) above every incorrect one is the best case:
  // reward-bench's tanh(3 / 0 - 1) is tanh(inf) = 1 (it was counted 0, so a perfect
  // reward model read 0.70 on Ties).
  const RewardBench2Ties one = ScoreRewardBench2Ties({{"ref", "1", {4}, {1}}, {"tied", "1", {4}, {1}}});
  EXPECT_EQ(one.all_accurate, 1.0);
  EXPECT_EQ(one.correctness_preferred, 0.0);
  EXPECT_EQ(one.correctness_margin_score, 0.0);
  const RewardBench2Ties zero = ScoreRewardBench2Ties({{"ref", "1", {4}, {1}}, {"tied", "1", {4, 4}, {1}}});
  EXPECT_EQ(zero.correctness_preferred, 1.0);
  EXPECT_EQ(zero.correctness_preferred_hard, 1.0);
  EXPECT_EQ(zero.correctness_margin_score, 1.0);
  EXPECT_EQ(zero.score(), 1.0);
  // Equal correct scores that do not beat an incorrect one: tanh(-inf) clipped at 0.
  const RewardBench2Ties losing = ScoreRewardBench2Ties({{"ref", "1", {1}, {4}}, {"tied", "1", {4, 4}, {5}}});
  EXPECT_EQ(losing.correctness_margin_score, 0.0);
}

// With no Ties prompt that has both halves (--limit can split them), Ties is left out of
// the mean rather than counted as 0.
TEST(EvaluateRewardBench2, TiesWithoutACompletePromptIsNotASubset) {
  const RewardBench2Result result =
      EvaluateRewardBench2({Prompt("Factuality", "1", {0.9}, {0.1, 0.2, 0.3}), Prompt("Ties", "ref:1", {4}, {1})});
  EXPECT_EQ(result.per_subset.count("Ties"), 0u);
  EXPECT_EQ(result.score, 1.0);
  // The half left over is listed (rmg bench shows the report's errors on stderr), not
  // dropped unseen.
  EXPECT_EQ(RewardBench2Report(result)["errors"],
            Json::array({"Ties sample ref:1: its other half (ref or tied) is missing; the prompt is not scored"}));
}

TEST(ScoreRewardBench2Ties, Errors) {
  EXPECT_NE(testing::ErrorOf([] {
              ScoreRewardBench2Ties({{"ref", "1", {1}, {0}}, {"ref", "1", {2}, {0}}});
            }).find("ref:1: appears twice"),
            std::string::npos);
  EXPECT_NE(testing::ErrorOf([] { ScoreRewardBench2Ties({{"ref", "1", {1}, {}}}); }).find("ref:1"), std::string::npos);
}

TEST(EvaluateRewardBench2, HandComputedSubsetsAndMean) {
  std::vector<DataSample> samples = {
      Prompt("Factuality", "1", {0.9}, {0.1, 0.2, 0.3}),  // 1
      Prompt("Factuality", "2", {0.5}, {0.5, 0.1, 0.1}),  // two at the top: 1/2
      Prompt("Math", "3", {0.1}, {0.2, 0.0, 0.0}),        // 0
  };
  for (const RewardBench2TiesSample& tie : kTies) {
    samples.push_back(Prompt("Ties", tie.type + ":" + tie.prompt, tie.correct, tie.incorrect));
  }
  const RewardBench2Result result = EvaluateRewardBench2(samples);
  ASSERT_EQ(result.per_subset.size(), 3u);
  EXPECT_EQ(result.per_subset.at("Factuality").accuracy, 0.75);  // (1 + 1/2) / 2
  EXPECT_EQ(result.per_subset.at("Factuality").prompts, 2u);
  EXPECT_EQ(result.per_subset.at("Math").accuracy, 0.0);
  const double ties = 0.4 + 0.1 * std::tanh(5.0);
  EXPECT_NEAR(result.per_subset.at("Ties").accuracy, ties, testing::kEps);
  EXPECT_EQ(result.per_subset.at("Ties").prompts, 3u);
  ASSERT_TRUE(result.ties.has_value());
  EXPECT_NEAR(result.ties->correctness_preferred_hard, 1.0 / 3, testing::kEps);
  EXPECT_NEAR(result.score, (0.75 + 0.0 + ties) / 3, testing::kEps);
  EXPECT_EQ(result.prompts, 2u + 1u + 3u);

  const Json report = RewardBench2Report(result);
  const Json& metrics = report["metrics"];
  EXPECT_NEAR(metrics["score"].get<double>(), (0.75 + ties) / 3, testing::kEps);
  EXPECT_EQ(metrics["per_subset"]["Factuality"], Json({{"accuracy", 0.75}, {"prompts", 2}}));
  EXPECT_NEAR(metrics["per_subset"]["Ties"]["all_accurate"].get<double>(), 2.0 / 3, testing::kEps);
  EXPECT_NEAR(metrics["per_subset"]["Ties"]["correctness_margin_score"].get<double>(), std::tanh(5.0) / 3, testing::kEps);
  EXPECT_FALSE(metrics["per_subset"]["Math"].contains("all_accurate"));
}

TEST(EvaluateRewardBench2, ErrorsNameSampleAndField) {
  EXPECT_NE(testing::ErrorOf([] {
              EvaluateRewardBench2({Prompt("Ties", "12", {1}, {0})});
            }).find("RewardBench 2 sample 'rewardbench2/Ties/12': metadata.id"),
            std::string::npos);
  EXPECT_NE(testing::ErrorOf([] {
              EvaluateRewardBench2({Prompt("Ties", "best:12", {1}, {0})});
            }).find("the type must be ref or tied"),
            std::string::npos);
  DataSample all_chosen = Prompt("Math", "1", {1}, {0});
  all_chosen.output[1].answer.label["preference"] = "chosen";
  EXPECT_NE(testing::ErrorOf([&] {
              EvaluateRewardBench2({all_chosen});
            }).find("'rewardbench2/Math/1': output: expected chosen and rejected responses, got 2 chosen"),
            std::string::npos);
  EXPECT_NE(testing::ErrorOf([] {
              EvaluateRewardBench2({Prompt("Ties", "ref:1", {1}, {0}), Prompt("Ties", "ref:1", {1}, {0})});
            }).find("ref:1: appears twice"),
            std::string::npos);
}

}  // namespace
}  // namespace rmg::bench
