#include "text/token_set.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/tokenized_text.h"

namespace rmg::text {
namespace {

using testing::TokenizedText;

TokenSet SetOf(const TokenizedText& text) {
  TokenSet set;
  set.Assign(text.tokens, text.buffer);
  return set;
}

TEST(TokenSetTest, KeepsFirstAppearanceOrderAndDropsRepeats) {
  const TokenizedText text({"b", "a", "b", "c", "a", ""});
  const TokenSet set = SetOf(text);
  EXPECT_EQ(set.items(), (std::vector<std::string_view>{"b", "a", "c", ""}));
  EXPECT_TRUE(set.Contains("c"));
  EXPECT_TRUE(set.Contains(""));
  EXPECT_FALSE(set.Contains("d"));
}

TEST(TokenSetTest, ManyTokensWithCollisions) {
  std::vector<std::string> words;
  for (int i = 0; i < 5000; ++i) words.push_back("t" + std::to_string(i % 1234));
  const TokenizedText text(words);
  const TokenSet set = SetOf(text);
  ASSERT_EQ(set.size(), 1234u);
  for (int i = 0; i < 1234; ++i) EXPECT_EQ(set.items()[static_cast<size_t>(i)], "t" + std::to_string(i));
  EXPECT_FALSE(set.Contains("t1234"));
}

TEST(TokenSetTest, TokensDifferingOnlyPastTheFirstWordOrInLengthAreDistinct) {
  const TokenizedText text({"abcdefgh1", "abcdefgh2", "abcdefgh", std::string("abcdefgh\0", 9), "abcdefghijklmnopq",
                            "abcdefghijklmnopr", "abcdefgh1", std::string("a\0", 2), "a"});
  const TokenSet set = SetOf(text);
  EXPECT_EQ(set.size(), 8u);
  EXPECT_TRUE(set.Contains("abcdefghijklmnopr"));
  EXPECT_FALSE(set.Contains("abcdefghijklmnops"));
  EXPECT_TRUE(set.Contains(std::string("a\0", 2)));
}

// Keys are read in whole words, masked or shifted to the token: a change in any one
// byte, at every length, must still make another token.
TEST(TokenSetTest, TokensDifferingInAnyOneByteAreDistinct) {
  std::vector<std::string> words;
  for (size_t length = 1; length <= 40; ++length) {
    const std::string base(length, 'a');
    words.push_back(base);
    for (size_t at = 0; at < length; ++at) {
      std::string changed = base;
      changed[at] = 'b';
      words.push_back(changed);
    }
  }
  const size_t distinct = words.size();
  std::vector<std::string> twice = words;
  twice.insert(twice.end(), words.begin(), words.end());
  const TokenizedText text(twice);
  const TokenSet set = SetOf(text);
  EXPECT_EQ(set.size(), distinct);
  for (const std::string& word : words) EXPECT_TRUE(set.Contains(word)) << word;
  EXPECT_FALSE(set.Contains(std::string(41, 'a')));
  EXPECT_FALSE(set.Contains("bb" + std::string(7, 'a')));  // two bytes changed
}

// A short token at the very start or end of its buffer, or in a buffer shorter than a
// word, is read without leaving the buffer (ASan checks) and gets the same key as
// the same token anywhere else.
TEST(TokenSetTest, TokensAtTheEdgesOfTheirBuffer) {
  for (const std::string buffer : {"ab", "abc defg", "x yz", "abcdefgh", "abcdefghi j"}) {
    std::vector<std::string_view> tokens;
    for (size_t start = 0; start < buffer.size();) {
      const size_t space = std::min(buffer.find(' ', start), buffer.size());
      tokens.push_back(std::string_view(buffer).substr(start, space - start));
      start = space + 1;
    }
    TokenSet set;
    set.Assign(tokens, buffer);
    const std::vector<std::string> copies(tokens.begin(), tokens.end());
    for (const std::string& copy : copies) EXPECT_TRUE(set.Contains(copy)) << buffer << " / " << copy;
    const TokenizedText other(copies);
    TokenSet elsewhere;
    elsewhere.Assign(other.tokens, "");  // outside the given buffer: the byte-wise path
    EXPECT_EQ(elsewhere.CountShared(set), set.size()) << buffer;
  }
}

TEST(TokenSetTest, CountSharedCountsTheCommonItems) {
  const TokenizedText a({"the", "cat", "sat", "on", "the", "mat", "extraordinarily"});
  const TokenizedText b({"a", "cat", "on", "a", "extraordinarily", "mat", "hat"});
  const TokenSet set_a = SetOf(a), set_b = SetOf(b);
  EXPECT_EQ(set_a.CountShared(set_b), 4u);
  EXPECT_EQ(set_b.CountShared(set_a), 4u);
  EXPECT_EQ(set_a.CountShared(TokenSet()), 0u);
}

// A reused set forgets the previous tokens, whether its table keeps its size or not.
TEST(TokenSetTest, AssignReplacesThePreviousContents) {
  TokenSet set;
  const TokenizedText first({"one", "two", "three"});
  const TokenizedText second({"four", "two"});
  std::vector<std::string> many;
  for (int i = 0; i < 100; ++i) many.push_back("w" + std::to_string(i));
  const TokenizedText third(many);
  set.Assign(first.tokens, first.buffer);
  set.Assign(second.tokens, second.buffer);
  EXPECT_EQ(set.items(), (std::vector<std::string_view>{"four", "two"}));
  EXPECT_FALSE(set.Contains("one"));
  set.Assign(third.tokens, third.buffer);
  EXPECT_EQ(set.size(), 100u);
  EXPECT_FALSE(set.Contains("four"));
  set.Assign(first.tokens, first.buffer);
  EXPECT_EQ(set.size(), 3u);
  EXPECT_FALSE(set.Contains("w5"));
}

TEST(TokenSetTest, Empty) {
  TokenSet set;
  EXPECT_FALSE(set.Contains("x"));
  set.Assign({}, "");
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.Contains("x"));
}

}  // namespace
}  // namespace rmg::text
