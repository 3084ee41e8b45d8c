#include "text/ngram_counter.h"

#include "text/token_key.h"
#include "text/word_table.h"

namespace rmg::text {

bool NgramCounter::SameNgram(const std::vector<std::string_view>& tokens, size_t a, size_t b, size_t n) const {
  for (size_t t = 0; t < n; ++t) {
    if (keys_[a + t] != keys_[b + t]) return false;
    if (IsLongKey(keys_[a + t]) && tokens[a + t] != tokens[b + t]) return false;
  }
  return true;
}

const std::vector<NgramCount>& NgramCounter::Count(const std::vector<std::string_view>& tokens, std::string_view text,
                                                   size_t n, const Deadline& deadline) {
  distinct_.clear();
  if (n == 0 || tokens.size() < n) return distinct_;
  const size_t total = tokens.size() - n + 1;

  // One pass over the tokens, one over the n-grams: an n-gram is hashed from its
  // tokens' mixed keys, with no table of distinct tokens first.
  TokenKeys(tokens, text, &keys_, &long_tokens_);
  mixed_.resize(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) mixed_[i] = SeededMix(keys_[i]);

  // The table is reused, cleared only where the previous n-grams were, unless it is
  // too small or much too large (texts of similar size follow one another).
  size_t capacity = hashes_.size();
  if (capacity >= SlotCount(total) && capacity <= 4 * SlotCount(total)) {
    for (uint32_t slot : used_slots_) hashes_[slot] = 0;
  } else {
    capacity = SlotCount(total);
    hashes_.assign(capacity, 0);
    owners_.resize(capacity);
  }
  const int shift = SlotShift(capacity);
  const size_t mask = capacity - 1;
  // Raw pointers and outputs sized up front keep the loop free of reloads and
  // capacity checks.
  uint64_t* hashes = hashes_.data();
  uint32_t* owners = owners_.data();
  const uint64_t* mixed = mixed_.data();
  distinct_.resize(total);
  // Zeroed, not just resized: if the deadline stops this count, the entries past the
  // last one written must not be slots of an earlier, larger table.
  used_slots_.assign(total, 0);
  NgramCount* distinct = distinct_.data();
  uint32_t* used_slots = used_slots_.data();
  size_t count = 0;
  // Work since the deadline was last checked, in tokens looked at: hashing and
  // confirming an n-gram both look at n.
  size_t work = 0;
  for (size_t i = 0; i < total; ++i) {
    uint64_t hash = 0;
    for (size_t t = 0; t < n; ++t) hash = (hash ^ mixed[i + t]) * 0x9E3779B97F4A7C15ull;
    hash |= 1;  // 0 marks a free slot
    size_t slot = static_cast<size_t>(hash >> shift);
    for (;;) {
      const uint64_t there = hashes[slot];
      if (there == 0) {
        hashes[slot] = hash;
        owners[slot] = static_cast<uint32_t>(count);
        used_slots[count] = static_cast<uint32_t>(slot);
        distinct[count] = NgramCount{1, i};
        ++count;
        break;
      }
      if (there == hash) {
        NgramCount& seen = distinct[owners[slot]];
        work += n;
        if (SameNgram(tokens, seen.first, i, n)) {
          ++seen.count;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    work += n;
    if (work >= kWorkPerDeadlineCheck) {
      deadline.Check();
      work = 0;
    }
  }
  distinct_.resize(count);
  used_slots_.resize(count);
  return distinct_;
}

}  // namespace rmg::text
