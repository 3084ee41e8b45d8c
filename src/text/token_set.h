// A set of tokens (views) that remembers the order of first appearance.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace rmg::text {

class TokenSet {
 public:
  // An empty set, to be filled by Assign().
  TokenSet() = default;

  // Makes this the set of the distinct `tokens`, reusing the memory of the previous
  // contents (callers scoring many texts keep one set per thread). The views must
  // outlive the set. `text` is the buffer the tokens are views into (a tokenizer's
  // storage): reading whole words inside it is what makes keys fast; a token outside
  // it is still handled, only more slowly.
  void Assign(const std::vector<std::string_view>& tokens, std::string_view text);

  bool Contains(std::string_view token) const;

  // The number of items of this set that `other` contains.
  size_t CountShared(const TokenSet& other) const;

  // The distinct tokens in order of first appearance.
  const std::vector<std::string_view>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  // The slot holding `token` (key `key`), or the free slot where it belongs.
  size_t Find(uint64_t key, std::string_view token) const;
  size_t FindLong(uint64_t key, std::string_view token) const;

  // Open addressing over slots: keys_[slot] is 0 when the slot is free. A token of up
  // to 7 bytes is its own key (its bytes, and its length + 1 in the top byte); a longer
  // token's key is a hash with the top bit set, confirmed by comparing bytes with the
  // item that long_items_[slot] points to.
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> long_items_;  // for slots of long tokens: index into items_
  int shift_ = 64;                    // 64 - log2(keys_.size()), for HomeSlot()

  std::vector<std::string_view> items_;
  std::vector<uint64_t> item_keys_;   // item_keys_[i] is the key of items_[i]
  std::vector<uint32_t> item_slots_;  // item_slots_[i] is the slot of items_[i]
};

}  // namespace rmg::text
