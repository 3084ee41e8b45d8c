#include "math/expr.h"

#include <gtest/gtest.h>

namespace rmg::math {
namespace {

Expr Int(const char* digits) {
  Expr e;
  e.op = Op::kInteger;
  e.text = digits;
  return e;
}

Expr Sym(const char* name) {
  Expr e;
  e.op = Op::kSymbol;
  e.text = name;
  return e;
}

Expr Make(Op op, std::vector<Expr> args) {
  Expr e;
  e.op = op;
  e.args = std::move(args);
  return e;
}

TEST(ExprTest, ToStringArithmetic) {
  EXPECT_EQ(ToString(Make(Op::kAdd, {Sym("x"), Make(Op::kNeg, {Int("1")})})), "(x + (-1))");
  EXPECT_EQ(ToString(Make(Op::kMul, {Int("2"), Sym("x")})), "(2 * x)");
  EXPECT_EQ(ToString(Make(Op::kDiv, {Int("1"), Int("3")})), "(1 / 3)");
  EXPECT_EQ(ToString(Make(Op::kPow, {Sym("x"), Int("2")})), "(x ^ 2)");
  EXPECT_EQ(ToString(Make(Op::kFactorial, {Sym("n")})), "(n!)");
  EXPECT_EQ(ToString(Make(Op::kPercent, {Int("28")})), "(28%)");
  EXPECT_EQ(ToString(Make(Op::kDegrees, {Int("90")})), "(90°)");
  EXPECT_EQ(ToString(Make(Op::kPlusMinus, {Int("1"), Sym("x")})), "(1 ± x)");
}

TEST(ExprTest, ToStringLeavesAndStructures) {
  Expr pi;
  pi.op = Op::kPi;
  EXPECT_EQ(ToString(pi), "pi");
  Expr text;
  text.op = Op::kText;
  text.text = "even";
  EXPECT_EQ(ToString(text), "\"even\"");
  Expr sqrt = Make(Op::kFunction, {Int("2")});
  sqrt.text = "sqrt";
  EXPECT_EQ(ToString(sqrt), "sqrt(2)");
  EXPECT_EQ(ToString(Make(Op::kSet, {Int("1"), Int("2")})), "{1, 2}");
  EXPECT_EQ(ToString(Make(Op::kSet, {})), "{}");
  EXPECT_EQ(ToString(Make(Op::kTuple, {Int("1"), Int("2")})), "(1, 2)");
  EXPECT_EQ(ToString(Make(Op::kList, {Int("1"), Int("2")})), "1, 2");
  Expr interval = Make(Op::kInterval, {Int("0"), Int("1")});
  interval.left_closed = true;
  EXPECT_EQ(ToString(interval), "[0, 1)");
  Expr relation = Make(Op::kRelation, {Sym("x"), Int("7")});
  relation.relations = {Rel::kLe};
  EXPECT_EQ(ToString(relation), "x <= 7");
  Expr matrix = Make(Op::kMatrix, {Int("1"), Int("2"), Int("3"), Int("4")});
  matrix.rows = 2;
  matrix.cols = 2;
  EXPECT_EQ(ToString(matrix), "[[1, 2], [3, 4]]");
}

TEST(ExprTest, NodeCount) {
  EXPECT_EQ(NodeCount(Int("1")), 1u);
  EXPECT_EQ(NodeCount(Make(Op::kAdd, {Sym("x"), Make(Op::kNeg, {Int("1")})})), 4u);
}

TEST(ExprTest, NodeCountOfDeepTreeDoesNotRecurse) {
  Expr e = Int("1");
  for (int i = 0; i < 20000; ++i) {
    Expr parent;
    parent.op = Op::kNeg;
    parent.args.push_back(std::move(e));
    e = std::move(parent);
  }
  EXPECT_EQ(NodeCount(e), 20001u);
  // Take the chain apart from the top so that the destructor does not recurse deeply.
  while (!e.args.empty()) {
    Expr child = std::move(e.args[0]);
    e = std::move(child);
  }
}

}  // namespace
}  // namespace rmg::math
