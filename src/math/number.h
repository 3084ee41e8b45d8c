// Numbers of the math comparer: an exact rational and an integer (GMP mpq / mpz) and
// a complex box (two MPFI intervals), each an RAII owner of its C handles. Copyable
// and movable; no global state, so values may live on any thread. The operations on
// boxes are in math/ball.h.
#pragma once

#include <gmp.h>
#include <mpfi.h>

#include <string>

namespace rmg::math {

// An exact rational number, always in canonical form.
class Rational {
 public:
  Rational() { mpq_init(v_); }
  explicit Rational(long n) : Rational() { mpq_set_si(v_, n, 1); }
  // numerator / denominator, reduced; the denominator must be positive.
  Rational(long numerator, unsigned long denominator) : Rational() {
    mpq_set_si(v_, numerator, denominator);
    mpq_canonicalize(v_);
  }
  Rational(const Rational& other) : Rational() { mpq_set(v_, other.v_); }
  Rational(Rational&& other) noexcept : Rational() { mpq_swap(v_, other.v_); }
  Rational& operator=(const Rational& other) {
    mpq_set(v_, other.v_);
    return *this;
  }
  Rational& operator=(Rational&& other) noexcept {
    mpq_swap(v_, other.v_);
    return *this;
  }
  ~Rational() { mpq_clear(v_); }

  // Parses unsigned decimal digits with at most one '.' ("25", "0.25", ".5", "3.").
  // Returns false (and leaves *out unchanged) on anything else or past `max_digits`.
  static bool ParseDecimal(const std::string& text, Rational* out, size_t max_digits = 100000);

  mpq_ptr get() { return v_; }
  mpq_srcptr get() const { return v_; }
  mpz_ptr numerator() { return mpq_numref(v_); }
  mpz_srcptr numerator() const { return mpq_numref(v_); }
  mpz_ptr denominator() { return mpq_denref(v_); }
  mpz_srcptr denominator() const { return mpq_denref(v_); }

  bool IsInteger() const { return mpz_cmp_ui(mpq_denref(v_), 1) == 0; }
  bool IsZero() const { return mpq_sgn(v_) == 0; }
  int Sign() const { return mpq_sgn(v_); }
  // Bits of numerator plus denominator: the size limits are stated in it.
  long Bits() const;
  bool operator==(const Rational& other) const { return mpq_equal(v_, other.v_) != 0; }

  // Rounds half away from zero to `digits` decimal places (digits may be negative).
  Rational RoundedToDigits(int digits) const;

  // n * 10^exponent (exponent may be negative), reduced.
  static Rational ScaledByPowerOfTen(mpz_srcptr n, int exponent);

 private:
  mpq_t v_;
};

// An integer, for the few places (gcd, rounding) that need one.
class Integer {
 public:
  Integer() { mpz_init(v_); }
  Integer(const Integer&) = delete;
  Integer& operator=(const Integer&) = delete;
  ~Integer() { mpz_clear(v_); }
  mpz_ptr get() { return v_; }
  mpz_srcptr get() const { return v_; }

 private:
  mpz_t v_;
};

// Bits of |n| (0 for 0).
long BitCount(mpz_srcptr n);

// Working precision of a box made without one (exact for every double).
constexpr long kDefaultBallPrecision = 64;

// A complex box: an interval for the real part and one for the imaginary part, each
// with `precision()` bits at its ends. The true value lies in the box; operations
// round outward. A value that does not exist (a pole, log 0) is a box that is not
// finite. A box whose imaginary interval is exactly [0, 0] is real.
class Ball {
 public:
  explicit Ball(long precision = kDefaultBallPrecision);
  Ball(const Ball& other);
  Ball(Ball&& other) noexcept;
  Ball& operator=(const Ball& other);
  Ball& operator=(Ball&& other) noexcept;
  ~Ball();

  mpfi_ptr re() { return re_; }
  mpfi_srcptr re() const { return re_; }
  mpfi_ptr im() { return im_; }
  mpfi_srcptr im() const { return im_; }
  long precision() const { return mpfi_get_prec(re_); }
  void Swap(Ball& other) noexcept;

  // Both parts bounded (no infinity, no NaN, not empty).
  bool IsFinite() const;
  // The imaginary part is exactly 0.
  bool IsReal() const;
  // The value is exactly 0.
  bool IsZero() const;
  // 0 lies in the box.
  bool ContainsZero() const;
  // Exactly one value, a whole number (2, not [1.9, 2.1]).
  bool IsExactInteger() const;
  // True when |value| < 2^exponent is certain.
  bool BelowPowerOfTwo(long exponent) const;

 private:
  mpfi_t re_;
  mpfi_t im_;
};

// Readies the calling thread for math work. MPFR keeps its exponent range and caches
// (constants such as pi) per thread: this widens the range to the largest MPFR has
// (the default, 2^30 bits, would overflow values the evaluator allows), and frees the
// caches when the thread ends instead of leaking them with every thread a caller starts.
void PrepareThreadForMath();

}  // namespace rmg::math
