#include "text/token_set.h"

#include "text/token_key.h"
#include "text/word_table.h"

namespace rmg::text {

void TokenSet::Assign(const std::vector<std::string_view>& tokens, std::string_view text) {
  // A table of the same size is cleared only where the previous tokens were.
  const size_t capacity = SlotCount(tokens.size());
  if (keys_.size() == capacity) {
    for (uint32_t slot : item_slots_) keys_[slot] = 0;
  } else {
    keys_.assign(capacity, 0);
    long_items_.resize(capacity);
  }
  shift_ = SlotShift(capacity);
  items_.resize(tokens.size());
  item_keys_.resize(tokens.size());
  item_slots_.resize(tokens.size());
  const auto begin = reinterpret_cast<uintptr_t>(text.data());
  const uintptr_t end = begin + text.size();
  size_t count = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view token = tokens[i];
    const uint64_t key = TokenKey(token, begin, end);
    size_t slot;
    bool is_new;
    if (token.size() < 8) {
      // No branch on whether the token is new: the item is written in any case and
      // kept only by advancing `count`; the key is stored again if it was there.
      slot = FindWord(keys_, shift_, key);
      is_new = Opaque(keys_[slot] == 0);
    } else {
      slot = FindLong(key, token);
      is_new = keys_[slot] == 0;
      if (is_new) long_items_[slot] = static_cast<uint32_t>(count);
    }
    keys_[slot] = key;
    items_[count] = token;
    item_keys_[count] = key;
    item_slots_[count] = static_cast<uint32_t>(slot);
    count += is_new;
  }
  items_.resize(count);
  item_keys_.resize(count);
  item_slots_.resize(count);
}

size_t TokenSet::Find(uint64_t key, std::string_view token) const {
  return IsLongKey(key) ? FindLong(key, token) : FindWord(keys_, shift_, key);
}

size_t TokenSet::FindLong(uint64_t key, std::string_view token) const {
  const size_t mask = keys_.size() - 1;
  size_t slot = HomeSlot(key, shift_);
  while (keys_[slot] != 0 && (keys_[slot] != key || items_[long_items_[slot]] != token)) slot = (slot + 1) & mask;
  return slot;
}

bool TokenSet::Contains(std::string_view token) const {
  if (keys_.empty()) return false;
  return keys_[Find(TokenKey(token), token)] != 0;
}

size_t TokenSet::CountShared(const TokenSet& other) const {
  if (other.keys_.empty()) return 0;
  size_t shared = 0;
  for (size_t i = 0; i < items_.size(); ++i) shared += other.keys_[other.Find(item_keys_[i], items_[i])] != 0;
  return shared;
}

}  // namespace rmg::text
