// A set of tokens (views) that remembers the order of first appearance.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace rmg::text {

class TokenSet {
 public:
  // The distinct tokens of `tokens`. The views must outlive the set. With `ids`,
  // also writes each token's index in items(), in token order.
  explicit TokenSet(const std::vector<std::string_view>& tokens, std::vector<uint32_t>* ids = nullptr);

  // An empty set, to be filled by Assign().
  TokenSet() = default;

  // Makes this the set of `tokens`, as the constructor does, reusing the memory of the
  // previous contents (callers scoring many texts keep one set per thread).
  void Assign(const std::vector<std::string_view>& tokens, std::vector<uint32_t>* ids = nullptr);

  bool Contains(std::string_view token) const;

  // The distinct tokens in order of first appearance.
  const std::vector<std::string_view>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  struct Slot {
    uint32_t index = 0;  // 1 + index into items_, 0 when free
    uint32_t tag = 0;    // high half of the token's hash, compared before the token
  };

  // The slot holding `token`, or the free slot where it belongs.
  size_t Find(std::string_view token, uint64_t hash) const;

  std::vector<Slot> slots_;
  std::vector<std::string_view> items_;
  size_t mask_ = 0;
};

}  // namespace rmg::text
