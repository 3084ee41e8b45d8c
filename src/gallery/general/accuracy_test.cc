// accuracy: RM-Gallery's AccuracyReward (rm_gallery_api.md §11.1).
#include <gtest/gtest.h>

#include "gallery/testing.h"
#include "rmg/registry.h"

namespace rmg::gallery {
namespace {

using testing::OneResponse;
using testing::Score;
using testing::ScoreWith;
using testing::SortedKeys;

constexpr const char* kMatch = "Generated content matches reference exactly";
constexpr const char* kNoMatch = "Generated content does not match reference exactly";

TEST(AccuracyRewardTest, SurroundingWhitespaceIsStrippedOnBothSides) {
  const auto r = Score("accuracy", "  Hello world  ", "Hello world");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), kMatch);
  const auto swapped = Score("accuracy", "Hello world", "\n\tHello world \r\n");
  EXPECT_EQ(swapped.score, 1.0);
}

TEST(AccuracyRewardTest, StripRemovesUnicodeWhitespaceLikePythonStrip) {
  // U+3000 (ideographic space) and U+00A0 (no-break space) are str.isspace().
  EXPECT_EQ(Score("accuracy", "\u3000answer\u00a0", "answer").score, 1.0);
}

TEST(AccuracyRewardTest, ComparisonIsCaseSensitive) {
  const auto r = Score("accuracy", "hello world", "Hello world");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), kNoMatch);
}

TEST(AccuracyRewardTest, InnerWhitespaceMustMatch) {
  EXPECT_EQ(Score("accuracy", "Hello  world", "Hello world").score, 0.0);
}

TEST(AccuracyRewardTest, DetailIsNamedAccuracyWithOneDetail) {
  const auto r = Score("accuracy", "4", "4");
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "accuracy");
  EXPECT_EQ(r.details[0].score, 1.0);
}

TEST(AccuracyRewardTest, ExtraDataHoldsStrippedTextsAndScore) {
  const auto r = Score("accuracy", "  Paris \n", " London");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"accuracy", "generated", "reference"}));
  EXPECT_EQ(r.extra.at("generated"), "Paris");
  EXPECT_EQ(r.extra.at("reference"), "London");
  EXPECT_EQ(r.extra.at("accuracy"), 0.0);
  EXPECT_EQ(r.score, 0.0);
}

TEST(AccuracyRewardTest, MissingReferenceIsEmptyText) {
  // label.get("reference", ""): only an empty (after strip) response matches.
  EXPECT_EQ(Score("accuracy", "   ", nullptr).score, 1.0);
  const auto r = Score("accuracy", "something", nullptr);
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.extra.at("reference"), "");
}

TEST(AccuracyRewardTest, NumericReferenceComparesWithItsJsonText) {
  EXPECT_EQ(Score("accuracy", " 42 ", 42).score, 1.0);
  EXPECT_EQ(Score("accuracy", "42.0", 42).score, 0.0);
}

TEST(AccuracyRewardTest, InstanceNameParameterRenamesDetailAndExtraDataKey) {
  const auto r = ScoreWith("accuracy", {{"name", "exact_match"}}, "a", "a");
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "exact_match");
  EXPECT_TRUE(r.additional_kwargs.contains("exact_match"));
  EXPECT_FALSE(r.additional_kwargs.contains("accuracy"));
}

TEST(AccuracyRewardTest, EachOutputIsScoredAloneAndInputIsNotMutated) {
  const DataSample sample = testing::SampleWithAnswers(
      {testing::AnswerJson("yes", "yes"), testing::AnswerJson("no", "yes"), testing::AnswerJson(" yes\n", "yes")});
  const auto reward = RewardRegistry::Global().Create("accuracy");
  const DataSample evaluated = reward->Evaluate(sample);
  EXPECT_EQ(testing::ScoredOutput(*reward, evaluated, 0).score, 1.0);
  EXPECT_EQ(testing::ScoredOutput(*reward, evaluated, 1).score, 0.0);
  EXPECT_EQ(testing::ScoredOutput(*reward, evaluated, 2).score, 1.0);
  for (const DataOutput& output : sample.output) EXPECT_FALSE(output.answer.reward.has_value());
}

TEST(AccuracyRewardTest, AliasAccuracyRewardBuildsTheSameReward) {
  const auto reward = RewardRegistry::Global().Create("accuracy_reward");
  EXPECT_EQ(reward->name(), "accuracy");
  EXPECT_EQ(reward->family(), RewardFamily::kPointwise);
}

}  // namespace
}  // namespace rmg::gallery
