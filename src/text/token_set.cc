#include "text/token_set.h"

#include <cstring>

namespace rmg::text {
namespace {

// A fast non-cryptographic hash for short strings such as tokens, eight bytes at a
// time (std::hash goes through an out-of-line byte loop, a fifth of F1's time).
uint64_t HashToken(std::string_view token) {
  uint64_t hash = 0x9E3779B97F4A7C15ull ^ token.size();
  size_t i = 0;
  for (; i + 8 <= token.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, token.data() + i, 8);
    hash = (hash ^ word) * 0xBF58476D1CE4E5B9ull;
    hash ^= hash >> 31;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, token.data() + i, token.size() - i);
  hash = (hash ^ tail) * 0x94D049BB133111EBull;
  return hash ^ (hash >> 29);
}

}  // namespace

TokenSet::TokenSet(const std::vector<std::string_view>& tokens, std::vector<uint32_t>* ids) {
  // Open addressing at most half full keeps probe sequences short.
  size_t capacity = 16;
  while (capacity < 2 * tokens.size()) capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
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
         (slots_[position].tag != tag || items_[slots_[position].index - 1] != token)) {
    position = (position + 1) & mask_;
  }
  return position;
}

bool TokenSet::Contains(std::string_view token) const { return slots_[Find(token, HashToken(token))].index != 0; }

}  // namespace rmg::text
