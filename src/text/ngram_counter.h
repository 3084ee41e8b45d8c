// Counting the distinct n-grams of a token sequence, as Python's
// Counter(zip(*[tokens[i:] for i in range(n)])) does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::text {

// One distinct n-gram: how often it occurs, and where it first starts (a token index).
struct NgramCount {
  size_t count = 0;
  size_t first = 0;
};

class NgramCounter {
 public:
  NgramCounter() = default;

  // Returns the distinct n-grams (n >= 1) of `tokens` in order of first appearance,
  // with their counts; empty when there are fewer than n tokens. `text` is the buffer
  // the tokens are views into (see TokenKey()); the views need only live for the call.
  // Buffers are kept for the next call (callers counting many texts keep one per
  // thread); the result is valid until then. Throws DeadlineExceeded once `deadline`
  // has passed (the work is O(tokens × n)).
  const std::vector<NgramCount>& Count(const std::vector<std::string_view>& tokens, std::string_view text, size_t n,
                                       const Deadline& deadline = Deadline::Never());

 private:
  static constexpr size_t kWorkPerDeadlineCheck = size_t{1} << 16;

  // Whether the n-grams starting at tokens a and b are equal, given equal hashes.
  bool SameNgram(const std::vector<std::string_view>& tokens, size_t a, size_t b, size_t n) const;

  std::vector<uint64_t> keys_;  // TokenKey() of each token
  std::vector<uint32_t> long_tokens_;
  std::vector<uint64_t> mixed_;   // a seeded mix of each key: what n-gram hashes combine
  std::vector<uint64_t> hashes_;  // per slot: the hash of the n-gram there (never 0), 0 when free
  std::vector<uint32_t> owners_;  // per slot: the n-gram's index in distinct_
  std::vector<uint32_t> used_slots_;
  std::vector<NgramCount> distinct_;
};

}  // namespace rmg::text
