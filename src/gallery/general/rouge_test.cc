// The rouge reward (RM-Gallery's RougeReward, plus rouge-score's other variants, a
// stemmer and a choice of tokenizer): its registered parameters, RM-Gallery's
// reason and extra_data, and its reading of label.reference. rouge-score's
// published values are checked in text_metrics_data_test.cc.
#include <gtest/gtest.h>

#include "gallery/general/general.h"
#include "gallery/testing.h"

namespace rmg::gallery {
namespace {

using testing::Scored;
using testing::SortedKeys;

Scored RougeScored(const Json& params, std::string_view content, const Json& label) {
  Json answer = testing::AnswerJson(content);
  if (!label.is_null()) answer["label"] = label;
  const auto reward = RewardRegistry::Global().Create("rouge", params);
  return testing::ScoredOutput(*reward, reward->Evaluate(testing::SampleWithAnswers({answer})));
}

Scored RougeAgainst(const Json& params, std::string_view content, std::string_view reference) {
  return RougeScored(params, content, {{"reference", reference}});
}

TEST(RougeRewardTest, RegisteredParametersAndDefaults) {
  const RewardSpec& spec = RewardRegistry::Global().Spec("rouge");
  EXPECT_EQ(spec.family, RewardFamily::kPointwise);
  std::vector<std::string> names;
  for (const ParamSpec& p : spec.params) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"variant", "use_stemmer", "tokenizer", "tokenizer_type", "encoding_name",
                                             "chinese_only", "name"}));
  EXPECT_EQ(spec.params[0].default_value, "rougeL");  // RM-Gallery's RougeReward is ROUGE-L
  EXPECT_EQ(spec.params[0].choices, (std::vector<std::string>{"rouge1", "rouge2", "rougeL", "rougeLsum"}));
  EXPECT_EQ(spec.params[1].default_value, false);
  EXPECT_EQ(spec.params[2].default_value, "unicode");
  EXPECT_TRUE(spec.params[3].default_value.is_null());
  EXPECT_EQ(spec.params[6].default_value, "rouge");
}

TEST(RougeRewardTest, UnknownVariantsAreRefused) {
  try {
    RewardRegistry::Global().Create("rouge", {{"variant", "rougeS"}});
    ADD_FAILURE() << "rougeS accepted";
  } catch (const RegistryError& e) {
    EXPECT_STREQ(e.what(),
                 "parameter 'variant' of reward 'rouge': 'rougeS' is not one of rouge1, rouge2, rougeL, rougeLsum");
  }
}

TEST(RougeRewardTest, RougeLReasonAndExtraData) {
  const Scored r = RougeAgainst(Json::object(), "The cat sat on the mat.", "the cat is on the mat");
  EXPECT_NEAR(r.score, 5.0 / 6.0, 1e-12);
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "rouge");
  EXPECT_EQ(r.reason(), "ROUGE-L score: 0.833");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"generated_length", "lcs_length", "precision", "recall",
                                                           "reference_length", "rouge_l"}));
  EXPECT_EQ(r.extra["rouge_l"].get<double>(), r.score);
  EXPECT_EQ(r.extra["generated_length"], 6);  // the unicode tokenizer drops the full stop
  EXPECT_EQ(r.extra["reference_length"], 6);
  EXPECT_EQ(r.extra["lcs_length"], 5);
}

// Precision is over the response's tokens, recall over the reference's.
TEST(RougeRewardTest, PrecisionAndRecallAreNotSwapped) {
  const Scored r = RougeAgainst(Json::object(), "the cat sat on the mat today", "the cat is on the mat");
  EXPECT_NEAR(r.extra["precision"].get<double>(), 5.0 / 7.0, 1e-12);
  EXPECT_NEAR(r.extra["recall"].get<double>(), 5.0 / 6.0, 1e-12);
  EXPECT_NEAR(r.score, 10.0 / 13.0, 1e-12);
  EXPECT_EQ(r.reason(), "ROUGE-L score: 0.769");
  EXPECT_EQ(r.extra["generated_length"], 7);
}

TEST(RougeRewardTest, NgramVariants) {
  Scored r = RougeAgainst({{"variant", "rouge1"}}, "the cat sat on the mat", "the cat is on the mat");
  EXPECT_NEAR(r.score, 5.0 / 6.0, 1e-12);
  EXPECT_EQ(r.reason(), "ROUGE-1 score: 0.833");
  EXPECT_EQ(SortedKeys(r.extra),
            (std::vector<std::string>{"generated_length", "precision", "recall", "reference_length", "rouge_1"}));
  r = RougeAgainst({{"variant", "rouge2"}}, "the cat sat on the mat", "the cat is on the mat");
  EXPECT_NEAR(r.score, 0.6, 1e-12);  // the cat, on the, the mat of five bigrams each
  EXPECT_EQ(r.reason(), "ROUGE-2 score: 0.600");
  EXPECT_EQ(SortedKeys(r.extra),
            (std::vector<std::string>{"generated_length", "precision", "recall", "reference_length", "rouge_2"}));
  EXPECT_EQ(r.extra["generated_length"], 6);  // tokens, not bigrams
}

// rougeLsum takes the union of LCS hits per reference sentence (sentences are
// lines), so swapped sentences still match; plain rougeL sees one sequence.
TEST(RougeRewardTest, RougeLsumMatchesSentencesInAnyOrder) {
  const char* response = "The dog ran.\nThe cat sat.";
  const char* reference = "the cat sat\nthe dog ran";
  const Scored lsum = RougeAgainst({{"variant", "rougeLsum"}}, response, reference);
  EXPECT_DOUBLE_EQ(lsum.score, 1.0);
  EXPECT_EQ(lsum.reason(), "ROUGE-Lsum score: 1.000");
  EXPECT_EQ(SortedKeys(lsum.extra),
            (std::vector<std::string>{"generated_length", "precision", "recall", "reference_length", "rouge_lsum"}));
  EXPECT_EQ(lsum.extra["generated_length"], 6);
  const Scored l = RougeAgainst(Json::object(), response, reference);
  EXPECT_NEAR(l.score, 0.5, 1e-12);
  EXPECT_EQ(l.extra["lcs_length"], 3);
}

// The texts are stripped and lower-cased by the reward itself, whatever the
// tokenizer does: tiktoken keeps case and leading spaces in its tokens.
TEST(RougeRewardTest, TextsAreStrippedAndLowerCased) {
  for (const char* tokenizer : {"simple", "unicode", "rouge_score", "tiktoken"}) {
    const Scored r = RougeAgainst({{"tokenizer", tokenizer}}, "\u00a0 THE Cat SAT \n", "the cat sat");
    EXPECT_DOUBLE_EQ(r.score, 1.0) << tokenizer;
    EXPECT_EQ(r.extra["generated_length"], r.extra["reference_length"]) << tokenizer;
  }
}

// jieba (and tiktoken) give whitespace tokens of their own; as in rouge-score, which
// keeps only [a-z0-9]+ tokens, they are no words, so unrelated texts share nothing.
TEST(RougeRewardTest, WhitespaceTokensAreNotWords) {
  const Scored jieba = RougeAgainst({{"tokenizer", "jieba"}}, "苹果 香蕉 樱桃 枣子", "狼 斑马 牦牛 老虎");
  EXPECT_EQ(jieba.score, 0.0);
  EXPECT_EQ(jieba.extra["generated_length"], 4);
  EXPECT_EQ(RougeAgainst({{"tokenizer", "jieba"}}, "apple banana cherry", "wolf xray yak").score, 0.0);
  // 来到 北京 in common: P = 2/4, R = 2/3, F = 4/7.
  EXPECT_NEAR(RougeAgainst({{"tokenizer", "jieba"}}, "我来到北京清华大学", "他来到北京").score, 4.0 / 7.0, 1e-12);
}

TEST(RougeRewardTest, TheTokenizerDecidesWhatAWordIs) {
  EXPECT_DOUBLE_EQ(RougeAgainst(Json::object(), "Hello, world!", "hello world").score, 1.0);
  EXPECT_DOUBLE_EQ(RougeAgainst({{"tokenizer", "rouge_score"}}, "Hello, world!", "hello world").score, 1.0);
  // str.split(), as RM-Gallery: the punctuation stays on the words.
  EXPECT_EQ(RougeAgainst({{"tokenizer", "simple"}}, "Hello, world!", "hello world").score, 0.0);
  // RM-Gallery's name wins over rmg's.
  EXPECT_EQ(
      RougeAgainst({{"tokenizer", "unicode"}, {"tokenizer_type", "simple"}}, "Hello, world!", "hello world").score,
      0.0);
  EXPECT_DOUBLE_EQ(
      RougeAgainst({{"tokenizer", "simple"}, {"tokenizer_type", "unicode"}}, "Hello, world!", "hello world").score,
      1.0);
}

// Each ideograph is a token for the default tokenizer; split at spaces, a Chinese
// sentence is one word and a near match scores nothing.
TEST(RougeRewardTest, ChineseIsNotOneToken) {
  const Scored r = RougeAgainst(Json::object(), "我爱北京", "我爱上海");
  EXPECT_NEAR(r.score, 0.5, 1e-12);
  EXPECT_EQ(r.reason(), "ROUGE-L score: 0.500");
  EXPECT_EQ(r.extra["generated_length"], 4);
  EXPECT_EQ(r.extra["lcs_length"], 2);
  EXPECT_EQ(RougeAgainst({{"tokenizer", "simple"}}, "我爱北京", "我爱上海").score, 0.0);
}

TEST(RougeRewardTest, TheStemmerIsOptIn) {
  EXPECT_EQ(RougeAgainst(Json::object(), "running cats", "run cat").score, 0.0);
  EXPECT_DOUBLE_EQ(RougeAgainst({{"use_stemmer", true}}, "running cats", "run cat").score, 1.0);
  EXPECT_DOUBLE_EQ(RougeAgainst({{"use_stemmer", true}, {"variant", "rouge1"}}, "Running Cats", "run cat").score, 1.0);
}

// RM-Gallery: both empty -> 1.0, one empty -> 0.0, whatever the variant. Texts
// without tokens are not empty ones.
TEST(RougeRewardTest, EmptyTexts) {
  for (const char* variant : {"rouge1", "rouge2", "rougeL", "rougeLsum"}) {
    const Scored both = RougeAgainst({{"variant", variant}}, " \n\t", "");
    EXPECT_EQ(both.score, 1.0) << variant;
    EXPECT_EQ(both.extra["precision"], 1.0) << variant;
    EXPECT_EQ(both.extra["recall"], 1.0) << variant;
    EXPECT_EQ(both.extra["generated_length"], 0) << variant;
    EXPECT_EQ(RougeAgainst({{"variant", variant}}, "", "the cat").score, 0.0) << variant;
    EXPECT_EQ(RougeAgainst({{"variant", variant}}, "the cat", "").score, 0.0) << variant;
  }
  const Scored r = RougeAgainst(Json::object(), "", "");
  EXPECT_EQ(r.reason(), "ROUGE-L score: 1.000");
  EXPECT_EQ(r.extra["lcs_length"], 0);
  // Text without tokens scores 0, as in rouge-score: punctuation or emoji alone, and
  // Chinese for rouge-score's tokenizer, which drops it.
  EXPECT_EQ(RougeAgainst(Json::object(), "...", "!?").score, 0.0);
  EXPECT_EQ(RougeAgainst(Json::object(), "🙂", "👍").score, 0.0);
  for (const char* variant : {"rouge1", "rouge2", "rougeL", "rougeLsum"}) {
    const Scored chinese = RougeAgainst({{"variant", variant}, {"tokenizer", "rouge_score"}}, "你好", "再见");
    EXPECT_EQ(chinese.score, 0.0) << variant;
    EXPECT_EQ(chinese.extra["precision"], 0.0) << variant;
  }
}

// As RM-Gallery's label.get("reference", ""): no reference is an empty one, not an
// error, and label.references (bleu's and chrf's list) is not read.
TEST(RougeRewardTest, ReadsOnlyLabelReference) {
  Scored r = RougeScored(Json::object(), "the cat", nullptr);
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "ROUGE-L score: 0.000");
  EXPECT_EQ(r.extra["reference_length"], 0);
  EXPECT_EQ(r.extra["lcs_length"], 0);
  EXPECT_EQ(RougeScored(Json::object(), "", nullptr).score, 1.0);
  EXPECT_EQ(RougeScored(Json::object(), "the cat", {{"references", {"the cat"}}}).score, 0.0);
  EXPECT_DOUBLE_EQ(RougeScored(Json::object(), "the cat", {{"references", {"x"}}, {"reference", "the cat"}}).score,
                   1.0);
}

// A reference that is not a string is compared as its JSON text.
TEST(RougeRewardTest, ANumericReferenceIsItsJsonText) {
  EXPECT_DOUBLE_EQ(RougeScored(Json::object(), "42", {{"reference", 42}}).score, 1.0);
  EXPECT_DOUBLE_EQ(RougeScored(Json::object(), "the answer is 3.5", {{"reference", 3.5}}).extra["recall"].get<double>(),
                   1.0);
}

TEST(RougeRewardTest, TheInstanceNameNamesDetailAndExtraData) {
  const Scored r = RougeAgainst({{"name", "summary_overlap"}, {"variant", "rouge2"}}, "a b c", "a b d");
  EXPECT_EQ(r.details[0].name, "summary_overlap");
  EXPECT_EQ(SortedKeys(r.additional_kwargs), std::vector<std::string>{"summary_overlap"});
  EXPECT_NEAR(r.extra["rouge_2"].get<double>(), 0.5, 1e-12);
}

}  // namespace
}  // namespace rmg::gallery
