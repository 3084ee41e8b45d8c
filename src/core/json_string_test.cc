#include "core/json_string.h"

#include <gtest/gtest.h>

#include <string>

#include "rmg/schema.h"

namespace rmg {
namespace {

std::string Written(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

TEST(AppendJsonStringTest, EscapesAsJsonDumpsDoes) {
  EXPECT_EQ(Written(""), R"("")");
  EXPECT_EQ(Written("plain text"), R"("plain text")");
  EXPECT_EQ(Written("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(Written("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(Written(std::string("\x00\x01\x1f\x7f", 4)), R"("\u0000\u0001\u001f)" "\x7f\"");
  EXPECT_EQ(Written("caf\xc3\xa9 \xe4\xb8\xad"), "\"caf\xc3\xa9 \xe4\xb8\xad\"");  // UTF-8 stays as it is
}

// A reason cut inside a character, or bytes a program printed, must not make the output
// file unreadable: json.loads rejects a whole file with one invalid byte in it.
TEST(AppendJsonStringTest, InvalidUtf8IsWrittenAsReplacementCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(Written("\xff\xfe"), "\"" + replacement + replacement + "\"");
  EXPECT_EQ(Written("caf\xc3"), "\"caf" + replacement + "\"");  // cut in the middle of "é"
  EXPECT_EQ(Written("\xed\xa0\x80!"), "\"" + replacement + replacement + replacement + "!\"");  // a surrogate
  // Escapes still apply around the repair, in and beyond the first 16-byte block.
  const std::string long_text = std::string(20, 'a') + "\"\n\xc3(" + std::string(20, 'b');
  EXPECT_EQ(Written(long_text),
            "\"" + std::string(20, 'a') + "\\\"\\n" + replacement + "(" + std::string(20, 'b') + "\"");
  EXPECT_NO_THROW(Json::parse(Written(long_text)));
}

TEST(AppendJsonStringTest, AppendsToWhatIsThere) {
  std::string out = "{\"k\":";
  AppendJsonString("v", &out);
  EXPECT_EQ(out, R"({"k":"v")");
}

// Every byte that needs an escape, at every offset of texts longer than one block of
// 16 bytes and at both ends, next to each other and alone: the same text as
// nlohmann's writer, which escapes as json.dumps(ensure_ascii=False) for UTF-8 text.
TEST(AppendJsonStringTest, EveryEscapeAtEveryOffsetMatchesNlohmann) {
  for (int byte = 0; byte < 0x80; ++byte) {
    for (size_t length = 1; length <= 40; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string text(length, 'x');
        text[at] = static_cast<char>(byte);
        if (at + 1 < length && byte % 3 == 0) text[at + 1] = '"';
        ASSERT_EQ(Written(text), Json(text).dump()) << "byte " << byte << " at " << at << " of " << length;
      }
    }
  }
}

// Python's json.loads reads a lone surrogate escape; strict readers refuse the record.
TEST(ReplaceLoneSurrogateEscapesTest, OnlyLoneHalvesBecomeTheReplacementCharacter) {
  EXPECT_EQ(ReplaceLoneSurrogateEscapes(R"({"a": "ab\ud800cd"})"), R"({"a": "ab\ufffdcd"})");
  EXPECT_EQ(ReplaceLoneSurrogateEscapes(R"(["\uDC00", "\ud800"])"), R"(["\ufffd", "\ufffd"])");
  EXPECT_EQ(ReplaceLoneSurrogateEscapes(R"(["\ud800\ud800\udc00"])"), R"(["\ufffd\ud800\udc00"])");
  // A pair, other escapes and an escaped backslash before "u" are left alone.
  EXPECT_EQ(ReplaceLoneSurrogateEscapes(R"(["\ud83d\ude00", "\u00e9\n", "\\ud800"])"), std::nullopt);
  EXPECT_EQ(ReplaceLoneSurrogateEscapes(R"(["\ud80)"), std::nullopt);
}

}  // namespace
}  // namespace rmg
