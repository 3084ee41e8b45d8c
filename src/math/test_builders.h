// Tests only: short builders for expression trees, so a test reads like the LaTeX
// it stands for: Div(Int("1"), Fn("sqrt", {Sym("n")})) is \frac{1}{\sqrt{n}}.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "math/expr.h"

namespace rmg::math::testing {

inline Expr Leaf(Op op, std::string text = "") {
  Expr e;
  e.op = op;
  e.text = std::move(text);
  return e;
}
inline Expr N(Op op, std::vector<Expr> args, std::string text = "") {
  Expr e = Leaf(op, std::move(text));
  e.args = std::move(args);
  return e;
}
inline Expr Int(const std::string& digits) { return Leaf(Op::kInteger, digits); }
inline Expr Dec(const std::string& digits) { return Leaf(Op::kDecimal, digits); }
inline Expr Sym(const std::string& name) { return Leaf(Op::kSymbol, name); }
inline Expr Text(const std::string& words) { return Leaf(Op::kText, words); }
inline Expr Pi() { return Leaf(Op::kPi); }
inline Expr E() { return Leaf(Op::kE); }
inline Expr I() { return Leaf(Op::kI); }
inline Expr Inf() { return Leaf(Op::kInfinity); }
inline Expr Add(std::vector<Expr> args) { return N(Op::kAdd, std::move(args)); }
inline Expr Mul(std::vector<Expr> args) { return N(Op::kMul, std::move(args)); }
inline Expr Neg(Expr a) { return N(Op::kNeg, {std::move(a)}); }
inline Expr Sub(Expr a, Expr b) { return Add({std::move(a), Neg(std::move(b))}); }
inline Expr Div(Expr a, Expr b) { return N(Op::kDiv, {std::move(a), std::move(b)}); }
inline Expr Pow(Expr a, Expr b) { return N(Op::kPow, {std::move(a), std::move(b)}); }
inline Expr Fact(Expr a) { return N(Op::kFactorial, {std::move(a)}); }
inline Expr Percent(Expr a) { return N(Op::kPercent, {std::move(a)}); }
inline Expr Degrees(Expr a) { return N(Op::kDegrees, {std::move(a)}); }
inline Expr Fn(const std::string& name, std::vector<Expr> args) {
  return N(Op::kFunction, std::move(args), name);
}
inline Expr Apply(const std::string& name, std::vector<Expr> args) {
  return N(Op::kApply, std::move(args), name);
}
inline Expr Tuple(std::vector<Expr> args) { return N(Op::kTuple, std::move(args)); }
inline Expr List(std::vector<Expr> args) { return N(Op::kList, std::move(args)); }
inline Expr Set(std::vector<Expr> args) { return N(Op::kSet, std::move(args)); }
inline Expr Union(std::vector<Expr> args) { return N(Op::kUnion, std::move(args)); }
inline Expr PlusMinus(Expr a, Expr b) { return N(Op::kPlusMinus, {std::move(a), std::move(b)}); }
inline Expr Interval(Expr low, Expr high, bool left_closed, bool right_closed) {
  Expr e = N(Op::kInterval, {std::move(low), std::move(high)});
  e.left_closed = left_closed;
  e.right_closed = right_closed;
  return e;
}
inline Expr Matrix(uint32_t rows, uint32_t cols, std::vector<Expr> entries) {
  Expr e = N(Op::kMatrix, std::move(entries));
  e.rows = rows;
  e.cols = cols;
  return e;
}
// Relation(a, Rel::kLe, b, Rel::kLt, c) is a <= b < c.
inline void AddRelationParts(Expr*) {}
template <typename... Rest>
void AddRelationParts(Expr* e, Rel rel, Expr next, Rest... rest) {
  e->relations.push_back(rel);
  e->args.push_back(std::move(next));
  AddRelationParts(e, rest...);
}
template <typename... Rest>
Expr Relation(Expr first, Rest... rest) {
  Expr e = N(Op::kRelation, {std::move(first)});
  AddRelationParts(&e, rest...);
  return e;
}
inline Expr Eq(Expr a, Expr b) { return Relation(std::move(a), Rel::kEq, std::move(b)); }

// ((1 + 1) + 1) + ... nested `depth` times, built without copying.
inline Expr DeepSum(int depth) {
  Expr deep = Int("1");
  for (int i = 0; i < depth; i++) {
    Expr next = Leaf(Op::kAdd);
    next.args.push_back(std::move(deep));
    next.args.push_back(Int("1"));
    deep = std::move(next);
  }
  return deep;
}

// Takes a deep chain apart from the top, so that ~Expr never recurses deeply.
inline void Dismantle(Expr* e) {
  while (!e->args.empty()) {
    Expr child = std::move(e->args[0]);
    *e = std::move(child);
  }
}

}  // namespace rmg::math::testing
