// The box functions (ball.cc): values are checked against MPFR's correctly rounded
// functions of one real variable, or against identities and known principal values, at
// the edges of each domain (branch cuts, poles, exact zeros).
#include "math/ball.h"

#include <gtest/gtest.h>
#include <mpfr.h>

#include <string>
#include <utility>
#include <vector>

#include "math/ball_test_helpers.h"

namespace rmg::math {
namespace {

using namespace ball_testing;  // NOLINT: the helpers are the vocabulary of these tests

TEST(BallTest, ArithmeticKeepsRealValuesExactlyReal) {
  Ball r;
  Mul(RealBox(3), RealBox(-2), kPrec, &r);
  EXPECT_TRUE(r.IsReal());
  EXPECT_TRUE(r.IsExactInteger());
  Div(RealBox(1), RealBox(3), kPrec, &r);
  EXPECT_TRUE(r.IsReal());
  EXPECT_FALSE(r.IsExactInteger());
  Mul(ComplexBox(0, 1), ComplexBox(0, 1), kPrec, &r);  // i^2
  EXPECT_TRUE(Same(r, RealBox(-1)));
  Div(ComplexBox(1, 2), ComplexBox(3, -4), kPrec, &r);  // (1+2i)/(3-4i) = -1/5 + 2/5 i
  Mul(r, RealBox(5), kPrec, &r);
  EXPECT_TRUE(Same(r, ComplexBox(-1, 2)));
  // Aliasing: the output may be an input.
  Ball x = RealBox(5);
  Add(x, x, kPrec, &x);
  EXPECT_TRUE(Same(x, RealBox(10)));
}

TEST(BallTest, DivisionByABoxAroundZeroIsNotFinite) {
  Ball zero_ish, r;
  Ball pi;
  SetPi(kPrec, &pi);
  Sin(pi, kPrec, &zero_ish);
  EXPECT_TRUE(zero_ish.ContainsZero());
  Div(RealBox(1), zero_ish, kPrec, &r);
  EXPECT_FALSE(r.IsFinite());
  Inverse(ComplexBox(0, 0), kPrec, &r);
  EXPECT_FALSE(r.IsFinite());
}

TEST(BallTest, RealFunctionsHoldMpfrsValues) {
  struct Case {
    const char* name;
    void (*ours)(const Ball&, long, Ball*);
    MpfrFunction mpfr;
    std::vector<double> points;
  };
  const std::vector<Case> cases = {
      {"exp", Exp, mpfr_exp, {-30, -1, 0, 0.5, 2, 100}},
      {"log", Log, mpfr_log, {1e-10, 0.5, 1, 2, 1e10}},
      {"sqrt", Sqrt, mpfr_sqrt, {0, 0.25, 2, 1e6}},
      {"sin", Sin, mpfr_sin, {-4, 0, 0.5, 3, 1e6}},
      {"cos", Cos, mpfr_cos, {-4, 0, 0.5, 3, 1e6}},
      {"tan", Tan, mpfr_tan, {-1, 0, 0.5, 1.5}},
      {"cot", Cot, mpfr_cot, {-1, 0.5, 1.5}},
      {"asin", Asin, mpfr_asin, {-1, -0.5, 0, 0.75, 1}},
      {"acos", Acos, mpfr_acos, {-1, -0.5, 0, 0.75, 1}},
      {"atan", Atan, mpfr_atan, {-1e10, -1, 0, 0.5, 3}},
      {"sinh", Sinh, mpfr_sinh, {-3, 0, 0.5, 20}},
      {"cosh", Cosh, mpfr_cosh, {-3, 0, 0.5, 20}},
      {"tanh", Tanh, mpfr_tanh, {-3, 0, 0.5, 20}},
      {"coth", Coth, mpfr_coth, {-3, 0.5, 20}},
      {"sech", Sech, mpfr_sech, {-3, 0, 0.5}},
      {"csch", Csch, mpfr_csch, {-3, 0.5}},
      {"asinh", Asinh, mpfr_asinh, {-3, 0, 0.5, 1e8}},
      {"acosh", Acosh, mpfr_acosh, {1, 1.5, 1e8}},
      {"atanh", Atanh, mpfr_atanh, {-0.75, 0, 0.5}},
      {"abs", Abs, mpfr_abs, {-2.5, 0, 3}},
  };
  for (const Case& c : cases) {
    for (double x : c.points) {
      Ball r;
      c.ours(RealBox(x), kPrec, &r);
      EXPECT_TRUE(HoldsMpfrValue(r, c.mpfr, x)) << c.name;
    }
  }
}

TEST(BallTest, PrincipalValuesOffTheRealDomain) {
  Ball r, pi;
  SetPi(kPrec, &pi);
  // sqrt(-4) = 2i exactly on the imaginary axis; log(-1) = i pi.
  Sqrt(RealBox(-4), kPrec, &r);
  EXPECT_TRUE(Same(r, ComplexBox(0, 2)));
  EXPECT_TRUE(mpfi_is_zero(r.re()));
  Log(RealBox(-1), kPrec, &r);
  Ball i_pi;
  Mul(pi, ComplexBox(0, 1), kPrec, &i_pi);
  EXPECT_TRUE(Same(r, i_pi));
  // asin 2 = pi/2 - i log(2 + sqrt 3), as Arb and sympy give it; acos 2 = i log(2 + sqrt 3).
  Ball log_term;
  Sqrt(RealBox(3), kPrec, &log_term);
  AddInteger(log_term, 2, kPrec, &log_term);
  Log(log_term, kPrec, &log_term);
  Asin(RealBox(2), kPrec, &r);
  EXPECT_TRUE(mpfi_is_strictly_neg(r.im()));
  Ball expected;
  MulPowerOfTwo(pi, -1, &expected);
  Ball imaginary;
  Mul(log_term, ComplexBox(0, -1), kPrec, &imaginary);
  Add(expected, imaginary, kPrec, &expected);
  EXPECT_TRUE(Same(r, expected));
  Acos(RealBox(2), kPrec, &r);
  Mul(log_term, ComplexBox(0, 1), kPrec, &expected);
  EXPECT_TRUE(Same(r, expected));
  EXPECT_TRUE(mpfi_is_zero(r.re()));  // exactly imaginary, as Arb has it
  // Odd in x: asin(-2) = -asin(2); acos(-2) = pi - acos(2).
  Ball other;
  Asin(RealBox(-2), kPrec, &r);
  Asin(RealBox(2), kPrec, &other);
  Neg(other, &other);
  EXPECT_TRUE(Same(r, other));
  Acos(RealBox(-2), kPrec, &r);
  Acos(RealBox(2), kPrec, &other);
  Sub(pi, other, kPrec, &other);
  EXPECT_TRUE(Same(r, other));
  // acosh(1/2) = i pi/3; atan(2i) and atanh(2) are finite (away from the poles +-i, +-1).
  Acosh(RealBox(0.5), kPrec, &r);
  Mul(pi, ComplexBox(0, 1), kPrec, &expected);
  DivInteger(expected, 3, kPrec, &expected);
  EXPECT_TRUE(Same(r, expected));
  Atan(ComplexBox(0, 2), kPrec, &r);
  EXPECT_TRUE(r.IsFinite());
  Atanh(RealBox(2), kPrec, &r);
  EXPECT_TRUE(r.IsFinite());
  Atan(ComplexBox(0, 1), kPrec, &r);  // a pole
  EXPECT_FALSE(r.IsFinite());
  Atanh(RealBox(1), kPrec, &r);
  EXPECT_FALSE(r.IsFinite());
}

TEST(BallTest, ComplexFunctionsSatisfyTheirIdentities) {
  const Ball z = ComplexBox(0.75, -1.25);
  Ball a, b, r;
  // sin^2 + cos^2 = 1
  Sin(z, kPrec, &a);
  Cos(z, kPrec, &b);
  Mul(a, a, kPrec, &a);
  Mul(b, b, kPrec, &b);
  Add(a, b, kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(1)));
  // exp(log z) = z, sqrt(z)^2 = z, cbrt(z)^3 = z
  Log(z, kPrec, &r);
  Exp(r, kPrec, &r);
  EXPECT_TRUE(Same(r, z));
  Sqrt(z, kPrec, &r);
  Mul(r, r, kPrec, &r);
  EXPECT_TRUE(Same(r, z));
  Root(z, 3, kPrec, &r);
  Pow(r, RealBox(3), kPrec, &r);
  EXPECT_TRUE(Same(r, z));
  // The inverse functions undo theirs.
  using Function = void (*)(const Ball&, long, Ball*);
  const std::vector<std::pair<Function, Function>> pairs = {{Sin, Asin},   {Cos, Acos},   {Tan, Atan},
                                                            {Sinh, Asinh}, {Cosh, Acosh}, {Tanh, Atanh}};
  for (const auto& [f, inverse] : pairs) {
    f(ComplexBox(0.5, 0.25), kPrec, &r);
    inverse(r, kPrec, &r);
    EXPECT_TRUE(Same(r, ComplexBox(0.5, 0.25)));
  }
}

TEST(BallTest, PowersAndRoots) {
  Ball r;
  // An exact integer exponent multiplies: (-2)^3 is exactly real, (-2)^-2 = 1/4.
  Pow(RealBox(-2), RealBox(3), kPrec, &r);
  EXPECT_TRUE(r.IsExactInteger());
  EXPECT_TRUE(Same(r, RealBox(-8)));
  Pow(RealBox(-2), RealBox(-2), kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(0.25)));
  // 1/2 is a square root: (-4)^(1/2) is exactly 2i.
  Pow(RealBox(-4), RealBox(0.5), kPrec, &r);
  EXPECT_TRUE(mpfi_is_zero(r.re()));
  EXPECT_TRUE(Same(r, ComplexBox(0, 2)));
  Pow(ComplexBox(0, 1), RealBox(4), kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(1)));
  // Otherwise the principal value: (-8)^(1/3) = 1 + i sqrt 3.
  Ball third;
  SetRational(Rational(1, 3), kPrec, &third);
  Pow(RealBox(-8), third, kPrec, &r);
  Ball expected;
  Sqrt(RealBox(3), kPrec, &expected);
  Mul(expected, ComplexBox(0, 1), kPrec, &expected);
  AddInteger(expected, 1, kPrec, &expected);
  EXPECT_TRUE(Same(r, expected));
  // A base around 0 with a real positive exponent: a small box around 0.
  Ball pi, near_zero;
  SetPi(kPrec, &pi);
  Sin(pi, kPrec, &near_zero);
  Pow(near_zero, RealBox(0.5), kPrec, &r);
  EXPECT_TRUE(r.IsFinite());
  EXPECT_TRUE(r.ContainsZero());
  EXPECT_TRUE(r.BelowPowerOfTwo(-50));
  Pow(near_zero, RealBox(-0.5), kPrec, &r);
  EXPECT_FALSE(r.IsFinite());
  // Real roots of real bases >= 0 are real; of a box around 0, a box around 0.
  Root(RealBox(32), 5, kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(2)));
  EXPECT_TRUE(r.IsReal());
  Root(near_zero, 4, kPrec, &r);
  EXPECT_TRUE(r.ContainsZero());
  EXPECT_TRUE(r.BelowPowerOfTwo(-20));
  Sqrt(near_zero, kPrec, &r);
  EXPECT_TRUE(r.IsFinite());
  EXPECT_TRUE(r.ContainsZero());
}

TEST(BallTest, FloorCeilMaxMinTakeRealParts) {
  Ball r;
  Floor(RealBox(-2.5), kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(-3)));
  Ceil(RealBox(-2.5), kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(-2)));
  Max(RealBox(1), RealBox(2), kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(2)));
  Min(RealBox(1), RealBox(2), kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(1)));
  // By the real parts, as Arb's acb_real_floor and acb_real_max have it: floor of the
  // real part; the argument whose real part is larger (smaller), or the hull of both.
  Floor(ComplexBox(1.5, 1), kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(1)));
  Max(ComplexBox(3, 1), RealBox(2), kPrec, &r);
  EXPECT_TRUE(Same(r, ComplexBox(3, 1)));
  Min(ComplexBox(3, 1), ComplexBox(2, -1), kPrec, &r);
  EXPECT_TRUE(Same(r, ComplexBox(2, -1)));
  Max(ComplexBox(2, 1), ComplexBox(2, -1), kPrec, &r);
  EXPECT_TRUE(mpfi_is_inside_d(1, r.im()) && mpfi_is_inside_d(-1, r.im()));
}

TEST(BallTest, MagnitudesAndMidpoints) {
  EXPECT_TRUE(ComplexBox(3, 4).BelowPowerOfTwo(3));  // |3 + 4i| = 5 < 8
  EXPECT_FALSE(ComplexBox(3, 4).BelowPowerOfTwo(2));
  EXPECT_EQ(RealMidpointExponent(RealBox(1000)), 10);  // 512 <= 1000 < 1024
  EXPECT_EQ(ImaginaryMidpointExponent(ComplexBox(1, 0.25)), -1);
  EXPECT_LT(ImaginaryMidpointExponent(RealBox(1)), -1000000);
  EXPECT_DOUBLE_EQ(RealMidpoint(RealBox(-2.5)), -2.5);
  EXPECT_TRUE(Overlaps(RealBox(1), RealBox(1)));
  EXPECT_FALSE(Overlaps(RealBox(1), ComplexBox(1, 1e-30)));
}

}  // namespace
}  // namespace rmg::math
