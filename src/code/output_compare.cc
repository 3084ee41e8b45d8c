#include "code/output_compare.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace rmg::code {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Lines without trailing whitespace, trailing empty lines removed.
std::vector<std::string_view> NormalizedLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<std::string_view> Tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

// [+-]? digits [. digits?] | . digits, then an optional exponent: the decimal
// numerals only (strtod alone would also take "nan", "inf" and hex floats).
bool ParseDecimal(std::string_view token, double* value) {
  size_t i = 0;
  if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
  size_t digits = 0;
  while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i, ++digits;
  if (i < token.size() && token[i] == '.') {
    ++i;
    while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (i != token.size()) return false;
  const std::string copy(token);
  *value = std::strtod(copy.c_str(), nullptr);
  return true;
}

// An integer numeral ([+-]? digits) with its sign and leading zeros normalised, so
// that "+007" and "7", "-0" and "0" give the same text; nullopt for anything else.
std::optional<std::string> IntegerText(std::string_view token) {
  bool negative = false;
  if (!token.empty() && (token[0] == '+' || token[0] == '-')) {
    negative = token[0] == '-';
    token.remove_prefix(1);
  }
  if (token.empty()) return std::nullopt;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  while (token.size() > 1 && token[0] == '0') token.remove_prefix(1);
  if (token == "0") negative = false;
  return (negative ? "-" : "") + std::string(token);
}

bool NumbersClose(double a, double b) {
  if (a == b) return true;
  if (std::isnan(a) || std::isnan(b)) return false;
  const double diff = std::fabs(a - b);
  return diff <= kFloatTolerance || diff <= kFloatTolerance * std::fabs(b);
}

// A JSON value as a Python number: ints, floats and booleans (True == 1).
bool AsNumber(const Json& value, double* number) {
  if (value.is_boolean()) {
    *number = value.get<bool>() ? 1.0 : 0.0;
    return true;
  }
  if (value.is_number()) {
    *number = value.get<double>();
    return true;
  }
  return false;
}

}  // namespace

bool StdoutMatches(std::string_view actual, std::string_view expected) {
  if (NormalizedLines(actual) == NormalizedLines(expected)) return true;
  const std::vector<std::string_view> got = Tokens(actual);
  const std::vector<std::string_view> want = Tokens(expected);
  if (got.size() != want.size()) return false;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] == want[i]) continue;
    // Two integers agree only exactly: a relative tolerance would let an answer modulo
    // 10^9+7 be off by a thousand.
    const std::optional<std::string> got_integer = IntegerText(got[i]);
    const std::optional<std::string> want_integer = IntegerText(want[i]);
    if (got_integer && want_integer) {
      if (*got_integer != *want_integer) return false;
      continue;
    }
    double a = 0, b = 0;
    if (!ParseDecimal(got[i], &a) || !ParseDecimal(want[i], &b) || !NumbersClose(a, b)) return false;
  }
  return true;
}

bool JsonValuesMatch(const Json& actual, const Json& expected) {
  double a = 0, b = 0;
  if (AsNumber(actual, &a) && AsNumber(expected, &b)) {
    // Large integers compare exactly: a double would make 2**60 equal 2**60 + 1.
    if (actual.is_number_integer() && expected.is_number_integer()) return actual.dump() == expected.dump();
    return NumbersClose(a, b);
  }
  if (actual.type() != expected.type()) return false;
  if (actual.is_array()) {
    if (actual.size() != expected.size()) return false;
    for (size_t i = 0; i < actual.size(); ++i) {
      if (!JsonValuesMatch(actual[i], expected[i])) return false;
    }
    return true;
  }
  if (actual.is_object()) {
    if (actual.size() != expected.size()) return false;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      const auto found = actual.find(it.key());
      if (found == actual.end() || !JsonValuesMatch(*found, it.value())) return false;
    }
    return true;
  }
  return actual == expected;
}

bool CallResultMatches(const Json& actual, const Json& expected) {
  if (JsonValuesMatch(actual, expected)) return true;
  return expected.is_array() && expected.size() == 1 && JsonValuesMatch(actual, expected[0]);
}

}  // namespace rmg::code
