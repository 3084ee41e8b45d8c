// The expression tree of the math verifier: what the parser builds from a LaTeX or
// plain-text answer and what the comparer decides equivalence on. One node type with
// value semantics; the operator says how to read `text` and `args`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rmg::math {

enum class Op : uint8_t {
  // Leaves.
  kInteger,   // text: the decimal digits, no sign ("025" keeps its zeros; value 25)
  kDecimal,   // text: digits with one '.', no sign, e.g. "0.25", ".5", "3." (exact value 1/4 ...);
              // kept apart from kInteger so that float_rounding applies to it
  kSymbol,    // text: the name: "x", "x_1", "alpha" (Greek letters without the backslash),
              // "f'" — subscripts are part of the name
  kPi,
  kE,         // Euler's number (a lone `e`, `\mathrm{e}`, `\exp(1)`)
  kI,         // the imaginary unit (a lone `i`)
  kInfinity,  // ∞; negative infinity is kNeg(kInfinity)
  kEmptySet,
  kText,      // text: an answer that is words, not math, lower-cased and trimmed ("yes", "east")

  // Arithmetic. Subtraction is kAdd(a, kNeg(b)).
  kAdd,        // n-ary sum, args.size() >= 2
  kNeg,        // -args[0]
  kMul,        // n-ary product (explicit or implicit), args.size() >= 2
  kDiv,        // args[0] / args[1] (\frac, /, \div)
  kPow,        // args[0] ^ args[1]
  kFactorial,  // args[0]!
  kPercent,    // args[0] % (value args[0] / 100)
  kDegrees,    // args[0] ° (^\circ, \degree); the comparer decides how degrees compare
  kFunction,   // text: a known function, args its arguments (see below)
  kApply,      // text: an unknown function's name ("f"), args its arguments: f(x, y)

  // Structures.
  kTuple,      // (a, b, ...), args.size() >= 2
  kList,       // a bare comma list "1, 2, 3" (no brackets), args.size() >= 2
  kSet,        // {a, b, ...}; args may be empty ({} is also kEmptySet)
  kInterval,   // args {low, high}; left_closed / right_closed
  kUnion,      // n-ary ∪ of sets and intervals
  kIntersection,  // n-ary ∩
  kPlusMinus,  // args {a, b}: a ± b, the set {a + b, a - b}; a lone ±b has a = kInteger "0"
  kMatrix,     // rows x cols, args in row-major order; a column vector is cols == 1
  kRelation,   // a chain a R1 b R2 c ...: args the n >= 2 operands, relations the n-1 operators
};

// Known functions (kFunction.text) and their args:
//   sin cos tan cot sec csc, arcsin arccos arctan arccot arcsec arccsc (from \arcsin,
//   \sin^{-1}, asin), sinh cosh tanh coth sech csch, arsinh arcosh artanh,
//   exp {x}, ln {x}, log {x} (natural, as sympy reads it) or log {x, base} (\log_b x,
//   \log_{10} x), sqrt {x} or root {x, n}
//   (\sqrt[n]{x}), abs {x} (|x|, \left| x \right|), floor {x}, ceil {x},
//   binomial {n, k} (\binom, \dbinom, \tbinom, C(n,k) is kApply), gcd {...}, lcm {...},
//   max {...}, min {...}, conjugate {x}, re {x}, im {x}.
// The parser also produces, for structural comparison only: sgn {x}, det {matrix}
// (vmatrix), sum/prod {body, lower, upper} (\sum_{k=0}^{n} ...; lower as written, e.g.
// the relation k = 0; upper or both may be missing), int {body, lower, upper} (dx stays
// in the body as a product), lim {body, variable, target}.
enum class Rel : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kApprox };

struct Expr {
  Op op = Op::kInteger;
  std::string text;
  std::vector<Expr> args;
  std::vector<Rel> relations;  // kRelation only
  bool left_closed = false;    // kInterval only
  bool right_closed = false;   // kInterval only
  uint32_t rows = 0, cols = 0;  // kMatrix only
};

// A readable, unambiguous rendering for reasons and test failures: plain infix with
// full parentheses, e.g. "(x + (-1))", "sqrt(2)", "{1, 2}", "[0, 1)", "x <= 7".
std::string ToString(const Expr& expr);

// Number of nodes in the tree (the size that work limits are stated in).
size_t NodeCount(const Expr& expr);

}  // namespace rmg::math
