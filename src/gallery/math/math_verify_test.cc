// math_verify_reward: the verdicts Math-Verify gets wrong, the reward's contract
// (RM-Gallery's MathVerifyReward: name, extra_data, timeout_score) and bounded time.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>

#include "gallery/testing.h"
#include "rmg/math_verify.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::ScoreWith;

double Verdict(std::string_view gold, std::string_view prediction, MathVerifyOptions options = {}) {
  const MathVerifyResult result = VerifyMath(gold, prediction, options);
  EXPECT_FALSE(result.timed_out) << gold << " | " << prediction;
  return result.equal ? 1.0 : 0.0;
}

TEST(MathVerifyTest, WhereMathVerifyIsWrong) {
  EXPECT_EQ(Verdict("$\\frac{1}{2004!}$", "$\\frac{1}{2006!}$"), 0.0);
  EXPECT_EQ(Verdict("$\\frac{1}{2^{99}}$", "$\\frac{1}{2^{98}}$"), 0.0);
  EXPECT_EQ(Verdict("$1-\\frac{1}{e}$", "$1+\\frac{1}{e}$"), 0.0);
  EXPECT_EQ(Verdict("$\\sqrt{\\frac{1}{n}}$", "$\\frac{1}{\\sqrt{n}}$"), 1.0);
  EXPECT_EQ(Verdict("73", "So the total is 73.\n\n**Final answer:** **73**"), 1.0);
  EXPECT_EQ(Verdict("$4$", "$4\\sqrt{2}$"), 0.0);
  EXPECT_EQ(Verdict("$13$", "$\\text{13}$"), 0.0);  // strict: words are not numbers
}

TEST(MathVerifyTest, EqualValuesWrittenDifferently) {
  EXPECT_EQ(Verdict("7425000", "7,425,000"), 1.0);
  EXPECT_EQ(Verdict("$\\frac{1}{2}$", "The answer is $\\boxed{0.5}$."), 1.0);
  EXPECT_EQ(Verdict("$[0,1)$", "$[0,1)$"), 1.0);
  EXPECT_EQ(Verdict("$[0,9)$", "$[0,1)$"), 0.0);
  EXPECT_EQ(Verdict("$x = 11$", "$x=11$"), 1.0);
}

// A whole number before a proper fraction is a mixed number; it was read as a product
// (2\frac{1}{2} = 1).
TEST(MathVerifyTest, MixedNumbers) {
  EXPECT_EQ(Verdict("$2\\frac{1}{2}$", "$\\frac{5}{2}$"), 1.0);
  EXPECT_EQ(Verdict("$2\\frac{1}{2}$", "The answer is $\\boxed{2.5}$."), 1.0);
  EXPECT_EQ(Verdict("$2\\frac{1}{2}$", "$1$"), 0.0);
  EXPECT_EQ(Verdict("$3\\dfrac{3}{4}$", "$\\frac{9}{4}$"), 0.0);
  EXPECT_EQ(Verdict("$-2\\frac{1}{2}$", "$-2.5$"), 1.0);
  EXPECT_EQ(Verdict("$\\frac{15}{4}$", "$\\boxed{3\\frac{3}{4}}$"), 1.0);
  // Not mixed numbers: an improper fraction, a symbol, a fraction of symbols.
  EXPECT_EQ(Verdict("$2\\frac{3}{2}$", "$3$"), 1.0);
  EXPECT_EQ(Verdict("$x\\frac{1}{2}$", "$\\frac{x}{2}$"), 1.0);
  EXPECT_EQ(Verdict("$2\\frac{\\pi}{3}$", "$\\frac{2\\pi}{3}$"), 1.0);
}

// A degree inside sin, cos, ... is an angle; the radian value of the same number was
// accepted (sin 30 in radians for sin 30°).
TEST(MathVerifyTest, DegreesInsideTrigonometricFunctions) {
  EXPECT_EQ(Verdict("$\\sin 30^\\circ$", "$\\frac{1}{2}$"), 1.0);
  EXPECT_EQ(Verdict("$\\sin 30^\\circ$", "$-0.988032$"), 0.0);
  EXPECT_EQ(Verdict("$\\cos 40^\\circ$", "$-0.666938$"), 0.0);
  EXPECT_EQ(Verdict("$90^\\circ$", "$90$"), 1.0);  // a bare angle keeps both readings
}

TEST(MathVerifyTest, NothingToCompare) {
  const MathVerifyResult result = VerifyMath("$3$", "I do not know.");
  EXPECT_FALSE(result.equal);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.gold_extracted, "3");
}

// Each adversarial input must come back within its budget plus a small margin (the
// deadline is cooperative: the margin is the longest step between two checks). The
// margin is wider under the sanitizers, which slow every step down.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kMarginSeconds = 0.5;
#else
constexpr double kMarginSeconds = 0.05;
#endif

void ExpectBounded(const std::string& gold, const std::string& prediction) {
  MathVerifyOptions options;
  options.timeout_seconds = 0.3;
  const auto start = std::chrono::steady_clock::now();
  const MathVerifyResult result = VerifyMath(gold, prediction, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LE(seconds, options.timeout_seconds + kMarginSeconds) << prediction.substr(0, 80);
  EXPECT_FALSE(result.equal && result.timed_out);
}

TEST(MathVerifyTest, AdversarialInputsStayWithinTheTimeout) {
  ExpectBounded("$1$", "$2^{2^{2^{100}}}$");
  ExpectBounded("$2^{2^{2^{100}}}$", "$2^{2^{2^{100}}}$");
  ExpectBounded("$1$", "$10^{10^{10}}!$");
  ExpectBounded("$(10^{10^{10}})!$", "$(10^{10^{10}})! + 1$");
  ExpectBounded("$1$", "$" + std::string(10000, '(') + "1" + std::string(10000, ')') + "$");
  std::string megabyte;
  while (megabyte.size() < (1u << 20)) megabyte += "Let $x_1 = 12$ and \\boxed{3 + 4^{5}} so 1,000 ";
  ExpectBounded("$7$", megabyte);
  ExpectBounded(megabyte, "$7$");
}

TEST(MathVerifyRewardTest, ScoresAndExplains) {
  const auto right = Score("math_verify_reward", "Thus the answer is $\\boxed{\\frac{3}{4}}$.", "0.75");
  EXPECT_EQ(right.score, 1.0);
  ASSERT_EQ(right.details.size(), 1u);
  EXPECT_EQ(right.details[0].name, "math_verify");
  EXPECT_NE(right.reason().find("prediction: "), std::string::npos) << right.reason();
  EXPECT_EQ(right.extra.at("score"), 1.0);
  EXPECT_EQ(right.extra.at("reference"), "0.75");
  const auto wrong = Score("math_verify_reward", "so $x = 5$", "6");
  EXPECT_EQ(wrong.score, 0.0);
  EXPECT_EQ(wrong.reason().rfind("not equal (gold: ", 0), 0u) << wrong.reason();
  // RM-Gallery's prefix when a side has no answer, which users filter on.
  const auto unparsed = Score("math_verify_reward", "I do not know.", "6");
  EXPECT_EQ(unparsed.score, 0.0);
  EXPECT_EQ(unparsed.reason().rfind("Parsing failed - no answer in the prediction: ", 0), 0u) << unparsed.reason();
  EXPECT_EQ(Score("math_verify_reward", "$7$", "").reason().rfind("Parsing failed - no gold answer: ", 0), 0u);
}

TEST(MathVerifyRewardTest, AliasAndParameters) {
  EXPECT_EQ(Score("math_correctness_reward", "\\boxed{2}", "2").score, 1.0);
  EXPECT_EQ(ScoreWith("math_verify_reward", {{"strict", false}}, "$f(y)$", "$f(x)$").score, 1.0);
  EXPECT_EQ(ScoreWith("math_verify_reward", {{"strict", true}}, "$f(y)$", "$f(x)$").score, 0.0);
}

TEST(MathVerifyRewardTest, ValuesTooLargeToCompareGetTimeoutScore) {
  for (const char* huge : {"$2^{2^{2^{100}}}$", "$10^{10^{10}}!$", "$(10^{10^{10}})! + 1$"}) {
    const MathVerifyResult verdict = VerifyMath("$1$", huge);
    EXPECT_TRUE(verdict.too_large) << huge;
    EXPECT_FALSE(verdict.equal) << huge;
    const auto r = ScoreWith("math_verify_reward", {{"timeout_score", 0.25}}, huge, "1");
    EXPECT_EQ(r.score, 0.25) << huge;
    EXPECT_NE(r.reason().find("too large"), std::string::npos) << r.reason();
  }
  // The same huge value on both sides is still recognised as equal.
  EXPECT_EQ(Verdict("$2^{2^{2^{100}}}$", "$2^{2^{2^{100}}}$"), 1.0);
}

// An answer past the parser's limits is undecided. Reading a fragment of it instead
// (the "2" at the bottom of a \sqrt nested 200 times, the first entry of a huge
// matrix) would make wrong answers equal.
TEST(MathVerifyRewardTest, AnswersTooLargeToParseAreUndecidedNotReadInPart) {
  std::string roots = "2";
  for (int i = 0; i < 200; ++i) roots = "\\sqrt{" + roots + "}";
  std::string tower = "9";
  for (int i = 0; i < 200; ++i) tower += "^9";
  std::string matrix = "\\begin{pmatrix}1";
  for (int i = 0; i < 20000; ++i) matrix += "&1";
  matrix += "\\end{pmatrix}";
  for (const auto& [gold, answer] : {std::pair{"2", roots}, std::pair{"9", tower}, std::pair{"1", matrix}}) {
    const std::string response = "So the answer is $\\boxed{" + answer + "}$.";
    const MathVerifyResult verdict = VerifyMath(gold, response);
    EXPECT_FALSE(verdict.equal) << answer.substr(0, 40);
    EXPECT_TRUE(verdict.too_large) << answer.substr(0, 40);
    const auto r = ScoreWith("math_verify_reward", {{"timeout_score", 0.25}}, response, gold);
    EXPECT_EQ(r.score, 0.25);
    EXPECT_NE(r.reason().find("exceeds the parser's limits"), std::string::npos) << r.reason();
    EXPECT_LT(r.reason().size(), 300u) << r.reason();  // the answer is quoted in part

    const MathVerifyResult reversed = VerifyMath("$\\boxed{" + answer + "}$", gold);
    EXPECT_FALSE(reversed.equal);
    EXPECT_NE(reversed.explanation.find("no gold answer: it exceeds the parser's limits"), std::string::npos)
        << reversed.explanation;
  }
  // Too many boxes to join is no limit on the last box alone, the next reading of it.
  std::string boxes;
  for (int i = 0; i < 3000; ++i) boxes += "\\boxed{1} ";
  EXPECT_EQ(Verdict("1", boxes), 1.0);
}

TEST(MathVerifyTest, TheCallersDeadlineStopsTheCall) {
  // A deadline before Math-Verify's own budget is the caller's timeout, and thrown.
  EXPECT_THROW(VerifyMath("2", "\\boxed{2}", MathVerifyOptions{}, Deadline::After(-1)), DeadlineExceeded);
  // One after it leaves the budget to end the call as an undecided verdict.
  MathVerifyOptions tiny;
  tiny.timeout_seconds = 1e-9;
  EXPECT_TRUE(VerifyMath("2", "\\boxed{2}", tiny, Deadline::After(100)).timed_out);
}

TEST(MathVerifyRewardTest, TheSamplesDeadlineIsAnErrorNotTimeoutScore) {
  const auto reward = RewardRegistry::Global().Create("math_verify_reward", {{"timeout_score", 0.25}});
  EvalContext context;
  context.deadline = Deadline::After(-1);
  const auto r = testing::ScoredOutput(*reward, reward->Evaluate(testing::OneResponse("\\boxed{2}", "2"), context));
  EXPECT_EQ(r.score, 0.0);
  EXPECT_NE(r.reason().find("timed out"), std::string::npos) << r.reason();
}

TEST(MathVerifyRewardTest, TimeoutGivesTimeoutScore) {
  // A budget too small for anything: the reward reports the timeout with timeout_score.
  const auto r = ScoreWith("math_verify_reward", {{"timeout_seconds", 1e-9}, {"timeout_score", 0.25}},
                           "\\boxed{2}", "2");
  EXPECT_EQ(r.score, 0.25);
  EXPECT_NE(r.reason().find("timed out"), std::string::npos) << r.reason();
}

}  // namespace
}  // namespace rmg::gallery
