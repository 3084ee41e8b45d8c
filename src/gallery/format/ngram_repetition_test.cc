// ngram_repetition_penalty: RM-Gallery's NgramRepetitionPenaltyReward
// (rm_gallery_api.md §11.2). Rates, penalties and Counter.most_common(5) lists were
// computed once with CPython 3.11 from the same token lists.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gallery/testing.h"
#include "rmg/registry.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::ScoreWith;
using testing::SortedKeys;

constexpr const char* kNgramRepetitionReward = "ngram_repetition_penalty";

// Bigrams of "a b a b a b": ab ba ab ba ab -> 2 unique of 5, rate 0.6.
constexpr const char* kAbab = "a b a b a b";

Json Simple(Json params = Json::object()) {
  params["tokenizer"] = "simple";
  return params;
}

TEST(NgramRepetitionRewardTest, RepeatedWordIsPenalisedWithDefaultTokenizer) {
  // cl100k: "the", " the" x4 -> bigrams (the, _the), (_the, _the) x3: rate 0.5.
  const auto r = ScoreWith(kNgramRepetitionReward, {{"n", 2}}, "The the the the the");
  EXPECT_LT(r.score, 0.0);
  EXPECT_EQ(r.score, -0.2);
  EXPECT_EQ(r.extra.at("repetition_rate"), 0.5);
  EXPECT_EQ(r.reason(),
            "2-gram repetition rate: 0.500, penalty: -0.200 (hard penalty, tiktoken tokenizer, scope: full)");
  EXPECT_EQ(r.extra.at("most_common_ngrams"), Json::parse(R"([[[" the", " the"], 3], [["the", " the"], 1]])"));
}

TEST(NgramRepetitionRewardTest, RepeatedWordWithSimpleTokenizer) {
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), "The the the the the");
  EXPECT_EQ(r.score, -0.45);
  EXPECT_EQ(r.extra.at("repetition_rate"), 0.75);
  EXPECT_EQ(r.extra.at("most_common_ngrams"), Json::parse(R"([[["the", "the"], 4]])"));
}

TEST(NgramRepetitionRewardTest, TextShorterThanNIsNotAnalysed) {
  const auto r = ScoreWith(kNgramRepetitionReward, {{"n", 3}}, "Hi");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_NE(r.reason().find("Text too short"), std::string::npos);
  EXPECT_EQ(r.reason(), "Text too short for 3-gram analysis");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"analyze_scope", "n", "token_count", "tokenizer_type"}));
  EXPECT_EQ(r.extra.at("token_count"), 1);
  EXPECT_EQ(r.extra.at("n"), 3);
  EXPECT_EQ(r.extra.at("analyze_scope"), "full");
  EXPECT_EQ(r.extra.at("tokenizer_type"), "tiktoken");
}

TEST(NgramRepetitionRewardTest, NoRepetitionNoPenalty) {
  const auto r = ScoreWith(kNgramRepetitionReward, Simple(), "a b c d e");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "3-gram repetition rate: 0.000, penalty: 0.000 (hard penalty, simple tokenizer, scope: full)");
  EXPECT_EQ(r.extra.at("unique_ngrams"), 3);
  EXPECT_EQ(r.extra.at("total_ngrams"), 3);
}

TEST(NgramRepetitionRewardTest, HardPenaltyIsRateAboveThresholdTimesPenaltyRate) {
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), kAbab);
  EXPECT_EQ(r.score, -0.3);
  EXPECT_EQ(r.reason(), "2-gram repetition rate: 0.600, penalty: -0.300 (hard penalty, simple tokenizer, scope: full)");
  EXPECT_EQ(ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}, {"penalty_rate", 2.0}}), kAbab).score, -0.6);
}

TEST(NgramRepetitionRewardTest, HardPenaltyNeedsRateStrictlyAboveThreshold) {
  // "a a b b", n = 1: 2 unique of 4, rate 0.5 == threshold.
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 1}, {"penalty_threshold", 0.5}}), "a a b b");
  EXPECT_EQ(r.extra.at("repetition_rate"), 0.5);
  EXPECT_EQ(r.score, 0.0);
}

TEST(NgramRepetitionRewardTest, SmallRateBelowDefaultThreshold) {
  // "a b a b", n = 2: 2 unique of 3 -> rate 1/3 just above 0.3.
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), "a b a b");
  EXPECT_EQ(r.extra.at("repetition_rate"), 0.33333333333333337);
  EXPECT_EQ(r.score, -0.03333333333333338);
  EXPECT_EQ(r.reason(), "2-gram repetition rate: 0.333, penalty: -0.033 (hard penalty, simple tokenizer, scope: full)");
}

TEST(NgramRepetitionRewardTest, SoftPenaltyScalesWithRate) {
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}, {"use_soft_penalty", true}}), kAbab);
  EXPECT_EQ(r.score, -0.6);
  EXPECT_EQ(r.reason(), "2-gram repetition rate: 0.600, penalty: -0.600 (soft penalty, simple tokenizer, scope: full)");
  EXPECT_EQ(r.extra.at("penalty_mode"), "soft");
  EXPECT_EQ(r.extra.at("use_soft_penalty"), true);
  EXPECT_EQ(
      ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}, {"use_soft_penalty", true}, {"max_penalty", -0.5}}), kAbab)
          .score,
      -0.3);
}

TEST(NgramRepetitionRewardTest, SoftPenaltyRescalesAboveMinScaling) {
  // (0.6 - 0.2) / (1 - 0.2) * -1.0
  const auto r =
      ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}, {"use_soft_penalty", true}, {"min_scaling", 0.2}}), kAbab);
  EXPECT_EQ(r.score, -0.49999999999999994);
  EXPECT_EQ(r.reason(), "2-gram repetition rate: 0.600, penalty: -0.500 (soft penalty, simple tokenizer, scope: full)");
}

TEST(NgramRepetitionRewardTest, SoftPenaltyIsZeroBelowMinScaling) {
  const auto r =
      ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}, {"use_soft_penalty", true}, {"min_scaling", 0.7}}), kAbab);
  EXPECT_EQ(r.score, 0.0);
  // 0 * max_penalty is -0.0 in Python too, and f"{-0.0:.3f}" is "-0.000".
  EXPECT_EQ(r.reason(), "2-gram repetition rate: 0.600, penalty: -0.000 (soft penalty, simple tokenizer, scope: full)");
}

TEST(NgramRepetitionRewardTest, SoftPenaltyAtExactlyMinScalingKeepsRmGallerysUnscaledRate) {
  // RM-Gallery bug 16, kept: rate == min_scaling uses the raw rate, not 0.
  const auto r =
      ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}, {"use_soft_penalty", true}, {"min_scaling", 0.6}}), kAbab);
  EXPECT_EQ(r.score, -0.6);
}

TEST(NgramRepetitionRewardTest, PositiveMaxPenaltyWithSoftModeIsRejected) {
  EXPECT_THROW(
      RewardRegistry::Global().Create(kNgramRepetitionReward, {{"use_soft_penalty", true}, {"max_penalty", 0.5}}),
      RegistryError);
  // Without soft mode max_penalty is unused and any value is accepted.
  EXPECT_NO_THROW(RewardRegistry::Global().Create(kNgramRepetitionReward, {{"max_penalty", 0.5}}));
}

TEST(NgramRepetitionRewardTest, NMustBePositive) {
  EXPECT_THROW(RewardRegistry::Global().Create(kNgramRepetitionReward, {{"n", 0}}), RegistryError);
}

TEST(NgramRepetitionRewardTest, TokensAreLowerCased) {
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 1}}), "A a");
  EXPECT_EQ(r.extra.at("repetition_rate"), 0.5);
}

// RM-Gallery lower-cases the text unless the tokenizer is jieba. jieba keeps "AB" and
// "ab" apart, and the spaces between them are tokens: trigrams (AB _ ab) (_ ab _)
// (ab _ AB) (_ AB _) (AB _ ab), 4 unique of 5.
TEST(NgramRepetitionRewardTest, JiebaKeepsCaseAndCutsChineseWords) {
  const auto r = ScoreWith(kNgramRepetitionReward, {{"tokenizer_type", "jieba"}}, "AB ab AB ab");
  EXPECT_EQ(r.reason(), "3-gram repetition rate: 0.200, penalty: 0.000 (hard penalty, jieba tokenizer, scope: full)");
  EXPECT_EQ(r.extra.at("tokenizer_type"), "jieba");
  // jieba.cut: 我 来到 北京 我 来到 北京 -> bigrams 我来到 来到北京 北京我 我来到 来到北京: rate 0.4.
  const auto chinese =
      ScoreWith(kNgramRepetitionReward, {{"tokenizer_type", "jieba"}, {"n", 2}}, "我来到北京我来到北京");
  EXPECT_EQ(chinese.extra.at("repetition_rate"), 0.4);
  EXPECT_EQ(chinese.extra.at("most_common_ngrams"),
            Json::parse(R"([[["我", "来到"], 2], [["来到", "北京"], 2], [["北京", "我"], 1]])"));
}

TEST(NgramRepetitionRewardTest, MostCommonBreaksTiesByFirstAppearance) {
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 1}}), "a b c d e f g");
  EXPECT_EQ(r.extra.at("most_common_ngrams"),
            Json::parse(R"([[["a"], 1], [["b"], 1], [["c"], 1], [["d"], 1], [["e"], 1]])"));
  const auto abab = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), kAbab);
  EXPECT_EQ(abab.extra.at("most_common_ngrams"), Json::parse(R"([[["a", "b"], 3], [["b", "a"], 2]])"));
}

TEST(NgramRepetitionRewardTest, ThoughtScopeAnalysesOnlyThinkBodies) {
  const Json params = Simple({{"n", 2}, {"analyze_scope", "thought"}});
  const auto r = ScoreWith(kNgramRepetitionReward, params, "<think>a b a b a b</think> c d e f g h");
  EXPECT_EQ(r.score, -0.3);
  EXPECT_EQ(r.reason(),
            "2-gram repetition rate: 0.600, penalty: -0.300 (hard penalty, simple tokenizer, scope: thought)");
  EXPECT_EQ(r.extra.at("analyze_scope"), "thought");
  // The repetition outside <think> is not looked at.
  EXPECT_EQ(ScoreWith(kNgramRepetitionReward, params, "<think>p q r s</think> a b a b a b").score, 0.0);
}

TEST(NgramRepetitionRewardTest, ThoughtScopeJoinsSeveralThinkBodiesWithSpace) {
  // "a b" + " " + "a b" -> "a b a b": rate 1/3.
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}, {"analyze_scope", "thought"}}),
                           "<think>a b</think> x y <think>a b</think>");
  EXPECT_EQ(r.extra.at("total_ngrams"), 3);
  EXPECT_EQ(r.extra.at("unique_ngrams"), 2);
}

TEST(NgramRepetitionRewardTest, ThoughtScopeWithoutThinkTags) {
  const auto r = ScoreWith(kNgramRepetitionReward, {{"analyze_scope", "thought"}}, "a b a b a b a b");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No thought process found to analyze");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"analyze_scope", "text_to_analyze"}));
  EXPECT_EQ(r.extra.at("analyze_scope"), "thought");
  EXPECT_EQ(r.extra.at("text_to_analyze"), "");
  // An empty <think></think> joins to "", which RM-Gallery reads as no thought too.
  const auto empty = ScoreWith(kNgramRepetitionReward, {{"analyze_scope", "thought"}}, "<think></think> a a a a");
  EXPECT_EQ(empty.reason(), "No thought process found to analyze");
}

TEST(NgramRepetitionRewardTest, UnknownScopeIsRejected) {
  EXPECT_THROW(RewardRegistry::Global().Create(kNgramRepetitionReward, {{"analyze_scope", "answer"}}), RegistryError);
}

TEST(NgramRepetitionRewardTest, ExtraDataOfAnAnalysis) {
  const auto r = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), kAbab);
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"analyze_scope", "most_common_ngrams", "penalty",
                                                           "penalty_mode", "repetition_rate", "tokenizer_type",
                                                           "total_ngrams", "unique_ngrams", "use_soft_penalty"}));
  EXPECT_EQ(r.extra.at("repetition_rate"), 0.6);
  EXPECT_EQ(r.extra.at("unique_ngrams"), 2);
  EXPECT_EQ(r.extra.at("total_ngrams"), 5);
  EXPECT_EQ(r.extra.at("penalty"), -0.3);
  EXPECT_EQ(r.extra.at("penalty_mode"), "hard");
  EXPECT_EQ(r.extra.at("use_soft_penalty"), false);
  EXPECT_EQ(r.extra.at("tokenizer_type"), "simple");
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "ngram_repetition_penalty");
}

TEST(NgramRepetitionRewardTest, Defaults) {
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "n"), 3);
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "penalty_threshold"), 0.3);
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "penalty_rate"), 1.0);
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "use_soft_penalty"), false);
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "max_penalty"), -1.0);
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "min_scaling"), 0.0);
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "analyze_scope"), "full");
  EXPECT_EQ(testing::DefaultParam(kNgramRepetitionReward, "tokenizer"), "tiktoken");
}

// The reward keeps its buffers per thread and frees them after an input over 1 MiB.
TEST(NgramRepetitionRewardTest, ResultsAreTheSameAroundALargeInput) {
  const auto before = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), kAbab);
  std::string large;
  for (int i = 0; i < 600000; ++i) large += i % 2 == 0 ? "a " : "b ";  // 1.2 MB: 2 distinct of 599,999 bigrams
  const auto big = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), large);
  EXPECT_EQ(big.extra.at("unique_ngrams"), 2);
  EXPECT_EQ(big.extra.at("total_ngrams"), 599999);
  const auto after = ScoreWith(kNgramRepetitionReward, Simple({{"n", 2}}), kAbab);
  EXPECT_EQ(after.score, before.score);
  EXPECT_EQ(after.extra, before.extra);
}

// Distinct n-grams are counted two ways: packed into one word when the n token ids
// fit in 63 bits, by comparing id sequences when not. Both must give Python's
// Counter results; the naive count here is the reference. The vocabularies are sized
// so that small n take the packed way and large n (up to 40) the other.
TEST(NgramRepetitionRewardTest, CountsMatchANaiveCountForEveryN) {
  for (const size_t vocabulary : {3u, 40u, 700u}) {
    std::string text;
    std::vector<std::string> tokens;
    uint64_t state = 12345;
    for (int i = 0; i < 1500; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      // Skewed towards a few tokens, so that longer n-grams repeat too.
      const uint64_t pick = (state >> 33) % vocabulary;
      const std::string token = "w" + std::to_string(pick * pick % vocabulary) + (pick % 7 == 0 ? "long_suffix" : "");
      tokens.push_back(token);
      text += token + (i % 11 == 0 ? "\n" : " ");
    }
    for (const size_t n : {1u, 2u, 3u, 5u, 9u, 17u, 40u}) {
      std::map<std::vector<std::string>, std::pair<int, size_t>> counts;  // count, first position
      const size_t total = tokens.size() - n + 1;
      for (size_t i = 0; i < total; ++i) {
        const std::vector<std::string> gram(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                                            tokens.begin() + static_cast<std::ptrdiff_t>(i + n));
        auto [it, inserted] = counts.try_emplace(gram, 0, i);
        ++it->second.first;
      }
      std::vector<std::pair<std::vector<std::string>, std::pair<int, size_t>>> ranked(counts.begin(), counts.end());
      std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second.first != b.second.first ? a.second.first > b.second.first : a.second.second < b.second.second;
      });
      Json most_common = Json::array();
      for (size_t r = 0; r < std::min<size_t>(5, ranked.size()); ++r) {
        most_common.push_back(Json::array({Json(ranked[r].first), ranked[r].second.first}));
      }
      const auto result = ScoreWith(kNgramRepetitionReward, Simple({{"n", n}}), text);
      SCOPED_TRACE("vocabulary " + std::to_string(vocabulary) + ", n " + std::to_string(n));
      EXPECT_EQ(result.extra.at("unique_ngrams"), counts.size());
      EXPECT_EQ(result.extra.at("total_ngrams"), total);
      EXPECT_EQ(result.extra.at("most_common_ngrams"), most_common);
    }
  }
}

}  // namespace
}  // namespace rmg::gallery
