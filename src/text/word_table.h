// Probing an open-addressing table of 64-bit words, for the tables whose keys are
// whole words (short tokens, packed n-grams): one compare per slot, no branch on
// whether the word is new.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace rmg::text {

// Returns `value`, hidden from the optimiser. A comparison written to be branch-free
// is turned back into a branch when the compiler sees how its result is used; in
// text, whether a token or n-gram was seen before is a coin toss, and a mispredicted
// branch costs more than the rest of the work on it.
template <typename T>
inline T Opaque(T value) {
#if defined(__GNUC__)
  asm("" : "+r"(value));
#endif
  return value;
}

// A random value drawn once per process. Mixed into every slot, it keeps an input
// from being crafted so that its many distinct tokens share a slot, which would make
// each probe walk all of them (quadratic time). Results never depend on it: slots
// are not visible in any output.
inline const uint64_t kSlotSeed = [] {
  std::random_device device;
  return (uint64_t{device()} << 32) ^ device();
}();

// The number of slots for a table of up to `entries` words: a power of two, at least
// twice `entries` (at most half full keeps probe sequences short) and at least 16.
inline size_t SlotCount(size_t entries) {
  size_t slots = 16;
  while (slots < 2 * entries) slots *= 2;
  return slots;
}

// The `shift` that HomeSlot() and FindWord() take for a table of `slots` slots.
inline int SlotShift(size_t slots) { return 64 - std::countr_zero(slots); }

// `word` mixed with kSlotSeed so that every bit of the result depends on every bit
// of `word` (a bijection for a given seed).
inline uint64_t SeededMix(uint64_t word) {
  uint64_t mixed = (word ^ kSlotSeed) * 0xBF58476D1CE4E5B9ull;
  return (mixed ^ (mixed >> 31)) * 0x94D049BB133111EBull;
}

// The slot where probing for `word` starts, in a table of 2^(64 - shift) slots.
inline size_t HomeSlot(uint64_t word, int shift) { return static_cast<size_t>(SeededMix(word) >> shift); }

// The slot of `word` (never 0) in `slots` (size a power of two, 0 marking a free slot,
// never full), or the free slot where it belongs. `shift` is 64 - log2(slots.size()).
inline size_t FindWord(const std::vector<uint64_t>& slots, int shift, uint64_t word) {
  const size_t mask = slots.size() - 1;
  size_t slot = HomeSlot(word, shift);
  for (;;) {
    const uint64_t there = slots[slot];
    if (Opaque(std::min(there, there ^ word)) == 0) return slot;  // free, or holding `word`
    slot = (slot + 1) & mask;
  }
}

}  // namespace rmg::text
