// Matrix arithmetic on expression trees: answers like "A + B" or "I \cdot I" written
// with explicit matrices are folded into the one matrix they denote, entry by entry,
// so that the comparer can match them against a gold matrix.
#pragma once

#include <optional>

#include "math/expr.h"

namespace rmg::math {

// The kMatrix that `expr` denotes when it is a matrix, or a sum, negation or product
// of matrices and scalars with compatible shapes; nullopt otherwise, including when
// the result would have more than ~10^4 entries, need more than ~10^6 products, or
// have more than 100 nodes per node of `expr` or 2^16 nodes, whichever is more (a
// chain of products grows exponentially).
// Entries are unevaluated trees: the comparer decides their values.
std::optional<Expr> FoldMatrix(const Expr& expr);

}  // namespace rmg::math
