// EvaluateBall (evaluate_ball.cc): the complex-ball path of the evaluator. Each
// function is checked against a value computed independently with MPFR/MPFI calls at
// the edges of its domain, and the limits (size, depth, digits, deadline) are checked
// at their borders.
#include <gtest/gtest.h>
#include <mpfr.h>

#include <cmath>
#include <string>

#include "math/ball.h"
#include "math/evaluate.h"
#include "math/test_builders.h"

namespace rmg::math {
namespace {

using namespace testing;  // NOLINT: the builders are the point of these tests

constexpr long kBallEvalPrec = 128;

std::string BallEvalName(EvalStatus status) {
  switch (status) {
    case EvalStatus::kOk:
      return "kOk";
    case EvalStatus::kUndefined:
      return "kUndefined";
    case EvalStatus::kTooLarge:
      return "kTooLarge";
    case EvalStatus::kUnsupported:
      return "kUnsupported";
  }
  return "?";
}

EvalStatus BallEvalStatus(const Expr& e, Ball* out, const Point& point = {}, const ValueRules& rules = {},
                          long prec = kBallEvalPrec) {
  return EvaluateBall(e, point, rules, prec, Deadline::Never(), out);
}

// The value of `e`, which must evaluate; a failure names the expression.
Ball BallEvalValue(const Expr& e, const Point& point = {}, const ValueRules& rules = {}) {
  Ball out;
  EXPECT_EQ(BallEvalName(BallEvalStatus(e, &out, point, rules)), "kOk") << ToString(e);
  return out;
}

Ball BallEvalComplex(double re, double im) {
  Ball b;
  SetDouble(re, im, &b);
  return b;
}

Ball BallEvalReal(double re) { return BallEvalComplex(re, 0); }

Ball BallEvalRational(long numerator, unsigned long denominator) {
  Ball b(kBallEvalPrec);
  mpfi_set_si(b.re(), numerator);
  mpfi_div_ui(b.re(), b.re(), denominator);
  return b;
}

Ball BallEvalPi() {
  Ball b(kBallEvalPrec);
  mpfi_const_pi(b.re());
  return b;
}

// pi * numerator / denominator.
Ball BallEvalPiTimes(long numerator, unsigned long denominator) {
  Ball b = BallEvalPi();
  mpfi_mul_si(b.re(), b.re(), numerator);
  mpfi_div_ui(b.re(), b.re(), denominator);
  return b;
}

// a + b i, where a and b are square roots of whole numbers (0 for none).
Ball BallEvalSquareRoots(unsigned long re_square, unsigned long im_square) {
  Ball b(kBallEvalPrec);
  mpfi_set_ui(b.re(), re_square);
  mpfi_sqrt(b.re(), b.re());
  mpfi_set_ui(b.im(), im_square);
  mpfi_sqrt(b.im(), b.im());
  return b;
}

Ball BallEvalE() {
  Ball b(kBallEvalPrec);
  mpfi_set_ui(b.re(), 1);
  mpfi_exp(b.re(), b.re());
  return b;
}

// -log2 of the real part's radius over its magnitude.
long RelativeAccuracyBits(const Ball& b) {
  mpfr_t diameter;
  mpfr_init2(diameter, 64);
  mpfi_diam_rel(diameter, b.re());
  const double relative_radius = mpfr_get_d(diameter, MPFR_RNDU) / 2;
  mpfr_clear(diameter);
  return static_cast<long>(-std::log2(relative_radius));
}

// "[left, right] + [left, right]*i" with 30 digits, for failure messages.
std::string BallEvalText(const Ball& b) {
  std::string text;
  for (mpfi_srcptr part : {b.re(), b.im()}) {
    char* digits = nullptr;
    if (mpfr_asprintf(&digits, "[%.30Rg, %.30Rg]", &part->left, &part->right) < 0) return "?";
    text += text.empty() ? std::string(digits) : " + " + std::string(digits) + "*i";
    mpfr_free_str(digits);
  }
  return text;
}

::testing::AssertionResult BallEvalEquals(const Expr& e, const Ball& expected, const Point& point = {},
                                          const ValueRules& rules = {}) {
  Ball out;
  const EvalStatus status = BallEvalStatus(e, &out, point, rules);
  if (status != EvalStatus::kOk) {
    return ::testing::AssertionFailure() << ToString(e) << ": status " << BallEvalName(status);
  }
  if (CompareBalls(out, expected, kBallEvalPrec) != BallOrder::kEqual) {
    ::testing::AssertionResult failure = ::testing::AssertionFailure() << ToString(e) << " = " << BallEvalText(out)
                                                                       << ", expected " << BallEvalText(expected);
    return failure;
  }
  return ::testing::AssertionSuccess();
}

EvalStatus BallEvalStatusOf(const Expr& e, const Point& point = {}) {
  Ball out;
  return BallEvalStatus(e, &out, point);
}

Expr BallEvalComplexLiteral(const std::string& re, const std::string& im) {
  return Add({Int(re), Mul({Int(im), I()})});
}

TEST(EvaluateBallTest, LeavesAndConstants) {
  EXPECT_TRUE(BallEvalEquals(Int("025"), BallEvalReal(25)));
  EXPECT_TRUE(BallEvalEquals(Dec(".5"), BallEvalReal(0.5)));
  EXPECT_TRUE(BallEvalEquals(Dec("3."), BallEvalReal(3)));
  EXPECT_TRUE(BallEvalEquals(Dec("0.1"), BallEvalRational(1, 10)));  // 1/10 exactly, not the double 0.1
  EXPECT_TRUE(BallEvalEquals(Pi(), BallEvalPi()));
  EXPECT_TRUE(BallEvalEquals(E(), BallEvalE()));
  EXPECT_TRUE(BallEvalEquals(I(), BallEvalComplex(0, 1)));
  EXPECT_TRUE(BallEvalEquals(Pow(I(), Int("2")), BallEvalReal(-1)));
}

// Numbers longer than Rational::ParseDecimal's 100,000 digits are refused as too large.
TEST(EvaluateBallTest, LongNumbersAtTheDigitLimit) {
  Ball out;
  EXPECT_EQ(BallEvalName(BallEvalStatus(Int(std::string(100000, '1')), &out)), "kOk");
  EXPECT_EQ(BallEvalName(BallEvalStatus(Int(std::string(100001, '1')), &out)), "kTooLarge");
  EXPECT_EQ(BallEvalName(BallEvalStatus(Dec("0." + std::string(100000, '1')), &out)), "kTooLarge");
}

TEST(EvaluateBallTest, ArithmeticAndSymbols) {
  Point point;
  SetDouble(0.25, &point["x"]);
  SetImaginaryUnit(&point["z"]);
  EXPECT_TRUE(BallEvalEquals(Sub(Mul({Int("4"), Sym("x")}), Div(Int("1"), Int("2"))), BallEvalReal(0.5), point));
  EXPECT_TRUE(BallEvalEquals(Pow(Sym("z"), Int("2")), BallEvalReal(-1), point));
  EXPECT_TRUE(BallEvalEquals(Neg(Sym("x")), BallEvalReal(-0.25), point));
  // A symbol missing from the point is unsupported, wherever it is in the tree.
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Add({Int("1"), Mul({Int("2"), Sym("y")})}), point)), "kUnsupported");
}

TEST(EvaluateBallTest, MalformedNodesAreUnsupported) {
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(N(Op::kNeg, {Int("1"), Int("2")}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(N(Op::kDiv, {Int("1")}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(N(Op::kPow, {Int("1"), Int("2"), Int("3")}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(N(Op::kFactorial, {}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(N(Op::kPercent, {Int("1"), Int("2")}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(N(Op::kDegrees, {}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("sin", {}))), "kUnsupported");
}

TEST(EvaluateBallTest, NonNumbersAreUnsupported) {
  for (const Expr& e : {Inf(), Leaf(Op::kEmptySet), Text("yes"), Tuple({Int("1"), Int("2")}), Set({Int("1")}),
                        List({Int("1"), Int("2")}), Interval(Int("0"), Int("1"), true, false), Matrix(1, 1, {Int("1")}),
                        Eq(Sym("x"), Int("1")), PlusMinus(Int("1"), Int("2")), Add({Int("1"), Inf()})}) {
    EXPECT_EQ(BallEvalName(BallEvalStatusOf(e)), "kUnsupported") << ToString(e);
  }
  // Functions the ball path leaves to the exact path or to structure.
  for (const char* name : {"gcd", "lcm", "sgn", "det", "sum", "int", "lim", "nosuchfunction"}) {
    EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn(name, {Int("4"), Int("6")}))), "kUnsupported") << name;
  }
  // Known names with the wrong number of arguments.
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("log", {Int("8"), Int("2"), Int("3")}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("root", {Int("8")}))), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("binomial", {Int("8")}))), "kUnsupported");
}

TEST(EvaluateBallTest, PowersOfZero) {
  EXPECT_TRUE(BallEvalEquals(Pow(Int("0"), Int("0")), BallEvalReal(1)));
  EXPECT_TRUE(BallEvalEquals(Pow(Int("0"), Dec("2.5")), BallEvalReal(0)));
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Pow(Int("0"), Neg(Int("1"))))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Pow(Int("0"), I()))), "kUndefined");  // Re(exponent) is not positive
  // An exactly computed zero base is still zero.
  EXPECT_TRUE(BallEvalEquals(Pow(Sub(Int("3"), Int("3")), Int("2")), BallEvalReal(0)));
}

// A value that is zero but only known to lie in a tiny ball around zero (sin(pi),
// sqrt(2) - sqrt(2)) squared is 0: the power is defined. Math-Verify (sympy) reads
// sin(pi)^2 as 0.
TEST(EvaluateBallTest, PowerOfABallAroundZeroIsDefined) {
  const Expr sin_pi_squared = Pow(Fn("sin", {Pi()}), Int("2"));
  Ball out;
  EXPECT_EQ(BallEvalName(BallEvalStatus(sin_pi_squared, &out)), "kOk");
  const Expr difference_squared = Pow(Sub(Fn("sqrt", {Int("2")}), Fn("sqrt", {Int("2")})), Int("2"));
  EXPECT_EQ(BallEvalName(BallEvalStatus(difference_squared, &out)), "kOk");
  const Expr cos_squared = Pow(Fn("cos", {Div(Pi(), Int("2"))}), Int("2"));
  EXPECT_EQ(BallEvalName(BallEvalStatus(cos_squared, &out)), "kOk");
}

TEST(EvaluateBallTest, PowersArePrincipalValues) {
  EXPECT_TRUE(BallEvalEquals(Pow(Int("2"), Int("10")), BallEvalReal(1024)));
  EXPECT_TRUE(BallEvalEquals(Pow(Int("4"), Dec("0.5")), BallEvalReal(2)));
  EXPECT_TRUE(BallEvalEquals(Pow(Neg(Int("1")), Div(Int("1"), Int("2"))), BallEvalComplex(0, 1)));
  // (-8)^(1/3) is the principal cube root 1 + i sqrt(3), unlike root(-8, 3) = -2.
  EXPECT_TRUE(BallEvalEquals(Pow(Neg(Int("8")), Div(Int("1"), Int("3"))), BallEvalSquareRoots(1, 3)));
  // e^{i pi} = -1
  EXPECT_TRUE(BallEvalEquals(Pow(E(), Mul({I(), Pi()})), BallEvalReal(-1)));
}

// The size of base^exponent is bounded by |exponent * log(base)| < 2^56 before it is
// computed.
TEST(EvaluateBallTest, PowerSizeLimit) {
  Ball out;
  // 10^16 * ln 10 ~ 2.3e16 < 2^56 ~ 7.2e16: a huge but representable number.
  EXPECT_EQ(BallEvalName(BallEvalStatus(Pow(Int("10"), Pow(Int("10"), Int("16"))), &out)), "kOk");
  EXPECT_TRUE(out.IsFinite());
  EXPECT_FALSE(out.BelowPowerOfTwo(1000));
  // 10^17 * ln 10 ~ 2.3e17 > 2^56.
  EXPECT_EQ(BallEvalName(BallEvalStatus(Pow(Int("10"), Pow(Int("10"), Int("17"))), &out)), "kTooLarge");
  // A tiny result is as large a computation as a huge one.
  EXPECT_EQ(BallEvalName(BallEvalStatus(Pow(Int("10"), Neg(Pow(Int("10"), Int("17")))), &out)), "kTooLarge");
  // 1^anything has log size 0.
  EXPECT_TRUE(BallEvalEquals(Pow(Int("1"), Pow(Int("10"), Int("100"))), BallEvalReal(1)));
}

TEST(EvaluateBallTest, Factorials) {
  EXPECT_TRUE(BallEvalEquals(Fact(Int("0")), BallEvalReal(1)));
  EXPECT_TRUE(BallEvalEquals(Fact(Int("10")), BallEvalReal(3628800)));
  // Gamma(3/2) = sqrt(pi) / 2
  Ball half_factorial = BallEvalPi();
  mpfi_sqrt(half_factorial.re(), half_factorial.re());
  mpfi_div_ui(half_factorial.re(), half_factorial.re(), 2);
  EXPECT_TRUE(BallEvalEquals(Fact(Dec("0.5")), half_factorial));
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fact(Neg(Int("1"))))), "kUndefined");  // Gamma(0) is a pole
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fact(Neg(Int("3"))))), "kUndefined");
  // The argument bound is 2^56.
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fact(Pow(Int("2"), Int("56"))))), "kTooLarge");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fact(Pow(Int("2"), Int("52"))))), "kOk");
  // Of a complex number: i! = Gamma(1 + i), |Gamma(1 + i)|^2 = pi / sinh(pi).
  Ball i_factorial = BallEvalValue(Fact(I()));
  Ball norm;
  Mul(
      i_factorial,
      [&] {
        Ball c;
        Conjugate(i_factorial, &c);
        return c;
      }(),
      kBallEvalPrec, &norm);
  Ball expected = BallEvalPi();
  Ball sinh_pi;
  Sinh(BallEvalPi(), kBallEvalPrec, &sinh_pi);
  Div(expected, sinh_pi, kBallEvalPrec, &expected);
  EXPECT_EQ(CompareBalls(norm, expected, kBallEvalPrec), BallOrder::kEqual) << BallEvalText(norm);
}

TEST(EvaluateBallTest, PercentAndDegreesFollowTheRules) {
  EXPECT_TRUE(BallEvalEquals(Percent(Int("28")), BallEvalRational(7, 25)));
  ValueRules whole;
  whole.percent_as_fraction = false;
  EXPECT_TRUE(BallEvalEquals(Percent(Int("28")), BallEvalReal(28), {}, whole));
  EXPECT_TRUE(BallEvalEquals(Degrees(Int("180")), BallEvalReal(180)));
  ValueRules radians;
  radians.degrees_as_radians = true;
  EXPECT_TRUE(BallEvalEquals(Degrees(Int("180")), BallEvalPi(), {}, radians));
  EXPECT_TRUE(BallEvalEquals(Fn("sin", {Degrees(Int("30"))}), BallEvalReal(0.5), {}, radians));
}

TEST(EvaluateBallTest, TrigonometricFunctions) {
  EXPECT_TRUE(BallEvalEquals(Fn("sin", {Div(Pi(), Int("6"))}), BallEvalReal(0.5)));
  EXPECT_TRUE(BallEvalEquals(Fn("cos", {Div(Pi(), Int("3"))}), BallEvalReal(0.5)));
  EXPECT_TRUE(BallEvalEquals(Fn("tan", {Div(Pi(), Int("4"))}), BallEvalReal(1)));
  EXPECT_TRUE(BallEvalEquals(Fn("cot", {Div(Pi(), Int("4"))}), BallEvalReal(1)));
  EXPECT_TRUE(BallEvalEquals(Fn("sec", {Div(Pi(), Int("3"))}), BallEvalReal(2)));
  EXPECT_TRUE(BallEvalEquals(Fn("csc", {Div(Pi(), Int("6"))}), BallEvalReal(2)));
  // Poles: an exact zero and a ball around zero alike.
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("csc", {Int("0")}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("cot", {Int("0")}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("sec", {Div(Pi(), Int("2"))}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("tan", {Div(Pi(), Int("2"))}))), "kUndefined");
}

TEST(EvaluateBallTest, InverseTrigonometricFunctions) {
  EXPECT_TRUE(BallEvalEquals(Fn("arcsin", {Int("1")}), BallEvalPiTimes(1, 2)));
  EXPECT_TRUE(BallEvalEquals(Fn("arccos", {Int("0")}), BallEvalPiTimes(1, 2)));
  EXPECT_TRUE(BallEvalEquals(Fn("arccos", {Neg(Int("1"))}), BallEvalPi()));
  EXPECT_TRUE(BallEvalEquals(Fn("arctan", {Int("1")}), BallEvalPiTimes(1, 4)));
  EXPECT_TRUE(BallEvalEquals(Fn("arccot", {Int("1")}), BallEvalPiTimes(1, 4)));
  EXPECT_TRUE(BallEvalEquals(Fn("arccot", {Neg(Int("1"))}), BallEvalPiTimes(-1, 4)));  // sympy's acot(-1)
  EXPECT_TRUE(BallEvalEquals(Fn("arcsec", {Int("2")}), BallEvalPiTimes(1, 3)));
  EXPECT_TRUE(BallEvalEquals(Fn("arccsc", {Int("2")}), BallEvalPiTimes(1, 6)));
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("arcsec", {Int("0")}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("arccsc", {Int("0")}))), "kUndefined");
  // Outside [-1, 1] arcsin is complex, not undefined.
  Ball out;
  ASSERT_EQ(BallEvalName(BallEvalStatus(Fn("arcsin", {Int("2")}), &out)), "kOk");
  EXPECT_FALSE(out.IsReal());
}

// arccot is defined at 0 (the limit of arctan(1/x) is pi/2; sympy's acot(0) = pi/2).
TEST(EvaluateBallTest, ArccotOfZeroIsHalfPi) {
  EXPECT_TRUE(BallEvalEquals(Fn("arccot", {Int("0")}), BallEvalPiTimes(1, 2)));
}

TEST(EvaluateBallTest, HyperbolicFunctions) {
  Point point;
  SetDouble(0.75, &point["x"]);
  // cosh^2 - sinh^2 = 1, tanh * coth = 1, sech * cosh = 1, csch * sinh = 1.
  EXPECT_TRUE(BallEvalEquals(Sub(Pow(Fn("cosh", {Sym("x")}), Int("2")), Pow(Fn("sinh", {Sym("x")}), Int("2"))),
                             BallEvalReal(1), point));
  EXPECT_TRUE(BallEvalEquals(Mul({Fn("tanh", {Sym("x")}), Fn("coth", {Sym("x")})}), BallEvalReal(1), point));
  EXPECT_TRUE(BallEvalEquals(Mul({Fn("sech", {Sym("x")}), Fn("cosh", {Sym("x")})}), BallEvalReal(1), point));
  EXPECT_TRUE(BallEvalEquals(Mul({Fn("csch", {Sym("x")}), Fn("sinh", {Sym("x")})}), BallEvalReal(1), point));
  // The inverses undo them.
  EXPECT_TRUE(BallEvalEquals(Fn("arsinh", {Fn("sinh", {Sym("x")})}), BallEvalReal(0.75), point));
  EXPECT_TRUE(BallEvalEquals(Fn("arcosh", {Fn("cosh", {Sym("x")})}), BallEvalReal(0.75), point));
  EXPECT_TRUE(BallEvalEquals(Fn("artanh", {Fn("tanh", {Sym("x")})}), BallEvalReal(0.75), point));
  EXPECT_TRUE(BallEvalEquals(Fn("arcosh", {Int("1")}), BallEvalReal(0)));
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("coth", {Int("0")}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("csch", {Int("0")}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("artanh", {Int("1")}))), "kUndefined");
}

TEST(EvaluateBallTest, ExponentialsAndLogarithms) {
  EXPECT_TRUE(BallEvalEquals(Fn("exp", {Int("1")}), BallEvalE()));
  EXPECT_TRUE(BallEvalEquals(Fn("ln", {E()}), BallEvalReal(1)));
  EXPECT_TRUE(BallEvalEquals(Fn("log", {Pow(E(), Int("3"))}), BallEvalReal(3)));  // one argument: natural
  EXPECT_TRUE(BallEvalEquals(Fn("log", {Int("1000"), Int("10")}), BallEvalReal(3)));
  Ball i_pi(kBallEvalPrec);
  mpfi_const_pi(i_pi.im());
  EXPECT_TRUE(BallEvalEquals(Fn("ln", {Neg(Int("1"))}), i_pi));  // the principal value
  // Base 1 divides by log 1 = 0.
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("log", {Int("5"), Int("1")}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("log", {Int("5"), Int("0")}))), "kUndefined");
}

TEST(EvaluateBallTest, Roots) {
  EXPECT_TRUE(BallEvalEquals(Fn("sqrt", {Int("16")}), BallEvalReal(4)));
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Int("27"), Int("3")}), BallEvalReal(3)));
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Neg(Int("32")), Int("5")}), BallEvalReal(-2)));
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Neg(Int("8")), Dec("3.0")}), BallEvalReal(-2)));
  // An even root of a negative number is the principal complex root.
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Neg(Int("16")), Int("4")}), BallEvalSquareRoots(2, 2)));
  // Degrees that are not small positive integers are powers 1/n.
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Int("4"), Neg(Int("2"))}), BallEvalReal(0.5)));
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Int("3"), Dec("0.5")}), BallEvalReal(9)));
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Int("2"), Pow(Int("2"), Int("21"))}), [] {
    Ball v(kBallEvalPrec);
    mpfr_t low, high, two;
    mpfr_inits2(kBallEvalPrec, low, high, two, static_cast<mpfr_ptr>(nullptr));
    mpfr_set_ui(two, 2, MPFR_RNDN);
    mpfr_rootn_ui(low, two, 1UL << 21, MPFR_RNDD);
    mpfr_rootn_ui(high, two, 1UL << 21, MPFR_RNDU);
    mpfi_interv_fr(v.re(), low, high);
    mpfr_clears(low, high, two, static_cast<mpfr_ptr>(nullptr));
    return v;
  }()));
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("root", {Int("8"), Int("0")}))), "kUndefined");
  // A huge exact degree goes through 1/n: no 2^40-bit integer is made for it.
  Ball out;
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("root", {Int("2"), Pow(Int("2"), Pow(Int("2"), Int("40")))}), &out)), "kOk");
  EXPECT_TRUE(BallEvalEquals(Fn("root", {Int("1"), Pow(Int("2"), Pow(Int("2"), Int("40")))}), BallEvalReal(1)));
}

TEST(EvaluateBallTest, ComplexParts) {
  const Expr z = BallEvalComplexLiteral("3", "4");  // 3 + 4i
  EXPECT_TRUE(BallEvalEquals(Fn("abs", {z}), BallEvalReal(5)));
  EXPECT_TRUE(BallEvalEquals(Fn("abs", {Neg(Int("7"))}), BallEvalReal(7)));
  EXPECT_TRUE(BallEvalEquals(Fn("re", {z}), BallEvalReal(3)));
  EXPECT_TRUE(BallEvalEquals(Fn("im", {z}), BallEvalReal(4)));
  EXPECT_TRUE(BallEvalEquals(Fn("conjugate", {z}), BallEvalComplex(3, -4)));
  // Not transcendental: no argument bound.
  Ball out;
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("abs", {Pow(Int("10"), Int("100"))}), &out)), "kOk");
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("sqrt", {Pow(Int("10"), Int("1000"))}), &out)), "kOk");
}

TEST(EvaluateBallTest, FloorCeilMaxMin) {
  EXPECT_TRUE(BallEvalEquals(Fn("floor", {Neg(Dec("3.5"))}), BallEvalReal(-4)));
  EXPECT_TRUE(BallEvalEquals(Fn("floor", {Pi()}), BallEvalReal(3)));
  EXPECT_TRUE(BallEvalEquals(Fn("ceil", {Dec("2.1")}), BallEvalReal(3)));
  EXPECT_TRUE(BallEvalEquals(Fn("ceil", {Neg(Dec("2.1"))}), BallEvalReal(-2)));
  EXPECT_TRUE(BallEvalEquals(Fn("max", {Int("1"), Int("5"), Int("3")}), BallEvalReal(5)));
  EXPECT_TRUE(BallEvalEquals(Fn("min", {Int("2"), Neg(Int("1")), Int("7")}), BallEvalReal(-1)));
  EXPECT_TRUE(BallEvalEquals(Fn("max", {Pi()}), BallEvalPi()));
}

// MPFR's Gamma cannot be interrupted and took minutes at the 256,000 bits that
// comparing (20000.5)! to 2^-160 asks for: past 2,048 bits Gamma is too large.
TEST(EvaluateBallTest, GammaIsNotEvaluatedPastItsPrecisionBound) {
  Ball out;
  for (const Expr& e : {Fact(Dec("20000.5")), Fact(Add({Dec("0.5"), I()})), Fn("binomial", {Dec("7.5"), Int("3")}),
                        Fn("binomial", {Dec("7.5"), Dec("2.5")})}) {
    EXPECT_EQ(BallEvalName(BallEvalStatus(e, &out, {}, {}, 2048)), "kOk") << ToString(e);
    EXPECT_EQ(BallEvalName(BallEvalStatus(e, &out, {}, {}, 2049)), "kTooLarge") << ToString(e);
  }
  // A whole factorial is no Gamma: exact at any precision.
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fact(Int("50000")), &out, {}, {}, 1 << 20)), "kOk");
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fact(Int("100001")), &out, {}, {}, 1 << 20)), "kTooLarge");
}

TEST(EvaluateBallTest, Binomials) {
  EXPECT_TRUE(BallEvalEquals(Fn("binomial", {Int("10"), Int("3")}), BallEvalReal(120)));
  EXPECT_TRUE(BallEvalEquals(Fn("binomial", {Int("5"), Int("7")}), BallEvalReal(0)));  // k > n
  EXPECT_TRUE(BallEvalEquals(Fn("binomial", {Int("5"), Neg(Int("1"))}), BallEvalReal(0)));
  EXPECT_TRUE(BallEvalEquals(Fn("binomial", {Dec("0.5"), Int("1")}), BallEvalReal(0.5)));
  EXPECT_TRUE(BallEvalEquals(Fn("binomial", {Dec("0.5"), Int("2")}), BallEvalRational(-1, 8)));
  Ball out;
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("binomial", {Pow(Int("2"), Int("64")), Int("2")}), &out)), "kTooLarge");
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("binomial", {Int("2"), Pow(Int("2"), Int("64"))}), &out)), "kTooLarge");
}

// binomial(n, k) for a negative integer n is the generalized coefficient
// n (n-1) ... (n-k+1) / k!, as sympy gives it: binomial(-1, 2) = 1, binomial(-2, 3) = -4.
TEST(EvaluateBallTest, BinomialOfNegativeIntegerTop) {
  EXPECT_TRUE(BallEvalEquals(Fn("binomial", {Neg(Int("1")), Int("2")}), BallEvalReal(1)));
  EXPECT_TRUE(BallEvalEquals(Fn("binomial", {Neg(Int("2")), Int("3")}), BallEvalReal(-4)));
}

TEST(EvaluateBallTest, TranscendentalArgumentBound) {
  Ball out;
  for (const char* name : {"sin", "cos", "tan", "exp", "sinh", "floor"}) {
    EXPECT_EQ(BallEvalName(BallEvalStatus(Fn(name, {Pow(Int("2"), Int("56"))}), &out)), "kTooLarge") << name;
    EXPECT_EQ(BallEvalName(BallEvalStatus(Fn(name, {Neg(Pow(Int("2"), Int("56")))}), &out)), "kTooLarge") << name;
  }
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("cos", {Pow(Int("2"), Int("55"))}), &out)), "kOk");
  // exp(2^55) is representable; the bound is on the argument, not the value.
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("exp", {Pow(Int("2"), Int("55"))}), &out)), "kOk");
  EXPECT_TRUE(out.IsFinite());
  EXPECT_FALSE(out.BelowPowerOfTwo(1L << 40));
}

// A logarithm or an arc tangent costs the same whatever its argument's size: ln 2^70
// is 70 ln 2 (it was "too large" with every argument from 2^64 on).
TEST(EvaluateBallTest, LogarithmsTakeArgumentsOfAnySize) {
  const Expr two_to_70 = Pow(Int("2"), Int("70"));
  EXPECT_TRUE(BallEvalEquals(Fn("ln", {two_to_70}), BallEvalValue(Mul({Int("70"), Fn("ln", {Int("2")})}), {})));
  EXPECT_TRUE(BallEvalEquals(Fn("log", {two_to_70, Int("2")}), BallEvalReal(70)));
  Ball out;
  EXPECT_EQ(BallEvalName(BallEvalStatus(Fn("arctan", {Neg(two_to_70)}), &out)), "kOk");
}

TEST(EvaluateBallTest, UnknownFunctions) {
  Point point;
  SetDouble(0.5, &point["x"]);
  SetDouble(2.0, &point["y"]);
  const Ball f_x = BallEvalValue(Apply("f", {Sym("x")}), point);
  // Deterministic: the same name and arguments give the same value, however often.
  EXPECT_TRUE(BallEvalEquals(Apply("f", {Sym("x")}), f_x, point));
  // Same value at the same argument, however it is written.
  EXPECT_TRUE(BallEvalEquals(Apply("f", {Div(Int("1"), Int("2"))}), f_x, point));
  // The name (case included) and the arity select the function.
  EXPECT_EQ(CompareBalls(BallEvalValue(Apply("F", {Sym("x")}), point), f_x, kBallEvalPrec), BallOrder::kDifferent);
  EXPECT_EQ(CompareBalls(BallEvalValue(Apply("f", {Sym("x"), Sym("x")}), point), f_x, kBallEvalPrec),
            BallOrder::kDifferent);
  // Arguments are not interchangeable.
  EXPECT_EQ(CompareBalls(BallEvalValue(Apply("f", {Sym("x"), Sym("y")}), point),
                         BallEvalValue(Apply("f", {Sym("y"), Sym("x")}), point), kBallEvalPrec),
            BallOrder::kDifferent);
  // Not constant in its argument.
  EXPECT_EQ(CompareBalls(BallEvalValue(Apply("f", {Sym("y")}), point), f_x, kBallEvalPrec), BallOrder::kDifferent);
  // A real argument gives a real value, bounded by c0 + c1 + 1 < 1.5 + 1.5 + 1.
  EXPECT_TRUE(f_x.IsReal());
  EXPECT_TRUE(f_x.BelowPowerOfTwo(2));
  // Failures of the arguments pass through; so does the argument bound.
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Apply("f", {Div(Int("1"), Int("0"))}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Apply("f", {Sym("z")}), point)), "kUnsupported");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Apply("f", {Int("1"), Pow(Int("2"), Int("70"))}))), "kTooLarge");
}

TEST(EvaluateBallTest, UndefinedPropagatesThroughOperators) {
  const Expr pole = Div(Int("1"), Int("0"));
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Add({Int("1"), pole}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Mul({Int("0"), pole}))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Neg(pole))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Percent(pole))), "kUndefined");
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Fn("sin", {pole}))), "kUndefined");
  // Dividing by a ball around zero is a pole too.
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(Div(Int("1"), Sub(Pi(), Pi())))), "kUndefined");
}

TEST(EvaluateBallTest, DepthLimitBoundary) {
  // DeepSum(n) has its deepest leaf at depth n below the root, which is depth 0.
  Expr at_limit = DeepSum(kMaxEvalDepth);
  EXPECT_TRUE(BallEvalEquals(at_limit, BallEvalReal(kMaxEvalDepth + 1)));
  Expr past_limit = DeepSum(kMaxEvalDepth + 1);
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(past_limit)), "kTooLarge");
  Expr far_past = DeepSum(50000);
  EXPECT_EQ(BallEvalName(BallEvalStatusOf(far_past)), "kTooLarge");
  Dismantle(&at_limit);
  Dismantle(&past_limit);
  Dismantle(&far_past);
}

TEST(EvaluateBallTest, ExpiredDeadlineThrows) {
  Ball out;
  EXPECT_THROW(EvaluateBall(Int("1"), {}, {}, kBallEvalPrec, Deadline::After(0), &out), DeadlineExceeded);
  EXPECT_THROW(EvaluateBall(Fn("sin", {Pi()}), {}, {}, kBallEvalPrec, Deadline::After(-1), &out), DeadlineExceeded);
  // A generous deadline lets the same work finish.
  EXPECT_EQ(BallEvalName(EvaluateBall(Fn("sin", {Pi()}), {}, {}, kBallEvalPrec, Deadline::After(3600), &out)), "kOk");
}

TEST(EvaluateBallTest, WorkingPrecisionSetsAccuracy) {
  const Expr root_two = Fn("sqrt", {Int("2")});
  for (long prec : {32L, 128L, 1024L}) {
    Ball out;
    ASSERT_EQ(BallEvalName(BallEvalStatus(root_two, &out, {}, {}, prec)), "kOk");
    const long accuracy = RelativeAccuracyBits(out);
    EXPECT_GE(accuracy, prec - 4) << prec;
    EXPECT_LE(accuracy, prec + 4) << prec;
  }
  // At 1024 bits, sin(pi) is within 2^-1000 of 0.
  Ball sin_pi;
  ASSERT_EQ(BallEvalName(BallEvalStatus(Fn("sin", {Pi()}), &sin_pi, {}, {}, 1024)), "kOk");
  EXPECT_TRUE(sin_pi.BelowPowerOfTwo(-1000));
  EXPECT_TRUE(sin_pi.ContainsZero());
}

}  // namespace
}  // namespace rmg::math
