// f1_score: RM-Gallery's F1ScoreReward (rm_gallery_api.md §11.1). Expected scores
// were computed once with CPython 3.11 (2*p*r/(p+r) on the token sets) and are
// compared exactly: both sides do the same double arithmetic.
#include <gtest/gtest.h>

#include "gallery/testing.h"
#include "rmg/registry.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::ScoreWith;
using testing::SortedKeys;

const Json kSimple = {{"tokenizer", "simple"}};

TEST(F1ScoreRewardTest, DisjointTokensScoreZero) {
  const auto r = ScoreWith("f1_score", kSimple, "abc def", "xyz uvw");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "F1 score: 0.000 (Precision: 0.000, Recall: 0.000)");
}

TEST(F1ScoreRewardTest, DisjointTokensScoreZeroWithDefaultTokenizer) {
  EXPECT_EQ(Score("f1_score", "abc def", "xyz uvw").score, 0.0);
}

TEST(F1ScoreRewardTest, BothEmptyScoreOne) {
  const auto r = Score("f1_score", "", "");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "F1 score: 1.000 (Precision: 1.000, Recall: 1.000)");
  EXPECT_EQ(r.extra.at("precision"), 1.0);
  EXPECT_EQ(r.extra.at("recall"), 1.0);
}

TEST(F1ScoreRewardTest, WhitespaceOnlyCountsAsEmpty) {
  EXPECT_EQ(ScoreWith("f1_score", kSimple, " \n\t", "   ").score, 1.0);
}

TEST(F1ScoreRewardTest, TextsWithoutTokensAreNotEmpty) {
  // Two token sets are empty, but the texts are not: they do not agree completely.
  EXPECT_EQ(ScoreWith("f1_score", {{"tokenizer", "unicode"}}, "🙂", "👍").score, 0.0);
  EXPECT_EQ(ScoreWith("f1_score", {{"tokenizer_type", "jieba"}, {"chinese_only", true}}, "yes", "no").score, 0.0);
  EXPECT_EQ(ScoreWith("f1_score", {{"tokenizer", "unicode"}}, " ", "\n").score, 1.0);
}

TEST(F1ScoreRewardTest, OneSideEmptyScoresZero) {
  const auto empty_response = Score("f1_score", "", "some reference");
  EXPECT_EQ(empty_response.score, 0.0);
  EXPECT_EQ(empty_response.reason(), "F1 score: 0.000 (Precision: 0.000, Recall: 0.000)");
  EXPECT_EQ(Score("f1_score", "some response", "").score, 0.0);
  EXPECT_EQ(Score("f1_score", "some response", nullptr).score, 0.0);
}

TEST(F1ScoreRewardTest, PartialOverlapGivesPrecisionRecallAndF1) {
  // {the, cat, sat} vs {the, cat, ran, away}: P = 2/3, R = 1/2, F1 = 4/7.
  const auto r = ScoreWith("f1_score", kSimple, "the cat sat", "the cat ran away");
  EXPECT_EQ(r.score, 0.5714285714285715);
  EXPECT_EQ(r.extra.at("f1_score"), 0.5714285714285715);
  EXPECT_EQ(r.extra.at("precision"), 0.6666666666666666);
  EXPECT_EQ(r.extra.at("recall"), 0.5);
  EXPECT_EQ(r.reason(), "F1 score: 0.571 (Precision: 0.667, Recall: 0.500)");
}

TEST(F1ScoreRewardTest, TokensAreComparedAsSets) {
  const auto r = ScoreWith("f1_score", kSimple, "a a a b", "a b");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.extra.at("generated_tokens"), Json::parse(R"(["a", "b"])"));
}

TEST(F1ScoreRewardTest, TextIsLowerCasedBeforeTokenizing) {
  EXPECT_EQ(ScoreWith("f1_score", kSimple, "Hello World", "hello world").score, 1.0);
  EXPECT_EQ(Score("f1_score", "HELLO WORLD", "hello world").score, 1.0);
}

TEST(F1ScoreRewardTest, ExtraDataKeysAndTokenSets) {
  const auto r = ScoreWith("f1_score", kSimple, "the cat sat the end", "the cat ran away");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"f1_score", "generated_tokens", "precision", "recall",
                                                           "reference_tokens", "tokenizer_name", "tokenizer_type"}));
  // Set contents; RM-Gallery's order is a set's, rmg keeps the order of first appearance.
  EXPECT_EQ(r.extra.at("generated_tokens"), Json::parse(R"(["the", "cat", "sat", "end"])"));
  EXPECT_EQ(r.extra.at("reference_tokens"), Json::parse(R"(["the", "cat", "ran", "away"])"));
  EXPECT_EQ(r.extra.at("tokenizer_type"), "simple");
}

TEST(F1ScoreRewardTest, DefaultTokenizerIsTiktokenCl100k) {
  EXPECT_EQ(testing::DefaultParam("f1_score", "tokenizer"), "tiktoken");
  EXPECT_EQ(testing::DefaultParam("f1_score", "encoding_name"), "cl100k_base");
  const auto r = Score("f1_score", "a", "a");
  EXPECT_EQ(r.extra.at("tokenizer_type"), "tiktoken");
  EXPECT_EQ(r.extra.at("tokenizer_name"), "cl100k_base");
}

// tiktoken's encode() raises on a special token's text and RM-Gallery then splits at
// whitespace: 0.750 (1.000, 0.600), where BPE pieces of "<|endoftext|>" gave 0.632.
TEST(F1ScoreRewardTest, TiktokenFallsBackToSplittingOnSpecialTokens) {
  const auto r = Score("f1_score", "the answer <|endoftext|>", "<|endoftext|> The answer is 42");
  EXPECT_EQ(r.reason(), "F1 score: 0.750 (Precision: 1.000, Recall: 0.600)");
}

TEST(F1ScoreRewardTest, TiktokenPiecesKeepTheirLeadingSpace) {
  // cl100k: "hello world" -> {"hello", " world"}, "world hello" -> {"world", " hello"}:
  // no piece in common, while whitespace splitting sees the same two words.
  const auto tiktoken = ScoreWith("f1_score", {{"tokenizer", "tiktoken"}}, "hello world", "world hello");
  EXPECT_EQ(tiktoken.score, 0.0);
  EXPECT_EQ(tiktoken.extra.at("generated_tokens"), Json::parse(R"(["hello", " world"])"));
  EXPECT_EQ(ScoreWith("f1_score", kSimple, "hello world", "world hello").score, 1.0);
}

TEST(F1ScoreRewardTest, TokenizerTypeIsRmGallerysNameAndWins) {
  const auto r =
      ScoreWith("f1_score", {{"tokenizer", "tiktoken"}, {"tokenizer_type", "simple"}}, "hello world", "world hello");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.extra.at("tokenizer_type"), "simple");
}

// Token sets of jieba.cut() (Python, jieba 0.42.1): {我, 来到, 北京, 清华大学} and
// {他, 来到, 了, 网易, 杭研, 大厦} share 来到: P = 1/4, R = 1/6, F1 = 0.2.
TEST(F1ScoreRewardTest, JiebaCutsChineseIntoWords) {
  const auto r = ScoreWith("f1_score", {{"tokenizer_type", "jieba"}}, "我来到北京清华大学", "他来到了网易杭研大厦");
  EXPECT_EQ(r.score, 0.2);
  EXPECT_EQ(r.reason(), "F1 score: 0.200 (Precision: 0.250, Recall: 0.167)");
  EXPECT_EQ(r.extra.at("generated_tokens"), Json::parse(R"(["我", "来到", "北京", "清华大学"])"));
  EXPECT_EQ(r.extra.at("tokenizer_type"), "jieba");
  EXPECT_EQ(r.extra.at("tokenizer_name"), "jieba");
  // F1 lower-cases before any tokenizer; the space between words is a token of jieba's.
  EXPECT_EQ(
      ScoreWith("f1_score", {{"tokenizer_type", "jieba"}}, "Hello 北京", "hello 北京").extra.at("reference_tokens"),
      Json::parse(R"(["hello", " ", "北京"])"));
  // With chinese_only, only the ideographs count: 北京 is common to both.
  EXPECT_EQ(ScoreWith("f1_score", {{"tokenizer_type", "jieba"}, {"chinese_only", true}}, "abc 北京", "北京 xyz").score,
            1.0);
}

TEST(F1ScoreRewardTest, UnknownTokenizerIsRejectedAtConstruction) {
  EXPECT_THROW(RewardRegistry::Global().Create("f1_score", {{"tokenizer_type", "whitespace"}}), RegistryError);
  EXPECT_THROW(RewardRegistry::Global().Create("f1_score", {{"tokenizer", "bogus"}}), RegistryError);
}

TEST(F1ScoreRewardTest, DetailNameIsF1Score) {
  const auto r = Score("f1_score", "x", "x");
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "f1_score");
  EXPECT_TRUE(r.additional_kwargs.contains("f1_score"));
}

// The reward keeps its buffers per thread and frees them after an input over 1 MiB:
// scores and token lists must be the same before and after, and the large one right.
TEST(F1ScoreRewardTest, ScoresAreTheSameAroundALargeInput) {
  const auto before = ScoreWith("f1_score", kSimple, "The cat sat", "the cat ran");
  std::string large;
  for (int i = 0; i < 300000; ++i) large += "w" + std::to_string(i % 1000) + " ";
  const auto big = ScoreWith("f1_score", kSimple, large, "w1 w2 x");
  EXPECT_EQ(big.extra.at("generated_tokens").size(), 1000u);
  EXPECT_DOUBLE_EQ(big.extra.at("recall").get<double>(), 2.0 / 3.0);
  const auto after = ScoreWith("f1_score", kSimple, "The cat sat", "the cat ran");
  EXPECT_EQ(after.score, before.score);
  EXPECT_EQ(after.extra, before.extra);
  EXPECT_EQ(after.extra.at("generated_tokens"), (Json{"the", "cat", "sat"}));
}

}  // namespace
}  // namespace rmg::gallery
