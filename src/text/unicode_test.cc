#include "text/unicode.h"

#include <random>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rmg::text {
namespace {

// Decodes every code point of `text`, recording where each one ended.
std::vector<char32_t> DecodeAll(std::string_view text, std::vector<size_t>* ends = nullptr) {
  std::vector<char32_t> cps;
  size_t pos = 0;
  while (pos < text.size()) {
    cps.push_back(DecodeUtf8(text, &pos));
    if (ends != nullptr) ends->push_back(pos);
  }
  return cps;
}

TEST(UnicodeTest, DecodesValidUtf8) {
  std::vector<size_t> ends;
  EXPECT_EQ(DecodeAll("a\u00E9\u4E2D\U0001F600", &ends),
            (std::vector<char32_t>{U'a', 0xE9, 0x4E2D, 0x1F600}));
  EXPECT_EQ(ends, (std::vector<size_t>{1, 3, 6, 10}));
  EXPECT_EQ(DecodeAll(std::string_view("\0", 1)), (std::vector<char32_t>{0}));
  EXPECT_EQ(DecodeAll("\xF4\x8F\xBF\xBF"), (std::vector<char32_t>{0x10FFFF}));
  EXPECT_EQ(DecodeAll("\xEF\xBF\xBD"), (std::vector<char32_t>{kReplacementChar}));
}

TEST(UnicodeTest, InvalidBytesBecomeOneReplacementEach) {
  const char32_t R = kReplacementChar;
  std::vector<size_t> ends;
  EXPECT_EQ(DecodeAll("\x80" "a", &ends), (std::vector<char32_t>{R, U'a'}));
  EXPECT_EQ(ends, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(DecodeAll("\xC0\xAF"), (std::vector<char32_t>{R, R}));          // overlong '/'
  EXPECT_EQ(DecodeAll("\xE0\x80\xAF"), (std::vector<char32_t>{R, R, R}));   // overlong
  EXPECT_EQ(DecodeAll("\xED\xA0\x80"), (std::vector<char32_t>{R, R, R}));   // surrogate
  EXPECT_EQ(DecodeAll("\xF4\x90\x80\x80"), (std::vector<char32_t>{R, R, R, R}));  // > U+10FFFF
  EXPECT_EQ(DecodeAll("\xFF\xFE"), (std::vector<char32_t>{R, R}));
  // A truncated sequence yields one replacement for its first byte and resumes.
  EXPECT_EQ(DecodeAll("\xE4\xB8" "a"), (std::vector<char32_t>{R, R, U'a'}));
  EXPECT_EQ(DecodeAll("\xE4\xB8"), (std::vector<char32_t>{R, R}));
}

TEST(UnicodeTest, AppendUtf8RoundTrips) {
  for (char32_t cp : {0x0u, 0x41u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xFFFFu, 0x10000u, 0x10FFFFu, 0x4E2Du}) {
    std::string encoded;
    AppendUtf8(cp, &encoded);
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(encoded, &pos), cp);
    EXPECT_EQ(pos, encoded.size());
  }
  std::string out = "x";
  AppendUtf8(0xE9, &out);
  AppendUtf8(0x1F600, &out);
  EXPECT_EQ(out, "x\u00E9\U0001F600");
}

TEST(UnicodeTest, PythonSpaceIsExactlyStrIsspace) {
  // Python 3: [c for c in range(0x110000) if chr(c).isspace()]
  const std::vector<char32_t> expected = {0x9,    0xA,    0xB,    0xC,    0xD,    0x1C,   0x1D,   0x1E,
                                          0x1F,   0x20,   0x85,   0xA0,   0x1680, 0x2000, 0x2001, 0x2002,
                                          0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
                                          0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
  std::vector<char32_t> actual;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (IsPythonSpace(cp)) actual.push_back(cp);
  }
  EXPECT_EQ(actual, expected);
}

TEST(UnicodeTest, LowerMatchesPythonStrLower) {
  EXPECT_EQ(LowerUtf8("Hello WORLD 123_!"), "hello world 123_!");
  // LowerAscii leaves every byte but A-Z alone, UTF-8 included.
  EXPECT_EQ(LowerAscii("HTTPS://Qwen3-8B \u00C0z@[`"), "https://qwen3-8b \u00C0z@[`");
  EXPECT_EQ(LowerAscii(""), "");
  EXPECT_EQ(LowerUtf8(""), "");
  EXPECT_EQ(LowerUtf8("\u00C0\u00C9\u00D6"), "\u00E0\u00E9\u00F6");
  EXPECT_EQ(LowerUtf8("\u03A3\u0391\u03A3 \u039F\u0394\u039F\u03A3"), "\u03C3\u03B1\u03C2 \u03BF\u03B4\u03BF\u03C2");
  EXPECT_EQ(LowerUtf8("\u0130"), "i\u0307");
  EXPECT_EQ(LowerUtf8("\u00DF\u1E9E"), "\u00DF\u00DF");
  EXPECT_EQ(LowerUtf8("\u01C5"), "\u01C6");
  EXPECT_EQ(LowerUtf8("\u212A"), "k");  // Kelvin sign
  EXPECT_EQ(LowerUtf8("\u4E2D\u6587 ABC"), "\u4E2D\u6587 abc");
  EXPECT_EQ(LowerUtf8("\U00010400"), "\U00010428");  // Deseret, outside the BMP
  EXPECT_EQ(LowerUtf8("A\xFF" "B"), "a\uFFFD" "b");
}

TEST(UnicodeTest, LowerSwitchesBetweenAsciiRunsAndOtherCharacters) {
  // ASCII runs are lowered eight bytes at a time: put the non-ASCII character at
  // every offset of that word, and past several words.
  for (size_t offset = 0; offset < 20; ++offset) {
    const std::string prefix(offset, 'Q');
    const std::string lowered_prefix(offset, 'q');
    EXPECT_EQ(LowerUtf8(prefix + "\u00C9ABCDEFGHIJ\u00C9Z"), lowered_prefix + "\u00E9abcdefghij\u00E9z") << offset;
  }
}

TEST(UnicodeTest, StripLikePython) {
  EXPECT_EQ(StripPythonSpace("  a b \n"), "a b");
  EXPECT_EQ(StripPythonSpace("\u3000\u00A0x\u2029\x1C"), "x");
  EXPECT_EQ(StripPythonSpace(" \t\n"), "");
  EXPECT_EQ(StripPythonSpace(""), "");
  EXPECT_EQ(StripPythonSpace("\u200Bx\u200B"), "\u200Bx\u200B");  // not whitespace
  // A trailing byte that only looks like the end of a space character stays.
  EXPECT_EQ(StripPythonSpace("x\x80"), "x\x80");
  EXPECT_EQ(StripPythonSpace("x\xE3\x80"), "x\xE3\x80");
}

TEST(UnicodeTest, ExcerptKeepsShortTextAndCutsLongTextAtACharacter) {
  EXPECT_EQ(Excerpt("abc", 3), "abc");
  EXPECT_EQ(Excerpt("abcd", 3), "abc... (4 bytes)");
  EXPECT_EQ(Excerpt(std::string(100, 'x')), std::string(80, 'x') + "... (100 bytes)");
  // "\u00E9" is two bytes: a cut after two bytes of "a\u00E9" would split it.
  EXPECT_EQ(Excerpt("a\u00E9\u00E9", 2), "a... (5 bytes)");
  EXPECT_EQ(Excerpt("\u00E9\u00E9", 1), "... (4 bytes)");
  EXPECT_EQ(Excerpt("line 1\nline 2\r\n", 9), "line 1 li... (15 bytes)");  // one line
}

TEST(UnicodeTest, ValidUtf8ReplacesEachInvalidByte) {
  EXPECT_EQ(ValidUtf8("caf\u00E9 \u4E2D"), "caf\u00E9 \u4E2D");
  EXPECT_EQ(ValidUtf8("a\xff\xc3"), "a\uFFFD\uFFFD");
  EXPECT_EQ(ValidUtf8("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // an encoded surrogate
  EXPECT_EQ(ValidUtf8(""), "");
}

TEST(UnicodeTest, SplitLikePython) {
  using Parts = std::vector<std::string_view>;
  EXPECT_EQ(SplitPythonSpace("  a  b\tc\n"), (Parts{"a", "b", "c"}));
  EXPECT_EQ(SplitPythonSpace("a\u3000b\u0085c\u00A0d\x1F" "e"), (Parts{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(SplitPythonSpace("\u4E2D\u6587"), (Parts{"\u4E2D\u6587"}));
  EXPECT_TRUE(SplitPythonSpace("").empty());
  EXPECT_TRUE(SplitPythonSpace(" \u2028 ").empty());
  EXPECT_EQ(SplitPythonSpace("a\xFF" "b c"), (Parts{"a\xFF" "b", "c"}));
  for (unsigned char byte = 0; byte < 0x80; ++byte) {
    const std::string text = std::string("a") + static_cast<char>(byte) + "b";
    const bool space = byte == ' ' || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F);
    EXPECT_EQ(SplitPythonSpace(text).size(), space ? 2u : 1u) << static_cast<int>(byte);
  }
}

// The vectorised path must equal SplitPythonSpace(LowerUtf8(text)) at every length
// and alignment, with tokens crossing the 64-byte blocks and buffers reused.
TEST(UnicodeTest, LowerSplitEqualsLowerThenSplit) {
  const std::string alphabet = "aZ \t\n\x0B\x0C\r\x1C\x1F\x1B\x7F@[`{0_-";
  std::mt19937 random(7);
  std::string lower;
  std::vector<std::string_view> tokens;
  for (size_t size = 0; size < 300; ++size) {
    for (int round = 0; round < 4; ++round) {
      std::string text;
      for (size_t i = 0; i < size; ++i) {
        // Long runs of letters as well as dense separators.
        text += round % 2 == 0 ? alphabet[random() % alphabet.size()] : (random() % 9 == 0 ? ' ' : 'Q');
      }
      LowerSplitPythonSpace(text, &lower, &tokens);
      const std::string expected_lower = LowerUtf8(text);
      EXPECT_EQ(lower, expected_lower) << text;
      EXPECT_EQ(tokens, SplitPythonSpace(expected_lower)) << text;
    }
  }
  LowerSplitPythonSpace("Caf\u00C9 AU\u3000LAIT \xFF", &lower, &tokens);
  EXPECT_EQ(lower, "caf\u00E9 au\u3000lait \uFFFD");  // invalid UTF-8 lowers to U+FFFD
  EXPECT_EQ(tokens, (std::vector<std::string_view>{"caf\u00E9", "au", "lait", "\uFFFD"}));
}

}  // namespace
}  // namespace rmg::text
