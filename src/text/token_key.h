// A token's 64-bit key, the word that the token tables compare and hash instead of
// the token's bytes. A token of up to 7 bytes is its own key: exact, so equal keys
// mean equal tokens. A longer token's key is a seeded hash with the top bit set:
// equal keys must still be confirmed by comparing bytes.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "text/word_table.h"

namespace rmg::text {

static_assert(std::endian::native == std::endian::little, "token keys read words little-endian");

inline constexpr uint64_t kLongKeyBit = uint64_t{1} << 63;

// True when `key` is a hash (the token has 8 bytes or more), not the token itself.
inline bool IsLongKey(uint64_t key) { return (key & kLongKeyBit) != 0; }

namespace internal {

inline uint64_t Load64(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

inline uint32_t Load32(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, 4);
  return word;
}

// The 1 to 7 bytes at p as a little-endian word, reading no byte outside them: two
// overlapping 4-byte loads, or three single bytes (which may repeat one).
inline uint64_t LoadShort(const char* p, size_t length) {
  if (length >= 4) return Load32(p) | (uint64_t{Load32(p + length - 4)} << (8 * (length - 4)));
  const auto byte = [p](size_t i) { return uint64_t{static_cast<unsigned char>(p[i])}; };
  return byte(0) | (byte(length / 2) << (8 * (length / 2))) | (byte(length - 1) << (8 * (length - 1)));
}

// The two halves of the 128-bit product, folded together.
inline uint64_t FoldedProduct(uint64_t a, uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// Seeds for hashing long tokens, derived from the per-process kSlotSeed.
inline const uint64_t kLongTokenSeedA = kSlotSeed * 0x9E3779B97F4A7C15ull + 0xA0761D6478BD642Full;
inline const uint64_t kLongTokenSeedB = (kSlotSeed ^ 0xE7037ED1A0B428DBull) * 0x8EBC6AF09C88C6E3ull;

// The hash of a token of 8 bytes or more, sixteen bytes (two words) per multiply;
// the last two words overlap what came before when the length is not a multiple of
// 16. Folding the whole 128-bit product. `length` must be at least 8.
inline uint64_t HashBytes(const char* p, size_t length, uint64_t seed_a, uint64_t seed_b) {
  uint64_t state = seed_a ^ length;
  size_t offset = 0;
  for (; length - offset > 16; offset += 16) {
    state = FoldedProduct(Load64(p + offset) ^ seed_b, Load64(p + offset + 8) ^ state);
  }
  const char* first = length >= 16 ? p + length - 16 : p;
  return FoldedProduct(Load64(first) ^ seed_b, Load64(p + length - 8) ^ state ^ 0x589965CC75374CC3ull);
}

// HashBytes under this process's seeds: the earlier unseeded multiply-xorshift let an
// input hold thousands of distinct long tokens with one hash, which made every table
// probe walk all of them.
inline uint64_t HashLongToken(const char* p, size_t length) {
  return HashBytes(p, length, kLongTokenSeedA, kLongTokenSeedB);
}

}  // namespace internal

// The key of a token of up to 7 bytes (see TokenKey()); for a longer token, the key
// of its first 7 bytes.
inline uint64_t ShortTokenKey(std::string_view token, uintptr_t begin, uintptr_t end) {
  const size_t length = token.size() < 8 ? token.size() : 7;
  const uint64_t length_byte = uint64_t{length + 1} << 56;
  if (length == 0) return length_byte;
  const char* p = token.data();
  const auto start = reinterpret_cast<uintptr_t>(p);
  const uint64_t mask = (uint64_t{1} << (8 * length)) - 1;
  // Inside [begin, end), one 8-byte load: from the token's start, or ending at its end.
  if (start >= begin && start <= end && end - start >= 8) return (internal::Load64(p) & mask) | length_byte;
  if (start >= begin && start + length <= end && start + length - begin >= 8) {
    return (internal::Load64(p + length - 8) >> (64 - 8 * length)) | length_byte;
  }
  return internal::LoadShort(p, length) | length_byte;
}

// The key of `token`. When the token lies in [begin, end) (the buffer a tokenizer
// wrote), a short token is read with one 8-byte load inside that buffer; a token
// outside it is read byte by byte, which is slower but as exact.
inline uint64_t TokenKey(std::string_view token, uintptr_t begin, uintptr_t end) {
  if (token.size() >= 8) return internal::HashLongToken(token.data(), token.size()) | kLongKeyBit;
  return ShortTokenKey(token, begin, end);
}

// The key of `token`, wherever it lies.
inline uint64_t TokenKey(std::string_view token) { return TokenKey(token, 0, 0); }

// A hash of token views for unordered containers, seeded per process: std::hash of
// a string is not, and an input can be crafted whose tokens all share one bucket.
struct TokenHash {
  size_t operator()(std::string_view token) const { return static_cast<size_t>(SeededMix(TokenKey(token))); }
};

// Sets `keys` to the TokenKey() of each of `tokens`, views into `text`. The same keys
// as one TokenKey() call per token, without a branch per token on its length: in
// text, short and long tokens alternate at random, and the mispredicted branch cost
// more than the key. `long_tokens` is scratch space.
void TokenKeys(const std::vector<std::string_view>& tokens, std::string_view text, std::vector<uint64_t>* keys,
               std::vector<uint32_t>* long_tokens);

}  // namespace rmg::text
