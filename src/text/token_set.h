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

  bool Contains(std::string_view token) const;

  // The distinct tokens in order of first appearance.
  const std::vector<std::string_view>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  size_t Slot(std::string_view token) const;

  std::vector<uint32_t> slots_;  // 1 + index into items_, 0 when free
  std::vector<std::string_view> items_;
  size_t mask_ = 0;
};

}  // namespace rmg::text
