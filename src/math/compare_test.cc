// Equivalent(): one test per rule of compare.h. Pairs quoted as LaTeX come from
// Math-Verify's test cases (mathverify_cases.jsonl) or from the brief's must-get-right
// list; the trees are what the parser is expected to build for them.
#include "math/compare.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "math/number.h"
#include "math/test_builders.h"

namespace rmg::math {
namespace {

using namespace testing;  // NOLINT: the builders are the point of these tests

bool Same(const Expr& gold, const Expr& pred, CompareOptions options = {}) {
  return Equivalent(gold, pred, options, Deadline::Never());
}

CompareOptions Rounding(int digits) {
  CompareOptions o;
  o.float_rounding = digits;
  return o;
}

Expr Sqrt(Expr a) { return Fn("sqrt", {std::move(a)}); }
Expr Frac(int p, int q) { return Div(Int(std::to_string(p)), Int(std::to_string(q))); }

TEST(CompareTest, ExactRationals) {
  EXPECT_TRUE(Same(Frac(10, 9), Div(Int("10"), Int("9"))));
  EXPECT_TRUE(Same(Int("10"), Add({Int("9"), Int("1")})));
  EXPECT_TRUE(Same(Tuple({Int("1"), Frac(9, 2)}), Tuple({Int("1"), Dec("4.5")})));
  EXPECT_TRUE(Same(Int("7425000"), Int("7425000")));
  EXPECT_TRUE(Same(Dec("1000.99"), Dec("1000.990")));
  EXPECT_FALSE(Same(Div(Int("1"), Fact(Int("2004"))), Div(Int("1"), Fact(Int("2006")))));
  EXPECT_FALSE(Same(Div(Int("1"), Pow(Int("2"), Int("99"))), Div(Int("1"), Pow(Int("2"), Int("98")))));
  EXPECT_TRUE(Same(Fn("binomial", {Int("6"), Int("3")}), Int("20")));
}

TEST(CompareTest, DecimalsRoundToFloatRounding) {
  // gold 1/3 vs 0.3333 with precision 4; 8/3 vs 2.6667 with precision 2.
  EXPECT_TRUE(Same(Frac(1, 3), Dec("0.3333"), Rounding(4)));
  EXPECT_FALSE(Same(Frac(1, 3), Dec("0.3333"), Rounding(6)));
  // Below 1, float_rounding counts significant digits: 1e-8 and 1.24e-8 differ (both
  // are 0 at six decimal places, Math-Verify's reading), 1.24e-8 and 0.0000000124 agree.
  EXPECT_FALSE(Same(Pow(Int("10"), Neg(Int("8"))), Mul({Dec("1.24"), Pow(Int("10"), Neg(Int("8")))})));
  EXPECT_TRUE(Same(Dec("0.0000000124"), Mul({Dec("1.24"), Pow(Int("10"), Neg(Int("8")))})));
  EXPECT_TRUE(Same(Frac(1, 3000), Dec("0.000333333")));
  EXPECT_FALSE(Same(Frac(1, 3000), Dec("0.000333")));
  EXPECT_TRUE(Same(Interval(Frac(3, 5), Frac(8, 3), false, true),
                   Interval(Dec("0.6"), Dec("2.6667"), false, true), Rounding(2)));
  // Irrational gold: sqrt(17) vs the double Python prints for it.
  EXPECT_TRUE(Same(Sqrt(Int("17")), Dec("4.123105625617661")));
  EXPECT_FALSE(Same(Sqrt(Int("17")), Dec("4.12")));
  // Decimals inside symbolic expressions are exact values, not rounded.
  EXPECT_TRUE(Same(Div(Sym("x"), Int("2")), Mul({Dec("0.5"), Sym("x")})));
  EXPECT_FALSE(Same(Div(Sym("x"), Int("3")), Mul({Dec("0.3333"), Sym("x")}), Rounding(2)));
}

TEST(CompareTest, MustGetRightNumericPairs) {
  const Expr inv_e = Div(Int("1"), E());
  EXPECT_FALSE(Same(Sub(Int("1"), inv_e), Add({Int("1"), inv_e})));
  EXPECT_TRUE(Same(Sub(Int("1"), inv_e), Sub(Int("1"), Div(Int("1"), E()))));
  EXPECT_TRUE(Same(Sqrt(Div(Int("1"), Sym("n"))), Div(Int("1"), Sqrt(Sym("n")))));
  EXPECT_FALSE(Same(Int("4"), Mul({Int("4"), Sqrt(Int("2"))}), Rounding(5)));
  const Expr sec2 = Pow(Fn("sec", {Sym("y")}), Int("2"));
  EXPECT_TRUE(Same(Add({Pow(Fn("tan", {Sym("y")}), Int("2")), Int("1")}), sec2));
  EXPECT_TRUE(Same(Div(Add({Sym("x"), Int("2")}), Int("7")),
                   Add({Div(Sym("x"), Int("7")), Div(Int("2"), Int("7"))})));
  EXPECT_FALSE(Same(Add({Sym("x"), Mul({Int("2"), Sym("n")}), Int("1")}), Add({Sym("x"), Int("1")})));
  // \frac{1}{3\sqrt[3]{x}^2} vs \frac{1}{3x^{2/3}}
  EXPECT_TRUE(Same(Div(Int("1"), Mul({Int("3"), Pow(Fn("root", {Sym("x"), Int("3")}), Int("2"))})),
                   Div(Int("1"), Mul({Int("3"), Pow(Sym("x"), Frac(2, 3))}))));
  EXPECT_FALSE(Same(Int("4"), Add({Frac(34, 16), Div(Sqrt(Int("1358")), Int("16"))})));
  EXPECT_FALSE(Same(Mul({Int("1"), Sqrt(Int("19"))}), Int("1")));
  EXPECT_FALSE(Same(Mul({Add({Sym("a"), Int("5")}), Add({Sym("b"), Int("2")})}),
                    Mul({Int("5"), Add({Sym("b"), Int("2")})})));
  EXPECT_TRUE(Same(Mul({Int("2"), Fn("sin", {Sym("b")}), Fn("cos", {Sym("a")})}),
                   Mul({Int("2"), Fn("cos", {Sym("a")}), Fn("sin", {Sym("b")})})));
  EXPECT_TRUE(Same(Fn("sin", {Pi()}), Int("0")));
  EXPECT_TRUE(Same(Pow(I(), Int("2")), Neg(Int("1"))));
  EXPECT_TRUE(Same(Mul({Frac(9, 4), Pi()}), Div(Mul({Int("9"), Pi()}), Int("4"))));
}

// Values equal to 512 bits were called equal however large they were: 10^1000000 and
// 10^1000000 + 1 scored 1. Large values are compared with the bits they need (up to
// 2^20), and are undecided past that.
TEST(CompareTest, HugeValuesDifferingByOneAreNotEqual) {
  // 50000! (708,000 bits) is past the exact evaluation's factorial limit: balls decide.
  const Expr factorial = Fact(Int("50000"));
  EXPECT_FALSE(Same(Add({factorial, Int("1")}), factorial));
  EXPECT_TRUE(Same(factorial, Mul({Int("50000"), Fact(Int("49999"))})));
  EXPECT_FALSE(Same(Pow(E(), Int("400")), Add({Pow(E(), Int("400")), Pow(Int("10"), Int("-30"))})));
  EXPECT_TRUE(Same(Pow(E(), Int("600")), Mul({Pow(E(), Int("300")), Pow(E(), Int("300"))})));
  // 2^(2^25) needs 33 million bits: undecided, so not equal, either way.
  const Expr tower = Pow(Int("2"), Pow(Int("2"), Int("25")));
  EXPECT_FALSE(Same(Add({tower, Int("1")}), tower));
}

TEST(CompareTest, BoundedWorkReturns) {
  const Expr tower = Pow(Int("2"), Pow(Int("2"), Pow(Int("2"), Int("100"))));
  EXPECT_FALSE(Same(tower, Int("1")));
  EXPECT_TRUE(Same(tower, tower));  // structurally identical
  const Expr huge_factorial = Fact(Pow(Int("10"), Pow(Int("10"), Int("10"))));
  EXPECT_FALSE(Same(huge_factorial, Int("1")));
  EXPECT_FALSE(Same(Fact(Int("1000000")), Fact(Int("1000001"))));
  EXPECT_TRUE(Same(Fact(Int("10000")), Mul({Int("10000"), Fact(Int("9999"))})));

  // 2^(2^40) is a cheap ball but a 2^40-bit integer: never rounded or converted.
  const Expr big = Pow(Int("2"), Pow(Int("2"), Int("40")));
  EXPECT_FALSE(Same(big, Dec("1.5")));
  // Equal to 512 bits, but past the bits a difference of 1 would need: undecided.
  EXPECT_FALSE(Same(big, Add({big, Dec("0.0")})));
  EXPECT_FALSE(Same(Fn("root", {Int("8"), big}), Int("2")));
  // Many large terms: each is within the per-result limit, together they are not.
  std::vector<Expr> terms;
  for (int i = 0; i < 2000; i++) terms.push_back(Pow(Int("3"), Int("600000")));
  EXPECT_FALSE(Same(Add(terms), Int("0")));
  // Equal to 512 bits, but 951,000-bit values in 4,000 nodes are too much work to
  // compare with the bits a difference of 1 would need: undecided.
  EXPECT_FALSE(Same(Add(terms), Mul({Int("2000"), Pow(Int("3"), Int("600000"))})));
  EXPECT_TRUE(Same(Add({Pow(Int("3"), Int("600000")), Pow(Int("3"), Int("600000"))}),
                   Mul({Int("2"), Pow(Int("3"), Int("600000"))})));

  Expr deep = DeepSum(10000);
  EXPECT_FALSE(Same(deep, Int("10001")));  // too deep to evaluate: structure only
  EXPECT_TRUE(Same(deep, deep));
  // With a short deadline: any verdict, or DeadlineExceeded.
  try {
    Equivalent(deep, Int("1"), CompareOptions{}, Deadline::After(0.05));
    Equivalent(tower, huge_factorial, CompareOptions{}, Deadline::After(0.05));
  } catch (const DeadlineExceeded&) {
  }
  EXPECT_THROW(Equivalent(Sym("x"), Sym("y"), CompareOptions{}, Deadline::After(0)), DeadlineExceeded);
  Dismantle(&deep);
}

TEST(CompareTest, TuplesAreOrderedSetsAndListsAreNot) {
  const Expr a = Tuple({Int("1"), Int("3")});
  EXPECT_FALSE(Same(a, Tuple({Int("3"), Int("1")})));
  EXPECT_TRUE(Same(a, List({Int("1"), Int("3")})));  // (1,3) vs {1,3}
  EXPECT_TRUE(Same(a, Set({Int("3"), Int("1")})));
  EXPECT_TRUE(Same(List({Int("1"), Int("2")}), List({Int("2"), Int("1")})));  // \boxed{1}\boxed{2}
  EXPECT_FALSE(Same(Int("2"), List({Int("1"), Int("2")})));
  EXPECT_TRUE(Same(Set({Int("5")}), Int("5")));
  EXPECT_FALSE(Same(List({Int("19"), Int("46"), Int("82")}), List({Int("21"), Int("36"), Int("82")})));
  // Duplicates do not matter: the numina case with a repeated quadruple.
  const auto quad = [](int a, int b, int c, int d) {
    return Tuple({Int(std::to_string(a)), Int(std::to_string(b)), Int(std::to_string(c)),
                  Int(std::to_string(d))});
  };
  EXPECT_TRUE(Same(List({quad(37, 3, 3, 13), quad(17, 3, 3, 7), quad(3, 37, 3, 13)}),
                   List({quad(3, 37, 3, 13), quad(17, 3, 3, 7), quad(37, 3, 3, 13), quad(17, 3, 3, 7)})));
  EXPECT_TRUE(Same(Leaf(Op::kEmptySet), Set({})));
  EXPECT_FALSE(Same(Leaf(Op::kEmptySet), Set({Int("0")})));
}

TEST(CompareTest, IntervalsAndUnions) {
  EXPECT_TRUE(Same(Interval(Int("0"), Int("1"), true, false), Interval(Int("0"), Int("1"), true, false)));
  EXPECT_FALSE(Same(Interval(Int("0"), Int("9"), true, false), Interval(Int("0"), Int("1"), true, false)));
  EXPECT_FALSE(Same(Interval(Int("0"), Int("1"), true, false), Interval(Int("0"), Int("1"), true, true)));
  EXPECT_TRUE(Same(Interval(Int("1"), Inf(), true, false), Interval(Int("1"), Inf(), true, true)));
  const Expr half = Neg(Frac(1, 2));
  const Expr gold = Union({Interval(Neg(Int("1")), half, true, false), Interval(half, Int("0"), false, false),
                           Interval(Int("1"), Inf(), false, false)});
  const Expr pred = Union({Interval(Int("1"), Inf(), false, false), Interval(Neg(Int("1")), Neg(Div(Int("1"), Int("2"))), true, false),
                           Interval(Neg(Div(Int("1"), Int("2"))), Int("0"), false, false)});
  EXPECT_TRUE(Same(gold, pred));
  EXPECT_FALSE(Same(gold, Union({Interval(Int("1"), Inf(), false, false)})));
  // An open interval and a pair are written alike.
  EXPECT_TRUE(Same(Interval(Neg(Int("6")), Int("10"), false, false), Tuple({Neg(Int("6")), Int("10")})));
}

TEST(CompareTest, Matrices) {
  const Expr m = Matrix(2, 2, {Int("0"), Int("3"), Int("0"), Neg(Int("1"))});
  EXPECT_TRUE(Same(m, Matrix(2, 2, {Int("0"), Int("3"), Int("0"), Mul({Neg(Int("1")), Int("1")})})));
  EXPECT_FALSE(Same(m, Matrix(2, 2, {Int("0"), Int("3"), Int("0"), Int("1")})));
  EXPECT_FALSE(Same(m, Matrix(1, 4, {Int("0"), Int("3"), Int("0"), Neg(Int("1"))})));
  EXPECT_TRUE(Same(Matrix(2, 1, {Int("1"), Int("2")}), Tuple({Int("1"), Int("2")})));
}

TEST(CompareTest, MatrixArithmetic) {
  const auto m = [](int a, int b, int c, int d) {
    return Matrix(2, 2, {Int(std::to_string(a)), Int(std::to_string(b)), Int(std::to_string(c)),
                         Int(std::to_string(d))});
  };
  // "The sum is [[1,2],[3,4]] + [[5,6],[7,8]]" against [[6,8],[10,12]].
  EXPECT_TRUE(Same(m(6, 8, 10, 12), Add({m(1, 2, 3, 4), m(5, 6, 7, 8)})));
  EXPECT_FALSE(Same(m(6, 8, 10, 13), Add({m(1, 2, 3, 4), m(5, 6, 7, 8)})));
  EXPECT_TRUE(Same(m(1, 0, 0, 1), Mul({m(1, 0, 0, 1), m(1, 0, 0, 1)})));
  EXPECT_TRUE(Same(m(19, 22, 43, 50), Mul({m(1, 2, 3, 4), m(5, 6, 7, 8)})));
  EXPECT_TRUE(Same(m(2, 4, 6, 8), Mul({Int("2"), m(1, 2, 3, 4)})));
  EXPECT_TRUE(Same(m(0, 0, 0, 0), Sub(m(1, 2, 3, 4), m(1, 2, 3, 4))));
  // Shapes must agree; a matrix plus a scalar means nothing.
  EXPECT_FALSE(Same(m(1, 2, 3, 4), Add({m(1, 2, 3, 4), Int("0")})));
  EXPECT_FALSE(Same(Matrix(1, 2, {Int("1"), Int("2")}), Mul({Matrix(1, 2, {Int("1"), Int("2")}), m(1, 0, 0, 1), Matrix(1, 2, {Int("1"), Int("2")})})));
}

TEST(CompareTest, PlusMinusIsATwoElementSet) {
  EXPECT_FALSE(Same(PlusMinus(Int("0"), Int("2021")), Int("2021")));  // \pm 2021 vs 2021
  const Expr gold = PlusMinus(Int("1"), Sqrt(Int("19")));
  EXPECT_TRUE(Same(gold, PlusMinus(Int("1"), Sqrt(Int("19")))));
  EXPECT_TRUE(Same(gold, List({Sub(Int("1"), Sqrt(Int("19"))), Add({Int("1"), Sqrt(Int("19"))})})));
  EXPECT_FALSE(Same(gold, Add({Int("1"), Sqrt(Int("19"))})));
  // x = 1/2, x = \frac{-1 \pm \sqrt{13}}{4} against the same list written out.
  const Expr quarter = Div(PlusMinus(Neg(Int("1")), Sqrt(Int("13"))), Int("4"));
  const Expr listed = List({Eq(Sym("x"), Frac(1, 2)), Eq(Sym("x"), quarter)});
  EXPECT_TRUE(Same(listed, listed));
  EXPECT_TRUE(Same(listed, List({Eq(Sym("x"), Div(Add({Neg(Int("1")), Sqrt(Int("13"))}), Int("4"))),
                                 Eq(Sym("x"), Div(Sub(Neg(Int("1")), Sqrt(Int("13"))), Int("4"))),
                                 Eq(Sym("x"), Dec("0.5"))})));
}

TEST(CompareTest, EquationAgainstValue) {
  EXPECT_TRUE(Same(Eq(Sym("x"), Int("11")), Int("11")));
  EXPECT_TRUE(Same(Int("11"), Eq(Sym("x"), Int("11"))));
  // 7 = 11a+c does not answer 11a+c.
  const Expr sum = Add({Mul({Int("11"), Sym("a")}), Sym("c")});
  EXPECT_FALSE(Same(Eq(Int("7"), sum), sum));
  // Asymmetric: a predicted equation is read as its right side against any value.
  EXPECT_TRUE(Same(sum, Eq(Int("7"), sum)));
  // A predicted inequality is not a value.
  EXPECT_FALSE(Same(Int("5"), Relation(Sym("x"), Rel::kGt, Int("5"))));
  // \frac{NO}{BO} = \frac{1}{\sqrt{6}} answers 1/sqrt(6).
  const Expr ratio = Div(Mul({Sym("N"), Sym("O")}), Mul({Sym("B"), Sym("O")}));
  EXPECT_TRUE(Same(Eq(ratio, Div(Int("1"), Sqrt(Int("6")))), Div(Int("1"), Sqrt(Int("6")))));
  EXPECT_TRUE(Same(Eq(Tuple({Sym("p"), Sym("q"), Sym("r")}), Tuple({Int("3"), Int("2"), Int("7")})),
                   Tuple({Int("3"), Int("2"), Int("7")})));
  EXPECT_TRUE(Same(Eq(Div(Sym("A"), Sym("B")), Int("1")), Int("1")));  // A:B = 1
  EXPECT_FALSE(Same(Eq(Sym("x"), Int("11")), Int("12")));
  // (x, y) = (5, 8) and (8, 5) vs (5, 8), (8, 5)
  EXPECT_TRUE(Same(List({Tuple({Int("5"), Int("8")}), Tuple({Int("8"), Int("5")})}),
                   List({Eq(Tuple({Sym("x"), Sym("y")}), Tuple({Int("5"), Int("8")})), Tuple({Int("8"), Int("5")})})));
  // y_1 = -2x^2+4x+3, y_2 = 3x^2+12x+10 vs the vertex forms.
  const Expr x = Sym("x");
  const Expr y1 = Add({Mul({Neg(Int("2")), Pow(x, Int("2"))}), Mul({Int("4"), x}), Int("3")});
  const Expr y2 = Add({Mul({Int("3"), Pow(x, Int("2"))}), Mul({Int("12"), x}), Int("10")});
  const Expr v1 = Add({Mul({Neg(Int("2")), Pow(Sub(x, Int("1")), Int("2"))}), Int("5")});
  const Expr v2 = Sub(Mul({Int("3"), Pow(Add({x, Int("2")}), Int("2"))}), Int("2"));
  EXPECT_TRUE(Same(List({Eq(Sym("y_1"), y1), Eq(Sym("y_2"), y2)}), List({v1, v2})));
  EXPECT_FALSE(Same(List({Eq(Sym("y_1"), y1), Eq(Sym("y_2"), y2)}), List({v1, v1})));
}

TEST(CompareTest, EquationChains) {
  // x = 11 vs x = 5+5+1 = 7 = 11: first and last operands.
  const Expr chain = Relation(Sym("x"), Rel::kEq, Add({Int("5"), Int("5"), Int("1")}), Rel::kEq,
                              Int("7"), Rel::kEq, Int("11"));
  EXPECT_TRUE(Same(Eq(Sym("x"), Int("11")), chain));
  // x = 1/3 vs x = 5+5+1 = 1/3 \approx 11: the approximation ends the chain.
  const Expr approx = Relation(Sym("x"), Rel::kEq, Add({Int("5"), Int("5"), Int("1")}), Rel::kEq,
                               Frac(1, 3), Rel::kApprox, Int("11"));
  EXPECT_TRUE(Same(Eq(Sym("x"), Frac(1, 3)), approx));
  // z = 1 + 1 = 2 vs z = 3 + 3 = 2
  EXPECT_TRUE(Same(Relation(Sym("z"), Rel::kEq, Add({Int("1"), Int("1")}), Rel::kEq, Int("2")),
                   Relation(Sym("z"), Rel::kEq, Add({Int("3"), Int("3")}), Rel::kEq, Int("2"))));
  EXPECT_TRUE(Same(Eq(Sym("D"), Tuple({Int("0"), Int("1")})), Eq(Sym("D"), Tuple({Int("0"), Int("1")}))));
  EXPECT_FALSE(Same(Eq(Sym("D"), Tuple({Int("0"), Int("1")})), Eq(Sym("D"), Tuple({Int("0"), Dec("1.5")}))));
}

TEST(CompareTest, EquationsUpToAConstantFactor) {
  const Expr x = Sym("x"), y = Sym("y"), z = Sym("z");
  const Expr gold = Eq(Add({Mul({Int("34"), x}), Mul({Int("45"), y}), Neg(Mul({Int("20"), z})), Int("100")}), Int("0"));
  const Expr pred = Eq(Add({Neg(Mul({Int("34"), x})), Neg(Mul({Int("45"), y})), Mul({Int("20"), z}), Neg(Int("100"))}), Int("0"));
  EXPECT_TRUE(Same(gold, pred));
  EXPECT_TRUE(Same(Eq(Mul({Int("2"), x}), Int("10")), Eq(x, Int("5"))));
  EXPECT_FALSE(Same(Eq(Mul({Int("2"), x}), Int("10")), Eq(x, Int("6"))));
  EXPECT_TRUE(Same(Eq(Int("5"), x), Eq(x, Int("5"))));
}

TEST(CompareTest, Inequalities) {
  const Expr x = Sym("x");
  EXPECT_TRUE(Same(Relation(x, Rel::kGt, Int("5")), Relation(x, Rel::kGt, Int("5"))));
  EXPECT_FALSE(Same(Relation(x, Rel::kGt, Int("5")), Relation(x, Rel::kLt, Int("5"))));
  EXPECT_TRUE(Same(Relation(x, Rel::kGe, Int("5")), Relation(Int("5"), Rel::kLe, x)));
  EXPECT_TRUE(Same(Relation(x, Rel::kNe, Int("3")), Relation(x, Rel::kNe, Int("3"))));
  EXPECT_TRUE(Same(Relation(Mul({Int("2"), x}), Rel::kLt, Int("10")), Relation(x, Rel::kLt, Int("5"))));
  // A negative factor flips an inequality: -x < -5 is x > 5, not x < 5.
  EXPECT_FALSE(Same(Relation(Neg(x), Rel::kLt, Neg(Int("5"))), Relation(x, Rel::kLt, Int("5"))));
}

TEST(CompareTest, RelationAgainstSet) {
  const Expr x = Sym("x");
  const Expr gold = Relation(Neg(Int("2")), Rel::kLe, x, Rel::kLe, Int("7"));
  const Expr interval = Interval(Neg(Int("2")), Int("7"), true, true);
  EXPECT_TRUE(Same(gold, interval));
  EXPECT_FALSE(Same(interval, gold));  // the reverse needs allow_set_relation_comp
  CompareOptions both_ways;
  both_ways.allow_set_relation_comp = true;
  EXPECT_TRUE(Same(gold, interval, both_ways));
  EXPECT_TRUE(Same(interval, gold, both_ways));
  EXPECT_FALSE(Same(gold, Interval(Neg(Int("2")), Int("7"), false, true)));
  // 0 < f(x) < 1 vs (0, 1)
  EXPECT_TRUE(Same(Relation(Int("0"), Rel::kLt, Apply("f", {x}), Rel::kLt, Int("1")),
                   Tuple({Int("0"), Int("1")})));
  EXPECT_TRUE(Same(Relation(x, Rel::kGt, Int("5")), Interval(Int("5"), Inf(), false, false)));
  EXPECT_TRUE(Same(Relation(x, Rel::kNe, Int("3")),
                   Union({Interval(Neg(Inf()), Int("3"), false, false), Interval(Int("3"), Inf(), false, false)})));
}

TEST(CompareTest, StrictSymbolNames) {
  CompareOptions lenient;
  lenient.strict = false;
  EXPECT_FALSE(Same(Apply("f", {Sym("x")}), Apply("f", {Sym("y")})));
  EXPECT_TRUE(Same(Apply("f", {Sym("x")}), Apply("f", {Sym("y")}), lenient));
  EXPECT_FALSE(Same(Apply("f", {Sym("x")}), Apply("g", {Sym("x")}), lenient));
  EXPECT_TRUE(Same(Apply("f", {Add({Sym("x"), Int("1")})}), Apply("f", {Add({Int("1"), Sym("x")})})));
}

TEST(CompareTest, Words) {
  CompareOptions lenient;
  lenient.strict = false;
  EXPECT_TRUE(Same(Text("c"), Text("(C)")));
  EXPECT_TRUE(Same(Text("the midpoints form a regular hexagon"), Text("The midpoints  form a regular hexagon")));
  EXPECT_TRUE(Same(Text("E"), Sym("E")));  // \text{E} vs E
  EXPECT_TRUE(Same(Text("e"), E()));       // \text{e} vs e (Euler's number to the parser)
  EXPECT_FALSE(Same(Sym("d"), Text("E")));
  EXPECT_TRUE(Same(Text("even"), Mul({Sym("E"), Sym("v"), E(), Sym("n")})));
  EXPECT_TRUE(Same(Text("even"), Sym("Even")));
  EXPECT_FALSE(Same(Text("13"), Int("13")));
  EXPECT_TRUE(Same(Text("13"), Int("13"), lenient));
  EXPECT_FALSE(Same(Text("yes"), Int("1"), lenient));
}

TEST(CompareTest, PercentAndDegrees) {
  EXPECT_TRUE(Same(Percent(Int("28")), Int("28")));
  EXPECT_TRUE(Same(Percent(Int("28")), Dec("0.28")));
  EXPECT_TRUE(Same(Percent(Int("28")), Percent(Int("28"))));
  EXPECT_FALSE(Same(Percent(Int("28")), Int("29")));
  EXPECT_TRUE(Same(Degrees(Int("90")), Int("90")));
  EXPECT_TRUE(Same(Degrees(Int("90")), Div(Pi(), Int("2"))));
  EXPECT_FALSE(Same(Degrees(Int("90")), Pi()));
  // In a trigonometric argument a degree is only an angle: sin 30° is 1/2, not sin(30).
  EXPECT_TRUE(Same(Fn("sin", {Degrees(Int("30"))}), Div(Int("1"), Int("2"))));
  EXPECT_FALSE(Same(Fn("sin", {Degrees(Int("30"))}), Fn("sin", {Int("30")})));
  EXPECT_FALSE(Same(Fn("sin", {Int("30")}), Fn("sin", {Degrees(Int("30"))})));
  EXPECT_FALSE(Same(Mul({Int("2"), Fn("cos", {Degrees(Int("40"))})}), Mul({Int("2"), Fn("cos", {Int("40")})})));
}

// Symbols are positive (sqrt(1/n) is 1/sqrt(n)), but an absolute value on either side
// brings negative values in: |x| was "equal" to x, and |x|/x to 1.
TEST(CompareTest, AnAbsoluteValueMakesSymbolsSigned) {
  const Expr x = Sym("x");
  EXPECT_TRUE(Same(Sqrt(Div(Int("1"), Sym("n"))), Div(Int("1"), Sqrt(Sym("n")))));
  EXPECT_FALSE(Same(Fn("abs", {x}), x));
  EXPECT_FALSE(Same(x, Fn("abs", {x})));
  EXPECT_FALSE(Same(Div(Fn("abs", {x}), x), Int("1")));
  EXPECT_TRUE(Same(Fn("abs", {x}), Sqrt(Pow(x, Int("2")))));
  EXPECT_TRUE(Same(Fn("abs", {Mul({x, Sym("y")})}), Mul({Fn("abs", {x}), Fn("abs", {Sym("y")})})));
  // A cube root of a negative value is the real root, where sympy's is the principal
  // one (cbrt(x)^2 = x^(2/3)); such points are skipped rather than called different.
  EXPECT_TRUE(Same(Mul({Fn("abs", {x}), Pow(Fn("root", {x, Int("3")}), Int("2"))}),
                   Mul({Fn("abs", {x}), Pow(x, Div(Int("2"), Int("3")))})));
}

TEST(CompareTest, FunctionsOfSymbols) {
  const Expr x = Sym("x");
  EXPECT_TRUE(Same(Fn("ln", {Pow(x, Int("2"))}), Mul({Int("2"), Fn("ln", {x})})));
  EXPECT_TRUE(Same(Fn("arccos", {x}), Sub(Div(Pi(), Int("2")), Fn("arcsin", {x}))));
  EXPECT_TRUE(Same(Fn("exp", {Add({x, Int("1")})}), Mul({E(), Fn("exp", {x})})));
  EXPECT_TRUE(Same(Fn("log", {Int("8"), Int("2")}), Int("3")));
  EXPECT_TRUE(Same(Pow(E(), Mul({I(), Pi()})), Neg(Int("1"))));
  EXPECT_FALSE(Same(Fn("sin", {x}), Fn("cos", {x})));
  EXPECT_FALSE(Same(Pow(x, Int("2")), Mul({Int("2"), x})));  // equal at x = 2 only
  EXPECT_TRUE(Same(Fn("binomial", {Sym("n"), Int("2")}),
                   Div(Mul({Sym("n"), Sub(Sym("n"), Int("1"))}), Int("2"))));
}

TEST(CompareTest, UnevaluableTreesAreEqualUpToTheOrderOfTermsAndFactors) {
  // \sum_{k=0}^{n-1} F_k F_{n-k-1}: a sum up to a symbol is compared by its structure, in which
  // the factors of the body may come in either order (Math-Verify's test_string_extraction[5]).
  const auto sum_of = [](Expr body, Expr upper) {
    return Fn("sum", {std::move(body), Eq(Sym("k"), Int("0")), std::move(upper)});
  };
  const Expr upper = Sub(Sym("n"), Int("1"));
  const Expr f_k = Sym("F_k"), f_rest = Sym("F_{n-k-1}");
  EXPECT_TRUE(Same(sum_of(Mul({f_k, f_rest}), upper), sum_of(Mul({f_rest, f_k}), upper)));
  EXPECT_TRUE(
      Same(sum_of(Add({f_k, Mul({Int("2"), f_rest})}), upper), sum_of(Add({Mul({f_rest, Int("2")}), f_k}), upper)));
  // Another bound, another body, or another operator is still another sum.
  EXPECT_FALSE(Same(sum_of(Mul({f_k, f_rest}), upper), sum_of(Mul({f_rest, f_k}), Sub(Sym("n"), Int("2")))));
  EXPECT_FALSE(Same(sum_of(Mul({f_k, f_rest}), upper), sum_of(Mul({f_k, f_k}), upper)));
  EXPECT_FALSE(Same(sum_of(Mul({f_k, f_rest}), upper), sum_of(Add({f_rest, f_k}), upper)));
  EXPECT_FALSE(Same(sum_of(Sub(f_k, f_rest), upper), sum_of(Sub(f_rest, f_k), upper)));
  // Products of matrices do not commute.
  const Expr a = Matrix(1, 1, {Sym("a")}), b = Matrix(1, 1, {Sym("b")});
  EXPECT_FALSE(Same(sum_of(Mul({a, b}), upper), sum_of(Mul({b, a}), upper)));
  EXPECT_TRUE(Same(sum_of(Mul({a, b}), upper), sum_of(Mul({a, b}), upper)));
}

TEST(CompareTest, InfinityAndComplex) {
  EXPECT_TRUE(Same(Inf(), Inf()));
  EXPECT_FALSE(Same(Inf(), Neg(Inf())));
  EXPECT_FALSE(Same(Inf(), Int("1")));
  EXPECT_TRUE(Same(Sqrt(Neg(Int("4"))), Mul({Int("2"), I()})));
  EXPECT_FALSE(Same(Sqrt(Neg(Int("4"))), Int("2")));
}

TEST(CompareTest, ThreadSafe) {
  const Expr gold = Add({Pow(Fn("tan", {Sym("y")}), Int("2")), Int("1")});
  const Expr pred = Pow(Fn("sec", {Sym("y")}), Int("2"));
  const Expr wrong = Pow(Fn("cos", {Sym("y")}), Int("2"));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&] {
      PrepareThreadForMath();  // as VerifyMath does on each of its callers' threads
      for (int i = 0; i < 50; i++) {
        if (!Same(gold, pred) || Same(gold, wrong) || !Same(Frac(1, 3), Dec("0.3333"), Rounding(4))) {
          failures++;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace rmg::math
