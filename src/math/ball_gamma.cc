// Gamma and 1/Gamma (ball.h). Real arguments use MPFR's correctly rounded Gamma at the
// ends of the interval, where Gamma is monotone, and the reflection formula left of 0.
// Other arguments use Stirling's series with a rigorous bound on its remainder.
#include <mpfr.h>

#include <algorithm>
#include <vector>

#include "math/ball.h"
#include "math/ball_internal.h"

namespace rmg::math {
namespace {

using internal::Interval;
using internal::Real;
using internal::SetNotFinite;

// The integer nearest the interval's midpoint (the arguments here are below 2^56).
long NearestInteger(mpfi_srcptr x) {
  Real mid(mpfi_get_prec(x) + 1);
  mpfi_mid(mid.get(), x);
  return mpfr_get_si(mid.get(), MPFR_RNDN);
}

// Gamma of the real interval x with x > 0: Gamma falls on (0, x0) and rises after,
// x0 = 1.46163..., where it is 0.88560...
void GammaOfPositive(mpfi_srcptr x, long prec, mpfi_ptr out) {
  Real low(prec), high(prec);
  if (mpfr_equal_p(&x->left, &x->right)) {
    mpfr_gamma(low.get(), &x->left, MPFR_RNDD);
    mpfr_gamma(high.get(), &x->left, MPFR_RNDU);
  } else if (mpfr_cmp_d(&x->right, 1.4616) <= 0) {
    mpfr_gamma(low.get(), &x->right, MPFR_RNDD);
    mpfr_gamma(high.get(), &x->left, MPFR_RNDU);
  } else if (mpfr_cmp_d(&x->left, 1.4617) >= 0) {
    mpfr_gamma(low.get(), &x->left, MPFR_RNDD);
    mpfr_gamma(high.get(), &x->right, MPFR_RNDU);
  } else {
    // Gamma is convex on (0, inf), so it lies above its tangent at the midpoint c:
    // Gamma(x) >= Gamma(c) - |Gamma(c) digamma(c)| |x - c| >= that at the far end.
    Real other(prec), c(prec + 1), slope(prec), reach(prec);
    mpfi_mid(c.get(), x);
    mpfr_gamma(low.get(), c.get(), MPFR_RNDD);
    mpfr_gamma(other.get(), c.get(), MPFR_RNDU);
    mpfr_digamma(slope.get(), c.get(), MPFR_RNDA);
    mpfr_abs(slope.get(), slope.get(), MPFR_RNDU);
    mpfr_mul(slope.get(), slope.get(), other.get(), MPFR_RNDU);
    mpfr_sub(reach.get(), &x->right, c.get(), MPFR_RNDU);
    mpfr_sub(other.get(), c.get(), &x->left, MPFR_RNDU);
    mpfr_max(reach.get(), reach.get(), other.get(), MPFR_RNDU);
    mpfr_mul(slope.get(), slope.get(), reach.get(), MPFR_RNDU);
    mpfr_sub(low.get(), low.get(), slope.get(), MPFR_RNDD);
    // 0.8856 is below the minimum, 0.885603...
    if (mpfr_cmp_d(low.get(), 0.8856) < 0) mpfr_set_d(low.get(), 0.8856, MPFR_RNDD);
    mpfr_gamma(high.get(), &x->left, MPFR_RNDU);
    mpfr_gamma(other.get(), &x->right, MPFR_RNDU);
    mpfr_max(high.get(), high.get(), other.get(), MPFR_RNDU);
  }
  mpfi_interv_fr(out, low.get(), high.get());
}

// 1/Gamma(x) = sin(pi x) Gamma(1 - x) / pi, for a real interval with 1 - x > 0 (0 at
// the poles of Gamma). sin(pi x) is computed as (-1)^n sin(pi (x - n)) for the integer n
// nearest x, so that near a pole (x close to n) no bits are lost to a large argument.
void ReciprocalGammaByReflection(mpfi_srcptr x, long prec, mpfi_ptr out) {
  const long nearest = NearestInteger(x);
  Interval pi(prec), one_minus_x(prec), gamma(prec);
  mpfi_const_pi(pi.get());
  mpfi_sub_si(out, x, nearest);
  mpfi_mul(out, out, pi.get());
  mpfi_sin(out, out);
  if (nearest % 2 != 0) mpfi_neg(out, out);
  mpfi_ui_sub(one_minus_x.get(), 1, x);
  GammaOfPositive(one_minus_x.get(), prec, gamma.get());
  mpfi_mul(out, out, gamma.get());
  mpfi_div(out, out, pi.get());
}

// The first `count` even Bernoulli numbers (index j holds B_{2j}), computed once per
// thread and extended on demand: B_m = -1/(m+1) sum_{j<m} C(m+1, j) B_j.
const std::vector<Rational>& EvenBernoulliNumbers(size_t count) {
  static thread_local std::vector<Rational> all = {Rational(1)};  // B_0, B_1, B_2, ...
  static thread_local std::vector<Rational> even;
  const size_t needed = 2 * count;  // B_0 .. B_{2 count - 1}
  while (all.size() < needed) {
    const unsigned long m = all.size();
    Rational sum, term;
    Integer binomial;
    for (unsigned long j = 0; j < m; j++) {
      if (j > 1 && j % 2 == 1) continue;  // the odd ones past B_1 are 0
      mpz_bin_uiui(binomial.get(), m + 1, j);
      mpz_set(mpq_numref(term.get()), binomial.get());
      mpz_set_ui(mpq_denref(term.get()), 1);
      mpq_mul(term.get(), term.get(), all[j].get());
      mpq_add(sum.get(), sum.get(), term.get());
    }
    mpq_div(sum.get(), sum.get(), Rational(-static_cast<long>(m + 1)).get());
    all.push_back(std::move(sum));
  }
  while (even.size() < count) even.push_back(all[2 * even.size()]);
  return even;
}

// log Gamma(w) for Re w > 0, by Stirling's series with `terms` - 1 terms:
// (w - 1/2) log w - w + log(2 pi)/2 + sum_k B_2k / (2k (2k-1) w^(2k-1)) + R, where
// |R| <= |B_2K| sec^2K(arg(w)/2) / (2K (2K-1) |w|^(2K-1)) (DLMF 5.11.ii), and
// sec^2(arg(w)/2) <= 2 for Re w > 0.
void StirlingLogGamma(const Ball& w, long terms, long prec, Ball* out) {
  const std::vector<Rational>& bernoulli = EvenBernoulliNumbers(terms + 1);
  Ball sum(prec), t(prec), half(prec);
  SetDouble(0.5, &half);
  Sub(w, half, prec, &t);
  Log(w, prec, &sum);
  Mul(sum, t, prec, &sum);
  Sub(sum, w, prec, &sum);
  Ball two_pi(prec);
  SetPi(prec, &two_pi);
  MulPowerOfTwo(two_pi, 1, &two_pi);
  Log(two_pi, prec, &t);
  MulPowerOfTwo(t, -1, &t);
  Add(sum, t, prec, &sum);
  Ball inverse(prec), inverse_squared(prec), power(prec);
  Inverse(w, prec, &inverse);
  Mul(inverse, inverse, prec, &inverse_squared);
  power = inverse;  // w^-(2k-1)
  for (long k = 1; k < terms; k++) {
    Rational coefficient(bernoulli[k]);
    mpz_mul_ui(mpq_denref(coefficient.get()), mpq_denref(coefficient.get()), 2 * k * (2 * k - 1));
    mpq_canonicalize(coefficient.get());
    SetRational(coefficient, prec, &t);
    Mul(t, power, prec, &t);
    Add(sum, t, prec, &sum);
    Mul(power, inverse_squared, prec, &power);
  }
  // The remainder bound, added to both parts: |B_2K| 2^K / (2K (2K-1) |w|^(2K-1)).
  const long k = terms;
  Real bound(64), magnitude(64);
  mpfr_set_q(bound.get(), bernoulli[k].get(), MPFR_RNDA);
  mpfr_abs(bound.get(), bound.get(), MPFR_RNDU);
  mpfr_mul_2si(bound.get(), bound.get(), k, MPFR_RNDU);
  mpfr_div_ui(bound.get(), bound.get(), 2 * k * (2 * k - 1), MPFR_RNDU);
  // |w| >= Re w, bounded below by the left end of the real part.
  mpfr_set(magnitude.get(), &w.re()->left, MPFR_RNDD);
  mpfr_pow_ui(magnitude.get(), magnitude.get(), 2 * k - 1, MPFR_RNDD);
  mpfr_div(bound.get(), bound.get(), magnitude.get(), MPFR_RNDU);
  Interval error(prec);
  Real low(64);
  mpfr_neg(low.get(), bound.get(), MPFR_RNDD);
  mpfi_interv_fr(error.get(), low.get(), bound.get());
  mpfi_add(sum.re(), sum.re(), error.get());
  mpfi_add(sum.im(), sum.im(), error.get());
  out->Swap(sum);
}

// Gamma of a box that is not real: reflected to Re > 0 if it reaches Re <= 0, shifted right until
// Stirling's series converges to the working precision, and shifted back.
void ComplexGamma(const Ball& z, long prec, Ball* out) {
  const long work = prec + 32;
  if (mpfr_sgn(&z.re()->left) <= 0) {
    // Gamma(z) = pi / (sin(pi z) Gamma(1 - z))
    Ball reflected(work), sine(work), pi(work);
    Neg(z, &reflected);
    AddInteger(reflected, 1, work, &reflected);
    if (mpfr_sgn(&reflected.re()->left) <= 0) return SetNotFinite(out);  // a box too wide
    ComplexGamma(reflected, work, &reflected);
    // sin(pi z) = (-1)^n sin(pi (z - n)), n the integer nearest Re z: no bits lost near a pole.
    const long nearest = NearestInteger(z.re());
    SetPi(work, &pi);
    AddInteger(z, -nearest, work, &sine);
    Mul(pi, sine, work, &sine);
    Sin(sine, work, &sine);
    if (nearest % 2 != 0) Neg(sine, &sine);
    Mul(sine, reflected, work, &sine);
    return Div(pi, sine, prec, out);
  }
  // With Re w >= K, the remainder after K terms is about 2^(-5 K): K = work / 5 terms
  // leave it below 2^-work. Terms are cheap (the Bernoulli numbers are kept per thread);
  // each step of the shift costs a multiplication and a share of a logarithm.
  const long terms = work / 5 + 2;
  const long start = terms;
  unsigned long shift = 0;
  if (mpfr_cmp_si(&z.re()->left, start) < 0) {
    Real gap(64);
    mpfr_si_sub(gap.get(), start, &z.re()->left, MPFR_RNDU);
    shift = mpfr_get_ui(gap.get(), MPFR_RNDU) + 1;
  }
  // Gamma(z) = Gamma(z + shift) / (z (z+1) ... (z+shift-1)), the product taken as a sum
  // of the logarithms of runs of kRun factors: a long product of boxes widens with every
  // factor (the box of a product is wider than the product of the values), a sum of
  // logarithms only adds widths, and a logarithm per factor would cost the most.
  constexpr unsigned long kRun = 8;
  Ball w(work), log_gamma(work), run(work), factor(work);
  AddInteger(z, static_cast<long>(shift), work, &w);
  StirlingLogGamma(w, terms, work, &log_gamma);
  for (unsigned long k = 0; k < shift; k += kRun) {
    AddInteger(z, static_cast<long>(k), work, &factor);
    Rising(factor, std::min(kRun, shift - k), work, &run);
    Log(run, work, &run);
    Sub(log_gamma, run, work, &log_gamma);
  }
  Exp(log_gamma, prec, out);
}

}  // namespace

void Gamma(const Ball& x, long prec, Ball* out) {
  if (!x.IsFinite()) return SetNotFinite(out);
  if (!x.IsReal()) return ComplexGamma(x, prec, out);
  mpfi_srcptr v = x.re();
  Ball r(prec);
  if (mpfi_is_strictly_pos(v)) {
    GammaOfPositive(v, prec, r.re());
    return out->Swap(r);
  }
  // Left of 0, away from the poles: 1 / (1/Gamma(x)) by reflection.
  Real ceiling(prec);
  mpfr_ceil(ceiling.get(), &v->left);
  if (!mpfi_is_strictly_neg(v) || mpfr_lessequal_p(ceiling.get(), &v->right)) return SetNotFinite(out);
  ReciprocalGammaByReflection(v, prec, r.re());
  mpfi_inv(r.re(), r.re());
  out->Swap(r);
}

void ReciprocalGamma(const Ball& x, long prec, Ball* out) {
  if (!x.IsFinite()) return SetNotFinite(out);
  if (!x.IsReal()) {
    Ball gamma(prec);
    ComplexGamma(x, prec, &gamma);
    return Inverse(gamma, prec, out);
  }
  mpfi_srcptr v = x.re();
  Ball r(prec);
  if (x.IsExactInteger() && mpfr_sgn(&v->left) <= 0) return out->Swap(r);  // a pole of Gamma
  if (mpfi_is_strictly_pos(v)) {
    GammaOfPositive(v, prec, r.re());
    mpfi_inv(r.re(), r.re());
    return out->Swap(r);
  }
  if (mpfr_cmp_ui(&v->right, 1) >= 0) return SetNotFinite(out);
  ReciprocalGammaByReflection(v, prec, r.re());
  out->Swap(r);
}

}  // namespace rmg::math
