// Equality of two scalar expressions (numbers, arithmetic, functions, symbols):
// the numeric core of Equivalent (compare.h).
#pragma once

#include "math/compare.h"
#include "math/expr.h"
#include "rmg/deadline.h"

namespace rmg::math {

// True when the two scalars are provably equal (see compare.h for the rules).
// Anything not provable — values too large, undefined, or balls too wide even at
// high precision — is false; `*too_large` (when given) is set when a value was past
// the size limits, or when nothing showed the values different but the balls stayed too
// wide at the highest precision, so that false means "could not decide" rather than
// "different".
// Throws only DeadlineExceeded.
bool ScalarsEqual(const Expr& gold, const Expr& prediction, const CompareOptions& options,
                  const Deadline& deadline, bool* too_large = nullptr);

// True when a = k * b for one constant k != 0 at every test point (k > 0 when
// `positive_factor`), b not identically zero: equations lhs - rhs = 0 that say the same.
bool Proportional(const Expr& a, const Expr& b, bool positive_factor, const CompareOptions& options,
                  const Deadline& deadline);

// True when `expr` contains no symbol (its value is one number).
bool IsConstant(const Expr& expr);

}  // namespace rmg::math
