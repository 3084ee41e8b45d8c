#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "rmg/tokenizer.h"

namespace rmg {
namespace {

using Tokens = std::vector<std::string>;

Tokens Unicode(std::string_view text) { return GetTokenizer("unicode")->Tokenize(text); }

// rouge-score's tokenize() on ASCII, written out independently of tokenizer.cc.
Tokens RougeScoreReference(std::string_view text) {
  Tokens tokens(1);
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      tokens.back() += c;
    } else if (!tokens.back().empty()) {
      tokens.emplace_back();
    }
  }
  if (tokens.back().empty()) tokens.pop_back();
  return tokens;
}

TEST(UnicodeTokenizerTest, EqualsRougeScoreOnAscii) {
  EXPECT_EQ(Unicode("Hello, World! It's 2024."), (Tokens{"hello", "world", "it", "s", "2024"}));
  EXPECT_EQ(Unicode("snake_case and-dash x+y=3"), (Tokens{"snake", "case", "and", "dash", "x", "y", "3"}));
  std::mt19937 rng(1);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const size_t length = rng() % 40;
    for (size_t i = 0; i < length; ++i) text += static_cast<char>(1 + rng() % 127);
    ASSERT_EQ(Unicode(text), RougeScoreReference(text)) << text;
    ASSERT_EQ(Unicode(text), GetTokenizer("rouge_score")->Tokenize(text)) << text;
  }
}

TEST(UnicodeTokenizerTest, HanKanaAndHangulAreOneTokenEach) {
  EXPECT_EQ(Unicode("\u4E2D\u6587\u5206\u8BCD"), (Tokens{"\u4E2D", "\u6587", "\u5206", "\u8BCD"}));
  EXPECT_EQ(Unicode("\u6211\u7231\u5317\u4EAC\u3002"), (Tokens{"\u6211", "\u7231", "\u5317", "\u4EAC"}));
  // 日本語のテキスト
  EXPECT_EQ(Unicode("\u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8"),
            (Tokens{"\u65E5", "\u672C", "\u8A9E", "\u306E", "\u30C6", "\u30AD", "\u30B9", "\u30C8"}));
  // コーヒー: the prolonged sound mark is kana by script extension.
  EXPECT_EQ(Unicode("\u30B3\u30FC\u30D2\u30FC"), (Tokens{"\u30B3", "\u30FC", "\u30D2", "\u30FC"}));
  // 한국어 텍스트
  EXPECT_EQ(Unicode("\uD55C\uAD6D\uC5B4 \uD14D\uC2A4\uD2B8"),
            (Tokens{"\uD55C", "\uAD6D", "\uC5B4", "\uD14D", "\uC2A4", "\uD2B8"}));
  EXPECT_EQ(Unicode("\U00020000\U0002A6D6"), (Tokens{"\U00020000", "\U0002A6D6"}));  // extension B
  // Mixed with Latin: GPT-4は強い
  EXPECT_EQ(Unicode("GPT-4\u306F\u5F37\u3044"), (Tokens{"gpt", "4", "\u306F", "\u5F37", "\u3044"}));
  EXPECT_EQ(Unicode("ab\u4E2Dcd"), (Tokens{"ab", "\u4E2D", "cd"}));
}

TEST(UnicodeTokenizerTest, LowerCasesLikePython) {
  EXPECT_EQ(Unicode("\u00C7a VA, \u00C9lodie!"), (Tokens{"\u00E7a", "va", "\u00E9lodie"}));
  EXPECT_EQ(Unicode("\u039F\u0394\u039F\u03A3"), (Tokens{"\u03BF\u03B4\u03BF\u03C2"}));  // final sigma
  EXPECT_EQ(Unicode("\u0130"), (Tokens{"i\u0307"}));  // İ lowers to i + combining dot
  EXPECT_EQ(Unicode("STRASSE Stra\u00DFe"), (Tokens{"strasse", "stra\u00DFe"}));
}

TEST(UnicodeTokenizerTest, CombiningMarksStayInTheirWord) {
  EXPECT_EQ(Unicode("e\u0301te caf\u0065\u0301"), (Tokens{"e\u0301te", "cafe\u0301"}));
  // हिन्दी भाषा: vowel signs (Mc) and virama (Mn) inside words.
  EXPECT_EQ(Unicode("\u0939\u093F\u0928\u094D\u0926\u0940 \u092D\u093E\u0937\u093E"),
            (Tokens{"\u0939\u093F\u0928\u094D\u0926\u0940", "\u092D\u093E\u0937\u093E"}));
  // ภาษาไทย: Thai has no spaces and no dictionary here, so the run is one token.
  EXPECT_EQ(Unicode("\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22"),
            (Tokens{"\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22"}));
  // A combining voicing mark stays with its kana: か゛き
  EXPECT_EQ(Unicode("\u304B\u3099\u304D"), (Tokens{"\u304B\u3099", "\u304D"}));
  // After a separator a mark separates too.
  EXPECT_EQ(Unicode("a \u0301" "b"), (Tokens{"a", "b"}));
  EXPECT_EQ(Unicode("\u0301"), Tokens{});
}

TEST(UnicodeTokenizerTest, NumbersAndSeparators) {
  EXPECT_EQ(Unicode("\u00BD \u216B x\u00B2"), (Tokens{"\u00BD", "\u217B", "x\u00B2"}));
  EXPECT_EQ(Unicode("\u0661\u0662\u0663 \uFF21\uFF22\uFF11"), (Tokens{"\u0661\u0662\u0663", "\uFF41\uFF42\uFF11"}));
  EXPECT_EQ(Unicode("don\u2019t"), (Tokens{"don", "t"}));
  EXPECT_EQ(Unicode("a\u200Db a\u00A0b"), (Tokens{"a", "b", "a", "b"}));
  EXPECT_EQ(Unicode("I\u2764\uFE0FNY \U0001F600!"), (Tokens{"i", "ny"}));  // FE0F is Mn
  EXPECT_EQ(Unicode("1\uFE0F\u20E3"), (Tokens{"1\uFE0F\u20E3"}));  // keycap: marks on a digit
  EXPECT_EQ(Unicode("\u4E2D\u3001\u6587\uFF01"), (Tokens{"\u4E2D", "\u6587"}));
  EXPECT_TRUE(Unicode(" \u3000\t!?\u00BF").empty());
}

TEST(UnicodeTokenizerTest, InvalidUtf8Separates) {
  EXPECT_EQ(Unicode("ab\xFF" "cd"), (Tokens{"ab", "cd"}));
  EXPECT_EQ(Unicode("\xE4\xB8"), Tokens{});
  EXPECT_EQ(Unicode("X\xC3"), (Tokens{"x"}));
}

}  // namespace
}  // namespace rmg
