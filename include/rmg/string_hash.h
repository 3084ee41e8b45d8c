// Hash containers keyed by strings that come from the input: sample ids, column
// names, grouping keys. libstdc++'s std::hash of a string is MurmurHash2 with a fixed
// seed, so anyone can write thousands of distinct ids that share one hash, and each
// insert or lookup then walks all of them: 50,000 such ids made `rmg eval --resume`
// take 8 s instead of 0.17 s, and the time grows with the square of their number.
// SeededStringHash mixes in a seed drawn once per process, so such strings cannot be
// prepared in advance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace rmg {

// The hash of `text` under this process's seed (the one rmg's token tables use).
struct SeededStringHash {
  using is_transparent = void;  // lets a StringSet or StringMap look up a string_view
  size_t operator()(std::string_view text) const;
};

// A 64-bit hash of `text` that is the same in every process and every run (fixed
// seeds), for fingerprints kept in files. Not for tables keyed by input strings: its
// seeds are public, so use SeededStringHash there.
uint64_t StableStringHash(std::string_view text);

using StringSet = std::unordered_set<std::string, SeededStringHash, std::equal_to<>>;

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, SeededStringHash, std::equal_to<>>;

}  // namespace rmg
