// reasoning_format: RM-Gallery's ReasoningFormatReward (rm_gallery_api.md §11.2),
// registered as `reasoning_format`, instance name `format_reward`.
#include <gtest/gtest.h>

#include "gallery/testing.h"
#include "rmg/registry.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::ScoreWith;
using testing::SortedKeys;

TEST(ReasoningFormatRewardTest, BothTagsPresentScoresOne) {
  const auto r = Score("reasoning_format", "<think>2+2=4</think><answer>4</answer>");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "All format requirements met");
}

TEST(ReasoningFormatRewardTest, DetailsAndExtraDataAreNamedFormatReward) {
  const auto r = Score("reasoning_format", "<think>a</think><answer>b</answer>");
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "format_reward");
  EXPECT_TRUE(r.additional_kwargs.contains("format_reward"));
  EXPECT_FALSE(r.additional_kwargs.contains("reasoning_format"));
}

TEST(ReasoningFormatRewardTest, MissingThink) {
  const auto r = Score("reasoning_format", "<answer>4</answer>");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "Missing <think></think> tags");
}

TEST(ReasoningFormatRewardTest, MissingAnswer) {
  const auto r = Score("reasoning_format", "<think>hmm</think> 4");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "Missing <answer></answer> tags");
}

TEST(ReasoningFormatRewardTest, BothMissingJoinsReasonsWithSemicolon) {
  const auto r = Score("reasoning_format", "just 4");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "Missing <think></think> tags; Missing <answer></answer> tags");
}

TEST(ReasoningFormatRewardTest, TagsMayBeAnywhereAndInAnyOrder) {
  EXPECT_EQ(Score("reasoning_format", "intro <answer>4</answer> then <think>why</think> outro").score, 1.0);
}

TEST(ReasoningFormatRewardTest, BodiesMaySpanLinesAndBeEmpty) {
  EXPECT_EQ(Score("reasoning_format", "<think>line 1\nline 2</think>\n<answer></answer>").score, 1.0);
}

TEST(ReasoningFormatRewardTest, CloseTagBeforeOpenTagDoesNotCount) {
  const auto r = Score("reasoning_format", "</think>x<think> <answer>4</answer>");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "Missing <think></think> tags");
}

TEST(ReasoningFormatRewardTest, ExtraData) {
  const auto r = Score("reasoning_format", "<think>t</think>");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"answer_token", "has_answer_tag", "has_think_tag",
                                                           "think_token", "total_reward"}));
  EXPECT_EQ(r.extra.at("has_think_tag"), true);
  EXPECT_EQ(r.extra.at("has_answer_tag"), false);
  EXPECT_EQ(r.extra.at("total_reward"), 0.0);
  EXPECT_EQ(r.extra.at("think_token"), "think");
  EXPECT_EQ(r.extra.at("answer_token"), "answer");
}

TEST(ReasoningFormatRewardTest, DefaultTokens) {
  EXPECT_EQ(testing::DefaultParam("reasoning_format", "think_token"), "think");
  EXPECT_EQ(testing::DefaultParam("reasoning_format", "answer_token"), "answer");
  EXPECT_EQ(testing::DefaultParam("reasoning_format", "name"), "format_reward");
}

TEST(ReasoningFormatRewardTest, CustomTokensAreUsedInSearchAndReasons) {
  const Json params = {{"think_token", "reason"}, {"answer_token", "final"}};
  const auto ok = ScoreWith("reasoning_format", params, "<reason>r</reason><final>f</final>");
  EXPECT_EQ(ok.score, 1.0);
  EXPECT_EQ(ok.extra.at("think_token"), "reason");
  EXPECT_EQ(ok.extra.at("answer_token"), "final");
  const auto missing = ScoreWith("reasoning_format", params, "<think>t</think><answer>a</answer>");
  EXPECT_EQ(missing.score, 0.0);
  EXPECT_EQ(missing.reason(), "Missing <reason></reason> tags; Missing <final></final> tags");
}

TEST(ReasoningFormatRewardTest, AliasFormatRewardBuildsThisReward) {
  const auto reward = RewardRegistry::Global().Create("format_reward");
  EXPECT_EQ(reward->name(), "format_reward");
  EXPECT_EQ(RewardRegistry::Global().Spec("format_reward").name, "reasoning_format");
}

}  // namespace
}  // namespace rmg::gallery
