// Test inputs: long texts of pseudo-random lower-case letters, the same on every run,
// for the tests that need a lot of work without structure (deadline tests).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rmg::testing {

// `size` letters a-z without spaces; `seed` chooses the text.
inline std::string RandomLetters(size_t size, uint32_t seed) {
  std::string text;
  text.reserve(size);
  for (uint32_t x = seed; text.size() < size;) {
    x = x * 1103515245u + 12345u;  // a linear congruential step; the high bits pick the letter
    text.push_back(static_cast<char>('a' + (x >> 16) % 26));
  }
  return text;
}

}  // namespace rmg::testing
