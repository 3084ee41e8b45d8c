#include "core/simd_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rmg/sample_io.h"

namespace rmg {
namespace {

// nlohmann's own parser is the reference: ParseJson must give the same value, the
// same number types and the same key order.
void ExpectSameAsJsonParse(const std::string& text) {
  const Json expected = Json::parse(text);
  const Json parsed = ParseJson(text);
  EXPECT_EQ(parsed, expected) << text;
  EXPECT_EQ(parsed.dump(), expected.dump()) << text;
  EXPECT_EQ(parsed.type(), expected.type()) << text;
}

TEST(ParseJson, SameValueAsJsonParse) {
  ExpectSameAsJsonParse(R"({"z": 1, "a": [true, false, null], "m": {"y": "x", "b": -2}})");
  ExpectSameAsJsonParse(R"({"text": "caf\u00e9 \"q\"\n\ud83d\ude00 λ", "raw": "naïve"})");
  ExpectSameAsJsonParse(R"([0, -0, 1.5, -1e-7, 18446744073709551615, -9223372036854775808, 1E+2])");
  ExpectSameAsJsonParse(R"({"a": 1, "b": 2, "a": 3})");  // repeated key: first position, last value
  ExpectSameAsJsonParse(R"("just a string")");
  ExpectSameAsJsonParse("  {}  ");
}

// An object of `size` keys in which key i is "k<i % distinct>" (so keys repeat when
// `distinct` < `size`) and its value i + 1 followed by `value_suffix`.
std::string ObjectWithKeys(size_t size, size_t distinct, const std::string& value_suffix = "") {
  std::string text = "{";
  for (size_t i = 0; i < size; ++i) {
    text += (i ? ", " : "") + std::string("\"k") + std::to_string(i % distinct) + "\": " + std::to_string(i + 1) +
            value_suffix;
  }
  return text + "}";
}

TEST(ParseJson, RepeatedKeysOfLargeObjectsReadAsJsonParseReadsThem) {
  // Past 8 keys, repeats are found by sorting, not pair by pair.
  ExpectSameAsJsonParse(ObjectWithKeys(9, 9));
  ExpectSameAsJsonParse(ObjectWithKeys(9, 8));
  ExpectSameAsJsonParse(ObjectWithKeys(1000, 1000));
  ExpectSameAsJsonParse(ObjectWithKeys(1000, 7));
  ExpectSameAsJsonParse(R"({"a": 1, "b": {"x": 1, "y": 2, "x": {"z": [1, {"q": 1, "q": 2}]}}, "c": 3, "a": [4]})");
  ExpectSameAsJsonParse("[" + ObjectWithKeys(30, 12) + ", " + ObjectWithKeys(5, 2) + "]");
}

TEST(ParseJson, RepeatedKeysReadAsJsonParseReadsThemOnTheSlowPath) {
  // An integer beyond 64 bits sends the text to nlohmann's parser (SAX events).
  const std::string big = "1234567890123456789012345";
  ExpectSameAsJsonParse(ObjectWithKeys(9, 8, "0000000000000000000000"));
  ExpectSameAsJsonParse(ObjectWithKeys(1000, 7, "0000000000000000000000"));
  ExpectSameAsJsonParse(R"({"n": )" + big + R"(, "b": {"x": 1, "x": {"z": [1, {"q": 1, "q": 2}]}}, "n": [4]})");
  ExpectSameAsJsonParse("[" + big + ", " + ObjectWithKeys(30, 12) + ", {}, [], " + ObjectWithKeys(5, 2) + "]");
}

TEST(ParseJson, InvalidTextIsDiscardedWithoutExceptions) {
  for (const std::string text : {R"({"a": )", "[1, 2", "nul", "{\"a\": \"\xff\"}", "[1e999]"}) {
    EXPECT_TRUE(ParseJson(text, /*allow_exceptions=*/false).is_discarded()) << text;
  }
  EXPECT_EQ(ParseJson(R"({"a": [1]})", /*allow_exceptions=*/false), Json::parse(R"({"a": [1]})"));
}

TEST(DistinctKeyValues, EachKeyOnceAtItsFirstPositionWithItsLastValue) {
  using internal::DistinctKeyValues;
  EXPECT_EQ(DistinctKeyValues({}), std::vector<size_t>{});
  EXPECT_EQ(DistinctKeyValues({"a", "b", "c"}), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(DistinctKeyValues({"b", "a", "b", "c", "a", "b"}), (std::vector<size_t>{5, 4, 3}));
  EXPECT_EQ(DistinctKeyValues({"x", "x", "x"}), std::vector<size_t>{2});
}

TEST(JsonNestingDepth, SkipsStrings) {
  EXPECT_EQ(JsonNestingDepth("{}", 64), 1);
  EXPECT_EQ(JsonNestingDepth(R"({"a": [[1], {"b": []}]})", 64), 4);
  EXPECT_EQ(JsonNestingDepth(R"(["[[[[", "\"[[[", "\\"])", 64), 1);
  EXPECT_EQ(JsonNestingDepth("\"", 64), 0);
  EXPECT_EQ(JsonNestingDepth("]]]][", 64), 1);
}

TEST(JsonNestingDepth, StopsPastTheLimit) {
  EXPECT_EQ(JsonNestingDepth(std::string(1000000, '['), 64), 65);
}

TEST(ParseJson, NumberTypesMatch) {
  const Json parsed = ParseJson(R"([3, -3, 3.0, 18446744073709551615])");
  EXPECT_TRUE(parsed[0].is_number_unsigned());
  EXPECT_TRUE(parsed[1].is_number_integer() && !parsed[1].is_number_unsigned());
  EXPECT_TRUE(parsed[2].is_number_float());
  EXPECT_EQ(parsed[3].get<uint64_t>(), 18446744073709551615ULL);
}

TEST(ParseJson, IntegersBeyond64BitsReadAsJsonParseReadsThem) {
  ExpectSameAsJsonParse(R"({"big": 123456789012345678901234567890})");
}

TEST(ParseJson, InvalidTextThrowsJsonParsesError) {
  for (const std::string text : {R"({"a": )", R"({"a" 1})", "[1, 2", "nul", "{\"a\": \"\xff\"}"}) {
    std::string expected;
    try {
      [[maybe_unused]] const Json unused = Json::parse(text);
    } catch (const Json::parse_error& e) {
      expected = e.what();
    }
    ASSERT_FALSE(expected.empty()) << text;
    try {
      [[maybe_unused]] const Json unused = ParseJson(text);
      ADD_FAILURE() << "no error for " << text;
    } catch (const Json::parse_error& e) {
      EXPECT_EQ(e.what(), expected);
    }
  }
}

// Json::parse reads any depth, but everything that walks the value afterwards (dump,
// copy, compare) recurses once per level: 100,000 levels crashed `rmg convert`.
// A string cut short quoted the rest of its line in the error: 300 KB of message for a
// 300 KB line, with the input's invalid UTF-8 in it.
TEST(JsonErrorText, QuotesOnlyTheEndOfALongTokenAsUtf8) {
  const std::string line = "{\"content\": \"" + std::string(300000, 'x') + "\xff\xfeyz";
  try {
    [[maybe_unused]] const Json parsed = Json::parse(line);
    FAIL() << "parsed";
  } catch (const Json::exception& e) {
    const std::string text = JsonErrorText(e);
    EXPECT_LT(text.size(), 300u) << text.size();
    EXPECT_EQ(text.rfind("parse error at line 1, column ", 0), 0u) << text;
    EXPECT_NE(text.find("; last read: '...xxx"), std::string::npos) << text;
    EXPECT_EQ(text.find('\xff'), std::string::npos);
  }
  try {
    [[maybe_unused]] const Json parsed = Json::parse("{\"a\": tru}");
    FAIL() << "parsed";
  } catch (const Json::exception& e) {
    EXPECT_EQ(JsonErrorText(e),
              "parse error at line 1, column 10: syntax error while parsing value - invalid literal; "
              "last read: '\"a\": tru}'");  // short: as the parser says it
  }
}

TEST(ParseJson, NestingDeeperThanSimdjsonReadsIsInvalid) {
  const auto nested = [](int depth, const std::string& leaf) {
    return std::string(depth, '[') + leaf + std::string(depth, ']');
  };
  // Past simdjson, on the slow path (a 65-digit integer): still read up to the limit.
  EXPECT_TRUE(ParseJson(nested(kMaxJsonNesting, "1" + std::string(64, '0'))).is_array());
  for (const std::string& leaf : {std::string("1"), "1" + std::string(64, '0')}) {
    const std::string deep = nested(100000, leaf);
    try {
      [[maybe_unused]] const Json unused = ParseJson(deep);
      ADD_FAILURE() << "no error";
    } catch (const Json::parse_error& e) {
      EXPECT_NE(std::string(e.what()).find("nested deeper than 1024 levels"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(ParseJson(deep, false).is_discarded());
  }
}

}  // namespace
}  // namespace rmg

namespace rmg {
namespace {

// A thread's parser kept the buffers of the largest text it read: one 10 MB request
// body left a server's I/O thread holding hundreds of megabytes.
TEST(ScopedJsonParserTest, ALargeTextGetsAParserOfItsOwn) {
  ScopedJsonParser small(100), again(100);
  EXPECT_EQ(&small.get(), &again.get());
  const std::string large = "[\"" + std::string(ScopedJsonParser::kThreadParserBytes + 1, 'x') + "\"]";
  ScopedJsonParser own(large.size());
  EXPECT_NE(&own.get(), &small.get());
  EXPECT_EQ(ParseJson(large)[0].get_ref<const std::string&>().size(), ScopedJsonParser::kThreadParserBytes + 1);
  EXPECT_EQ(ParseDataSample("{\"unique_id\": \"" + std::string(ScopedJsonParser::kThreadParserBytes, 'y') + "\"}")
                .unique_id.size(),
            ScopedJsonParser::kThreadParserBytes);
  EXPECT_LE(small.get().capacity(), ScopedJsonParser::kThreadParserBytes);
}

}  // namespace
}  // namespace rmg
