// ScalarsEqual, Proportional and IsConstant on their own: the numeric core under
// Compare. compare_test.cc covers the rules through Equivalent; these pin what only
// this layer decides (the too_large report, undefined values, renamings, the second
// precision, rounding boundaries, the proportionality factor).
#include "math/scalar_compare.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "math/test_builders.h"

namespace rmg::math {
namespace {
// A namespace of its own, so that in a unity build the builders named here win over
// same-named helpers other test files declare in rmg::math's unnamed namespace.
namespace scalar_compare_test {

using testing::Add;
using testing::Apply;
using testing::Dec;
using testing::Degrees;
using testing::Div;
using testing::E;
using testing::Fn;
using testing::I;
using testing::Inf;
using testing::Int;
using testing::Mul;
using testing::Neg;
using testing::Percent;
using testing::Pi;
using testing::Pow;
using testing::Sub;
using testing::Sym;

bool ScalarSame(const Expr& gold, const Expr& pred, int float_rounding = 6, bool strict = true) {
  CompareOptions options;
  options.float_rounding = float_rounding;
  options.strict = strict;
  return ScalarsEqual(gold, pred, options, Deadline::Never());
}

bool ScalarProportional(const Expr& a, const Expr& b, bool positive_factor) {
  return Proportional(a, b, positive_factor, CompareOptions{}, Deadline::Never());
}

TEST(ScalarCompareTest, IsConstantMeansNoSymbol) {
  EXPECT_TRUE(IsConstant(Int("3")));
  EXPECT_TRUE(IsConstant(Add({Pi(), E(), I(), Fn("sin", {Div(Int("1"), Int("2"))})})));
  EXPECT_TRUE(IsConstant(Inf()));
  EXPECT_FALSE(IsConstant(Sym("x")));
  EXPECT_FALSE(IsConstant(Add({Int("1"), Mul({Int("2"), Pow(Sym("y"), Int("2"))})})));
  EXPECT_FALSE(IsConstant(Apply("f", {Sym("t")})));
}

TEST(ScalarCompareTest, ExactRationalsNeedNoRounding) {
  EXPECT_TRUE(ScalarSame(Div(Int("2"), Int("4")), Div(Int("1"), Int("2"))));
  EXPECT_TRUE(ScalarSame(Int("007"), Int("7")));
  EXPECT_FALSE(ScalarSame(Div(Int("1"), Int("3")), Div(Int("333333"), Int("1000000"))));
  // Without a written decimal nothing is rounded, however fine the difference.
  EXPECT_FALSE(ScalarSame(Int("1"), Add({Int("1"), Pow(Int("10"), Neg(Int("50")))})));
}

TEST(ScalarCompareTest, DecimalsRoundHalfAwayFromZeroAtFloatRounding) {
  EXPECT_TRUE(ScalarSame(Int("2"), Dec("2.0000004")));
  EXPECT_FALSE(ScalarSame(Int("2"), Dec("2.0000005")));
  EXPECT_TRUE(ScalarSame(Dec("2.0000005"), Dec("2.000001")));
  EXPECT_TRUE(ScalarSame(Neg(Dec("2.0000005")), Neg(Dec("2.000001"))));
  EXPECT_TRUE(ScalarSame(Div(Int("1"), Int("3")), Dec("0.33"), 2));
  EXPECT_FALSE(ScalarSame(Div(Int("1"), Int("3")), Dec("0.33"), 3));
}

TEST(ScalarCompareTest, SmallValuesRoundToSignificantDigits) {
  // 0 and 1e-7 are equal at six decimal places, but not at six significant digits.
  EXPECT_FALSE(ScalarSame(Int("0"), Dec("0.0000001")));
  EXPECT_TRUE(ScalarSame(Div(Int("1"), Int("70000")), Dec("0.0000142857")));
  EXPECT_FALSE(ScalarSame(Div(Int("1"), Int("70000")), Dec("0.0000143")));
}

TEST(ScalarCompareTest, TinyValuesBeyondDoubleRangeStillUseSignificantDigits) {
  // 1.5e-300 and 1.4e-300 differ in their second significant digit; so do 1.5e-400
  // and 1.4e-400, which only differ from them in being below what a double holds.
  const auto scaled = [](const char* mantissa, int exponent) {
    return Mul({Dec(mantissa), Pow(Int("10"), Neg(Int(std::to_string(exponent))))});
  };
  EXPECT_FALSE(ScalarSame(scaled("1.5", 300), scaled("1.4", 300)));
  EXPECT_TRUE(ScalarSame(scaled("1.5", 300), scaled("1.50", 300)));
  EXPECT_FALSE(ScalarSame(scaled("1.5", 400), scaled("1.4", 400)));
  EXPECT_FALSE(ScalarSame(Pow(Int("10"), Neg(Int("400"))), Dec("0.0")));
  EXPECT_TRUE(ScalarSame(scaled("1.5", 400), scaled("1.50", 400)));
}

TEST(ScalarCompareTest, NegativeAndExtremeFloatRounding) {
  // -1 decimal places is rounding to tens: 12 and 14.0 are both 10.
  EXPECT_TRUE(ScalarSame(Int("12"), Dec("14.0"), -1));
  EXPECT_FALSE(ScalarSame(Int("12"), Dec("14.0"), 0));
  // Out-of-range settings are clamped to +-1000 places instead of building 10^INT_MAX.
  EXPECT_FALSE(ScalarSame(Div(Int("1"), Int("3")), Dec("0.333333"), INT_MAX));
  EXPECT_TRUE(ScalarSame(Int("5"), Dec("1.0"), INT_MIN));
}

TEST(ScalarCompareTest, IrrationalAgainstDecimalRoundsTheBall) {
  const Expr sqrt2 = Fn("sqrt", {Int("2")});  // 1.41421356...
  EXPECT_TRUE(ScalarSame(sqrt2, Dec("1.414214")));
  EXPECT_FALSE(ScalarSame(sqrt2, Dec("1.414213")));
  EXPECT_TRUE(ScalarSame(Pi(), Dec("3.14"), 2));
  EXPECT_FALSE(ScalarSame(Pi(), Dec("3.14"), 3));
}

TEST(ScalarCompareTest, AHalfWayDecimalRoundsExactly) {
  // 1.4142135 sits on the half-way point of six places and rounds up, as sqrt(2)
  // = 1.41421356... does; its ball at any precision straddles that point.
  const Expr sqrt2 = Fn("sqrt", {Int("2")});
  EXPECT_TRUE(ScalarSame(sqrt2, Dec("1.4142135")));
  EXPECT_TRUE(ScalarSame(Dec("1.4142135"), sqrt2));
  EXPECT_FALSE(ScalarSame(sqrt2, Dec("1.4142125")));
  EXPECT_TRUE(ScalarSame(Neg(Dec("3.1415925")), Neg(Pi())));
}

TEST(ScalarCompareTest, AValueThatStaysAroundZeroRoundsAsZero) {
  // sin(pi) is a ball around zero at every precision: it rounds as zero, and the
  // written decimal picks the place.
  const Expr sin_pi = Fn("sin", {Pi()});
  EXPECT_TRUE(ScalarSame(sin_pi, Dec("0.0")));
  EXPECT_TRUE(ScalarSame(Dec("0.00"), Fn("cos", {Div(Pi(), Int("2"))})));
  EXPECT_FALSE(ScalarSame(sin_pi, Dec("0.000001")));
  EXPECT_FALSE(ScalarSame(sin_pi, Dec("0.5")));
  // sin(pi + 10^-50) = -1e-50 straddles zero at 128 bits but not at 512: not zero.
  const Expr near_pi = Add({Pi(), Pow(Int("10"), Neg(Int("50")))});
  EXPECT_FALSE(ScalarSame(Fn("sin", {near_pi}), Dec("0.0")));
  EXPECT_TRUE(ScalarSame(Fn("sin", {near_pi}), Neg(Mul({Dec("1.0"), Pow(Int("10"), Neg(Int("50")))}))));
}

TEST(ScalarCompareTest, DecimalsNextToSymbolsAreExact) {
  EXPECT_TRUE(ScalarSame(Mul({Dec("0.25"), Sym("x")}), Div(Sym("x"), Int("4"))));
  EXPECT_FALSE(ScalarSame(Mul({Dec("0.33"), Sym("x")}), Div(Sym("x"), Int("3")), 1));
}

TEST(ScalarCompareTest, CancellationNeedsTheHigherPrecision) {
  // sqrt(10^40 + 1) - 10^20 = 1 / (sqrt(10^40 + 1) + 10^20) ~ 5e-21: at 128 bits the
  // left side is known only to ~1e-19, at 512 bits it is settled.
  const Expr big = Pow(Int("10"), Int("20"));
  const Expr root = Fn("sqrt", {Add({Pow(Int("10"), Int("40")), Int("1")})});
  const Expr difference = Sub(root, big);
  EXPECT_TRUE(ScalarSame(difference, Div(Int("1"), Add({root, big}))));
  // 1 / (2 * 10^20) differs from it by ~1e-61 only: still told apart.
  EXPECT_FALSE(ScalarSame(difference, Div(Int("1"), Mul({Int("2"), big}))));
}

TEST(ScalarCompareTest, IdentitiesInSymbolsHoldAtEveryPoint) {
  const Expr x = Sym("x");
  EXPECT_TRUE(ScalarSame(Sub(Pow(x, Int("2")), Int("1")), Mul({Sub(x, Int("1")), Add({x, Int("1")})})));
  EXPECT_TRUE(ScalarSame(Div(x, x), Int("1")));
  EXPECT_FALSE(ScalarSame(Pow(x, Int("3")), Pow(x, Int("2"))));
  EXPECT_FALSE(ScalarSame(x, Sym("y")));
  EXPECT_TRUE(ScalarSame(Add({Pow(Fn("sin", {x}), Int("2")), Pow(Fn("cos", {x}), Int("2"))}), Int("1")));
}

TEST(ScalarCompareTest, UndefinedIsNeverEqual) {
  const Expr one_over_zero = Div(Int("1"), Int("0"));
  EXPECT_FALSE(ScalarSame(one_over_zero, one_over_zero));
  EXPECT_FALSE(ScalarSame(Div(Int("1"), Sub(Sym("x"), Sym("x"))), Div(Int("1"), Sub(Sym("x"), Sym("x")))));
  EXPECT_FALSE(ScalarSame(Fn("ln", {Int("0")}), Fn("ln", {Int("0")})));
}

TEST(ScalarCompareTest, TooLargeIsReportedNotJustFalse) {
  const Expr tower = Pow(Int("2"), Pow(Int("2"), Pow(Int("2"), Int("100"))));
  bool too_large = false;
  EXPECT_FALSE(ScalarsEqual(tower, Int("1"), CompareOptions{}, Deadline::Never(), &too_large));
  EXPECT_TRUE(too_large);

  // Plainly different values leave the flag alone.
  too_large = false;
  EXPECT_FALSE(ScalarsEqual(Int("1"), Int("2"), CompareOptions{}, Deadline::Never(), &too_large));
  EXPECT_FALSE(too_large);
  EXPECT_FALSE(ScalarsEqual(Sym("x"), Sym("y"), CompareOptions{}, Deadline::Never(), &too_large));
  EXPECT_FALSE(too_large);

  // The flag is optional.
  EXPECT_FALSE(ScalarsEqual(tower, Int("1"), CompareOptions{}, Deadline::Never()));
}

TEST(ScalarCompareTest, InfinityComparesBySignOrStructure) {
  EXPECT_TRUE(ScalarSame(Inf(), Inf()));
  EXPECT_TRUE(ScalarSame(Neg(Inf()), Neg(Inf())));
  EXPECT_FALSE(ScalarSame(Inf(), Neg(Inf())));
  EXPECT_FALSE(ScalarSame(Neg(Inf()), Inf()));
  EXPECT_FALSE(ScalarSame(Inf(), Int("1")));
  EXPECT_FALSE(ScalarSame(Int("1"), Inf()));
  EXPECT_TRUE(ScalarSame(Add({Inf(), Int("1")}), Add({Inf(), Int("1")})));
  EXPECT_FALSE(ScalarSame(Add({Inf(), Int("1")}), Inf()));
}

TEST(ScalarCompareTest, PercentAndDegreesHaveTwoReadings) {
  EXPECT_TRUE(ScalarSame(Percent(Int("50")), Div(Int("1"), Int("2"))));
  EXPECT_TRUE(ScalarSame(Percent(Int("50")), Int("50")));
  EXPECT_FALSE(ScalarSame(Percent(Int("50")), Int("5")));
  EXPECT_TRUE(ScalarSame(Degrees(Int("180")), Pi()));
  EXPECT_TRUE(ScalarSame(Degrees(Int("180")), Int("180")));
  EXPECT_TRUE(ScalarSame(Degrees(Int("180")), Dec("3.14"), 2));
  EXPECT_FALSE(ScalarSame(Degrees(Int("180")), Mul({Int("2"), Pi()})));
}

TEST(ScalarCompareTest, RenamingOnlyWithoutStrict) {
  const Expr gold = Add({Pow(Sym("x"), Int("2")), Sym("y")});
  const Expr renamed = Add({Pow(Sym("a"), Int("2")), Sym("b")});
  const Expr swapped = Add({Pow(Sym("b"), Int("2")), Sym("a")});
  EXPECT_FALSE(ScalarSame(gold, renamed));
  EXPECT_TRUE(ScalarSame(gold, renamed, 6, false));
  EXPECT_TRUE(ScalarSame(gold, swapped, 6, false));  // every one-to-one map is tried
  // A different number of symbols is never a renaming.
  EXPECT_FALSE(ScalarSame(gold, Add({Pow(Sym("a"), Int("2")), Sym("a")}), 6, false));
  // Renaming does not make a different function equal.
  EXPECT_FALSE(ScalarSame(gold, Add({Pow(Sym("a"), Int("3")), Sym("b")}), 6, false));
}

TEST(ScalarCompareTest, RenamingStopsPastFiveSymbols) {
  const auto sum_of = [](const std::string& letters) {
    std::vector<Expr> terms;
    int weight = 1;
    for (char c : letters) terms.push_back(Mul({Int(std::to_string(weight++)), Sym(std::string(1, c))}));
    return Add(terms);
  };
  EXPECT_TRUE(ScalarSame(sum_of("abcde"), sum_of("pqrst"), 6, false));
  EXPECT_FALSE(ScalarSame(sum_of("abcdef"), sum_of("pqrstu"), 6, false));
  EXPECT_TRUE(ScalarSame(sum_of("abcdef"), sum_of("abcdef"), 6, false));
}

TEST(ScalarCompareTest, ComplexValues) {
  EXPECT_TRUE(ScalarSame(Fn("sqrt", {Neg(Int("9"))}), Mul({Int("3"), I()})));
  EXPECT_FALSE(ScalarSame(Fn("sqrt", {Neg(Int("9"))}), Int("3")));
  EXPECT_TRUE(ScalarSame(Pow(E(), Mul({I(), Pi()})), Neg(Int("1"))));
}

TEST(ScalarCompareTest, ExpiredDeadlineThrows) {
  CompareOptions options;
  EXPECT_THROW(ScalarsEqual(Int("1"), Int("1"), options, Deadline::After(0)), DeadlineExceeded);
  EXPECT_THROW(Proportional(Sym("x"), Sym("x"), false, options, Deadline::After(0)), DeadlineExceeded);
}

TEST(ScalarCompareTest, ProportionalUpToANonzeroFactor) {
  const Expr x = Sym("x");
  const Expr x_plus_1 = Add({x, Int("1")});
  EXPECT_TRUE(ScalarProportional(Add({Mul({Int("2"), x}), Int("2")}), x_plus_1, true));
  EXPECT_TRUE(ScalarProportional(Add({Mul({Int("2"), x}), Int("2")}), x_plus_1, false));
  EXPECT_TRUE(ScalarProportional(Neg(x_plus_1), x_plus_1, false));
  EXPECT_FALSE(ScalarProportional(Neg(x_plus_1), x_plus_1, true));
  // Two symbols: the factor must be the same at every point.
  EXPECT_TRUE(
      ScalarProportional(Sub(Sym("x"), Sym("y")), Sub(Mul({Int("3"), Sym("y")}), Mul({Int("3"), Sym("x")})), false));
  EXPECT_FALSE(ScalarProportional(Pow(x, Int("2")), x, false));
  EXPECT_TRUE(ScalarProportional(Int("4"), Int("2"), true));
}

TEST(ScalarCompareTest, ProportionalRefusesZeroAndComplexFactors) {
  const Expr x = Sym("x");
  EXPECT_FALSE(ScalarProportional(Int("0"), x, false));   // k = 0
  EXPECT_FALSE(ScalarProportional(x, Sub(x, x), false));  // b identically zero
  EXPECT_FALSE(ScalarProportional(Sub(x, x), Sub(x, x), false));
  EXPECT_TRUE(ScalarProportional(Mul({I(), x}), x, false));  // k = i
  EXPECT_FALSE(ScalarProportional(Mul({I(), x}), x, true));  // i is not positive
  EXPECT_FALSE(ScalarProportional(Pow(Int("2"), Pow(Int("2"), Pow(Int("2"), Int("100")))), Int("1"), false));
}

}  // namespace scalar_compare_test
}  // namespace
}  // namespace rmg::math
