// The equivalence decision of the math verifier: is a predicted answer tree
// mathematically equal to the gold one, under Math-Verify's (asymmetric) rules?
//
// Summary of the rules (details in compare.cc and scalar_compare.cc):
//  - Scalars: exact rationals when both sides are rational-valued; otherwise complex
//    balls at pseudo-random points (symbols in (0.5, 2.5), and in (-2.5, -0.5) too
//    when a side has an absolute value; same value for the same name on both
//    sides). "Equal" needs proof at every point up to the working
//    precision; anything unprovable (too large, undefined, too wide) is "not equal".
//  - What evaluation does not know (a sum up to a symbol, an integral, a limit) is
//    compared by structure, with the terms of sums and the factors of products in one order.
//  - A written decimal on a constant side: both values are rounded half away from
//    zero to float_rounding decimal places and the rounded values compared.
//  - Percent: 28% equals 0.28 and 28. Degrees: 90° equals 90 and pi/2, but in the
//    argument of sin, cos, tan, cot, sec or csc only an angle (sin 30° is 1/2).
//  - 2\frac{1}{2} is the mixed number 5/2 (parser.h).
//  - Sets and bare lists are unordered sets (a tuple facing a set is read as a set);
//    tuples and matrices are ordered; a ± b is the set {a + b, a - b}; intervals by
//    endpoints and closedness; unions as sets of their parts. Sums and products of
//    explicit matrices are folded into one matrix first (matrix.h).
//  - Relations: chains a = b = c compare by their first and last operand (an
//    \approx ends the chain); a gold "x = v" (lone symbol on the left or constant on
//    the right) accepts v; a predicted "lhs = v" is read as v against a non-relation;
//    two equations are equal when lhs - rhs agree up to a nonzero constant factor
//    (a positive one for inequalities); x > 5 is 5 < x. A gold inequality accepts the
//    interval it describes; the reverse only with allow_set_relation_comp.
//  - Words: lower-cased, trimmed, outer parentheses dropped; a word equals symbols
//    spelling it (\text{E} vs E, \text{e} vs the constant e). With strict, symbol
//    names must match and words are never numbers; without, symbols may be renamed
//    one-to-one and a word that reads as a number is that number.
#pragma once

#include "math/expr.h"
#include "rmg/deadline.h"

namespace rmg::math {

struct CompareOptions {
  int float_rounding = 6;
  bool strict = true;
  bool allow_set_relation_comp = false;
};

enum class Equivalence {
  kEqual,
  kNotEqual,
  kTooLarge,  // not shown equal, and some value was past the size limits (or the
              // trees too deep to evaluate): undecided rather than different
};

// Whether `prediction` is mathematically equal to `gold` under Math-Verify's rules,
// which are asymmetric (gold first). Throws only DeadlineExceeded.
Equivalence Compare(const Expr& gold, const Expr& prediction, const CompareOptions& options,
                    const Deadline& deadline);

// Compare(...) == Equivalence::kEqual.
bool Equivalent(const Expr& gold, const Expr& prediction, const CompareOptions& options,
                const Deadline& deadline);

// Same node for node (operators, texts, flags), compared without recursion, so any
// depth is fine. The comparer's answer for trees too deep to evaluate.
bool StructurallyEqual(const Expr& a, const Expr& b, const Deadline& deadline);

// Same node for node once the terms of every sum and the factors of every product without a
// matrix are put in one order. What decides trees that cannot be evaluated, such as a sum
// up to a symbol: \sum_{k=0}^{n} F_k F_{n-k} equals \sum_{k=0}^{n} F_{n-k} F_k, as in
// sympy, whose sums and products keep their arguments sorted. Recurses: the trees must be
// no deeper than kMaxEvalDepth.
bool EqualUpToOrder(const Expr& a, const Expr& b, const Deadline& deadline);

}  // namespace rmg::math
