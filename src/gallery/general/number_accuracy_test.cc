// number_accuracy: RM-Gallery's NumberAccuracyReward (rm_gallery_api.md §11.1).
// Number lists were checked against [float(x) for x in re.findall(r"-?\d+\.?\d*", t)]
// in CPython 3.11.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "gallery/testing.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::ScoreWith;
using testing::SortedKeys;

TEST(NumberAccuracyRewardTest, CommaSeparatedListsComparePositionally) {
  const auto r = Score("number_accuracy", "1,2,3", "1,2,4");
  EXPECT_EQ(r.score, 2.0 / 3.0);
  EXPECT_EQ(r.reason(), "Number accuracy: 2/3 numbers correct");
}

TEST(NumberAccuracyRewardTest, ScoreIsOverReferenceCount) {
  const auto r = Score("number_accuracy", "1 2", "1 2 3 4");
  EXPECT_EQ(r.score, 0.5);
  EXPECT_EQ(r.reason(), "Number accuracy: 2/4 numbers correct");
}

TEST(NumberAccuracyRewardTest, ExtraGeneratedNumbersAreIgnored) {
  const auto r = Score("number_accuracy", "1 2 3 4", "1 2");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "Number accuracy: 2/2 numbers correct");
}

TEST(NumberAccuracyRewardTest, OrderMatters) { EXPECT_EQ(Score("number_accuracy", "2 1", "1 2").score, 0.0); }

TEST(NumberAccuracyRewardTest, ToleranceAcceptsCloseNumbers) {
  EXPECT_EQ(ScoreWith("number_accuracy", {{"tolerance", 0.1}}, "pi is 3.14", "3.141").score, 1.0);
  EXPECT_EQ(Score("number_accuracy", "pi is 3.14", "3.141").score, 0.0);
}

TEST(NumberAccuracyRewardTest, DefaultToleranceIsOneMillionth) {
  EXPECT_EQ(testing::DefaultParam("number_accuracy", "tolerance"), 1e-6);
  EXPECT_EQ(Score("number_accuracy", "0.5000001", "0.5").score, 1.0);
  EXPECT_EQ(Score("number_accuracy", "0.50001", "0.5").score, 0.0);
}

TEST(NumberAccuracyRewardTest, ThousandsSeparatorSplitsTheNumber) {
  // "1,000" is [1.0, 0.0], so it matches "1 0" and not "1000".
  const auto r = Score("number_accuracy", "1,000", "1 0");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.extra.at("generated_numbers"), Json::parse("[1.0, 0.0]"));
  EXPECT_EQ(Score("number_accuracy", "1,000", "1000").score, 0.0);
}

TEST(NumberAccuracyRewardTest, MinusSignAndTrailingDotFollowTheRegex) {
  // "5-3" -> [5, -3]; "3." -> 3; ".5" -> 5 (a digit must come first); "1.2.3" -> [1.2, 3].
  EXPECT_EQ(Score("number_accuracy", "5-3", "5 -3").score, 1.0);
  const auto r = Score("number_accuracy", "3. and .5 and 1.2.3", "3 5 1.2 3");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.extra.at("generated_numbers"), Json::parse("[3.0, 5.0, 1.2, 3.0]"));
}

TEST(NumberAccuracyRewardTest, UnicodeDecimalDigitsAreNumbersAsInPython) {
  // Python's \d matches any Nd digit and float() reads it: "٣" (ARABIC-INDIC THREE) is 3.0.
  EXPECT_EQ(Score("number_accuracy", "\u0663", "3").score, 1.0);
}

TEST(NumberAccuracyRewardTest, ValuesAreCorrectlyRoundedAsPythonFloat) {
  // Short matches take exact integer arithmetic, long ones the general parser: both
  // must give strtod's correctly rounded double, as Python's float() does.
  const std::vector<std::string> matches = {"0.1", "0.3", "123456789012345", "999999999999999.9",
                                            "1234567890123456789", "98765432109876543210", "0.000000000000001",
                                            "3.14159265358979323846", "-2.675", "7.", "-0"};
  std::string text;
  Json expected = Json::array();
  for (const std::string& match : matches) {
    text += match + " ; ";
    expected.push_back(std::strtod(match.c_str(), nullptr));
  }
  const auto r = Score("number_accuracy", text, text);
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.extra.at("generated_numbers"), expected);
  EXPECT_TRUE(std::signbit(r.extra.at("generated_numbers").back().get<double>()));  // float("-0") is -0.0
}

// The numbers the reward finds in `text`, from extra_data.
Json NumbersIn(const std::string& text) {
  return Score("number_accuracy", text, "0").extra.at("generated_numbers");
}

// The JSON list of strtod() of each string: Python's float() of each match.
Json Floats(const std::vector<std::string>& matches) {
  Json list = Json::array();
  for (const std::string& match : matches) list.push_back(std::strtod(match.c_str(), nullptr));
  return list;
}

TEST(NumberAccuracyRewardTest, FindsNumbersAtEveryOffsetOfTheByteMaps) {
  // The text is classified 16 bytes at a time into 64-bit words: a number, '-' or
  // non-ASCII digit must be found wherever it falls, including across block and
  // word ends, and at the very end of the text.
  for (size_t offset = 0; offset < 140; ++offset) {
    const std::string padding(offset, 'x');
    EXPECT_EQ(Score("number_accuracy", padding + "42 and more text here", "42").score, 1.0) << offset;
    EXPECT_EQ(Score("number_accuracy", padding + "-7 and more text here", "-7").score, 1.0) << offset;
    EXPECT_EQ(Score("number_accuracy", padding + "\u0663 and more text here", "3").score, 1.0) << offset;
    EXPECT_EQ(Score("number_accuracy", padding + "/:@ no digits at all", "1").reason(),
              "No numbers found in generated content")
        << offset;
    EXPECT_EQ(NumbersIn(padding + "123456.789 -98765 4."), Floats({"123456.789", "-98765", "4"})) << offset;
    EXPECT_EQ(NumbersIn(padding + "-1234567.5"), Floats({"-1234567.5"})) << offset;
    EXPECT_EQ(NumbersIn(padding + "1.2.3.4-"), Floats({"1.2", "3.4"})) << offset;
  }
}

TEST(NumberAccuracyRewardTest, TextOfWholeWordsAndEmptyText) {
  EXPECT_EQ(NumbersIn(std::string(63, 'x') + "9"), Floats({"9"}));
  EXPECT_EQ(NumbersIn(std::string(64, '7')), Floats({std::string(64, '7')}));
  EXPECT_EQ(NumbersIn(std::string(127, '-') + "5"), Floats({"-5"}));
  EXPECT_EQ(NumbersIn(""), Json::array());
}

TEST(NumberAccuracyRewardTest, PointsAndMinusSignsAsTheRegexReadsThem) {
  // Checked against re.findall in CPython 3.11.
  EXPECT_EQ(NumbersIn("1."), Floats({"1"}));
  EXPECT_EQ(NumbersIn(".5"), Floats({"5"}));
  EXPECT_EQ(NumbersIn("1..2"), Floats({"1", "2"}));
  EXPECT_EQ(NumbersIn("1.2.3.4"), Floats({"1.2", "3.4"}));
  EXPECT_EQ(NumbersIn("--3"), Floats({"-3"}));
  EXPECT_EQ(NumbersIn("x-"), Json::array());
  EXPECT_EQ(NumbersIn("-.5"), Floats({"5"}));
}

TEST(NumberAccuracyRewardTest, LongAndExtremeNumbersAreCorrectlyRounded) {
  // Past 15 digits (and past 19, where a 64-bit mantissa wraps) the general parser
  // reads the match; beyond double's range Python's float() gives inf or 0.
  const std::string twenty_four = "123456789012345678901234";
  EXPECT_EQ(NumbersIn(twenty_four + " 0." + twenty_four), Floats({twenty_four, "0." + twenty_four}));
  EXPECT_EQ(NumbersIn("9007199254740993"), Floats({"9007199254740993"}));  // 2^53 + 1 rounds to even
  const std::string max_double = "17976931348623157" + std::string(292, '0');
  EXPECT_EQ(NumbersIn(max_double), Floats({max_double}));
  EXPECT_EQ(NumbersIn("1" + std::string(308, '0')), Floats({"1e308"}));
  const Json overflow = NumbersIn(std::string(309, '9'));
  ASSERT_EQ(overflow.size(), 1u);
  EXPECT_EQ(overflow[0].get<double>(), HUGE_VAL);
  EXPECT_EQ(NumbersIn("-0." + std::string(400, '0') + "1"), Floats({"-0"}));
}

TEST(NumberAccuracyRewardTest, NonAsciiDigitsNextToAsciiOnes) {
  // Any Nd digit continues a match, before or after the point (checked in CPython 3.11).
  EXPECT_EQ(NumbersIn("1\u06632"), Floats({"132"}));          // ARABIC-INDIC THREE
  EXPECT_EQ(NumbersIn("\u0663.5 and 5.\u0663"), Floats({"3.5", "5.3"}));
  EXPECT_EQ(NumbersIn("-\u0663"), Floats({"-3"}));
  EXPECT_EQ(NumbersIn("3.\u0966\u0967"), Floats({"3.01"}));  // DEVANAGARI ZERO, ONE
  EXPECT_EQ(NumbersIn("1\uff12"), Floats({"12"}));            // FULLWIDTH TWO
  EXPECT_EQ(NumbersIn("12\u00e93 and 7.5\u00b0"), Floats({"12", "3", "7.5"}));  // é and ° are not digits
}

TEST(NumberAccuracyRewardTest, NoReferenceNumbers) {
  const auto r = Score("number_accuracy", "42", "forty-two");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No reference numbers to compare");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"generated_numbers", "reference_numbers"}));
  EXPECT_EQ(r.extra.at("generated_numbers"), Json::parse("[42.0]"));
  EXPECT_EQ(r.extra.at("reference_numbers"), Json::array());
}

TEST(NumberAccuracyRewardTest, NoGeneratedNumbers) {
  const auto r = Score("number_accuracy", "forty-two", "42");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No numbers found in generated content");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"generated_numbers", "reference_numbers"}));
}

TEST(NumberAccuracyRewardTest, MissingReferenceIsCheckedBeforeMissingResponseNumbers) {
  EXPECT_EQ(Score("number_accuracy", "none", nullptr).reason(), "No reference numbers to compare");
}

TEST(NumberAccuracyRewardTest, ExtraDataOfAComparison) {
  const auto r = Score("number_accuracy", "x=1, y=2.5, z=-3", "1 2.5 3");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"accuracy", "correct_numbers", "generated_numbers",
                                                           "reference_numbers", "total_reference_numbers"}));
  EXPECT_EQ(r.extra.at("accuracy"), 2.0 / 3.0);
  EXPECT_EQ(r.extra.at("correct_numbers"), 2);
  EXPECT_EQ(r.extra.at("total_reference_numbers"), 3);
  EXPECT_EQ(r.extra.at("generated_numbers"), Json::parse("[1.0, 2.5, -3.0]"));
  EXPECT_EQ(r.extra.at("reference_numbers"), Json::parse("[1.0, 2.5, 3.0]"));
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "number_accuracy");
}

}  // namespace
}  // namespace rmg::gallery
