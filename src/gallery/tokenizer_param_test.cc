// The tokenizer parameters shared by f1_score, rouge and ngram_repetition_penalty:
// their declaration, which name wins, and the stripped, lower-cased tokens the
// rewards count.
#include "gallery/tokenizer_param.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "text/unicode.h"

namespace rmg::gallery {
namespace {

Params TokenizerParamValues(const Json& tokenizer, const Json& tokenizer_type, bool chinese_only = false) {
  return Params(Json{{"tokenizer", tokenizer},
                     {"tokenizer_type", tokenizer_type},
                     {"encoding_name", "cl100k_base"},
                     {"chinese_only", chinese_only}});
}

std::vector<std::string> TokenizerParamTokens(const std::string& tokenizer_name, std::string_view text) {
  std::string storage;
  std::vector<std::string_view> views;
  TokenizeStrippedLower(*GetTokenizer(tokenizer_name), text, &storage, &views);
  return std::vector<std::string>(views.begin(), views.end());
}

// The message of the RegistryError `fn` throws, or "".
template <typename Fn>
std::string TokenizerParamError(Fn&& fn) {
  try {
    fn();
  } catch (const RegistryError& e) {
    return e.what();
  }
  return "";
}

TEST(TokenizerParamTest, DeclaresFourParameters) {
  const std::vector<ParamSpec> specs = TokenizerParams("unicode");
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "tokenizer");
  EXPECT_EQ(specs[0].type, ParamType::kString);
  EXPECT_EQ(specs[0].default_value, "unicode");
  EXPECT_EQ(specs[0].choices, TokenizerNames());
  EXPECT_EQ(specs[1].name, "tokenizer_type");
  EXPECT_EQ(specs[1].type, ParamType::kString);
  EXPECT_TRUE(specs[1].default_value.is_null());  // unset unless given, so `tokenizer` decides
  EXPECT_EQ(specs[1].choices, TokenizerNames());
  EXPECT_EQ(specs[2].name, "encoding_name");
  EXPECT_EQ(specs[2].type, ParamType::kString);
  EXPECT_EQ(specs[2].default_value, "cl100k_base");
  EXPECT_TRUE(specs[2].choices.empty());  // checked when tiktoken is the tokenizer
  EXPECT_EQ(specs[3].name, "chinese_only");
  EXPECT_EQ(specs[3].type, ParamType::kBool);
  EXPECT_EQ(specs[3].default_value, false);
  EXPECT_EQ(TokenizerParams("tiktoken")[0].default_value, "tiktoken");
}

TEST(TokenizerParamTest, EachRewardKeepsItsOwnDefault) {
  EXPECT_EQ(RewardRegistry::Global().ResolveParams("rouge", Json::object())["tokenizer"], "unicode");
  EXPECT_EQ(RewardRegistry::Global().ResolveParams("f1_score", Json::object())["tokenizer"], "tiktoken");
  EXPECT_EQ(RewardRegistry::Global().ResolveParams("ngram_repetition_penalty", Json::object())["tokenizer"],
            "tiktoken");
}

TEST(TokenizerParamTest, TheTokenizerNameSelectsWhenTheTypeIsUnset) {
  for (const std::string& name : TokenizerNames()) {
    EXPECT_EQ(SelectedTokenizer(TokenizerParamValues(name, nullptr)), GetTokenizer(name)) << name;
    EXPECT_EQ(SelectedTokenizer(TokenizerParamValues(name, "")), GetTokenizer(name)) << name;
  }
}

TEST(TokenizerParamTest, TheRmGalleryNameWins) {
  EXPECT_EQ(SelectedTokenizer(TokenizerParamValues("tiktoken", "simple"))->name(), "simple");
  EXPECT_EQ(SelectedTokenizer(TokenizerParamValues("simple", "rouge_score"))->name(), "rouge_score");
  // Through the registry, as a user writes it.
  const Json resolved = RewardRegistry::Global().ResolveParams("rouge", Json{{"tokenizer_type", "simple"}});
  EXPECT_EQ(resolved["tokenizer"], "unicode");
  EXPECT_EQ(SelectedTokenizer(Params(resolved))->name(), "simple");
}

// RM-Gallery's JiebaTokenizer(chinese_only=True) joins the text's U+4E00..U+9FFF
// characters and cuts that; the other tokenizers ignore the option.
TEST(TokenizerParamTest, ChineseOnlySelectsJiebaOverTheIdeographsAlone) {
  const auto chinese = SelectedTokenizer(TokenizerParamValues("jieba", nullptr, true));
  EXPECT_EQ(chinese->name(), "jieba");
  // jieba.cut('北京北京大学') in Python.
  EXPECT_EQ(chinese->Tokenize("Hello 北京 world 北京大学"), (std::vector<std::string>{"北京", "北京大学"}));
  EXPECT_EQ(SelectedTokenizer(TokenizerParamValues("jieba", nullptr))->Tokenize("Hello 北京"),
            (std::vector<std::string>{"Hello", " ", "北京"}));
  EXPECT_EQ(SelectedTokenizer(TokenizerParamValues("simple", nullptr, true)), GetTokenizer("simple"));
}

// The factories see only checked values; called directly, an unknown name is still
// refused by GetTokenizer rather than silently replaced.
TEST(TokenizerParamTest, AnUnknownNameThrows) {
  EXPECT_THROW(SelectedTokenizer(TokenizerParamValues("spacy", nullptr)), std::invalid_argument);
  EXPECT_THROW(SelectedTokenizer(TokenizerParamValues("simple", "spacy")), std::invalid_argument);
}

TEST(TokenizerParamTest, TheRegistryNamesTheParameterAndTheChoices) {
  EXPECT_EQ(TokenizerParamError([] {
              RewardRegistry::Global().Create("rouge", Json{{"tokenizer_type", "spacy"}});
            }),
            "parameter 'tokenizer_type' of reward 'rouge': 'spacy' is not one of simple, unicode, rouge_score, "
            "tiktoken, jieba");
  EXPECT_EQ(TokenizerParamError([] {
              RewardRegistry::Global().Create("rouge", Json{{"tokenizer", "Simple"}});
            }),
            "parameter 'tokenizer' of reward 'rouge': 'Simple' is not one of simple, unicode, rouge_score, tiktoken, "
            "jieba");
  EXPECT_EQ(
      TokenizerParamError([] {
        RewardRegistry::Global().Create("rouge", Json{{"tokenizer", "tiktoken"}, {"encoding_name", "o200k_base"}});
      }),
      "parameter 'encoding_name' of reward 'rouge': 'o200k_base' is not one of cl100k_base");
  // RM-Gallery passes encoding_name to tiktoken alone: the other tokenizers ignore it.
  EXPECT_EQ(TokenizerParamError([] {
              RewardRegistry::Global().Create("f1_score", Json{{"tokenizer_type", "jieba"}, {"encoding_name", "gpt2"}});
            }),
            "");
}

// ---- TokenizeStrippedLower ----

// Python's strip() removes Unicode white space (NBSP, ideographic space, the
// information separators) as well as ASCII.
TEST(TokenizerParamTest, StripsPythonWhitespaceAndLowerCases) {
  const std::string text = "\u00a0\u3000\x1f  Hello World\t\u2028\u00a0";
  EXPECT_EQ(TokenizerParamTokens("simple", text), (std::vector<std::string>{"hello", "world"}));
  EXPECT_EQ(TokenizerParamTokens("unicode", "\u3000Grüße, WELT!\u3000"), (std::vector<std::string>{"grüße", "welt"}));
  EXPECT_EQ(TokenizerParamTokens("rouge_score", " Hello-World 42 "),
            (std::vector<std::string>{"hello", "world", "42"}));
}

// tiktoken keeps spaces inside its tokens and does not lower-case, so here both the
// stripping and the lower-casing are TokenizeStrippedLower's own work.
TEST(TokenizerParamTest, TiktokenSeesTheStrippedLowerCasedText) {
  const auto tiktoken = GetTokenizer("tiktoken");
  ASSERT_FALSE(tiktoken->lower_cases());
  const std::vector<std::string> tokens = TokenizerParamTokens("tiktoken", "\u00a0 Hello World \u3000");
  EXPECT_EQ(tokens, tiktoken->Tokenize("hello world"));
  EXPECT_EQ(tokens, (std::vector<std::string>{"hello", " world"}));
  EXPECT_NE(tokens, tiktoken->Tokenize("Hello World"));
  // Full Unicode lower-casing, not ASCII only.
  EXPECT_EQ(TokenizerParamTokens("tiktoken", "ÀÉÎ ΣΟΦΙΑ"), tiktoken->Tokenize(text::LowerUtf8("ÀÉÎ ΣΟΦΙΑ")));
  EXPECT_EQ(text::LowerUtf8("ÀÉÎ ΣΟΦΙΑ"), "àéî σοφια");
}

TEST(TokenizerParamTest, BlankTextHasNoTokens) {
  for (const std::string& name : TokenizerNames()) {
    EXPECT_TRUE(TokenizerParamTokens(name, "").empty()) << name;
    EXPECT_TRUE(TokenizerParamTokens(name, " \t\n\u00a0\u3000").empty()) << name;
  }
}

// The views point into the caller's storage, which each call overwrites, so one
// scratch buffer can serve every answer; for tiktoken the lower-cased copy is a
// temporary, and the views must not point into it.
TEST(TokenizerParamTest, ViewsPointIntoTheReusedStorage) {
  for (const std::string& name : TokenizerNames()) {
    std::string storage = "stale contents";
    std::vector<std::string_view> views = {"stale view"};
    const auto tokenizer = GetTokenizer(name);
    TokenizeStrippedLower(*tokenizer, "  One TWO three  ", &storage, &views);
    std::vector<std::string> first(views.begin(), views.end());
    EXPECT_EQ(first, tokenizer->Tokenize("one two three")) << name;
    for (std::string_view view : views) {
      EXPECT_GE(view.data(), storage.data()) << name;
      EXPECT_LE(view.data() + view.size(), storage.data() + storage.size()) << name;
    }
    TokenizeStrippedLower(*tokenizer, "FOUR", &storage, &views);
    EXPECT_EQ(std::vector<std::string>(views.begin(), views.end()), tokenizer->Tokenize("four")) << name;
  }
}

}  // namespace
}  // namespace rmg::gallery
