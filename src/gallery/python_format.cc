#include "gallery/python_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace rmg::gallery {

std::string FormatFixed(double value, int digits) {
  if (std::isnan(value)) return "nan";  // Python drops the sign of a NaN
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (digits < 0) digits = 6;  // as printf's "%.*f" takes a negative precision
  // std::to_chars gives the same correctly rounded digits as printf (and Python), and
  // is several times faster; a reason text formats two or three numbers per sample.
  // The longest output is the 309 integer digits of DBL_MAX, a sign, a point and the
  // fraction.
  const size_t longest = 312 + static_cast<size_t>(digits);
  char on_stack[400];
  std::string on_heap(longest > sizeof on_stack ? longest : 0, '\0');
  char* const begin = on_heap.empty() ? on_stack : on_heap.data();
  char* const end = std::to_chars(begin, begin + longest, value, std::chars_format::fixed, digits).ptr;
  return std::string(begin, end);
}

std::string PythonFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // repr() uses the shortest round-trip digits, in positional notation for
  // exponents -4 <= e < 16 and scientific (two-digit exponent at least) otherwise.
  char digits[32];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::scientific);
  std::string sci(digits, end);
  const size_t e_pos = sci.find('e');
  const int exponent = std::stoi(sci.substr(e_pos + 1));
  std::string mantissa = sci.substr(0, e_pos);
  const bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string significant;
  for (char c : mantissa) {
    if (c != '.') significant.push_back(c);
  }
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + significant;
    } else if (static_cast<size_t>(exponent) + 1 >= significant.size()) {
      out += significant + std::string(static_cast<size_t>(exponent) + 1 - significant.size(), '0') + ".0";
    } else {
      out += significant.substr(0, static_cast<size_t>(exponent) + 1) + "." +
             significant.substr(static_cast<size_t>(exponent) + 1);
    }
    return out;
  }
  out += significant.substr(0, 1);
  if (significant.size() > 1) out += "." + significant.substr(1);
  char exp_text[16];
  std::snprintf(exp_text, sizeof exp_text, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out + exp_text;
}

}  // namespace rmg::gallery
