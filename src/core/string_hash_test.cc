#include "rmg/string_hash.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace rmg {
namespace {

// Printable 16-byte strings that share one std::hash value on libstdc++, whose hash
// of a string is MurmurHash2-64 with a fixed seed: its per-word mixing can be
// inverted, so for any first word the second word that leads to a chosen state can be
// computed (about one in 3,300 such words is printable).
std::vector<std::string> StringsWithOneStdHash(size_t count) {
  constexpr uint64_t kMul = (uint64_t{0xc6a4a793} << 32) + 0x5bd1e995;
  constexpr uint64_t kSeed = 0xc70f6907;
  uint64_t inverse = kMul;  // Newton's iteration for kMul's inverse modulo 2^64
  for (int i = 0; i < 6; ++i) inverse *= 2 - kMul * inverse;
  const auto shift_mix = [](uint64_t v) { return v ^ (v >> 47); };  // its own inverse
  const auto mix_word = [&](uint64_t word) { return shift_mix(word * kMul) * kMul; };
  const auto printable = [](uint64_t word) {
    for (int i = 0; i < 8; ++i) {
      const auto c = static_cast<unsigned char>(word >> (8 * i));
      if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
  };
  std::mt19937_64 random(7);
  const uint64_t start = kSeed ^ (16 * kMul);
  const uint64_t state_before_second_multiply = 0x0123456789abcdefULL;
  std::vector<std::string> strings;
  while (strings.size() < count) {
    uint64_t first = 0;
    for (int i = 0; i < 8; ++i) first |= (0x20 + random() % 95) << (8 * i);
    const uint64_t state = (start ^ mix_word(first)) * kMul;
    const uint64_t second = shift_mix((state_before_second_multiply ^ state) * inverse) * inverse;
    if (!printable(second)) continue;
    std::string text(16, '\0');
    std::memcpy(text.data(), &first, 8);
    std::memcpy(text.data() + 8, &second, 8);
    strings.push_back(text);
  }
  return strings;
}

TEST(SeededStringHashTest, StringsBuiltToCollideUnderStdHashDoNotCollide) {
  const std::vector<std::string> strings = StringsWithOneStdHash(1000);
  const size_t std_hash = std::hash<std::string>{}(strings[0]);
  size_t sharing_std_hash = 0;
  for (const std::string& text : strings) sharing_std_hash += std::hash<std::string>{}(text) == std_hash;
  if (sharing_std_hash != strings.size()) GTEST_SKIP() << "this standard library's std::hash is not MurmurHash2";

  StringSet set(strings.begin(), strings.end());
  ASSERT_EQ(set.size(), strings.size());
  // With 1,000 strings in at least as many buckets, a good hash leaves few buckets
  // holding more than a handful; std::hash put all 1,000 in one.
  size_t largest_bucket = 0;
  for (size_t bucket = 0; bucket < set.bucket_count(); ++bucket) {
    largest_bucket = std::max(largest_bucket, set.bucket_size(bucket));
  }
  EXPECT_LE(largest_bucket, 8u);
  std::unordered_set<std::string> std_set(strings.begin(), strings.end());
  EXPECT_EQ(std_set.bucket_size(std_set.bucket(strings[0])), strings.size());
}

TEST(SeededStringHashTest, LooksUpStringViews) {
  StringMap<int> map;
  map["unique-id-0001"] = 1;
  const std::string_view key = "unique-id-0001";
  ASSERT_NE(map.find(key), map.end());
  EXPECT_EQ(map.find(key)->second, 1);
  EXPECT_EQ(SeededStringHash{}(key), SeededStringHash{}(std::string(key)));
  EXPECT_EQ(StringSet({"a", "b"}).count(std::string_view("b")), 1u);
}

// Output files keep these hashes (best-of-n's input fingerprints): a build that
// changed them would refuse to resume every file written before it.
TEST(StableStringHashTest, IsFixedAcrossBuildsAndProcesses) {
  EXPECT_EQ(StableStringHash("{\"unique_id\":\"a\"}"), 0x2d8e7e00afc57908ull);
  EXPECT_EQ(StableStringHash("a"), 0x0e6363db2135749cull);
  // Short strings are padded, but their length keeps them apart.
  EXPECT_NE(StableStringHash("a"), StableStringHash(std::string("a\0", 2)));
  EXPECT_NE(StableStringHash(""), StableStringHash(std::string(8, '\0')));
  // Each byte counts, at any length.
  std::mt19937_64 random(7);
  for (size_t length : {1u, 7u, 8u, 15u, 16u, 17u, 33u, 4096u}) {
    std::string text(length, 'x');
    for (char& c : text) c = static_cast<char>(random());
    const uint64_t hash = StableStringHash(text);
    for (size_t i = 0; i < length; i += 1 + length / 8) {
      std::string changed = text;
      changed[i] = static_cast<char>(changed[i] ^ 1);
      EXPECT_NE(StableStringHash(changed), hash) << length << " " << i;
    }
  }
}

}  // namespace
}  // namespace rmg
