// A train/test split whose groups never straddle: every sample with the same
// group key (a dotted field of its JSON form, field_path.h; default unique_id,
// e.g. metadata.prompt_id for several samples of one prompt) lands on the same side.
//
// The algorithm, exactly (so that any implementation can reproduce a split):
//   1. The group key of a sample is the compact JSON text of the value at the
//      field (so "1" and 1 differ). The distinct keys are listed in the order in
//      which they first appear in the input.
//   2. That list is shuffled with a Fisher–Yates shuffle driven by
//      std::mt19937_64 seeded with `seed`: for i = n-1 down to 1, j = rng() % (i+1)
//      (rng() is the engine's next 64-bit output), swap(keys[i], keys[j]).
//   3. Walking the shuffled keys in order, a group goes to train while the train
//      side holds fewer than train_ratio × (number of grouped samples) samples; every later
//      group goes to test (records whose field is missing or null are on neither
//      side and are reported). So train is never smaller than the ratio asks, and is
//      over it by less than one group.
//   4. Each side keeps the samples' input order.
// std::mt19937_64's output is fixed by the C++ standard, and the shuffle avoids
// std::uniform_int_distribution (whose output is not), so a seed gives the same
// split with every standard library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rmg/schema.h"

namespace rmg {

struct SplitOptions {
  double train_ratio = 0.8;            // in [0, 1]
  std::string group_by = "unique_id";  // dotted field path
  uint64_t seed = 42;
};

struct SplitResult {
  std::vector<size_t> train;  // indices into the records, ascending
  std::vector<size_t> test;
  size_t groups = 0;  // distinct group keys among the records that have one
  // Records whose group field is missing or null, ascending; they are on neither side.
  std::vector<size_t> ungrouped;
};

// Step 2 on its own: the order in which `n` groups are taken.
std::vector<size_t> ShuffledOrder(size_t n, uint64_t seed);

// Splits `records` (DataSamples' JSON forms) by the algorithm above. Throws
// std::invalid_argument when the ratio is outside [0, 1] or group_by is empty.
SplitResult SplitByGroup(const std::vector<Json>& records, const SplitOptions& options);

}  // namespace rmg
