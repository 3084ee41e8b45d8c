// libFuzzer target: answer extraction, parsing and equivalence on arbitrary bytes.
// The input is "gold <NUL> prediction" (no NUL: the same text on both sides). Any
// crash, sanitizer report, leak or hang past the timeout is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rmg/math_verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  const std::string_view gold = input.substr(0, split);
  const std::string_view prediction = split == std::string_view::npos ? input : input.substr(split + 1);
  rmg::MathVerifyOptions options;
  options.timeout_seconds = 1.0;
  options.strict = size % 2 == 0;  // both modes, chosen by the input
  rmg::VerifyMath(gold, prediction, options);
  return 0;
}
