// Evaluating an expression tree to a number: exactly (a rational) when it is
// rational-valued and small enough, otherwise as a complex ball at given values of
// its symbols. Every operation is size-checked before it runs, so absurd inputs
// (2^{2^{2^{100}}}, (10^{10^{10}})!) answer kTooLarge quickly instead of computing.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "math/expr.h"
#include "math/number.h"
#include "rmg/deadline.h"

namespace rmg::math {

enum class EvalStatus {
  kOk,
  kUndefined,    // e.g. division by zero, log 0, a pole: the value does not exist here
  kTooLarge,     // past the size limits: refused rather than computed
  kUnsupported,  // not a number (sets, relations, text), or not exact (for the exact path)
};

// Readings of the two postfix units, which are ambiguous in answers.
struct ValueRules {
  bool percent_as_fraction = true;  // 28% is 0.28 (else 28)
  bool degrees_as_radians = false;  // 90° is pi/2 (else 90)
};

// Trees deeper than this are not evaluated (kTooLarge): recursion stays shallow.
constexpr int kMaxEvalDepth = 400;

// Computes the exact rational value of `expr`. kUnsupported when the value is not
// provably rational by plain arithmetic (symbols, sqrt, pi, ...).
// Limits: integer powers with results up to ~1e6 bits, n! for n <= 10^4.
EvalStatus EvaluateExact(const Expr& expr, const ValueRules& rules, const Deadline& deadline,
                         Rational* out);

// Values of symbols at one evaluation point, by name.
using Point = std::map<std::string, Ball>;

// Computes a ball containing the value of `expr` at `point` with `prec` bits of working
// precision. Symbols missing from `point` make it kUnsupported. Unknown functions
// (kApply) are read as fixed pseudo-random smooth functions of their name, so that
// f(x+1) and f(1+x) agree while f(x) and g(x) do not.
EvalStatus EvaluateBall(const Expr& expr, const Point& point, const ValueRules& rules, long prec,
                        const Deadline& deadline, Ball* out);

// Adds the names of the kSymbol leaves of `expr` to *names.
void CollectSymbols(const Expr& expr, std::set<std::string>* names);

// Depth of the tree (a leaf has depth 1), computed without recursion.
size_t TreeDepth(const Expr& expr);

// True when some node of `expr` has operator `op`.
bool ContainsOp(const Expr& expr, Op op);

// True when `expr` applies the known function `name` (a kFunction node) somewhere.
bool ContainsFunction(const Expr& expr, std::string_view name);

}  // namespace rmg::math
