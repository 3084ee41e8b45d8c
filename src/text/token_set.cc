#include "text/token_set.h"

#include <cstring>

namespace rmg::text {
namespace {

uint64_t Load64(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

uint32_t Load32(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, 4);
  return word;
}

// The last bytes of a token (1 to 8 of them) as one word, read with fixed-size loads
// that stay inside the token: a variable-length memcpy is a library call per token.
uint64_t TailWord(const char* p, size_t length) {
  if (length >= 4) return (uint64_t{Load32(p + length - 4)} << 32) | Load32(p);
  const auto byte = [&](size_t i) { return uint64_t{static_cast<unsigned char>(p[i])}; };
  return (byte(0) << 16) | (byte(length >> 1) << 8) | byte(length - 1);
}

// A fast non-cryptographic hash for short strings such as tokens, eight bytes at a
// time (std::hash goes through an out-of-line byte loop, a fifth of F1's time).
uint64_t HashToken(std::string_view token) {
  const char* p = token.data();
  size_t length = token.size();
  uint64_t hash = 0x9E3779B97F4A7C15ull ^ length;
  for (; length > 8; p += 8, length -= 8) {
    hash = (hash ^ Load64(p)) * 0xBF58476D1CE4E5B9ull;
    hash ^= hash >> 31;
  }
  const uint64_t tail = length == 0 ? 0 : TailWord(p, length);
  hash = (hash ^ tail) * 0x94D049BB133111EBull;
  return hash ^ (hash >> 29);
}

// a == b for tokens of equal length, inline for the short ones that dominate text.
bool SameBytes(const char* a, const char* b, size_t length) {
  if (length > 16) return std::memcmp(a, b, length) == 0;
  if (length > 8) return Load64(a) == Load64(b) && Load64(a + length - 8) == Load64(b + length - 8);
  return length == 0 || TailWord(a, length) == TailWord(b, length);
}

bool Equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && SameBytes(a.data(), b.data(), a.size());
}

}  // namespace

TokenSet::TokenSet(const std::vector<std::string_view>& tokens, std::vector<uint32_t>* ids) { Assign(tokens, ids); }

void TokenSet::Assign(const std::vector<std::string_view>& tokens, std::vector<uint32_t>* ids) {
  // Open addressing at most half full keeps probe sequences short.
  size_t capacity = 16;
  while (capacity < 2 * tokens.size()) capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  items_.clear();
  items_.reserve(tokens.size());
  if (ids) {
    ids->clear();
    ids->reserve(tokens.size());
  }
  for (std::string_view token : tokens) {
    const uint64_t hash = HashToken(token);
    Slot& slot = slots_[Find(token, hash)];
    if (slot.index == 0) {
      items_.push_back(token);
      slot.index = static_cast<uint32_t>(items_.size());
      slot.tag = static_cast<uint32_t>(hash >> 32);
    }
    if (ids) ids->push_back(slot.index - 1);
  }
}

size_t TokenSet::Find(std::string_view token, uint64_t hash) const {
  const auto tag = static_cast<uint32_t>(hash >> 32);
  size_t position = hash & mask_;
  while (slots_[position].index != 0 &&
         (slots_[position].tag != tag || !Equal(items_[slots_[position].index - 1], token))) {
    position = (position + 1) & mask_;
  }
  return position;
}

bool TokenSet::Contains(std::string_view token) const { return slots_[Find(token, HashToken(token))].index != 0; }

}  // namespace rmg::text
