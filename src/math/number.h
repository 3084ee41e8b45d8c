// Numbers of the math comparer: an exact rational (FLINT fmpq) and a complex ball
// (Arb acb), each an RAII owner of its C handle. Copyable and movable; no global
// state, so values may live on any thread.
#pragma once

#include <flint/fmpq.h>
#include <flint/fmpz.h>

#include <acb.h>
#include <arb.h>

#include <string>

namespace rmg::math {

// An exact rational number, always in canonical form.
class Rational {
 public:
  Rational() { fmpq_init(v_); }
  explicit Rational(long n) : Rational() { fmpq_set_si(v_, n, 1); }
  // numerator / denominator, reduced; the denominator must be positive.
  Rational(long numerator, unsigned long denominator) : Rational() { fmpq_set_si(v_, numerator, denominator); }
  Rational(const Rational& other) : Rational() { fmpq_set(v_, other.v_); }
  Rational(Rational&& other) noexcept : Rational() { fmpq_swap(v_, other.v_); }
  Rational& operator=(const Rational& other) {
    fmpq_set(v_, other.v_);
    return *this;
  }
  Rational& operator=(Rational&& other) noexcept {
    fmpq_swap(v_, other.v_);
    return *this;
  }
  ~Rational() { fmpq_clear(v_); }

  // Parses unsigned decimal digits with at most one '.' ("25", "0.25", ".5", "3.").
  // Returns false (and leaves *out unchanged) on anything else or past `max_digits`.
  static bool ParseDecimal(const std::string& text, Rational* out, size_t max_digits = 100000);

  fmpq* get() { return v_; }
  const fmpq* get() const { return v_; }

  bool IsInteger() const { return fmpz_is_one(fmpq_denref(v_)); }
  bool IsZero() const { return fmpq_is_zero(v_); }
  int Sign() const { return fmpq_sgn(v_); }
  // Bits of numerator plus denominator: the size limits are stated in it.
  long Bits() const { return fmpz_bits(fmpq_numref(v_)) + fmpz_bits(fmpq_denref(v_)); }
  bool operator==(const Rational& other) const { return fmpq_equal(v_, other.v_); }

  // Rounds half away from zero to `digits` decimal places (digits may be negative).
  Rational RoundedToDigits(int digits) const;

 private:
  fmpq_t v_;
};

// A complex ball: a midpoint and a radius in each of the real and imaginary parts.
class Ball {
 public:
  Ball() { acb_init(v_); }
  Ball(const Ball& other) : Ball() { acb_set(v_, other.v_); }
  Ball(Ball&& other) noexcept : Ball() { acb_swap(v_, other.v_); }
  Ball& operator=(const Ball& other) {
    acb_set(v_, other.v_);
    return *this;
  }
  Ball& operator=(Ball&& other) noexcept {
    acb_swap(v_, other.v_);
    return *this;
  }
  ~Ball() { acb_clear(v_); }

  acb_struct* get() { return v_; }
  const acb_struct* get() const { return v_; }

  bool IsFinite() const { return acb_is_finite(v_); }
  // True when |value| < 2^exponent is certain.
  bool BelowPowerOfTwo(long exponent) const;

 private:
  acb_t v_;
};

// A real ball, for the few places (rounding, constants) that need one.
class RealBall {
 public:
  RealBall() { arb_init(v_); }
  RealBall(const RealBall&) = delete;
  RealBall& operator=(const RealBall&) = delete;
  ~RealBall() { arb_clear(v_); }
  arb_struct* get() { return v_; }
  const arb_struct* get() const { return v_; }

 private:
  arb_t v_;
};

// An integer, for the few places (gcd, rounding) that need one.
class Integer {
 public:
  Integer() { fmpz_init(v_); }
  Integer(const Integer&) = delete;
  Integer& operator=(const Integer&) = delete;
  ~Integer() { fmpz_clear(v_); }
  fmpz* get() { return v_; }
  const fmpz* get() const { return v_; }

 private:
  fmpz_t v_;
};

// How two balls compare.
enum class BallOrder {
  kDifferent,     // certainly different values (the balls are disjoint)
  kEqual,         // overlapping and narrow: equal to within the working precision
  kInconclusive,  // overlapping but too wide to say (more precision may help)
};

// Compares two finite balls computed at `prec` bits. "Equal" needs the distance
// bound below 2^-96 times max(1, |a|, |b|): the rounding noise of a 128-bit
// evaluation, tight enough that an unequal pair of values would have been told apart.
// The bound does not shrink with `prec`, so that more precision can settle a
// difference that lost many bits to cancellation. Callers confirm an "equal" at their
// highest precision, where values closer than the bound but different (2^100 + 1 and
// 2^100) are disjoint balls.
BallOrder CompareBalls(const Ball& a, const Ball& b, long prec);

// Values at least 2^kMaxRoundedLog2 in magnitude are not rounded (RoundBallToDigits).
constexpr long kMaxRoundedLog2 = 4096;

// Rounds the real ball `value` half away from zero to `digits` decimal places.
// Returns false when the ball is not real, straddles a rounding boundary, or is not
// below 2^kMaxRoundedLog2 (rounding to decimals is moot there anyway).
bool RoundBallToDigits(const Ball& value, int digits, long prec, Rational* out);

// FLINT and Arb keep caches per thread (a pool of integers, constants such as pi) that
// only flint_cleanup() frees. Call before math work on a thread: the caches are then
// freed when the thread ends, instead of leaking with every thread a caller starts.
void FreeFlintCachesAtThreadExit();

}  // namespace rmg::math
