// Comparing what a program produced with what a test expects, as the peers do.
#pragma once

#include <string_view>

#include "rmg/schema.h"

namespace rmg::code {

// Two numbers agree when |a - b| <= 1e-6 or |a - b| <= 1e-6 * |b|.
inline constexpr double kFloatTolerance = 1e-6;

// Stdout against the expected output: equal once trailing whitespace is stripped
// from every line and trailing blank lines are dropped ("\r\n" counts as "\n");
// failing that, equal token by token (split on whitespace), where two tokens agree
// when they are the same text, both integers of the same value ("007" and "7"), or
// both decimal numbers, one of them not an integer, within kFloatTolerance.
bool StdoutMatches(std::string_view actual, std::string_view expected);

// A call's return value (as JSON) against the expected value, with Python's `==`
// on JSON-decoded values: lists and objects element-wise (a tuple became a list),
// numbers numerically within kFloatTolerance (so 2 == 2.0), booleans equal to 1/0
// as in Python, strings exactly.
bool JsonValuesMatch(const Json& actual, const Json& expected);

// JsonValuesMatch, or — the APPS convention for call tests — the expected value is
// a one-element list holding the value (outputs stored as [value]).
bool CallResultMatches(const Json& actual, const Json& expected);

}  // namespace rmg::code
