#include "rmg/tokenizer.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rmg {
namespace {

using Tokens = std::vector<std::string>;

Tokens Tokenize(std::string_view tokenizer, std::string_view text) {
  return GetTokenizer(tokenizer)->Tokenize(text);
}

TEST(TokenizerTest, NamesAndInstances) {
  EXPECT_EQ(TokenizerNames(), (std::vector<std::string>{"simple", "unicode", "rouge_score", "tiktoken", "jieba"}));
  for (const std::string& name : TokenizerNames()) {
    const auto tokenizer = GetTokenizer(name);
    ASSERT_NE(tokenizer, nullptr) << name;
    EXPECT_EQ(tokenizer->name(), name);
    EXPECT_EQ(tokenizer.get(), GetTokenizer(name).get()) << "one shared instance per name";
    EXPECT_TRUE(tokenizer->Tokenize("").empty()) << name;
  }
}

TEST(TokenizerTest, LowerCasesSaysWhetherTokenizeLowerCases) {
  // The rewards skip their own lower-casing when lower_cases() is true, so it must
  // be true exactly for the tokenizers that lower-case themselves.
  for (const std::string& name : TokenizerNames()) {
    const auto tokenizer = GetTokenizer(name);
    const bool lowered = tokenizer->Tokenize("HELLO World") == tokenizer->Tokenize("hello world");
    EXPECT_EQ(tokenizer->lower_cases(), lowered) << name;
  }
}

TEST(TokenizerTest, UnknownNameListsValidNames) {
  try {
    GetTokenizer("spacy");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'spacy'"), std::string::npos) << message;
    for (const std::string& name : TokenizerNames()) {
      EXPECT_NE(message.find(name), std::string::npos) << message;
    }
  }
  EXPECT_THROW(GetTokenizer(""), std::invalid_argument);
  EXPECT_THROW(GetTokenizer("Simple"), std::invalid_argument);  // names are case-sensitive
}

TEST(TokenizerTest, SimpleLowerCasesAndSplitsLikePythonSplit) {
  EXPECT_EQ(Tokenize("simple", "Hello  World\n"), (Tokens{"hello", "world"}));
  EXPECT_EQ(Tokenize("simple", "a\u3000b"), (Tokens{"a", "b"}));
  EXPECT_EQ(Tokenize("simple", "a\u00A0b\u2029c\x1f" "d\u0085" "e"), (Tokens{"a", "b", "c", "d", "e"}));
  // Invalid UTF-8 reads as U+FFFD.
  EXPECT_EQ(Tokenize("simple", "A\xFF b"), (Tokens{"a\uFFFD", "b"}));
  // Not whitespace for Python: zero-width space, BOM.
  EXPECT_EQ(Tokenize("simple", "a\u200Bb \uFEFFc"), (Tokens{"a\u200Bb", "\uFEFFc"}));
  EXPECT_EQ(Tokenize("simple", "Don't STOP, Ça"), (Tokens{"don't", "stop,", "ça"}));
  EXPECT_EQ(Tokenize("simple", "\u03A3\u0391\u03A3"), (Tokens{"\u03C3\u03B1\u03C2"}));  // final sigma
  EXPECT_TRUE(Tokenize("simple", " \t\n ").empty());
}

TEST(TokenizerTest, RougeScoreKeepsOnlyAsciiAlphanumerics) {
  EXPECT_EQ(Tokenize("rouge_score", "Hello, World! It's 2024."), (Tokens{"hello", "world", "it", "s", "2024"}));
  EXPECT_EQ(Tokenize("rouge_score", "x_y-z"), (Tokens{"x", "y", "z"}));
  EXPECT_EQ(Tokenize("rouge_score", "caf\u00E9 na\u00EFve"), (Tokens{"caf", "na", "ve"}));
  EXPECT_TRUE(Tokenize("rouge_score", "\u4E2D\u6587").empty());
  EXPECT_TRUE(Tokenize("rouge_score", "!?  ...").empty());
  EXPECT_EQ(Tokenize("rouge_score", "\xFF" "A1\xFE"), (Tokens{"a1"}));
}

}  // namespace
}  // namespace rmg

namespace rmg {
namespace {

TEST(RougeScoreTokenizerTest, LowerCasesUnicodeBeforeFiltering) {
  // Python: "İstanbul".lower() == "i̇stanbul", so rouge-score keeps the "i".
  EXPECT_EQ(GetTokenizer("rouge_score")->Tokenize("İstanbul KELVIN \u212A"),
            (std::vector<std::string>{"i", "stanbul", "kelvin", "k"}));
}

}  // namespace
}  // namespace rmg
