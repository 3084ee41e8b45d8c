// The math answer parser: one LaTeX or plain-text answer -> one Expr (math/expr.h).
//
// Reading rules the comparer can rely on (see parser.cc for the details):
//  - Numbers are never evaluated: "025" stays kInteger "025", 2^{2^{100}} stays a tree,
//    4.5e33 is kMul(4.5, kPow(10, 33)). A leading minus is kNeg.
//  - Thousands: explicit LaTeX separators ({,} ,\! \,) always join 3-digit groups; a
//    plain comma run is one number only if it looks like 7,425,000 (first group 1-3
//    digits, then groups of exactly 3) and does not follow an opening bracket;
//    otherwise the commas make a list ("1,2", "27,54,108") or tuple ("(2,251,252)").
//  - `e` is kE and `i` is kI unless subscripted (e_1, i_k are symbols).
//  - f(x) is kApply when the name is f, g, h, F, G or H, carries a prime, or when the
//    parentheses hold a single symbol or integer or a comma list of them (x(t),
//    \theta(t), I(0), p(x, y)); otherwise it is a product (n(n+1), x(x-1)).
//  - (a, b) is a kTuple; it becomes an open kInterval when an endpoint is +-infinity,
//    when it takes part in \cup/\cap, or after \in. [a, b], (a, b], [a, b) are intervals.
//  - `x \in S` is read as S (the membership is dropped).
//  - A whole answer that is \text{...} (or \mbox, \textrm) is kText of its lower-cased,
//    trimmed content; so is a whole answer of plain words when a word has 4+ letters or
//    is one of a few short answer words (yes, no, odd, ...). Words after an operand are
//    units and are dropped (10\text{ cm} = 10, 15\mbox{ cm}^2 = 15).
//  - \sum, \prod: kFunction "sum"/"prod" {body, lower, upper} (lower as written, e.g.
//    the relation k = 0); \int: "int" {body, lower, upper} with dx kept in the body;
//    \lim_{x \to a}: "lim" {body, x, a}. Structural only.
//  - vmatrix is kFunction "det" {matrix}.
//  - Superscripts without braces take a whole number (x^23 = x^{23}, the plain-text
//    reading); \frac, \sqrt, \binom and subscripts take one character (\frac94 = 9/4,
//    x_12 = x_1 * 2) as LaTeX does. Two numbers side by side ("2 3") are an error.
//  - A whole number right before \frac, \dfrac or \tfrac of a proper fraction of whole
//    numbers is a mixed number: 2\frac{1}{2} = 2 + 1/2, -2\frac{1}{2} = -(2 + 1/2).
//  - Answers are separated by ',', ';', "and", "or", \quad, \text{ and }; the result is a
//    kList when there are several. "percent"/"pct" read as %, "degrees" as °.
//  - Plain-text words: unit words (cm, hours, dollars, ...) after an operand are
//    dropped; a free-standing upper-case word in math position is a product of symbols
//    ("SRAC = LRAC"); other words are prose and make the parse fail.
//  - Ignored: \left \right, sizing and spacing commands, \limits, \displaystyle, ~, \$,
//    and stray $, \( \) inside the answer; \boxed inside the answer is transparent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "math/expr.h"
#include "rmg/deadline.h"

namespace rmg::math {

struct ParseLimits {
  size_t max_length = 10000;  // bytes of input
  size_t max_depth = 100;     // nesting of groups/operators
  size_t max_nodes = 10000;   // nodes in the result
};

// Why ParseMath returned no Expr.
struct ParseError {
  std::string reason;  // short and human-readable
  // The text exceeds `ParseLimits` (length, nesting, nodes): it may well be math, so a
  // caller must not read a fragment of it as the answer instead.
  bool over_limit = false;
};

// Parses one answer into an Expr. Accepts LaTeX and plain text math; a surrounding
// $…$, $$…$$, \(…\), \[…\] or a whole-answer \boxed{…}/\fbox{…} is removed first.
// Returns std::nullopt and sets *error (`error` may be null) when the text is not math
// it understands or exceeds a limit. Throws only DeadlineExceeded. Thread-safe.
std::optional<Expr> ParseMath(std::string_view text, const Deadline& deadline, ParseError* error,
                              const ParseLimits& limits = {});

}  // namespace rmg::math
