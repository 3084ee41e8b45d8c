// Helpers of the box tests (ball_test.cc, ball_gamma_test.cc): exact boxes from doubles,
// and checks of a box against MPFR's value or against another box.
#pragma once

#include <gtest/gtest.h>
#include <mpfr.h>

#include "math/ball.h"

namespace rmg::math::ball_testing {

constexpr long kPrec = 128;

inline Ball ComplexBox(double re, double im) {
  Ball b;
  SetDouble(re, im, &b);
  return b;
}

inline Ball RealBox(double re) { return ComplexBox(re, 0); }

using MpfrFunction = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);

// True when the box is exactly real, finite, narrow, and holds f(x) as MPFR rounds it.
inline ::testing::AssertionResult HoldsMpfrValue(const Ball& b, MpfrFunction f, double x) {
  mpfr_t argument, value, width;
  mpfr_inits2(kPrec, argument, value, width, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_d(argument, x, MPFR_RNDN);
  f(value, argument, MPFR_RNDN);
  const bool inside = mpfi_is_inside_fr(value, b.re()) > 0;
  mpfi_diam(width, b.re());  // relative, or absolute for an interval around 0
  const bool narrow = mpfr_cmp_ui_2exp(width, 1, 20 - kPrec) < 0;
  mpfr_clears(argument, value, width, static_cast<mpfr_ptr>(nullptr));
  if (!b.IsFinite()) return ::testing::AssertionFailure() << "not finite at " << x;
  if (!b.IsReal()) return ::testing::AssertionFailure() << "not exactly real at " << x;
  if (!inside) return ::testing::AssertionFailure() << "MPFR's value is outside the box at " << x;
  if (!narrow) return ::testing::AssertionFailure() << "the box is wide at " << x;
  return ::testing::AssertionSuccess();
}

// a and b hold the same value to within 2^-96 (CompareBalls' "equal").
inline ::testing::AssertionResult Same(const Ball& a, const Ball& b) {
  if (CompareBalls(a, b, kPrec) == BallOrder::kEqual) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "boxes differ or are wide";
}

}  // namespace rmg::math::ball_testing
