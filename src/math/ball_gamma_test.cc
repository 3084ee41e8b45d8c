// Gamma and 1/Gamma (ball_gamma.cc): real values against MPFR's correctly rounded Gamma,
// complex ones against the functional equations and a closed form.
#include <gtest/gtest.h>
#include <mpfr.h>

#include <string>
#include <utility>
#include <vector>

#include "math/ball.h"
#include "math/ball_test_helpers.h"

namespace rmg::math {
namespace {

using namespace ball_testing;  // NOLINT: the helpers are the vocabulary of these tests

TEST(BallGammaTest, RealValuesHoldMpfrsValues) {
  for (double x : {0.001, 0.5, 1.0, 1.4616, 1.46165, 1.5, 3.0, 10.5, 170.0, -0.5, -2.5, -7.25}) {
    Ball r;
    Gamma(RealBox(x), kPrec, &r);
    EXPECT_TRUE(HoldsMpfrValue(r, mpfr_gamma, x));
  }
}

TEST(BallGammaTest, GammaPolesAndReciprocal) {
  Ball r;
  for (double pole : {0.0, -1.0, -2.0, -30.0}) {
    Gamma(RealBox(pole), kPrec, &r);
    EXPECT_FALSE(r.IsFinite()) << pole;
    ReciprocalGamma(RealBox(pole), kPrec, &r);
    EXPECT_TRUE(r.IsZero()) << pole;
  }
  // 1/Gamma(x) Gamma(x) = 1 on both sides of 0.
  for (double x : {-3.5, -0.25, 0.75, 4.0, 25.5}) {
    Ball g;
    Gamma(RealBox(x), kPrec, &g);
    ReciprocalGamma(RealBox(x), kPrec, &r);
    Mul(g, r, kPrec, &r);
    EXPECT_TRUE(Same(r, RealBox(1))) << x;
  }
  // Rising(x, n) = Gamma(x + n) / Gamma(x): 2.5 * 3.5 * 4.5 = 39.375.
  Rising(RealBox(2.5), 3, kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(39.375)));
  Rising(RealBox(7), 0, kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(1)));
}

// A narrow box around Gamma's minimum (x0 = 1.46163...) stays narrow: the lower end
// comes from the tangent at the midpoint, not from a constant below the minimum.
TEST(BallGammaTest, BoxAroundTheMinimumStaysNarrow) {
  Ball x(kPrec), r;
  mpfi_interv_d(x.re(), 1.4616321449683622 - 1e-15, 1.4616321449683622 + 1e-15);
  Gamma(x, kPrec, &r);
  mpfr_t width;
  mpfr_init2(width, 64);
  mpfi_diam_abs(width, r.re());
  EXPECT_LT(mpfr_get_d(width, MPFR_RNDU), 1e-25);
  mpfr_clear(width);
  mpfr_t minimum;
  mpfr_init2(minimum, kPrec);
  mpfr_set_d(minimum, 1.4616321449683622, MPFR_RNDN);
  mpfr_gamma(minimum, minimum, MPFR_RNDN);
  EXPECT_GT(mpfi_is_inside_fr(minimum, r.re()), 0);
  mpfr_clear(minimum);
}

TEST(BallGammaTest, ComplexValues) {
  Ball r, pi, expected;
  SetPi(kPrec, &pi);
  // |Gamma(1 + i)|^2 = pi / sinh(pi)
  Gamma(ComplexBox(1, 1), kPrec, &r);
  Ball conjugate;
  Conjugate(r, &conjugate);
  Mul(r, conjugate, kPrec, &r);
  Sinh(pi, kPrec, &expected);
  Div(pi, expected, kPrec, &expected);
  EXPECT_TRUE(Same(r, expected));
  // Gamma(z + 1) = z Gamma(z), right of 1/2 and left of it (the reflection formula).
  for (const Ball& z : {ComplexBox(0.3, 2), ComplexBox(-2.5, 0.5), ComplexBox(7, -30), ComplexBox(0.5, 1e-20)}) {
    Ball g, shifted;
    Gamma(z, kPrec, &g);
    Mul(g, z, kPrec, &g);
    AddInteger(z, 1, kPrec, &shifted);
    Gamma(shifted, kPrec, &shifted);
    EXPECT_TRUE(Same(g, shifted)) << mpfr_get_d(&z.re()->left, MPFR_RNDN);
  }
  // 1/Gamma(z) Gamma(z) = 1
  Gamma(ComplexBox(2.25, -3), kPrec, &r);
  ReciprocalGamma(ComplexBox(2.25, -3), kPrec, &expected);
  Mul(r, expected, kPrec, &r);
  EXPECT_TRUE(Same(r, RealBox(1)));
  // Just off a pole the value is finite and large.
  Gamma(ComplexBox(-3, 1e-10), kPrec, &r);
  EXPECT_TRUE(r.IsFinite());
  EXPECT_FALSE(r.BelowPowerOfTwo(20));
}

}  // namespace
}  // namespace rmg::math
