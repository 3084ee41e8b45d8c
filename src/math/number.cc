#include "math/number.h"

#include <flint/fmpz.h>
#include <mag.h>

namespace rmg::math {
namespace {

// A mag_t that frees itself.
class Mag {
 public:
  Mag() { mag_init(v_); }
  Mag(const Mag&) = delete;
  Mag& operator=(const Mag&) = delete;
  ~Mag() { mag_clear(v_); }
  mag_struct* get() { return v_; }

 private:
  mag_t v_;
};

// max(1, |a|, |b|) as an upper bound: the scale "narrow" is measured against.
void Scale(const Ball& a, const Ball& b, Mag* scale) {
  Mag t;
  mag_one(scale->get());
  acb_get_mag(t.get(), a.get());
  if (mag_cmp(t.get(), scale->get()) > 0) mag_set(scale->get(), t.get());
  acb_get_mag(t.get(), b.get());
  if (mag_cmp(t.get(), scale->get()) > 0) mag_set(scale->get(), t.get());
}

void PowerOfTen(fmpz* out, unsigned long k) {
  fmpz_set_ui(out, 10);
  fmpz_pow_ui(out, out, k);
}

}  // namespace

bool Rational::ParseDecimal(const std::string& text, Rational* out, size_t max_digits) {
  std::string digits;
  size_t fraction_digits = 0;
  bool seen_point = false;
  for (char c : text) {
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (seen_point) fraction_digits++;
    } else {
      return false;
    }
  }
  if (digits.empty() || digits.size() > max_digits) return false;
  Integer numerator, denominator;
  if (fmpz_set_str(numerator.get(), digits.c_str(), 10) != 0) return false;
  PowerOfTen(denominator.get(), fraction_digits);
  fmpq_set_fmpz_frac(out->get(), numerator.get(), denominator.get());
  return true;
}

Rational Rational::RoundedToDigits(int digits) const {
  Integer power;
  PowerOfTen(power.get(), digits >= 0 ? digits : -digits);
  Rational scaled(*this);
  if (digits >= 0) {
    fmpq_mul_fmpz(scaled.get(), scaled.get(), power.get());
  } else {
    fmpq_div_fmpz(scaled.get(), scaled.get(), power.get());
  }
  // floor(|x| + 1/2) with the sign put back: half away from zero.
  const int sign = scaled.Sign();
  fmpq_abs(scaled.get(), scaled.get());
  Rational half;
  fmpq_set_si(half.get(), 1, 2);
  fmpq_add(scaled.get(), scaled.get(), half.get());
  Integer rounded;
  fmpz_fdiv_q(rounded.get(), fmpq_numref(scaled.get()), fmpq_denref(scaled.get()));
  if (sign < 0) fmpz_neg(rounded.get(), rounded.get());
  Rational result;
  if (digits >= 0) {
    fmpq_set_fmpz_frac(result.get(), rounded.get(), power.get());
  } else {
    fmpz_mul(rounded.get(), rounded.get(), power.get());
    fmpq_set_fmpz(result.get(), rounded.get());
  }
  return result;
}

bool Ball::BelowPowerOfTwo(long exponent) const {
  Mag m;
  acb_get_mag(m.get(), v_);
  return mag_cmp_2exp_si(m.get(), exponent) < 0;
}

BallOrder CompareBalls(const Ball& a, const Ball& b, long prec) {
  if (!acb_overlaps(a.get(), b.get())) return BallOrder::kDifferent;
  Ball difference;
  acb_sub(difference.get(), a.get(), b.get(), prec);
  Mag distance, scale;
  acb_get_mag(distance.get(), difference.get());
  Scale(a, b, &scale);
  mag_mul_2exp_si(scale.get(), scale.get(), -96);
  if (mag_cmp(distance.get(), scale.get()) <= 0) return BallOrder::kEqual;
  return BallOrder::kInconclusive;
}

bool RoundBallToDigits(const Ball& value, int digits, long prec, Rational* out) {
  const arb_struct* re = acb_realref(value.get());
  const arb_struct* im = acb_imagref(value.get());
  if (!arb_contains_zero(im)) return false;
  Mag im_size, tolerance;
  arb_get_mag(im_size.get(), im);
  mag_one(tolerance.get());
  mag_mul_2exp_si(tolerance.get(), tolerance.get(), 32 - prec);
  if (mag_cmp(im_size.get(), tolerance.get()) > 0) return false;

  if (digits < -1000 || digits > 1000) return false;
  // The rounded value becomes an integer of about log2|value| bits: keep it small.
  if (!value.BelowPowerOfTwo(kMaxRoundedLog2)) return false;
  Integer power;
  PowerOfTen(power.get(), digits >= 0 ? digits : -digits);
  RealBall scaled;
  arb_abs(scaled.get(), re);
  if (digits >= 0) {
    arb_mul_fmpz(scaled.get(), scaled.get(), power.get(), prec);
  } else {
    arb_div_fmpz(scaled.get(), scaled.get(), power.get(), prec);
  }
  RealBall half;
  arb_set_d(half.get(), 0.5);
  arb_add(scaled.get(), scaled.get(), half.get(), prec);
  arb_floor(scaled.get(), scaled.get(), prec);
  Integer rounded;
  if (!arb_get_unique_fmpz(rounded.get(), scaled.get())) return false;
  if (!fmpz_is_zero(rounded.get())) {
    if (arb_is_negative(re)) {
      fmpz_neg(rounded.get(), rounded.get());
    } else if (!arb_is_positive(re)) {
      return false;
    }
  }
  if (digits >= 0) {
    fmpq_set_fmpz_frac(out->get(), rounded.get(), power.get());
  } else {
    fmpz_mul(rounded.get(), rounded.get(), power.get());
    fmpq_set_fmpz(out->get(), rounded.get());
  }
  return true;
}

void FreeFlintCachesAtThreadExit() {
  struct Cleanup {
    ~Cleanup() { flint_cleanup(); }
  };
  static thread_local Cleanup cleanup;
  [[maybe_unused]] const Cleanup* constructed = &cleanup;  // constructed here, destroyed at thread exit
}

}  // namespace rmg::math
