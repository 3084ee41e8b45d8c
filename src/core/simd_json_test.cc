#include "core/simd_json.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace rmg
