// StripAnswerDelimiters and WholeAnswerText: the answer-level steps ParseMath takes
// before tokenizing, tested on their own so that a regression points here and not at
// the parser as a whole.
#include "math/answer_text.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace rmg::math {
namespace {

TEST(AnswerTextTest, StripsEachDelimiterKind) {
  EXPECT_EQ(StripAnswerDelimiters("$x+1$"), "x+1");
  EXPECT_EQ(StripAnswerDelimiters("$$x+1$$"), "x+1");
  EXPECT_EQ(StripAnswerDelimiters("\\(x+1\\)"), "x+1");
  EXPECT_EQ(StripAnswerDelimiters("\\[x+1\\]"), "x+1");
  EXPECT_EQ(StripAnswerDelimiters("\\boxed{x+1}"), "x+1");
  EXPECT_EQ(StripAnswerDelimiters("\\fbox{x+1}"), "x+1");
  EXPECT_EQ(StripAnswerDelimiters("\\framebox{x+1}"), "x+1");
  // White space between the command and its brace is allowed, as in LaTeX.
  EXPECT_EQ(StripAnswerDelimiters("\\boxed {7}"), "7");
}

TEST(AnswerTextTest, StripsLayersWhitespaceAndTrailingPunctuation) {
  EXPECT_EQ(StripAnswerDelimiters("  $\\boxed{ \\frac{1}{2} }$.  "), "\\frac{1}{2}");
  EXPECT_EQ(StripAnswerDelimiters("\\[ \\boxed{\\fbox{$5$}} \\],"), "5");
  EXPECT_EQ(StripAnswerDelimiters("42..,"), "42");
  EXPECT_EQ(StripAnswerDelimiters("\t\n 42 \r\n"), "42");
  // Punctuation inside the delimiters goes too: the loop re-trims every layer.
  EXPECT_EQ(StripAnswerDelimiters("$42.$"), "42");
}

TEST(AnswerTextTest, KeepsEscapedTrailingPunctuation) {
  // "\," is a thin space and "\." an accent: the backslash makes them commands.
  EXPECT_EQ(StripAnswerDelimiters("5\\,"), "5\\,");
  EXPECT_EQ(StripAnswerDelimiters("$x\\.$"), "x\\.");
}

TEST(AnswerTextTest, LeavesPartialOrUnbalancedDelimiters) {
  EXPECT_EQ(StripAnswerDelimiters("$5"), "$5");
  EXPECT_EQ(StripAnswerDelimiters("5$"), "5$");
  EXPECT_EQ(StripAnswerDelimiters("$"), "$");
  EXPECT_EQ(StripAnswerDelimiters("\\(5"), "\\(5");
  EXPECT_EQ(StripAnswerDelimiters("\\boxed{5"), "\\boxed{5");
  // The box closes before the end: it is not the whole answer.
  EXPECT_EQ(StripAnswerDelimiters("\\boxed{1}+\\boxed{2}"), "\\boxed{1}+\\boxed{2}");
  EXPECT_EQ(StripAnswerDelimiters("\\boxed{3}}"), "\\boxed{3}}");
  // A longer command name is a different command.
  EXPECT_EQ(StripAnswerDelimiters("\\boxedx{3}"), "\\boxedx{3}");
  EXPECT_EQ(StripAnswerDelimiters("\\boxed 3"), "\\boxed 3");
}

TEST(AnswerTextTest, EscapedBracesInsideTheBoxAreContent) {
  EXPECT_EQ(StripAnswerDelimiters("\\boxed{\\{1, 2\\}}"), "\\{1, 2\\}");
  EXPECT_EQ(StripAnswerDelimiters("\\boxed{\\}}"), "\\}");
}

TEST(AnswerTextTest, EmptyAndBlankAnswersStripToEmpty) {
  EXPECT_EQ(StripAnswerDelimiters(""), "");
  EXPECT_EQ(StripAnswerDelimiters("   \n"), "");
  EXPECT_EQ(StripAnswerDelimiters("$$"), "");
  EXPECT_EQ(StripAnswerDelimiters("$ $"), "");
  EXPECT_EQ(StripAnswerDelimiters("\\boxed{}"), "");
  EXPECT_EQ(StripAnswerDelimiters("..."), "");
}

TEST(AnswerTextTest, StripResultIsAViewIntoTheInput) {
  const std::string answer = "  $\\boxed{12}$ ";
  const std::string_view stripped = StripAnswerDelimiters(answer);
  ASSERT_EQ(stripped, "12");
  EXPECT_EQ(stripped.data(), answer.data() + answer.find("12"));
}

TEST(AnswerTextTest, StripKeepsUtf8Content) {
  EXPECT_EQ(StripAnswerDelimiters("$\xCF\x80/2$"), "\xCF\x80/2");  // π/2
}

TEST(AnswerTextTest, TextCommandIsTextWhateverItHolds) {
  EXPECT_EQ(WholeAnswerText("\\text{Yes}"), std::optional<std::string>("yes"));
  EXPECT_EQ(WholeAnswerText("\\text{  The   Midpoints\tForm }"), std::optional<std::string>("the midpoints form"));
  EXPECT_EQ(WholeAnswerText("\\text{(C)}"), std::optional<std::string>("(c)"));
  EXPECT_EQ(WholeAnswerText("\\text{13}"), std::optional<std::string>("13"));
  EXPECT_EQ(WholeAnswerText("\\mbox{East}"), std::optional<std::string>("east"));
  EXPECT_EQ(WholeAnswerText("\\textrm{North}"), std::optional<std::string>("north"));
  EXPECT_EQ(WholeAnswerText("\\textnormal{E}"), std::optional<std::string>("e"));
  EXPECT_EQ(WholeAnswerText("\\text {odd}"), std::optional<std::string>("odd"));
}

TEST(AnswerTextTest, EmptyTextCommandIsNotText) {
  EXPECT_EQ(WholeAnswerText("\\text{}"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("\\text{ \t }"), std::nullopt);
}

TEST(AnswerTextTest, TextCommandMustBeTheWholeAnswer) {
  EXPECT_EQ(WholeAnswerText("\\text{a} + 1"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("5 \\text{ cm}"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("\\text{unclosed"), std::nullopt);
  // \texts is not \text; the rest of the answer is not words either.
  EXPECT_EQ(WholeAnswerText("\\texts{word}"), std::nullopt);
}

TEST(AnswerTextTest, FontCommandsCountOnlyWhenTheyHoldWords) {
  EXPECT_EQ(WholeAnswerText("\\textbf{Even}"), std::optional<std::string>("even"));
  EXPECT_EQ(WholeAnswerText("\\textit{no}"), std::optional<std::string>("no"));
  EXPECT_EQ(WholeAnswerText("\\emph{Neither}"), std::optional<std::string>("neither"));
  EXPECT_EQ(WholeAnswerText("\\textsf{both}"), std::optional<std::string>("both"));
  EXPECT_EQ(WholeAnswerText("\\texttt{down}"), std::optional<std::string>("down"));
  EXPECT_EQ(WholeAnswerText("\\textbf{73}"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("\\textbf{(C)}"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("\\textbf{ab}"), std::nullopt);
}

TEST(AnswerTextTest, PlainWordsNeedALongWordOrAKnownShortAnswer) {
  EXPECT_EQ(WholeAnswerText("Even"), std::optional<std::string>("even"));
  EXPECT_EQ(WholeAnswerText("  the  answer \n is  east "), std::optional<std::string>("the answer is east"));
  EXPECT_EQ(WholeAnswerText("well-known"), std::optional<std::string>("well-known"));
  for (const char* word : {"yes", "no", "odd", "all", "not", "neither", "both", "up", "down", "cw", "ccw", "nil"}) {
    EXPECT_EQ(WholeAnswerText(word), std::optional<std::string>(word)) << word;
  }
  EXPECT_EQ(WholeAnswerText("YES"), std::optional<std::string>("yes"));
  EXPECT_EQ(WholeAnswerText("CCW"), std::optional<std::string>("ccw"));
  // Short letters are products of symbols: "xy", "ab c".
  EXPECT_EQ(WholeAnswerText("xy"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("ab c"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("abc"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("yes no"), std::nullopt);
}

// Words of other scripts are text of any length (verl's numina_cn_k12 has such answers);
// Greek letters and letter-like symbols stay math.
TEST(AnswerTextTest, WordsOfOtherScriptsAreText) {
  EXPECT_EQ(WholeAnswerText("\u5317\u4eac"), std::optional<std::string>("\u5317\u4eac"));  // 北京
  EXPECT_EQ(WholeAnswerText(" \u7532 "), std::optional<std::string>("\u7532"));            // 甲
  EXPECT_EQ(WholeAnswerText("\u041c\u043e\u0441\u043a\u0432\u0430"),                       // Москва
            std::optional<std::string>("\u043c\u043e\u0441\u043a\u0432\u0430"));
  EXPECT_EQ(WholeAnswerText("Caf\u00e9"), std::optional<std::string>("caf\u00e9"));
  EXPECT_EQ(WholeAnswerText("\u03c0"), std::nullopt);          // π
  EXPECT_EQ(WholeAnswerText("\u211d"), std::nullopt);          // ℝ
  EXPECT_EQ(WholeAnswerText("\u5317\u4eac 2"), std::nullopt);  // a number is not a word
  EXPECT_EQ(WholeAnswerText("x\u00d7y"), std::nullopt);        // × is not a letter
  EXPECT_EQ(WholeAnswerText("\xE4\xB8"), std::nullopt);        // half a character
}

TEST(AnswerTextTest, MathWordsAreNotText) {
  for (const char* word : {"sqrt", "frac", "infty", "infinity", "Infinity", "percent", "degrees", "degree", "arcsin",
                           "floor", "Floor", "conjugate", "sinh"}) {
    EXPECT_EQ(WholeAnswerText(word), std::nullopt) << word;
  }
  // One long non-math word is enough, even next to a math word.
  EXPECT_EQ(WholeAnswerText("sqrt apple"), std::optional<std::string>("sqrt apple"));
  EXPECT_EQ(WholeAnswerText("sqrt pi"), std::nullopt);
}

TEST(AnswerTextTest, AnythingButLettersSpacesHyphensApostrophesIsNotWords) {
  EXPECT_EQ(WholeAnswerText(""), std::nullopt);
  EXPECT_EQ(WholeAnswerText("   "), std::nullopt);
  EXPECT_EQ(WholeAnswerText("5 apples"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("yes."), std::nullopt);
  EXPECT_EQ(WholeAnswerText("x=east"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("\\alpha beta"), std::nullopt);
  // Apostrophes split words: "don't" is "don" and "t", neither long enough.
  EXPECT_EQ(WholeAnswerText("don't"), std::nullopt);
  EXPECT_EQ(WholeAnswerText("can't move"), std::optional<std::string>("can't move"));
}

TEST(AnswerTextTest, TextCommandKeepsUtf8AndLowerCasesIt) {
  EXPECT_EQ(WholeAnswerText("\\text{Caf\xC3\xA9}"), std::optional<std::string>("caf\xC3\xA9"));
  EXPECT_EQ(WholeAnswerText("\\text{CAF\xC3\x89}"), std::optional<std::string>("caf\xC3\xA9"));  // É
  EXPECT_EQ(WholeAnswerText("\\text{\xD0\x9C}"), WholeAnswerText("\xD0\x9C"));                   // М
}

}  // namespace
}  // namespace rmg::math
