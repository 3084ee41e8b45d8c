// The bleu and corpus_bleu rewards: their registered parameters, how each reaches
// the sacreBLEU engine (src/text/bleu.h, tested on its own), where the references
// come from, and the reason and extra_data written. The published sacreBLEU values
// are checked in text_metrics_data_test.cc.
#include "text/bleu.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <stdexcept>

#include "gallery/general/general.h"
#include "gallery/python_format.h"
#include "gallery/testing.h"
#include "testing/random_letters.h"

namespace rmg::gallery {
namespace {

using testing::Scored;
using testing::SortedKeys;

constexpr const char* kBleuMissingReason = "error: answer.label has no reference (label.reference or label.references)";
// What the failed unit records as its extra data: the reason without "error: ".
constexpr const char* kBleuMissingError = "answer.label has no reference (label.reference or label.references)";

// One assistant answer with `label` (null: no label).
Json BleuAnswer(std::string_view content, const Json& label) {
  Json answer = testing::AnswerJson(content);
  if (!label.is_null()) answer["label"] = label;
  return answer;
}

Scored BleuScored(const Json& params, std::string_view content, const Json& label) {
  const auto reward = RewardRegistry::Global().Create("bleu", params);
  return testing::ScoredOutput(*reward, reward->Evaluate(testing::SampleWithAnswers({BleuAnswer(content, label)})));
}

const ParamSpec& BleuParam(std::string_view reward, std::string_view name) {
  for (const ParamSpec& spec : RewardRegistry::Global().Spec(reward).params) {
    if (spec.name == name) return spec;
  }
  throw std::logic_error("no parameter " + std::string(name));
}

std::vector<std::string> BleuParamNames(std::string_view reward) {
  std::vector<std::string> names;
  for (const ParamSpec& spec : RewardRegistry::Global().Spec(reward).params) names.push_back(spec.name);
  return names;
}

// The two sentences every hand-computed value below is about: 6 tokens each,
// 5/3/1/0 matching 1- to 4-grams of 6/5/4/3.
constexpr const char* kBleuCat = "the cat sat on the mat";
constexpr const char* kBleuCatRef = "the cat is on the mat";

TEST(BleuRewardTest, RegisteredParametersAndDefaults) {
  const RewardSpec& spec = RewardRegistry::Global().Spec("bleu");
  EXPECT_EQ(spec.kind, "rule");
  EXPECT_EQ(spec.family, RewardFamily::kPointwise);
  EXPECT_EQ(BleuParamNames("bleu"), (std::vector<std::string>{"tokenize", "smooth_method", "smooth_value", "lowercase",
                                                              "use_effective_order", "max_ngram_order", "name"}));
  EXPECT_EQ(BleuParam("bleu", "tokenize").default_value, "13a");
  EXPECT_EQ(BleuParam("bleu", "tokenize").choices, (std::vector<std::string>{"13a", "none", "intl", "char", "zh"}));
  EXPECT_EQ(BleuParam("bleu", "smooth_method").default_value, "exp");
  EXPECT_EQ(BleuParam("bleu", "smooth_method").choices, (std::vector<std::string>{"exp", "floor", "add-k", "none"}));
  EXPECT_EQ(BleuParam("bleu", "smooth_value").type, ParamType::kDouble);
  EXPECT_TRUE(BleuParam("bleu", "smooth_value").default_value.is_null());
  EXPECT_EQ(BleuParam("bleu", "lowercase").default_value, false);
  // sacrebleu.sentence_bleu's default; corpus_bleu's is off (below).
  EXPECT_EQ(BleuParam("bleu", "use_effective_order").default_value, true);
  const ParamSpec& order = BleuParam("bleu", "max_ngram_order");
  EXPECT_EQ(order.type, ParamType::kInt);
  EXPECT_EQ(order.default_value, 4);
  EXPECT_EQ(order.min, 1.0);
  EXPECT_EQ(order.max, 64.0);
  EXPECT_EQ(BleuParam("bleu", "name").default_value, "bleu");
}

TEST(BleuRewardTest, CorpusBleuSharesTheParametersButNotTheEffectiveOrder) {
  const RewardSpec& spec = RewardRegistry::Global().Spec("corpus_bleu");
  EXPECT_EQ(spec.family, RewardFamily::kListwise);
  EXPECT_EQ(BleuParamNames("corpus_bleu"), BleuParamNames("bleu"));
  EXPECT_EQ(BleuParam("corpus_bleu", "use_effective_order").default_value, false);
  EXPECT_EQ(BleuParam("corpus_bleu", "max_ngram_order").max, 64.0);
  EXPECT_EQ(BleuParam("corpus_bleu", "name").default_value, "corpus_bleu");
}

TEST(BleuRewardTest, ParameterValuesAreChecked) {
  const auto error = [](const Json& params) {
    try {
      RewardRegistry::Global().Create("bleu", params);
    } catch (const RegistryError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error({{"smooth_method", "add_k"}}),
            "parameter 'smooth_method' of reward 'bleu': 'add_k' is not one of exp, floor, add-k, none");
  EXPECT_EQ(error({{"tokenize", "spm"}}),
            "parameter 'tokenize' of reward 'bleu': 'spm' is not one of 13a, none, intl, char, zh");
  EXPECT_EQ(error({{"max_ngram_order", 0}}), "parameter 'max_ngram_order' of reward 'bleu' must be in [1, 64], got 0");
  EXPECT_EQ(error({{"smooth_value", "a lot"}}),
            "parameter 'smooth_value' of reward 'bleu': expected float, got 'a lot'");
  // Command-line strings are converted to the declared types.
  EXPECT_EQ(error({{"max_ngram_order", "2"}, {"lowercase", "true"}, {"smooth_value", "0.5"}}), "");
  // A negative smoothing value made a log of a negative precision, and NaN read as 1.0;
  // a floor above 1 makes a precision above 100%.
  EXPECT_EQ(error({{"smooth_method", "add-k"}, {"smooth_value", -1}}),
            "parameter 'smooth_value' of reward 'bleu' must be at least 0, got -1.0");
  EXPECT_EQ(error({{"smooth_method", "floor"}, {"smooth_value", 5}}),
            "parameter 'smooth_value' of reward 'bleu' must be at most 1 with smooth_method=floor, got 5.0");
  EXPECT_EQ(error({{"smooth_method", "floor"}, {"smooth_value", 1}}), "");
  EXPECT_EQ(error({{"smooth_method", "add-k"}, {"smooth_value", 5}}), "");
}

TEST(BleuRewardTest, ReasonAndExtraDataOfAPartialMatch) {
  const Scored r = BleuScored(Json::object(), kBleuCat, {{"reference", kBleuCatRef}});
  EXPECT_NEAR(r.score, 0.3799178428257963, 1e-12);
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "bleu");
  EXPECT_EQ(r.reason(), "BLEU score: 0.380 (brevity penalty 1.000, n-gram precisions 83.3/60.0/25.0/16.7)");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"bleu", "brevity_penalty", "counts", "hyp_len", "precisions",
                                                           "ref_len", "totals"}));
  EXPECT_EQ(r.extra["bleu"].get<double>(), r.score);
  EXPECT_EQ(r.extra["brevity_penalty"], 1.0);
  EXPECT_EQ(r.extra["hyp_len"], 6);
  EXPECT_EQ(r.extra["ref_len"], 6);
  EXPECT_EQ(r.extra["counts"], Json::parse("[5, 3, 1, 0]"));
  EXPECT_EQ(r.extra["totals"], Json::parse("[6, 5, 4, 3]"));
  // Percentages, as sacreBLEU reports them; the 4-gram one exp-smoothed: 100 / (2 * 3).
  ASSERT_EQ(r.extra["precisions"].size(), 4u);
  const double precisions[4] = {500.0 / 6, 60.0, 25.0, 100.0 / 6};
  for (int n = 0; n < 4; ++n) EXPECT_NEAR(r.extra["precisions"][n].get<double>(), precisions[n], 1e-9) << n;
}

TEST(BleuRewardTest, IdenticalTextScoresOne) {
  const Scored r =
      BleuScored(Json::object(), "Hello, world! How are you?", {{"reference", "Hello, world! How are you?"}});
  // The reward is documented as 0-1: sacreBLEU's 100.00000000000004 for a perfect
  // match must not become a score above 1.
  EXPECT_LE(r.score, 1.0) << std::setprecision(17) << r.score;
  EXPECT_EQ(r.score, 1.0) << std::setprecision(17) << r.score;
  EXPECT_EQ(r.reason(), "BLEU score: 1.000 (brevity penalty 1.000, n-gram precisions 100.0/100.0/100.0/100.0)");
  EXPECT_EQ(r.extra["hyp_len"], 8);  // 13a splits the punctuation off
}

// A two-word answer has no 3- or 4-grams: sentence BLEU averages over the orders it
// has; without the effective order the missing orders make it 0.
TEST(BleuRewardTest, ShortAnswersUseTheEffectiveOrder) {
  Scored r = BleuScored(Json::object(), "the cat", {{"reference", kBleuCat}});
  EXPECT_NEAR(r.score, std::exp(-2.0), 1e-12);  // the brevity penalty alone: exp(1 - 6/2)
  EXPECT_EQ(r.reason(), "BLEU score: 0.135 (brevity penalty 0.135, n-gram precisions 100.0/100.0/0.0/0.0)");
  r = BleuScored({{"use_effective_order", false}}, "the cat", {{"reference", kBleuCat}});
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "BLEU score: 0.000 (brevity penalty 0.135, n-gram precisions 100.0/100.0/0.0/0.0)");
}

TEST(BleuRewardTest, SmoothingParameters) {
  const Json label = {{"reference", kBleuCatRef}};
  Scored r = BleuScored({{"smooth_method", "floor"}}, kBleuCat, label);  // smooth_value 0.1 by default
  EXPECT_NEAR(r.score, 0.2540663740773073, 1e-12);
  EXPECT_EQ(r.reason(), "BLEU score: 0.254 (brevity penalty 1.000, n-gram precisions 83.3/60.0/25.0/3.3)");
  r = BleuScored({{"smooth_method", "floor"}, {"smooth_value", 0.3}}, kBleuCat, label);
  EXPECT_NEAR(r.score, 0.3343701524882109, 1e-12);
  EXPECT_EQ(r.reason(), "BLEU score: 0.334 (brevity penalty 1.000, n-gram precisions 83.3/60.0/25.0/10.0)");
  r = BleuScored({{"smooth_method", "add-k"}}, kBleuCat, label);  // k = 1 on orders 2 and up
  EXPECT_NEAR(r.score, 0.4854917717073236, 1e-12);
  EXPECT_EQ(r.reason(), "BLEU score: 0.485 (brevity penalty 1.000, n-gram precisions 83.3/66.7/40.0/25.0)");
  EXPECT_EQ(r.extra["counts"], Json::parse("[5, 3, 1, 0]"));  // as counted, before add-k
  r = BleuScored({{"smooth_method", "none"}}, kBleuCat, label);
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "BLEU score: 0.000 (brevity penalty 1.000, n-gram precisions 83.3/60.0/25.0/0.0)");
}

TEST(BleuRewardTest, MaxNgramOrderSetsTheOrdersReported) {
  Scored r = BleuScored({{"max_ngram_order", 2}}, kBleuCat, {{"reference", kBleuCatRef}});
  EXPECT_NEAR(r.score, 0.7071067811865471, 1e-12);
  EXPECT_EQ(r.reason(), "BLEU score: 0.707 (brevity penalty 1.000, n-gram precisions 83.3/60.0)");
  EXPECT_EQ(r.extra["counts"], Json::parse("[5, 3]"));
  r = BleuScored({{"max_ngram_order", 1}}, kBleuCat, {{"reference", kBleuCatRef}});
  EXPECT_EQ(r.reason(), "BLEU score: 0.833 (brevity penalty 1.000, n-gram precisions 83.3)");
}

// Each option reaches the engine: the reward equals text::SentenceBleu with the
// same option, which for these texts differs from the default.
TEST(BleuRewardTest, TokenizeAndLowercaseReachTheEngine) {
  struct Case {
    Json params;
    std::string hypothesis, reference;
    text::BleuOptions options;
  };
  text::BleuOptions lower = text::SentenceBleuDefaults(), none = lower, chars = lower, zh = lower, intl = lower;
  lower.lowercase = true;
  none.tokenize = text::BleuTokenize::kNone;
  chars.tokenize = text::BleuTokenize::kChar;
  zh.tokenize = text::BleuTokenize::kZh;
  intl.tokenize = text::BleuTokenize::kIntl;
  const std::vector<Case> cases = {
      {{{"lowercase", true}}, "THE CAT SAT ON THE MAT", kBleuCatRef, lower},
      {{{"tokenize", "none"}}, "the cat, sat on the mat.", "the cat , sat on the mat .", none},
      {{{"tokenize", "char"}}, "abcdefgh", "abcdxfgh", chars},
      {{{"tokenize", "zh"}}, "我爱北京天安门。", "我爱北京。", zh},
      {{{"tokenize", "intl"}}, "„Hallo“, sagte er—laut.", "„ Hallo “ , sagte er — laut .", intl},
  };
  for (const Case& c : cases) {
    const std::string_view refs[] = {c.reference};
    const double expected = std::min(1.0, text::SentenceBleu(c.hypothesis, refs, c.options).score / 100.0);
    const double by_default = text::SentenceBleu(c.hypothesis, refs).score / 100.0;
    EXPECT_NE(expected, by_default) << c.params.dump() << ": the case does not tell the option apart";
    EXPECT_EQ(BleuScored(c.params, c.hypothesis, {{"reference", c.reference}}).score, expected) << c.params.dump();
  }
}

TEST(BleuRewardTest, CjkAndAccentsScoreWithTheRightTokenizer) {
  const Scored r = BleuScored({{"tokenize", "zh"}}, "我爱北京天安门", {{"reference", "我爱北京天安门"}});
  EXPECT_DOUBLE_EQ(r.score, 1.0);
  EXPECT_EQ(r.extra["hyp_len"], 7);
  EXPECT_DOUBLE_EQ(BleuScored(Json::object(), "Grüße aus München", {{"reference", "Grüße aus München"}}).score, 1.0);
}

// ---- references ----

TEST(BleuRewardTest, SeveralReferencesRaiseTheClippingLimits) {
  const std::vector<std::string> references = {kBleuCatRef, "a cat sat on a mat"};
  const Scored r = BleuScored(Json::object(), kBleuCat, {{"references", references}});
  const std::string_view views[] = {references[0], references[1]};
  EXPECT_EQ(r.score, text::SentenceBleu(kBleuCat, views).score / 100.0);
  EXPECT_GT(r.score, BleuScored(Json::object(), kBleuCat, {{"reference", references[0]}}).score);
  EXPECT_GT(r.score, BleuScored(Json::object(), kBleuCat, {{"reference", references[1]}}).score);
  // "cat sat on" comes from the second reference, "on the mat" from the first.
  EXPECT_EQ(r.extra["counts"], Json::parse("[6, 5, 2, 0]"));
}

TEST(BleuRewardTest, ReferencesWinOverReference) {
  const Scored r =
      BleuScored(Json::object(), kBleuCat, {{"reference", kBleuCat}, {"references", {"completely other words"}}});
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.extra["counts"], Json::parse("[0, 0, 0, 0]"));
  // An empty list is no list.
  EXPECT_DOUBLE_EQ(BleuScored(Json::object(), kBleuCat, {{"reference", kBleuCat}, {"references", Json::array()}}).score,
                   1.0);
}

TEST(BleuRewardTest, EmptyTexts) {
  Scored r = BleuScored(Json::object(), "", {{"reference", kBleuCat}});
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "BLEU score: 0.000 (brevity penalty 0.000, n-gram precisions 0.0/0.0/0.0/0.0)");
  r = BleuScored(Json::object(), kBleuCat, {{"reference", ""}});
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "BLEU score: 0.000 (brevity penalty 1.000, n-gram precisions 0.0/0.0/0.0/0.0)");
  EXPECT_EQ(r.extra["ref_len"], 0);
}

// Unlike RM-Gallery's rewards, which read label.get("reference", ""), BLEU without a
// reference is meaningless: the answer gets an error detail, and {"error": reason} as extra_data.
TEST(BleuRewardTest, AMissingReferenceIsAnErrorDetail) {
  for (const Json& label :
       {Json(nullptr), Json::object(), Json{{"references", Json::array()}}, Json{{"reference", nullptr}}}) {
    const Scored r = BleuScored(Json::object(), kBleuCat, label);
    ASSERT_EQ(r.details.size(), 1u) << label.dump();
    EXPECT_EQ(r.details[0].name, "bleu");
    EXPECT_EQ(r.score, 0.0);
    EXPECT_EQ(r.reason(), kBleuMissingReason) << label.dump();
    EXPECT_EQ(r.extra, Json({{"error", kBleuMissingError}})) << label.dump();
  }
  EXPECT_EQ(BleuScored(Json::object(), kBleuCat, {{"references", {"fine", 3}}}).reason(),
            "error: label.references must hold strings, got number");
}

TEST(BleuRewardTest, TheErrorScoreIsTheContexts) {
  const auto reward = RewardRegistry::Global().Create("bleu");
  EvalContext context;
  context.error_score = -1.0;
  const DataSample sample = testing::SampleWithAnswers({BleuAnswer(kBleuCat, nullptr)});
  const Scored r = testing::ScoredOutput(*reward, reward->Evaluate(sample, context));
  EXPECT_EQ(r.score, -1.0);
  EXPECT_EQ(r.reason(), kBleuMissingReason);
}

// Pointwise: an answer without a reference fails alone.
TEST(BleuRewardTest, EachAnswerIsScoredOnItsOwn) {
  const auto reward = RewardRegistry::Global().Create("bleu", {{"name", "bleu_vs_ref"}});
  const DataSample scored = reward->Evaluate(
      testing::SampleWithAnswers({BleuAnswer(kBleuCat, {{"reference", kBleuCat}}), BleuAnswer(kBleuCat, nullptr),
                                  BleuAnswer(kBleuCat, {{"references", {kBleuCatRef}}})}));
  const Scored first = testing::ScoredOutput(*reward, scored, 0);
  const Scored second = testing::ScoredOutput(*reward, scored, 1);
  const Scored third = testing::ScoredOutput(*reward, scored, 2);
  EXPECT_DOUBLE_EQ(first.score, 1.0);
  EXPECT_EQ(first.details[0].name, "bleu_vs_ref");
  EXPECT_EQ(first.extra["bleu"].get<double>(), first.score);  // extra_data sits under the instance name
  EXPECT_EQ(second.reason(), kBleuMissingReason);
  EXPECT_NEAR(third.score, 0.3799178428257963, 1e-12);
}

// ---- corpus_bleu ----

Json BleuCorpusExtra(const DataSample& scored) {
  const Json& kwargs = scored.input.back().additional_kwargs;
  return kwargs.is_object() && kwargs.contains("corpus_bleu") ? kwargs["corpus_bleu"] : Json();
}

// The statistics of all answers are summed before scoring, which is not the mean of
// their sentence scores; every answer gets the corpus score.
TEST(BleuRewardTest, CorpusBleuPoolsTheAnswers) {
  const auto reward = RewardRegistry::Global().Create("corpus_bleu");
  const DataSample scored = reward->Evaluate(testing::SampleWithAnswers(
      {BleuAnswer(kBleuCat, {{"reference", kBleuCatRef}}),
       BleuAnswer("a quick brown fox jumps",
                  {{"references", {"the quick brown fox jumps", "quick brown foxes jump"}}})}));
  const std::string_view hypotheses[] = {kBleuCat, "a quick brown fox jumps"};
  const std::vector<std::vector<std::string_view>> references = {
      {kBleuCatRef}, {"the quick brown fox jumps", "quick brown foxes jump"}};
  const text::BleuScore expected = text::CorpusBleu(hypotheses, references);
  for (size_t i = 0; i < 2; ++i) {
    const Scored r = testing::ScoredOutput(*reward, scored, i);
    ASSERT_EQ(r.details.size(), 1u);
    EXPECT_EQ(r.details[0].name, "corpus_bleu");
    EXPECT_EQ(r.score, expected.score / 100.0) << i;
    EXPECT_EQ(r.reason().rfind("BLEU score: " + FormatFixed(expected.score / 100.0, 3) + " (brevity penalty 1.000", 0),
              0u)
        << r.reason();
    EXPECT_TRUE(r.extra.is_null());  // listwise extra_data goes with the question
  }
  const Json extra = BleuCorpusExtra(scored);
  EXPECT_EQ(SortedKeys(extra), (std::vector<std::string>{"bleu", "brevity_penalty", "counts", "hyp_len", "precisions",
                                                         "ref_len", "totals"}));
  EXPECT_EQ(extra["hyp_len"], 11);
  EXPECT_EQ(extra["counts"], Json::parse("[9, 6, 3, 1]"));
  EXPECT_EQ(extra["totals"], Json::parse("[11, 9, 7, 5]"));
  const double sentence_mean =
      (BleuScored({{"use_effective_order", false}}, kBleuCat, {{"reference", kBleuCatRef}}).score +
       BleuScored({{"use_effective_order", false}}, "a quick brown fox jumps",
                  {{"references", {"the quick brown fox jumps", "quick brown foxes jump"}}})
           .score) /
      2;
  EXPECT_GT(std::abs(expected.score / 100.0 - sentence_mean), 1e-3);
}

// One answer without a reference spoils the corpus: every answer gets the error.
TEST(BleuRewardTest, CorpusBleuFailsAsAWhole) {
  const auto reward = RewardRegistry::Global().Create("corpus_bleu");
  const DataSample scored = reward->Evaluate(testing::SampleWithAnswers(
      {BleuAnswer(kBleuCat, {{"reference", kBleuCat}}), BleuAnswer(kBleuCat, {{"ref", kBleuCat}})}));
  for (size_t i = 0; i < 2; ++i) {
    const Scored r = testing::ScoredOutput(*reward, scored, i);
    EXPECT_EQ(r.score, 0.0) << i;
    EXPECT_EQ(r.reason(), kBleuMissingReason) << i;
  }
  EXPECT_EQ(BleuCorpusExtra(scored), Json({{"error", kBleuMissingError}}));
}

TEST(BleuRewardTest, CorpusBleuOfOneShortAnswerHasNoEffectiveOrder) {
  const auto reward = RewardRegistry::Global().Create("corpus_bleu");
  DataSample scored = reward->Evaluate(testing::SampleWithAnswers({BleuAnswer("the cat", {{"reference", kBleuCat}})}));
  Scored r = testing::ScoredOutput(*reward, scored);
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "BLEU score: 0.000 (brevity penalty 0.135, n-gram precisions 100.0/100.0/0.0/0.0)");
  const auto effective = RewardRegistry::Global().Create("corpus_bleu", {{"use_effective_order", true}});
  scored = effective->Evaluate(testing::SampleWithAnswers({BleuAnswer("the cat", {{"reference", kBleuCat}})}));
  EXPECT_NEAR(testing::ScoredOutput(*effective, scored).score, std::exp(-2.0), 1e-12);
}

TEST(BleuRewardTest, CorpusBleuOfNoAnswersIsZero) {
  const auto reward = RewardRegistry::Global().Create("corpus_bleu");
  const DataSample scored = reward->Evaluate(testing::SampleWithAnswers({}));
  EXPECT_TRUE(scored.output.empty());
  const Json extra = BleuCorpusExtra(scored);
  EXPECT_EQ(extra["bleu"], 0.0);
  EXPECT_EQ(extra["hyp_len"], 0);
  EXPECT_EQ(extra["counts"], Json::parse("[0, 0, 0, 0]"));
}

// The reward hands its deadline to the n-gram counts: the unit times out with
// error_score instead of running on.
TEST(BleuRewardTest, TheSamplesDeadlineStopsTheCount) {
  const auto reward = RewardRegistry::Global().Create("bleu", Json{{"tokenize", "char"}, {"max_ngram_order", 64}});
  const DataSample sample = testing::SampleWithAnswers(
      {BleuAnswer(rmg::testing::RandomLetters(1 << 20, 1), {{"reference", rmg::testing::RandomLetters(1 << 20, 2)}})});
  const Scored r = testing::ScoredOutput(*reward, reward->Evaluate(sample, EvalContext{Deadline::After(0.05), -1.0}));
  EXPECT_EQ(r.score, -1.0);
  EXPECT_NE(r.reason().find("timed out"), std::string::npos) << r.reason();
}

}  // namespace
}  // namespace rmg::gallery
