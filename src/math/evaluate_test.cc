#include "math/evaluate.h"

#include <gtest/gtest.h>

#include "math/ball.h"
#include "math/test_builders.h"

namespace rmg::math {
namespace {

using namespace testing;  // NOLINT: the builders are the point of these tests

Rational Exact(const Expr& e, EvalStatus expected = EvalStatus::kOk) {
  Rational r;
  EXPECT_EQ(EvaluateExact(e, ValueRules{}, Deadline::Never(), &r), expected);
  return r;
}

EvalStatus BallStatus(const Expr& e, Ball* out, const Point& point = {}) {
  return EvaluateBall(e, point, ValueRules{}, 128, Deadline::Never(), out);
}

TEST(EvaluateTest, ExactArithmetic) {
  EXPECT_EQ(Exact(Add({Int("1"), Div(Int("1"), Int("3"))})), Rational(4, 3));
  EXPECT_EQ(Exact(Mul({Dec("0.5"), Int("4")})), Rational(2, 1));
  EXPECT_EQ(Exact(Pow(Int("2"), Neg(Int("3")))), Rational(1, 8));
  EXPECT_EQ(Exact(Fact(Int("5"))), Rational(120, 1));
  EXPECT_EQ(Exact(Percent(Int("28"))), Rational(7, 25));
  EXPECT_EQ(Exact(Fn("binomial", {Int("5"), Int("2")})), Rational(10, 1));
  EXPECT_EQ(Exact(Fn("gcd", {Int("12"), Int("18")})), Rational(6, 1));
  EXPECT_EQ(Exact(Fn("floor", {Div(Neg(Int("7")), Int("2"))})), Rational(-4, 1));
  EXPECT_EQ(Exact(Degrees(Int("90"))), Rational(90, 1));
}

TEST(EvaluateTest, ExactSaysWhyNot) {
  Exact(Div(Int("1"), Int("0")), EvalStatus::kUndefined);
  Exact(Fn("sqrt", {Int("2")}), EvalStatus::kUnsupported);
  Exact(Sym("x"), EvalStatus::kUnsupported);
  Exact(Pow(Int("2"), Div(Int("1"), Int("2"))), EvalStatus::kUnsupported);
  Exact(Pow(Int("3"), Pow(Int("10"), Int("10"))), EvalStatus::kTooLarge);
  Exact(Fact(Int("100000")), EvalStatus::kTooLarge);
}

TEST(EvaluateTest, ExactBigButBounded) {
  const Rational a = Exact(Div(Int("1"), Fact(Int("2004"))));
  const Rational b = Exact(Div(Int("1"), Fact(Int("2006"))));
  EXPECT_FALSE(a == b);
  EXPECT_EQ(Exact(Pow(Int("1"), Pow(Int("10"), Int("100")))), Rational(1, 1));
}

TEST(EvaluateTest, BallFunctions) {
  Ball v, expected;
  ASSERT_EQ(BallStatus(Add({Pow(Fn("sin", {Int("2")}), Int("2")), Pow(Fn("cos", {Int("2")}), Int("2"))}), &v),
            EvalStatus::kOk);
  SetDouble(1, &expected);
  EXPECT_EQ(CompareBalls(v, expected, 128), BallOrder::kEqual);
  // sqrt(-4) = 2i
  ASSERT_EQ(BallStatus(Fn("sqrt", {Neg(Int("4"))}), &v), EvalStatus::kOk);
  SetDouble(0, 2, &expected);
  EXPECT_EQ(CompareBalls(v, expected, 128), BallOrder::kEqual);
  // Odd roots of negatives are real.
  ASSERT_EQ(BallStatus(Fn("root", {Neg(Int("8")), Int("3")}), &v), EvalStatus::kOk);
  SetDouble(-2, &expected);
  EXPECT_EQ(CompareBalls(v, expected, 128), BallOrder::kEqual);
  // log base 2 of 8
  ASSERT_EQ(BallStatus(Fn("log", {Int("8"), Int("2")}), &v), EvalStatus::kOk);
  SetDouble(3, &expected);
  EXPECT_EQ(CompareBalls(v, expected, 128), BallOrder::kEqual);
}

TEST(EvaluateTest, BallSymbolsAndUnknownFunctions) {
  Point point;
  SetDouble(1.25, &point["x"]);
  Ball a, b;
  ASSERT_EQ(BallStatus(Apply("f", {Add({Sym("x"), Int("1")})}), &a, point), EvalStatus::kOk);
  ASSERT_EQ(BallStatus(Apply("f", {Add({Int("1"), Sym("x")})}), &b, point), EvalStatus::kOk);
  EXPECT_EQ(CompareBalls(a, b, 128), BallOrder::kEqual);
  ASSERT_EQ(BallStatus(Apply("g", {Add({Int("1"), Sym("x")})}), &b, point), EvalStatus::kOk);
  EXPECT_EQ(CompareBalls(a, b, 128), BallOrder::kDifferent);
  EXPECT_EQ(BallStatus(Sym("y"), &a, point), EvalStatus::kUnsupported);
}

TEST(EvaluateTest, BallRefusesTowers) {
  Ball v;
  const Expr tower = Pow(Int("2"), Pow(Int("2"), Pow(Int("2"), Int("100"))));
  EXPECT_EQ(BallStatus(tower, &v), EvalStatus::kTooLarge);
  const Expr huge_factorial = Fact(Pow(Int("10"), Pow(Int("10"), Int("10"))));
  EXPECT_EQ(BallStatus(huge_factorial, &v), EvalStatus::kTooLarge);
  EXPECT_EQ(BallStatus(Fn("exp", {Fn("exp", {Int("1000")})}), &v), EvalStatus::kTooLarge);
  EXPECT_EQ(BallStatus(Fn("sin", {Pow(Int("10"), Int("100"))}), &v), EvalStatus::kTooLarge);
  // Large but representable.
  EXPECT_EQ(BallStatus(Fact(Pow(Int("10"), Int("12"))), &v), EvalStatus::kOk);
}

TEST(EvaluateTest, BallUndefined) {
  Ball v;
  EXPECT_EQ(BallStatus(Div(Int("1"), Int("0")), &v), EvalStatus::kUndefined);
  EXPECT_EQ(BallStatus(Fn("ln", {Int("0")}), &v), EvalStatus::kUndefined);
}

TEST(EvaluateTest, TreeHelpers) {
  Expr deep = DeepSum(10000);
  EXPECT_EQ(TreeDepth(deep), 10001u);
  Rational r;
  EXPECT_EQ(EvaluateExact(deep, ValueRules{}, Deadline::Never(), &r), EvalStatus::kTooLarge);
  std::set<std::string> names;
  CollectSymbols(Add({Sym("x"), Apply("f", {Sym("y")})}), &names);
  EXPECT_EQ(names, (std::set<std::string>{"x", "y"}));
  EXPECT_TRUE(ContainsOp(Add({Int("1"), Dec("0.5")}), Op::kDecimal));
  Dismantle(&deep);
}

}  // namespace
}  // namespace rmg::math
