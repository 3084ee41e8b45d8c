#include "rmg/string_hash.h"

#include <cstring>

#include "text/token_key.h"

namespace rmg {

size_t SeededStringHash::operator()(std::string_view text) const { return text::TokenHash{}(text); }

uint64_t StableStringHash(std::string_view text) {
  constexpr uint64_t kSeedA = 0x2D358DCCAA6C78A5ull;
  constexpr uint64_t kSeedB = 0x8BB84B93962EACC9ull;
  if (text.size() >= 8) return text::internal::HashBytes(text.data(), text.size(), kSeedA, kSeedB);
  char padded[8] = {};  // the length goes into the seed: "a", "a\0" and 8 zero bytes differ
  std::memcpy(padded, text.data(), text.size());
  return text::internal::HashBytes(padded, 8, kSeedA ^ (0x100 | text.size()), kSeedB);
}

}  // namespace rmg
