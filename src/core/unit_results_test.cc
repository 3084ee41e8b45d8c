#include "core/unit_results.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rmg::internal {
namespace {

DataSample UnitResultsSample(size_t outputs) {
  DataSample sample;
  sample.unique_id = "s";
  ChatMessage question;
  question.content = "q";
  sample.input.push_back(question);
  for (size_t i = 0; i < outputs; ++i) {
    DataOutput output;
    output.answer.role = "assistant";
    output.answer.content = "a" + std::to_string(i);
    sample.output.push_back(output);
  }
  return sample;
}

// name:score:reason of each detail, for compact comparisons.
std::vector<std::string> UnitResultsDetails(const Step& step) {
  std::vector<std::string> out;
  if (!step.reward) return out;
  for (const RewardDetail& d : step.reward->details) {
    out.push_back(d.name + ":" + Json(d.score.value()).dump() + ":" + d.reason +
                  (d.extra.is_null() ? "" : ":" + d.extra.dump()));
  }
  return out;
}

TEST(UnitResultsTest, ErrorDetailCarriesTheContextsErrorScore) {
  EvalContext context;
  context.error_score = -1.5;
  const RewardDetail detail = ErrorDetail("judge", context, "error: timed out");
  EXPECT_EQ(detail.name, "judge");
  EXPECT_EQ(detail.score, -1.5);
  EXPECT_EQ(detail.reason, "error: timed out");
  EXPECT_TRUE(detail.extra.is_null());
  EXPECT_EQ(ErrorDetail("x", EvalContext(), "").score, 0.0);
}

TEST(UnitResultsTest, OutputResultAppendsDetailsStoresExtraAndRecomputes) {
  DataOutput output;
  Reward& existing = MutableReward(output.answer);
  existing.details.push_back(RewardDetail{"earlier", 1.0, "from before", nullptr});
  existing.score = 1.0;
  output.answer.additional_kwargs = {{"kept", 7}};
  WriteOutputResult(output, "format",
                    RewardResult{{RewardDetail{"format", 0.0, "no tags", Json{{"k", 1}}},
                                  RewardDetail{"format_len", 0.5, "ok", nullptr}},
                                 Json{{"matched", false}}});
  EXPECT_EQ(UnitResultsDetails(output.answer),
            (std::vector<std::string>{"earlier:1.0:from before", "format:0.0:no tags:{\"k\":1}", "format_len:0.5:ok"}));
  EXPECT_DOUBLE_EQ(output.answer.reward->score, 0.5);  // mean of 1, 0 and 0.5
  EXPECT_EQ(output.answer.additional_kwargs.dump(), R"({"kept":7,"format":{"matched":false}})");
}

TEST(UnitResultsTest, NullExtraDataLeavesAdditionalKwargsAbsent) {
  DataOutput output;
  WriteOutputResult(output, "r", RewardResult{{RewardDetail{"r", 0.25, "", nullptr}}, nullptr});
  EXPECT_TRUE(output.answer.additional_kwargs.is_null());
  ASSERT_TRUE(output.answer.reward.has_value());
  EXPECT_EQ(output.answer.reward->score, 0.25);
}

TEST(UnitResultsTest, ExtraDataCreatesAdditionalKwargsAndOverwritesTheSameName) {
  DataOutput output;
  WriteOutputResult(output, "r", RewardResult{{}, Json{{"v", 1}}});
  EXPECT_EQ(output.answer.additional_kwargs.dump(), R"({"r":{"v":1}})");
  WriteOutputResult(output, "r", RewardResult{{}, Json{{"v", 2}}});
  EXPECT_EQ(output.answer.additional_kwargs.dump(), R"({"r":{"v":2}})");
}

TEST(UnitResultsTest, NoDetailsStillCreatesAnUnscoredReward) {
  DataOutput output;
  WriteOutputResult(output, "r", RewardResult{});
  ASSERT_TRUE(output.answer.reward.has_value());
  EXPECT_TRUE(output.answer.reward->details.empty());
  EXPECT_EQ(output.answer.reward->score, 0.0);
  // An existing score is left alone when nothing is added.
  output.answer.reward->score = 0.75;
  WriteOutputResult(output, "r", RewardResult{});
  EXPECT_EQ(output.answer.reward->score, 0.75);
}

TEST(UnitResultsTest, PairResultSplitsRanksBetweenTheTwoOutputsWithoutRescoring) {
  DataSample sample = UnitResultsSample(3);
  const RankResult result{{RankDetail{"helpful", "A is better", {1.0, 0.0}},
                           RankDetail{"honest", "tie", {0.5, 0.5}}},
                          Json{{"ignored", true}}};
  WritePairResult(sample, 0, 2, result);
  EXPECT_EQ(UnitResultsDetails(sample.output[0].answer),
            (std::vector<std::string>{"helpful:1.0:A is better", "honest:0.5:tie"}));
  EXPECT_EQ(UnitResultsDetails(sample.output[2].answer),
            (std::vector<std::string>{"helpful:0.0:A is better", "honest:0.5:tie"}));
  EXPECT_FALSE(sample.output[1].answer.reward.has_value());
  // Scores wait for RecomputeAnswerScores.
  EXPECT_EQ(sample.output[0].answer.reward->score, 0.0);
  EXPECT_TRUE(sample.output[0].answer.additional_kwargs.is_null());
  EXPECT_TRUE(sample.input.back().additional_kwargs.is_null());
  RecomputeAnswerScores(sample);
  EXPECT_EQ(sample.output[0].answer.reward->score, 0.75);
  EXPECT_EQ(sample.output[2].answer.reward->score, 0.25);
  EXPECT_FALSE(sample.output[1].answer.reward.has_value());
}

TEST(UnitResultsTest, PairResultIntoTheSameOutputPairOrder) {
  // (j, i) order: rank[0] belongs to the first index given, whichever it is.
  DataSample sample = UnitResultsSample(2);
  WritePairResult(sample, 1, 0, RankResult{{RankDetail{"p", "", {0.9, 0.1}}}, nullptr});
  EXPECT_EQ(UnitResultsDetails(sample.output[1].answer), std::vector<std::string>{"p:0.9:"});
  EXPECT_EQ(UnitResultsDetails(sample.output[0].answer), std::vector<std::string>{"p:0.1:"});
}

TEST(UnitResultsTest, ListResultGivesEachOutputItsRankAndStoresExtraOnTheLastInput) {
  DataSample sample = UnitResultsSample(3);
  ChatMessage last;
  last.content = "follow-up";
  last.additional_kwargs = {{"other", "x"}};
  sample.input.push_back(last);
  WriteListResult(sample, "rank_judge",
                  RankResult{{RankDetail{"rank_judge", "B > C > A", {0.0, 1.0, 0.5}},
                              RankDetail{"second", "", {1.0, 1.0, 0.0}}},
                             Json{{"order", {1, 2, 0}}}});
  EXPECT_EQ(UnitResultsDetails(sample.output[0].answer),
            (std::vector<std::string>{"rank_judge:0.0:B > C > A", "second:1.0:"}));
  EXPECT_EQ(UnitResultsDetails(sample.output[1].answer),
            (std::vector<std::string>{"rank_judge:1.0:B > C > A", "second:1.0:"}));
  EXPECT_EQ(UnitResultsDetails(sample.output[2].answer),
            (std::vector<std::string>{"rank_judge:0.5:B > C > A", "second:0.0:"}));
  EXPECT_EQ(sample.output[0].answer.reward->score, 0.5);
  EXPECT_EQ(sample.output[1].answer.reward->score, 1.0);
  EXPECT_EQ(sample.output[2].answer.reward->score, 0.25);
  EXPECT_TRUE(sample.input.front().additional_kwargs.is_null());
  EXPECT_EQ(sample.input.back().additional_kwargs.dump(), R"({"other":"x","rank_judge":{"order":[1,2,0]}})");
  for (const DataOutput& output : sample.output) EXPECT_TRUE(output.answer.additional_kwargs.is_null());
}

TEST(UnitResultsTest, ListResultWithoutInputDropsExtraData) {
  DataSample sample = UnitResultsSample(2);
  sample.input.clear();
  WriteListResult(sample, "l", RankResult{{RankDetail{"l", "", {0.2, 0.8}}}, Json{{"x", 1}}});
  EXPECT_EQ(sample.output[0].answer.reward->score, 0.2);
  EXPECT_EQ(sample.output[1].answer.reward->score, 0.8);
  EXPECT_TRUE(sample.input.empty());
}

TEST(UnitResultsTest, ListResultWithoutOutputsChangesNothingButExtra) {
  DataSample sample = UnitResultsSample(0);
  WriteListResult(sample, "l", RankResult{{RankDetail{"l", "", {}}}, Json{{"x", 1}}});
  EXPECT_TRUE(sample.output.empty());
  EXPECT_EQ(sample.input.back().additional_kwargs.dump(), R"({"l":{"x":1}})");
}

TEST(UnitResultsTest, RecomputeAnswerScoresAveragesEveryDetail) {
  DataSample sample = UnitResultsSample(2);
  Reward& reward = MutableReward(sample.output[0].answer);
  reward.details = {RewardDetail{"a", 1.0, "", nullptr}, RewardDetail{"b", 0.0, "", nullptr},
                    RewardDetail{"c", 0.5, "", nullptr}, RewardDetail{"d", -3.5, "", nullptr}};
  reward.score = 42;
  RecomputeAnswerScores(sample);
  EXPECT_EQ(sample.output[0].answer.reward->score, -0.5);
  EXPECT_FALSE(sample.output[1].answer.reward.has_value());  // no reward is invented
}

TEST(UnitResultsTest, StepResultWritesToTheStepOnly) {
  DataOutput output;
  Step step;
  step.content = "step 1";
  output.steps = std::vector<Step>{step};
  Step& target = (*output.steps)[0];
  WriteStepResult(target, "prm", RewardResult{{RewardDetail{"prm", 0.8, "good step", nullptr}}, Json{{"p", 0.8}}});
  WriteStepResult(target, "prm2", RewardResult{{RewardDetail{"prm2", 0.4, "", nullptr}}, nullptr});
  EXPECT_EQ(UnitResultsDetails(target), (std::vector<std::string>{"prm:0.8:good step", "prm2:0.4:"}));
  EXPECT_DOUBLE_EQ(target.reward->score, 0.6);
  EXPECT_EQ(target.additional_kwargs.dump(), R"({"prm":{"p":0.8}})");
  EXPECT_FALSE(output.answer.reward.has_value());
  EXPECT_TRUE(output.answer.additional_kwargs.is_null());
}

TEST(UnitResultsTest, UnicodeNamesAndReasonsAreKept) {
  DataOutput output;
  WriteOutputResult(output, "评分", RewardResult{{RewardDetail{"评分", 1.0, "très bien 🙂", nullptr}}, Json{{"é", "ü"}}});
  EXPECT_EQ(UnitResultsDetails(output.answer), std::vector<std::string>{"评分:1.0:très bien 🙂"});
  EXPECT_EQ(output.answer.additional_kwargs["评分"]["é"], "ü");
}

}  // namespace
}  // namespace rmg::internal
