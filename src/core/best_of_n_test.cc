#include "rmg/best_of_n.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rmg/sample_io.h"

namespace rmg {
namespace {

// Scores an output by the number written as its content, so each test states its scores.
class ContentIsScore final : public PointwiseReward {
 public:
  ContentIsScore() : PointwiseReward("content_score") {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    RewardResult result;
    result.details.push_back({name(), std::stod(output.answer.content), "read", nullptr});
    return result;
  }
};

// A sample whose output i has content scores[i] and label.id = i (its input position).
DataSample WithScores(const std::vector<std::string>& scores) {
  DataSample sample;
  sample.unique_id = "s";
  sample.input.push_back(ChatMessage{});
  for (size_t i = 0; i < scores.size(); ++i) {
    DataOutput output;
    output.answer.role = "assistant";
    output.answer.content = scores[i];
    output.answer.label = Json{{"id", i}};
    sample.output.push_back(output);
  }
  return sample;
}

std::vector<int> Ids(const DataSample& sample) {
  std::vector<int> ids;
  for (const DataOutput& output : sample.output) ids.push_back(output.answer.label["id"].get<int>());
  return ids;
}

TEST(BestOfNTest, KeepsTheTopNAscendingWithTheBestLast) {
  const DataSample sample = WithScores({"0.5", "0.9", "0.1", "0.7"});
  const DataSample best = BestOfN(ContentIsScore(), sample, 2);
  // By hand: ascending order is 2 (0.1), 0 (0.5), 3 (0.7), 1 (0.9); the last two stay.
  EXPECT_EQ(Ids(best), (std::vector<int>{3, 1}));
  ASSERT_TRUE(best.output[1].answer.reward.has_value());
  EXPECT_DOUBLE_EQ(best.output[1].answer.reward->score, 0.9);
  ASSERT_EQ(best.output[1].answer.reward->details.size(), 1u);
  EXPECT_EQ(best.output[1].answer.reward->details[0].name, "content_score");
  // The caller's sample is untouched.
  EXPECT_EQ(Ids(sample), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_FALSE(sample.output[0].answer.reward.has_value());
}

TEST(BestOfNTest, NOfOneKeepsOnlyTheBest) {
  EXPECT_EQ(Ids(BestOfN(ContentIsScore(), WithScores({"3", "-1", "8", "2"}), 1)), (std::vector<int>{2}));
}

TEST(BestOfNTest, ZeroKeepsEveryOutputSortedAscending) {
  EXPECT_EQ(Ids(BestOfN(ContentIsScore(), WithScores({"0.5", "0.9", "0.1"}), 0)), (std::vector<int>{2, 0, 1}));
}

TEST(BestOfNTest, MoreThanTheOutputsKeepsThemAll) {
  EXPECT_EQ(Ids(BestOfN(ContentIsScore(), WithScores({"2", "1"}), 5)), (std::vector<int>{1, 0}));
}

TEST(BestOfNTest, TiesKeepInputOrderSoTheLaterTiedOutputSurvivesTheCut) {
  // Stable ascending order 0, 1, 2 (all 1.0); [-1:] keeps 2, [-2:] keeps 1, 2.
  EXPECT_EQ(Ids(BestOfN(ContentIsScore(), WithScores({"1", "1", "1"}), 1)), (std::vector<int>{2}));
  EXPECT_EQ(Ids(BestOfN(ContentIsScore(), WithScores({"1", "1", "1"}), 2)), (std::vector<int>{1, 2}));
  // A tie below a clear winner: 0.2 (0), 0.5 (1), 0.5 (3), 0.9 (2) -> keep 3, 2.
  EXPECT_EQ(Ids(BestOfN(ContentIsScore(), WithScores({"0.2", "0.5", "0.9", "0.5"}), 2)), (std::vector<int>{3, 2}));
}

TEST(BestOfNTest, UnscoredOutputsCountAsZero) {
  DataSample sample = WithScores({"a", "b", "c"});
  MutableReward(sample.output[1].answer).score = -2.0;
  MutableReward(sample.output[2].answer).score = 1.0;
  KeepTopOutputs(sample, 2);  // scores 0 (unscored), -2, 1 -> keep 0, 2
  EXPECT_EQ(Ids(sample), (std::vector<int>{0, 2}));
}

TEST(BestOfNTest, ASampleWithoutOutputsStaysEmpty) {
  DataSample sample = WithScores({});
  KeepTopOutputs(sample, 3);
  EXPECT_TRUE(sample.output.empty());
}

}  // namespace
}  // namespace rmg
