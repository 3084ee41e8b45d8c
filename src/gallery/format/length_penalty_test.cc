// length_penalty: RM-Gallery's LengthPenaltyReward (rm_gallery_api.md §11.2).
// Penalties were computed once with CPython 3.11 (e.g. -(50 - 10) * 0.1 == -4.0).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "gallery/testing.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::ScoreWith;
using testing::SortedKeys;

const Json kRange50To100 = {{"min_length", 50}, {"max_length", 100}, {"penalty_rate", 0.1}};

TEST(LengthPenaltyRewardTest, TooShortIsPenalisedPerMissingCharacter) {
  const auto r = ScoreWith("length_penalty", kRange50To100, "Short text");
  EXPECT_EQ(r.score, -4.0);
  EXPECT_EQ(r.reason(), "Too short: 10 < 50");
}

TEST(LengthPenaltyRewardTest, TooLongIsPenalisedPerExtraCharacter) {
  const auto r = ScoreWith("length_penalty", {{"min_length", 1}, {"max_length", 10}, {"penalty_rate", 0.5}},
                           "fifteen chars!!");
  EXPECT_EQ(r.score, -2.5);
  EXPECT_EQ(r.reason(), "Too long: 15 > 10");
}

TEST(LengthPenaltyRewardTest, BoundsAtTheEndsOfInt64StillPenalise) {
  // Python: -(11 - (-2**63)) * 1.0 == -2.0**63; in int64_t the difference overflowed to a reward.
  const int64_t lowest = std::numeric_limits<int64_t>::min();
  const auto r = ScoreWith("length_penalty", {{"min_length", lowest}, {"max_length", lowest}, {"penalty_rate", 1.0}},
                           "hello world");
  EXPECT_EQ(r.score, -9223372036854775808.0);
  EXPECT_EQ(r.reason(), "Too long: 11 > -9223372036854775808");
}

TEST(LengthPenaltyRewardTest, LengthInRangeIsNotPenalised) {
  const auto r = Score("length_penalty", "twelve chars");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "Length acceptable: 10 <= 12 <= 1000");
}

TEST(LengthPenaltyRewardTest, BoundsAreInclusive) {
  const Json params = {{"min_length", 3}, {"max_length", 5}};
  EXPECT_EQ(ScoreWith("length_penalty", params, "abc").reason(), "Length acceptable: 3 <= 3 <= 5");
  EXPECT_EQ(ScoreWith("length_penalty", params, "abcde").reason(), "Length acceptable: 3 <= 5 <= 5");
  EXPECT_EQ(ScoreWith("length_penalty", params, "ab").reason(), "Too short: 2 < 3");
  EXPECT_EQ(ScoreWith("length_penalty", params, "abcdef").reason(), "Too long: 6 > 5");
}

TEST(LengthPenaltyRewardTest, LengthCountsCodePointsNotBytes) {
  // "héllo wörld" is 11 characters (13 UTF-8 bytes); an emoji is one character.
  EXPECT_EQ(ScoreWith("length_penalty", {{"min_length", 12}}, "h\u00e9llo w\u00f6rld").reason(), "Too short: 11 < 12");
  EXPECT_EQ(ScoreWith("length_penalty", {{"min_length", 1}, {"max_length", 1}}, "\U0001F600").score, 0.0);
}

TEST(LengthPenaltyRewardTest, WhitespaceIsNotStripped) {
  EXPECT_EQ(Score("length_penalty", "          ").reason(), "Length acceptable: 10 <= 10 <= 1000");
}

TEST(LengthPenaltyRewardTest, DefaultsAreTenToThousandAtOneHundredth) {
  EXPECT_EQ(testing::DefaultParam("length_penalty", "min_length"), 10);
  EXPECT_EQ(testing::DefaultParam("length_penalty", "max_length"), 1000);
  EXPECT_EQ(testing::DefaultParam("length_penalty", "penalty_rate"), 0.01);
  const auto empty = Score("length_penalty", "");
  EXPECT_EQ(empty.score, -0.1);
  EXPECT_EQ(empty.reason(), "Too short: 0 < 10");
}

TEST(LengthPenaltyRewardTest, ExtraData) {
  const auto r = ScoreWith("length_penalty", kRange50To100, "Short text");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"length", "max_length", "min_length", "penalty"}));
  EXPECT_EQ(r.extra.at("length"), 10);
  EXPECT_EQ(r.extra.at("min_length"), 50);
  EXPECT_EQ(r.extra.at("max_length"), 100);
  EXPECT_EQ(r.extra.at("penalty"), -4.0);
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "length_penalty");
}

TEST(LengthPenaltyRewardTest, ParametersGivenAsCommandLineStrings) {
  const auto r = ScoreWith("length_penalty", {{"min_length", "50"}, {"max_length", "100"}, {"penalty_rate", "0.1"}},
                           "Short text");
  EXPECT_EQ(r.score, -4.0);
}

}  // namespace
}  // namespace rmg::gallery
