#include "text/token_set.h"

#include <gtest/gtest.h>

#include <string>

namespace rmg::text {
namespace {

TEST(TokenSetTest, KeepsFirstAppearanceOrderAndDropsRepeats) {
  const std::vector<std::string_view> tokens = {"b", "a", "b", "c", "a", ""};
  const TokenSet set(tokens);
  EXPECT_EQ(set.items(), (std::vector<std::string_view>{"b", "a", "c", ""}));
  EXPECT_TRUE(set.Contains("c"));
  EXPECT_TRUE(set.Contains(""));
  EXPECT_FALSE(set.Contains("d"));
}

TEST(TokenSetTest, ManyTokensWithCollisions) {
  std::vector<std::string> owned;
  for (int i = 0; i < 5000; ++i) owned.push_back("t" + std::to_string(i % 1234));
  const std::vector<std::string_view> tokens(owned.begin(), owned.end());
  const TokenSet set(tokens);
  ASSERT_EQ(set.size(), 1234u);
  for (int i = 0; i < 1234; ++i) EXPECT_EQ(set.items()[static_cast<size_t>(i)], "t" + std::to_string(i));
  EXPECT_FALSE(set.Contains("t1234"));
}

TEST(TokenSetTest, TokensDifferingOnlyPastTheFirstWordOrInLengthAreDistinct) {
  using namespace std::string_view_literals;
  const std::vector<std::string_view> tokens = {"abcdefgh1"sv, "abcdefgh2"sv, "abcdefgh"sv, "abcdefgh\0"sv,
                                                "abcdefghijklmnopq"sv, "abcdefghijklmnopr"sv, "abcdefgh1"sv};
  const TokenSet set(tokens);
  EXPECT_EQ(set.size(), 6u);
  EXPECT_TRUE(set.Contains("abcdefghijklmnopr"));
  EXPECT_FALSE(set.Contains("abcdefghijklmnops"));
}

// Hashing and comparing read a token in fixed-size, overlapping words: a change in any
// one byte, at every length, must still make another token.
TEST(TokenSetTest, TokensDifferingInAnyOneByteAreDistinct) {
  std::vector<std::string> owned;
  for (size_t length = 1; length <= 40; ++length) {
    const std::string base(length, 'a');
    owned.push_back(base);
    for (size_t at = 0; at < length; ++at) {
      std::string changed = base;
      changed[at] = 'b';
      owned.push_back(changed);
    }
  }
  std::vector<std::string_view> tokens(owned.begin(), owned.end());
  const size_t distinct = tokens.size();
  tokens.insert(tokens.end(), owned.begin(), owned.end());  // each a second time
  const TokenSet set(tokens);
  EXPECT_EQ(set.size(), distinct);
  for (const std::string& token : owned) EXPECT_TRUE(set.Contains(token)) << token;
  EXPECT_FALSE(set.Contains(std::string(41, 'a')));
  EXPECT_FALSE(set.Contains("bb" + std::string(7, 'a')));  // two bytes changed
}

TEST(TokenSetTest, Empty) {
  const TokenSet set(std::vector<std::string_view>{});
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.Contains("x"));
}

}  // namespace
}  // namespace rmg::text
