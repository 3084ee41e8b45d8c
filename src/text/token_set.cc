#include "text/token_set.h"

#include <functional>

namespace rmg::text {

TokenSet::TokenSet(const std::vector<std::string_view>& tokens, std::vector<uint32_t>* ids) {
  // Open addressing at most half full keeps probe sequences short.
  size_t capacity = 16;
  while (capacity < 2 * tokens.size()) capacity *= 2;
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  if (ids) ids->clear();
  for (std::string_view token : tokens) {
    const size_t slot = Slot(token);
    if (slots_[slot] == 0) {
      items_.push_back(token);
      slots_[slot] = static_cast<uint32_t>(items_.size());
    }
    if (ids) ids->push_back(slots_[slot] - 1);
  }
}

size_t TokenSet::Slot(std::string_view token) const {
  size_t slot = std::hash<std::string_view>{}(token) & mask_;
  while (slots_[slot] != 0 && items_[slots_[slot] - 1] != token) slot = (slot + 1) & mask_;
  return slot;
}

bool TokenSet::Contains(std::string_view token) const { return slots_[Slot(token)] != 0; }

}  // namespace rmg::text
