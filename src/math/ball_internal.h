// Pieces shared by the files that implement math/ball.h: owners of MPFR and MPFI
// values, and the result of a value that does not exist.
#pragma once

#include <mpfi.h>
#include <mpfr.h>

#include "math/number.h"

namespace rmg::math::internal {

// An mpfi_t that frees itself.
class Interval {
 public:
  explicit Interval(long prec) { mpfi_init2(v_, prec); }
  Interval(const Interval&) = delete;
  Interval& operator=(const Interval&) = delete;
  ~Interval() { mpfi_clear(v_); }
  mpfi_ptr get() { return v_; }

 private:
  mpfi_t v_;
};

// An mpfr_t that frees itself.
class Real {
 public:
  explicit Real(long prec) { mpfr_init2(v_, prec); }
  Real(const Real&) = delete;
  Real& operator=(const Real&) = delete;
  ~Real() { mpfr_clear(v_); }
  mpfr_ptr get() { return v_; }

 private:
  mpfr_t v_;
};

// Makes *out a box that is not finite: the value does not exist.
inline void SetNotFinite(Ball* out) {
  mpfi_set_d(out->re(), 0);
  mpfr_set_nan(&out->re()->left);
  mpfr_set_nan(&out->re()->right);
}

}  // namespace rmg::math::internal
