#include "code/output_compare.h"

#include <gtest/gtest.h>

namespace rmg::code {
namespace {

TEST(CodeOutputCompareTest, TrailingWhitespaceAndBlankLines) {
  EXPECT_TRUE(StdoutMatches("1 2 \n3\n\n\n", "1 2\n3"));
  EXPECT_TRUE(StdoutMatches("a\r\nb\r\n", "a\nb\n"));
  EXPECT_TRUE(StdoutMatches("", "\n"));
  EXPECT_FALSE(StdoutMatches("1\n2", "1\n3"));
}

TEST(CodeOutputCompareTest, TokenWiseFallback) {
  EXPECT_TRUE(StdoutMatches("1  2\n3", "1 2 3"));      // extra spaces, different line breaks
  EXPECT_TRUE(StdoutMatches("  YES", "YES"));           // leading whitespace
  EXPECT_FALSE(StdoutMatches("YES", "yes"));
  EXPECT_FALSE(StdoutMatches("1 2", "1 2 3"));
}

TEST(CodeOutputCompareTest, FloatTolerance) {
  EXPECT_TRUE(StdoutMatches("0.3333333", "0.33333333"));
  EXPECT_TRUE(StdoutMatches("1000000.5", "1000000.0"));  // relative 5e-7
  EXPECT_FALSE(StdoutMatches("1000001.5", "1000000.0"));
  EXPECT_TRUE(StdoutMatches("1e-9", "0"));                // absolute
  EXPECT_TRUE(StdoutMatches("2.0", "2"));
  EXPECT_FALSE(StdoutMatches("0.5", "0.51"));
  // Only decimal numerals are numbers.
  EXPECT_FALSE(StdoutMatches("nan", "NaN"));
  EXPECT_FALSE(StdoutMatches("inf", "infinity"));
  EXPECT_FALSE(StdoutMatches("0x10", "16"));
}

// Integer tokens had the float tolerance too: 1000001 passed for 1000000, and an
// answer modulo 10^9+7 could be off by a thousand.
TEST(CodeOutputCompareTest, IntegersAgreeOnlyExactly) {
  EXPECT_FALSE(StdoutMatches("1000001 5", "1000000 5"));
  EXPECT_FALSE(StdoutMatches("999999999999999999", "1000000000000000000"));
  EXPECT_FALSE(StdoutMatches("10000009", "10000000"));
  EXPECT_TRUE(StdoutMatches("007 +5 -0", "7 5 0"));
  EXPECT_TRUE(StdoutMatches("1000000.0", "1000000"));  // a decimal still has the tolerance
  EXPECT_FALSE(StdoutMatches("- 1", "-1"));            // a sign alone is no number
}

TEST(CodeOutputCompareTest, JsonValues) {
  EXPECT_TRUE(JsonValuesMatch(Json::parse("[1, [2, 3]]"), Json::parse("[1, [2, 3]]")));
  EXPECT_TRUE(JsonValuesMatch(Json::parse("2"), Json::parse("2.0")));
  EXPECT_TRUE(JsonValuesMatch(Json::parse("0.30000000000000004"), Json::parse("0.3")));
  EXPECT_TRUE(JsonValuesMatch(Json::parse("true"), Json::parse("1")));  // Python: True == 1
  EXPECT_FALSE(JsonValuesMatch(Json::parse("true"), Json::parse("false")));
  EXPECT_FALSE(JsonValuesMatch(Json::parse("\"1\""), Json::parse("1")));
  EXPECT_FALSE(JsonValuesMatch(Json::parse("[1, 2]"), Json::parse("[1, 2, 3]")));
  EXPECT_TRUE(JsonValuesMatch(Json::parse(R"({"a": 1, "b": [2]})"), Json::parse(R"({"b": [2.0], "a": 1})")));
  EXPECT_FALSE(JsonValuesMatch(Json::parse(R"({"a": 1})"), Json::parse(R"({"a": 1, "b": 2})")));
  EXPECT_FALSE(JsonValuesMatch(Json::parse("null"), Json::parse("0")));
  // Large integers are compared exactly.
  EXPECT_FALSE(JsonValuesMatch(Json::parse("1152921504606846976"), Json::parse("1152921504606846977")));
  EXPECT_TRUE(JsonValuesMatch(Json::parse("-5"), Json::parse("-5")));
}

TEST(CodeOutputCompareTest, AppsWrappedOutput) {
  EXPECT_TRUE(CallResultMatches(Json::parse("5"), Json::parse("[5]")));
  EXPECT_TRUE(CallResultMatches(Json::parse("[1, 2]"), Json::parse("[[1, 2]]")));
  EXPECT_FALSE(CallResultMatches(Json::parse("5"), Json::parse("[5, 6]")));
}

}  // namespace
}  // namespace rmg::code
