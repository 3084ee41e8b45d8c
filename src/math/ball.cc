#include "math/ball.h"

#include <mpfr.h>

#include <climits>

#include "math/ball_internal.h"

namespace rmg::math {
namespace {

using internal::Interval;
using internal::Real;
using internal::SetNotFinite;

bool IsRealIn(const Ball& x, double low, double high) {
  return x.IsReal() && mpfr_cmp_d(&x.re()->left, low) >= 0 && mpfr_cmp_d(&x.re()->right, high) <= 0;
}

// An upper bound of |x| over the interval.
void MagnitudeUp(mpfi_srcptr x, mpfr_ptr out) {
  Real left(mpfi_get_prec(x)), right(mpfi_get_prec(x));
  mpfr_abs(left.get(), &x->left, MPFR_RNDU);
  mpfr_abs(right.get(), &x->right, MPFR_RNDU);
  mpfr_max(out, left.get(), right.get(), MPFR_RNDU);
}

// The box [-m, m] x [-m, m] (a value near 0 known only by a bound of its size).
void SetAroundZero(mpfr_srcptr m, long prec, Ball* out) {
  Ball r(prec);
  Real low(prec);
  mpfr_neg(low.get(), m, MPFR_RNDD);
  mpfi_interv_fr(r.re(), low.get(), m);
  mpfi_interv_fr(r.im(), low.get(), m);
  out->Swap(r);
}

// arg z in (-pi, pi]: a box across the negative real axis gets all of [-pi, pi].
void Argument(const Ball& z, long prec, mpfi_ptr out) {
  if (mpfi_is_strictly_pos(z.re()) || !mpfi_has_zero(z.im())) {
    mpfi_atan2(out, z.im(), z.re());
    return;
  }
  mpfi_const_pi(out);
  if (mpfi_is_zero(z.im()) && mpfi_is_strictly_neg(z.re())) return;
  Interval minus_pi(prec);
  mpfi_neg(minus_pi.get(), out);
  mpfi_union(out, out, minus_pi.get());
}

// i * x.
void MulImaginaryUnit(const Ball& x, Ball* out) {
  Ball r(x.precision());
  mpfi_neg(r.re(), x.im());
  mpfi_set(r.im(), x.re());
  out->Swap(r);
}

// -i * x.
void MulMinusImaginaryUnit(const Ball& x, Ball* out) {
  Ball r(x.precision());
  mpfi_set(r.re(), x.im());
  mpfi_neg(r.im(), x.re());
  out->Swap(r);
}

// z^n for a whole n >= 0, by squaring.
void PowerByMultiplying(const Ball& z, unsigned long n, long prec, Ball* out) {
  Ball result(prec), square(z);
  SetDouble(1, &result);
  const bool real = z.IsReal();
  while (n > 0) {
    if (n & 1) Mul(result, square, prec, &result);
    n >>= 1;
    if (n == 0) break;
    if (real) {
      Ball s(prec);
      mpfi_sqr(s.re(), square.re());
      square.Swap(s);
    } else {
      Mul(square, square, prec, &square);
    }
  }
  out->Swap(result);
}

// Endpoint-wise function of the real part (floor, ceil): f(left) rounded down and
// f(right) rounded up.
template <typename F>
void Monotone(const Ball& x, long prec, F f, Ball* out) {
  Real low(prec), high(prec);
  f(low.get(), &x.re()->left, MPFR_RNDD);
  f(high.get(), &x.re()->right, MPFR_RNDU);
  Ball r(prec);
  mpfi_interv_fr(r.re(), low.get(), high.get());
  out->Swap(r);
}

}  // namespace

bool IsExactHalf(const Ball& x) {
  return x.IsReal() && mpfr_equal_p(&x.re()->left, &x.re()->right) && mpfr_cmp_d(&x.re()->left, 0.5) == 0;
}

void SetDouble(double value, Ball* out) { SetDouble(value, 0, out); }

void SetDouble(double re, double im, Ball* out) {
  Ball r(out->precision() < 53 ? 53 : out->precision());
  mpfi_set_d(r.re(), re);
  mpfi_set_d(r.im(), im);
  out->Swap(r);
}

void SetRational(const Rational& value, long prec, Ball* out) {
  Ball r(prec);
  mpfi_set_q(r.re(), value.get());
  out->Swap(r);
}

void SetPi(long prec, Ball* out) {
  Ball r(prec);
  mpfi_const_pi(r.re());
  out->Swap(r);
}

void SetE(long prec, Ball* out) {
  Ball r(prec);
  mpfi_set_ui(r.re(), 1);
  mpfi_exp(r.re(), r.re());
  out->Swap(r);
}

void SetImaginaryUnit(Ball* out) { SetDouble(0, 1, out); }

void Add(const Ball& a, const Ball& b, long prec, Ball* out) {
  Ball r(prec);
  mpfi_add(r.re(), a.re(), b.re());
  mpfi_add(r.im(), a.im(), b.im());
  out->Swap(r);
}

void Sub(const Ball& a, const Ball& b, long prec, Ball* out) {
  Ball r(prec);
  mpfi_sub(r.re(), a.re(), b.re());
  mpfi_sub(r.im(), a.im(), b.im());
  out->Swap(r);
}

void Mul(const Ball& a, const Ball& b, long prec, Ball* out) {
  Ball r(prec);
  if (a.IsReal() && b.IsReal()) {
    mpfi_mul(r.re(), a.re(), b.re());
  } else {
    Interval t(prec);
    mpfi_mul(r.re(), a.re(), b.re());
    mpfi_mul(t.get(), a.im(), b.im());
    mpfi_sub(r.re(), r.re(), t.get());
    mpfi_mul(r.im(), a.re(), b.im());
    mpfi_mul(t.get(), a.im(), b.re());
    mpfi_add(r.im(), r.im(), t.get());
  }
  out->Swap(r);
}

void Div(const Ball& a, const Ball& b, long prec, Ball* out) {
  Ball r(prec);
  if (b.IsReal()) {
    if (mpfi_has_zero(b.re())) return SetNotFinite(out);
    mpfi_div(r.re(), a.re(), b.re());
    mpfi_div(r.im(), a.im(), b.re());
  } else {
    // a conj(b) / |b|^2
    Interval norm(prec), t(prec);
    mpfi_sqr(norm.get(), b.re());
    mpfi_sqr(t.get(), b.im());
    mpfi_add(norm.get(), norm.get(), t.get());
    if (mpfi_has_zero(norm.get())) return SetNotFinite(out);
    mpfi_mul(r.re(), a.re(), b.re());
    mpfi_mul(t.get(), a.im(), b.im());
    mpfi_add(r.re(), r.re(), t.get());
    mpfi_div(r.re(), r.re(), norm.get());
    mpfi_mul(r.im(), a.im(), b.re());
    mpfi_mul(t.get(), a.re(), b.im());
    mpfi_sub(r.im(), r.im(), t.get());
    mpfi_div(r.im(), r.im(), norm.get());
  }
  out->Swap(r);
}

void Neg(const Ball& a, Ball* out) {
  Ball r(a.precision());
  mpfi_neg(r.re(), a.re());
  mpfi_neg(r.im(), a.im());
  out->Swap(r);
}

void Conjugate(const Ball& a, Ball* out) {
  Ball r(a);
  mpfi_neg(r.im(), r.im());
  out->Swap(r);
}

void Inverse(const Ball& a, long prec, Ball* out) {
  Ball one;
  SetDouble(1, &one);
  Div(one, a, prec, out);
}

void AddInteger(const Ball& a, long n, long prec, Ball* out) {
  Ball r(prec);
  mpfi_add_si(r.re(), a.re(), n);
  mpfi_set(r.im(), a.im());
  out->Swap(r);
}

void DivInteger(const Ball& a, unsigned long n, long prec, Ball* out) {
  Ball r(prec);
  mpfi_div_ui(r.re(), a.re(), n);
  mpfi_div_ui(r.im(), a.im(), n);
  out->Swap(r);
}

void MulPowerOfTwo(const Ball& a, long exponent, Ball* out) {
  Ball r(a);
  mpfi_mul_2si(r.re(), r.re(), exponent);
  mpfi_mul_2si(r.im(), r.im(), exponent);
  out->Swap(r);
}

void Pow(const Ball& base, const Ball& exponent, long prec, Ball* out) {
  if (IsExactHalf(exponent)) return Sqrt(base, prec, out);
  if (exponent.IsExactInteger() && exponent.BelowPowerOfTwo(62)) {
    const long n = mpfr_get_si(&exponent.re()->left, MPFR_RNDN);
    if (n >= 0) return PowerByMultiplying(base, static_cast<unsigned long>(n), prec, out);
    Ball r(prec);
    PowerByMultiplying(base, static_cast<unsigned long>(-n), prec + 16, &r);
    return Inverse(r, prec, out);
  }
  if (base.ContainsZero()) {
    // |base^w| = |base|^w <= max over the ends of w, for a real w > 0.
    if (!exponent.IsReal() || !mpfi_is_strictly_pos(exponent.re())) return SetNotFinite(out);
    Real m(prec), low(prec), high(prec);
    MagnitudeUpperBound(base, m.get());
    mpfr_pow(low.get(), m.get(), &exponent.re()->left, MPFR_RNDU);
    mpfr_pow(high.get(), m.get(), &exponent.re()->right, MPFR_RNDU);
    mpfr_max(m.get(), low.get(), high.get(), MPFR_RNDU);
    return SetAroundZero(m.get(), prec, out);
  }
  Ball r(prec);
  Log(base, prec, &r);
  Mul(r, exponent, prec, &r);
  Exp(r, prec, out);
}

void Root(const Ball& x, unsigned long k, long prec, Ball* out) {
  if (k == 1) {
    Ball r(prec);
    mpfi_set(r.re(), x.re());
    mpfi_set(r.im(), x.im());
    return out->Swap(r);
  }
  if (x.IsReal() && mpfi_is_nonneg(x.re())) {
    Real low(prec), high(prec);
    mpfr_rootn_ui(low.get(), &x.re()->left, k, MPFR_RNDD);
    mpfr_rootn_ui(high.get(), &x.re()->right, k, MPFR_RNDU);
    Ball r(prec);
    mpfi_interv_fr(r.re(), low.get(), high.get());
    return out->Swap(r);
  }
  if (x.ContainsZero()) {
    Real m(prec);
    MagnitudeUpperBound(x, m.get());
    mpfr_rootn_ui(m.get(), m.get(), k, MPFR_RNDU);
    return SetAroundZero(m.get(), prec, out);
  }
  Ball r(prec);
  Log(x, prec, &r);
  DivInteger(r, k, prec, &r);
  Exp(r, prec, out);
}

void Sqrt(const Ball& x, long prec, Ball* out) {
  if (x.IsReal()) {
    Ball r(prec);
    if (mpfi_is_nonneg(x.re())) {
      mpfi_sqrt(r.re(), x.re());
    } else if (mpfi_is_strictly_neg(x.re())) {
      mpfi_neg(r.im(), x.re());
      mpfi_sqrt(r.im(), r.im());
    } else {
      // x in [a, b] with a < 0 < b: sqrt(b) real and i sqrt(-a) imaginary at most.
      Real t(prec);
      mpfr_sqrt(t.get(), &x.re()->right, MPFR_RNDU);
      mpfi_interv_d(r.re(), 0, 0);
      mpfi_put_fr(r.re(), t.get());
      mpfr_neg(t.get(), &x.re()->left, MPFR_RNDU);
      mpfr_sqrt(t.get(), t.get(), MPFR_RNDU);
      mpfi_interv_d(r.im(), 0, 0);
      mpfi_put_fr(r.im(), t.get());
    }
    return out->Swap(r);
  }
  Root(x, 2, prec, out);
}

void Exp(const Ball& x, long prec, Ball* out) {
  Ball r(prec);
  if (x.IsReal()) {
    mpfi_exp(r.re(), x.re());
  } else {
    Interval size(prec);
    mpfi_exp(size.get(), x.re());
    mpfi_cos(r.re(), x.im());
    mpfi_mul(r.re(), r.re(), size.get());
    mpfi_sin(r.im(), x.im());
    mpfi_mul(r.im(), r.im(), size.get());
  }
  out->Swap(r);
}

void Log(const Ball& x, long prec, Ball* out) {
  Ball r(prec);
  if (x.IsReal() && mpfi_is_strictly_pos(x.re())) {
    mpfi_log(r.re(), x.re());
  } else if (x.IsReal() && mpfi_is_strictly_neg(x.re())) {
    mpfi_neg(r.re(), x.re());
    mpfi_log(r.re(), r.re());
    mpfi_const_pi(r.im());
  } else {
    if (x.ContainsZero()) return SetNotFinite(out);
    mpfi_hypot(r.re(), x.re(), x.im());
    mpfi_log(r.re(), r.re());
    Argument(x, prec, r.im());
  }
  out->Swap(r);
}

void Sin(const Ball& x, long prec, Ball* out) {
  Ball r(prec);
  if (x.IsReal()) {
    mpfi_sin(r.re(), x.re());
  } else {
    // sin(a + bi) = sin a cosh b + i cos a sinh b
    Interval t(prec);
    mpfi_sin(r.re(), x.re());
    mpfi_cosh(t.get(), x.im());
    mpfi_mul(r.re(), r.re(), t.get());
    mpfi_cos(r.im(), x.re());
    mpfi_sinh(t.get(), x.im());
    mpfi_mul(r.im(), r.im(), t.get());
  }
  out->Swap(r);
}

void Cos(const Ball& x, long prec, Ball* out) {
  Ball r(prec);
  if (x.IsReal()) {
    mpfi_cos(r.re(), x.re());
  } else {
    // cos(a + bi) = cos a cosh b - i sin a sinh b
    Interval t(prec);
    mpfi_cos(r.re(), x.re());
    mpfi_cosh(t.get(), x.im());
    mpfi_mul(r.re(), r.re(), t.get());
    mpfi_sin(r.im(), x.re());
    mpfi_sinh(t.get(), x.im());
    mpfi_mul(r.im(), r.im(), t.get());
    mpfi_neg(r.im(), r.im());
  }
  out->Swap(r);
}

void Tan(const Ball& x, long prec, Ball* out) {
  Ball s(prec), c(prec);
  Sin(x, prec, &s);
  Cos(x, prec, &c);
  Div(s, c, prec, out);
}

void Cot(const Ball& x, long prec, Ball* out) {
  Ball s(prec), c(prec);
  Sin(x, prec, &s);
  Cos(x, prec, &c);
  Div(c, s, prec, out);
}

// For a real x with |x| > 1: log(|x| + sqrt(x^2 - 1)), the size of the imaginary part
// of asin x and acos x there. False when x is not such a number.
bool ImaginaryPartOffTheSegment(const Ball& x, long prec, mpfi_ptr out) {
  if (!x.IsReal() || mpfi_has_zero(x.re())) return false;
  Interval magnitude(prec), root(prec);
  mpfi_abs(magnitude.get(), x.re());
  if (mpfr_cmp_ui(&magnitude.get()->left, 1) <= 0) return false;
  mpfi_sqr(root.get(), magnitude.get());
  mpfi_sub_ui(root.get(), root.get(), 1);
  mpfi_sqrt(root.get(), root.get());
  mpfi_add(out, magnitude.get(), root.get());
  mpfi_log(out, out);
  return true;
}

void Asin(const Ball& x, long prec, Ball* out) {
  if (IsRealIn(x, -1, 1)) {
    Ball r(prec);
    mpfi_asin(r.re(), x.re());
    return out->Swap(r);
  }
  Ball r(prec);
  if (ImaginaryPartOffTheSegment(x, prec, r.im())) {
    // sign(x) pi/2 - sign(x) i log(|x| + sqrt(x^2 - 1)), the principal value
    mpfi_const_pi(r.re());
    mpfi_div_2ui(r.re(), r.re(), 1);
    if (mpfi_is_strictly_pos(x.re()))
      mpfi_neg(r.im(), r.im());
    else
      mpfi_neg(r.re(), r.re());
    return out->Swap(r);
  }
  // -i log(i x + sqrt(1 - x^2))
  Ball root(prec), ix(prec);
  Mul(x, x, prec, &root);
  Neg(root, &root);
  AddInteger(root, 1, prec, &root);
  Sqrt(root, prec, &root);
  MulImaginaryUnit(x, &ix);
  Add(ix, root, prec, &root);
  Log(root, prec, &root);
  MulMinusImaginaryUnit(root, out);
}

void Acos(const Ball& x, long prec, Ball* out) {
  if (IsRealIn(x, -1, 1)) {
    Ball r(prec);
    mpfi_acos(r.re(), x.re());
    return out->Swap(r);
  }
  Ball r(prec);
  if (ImaginaryPartOffTheSegment(x, prec, r.im())) {
    // x > 1: i log(x + sqrt(x^2 - 1)), exactly imaginary; x < -1: pi minus that.
    if (mpfi_is_strictly_neg(x.re())) {
      mpfi_const_pi(r.re());
      mpfi_neg(r.im(), r.im());
    }
    return out->Swap(r);
  }
  // pi/2 - asin x
  Ball half_pi(prec), a(prec);
  SetPi(prec, &half_pi);
  MulPowerOfTwo(half_pi, -1, &half_pi);
  Asin(x, prec, &a);
  Sub(half_pi, a, prec, out);
}

void Atan(const Ball& x, long prec, Ball* out) {
  if (x.IsReal()) {
    Ball r(prec);
    mpfi_atan(r.re(), x.re());
    return out->Swap(r);
  }
  // (i/2) (log(1 - i x) - log(1 + i x))
  Ball ix(prec), minus(prec), plus(prec);
  MulImaginaryUnit(x, &ix);
  Neg(ix, &minus);
  AddInteger(minus, 1, prec, &minus);
  AddInteger(ix, 1, prec, &plus);
  Log(minus, prec, &minus);
  Log(plus, prec, &plus);
  Sub(minus, plus, prec, &minus);
  MulImaginaryUnit(minus, &minus);
  MulPowerOfTwo(minus, -1, out);
}

void Sinh(const Ball& x, long prec, Ball* out) {
  Ball r(prec);
  if (x.IsReal()) {
    mpfi_sinh(r.re(), x.re());
  } else {
    // sinh(a + bi) = sinh a cos b + i cosh a sin b
    Interval t(prec);
    mpfi_sinh(r.re(), x.re());
    mpfi_cos(t.get(), x.im());
    mpfi_mul(r.re(), r.re(), t.get());
    mpfi_cosh(r.im(), x.re());
    mpfi_sin(t.get(), x.im());
    mpfi_mul(r.im(), r.im(), t.get());
  }
  out->Swap(r);
}

void Cosh(const Ball& x, long prec, Ball* out) {
  Ball r(prec);
  if (x.IsReal()) {
    mpfi_cosh(r.re(), x.re());
  } else {
    // cosh(a + bi) = cosh a cos b + i sinh a sin b
    Interval t(prec);
    mpfi_cosh(r.re(), x.re());
    mpfi_cos(t.get(), x.im());
    mpfi_mul(r.re(), r.re(), t.get());
    mpfi_sinh(r.im(), x.re());
    mpfi_sin(t.get(), x.im());
    mpfi_mul(r.im(), r.im(), t.get());
  }
  out->Swap(r);
}

void Tanh(const Ball& x, long prec, Ball* out) {
  if (x.IsReal()) {
    Ball r(prec);
    mpfi_tanh(r.re(), x.re());
    return out->Swap(r);
  }
  Ball s(prec), c(prec);
  Sinh(x, prec, &s);
  Cosh(x, prec, &c);
  Div(s, c, prec, out);
}

void Coth(const Ball& x, long prec, Ball* out) {
  Ball s(prec), c(prec);
  Sinh(x, prec, &s);
  Cosh(x, prec, &c);
  Div(c, s, prec, out);
}

void Sech(const Ball& x, long prec, Ball* out) {
  Ball c(prec);
  Cosh(x, prec, &c);
  Inverse(c, prec, out);
}

void Csch(const Ball& x, long prec, Ball* out) {
  Ball s(prec);
  Sinh(x, prec, &s);
  Inverse(s, prec, out);
}

void Asinh(const Ball& x, long prec, Ball* out) {
  if (x.IsReal()) {
    Ball r(prec);
    mpfi_asinh(r.re(), x.re());
    return out->Swap(r);
  }
  // -i asin(i x)
  Ball t(prec);
  MulImaginaryUnit(x, &t);
  Asin(t, prec, &t);
  MulMinusImaginaryUnit(t, out);
}

void Acosh(const Ball& x, long prec, Ball* out) {
  if (x.IsReal() && mpfr_cmp_ui(&x.re()->left, 1) >= 0) {
    Ball r(prec);
    mpfi_acosh(r.re(), x.re());
    return out->Swap(r);
  }
  // log(x + sqrt(x + 1) sqrt(x - 1))
  Ball plus(prec), minus(prec);
  AddInteger(x, 1, prec, &plus);
  Sqrt(plus, prec, &plus);
  AddInteger(x, -1, prec, &minus);
  Sqrt(minus, prec, &minus);
  Mul(plus, minus, prec, &plus);
  Add(x, plus, prec, &plus);
  Log(plus, prec, out);
}

void Atanh(const Ball& x, long prec, Ball* out) {
  if (x.IsReal() && mpfr_cmp_si(&x.re()->left, -1) > 0 && mpfr_cmp_ui(&x.re()->right, 1) < 0) {
    Ball r(prec);
    mpfi_atanh(r.re(), x.re());
    return out->Swap(r);
  }
  // -i atan(i x)
  Ball t(prec);
  MulImaginaryUnit(x, &t);
  Atan(t, prec, &t);
  MulMinusImaginaryUnit(t, out);
}

void Rising(const Ball& x, unsigned long n, long prec, Ball* out) {
  Ball result(prec), factor(x);
  SetDouble(1, &result);
  for (unsigned long k = 0; k < n; k++) {
    Mul(result, factor, prec, &result);
    AddInteger(factor, 1, prec, &factor);
  }
  out->Swap(result);
}

void Abs(const Ball& x, long prec, Ball* out) {
  Ball r(prec);
  if (x.IsReal()) {
    mpfi_abs(r.re(), x.re());
  } else {
    mpfi_hypot(r.re(), x.re(), x.im());
  }
  out->Swap(r);
}

void Floor(const Ball& x, long prec, Ball* out) { Monotone(x, prec, mpfr_rint_floor, out); }

void Ceil(const Ball& x, long prec, Ball* out) { Monotone(x, prec, mpfr_rint_ceil, out); }

namespace {

// max (or min) by real part. Two real boxes give the tight real interval; otherwise,
// as Arb's acb_real_max, the box whose real part is certainly the larger (smaller), or
// the hull of both when that is not certain.
void Extremum(const Ball& a, const Ball& b, long prec, bool largest, Ball* out) {
  Ball r(prec);
  if (a.IsReal() && b.IsReal()) {
    const auto pick = largest ? mpfr_max : mpfr_min;
    Real low(prec), high(prec);
    pick(low.get(), &a.re()->left, &b.re()->left, MPFR_RNDD);
    pick(high.get(), &a.re()->right, &b.re()->right, MPFR_RNDU);
    mpfi_interv_fr(r.re(), low.get(), high.get());
    return out->Swap(r);
  }
  const bool a_above = mpfr_greater_p(&a.re()->left, &b.re()->right);
  const bool b_above = mpfr_greater_p(&b.re()->left, &a.re()->right);
  if (a_above || b_above) {
    const Ball& chosen = (a_above == largest) ? a : b;
    mpfi_set(r.re(), chosen.re());
    mpfi_set(r.im(), chosen.im());
  } else {
    mpfi_union(r.re(), a.re(), b.re());
    mpfi_union(r.im(), a.im(), b.im());
  }
  out->Swap(r);
}

}  // namespace

void Max(const Ball& a, const Ball& b, long prec, Ball* out) { Extremum(a, b, prec, true, out); }

void Min(const Ball& a, const Ball& b, long prec, Ball* out) { Extremum(a, b, prec, false, out); }

void MagnitudeUpperBound(const Ball& x, mpfr_ptr out) {
  Real re(mpfr_get_prec(out)), im(mpfr_get_prec(out));
  MagnitudeUp(x.re(), re.get());
  MagnitudeUp(x.im(), im.get());
  mpfr_hypot(out, re.get(), im.get(), MPFR_RNDU);
}

BallOrder CompareBalls(const Ball& a, const Ball& b, long prec) {
  if (!Overlaps(a, b)) return BallOrder::kDifferent;
  Ball difference(prec);
  mpfi_sub(difference.re(), a.re(), b.re());
  mpfi_sub(difference.im(), a.im(), b.im());
  Real distance(64), scale(64), t(64);
  MagnitudeUpperBound(difference, distance.get());
  mpfr_set_ui(scale.get(), 1, MPFR_RNDU);
  MagnitudeUpperBound(a, t.get());
  mpfr_max(scale.get(), scale.get(), t.get(), MPFR_RNDU);
  MagnitudeUpperBound(b, t.get());
  mpfr_max(scale.get(), scale.get(), t.get(), MPFR_RNDU);
  mpfr_mul_2si(scale.get(), scale.get(), -96, MPFR_RNDU);
  if (mpfr_lessequal_p(distance.get(), scale.get())) return BallOrder::kEqual;
  return BallOrder::kInconclusive;
}

bool RoundBallToDigits(const Ball& value, int digits, long prec, Rational* out) {
  if (!value.IsFinite() || !mpfi_has_zero(value.im())) return false;
  Real im_size(64);
  MagnitudeUp(value.im(), im_size.get());
  if (mpfr_cmp_ui_2exp(im_size.get(), 1, 32 - prec) > 0) return false;

  if (digits < -1000 || digits > 1000) return false;
  // The rounded value becomes an integer of about log2|value| bits: keep it small.
  if (!value.BelowPowerOfTwo(kMaxRoundedLog2)) return false;
  Integer power;
  mpz_ui_pow_ui(power.get(), 10, digits >= 0 ? digits : -digits);
  Interval scaled(prec);
  mpfi_abs(scaled.get(), value.re());
  if (digits >= 0) {
    mpfi_mul_z(scaled.get(), scaled.get(), power.get());
  } else {
    mpfi_div_z(scaled.get(), scaled.get(), power.get());
  }
  mpfi_add_d(scaled.get(), scaled.get(), 0.5);
  // floor(|x| + 1/2) is one integer only when both ends of the interval share it.
  Integer low, high;
  mpfr_get_z(low.get(), &scaled.get()->left, MPFR_RNDD);
  mpfr_get_z(high.get(), &scaled.get()->right, MPFR_RNDD);
  if (mpz_cmp(low.get(), high.get()) != 0) return false;
  if (mpz_sgn(low.get()) != 0) {
    if (mpfi_is_strictly_neg(value.re())) {
      mpz_neg(low.get(), low.get());
    } else if (!mpfi_is_strictly_pos(value.re())) {
      return false;
    }
  }
  *out = Rational::ScaledByPowerOfTen(low.get(), -digits);
  return true;
}

bool Overlaps(const Ball& a, const Ball& b) {
  const auto overlap = [](mpfi_srcptr p, mpfi_srcptr q) {
    return mpfr_lessequal_p(&p->left, &q->right) && mpfr_lessequal_p(&q->left, &p->right);
  };
  return overlap(a.re(), b.re()) && overlap(a.im(), b.im());
}

namespace {

long MidpointExponent(mpfi_srcptr part) {
  Real mid(mpfi_get_prec(part) + 1);
  mpfi_mid(mid.get(), part);
  if (mpfr_zero_p(mid.get()) || !mpfr_number_p(mid.get())) return LONG_MIN / 2;
  return mpfr_get_exp(mid.get());
}

}  // namespace

long RealMidpointExponent(const Ball& x) { return MidpointExponent(x.re()); }

long ImaginaryMidpointExponent(const Ball& x) { return MidpointExponent(x.im()); }

double RealMidpoint(const Ball& x) {
  Real mid(mpfi_get_prec(x.re()) + 1);
  mpfi_mid(mid.get(), x.re());
  return mpfr_get_d(mid.get(), MPFR_RNDN);
}

}  // namespace rmg::math
