// Internal helpers shared by the n-gram metrics (ROUGE-N, BLEU, chrF). Tokens are
// interned to small integer ids once; then every n-gram of every order gets a dense
// id, order by order (an n-gram is its (n-1)-gram prefix id plus one more symbol),
// so counting and clipping become array operations instead of hashing n-gram
// strings or tuples.
//
// Objects are not thread-safe; each metric call builds its own.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rmg/deadline.h"
#include "text/token_key.h"
#include "text/word_table.h"

namespace rmg::text {

// Maps distinct token strings to dense ids 0, 1, 2, ... The views stay owned by
// the caller and must outlive the interner.
class TokenInterner {
 public:
  static constexpr uint32_t kUnknown = UINT32_MAX;

  // Returns the id of `token`, assigning the next id if it is new.
  uint32_t Intern(std::string_view token) {
    const auto [it, inserted] = ids_.try_emplace(token, static_cast<uint32_t>(ids_.size()));
    return it->second;
  }

  // Returns the id of `token`, or kUnknown if it was never interned.
  uint32_t Find(std::string_view token) const {
    const auto it = ids_.find(token);
    return it == ids_.end() ? kUnknown : it->second;
  }

  // Number of distinct tokens interned so far.
  size_t size() const { return ids_.size(); }

  template <class Tokens>
  std::vector<uint32_t> InternAll(const Tokens& tokens) {
    std::vector<uint32_t> ids;
    ids.reserve(tokens.size());
    for (const auto& token : tokens) ids.push_back(Intern(token));
    return ids;
  }

 private:
  std::unordered_map<std::string_view, uint32_t, TokenHash> ids_;
};

// Open-addressing map from 64-bit keys (never UINT64_MAX) to dense ids 0, 1, 2, ...
class DenseIdMap {
 public:
  // Forgets all keys and makes room for `expected` distinct keys.
  void Reset(size_t expected) {
    Allocate(SlotCount(expected + 1));
    size_ = 0;
  }

  // Makes room for `more` keys beyond those held, doubling the table as needed: a caller
  // that interns a long text chunk by chunk need not size the table for all of it, so a
  // text of few distinct n-grams ('a' repeated) does not hold one slot per position.
  void Reserve(size_t more) {
    while (2 * (size_t{size_} + more + 1) > keys_.size()) Grow();
  }

  // The id of `key`, assigning the next one if it is new. Room for it must have been
  // made (Reset or Reserve).
  uint32_t Intern(uint64_t key) {
    const size_t mask = keys_.size() - 1;
    // Seeded: the keys are n-grams of the input, which could otherwise be chosen to
    // share a slot.
    for (size_t slot = HomeSlot(key, shift_);; slot = (slot + 1) & mask) {
      if (keys_[slot] == key) return ids_[slot];
      if (keys_[slot] == kEmpty) {
        keys_[slot] = key;
        ids_[slot] = size_;
        return size_++;
      }
    }
  }

  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = UINT64_MAX;

  void Allocate(size_t capacity) {
    shift_ = SlotShift(capacity);
    keys_.assign(capacity, kEmpty);
    ids_.resize(capacity);
  }

  // Doubles the table, keeping every key's id. Rare, so kept out of Intern's loop.
  [[gnu::noinline]] void Grow() {
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<uint32_t> old_ids = std::move(ids_);
    Allocate(old_keys.size() * 2);
    const size_t mask = keys_.size() - 1;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == kEmpty) continue;
      size_t slot = HomeSlot(old_keys[i], shift_);
      while (keys_[slot] != kEmpty) slot = (slot + 1) & mask;
      keys_[slot] = old_keys[i];
      ids_[slot] = old_ids[i];
    }
  }

  std::vector<uint64_t> keys_;
  std::vector<uint32_t> ids_;
  uint32_t size_ = 0;
  int shift_ = 60;
};

// Dense ids for the n-grams of several symbol sequences, one order at a time: after
// the k-th NextOrder(), ids(s)[i] identifies the k-gram starting at position i of
// sequence s, and equal k-grams (in any sequence) have equal ids < num_ids().
// The sequences must outlive this object.
class NgramIds {
 public:
  explicit NgramIds(std::vector<std::span<const uint32_t>> sequences)
      : sequences_(std::move(sequences)), unigrams_(sequences_.size()), current_(sequences_.size()) {
    for (const auto& sequence : sequences_) positions_ += sequence.size();
  }

  // Moves to the next order (the first call gives order 1). Throws DeadlineExceeded
  // once `deadline` has passed, checked about every 64K positions.
  void NextOrder(const Deadline& deadline = Deadline::Never()) {
    ++order_;
    // Sized for the positions up to one chunk; a longer text grows it as it goes.
    map_.Reset(std::min(positions_, kChunk));
    for (size_t s = 0; s < sequences_.size(); ++s) {
      const auto sequence = sequences_[s];
      std::vector<uint32_t>& ids = current_[s];
      if (order_ == 1) ids.assign(sequence.begin(), sequence.end());
      // The n-gram at i is the (n-1)-gram at i followed by the symbol at i+n-1;
      // the last (n-1)-gram has no successor and drops out.
      if (order_ > 1 && !ids.empty()) ids.pop_back();
      for (size_t begin = 0; begin < ids.size(); begin += kChunk) {
        const size_t end = std::min(ids.size(), begin + kChunk);
        map_.Reserve(end - begin);
        if (order_ == 1) {
          for (size_t i = begin; i < end; ++i) ids[i] = map_.Intern(ids[i]);
        } else {
          const uint32_t* next_symbol = unigrams_[s].data() + order_ - 1;
          for (size_t i = begin; i < end; ++i) ids[i] = map_.Intern((uint64_t{ids[i]} << 32) | next_symbol[i]);
        }
        CountWork(end - begin, deadline);
      }
      if (order_ == 1) unigrams_[s] = ids;
    }
  }

  // Counts `steps` of a caller's work over these ids (clipping against one reference,
  // say) and checks `deadline` once 64K steps have added up: a clock read (25 ns here)
  // per step would cost more than the step, and a check inside the interning loop cost
  // chrF 13% (bench/RESULTS.md).
  void CountWork(size_t steps, const Deadline& deadline) {
    unchecked_work_ += steps;
    if (unchecked_work_ < kWorkPerDeadlineCheck) return;
    unchecked_work_ = 0;
    deadline.Check();
  }

  size_t order() const { return order_; }
  size_t num_ids() const { return map_.size(); }
  std::span<const uint32_t> ids(size_t sequence) const { return current_[sequence]; }

 private:
  static constexpr size_t kWorkPerDeadlineCheck = size_t{1} << 16;
  static constexpr size_t kChunk = size_t{1} << 16;  // positions interned between checks

  std::vector<std::span<const uint32_t>> sequences_;
  size_t positions_ = 0;
  size_t unchecked_work_ = 0;
  size_t order_ = 0;
  DenseIdMap map_;
  std::vector<std::vector<uint32_t>> unigrams_;
  std::vector<std::vector<uint32_t>> current_;
};

// Sum over n-gram ids of min(count in `a`, count in `b`): the clipped matches of
// BLEU, ROUGE-N and chrF. `scratch` must hold at least max id + 1 zeros and is left
// all zero.
inline int64_t ClippedMatches(std::span<const uint32_t> a, std::span<const uint32_t> b, std::vector<int64_t>* scratch) {
  std::vector<int64_t>& budget = *scratch;
  for (uint32_t id : b) ++budget[id];
  int64_t matches = 0;
  for (uint32_t id : a) {
    if (budget[id] > 0) {
      --budget[id];
      ++matches;
    }
  }
  for (uint32_t id : b) budget[id] = 0;
  return matches;
}

}  // namespace rmg::text
