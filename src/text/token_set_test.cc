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

TEST(TokenSetTest, Empty) {
  const TokenSet set({});
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.Contains("x"));
}

}  // namespace
}  // namespace rmg::text
