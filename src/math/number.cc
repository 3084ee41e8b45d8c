#include "math/number.h"

#include <mpfr.h>

#include "math/ball.h"

namespace rmg::math {
namespace {

void PowerOfTen(mpz_ptr out, unsigned long k) { mpz_ui_pow_ui(out, 10, k); }

}  // namespace

long BitCount(mpz_srcptr n) { return mpz_sgn(n) == 0 ? 0 : static_cast<long>(mpz_sizeinbase(n, 2)); }

long Rational::Bits() const { return BitCount(mpq_numref(v_)) + BitCount(mpq_denref(v_)); }

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
  Rational parsed;
  if (mpz_set_str(parsed.numerator(), digits.c_str(), 10) != 0) return false;
  PowerOfTen(parsed.denominator(), fraction_digits);
  mpq_canonicalize(parsed.get());
  *out = std::move(parsed);
  return true;
}

Rational Rational::RoundedToDigits(int digits) const {
  Integer power;
  PowerOfTen(power.get(), digits >= 0 ? digits : -digits);
  Rational scaled(*this);
  if (digits >= 0) {
    mpz_mul(scaled.numerator(), scaled.numerator(), power.get());
  } else {
    mpz_mul(scaled.denominator(), scaled.denominator(), power.get());
  }
  mpq_canonicalize(scaled.get());
  // floor(|x| + 1/2) with the sign put back: half away from zero.
  const int sign = scaled.Sign();
  mpq_abs(scaled.get(), scaled.get());
  mpq_add(scaled.get(), scaled.get(), Rational(1, 2).get());
  Integer rounded;
  mpz_fdiv_q(rounded.get(), scaled.numerator(), scaled.denominator());
  if (sign < 0) mpz_neg(rounded.get(), rounded.get());
  return ScaledByPowerOfTen(rounded.get(), -digits);
}

Rational Rational::ScaledByPowerOfTen(mpz_srcptr n, int exponent) {
  Rational result;
  Integer power;
  PowerOfTen(power.get(), exponent >= 0 ? exponent : -exponent);
  mpz_set(result.numerator(), n);
  if (exponent >= 0) {
    mpz_mul(result.numerator(), result.numerator(), power.get());
  } else {
    mpz_set(result.denominator(), power.get());
  }
  mpq_canonicalize(result.get());
  return result;
}

Ball::Ball(long precision) {
  mpfi_init2(re_, precision);
  mpfi_init2(im_, precision);
  mpfi_set_ui(re_, 0);
  mpfi_set_ui(im_, 0);
}

Ball::Ball(const Ball& other) : Ball(other.precision()) {
  mpfi_set(re_, other.re_);
  mpfi_set(im_, other.im_);
}

Ball::Ball(Ball&& other) noexcept : Ball(other.precision()) { Swap(other); }

Ball& Ball::operator=(const Ball& other) {
  if (this != &other) {
    Ball copy(other);
    Swap(copy);
  }
  return *this;
}

Ball& Ball::operator=(Ball&& other) noexcept {
  Swap(other);
  return *this;
}

Ball::~Ball() {
  mpfi_clear(re_);
  mpfi_clear(im_);
}

void Ball::Swap(Ball& other) noexcept {
  mpfi_swap(re_, other.re_);
  mpfi_swap(im_, other.im_);
}

bool Ball::IsFinite() const {
  return mpfi_bounded_p(re_) && mpfi_bounded_p(im_) && !mpfi_is_empty(re_) && !mpfi_is_empty(im_);
}

bool Ball::IsReal() const { return mpfi_is_zero(im_); }

bool Ball::IsZero() const { return mpfi_is_zero(re_) && mpfi_is_zero(im_); }

bool Ball::ContainsZero() const { return mpfi_has_zero(re_) && mpfi_has_zero(im_); }

bool Ball::IsExactInteger() const {
  return IsReal() && mpfr_equal_p(&re_->left, &re_->right) && mpfr_integer_p(&re_->left);
}

bool Ball::BelowPowerOfTwo(long exponent) const {
  if (!IsFinite()) return false;
  mpfr_t magnitude;
  mpfr_init2(magnitude, 64);
  MagnitudeUpperBound(*this, magnitude);
  const bool below = mpfr_cmp_ui_2exp(magnitude, 1, exponent) < 0;
  mpfr_clear(magnitude);
  return below;
}

void PrepareThreadForMath() {
  struct Cleanup {
    ~Cleanup() { mpfr_free_cache(); }
  };
  static thread_local Cleanup cleanup;
  [[maybe_unused]] const Cleanup* constructed = &cleanup;  // constructed here, destroyed at thread exit
  mpfr_set_emin(mpfr_get_emin_min());
  mpfr_set_emax(mpfr_get_emax_max());
}

}  // namespace rmg::math
