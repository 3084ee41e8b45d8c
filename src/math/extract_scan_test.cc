// The scans answer extraction is built from, one by one: math regions, boxes, brace
// matching, numbers in prose, sentences and candidate clean-up. extract_test.cc sees
// them only through the final candidate order; these pin each scan's own contract.
#include "math/extract_scan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rmg::math::extract_internal {
namespace {

std::string ScanSlice(std::string_view text, Span span) {
  return std::string(text.substr(span.begin, span.end - span.begin));
}

// "outer|inner" for each region, joined with "; ".
std::string ScanRegions(std::string_view text, const std::vector<MathRegion>& regions) {
  std::string out;
  for (const MathRegion& r : regions) {
    if (!out.empty()) out += "; ";
    out += ScanSlice(text, r.outer) + "|" + ScanSlice(text, r.inner);
  }
  return out;
}

std::string ScanMath(std::string_view text) { return ScanRegions(text, FindMathRegions(text, Deadline::Never())); }

std::string ScanBoxes(std::string_view text) { return ScanRegions(text, FindBoxes(text, Deadline::Never())); }

// The values of the numbers of the whole text, joined with " ".
std::string ScanNumberValues(std::string_view text) {
  std::string out;
  for (const NumberMatch& m : FindNumbers(text, {0, text.size()}, Deadline::Never())) {
    if (!out.empty()) out += ' ';
    out += m.value;
  }
  return out;
}

// The sentences of the whole text, each in brackets.
std::string ScanSentences(std::string_view text) {
  const std::vector<MathRegion> regions = FindMathRegions(text, Deadline::Never());
  std::string out;
  for (const Span& s : SplitSentences(text, {0, text.size()}, regions, Deadline::Never())) {
    out += "[" + ScanSlice(text, s) + "]";
  }
  return out;
}

TEST(ExtractScanTest, MathRegionDelimiters) {
  EXPECT_EQ(ScanMath("a $x$ b"), "$x$|x");
  EXPECT_EQ(ScanMath("$$x^2$$"), "$$x^2$$|x^2");
  EXPECT_EQ(ScanMath("\\(x\\) and \\[y\\]"), "\\(x\\)|x; \\[y\\]|y");
  EXPECT_EQ(ScanMath("\\begin{equation}x=1\\end{equation}"), "\\begin{equation}x=1\\end{equation}|x=1");
  EXPECT_EQ(ScanMath("\\begin{align*}a&=1\\end{align*}"), "\\begin{align*}a&=1\\end{align*}|a&=1");
  // aligned, gathered and array need their \begin parsed: inner is the whole region.
  EXPECT_EQ(ScanMath("\\begin{aligned}a\\end{aligned}"),
            "\\begin{aligned}a\\end{aligned}|\\begin{aligned}a\\end{aligned}");
  // Other environments are not math regions by themselves.
  EXPECT_EQ(ScanMath("\\begin{pmatrix}1\\end{pmatrix}"), "");
}

TEST(ExtractScanTest, MathRegionSpansAreExact) {
  const std::string text = "ab $$x$$ c";
  const std::vector<MathRegion> regions = FindMathRegions(text, Deadline::Never());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].outer.begin, 3u);
  EXPECT_EQ(regions[0].outer.end, 8u);
  EXPECT_EQ(regions[0].inner.begin, 5u);
  EXPECT_EQ(regions[0].inner.end, 6u);
}

TEST(ExtractScanTest, MathRegionsAreOrderedAndDisjoint) {
  EXPECT_EQ(ScanMath("$a$ $$b$$ \\(c\\) $d$"), "$a$|a; $$b$$|b; \\(c\\)|c; $d$|d");
  // A "$" inside a display region does not open another one.
  EXPECT_EQ(ScanMath("$$a $b$ c$$"), "$$a $b$ c$$|a $b$ c");
  EXPECT_EQ(ScanMath("\\[ $x$ \\]"), "\\[ $x$ \\]| $x$ ");
}

TEST(ExtractScanTest, EscapedDollarsAreNotDelimiters) {
  EXPECT_EQ(ScanMath("costs \\$5 today"), "");
  EXPECT_EQ(ScanMath("$\\$5$"), "$\\$5$|\\$5");
}

TEST(ExtractScanTest, InlineMathStopsAtBlankLine) {
  EXPECT_EQ(ScanMath("$x\ny$"), "$x\ny$|x\ny");
  EXPECT_EQ(ScanMath("$x\n\ny$"), "");
  EXPECT_EQ(ScanMath("$x\n \t\ny$"), "");
  // The "$" that found no partner is skipped; the next pair still counts.
  EXPECT_EQ(ScanMath("$x\n\n$y$"), "$y$|y");
}

TEST(ExtractScanTest, CurrencyIsNotMath) {
  EXPECT_EQ(ScanMath("It costs $5 and $6 in total"), "");
  EXPECT_EQ(ScanMath("9 * $2 = $18"), "");
  EXPECT_EQ(ScanMath("$5$"), "$5$|5");
  EXPECT_EQ(ScanMath("$5 \\text{apples}$"), "$5 \\text{apples}$|5 \\text{apples}");
  EXPECT_EQ(ScanMath("$x and y$"), "$x and y$|x and y");  // starts with a letter: math
  // Words inside braces are arguments, not prose.
  EXPECT_EQ(ScanMath("$5{ cm}$"), "$5{ cm}$|5{ cm}");
}

TEST(ExtractScanTest, UnclosedDelimitersDoNotHideLaterMath) {
  EXPECT_EQ(ScanMath("$$x and then $y$"), "$y$|y");
  EXPECT_EQ(ScanMath("\\(x and then $y$"), "$y$|y");
  EXPECT_EQ(ScanMath("\\[x and then $y$"), "$y$|y");
  EXPECT_EQ(ScanMath("\\begin{equation}x and then $y$"), "$y$|y");
  EXPECT_EQ(ScanMath("$"), "");
  EXPECT_EQ(ScanMath(""), "");
}

TEST(ExtractScanTest, ManyUnclosedDelimitersScanQuickly) {
  // Linear, not quadratic: 200k unclosed openers would take minutes otherwise.
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "\\( \\[ ";
  text += "$z$";
  EXPECT_EQ(ScanMath(text), "$z$|z");
}

TEST(ExtractScanTest, MathRegionsKeepUtf8) { EXPECT_EQ(ScanMath("so $\xCF\x80 r^2$."), "$\xCF\x80 r^2$|\xCF\x80 r^2"); }

TEST(ExtractScanTest, ScansHonourAnExpiredDeadline) {
  const std::string text(20000, 'a');
  const Deadline expired = Deadline::After(0);
  EXPECT_THROW(FindMathRegions(text, expired), DeadlineExceeded);
  EXPECT_THROW(FindBoxes(text, expired), DeadlineExceeded);
  EXPECT_THROW(FindNumbers(text, {0, text.size()}, expired), DeadlineExceeded);
  EXPECT_THROW(SplitSentences(text, {0, text.size()}, {}, expired), DeadlineExceeded);
}

TEST(ExtractScanTest, BoxesWithBraces) {
  EXPECT_EQ(ScanBoxes("so \\boxed{5}."), "\\boxed{5}|5");
  EXPECT_EQ(ScanBoxes("\\fbox{x}"), "\\fbox{x}|x");
  EXPECT_EQ(ScanBoxes("\\boxed {7}"), "\\boxed {7}|7");
  EXPECT_EQ(ScanBoxes("\\boxed{\\frac{1}{2}}"), "\\boxed{\\frac{1}{2}}|\\frac{1}{2}");
  EXPECT_EQ(ScanBoxes("\\boxed{\\}}"), "\\boxed{\\}}|\\}");
  EXPECT_EQ(ScanBoxes("\\boxed{1} and \\boxed{2}"), "\\boxed{1}|1; \\boxed{2}|2");
  EXPECT_EQ(ScanBoxes("\\boxed{}"), "\\boxed{}|");
}

TEST(ExtractScanTest, BoxesInsideABoxAreNotReported) {
  EXPECT_EQ(ScanBoxes("\\boxed{\\boxed{5}}"), "\\boxed{\\boxed{5}}|\\boxed{5}");
  EXPECT_EQ(ScanBoxes("\\fbox{a \\boxed{b}} \\boxed{c}"), "\\fbox{a \\boxed{b}}|a \\boxed{b}; \\boxed{c}|c");
}

TEST(ExtractScanTest, BoxWithoutBraceTakesTheNextToken) {
  EXPECT_EQ(ScanBoxes("\\boxed 5 apples"), "\\boxed 5|5");
  EXPECT_EQ(ScanBoxes("$\\boxed 12$"), "\\boxed 12|12");
  // Without a space the command name runs into the argument.
  EXPECT_EQ(ScanBoxes("\\boxed5"), "");
  EXPECT_EQ(ScanBoxes("\\boxed $5$"), "");
  EXPECT_EQ(ScanBoxes("\\boxed"), "");
  EXPECT_EQ(ScanBoxes("\\boxed "), "");
}

TEST(ExtractScanTest, OtherCommandsAndUnclosedBoxesAreIgnored) {
  EXPECT_EQ(ScanBoxes("\\boxedsum{5}"), "");
  EXPECT_EQ(ScanBoxes("\\fboxes{5}"), "");
  EXPECT_EQ(ScanBoxes("\\boxed{5"), "");
  // An unclosed box does not swallow a complete one after it.
  EXPECT_EQ(ScanBoxes("\\boxed{5 \\boxed{6}"), "\\boxed{6}|6");
}

TEST(ExtractScanTest, DeeplyNestedBoxesAreLinear) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "\\boxed{";
  text += "1";
  // Unclosed at every level: nothing to report.
  EXPECT_EQ(FindBoxes(text, Deadline::Never()).size(), 0u);
  text.append(20000, '}');
  const std::vector<MathRegion> boxes = FindBoxes(text, Deadline::Never());
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_EQ(boxes[0].outer.begin, 0u);
  EXPECT_EQ(boxes[0].outer.end, text.size());
}

TEST(ExtractScanTest, MatchBrace) {
  EXPECT_EQ(MatchBrace("{a{b}c}d", 0), 7u);
  EXPECT_EQ(MatchBrace("{a{b}c}d", 2), 5u);
  EXPECT_EQ(MatchBrace("{\\}}", 0), 4u);
  EXPECT_EQ(MatchBrace("{\\{}", 0), 4u);
  EXPECT_EQ(MatchBrace("{", 0), std::string_view::npos);
  EXPECT_EQ(MatchBrace("{{}", 0), std::string_view::npos);
  EXPECT_EQ(MatchBrace("{\\}", 0), std::string_view::npos);
  // A trailing backslash escapes nothing and does not read past the end.
  EXPECT_EQ(MatchBrace("{\\", 0), std::string_view::npos);
  std::string deep(100000, '{');
  deep.append(100000, '}');
  EXPECT_EQ(MatchBrace(deep, 0), deep.size());
}

TEST(ExtractScanTest, NumbersInProse) {
  EXPECT_EQ(ScanNumberValues("I have 3 apples and 4.5 pears, .5 of a melon"), "3 4.5 .5");
  EXPECT_EQ(ScanNumberValues("Version 3. Then"), "3");
  EXPECT_EQ(ScanNumberValues("no digits here"), "");
  EXPECT_EQ(ScanNumberValues(""), "");
}

TEST(ExtractScanTest, NumberSpansCoverSignAndPercent) {
  const std::string text = "drop of -12.5% today";
  const std::vector<NumberMatch> numbers = FindNumbers(text, {0, text.size()}, Deadline::Never());
  ASSERT_EQ(numbers.size(), 1u);
  EXPECT_EQ(numbers[0].value, "-12.5\\%");
  EXPECT_EQ(ScanSlice(text, numbers[0].span), "-12.5%");
}

TEST(ExtractScanTest, MinusSignOnlyWhenNotASubtraction) {
  EXPECT_EQ(ScanNumberValues("it is -5"), "-5");
  EXPECT_EQ(ScanNumberValues("(-5)"), "-5");
  EXPECT_EQ(ScanNumberValues("-5"), "-5");
  EXPECT_EQ(ScanNumberValues("3-5"), "3 5");
  EXPECT_EQ(ScanNumberValues("a-5"), "5");
  EXPECT_EQ(ScanNumberValues("(2)-5"), "2 5");
  EXPECT_EQ(ScanNumberValues("- 5"), "5");
}

TEST(ExtractScanTest, NumbersGluedToNamesAreNotNumbers) {
  EXPECT_EQ(ScanNumberValues("AZYUK2A"), "");
  EXPECT_EQ(ScanNumberValues("x_12 and y^2 and \\3"), "");
  EXPECT_EQ(ScanNumberValues("v2.5 then 7"), "7");
}

TEST(ExtractScanTest, ThousandsSeparatorsInProse) {
  EXPECT_EQ(ScanNumberValues("7,425,000 people"), "7425000");
  EXPECT_EQ(ScanNumberValues("1,000.99"), "1000.99");
  EXPECT_EQ(ScanNumberValues("14{,}916"), "14916");
  EXPECT_EQ(ScanNumberValues("The count is 1 000 000 exactly"), "1000000");
  // Mixing commas and spaces is not one number.
  EXPECT_EQ(ScanNumberValues("1,000 000"), "1000 000");
  // A group of four digits ends the number.
  EXPECT_EQ(ScanNumberValues("1 0000"), "1 0000");
  EXPECT_EQ(ScanNumberValues("2 apples"), "2");
}

TEST(ExtractScanTest, DecimalCommaUnlessAList) {
  EXPECT_EQ(ScanNumberValues("Soucis : 2,74 a"), "2.74");
  EXPECT_EQ(ScanNumberValues("12,3456"), "12.3456");
  EXPECT_EQ(ScanNumberValues("1,2,3"), "1 2 3");
  EXPECT_EQ(ScanNumberValues("(3,2)"), "3 2");
  EXPECT_EQ(ScanNumberValues("[3,25]"), "3 25");
}

TEST(ExtractScanTest, PercentSuffixes) {
  EXPECT_EQ(ScanNumberValues("50%"), "50\\%");
  EXPECT_EQ(ScanNumberValues("50 %"), "50\\%");
  EXPECT_EQ(ScanNumberValues("50\\%"), "50\\%");
  EXPECT_EQ(ScanNumberValues("50 percent"), "50\\%");
  EXPECT_EQ(ScanNumberValues("50 pct."), "50\\%");
  // A longer word is not the suffix.
  EXPECT_EQ(ScanNumberValues("50 percentage points"), "50");
  EXPECT_EQ(ScanNumberValues("50 pcts"), "50");
}

TEST(ExtractScanTest, NumbersOnlyInsideTheRange) {
  const std::string text = "1; 22; 333; 4444";
  const std::vector<NumberMatch> numbers = FindNumbers(text, {3, 10}, Deadline::Never());
  ASSERT_EQ(numbers.size(), 2u);
  EXPECT_EQ(numbers[0].value, "22");
  EXPECT_EQ(numbers[1].value, "333");
  EXPECT_EQ(numbers[1].span.end, 10u);
  // A range past the end is clamped.
  const std::vector<NumberMatch> tail = FindNumbers(text, {12, 1000}, Deadline::Never());
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].value, "4444");
  EXPECT_EQ(FindNumbers(text, {5, 5}, Deadline::Never()).size(), 0u);
  // A number cut by the range end is read up to the end only.
  EXPECT_EQ(FindNumbers(text, {12, 14}, Deadline::Never()).at(0).value, "44");
}

TEST(ExtractScanTest, AsPlainNumberAcceptsOneNumber) {
  EXPECT_EQ(AsPlainNumber("7,425,000"), "7425000");
  EXPECT_EQ(AsPlainNumber(" 42 "), "42");
  EXPECT_EQ(AsPlainNumber("-3"), "-3");
  EXPECT_EQ(AsPlainNumber("2.5"), "2.5");
  EXPECT_EQ(AsPlainNumber("1,000.5"), "1000.5");
  EXPECT_EQ(AsPlainNumber("14{,}916"), "14916");
  EXPECT_EQ(AsPlainNumber("1 000"), "1000");
  EXPECT_EQ(AsPlainNumber("1\\,000"), "1000");
  EXPECT_EQ(AsPlainNumber("1\\!000"), "1000");
  EXPECT_EQ(AsPlainNumber("1\\ 000"), "1000");
  EXPECT_EQ(AsPlainNumber("11,\\! 111"), "11111");
  EXPECT_EQ(AsPlainNumber("50\\%"), "50\\%");
  EXPECT_EQ(AsPlainNumber("1234"), "1234");
}

TEST(ExtractScanTest, AsPlainNumberRejectsEverythingElse) {
  EXPECT_EQ(AsPlainNumber(""), "");
  EXPECT_EQ(AsPlainNumber("-"), "");
  EXPECT_EQ(AsPlainNumber(".5"), "");
  EXPECT_EQ(AsPlainNumber("3."), "");
  EXPECT_EQ(AsPlainNumber("99, 503"), "");  // a list
  EXPECT_EQ(AsPlainNumber("1,00"), "");
  EXPECT_EQ(AsPlainNumber("1,0000"), "");
  EXPECT_EQ(AsPlainNumber("1234,567"), "");
  EXPECT_EQ(AsPlainNumber("12x"), "");
  EXPECT_EQ(AsPlainNumber("50%"), "");
  EXPECT_EQ(AsPlainNumber("\\frac{1}{2}"), "");
}

TEST(ExtractScanTest, SentencesEndAtPunctuationAndBlankLines) {
  EXPECT_EQ(ScanSentences("One. Two! Three? Four"), "[One.][Two!][Three?][Four]");
  EXPECT_EQ(ScanSentences("Pi is 3.14 here."), "[Pi is 3.14 here.]");
  EXPECT_EQ(ScanSentences("First part\n\nSecond part"), "[First part][Second part]");
  EXPECT_EQ(ScanSentences("Ends with dot."), "[Ends with dot.]");
  EXPECT_EQ(ScanSentences(""), "");
  EXPECT_EQ(ScanSentences("  \n\n  "), "");
}

TEST(ExtractScanTest, SentencesNeverSplitMath) {
  EXPECT_EQ(ScanSentences("So $a. b$ holds. Next"), "[So $a. b$ holds.][Next]");
  EXPECT_EQ(ScanSentences("See \\[x.\n\ny\\] now"), "[See \\[x.\n\ny\\] now]");
}

TEST(ExtractScanTest, DisplayMathAfterBlankLineContinuesTheSentence) {
  EXPECT_EQ(ScanSentences("the probability is\n\n$$\\frac12$$\n\nDone"), "[the probability is\n\n$$\\frac12$$][Done]");
  EXPECT_EQ(ScanSentences("so\n\n\\[x=1\\]"), "[so\n\n\\[x=1\\]]");
  // Inline math after a blank line starts a new sentence.
  EXPECT_EQ(ScanSentences("so\n\n$x$ is it"), "[so][$x$ is it]");
}

TEST(ExtractScanTest, SentencesOnlyInsideTheRange) {
  const std::string text = "Skip. Take this. And this. Not";
  const std::vector<Span> spans = SplitSentences(text, {6, 26}, {}, Deadline::Never());
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(ScanSlice(text, spans[0]), "Take this.");
  EXPECT_EQ(ScanSlice(text, spans[1]), "And this.");
}

TEST(ExtractScanTest, CleanCandidateTrimsSentencePunctuation) {
  EXPECT_EQ(CleanCandidate("  5.  "), "5");
  EXPECT_EQ(CleanCandidate("x+1;:"), "x+1");
  EXPECT_EQ(CleanCandidate("x+1 \\quad"), "x+1");
  EXPECT_EQ(CleanCandidate("x+1 \\\\"), "x+1");
  EXPECT_EQ(CleanCandidate("k=10 \\text {. }"), "k=10");
  EXPECT_EQ(CleanCandidate("k=10 \\text{,}"), "k=10");
  EXPECT_EQ(CleanCandidate(""), "");
  EXPECT_EQ(CleanCandidate(" .;, "), "");
}

TEST(ExtractScanTest, CleanCandidateUnwrapsBold) {
  EXPECT_EQ(CleanCandidate("\\mathbf{1 0 9}"), "109");
  EXPECT_EQ(CleanCandidate("\\textbf{2 2 . 5}"), "22.5");
  EXPECT_EQ(CleanCandidate("\\boldsymbol{1 0 2 , 0 1 8}"), "102018");
  EXPECT_EQ(CleanCandidate("K=\\bm{x y}"), "K=x y");
  // An unclosed bold is left as written.
  EXPECT_EQ(CleanCandidate("\\mathbf{1 2"), "\\mathbf{1 2");
}

TEST(ExtractScanTest, CleanCandidateDropsCurrencyAndThinSpace) {
  EXPECT_EQ(CleanCandidate("\\$16386.17"), "16386.17");
  EXPECT_EQ(CleanCandidate("11,\\! 111"), "11111");
  EXPECT_EQ(CleanCandidate("(385)"), "385");
  EXPECT_EQ(CleanCandidate("(1,2)"), "(1,2)");
  EXPECT_EQ(CleanCandidate("(2,251,252)"), "(2,251,252)");  // a triple, not 2251252
  // Other escapes stay.
  EXPECT_EQ(CleanCandidate("\\{1\\}"), "\\{1\\}");
}

TEST(ExtractScanTest, CleanCandidatePercentWords) {
  EXPECT_EQ(CleanCandidate("28 percent"), "28\\%");
  EXPECT_EQ(CleanCandidate("28 pct"), "28\\%");
  EXPECT_EQ(CleanCandidate("28percent"), "28\\%");
  EXPECT_EQ(CleanCandidate("\\frac{1}{2} percent"), "\\frac{1}{2}\\%");
  EXPECT_EQ(CleanCandidate("x percent"), "x percent");
  EXPECT_EQ(CleanCandidate("percent"), "percent");
}

TEST(ExtractScanTest, CleanCandidateDropsTrailingUnits) {
  EXPECT_EQ(CleanCandidate("\\frac{41}{12} \\mathrm{~km}"), "\\frac{41}{12}");
  EXPECT_EQ(CleanCandidate("166 \\mathrm{~cm}^{2}"), "166");
  EXPECT_EQ(CleanCandidate("15\\mbox{ cm}^2"), "15");
  EXPECT_EQ(CleanCandidate("9.8 \\text{ m}/\\text{s}^2"), "9.8");
  // Connectors and text without the leading space are not units.
  EXPECT_EQ(CleanCandidate("6 \\text{ and } 8"), "6 \\text{ and } 8");
  EXPECT_EQ(CleanCandidate("5\\text{cm}"), "5\\text{cm}");
  // A number after the unit means it was not a trailing unit.
  EXPECT_EQ(CleanCandidate("5 \\text{ cm} 3"), "5 \\text{ cm} 3");
  // A unit alone is all there is: kept.
  EXPECT_EQ(CleanCandidate("\\text{ cm}"), "\\text{ cm}");
}

TEST(ExtractScanTest, ValueAfterLastEquals) {
  EXPECT_EQ(ValueAfterLastEquals("x = 5"), "5");
  EXPECT_EQ(ValueAfterLastEquals("a = b = c."), "c");
  EXPECT_EQ(ValueAfterLastEquals("\\pi \\approx 3.14"), "3.14");
  EXPECT_EQ(ValueAfterLastEquals("x \\in [0,1]"), "[0,1]");
  EXPECT_EQ(ValueAfterLastEquals("(x, y):(0,2),(4,23)"), "(0,2),(4,23)");
  EXPECT_EQ(ValueAfterLastEquals("x == 5"), "5");
  EXPECT_EQ(ValueAfterLastEquals("x = \\$5"), "5");
}

TEST(ExtractScanTest, ValueAfterLastEqualsIgnoresOtherRelationsAndNesting) {
  EXPECT_EQ(ValueAfterLastEquals("x <= 5"), "");
  EXPECT_EQ(ValueAfterLastEquals("x >= 5"), "");
  EXPECT_EQ(ValueAfterLastEquals("x != 5"), "");
  EXPECT_EQ(ValueAfterLastEquals("x \\leq 5"), "");
  EXPECT_EQ(ValueAfterLastEquals("\\int x"), "");
  EXPECT_EQ(ValueAfterLastEquals("\\infty"), "");
  EXPECT_EQ(ValueAfterLastEquals("f(x=1)"), "");
  EXPECT_EQ(ValueAfterLastEquals("\\frac{a=b}{2}"), "");
  EXPECT_EQ(ValueAfterLastEquals("y = f(x=1)"), "f(x=1)");
  EXPECT_EQ(ValueAfterLastEquals("5"), "");
  EXPECT_EQ(ValueAfterLastEquals(""), "");
  EXPECT_EQ(ValueAfterLastEquals("x ="), "");
}

TEST(ExtractScanTest, ValueAfterLastEqualsDropsAlignmentLeftovers) {
  EXPECT_EQ(ValueAfterLastEquals("a &= 7 \\\\"), "7");
  EXPECT_EQ(ValueAfterLastEquals("\\begin{aligned} a &= b \\\\ &= 7 \\end{aligned}"), "7");
  EXPECT_EQ(ValueAfterLastEquals("a = && 7"), "7");
}

TEST(ExtractScanTest, Trim) {
  EXPECT_EQ(Trim(" \t\r\n\f\vx y\n "), "x y");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
}

}  // namespace
}  // namespace rmg::math::extract_internal
