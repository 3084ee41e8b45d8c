#include "data/field_expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace rmg {
namespace {

using ::testing::HasSubstr;

const Json& Record() {
  static const Json record = Json::parse(R"({
    "unique_id": "s1", "task_category": "chat",
    "metadata": {"subset": "chat", "difficulty": 2.5, "hard": true, "tags": [], "empty": ""},
    "output": [{"answer": {"label": {"score": 3, "preference": "chosen"}}},
               {"answer": {"label": {"score": 1}}}]})");
  return record;
}

bool Matches(const std::string& text) { return FieldExpression::Parse(text).Matches(Record()); }

// The column ExpressionError reports for `text`, or 0 when it parses.
size_t ErrorColumn(const std::string& text) {
  try {
    FieldExpression::Parse(text);
  } catch (const ExpressionError& e) {
    return e.column();
  }
  return 0;
}

TEST(FieldExpressionTest, Comparisons) {
  EXPECT_TRUE(Matches(R"(metadata.subset == "chat")"));
  EXPECT_TRUE(Matches("metadata.subset == 'chat'"));
  EXPECT_FALSE(Matches(R"(metadata.subset != "chat")"));
  EXPECT_TRUE(Matches("output.0.answer.label.score >= 3"));
  EXPECT_FALSE(Matches("output.0.answer.label.score > 3"));
  EXPECT_TRUE(Matches("output.1.answer.label.score < output.0.answer.label.score"));
  EXPECT_TRUE(Matches("output.0.answer.label.score == 3.0"));  // numbers compare numerically
  EXPECT_TRUE(Matches("metadata.difficulty <= 2.5 and metadata.difficulty > -1e3"));
  EXPECT_TRUE(Matches(R"(task_category != "math")"));
  EXPECT_TRUE(Matches(R"("apple" < "banana")"));
  EXPECT_TRUE(Matches("metadata.hard == true"));
}

TEST(FieldExpressionTest, MissingFieldsAreNullAndMismatchedOrderingIsFalse) {
  EXPECT_TRUE(Matches("metadata.nope == null"));
  EXPECT_TRUE(Matches("metadata.nope != 3"));
  EXPECT_FALSE(Matches("metadata.nope < 3"));
  EXPECT_FALSE(Matches("metadata.nope >= 3"));
  EXPECT_FALSE(Matches(R"(metadata.subset > 3)"));
  EXPECT_FALSE(Matches(R"(metadata.subset == 3)"));
  EXPECT_FALSE(Matches("output.7.answer.label.score >= 0"));
}

// nlohmann's own == casts mixed numbers: 2^64-1 equalled -1, and 2^53+1 <= 2^53 held.
TEST(FieldExpressionTest, NumbersCompareByTheirExactValues) {
  const Json record =
      Json::parse(R"({"u": 18446744073709551615, "big": 9007199254740993, "neg": -1, "half": 0.5, "nan": null})");
  const auto matches = [&record](const std::string& text) { return FieldExpression::Parse(text).Matches(record); };
  EXPECT_FALSE(matches("u == -1"));
  EXPECT_FALSE(matches("u == neg"));
  EXPECT_FALSE(matches("u in [-1]"));
  EXPECT_TRUE(matches("u > neg"));
  EXPECT_TRUE(matches("u == 18446744073709551615"));  // a literal up to 2^64-1 stays an integer
  EXPECT_FALSE(matches("u == 18446744073709551614"));
  EXPECT_FALSE(matches("u == 18446744073709551616"));  // 2^64, a double
  EXPECT_TRUE(matches("u < 18446744073709551616"));
  EXPECT_FALSE(matches("big == 9007199254740992"));
  EXPECT_TRUE(matches("big > 9007199254740992"));
  EXPECT_FALSE(matches("big <= 9007199254740992"));
  EXPECT_FALSE(matches("big == 9007199254740992.0"));  // the double is 2^53 exactly
  EXPECT_TRUE(matches("big > 9007199254740992.0"));
  EXPECT_TRUE(matches("9007199254740992.0 < big"));
  EXPECT_TRUE(matches("neg == -1.0 and neg >= -1.0 and neg < -0.5"));
  EXPECT_TRUE(matches("half > 0 and half < 1 and 1 > half"));
  EXPECT_TRUE(matches("u < 1e300 and neg > -1e300"));
}

TEST(FieldExpressionTest, ObjectsAndArraysCompareWhateverTheKeyOrder) {
  const Json record = Json::parse(R"({"o1": {"a": 1, "b": [2, {"x": 1, "y": 2}]},
                                      "o2": {"b": [2.0, {"y": 2, "x": 1}], "a": 1},
                                      "o3": {"a": 1, "b": [2, {"x": 1}]}})");
  const auto matches = [&record](const std::string& text) { return FieldExpression::Parse(text).Matches(record); };
  EXPECT_TRUE(matches("o1 == o2"));
  EXPECT_FALSE(matches("o1 != o2"));
  EXPECT_FALSE(matches("o1 == o3"));
  EXPECT_TRUE(matches("o1.b.1 != o3.b.1"));
}

TEST(FieldExpressionTest, FieldNamesInAnyScript) {
  const Json record = Json::parse(R"({"metadata": {"é": 1, "数据": "集", "naïve_κ": true}})");
  const auto matches = [&record](const std::string& text) { return FieldExpression::Parse(text).Matches(record); };
  EXPECT_TRUE(matches("metadata.é == 1"));
  EXPECT_TRUE(matches("metadata.数据 == '集'"));
  EXPECT_TRUE(matches("metadata.naïve_κ"));
  // Typographic quotes are no part of a name: an error, not a field that is always null.
  try {
    FieldExpression::Parse("metadata.数据 == \u201c集\u201d");
    FAIL();
  } catch (const ExpressionError& e) {
    EXPECT_EQ(std::string(e.what()), "column 16: unexpected character '\u201c'");
  }
}

TEST(FieldExpressionTest, BooleanLogicAndPrecedence) {
  // `and` binds tighter than `or`: true or (false and false) is true.
  EXPECT_TRUE(Matches(R"(metadata.hard or metadata.subset == "x" and task_category == "y")"));
  // With parentheses: (true or false) and false is false.
  EXPECT_FALSE(Matches(R"((metadata.hard or metadata.subset == "x") and task_category == "y")"));
  EXPECT_TRUE(Matches(R"(not metadata.subset == "math")"));
  EXPECT_TRUE(Matches("not not metadata.hard"));
  EXPECT_FALSE(Matches("not (metadata.hard and true)"));
}

TEST(FieldExpressionTest, InLists) {
  EXPECT_TRUE(Matches(R"(task_category in ["chat", "code"])"));
  EXPECT_FALSE(Matches(R"(task_category in ["math"])"));
  EXPECT_TRUE(Matches(R"(task_category not in ["math", 'code'])"));
  EXPECT_TRUE(Matches("output.0.answer.label.score in [1, 3.0]"));
  EXPECT_FALSE(Matches("task_category in []"));
  EXPECT_TRUE(Matches("metadata.nope in [null]"));
}

TEST(FieldExpressionTest, TruthTests) {
  EXPECT_TRUE(Matches("metadata.hard"));
  EXPECT_TRUE(Matches("metadata.subset"));
  EXPECT_FALSE(Matches("metadata.tags"));   // empty array
  EXPECT_FALSE(Matches("metadata.empty"));  // empty string
  EXPECT_FALSE(Matches("metadata.nope"));
  EXPECT_TRUE(Matches("output"));
}

TEST(FieldExpressionTest, StringEscapes) {
  const Json record = Json::parse(R"({"q": "say \"hi\"", "p": "it's"})");
  EXPECT_TRUE(FieldExpression::Parse(R"(q == "say \"hi\"")").Matches(record));
  EXPECT_TRUE(FieldExpression::Parse(R"(p == 'it\'s')").Matches(record));
}

TEST(FieldExpressionTest, ParseErrorsNameTheColumn) {
  // Columns counted by hand (1-based).
  EXPECT_EQ(ErrorColumn("metadata.subset = \"chat\""), 17u);  // '=' instead of '=='
  EXPECT_EQ(ErrorColumn("(a == 1"), 8u);                      // the end, where ')' was due
  EXPECT_EQ(ErrorColumn("a == 1 b"), 8u);                     // trailing operand
  EXPECT_EQ(ErrorColumn("a == \"open"), 6u);                  // unterminated string
  EXPECT_EQ(ErrorColumn("a in [1, b]"), 10u);                 // a field inside a list
  EXPECT_EQ(ErrorColumn("a in 1"), 6u);                       // no list after in
  EXPECT_EQ(ErrorColumn("a == and"), 6u);                     // keyword as operand
  EXPECT_EQ(ErrorColumn("a == 1.2.3"), 6u);                   // bad number
  EXPECT_EQ(ErrorColumn("a == 1 && b"), 8u);                  // unknown character
  EXPECT_EQ(ErrorColumn("\"\U0001F600\U0001F600\U0001F600\" == 1 or =="), 15u);  // characters, not bytes
  EXPECT_EQ(ErrorColumn(""), 1u);
  EXPECT_EQ(ErrorColumn("metadata..x"), 1u);
  try {
    FieldExpression::Parse("(a == 1");
    FAIL();
  } catch (const ExpressionError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("column 8: expected ')', found the end"));
  }
}

TEST(FieldExpressionTest, NestingIsBounded) {
  const int depth = kMaxExpressionDepth;
  const std::string ok = std::string(depth - 1, '(') + "a" + std::string(depth - 1, ')');
  EXPECT_EQ(ErrorColumn(ok), 0u);
  EXPECT_NE(ErrorColumn(std::string(100000, '(') + "a" + std::string(100000, ')')), 0u);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  EXPECT_NE(ErrorColumn(nots + "a"), 0u);
  // A long flat chain is not nesting: it parses and evaluates.
  std::string chain = "a == 0";
  for (int i = 1; i < 10000; ++i) chain += " or a == " + std::to_string(i);
  EXPECT_TRUE(FieldExpression::Parse(chain).Matches(Json::parse(R"({"a": 9999})")));
  EXPECT_FALSE(FieldExpression::Parse(chain).Matches(Json::parse(R"({"a": 10000})")));
}

}  // namespace
}  // namespace rmg
