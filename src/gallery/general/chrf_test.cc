// The chrf and corpus_chrf rewards: their registered parameters, how each reaches
// the sacreBLEU chrF engine (src/text/chrf.h, tested on its own), where the
// references come from, and the reason and extra_data written. The published
// sacreBLEU values are checked in text_metrics_data_test.cc.
#include "text/chrf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "gallery/general/general.h"
#include "gallery/python_format.h"
#include "gallery/testing.h"
#include "testing/random_letters.h"

namespace rmg::gallery {
namespace {

using testing::Scored;
using testing::SortedKeys;

constexpr const char* kChrfMissingReason = "error: answer.label has no reference (label.reference or label.references)";
// What the failed unit records as its extra data: the reason without "error: ".
constexpr const char* kChrfMissingError = "answer.label has no reference (label.reference or label.references)";

Json ChrfAnswer(std::string_view content, const Json& label) {
  Json answer = testing::AnswerJson(content);
  if (!label.is_null()) answer["label"] = label;
  return answer;
}

Scored ChrfScored(const Json& params, std::string_view content, const Json& label) {
  const auto reward = RewardRegistry::Global().Create("chrf", params);
  return testing::ScoredOutput(*reward, reward->Evaluate(testing::SampleWithAnswers({ChrfAnswer(content, label)})));
}

const ParamSpec& ChrfParam(std::string_view reward, std::string_view name) {
  for (const ParamSpec& spec : RewardRegistry::Global().Spec(reward).params) {
    if (spec.name == name) return spec;
  }
  throw std::logic_error("no parameter " + std::string(name));
}

// "abc" against "abd": 2/3 of the unigrams and 1/2 of the bigrams match, the one
// trigram does not, and neither side has longer n-grams, so the averages run over
// three orders: P = R = (2/3 + 1/2 + 0) / 3 = 7/18.
constexpr double kChrfAbcAbd = 7.0 / 18.0;

TEST(ChrfRewardTest, RegisteredParametersAndDefaults) {
  const RewardSpec& spec = RewardRegistry::Global().Spec("chrf");
  EXPECT_EQ(spec.family, RewardFamily::kPointwise);
  std::vector<std::string> names;
  for (const ParamSpec& p : spec.params) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"char_order", "word_order", "beta", "lowercase", "whitespace",
                                             "eps_smoothing", "name"}));
  const ParamSpec& char_order = ChrfParam("chrf", "char_order");
  EXPECT_EQ(char_order.default_value, 6);
  EXPECT_EQ(char_order.min, 1.0);
  EXPECT_EQ(char_order.max, 64.0);
  const ParamSpec& word_order = ChrfParam("chrf", "word_order");
  EXPECT_EQ(word_order.default_value, 0);  // chrF, not chrF++
  EXPECT_EQ(word_order.min, 0.0);
  EXPECT_EQ(word_order.max, 64.0);
  const ParamSpec& beta = ChrfParam("chrf", "beta");
  EXPECT_EQ(beta.type, ParamType::kDouble);
  EXPECT_EQ(beta.default_value, 2.0);
  EXPECT_EQ(beta.min, 0.0);
  EXPECT_EQ(beta.max, 1000.0);
  EXPECT_EQ(ChrfParam("chrf", "lowercase").default_value, false);
  EXPECT_EQ(ChrfParam("chrf", "whitespace").default_value, false);
  EXPECT_EQ(ChrfParam("chrf", "eps_smoothing").default_value, false);
  EXPECT_EQ(ChrfParam("chrf", "name").default_value, "chrf");

  const RewardSpec& corpus = RewardRegistry::Global().Spec("corpus_chrf");
  EXPECT_EQ(corpus.family, RewardFamily::kListwise);
  EXPECT_EQ(corpus.params.size(), spec.params.size());
  EXPECT_EQ(ChrfParam("corpus_chrf", "char_order").max, 64.0);
  EXPECT_EQ(ChrfParam("corpus_chrf", "name").default_value, "corpus_chrf");
}

TEST(ChrfRewardTest, ParameterValuesAreChecked) {
  const auto error = [](const Json& params) {
    try {
      RewardRegistry::Global().Create("chrf", params);
    } catch (const RegistryError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error({{"char_order", 0}}), "parameter 'char_order' of reward 'chrf' must be in [1, 64], got 0");
  EXPECT_EQ(error({{"char_order", 65}}), "parameter 'char_order' of reward 'chrf' must be in [1, 64], got 65");
  EXPECT_EQ(error({{"beta", -0.5}}), "parameter 'beta' of reward 'chrf' must be in [0, 1000], got -0.5");
  EXPECT_EQ(error({{"whitespace", "maybe"}}), "parameter 'whitespace' of reward 'chrf': expected bool, got 'maybe'");
  EXPECT_EQ(error({{"char_order", "64"}, {"word_order", "64"}, {"beta", "1000"}}), "");
}

TEST(ChrfRewardTest, ReasonAndExtraData) {
  const Scored r = ChrfScored(Json::object(), "abc", {{"reference", "abd"}});
  EXPECT_NEAR(r.score, kChrfAbcAbd, 1e-12);
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "chrf");
  EXPECT_EQ(r.reason(), "chrF score: 0.389");
  EXPECT_EQ(SortedKeys(r.extra), std::vector<std::string>{"chrf"});
  EXPECT_EQ(r.extra["chrf"].get<double>(), r.score);
}

TEST(ChrfRewardTest, IdenticalTextScoresOne) {
  const Scored r = ChrfScored(Json::object(), "The quick brown fox.", {{"reference", "The quick brown fox."}});
  EXPECT_LE(r.score, 1.0);
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "chrF score: 1.000");
}

// Character n-grams run over code points, not bytes: three ideographs behave as
// three letters.
TEST(ChrfRewardTest, CharactersAreCodePoints) {
  EXPECT_NEAR(ChrfScored(Json::object(), "日本語", {{"reference", "日本人"}}).score, kChrfAbcAbd, 1e-12);
  EXPECT_NEAR(ChrfScored(Json::object(), "çàé", {{"reference", "çàü"}}).score, kChrfAbcAbd, 1e-12);
}

TEST(ChrfRewardTest, WordOrderMakesItChrFPlusPlus) {
  Scored r = ChrfScored({{"word_order", 2}}, "hello world", {{"reference", "hello world"}});
  EXPECT_DOUBLE_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "chrF++ score: 1.000");
  r = ChrfScored({{"word_order", 1}}, "hello there world", {{"reference", "hello world"}});
  EXPECT_EQ(r.reason().rfind("chrF++ score: ", 0), 0u) << r.reason();
  const std::string_view refs[] = {"hello world"};
  text::ChrfOptions options;
  options.word_order = 1;
  EXPECT_EQ(r.score, text::SentenceChrf("hello there world", refs, options) / 100.0);
  EXPECT_NE(r.score, ChrfScored(Json::object(), "hello there world", {{"reference", "hello world"}}).score);
}

// `whitespace: true` keeps the spaces, i.e. the engine's remove_whitespace is off.
TEST(ChrfRewardTest, WhitespaceIsKeptOnlyWhenAskedFor) {
  EXPECT_DOUBLE_EQ(ChrfScored(Json::object(), "a b", {{"reference", "ab"}}).score, 1.0);
  const Scored kept = ChrfScored({{"whitespace", true}}, "a b", {{"reference", "ab"}});
  const std::string_view refs[] = {"ab"};
  text::ChrfOptions options;
  options.remove_whitespace = false;
  EXPECT_EQ(kept.score, text::SentenceChrf("a b", refs, options) / 100.0);
  EXPECT_NEAR(kept.score, 5.0 / 11.0, 1e-12);  // P = 1/3, R = 1/2 over the two shared orders
}

TEST(ChrfRewardTest, LowercaseBetaEpsSmoothingAndCharOrderReachTheEngine) {
  // No match at all: sacreBLEU's epsilon for the orders neither side has is all that is left.
  EXPECT_LT(ChrfScored(Json::object(), "ABC", {{"reference", "abc"}}).score, 1e-12);
  EXPECT_DOUBLE_EQ(ChrfScored({{"lowercase", true}}, "ABC", {{"reference", "abc"}}).score, 1.0);
  // beta 0 is precision alone: every n-gram of "ab" is in "abcd".
  EXPECT_NEAR(ChrfScored({{"beta", 0}}, "ab", {{"reference", "abcd"}}).score, 1.0, 1e-12);
  // beta 2: P = 1, R = (1/2 + 1/3) / 2 = 5/12, F2 = 5PR / (4P + R) = 25/53.
  EXPECT_NEAR(ChrfScored(Json::object(), "ab", {{"reference", "abcd"}}).score, 25.0 / 53.0, 1e-12);
  // chrF++.py's mean of per-order F over all six orders: (2/3 + 1/2) / 6.
  const Scored eps = ChrfScored({{"eps_smoothing", true}}, "abc", {{"reference", "abd"}});
  EXPECT_NEAR(eps.score, 7.0 / 36.0, 1e-12);
  EXPECT_EQ(eps.reason(), "chrF score: 0.194");
  // Two orders only: (2/3 + 1/2) / 2.
  EXPECT_NEAR(ChrfScored({{"char_order", 2}}, "abc", {{"reference", "abd"}}).score, 7.0 / 12.0, 1e-12);
}

// ---- references ----

// Several references: the one giving the best score counts.
TEST(ChrfRewardTest, TheBestReferenceCounts) {
  const Scored r = ChrfScored(Json::object(), "abc", {{"references", {"xyz", "abd", "abc"}}});
  EXPECT_DOUBLE_EQ(r.score, 1.0);
  EXPECT_NEAR(ChrfScored(Json::object(), "abc", {{"references", {"xyz", "abd"}}}).score, kChrfAbcAbd, 1e-12);
  // label.references wins over label.reference.
  EXPECT_NEAR(ChrfScored(Json::object(), "abc", {{"reference", "abc"}, {"references", {"abd"}}}).score, kChrfAbcAbd,
              1e-12);
}

TEST(ChrfRewardTest, EmptyTextsScoreZero) {
  EXPECT_EQ(ChrfScored(Json::object(), "", {{"reference", "abc"}}).score, 0.0);
  const Scored r = ChrfScored(Json::object(), "abc", {{"reference", ""}});
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "chrF score: 0.000");
}

TEST(ChrfRewardTest, AMissingReferenceIsAnErrorDetail) {
  for (const Json& label : {Json(nullptr), Json{{"answer", "abc"}}, Json{{"references", Json::array()}}}) {
    const Scored r = ChrfScored({{"name", "chrf_check"}}, "abc", label);
    ASSERT_EQ(r.details.size(), 1u) << label.dump();
    EXPECT_EQ(r.details[0].name, "chrf_check");
    EXPECT_EQ(r.score, 0.0);
    EXPECT_EQ(r.reason(), kChrfMissingReason) << label.dump();
    EXPECT_EQ(r.extra, Json({{"error", kChrfMissingError}}));
  }
  EXPECT_EQ(ChrfScored(Json::object(), "abc", {{"references", {true}}}).reason(),
            "error: label.references must hold strings, got boolean");
}

TEST(ChrfRewardTest, TheInstanceNameNamesDetailAndExtraData) {
  const Scored r = ChrfScored({{"name", "my_chrf"}}, "abc", {{"reference", "abd"}});
  EXPECT_EQ(r.details[0].name, "my_chrf");
  EXPECT_EQ(SortedKeys(r.additional_kwargs), std::vector<std::string>{"my_chrf"});
  EXPECT_NEAR(r.extra["chrf"].get<double>(), kChrfAbcAbd, 1e-12);
}

// ---- corpus_chrf ----

Json ChrfCorpusExtra(const DataSample& scored, const std::string& name = "corpus_chrf") {
  const Json& kwargs = scored.input.back().additional_kwargs;
  return kwargs.is_object() && kwargs.contains(name) ? kwargs[name] : Json();
}

TEST(ChrfRewardTest, CorpusChrfSumsTheStatisticsOfAllAnswers) {
  const auto reward = RewardRegistry::Global().Create("corpus_chrf");
  const DataSample scored = reward->Evaluate(testing::SampleWithAnswers(
      {ChrfAnswer("abc", {{"reference", "abd"}}), ChrfAnswer("the cat sat", {{"references", {"a cat sat", "xyz"}}})}));
  const std::string_view hypotheses[] = {"abc", "the cat sat"};
  const std::vector<std::vector<std::string_view>> references = {{"abd"}, {"a cat sat", "xyz"}};
  const double expected = text::CorpusChrf(hypotheses, references) / 100.0;
  EXPECT_GT(expected, 0.0);
  for (size_t i = 0; i < 2; ++i) {
    const Scored r = testing::ScoredOutput(*reward, scored, i);
    ASSERT_EQ(r.details.size(), 1u);
    EXPECT_EQ(r.details[0].name, "corpus_chrf");
    EXPECT_EQ(r.score, expected) << i;
    EXPECT_EQ(r.reason(), "chrF corpus score: " + FormatFixed(expected, 3)) << i;
  }
  const Json extra = ChrfCorpusExtra(scored);
  EXPECT_EQ(SortedKeys(extra), std::vector<std::string>{"chrf"});
  EXPECT_EQ(extra["chrf"].get<double>(), expected);
  // Pooled statistics, not the mean of the two sentence scores.
  const double mean = (ChrfScored(Json::object(), "abc", {{"reference", "abd"}}).score +
                       ChrfScored(Json::object(), "the cat sat", {{"references", {"a cat sat", "xyz"}}}).score) /
                      2;
  EXPECT_GT(std::abs(expected - mean), 1e-3);
}

TEST(ChrfRewardTest, CorpusChrfPlusPlusSaysSo) {
  const auto reward = RewardRegistry::Global().Create("corpus_chrf", {{"word_order", 2}, {"name", "cc"}});
  const DataSample scored =
      reward->Evaluate(testing::SampleWithAnswers({ChrfAnswer("hello world", {{"reference", "hello world"}})}));
  const Scored r = testing::ScoredOutput(*reward, scored);
  EXPECT_EQ(r.reason(), "chrF++ corpus score: 1.000");
  EXPECT_DOUBLE_EQ(ChrfCorpusExtra(scored, "cc")["chrf"].get<double>(), 1.0);
}

TEST(ChrfRewardTest, CorpusChrfFailsAsAWhole) {
  const auto reward = RewardRegistry::Global().Create("corpus_chrf");
  const DataSample scored = reward->Evaluate(
      testing::SampleWithAnswers({ChrfAnswer("abc", {{"reference", "abc"}}), ChrfAnswer("abc", nullptr)}));
  for (size_t i = 0; i < 2; ++i) {
    const Scored r = testing::ScoredOutput(*reward, scored, i);
    EXPECT_EQ(r.score, 0.0) << i;
    EXPECT_EQ(r.reason(), kChrfMissingReason) << i;
  }
  EXPECT_EQ(ChrfCorpusExtra(scored), Json({{"error", kChrfMissingError}}));
}

TEST(ChrfRewardTest, CorpusChrfOfNoAnswersIsZero) {
  const auto reward = RewardRegistry::Global().Create("corpus_chrf");
  const DataSample scored = reward->Evaluate(testing::SampleWithAnswers({}));
  EXPECT_EQ(ChrfCorpusExtra(scored), Json({{"chrf", 0.0}}));
}

// The reward hands its deadline to the n-gram counts: the unit times out with
// error_score instead of running on.
TEST(ChrfRewardTest, TheSamplesDeadlineStopsTheCount) {
  const auto reward = RewardRegistry::Global().Create("chrf", Json{{"char_order", 64}});
  const DataSample sample = testing::SampleWithAnswers(
      {ChrfAnswer(rmg::testing::RandomLetters(1 << 20, 1), {{"reference", rmg::testing::RandomLetters(1 << 20, 2)}})});
  const Scored r = testing::ScoredOutput(*reward, reward->Evaluate(sample, EvalContext{Deadline::After(0.05), -1.0}));
  EXPECT_EQ(r.score, -1.0);
  EXPECT_NE(r.reason().find("timed out"), std::string::npos) << r.reason();
}

}  // namespace
}  // namespace rmg::gallery
