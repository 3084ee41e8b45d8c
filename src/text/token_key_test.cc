#include "text/token_key.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace rmg::text {
namespace {

TEST(TokenKeyTest, ShortTokensAreTheirOwnKeys) {
  EXPECT_EQ(TokenKey(""), uint64_t{1} << 56);
  EXPECT_EQ(TokenKey("a"), (uint64_t{2} << 56) | 'a');
  EXPECT_EQ(TokenKey("ab"), (uint64_t{3} << 56) | ('b' << 8) | 'a');
  EXPECT_NE(TokenKey(std::string_view("a\0", 2)), TokenKey("a"));  // the length is part of the key
  EXPECT_FALSE(IsLongKey(TokenKey("1234567")));
  EXPECT_TRUE(IsLongKey(TokenKey("12345678")));
}

// TokenKeys() and the one-load paths of TokenKey() must give the keys of the plain
// byte-by-byte read, for tokens anywhere in the buffer, at its edges, or outside it.
TEST(TokenKeyTest, EveryWayOfReadingGivesTheSameKey) {
  const std::string buffer = "a bc def ghij klmnopqrstu vwxyz0123456789abcdefg xy";
  std::vector<std::string_view> tokens;
  for (size_t start = 0; start < buffer.size(); ++start) {
    for (size_t length = 0; start + length <= buffer.size() && length <= 40; ++length) {
      tokens.push_back(std::string_view(buffer).substr(start, length));
    }
  }
  std::vector<uint64_t> keys;
  std::vector<uint32_t> scratch;
  TokenKeys(tokens, buffer, &keys, &scratch);
  ASSERT_EQ(keys.size(), tokens.size());
  const auto begin = reinterpret_cast<uintptr_t>(buffer.data());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string copy(tokens[i]);  // outside the buffer
    const uint64_t expected = TokenKey(copy);
    EXPECT_EQ(keys[i], expected) << "token '" << copy << "'";
    EXPECT_EQ(TokenKey(tokens[i], begin, begin + buffer.size()), expected) << "token '" << copy << "'";
  }
}

// Long tokens of one shape (a common prefix, a counter, a common suffix; and pairs
// that differ only in high bits, which collided under a multiply-xorshift hash) get
// distinct keys.
TEST(TokenKeyTest, LongTokensOfOneShapeGetDistinctKeys) {
  std::unordered_set<uint64_t> keys;
  size_t tokens = 0;
  for (uint32_t i = 0; i < 100000; ++i) {
    const std::string counted = "prefix_" + std::to_string(i) + "_suffix";
    std::string high_bits(16, 'a');
    high_bits[7] = static_cast<char>(0x80 | (i & 0x7F));
    high_bits[15] = static_cast<char>(0x80 | ((i >> 7) & 0x7F));
    high_bits[3] = static_cast<char>('a' + (i >> 14));
    for (const std::string& token : {counted, high_bits}) {
      keys.insert(TokenKey(token));
      ++tokens;
    }
  }
  EXPECT_EQ(keys.size(), tokens);
}

}  // namespace
}  // namespace rmg::text
