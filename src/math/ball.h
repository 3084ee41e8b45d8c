// Operations on complex boxes (Ball, math/number.h): arithmetic, the elementary
// functions and Gamma, each with principal values (sqrt(-1) = i, log(-2) = log 2 + i pi),
// computed with outward rounding so that the true value always lies in the result.
//
// Every function writes its result at `prec` bits into *out, which may be one of the
// inputs. A value that does not exist (a pole, log 0, 1/0) or that overflows MPFR's
// exponent range comes out as a box that is not finite (Ball::IsFinite).
#pragma once

#include <mpfr.h>

#include "math/number.h"

namespace rmg::math {

// Constants and conversions. SetDouble is exact (the box keeps 53 bits or more).
void SetDouble(double value, Ball* out);
void SetDouble(double re, double im, Ball* out);
void SetRational(const Rational& value, long prec, Ball* out);
void SetPi(long prec, Ball* out);
void SetE(long prec, Ball* out);
void SetImaginaryUnit(Ball* out);

// Arithmetic. Div and Inverse by a box containing 0 are not finite.
void Add(const Ball& a, const Ball& b, long prec, Ball* out);
void Sub(const Ball& a, const Ball& b, long prec, Ball* out);
void Mul(const Ball& a, const Ball& b, long prec, Ball* out);
void Div(const Ball& a, const Ball& b, long prec, Ball* out);
void Neg(const Ball& a, Ball* out);
void Conjugate(const Ball& a, Ball* out);
void Inverse(const Ball& a, long prec, Ball* out);
void AddInteger(const Ball& a, long n, long prec, Ball* out);
void DivInteger(const Ball& a, unsigned long n, long prec, Ball* out);
// Multiplies by 2^exponent (exact).
void MulPowerOfTwo(const Ball& a, long exponent, Ball* out);

// Powers and roots, principal branch: base^exponent = exp(exponent log base), except
// that an exact integer exponent multiplies (so (-8)^3 is real), an exponent of
// exactly 1/2 is Sqrt (so (-4)^(1/2) is exactly 2i), and a base near 0 with a real
// positive exponent gives a box around 0 bounded by |base|^exponent.
void Pow(const Ball& base, const Ball& exponent, long prec, Ball* out);
// True when x is exactly 1/2.
bool IsExactHalf(const Ball& x);
// The principal k-th root (k >= 1); real for a real base >= 0.
void Root(const Ball& x, unsigned long k, long prec, Ball* out);
void Sqrt(const Ball& x, long prec, Ball* out);
void Exp(const Ball& x, long prec, Ball* out);
void Log(const Ball& x, long prec, Ball* out);

// Trigonometric and hyperbolic functions and their inverses (principal values, with
// the formulas of Arb's documentation off the real segments where they are real).
void Sin(const Ball& x, long prec, Ball* out);
void Cos(const Ball& x, long prec, Ball* out);
void Tan(const Ball& x, long prec, Ball* out);
void Cot(const Ball& x, long prec, Ball* out);
void Asin(const Ball& x, long prec, Ball* out);
void Acos(const Ball& x, long prec, Ball* out);
void Atan(const Ball& x, long prec, Ball* out);
void Sinh(const Ball& x, long prec, Ball* out);
void Cosh(const Ball& x, long prec, Ball* out);
void Tanh(const Ball& x, long prec, Ball* out);
void Coth(const Ball& x, long prec, Ball* out);
void Sech(const Ball& x, long prec, Ball* out);
void Csch(const Ball& x, long prec, Ball* out);
void Asinh(const Ball& x, long prec, Ball* out);
void Acosh(const Ball& x, long prec, Ball* out);
void Atanh(const Ball& x, long prec, Ball* out);

// Gamma and 1/Gamma. 1/Gamma is 0 at the poles of Gamma.
void Gamma(const Ball& x, long prec, Ball* out);
void ReciprocalGamma(const Ball& x, long prec, Ball* out);
// x (x+1) ... (x+n-1); 1 for n = 0. Takes n multiplications.
void Rising(const Ball& x, unsigned long n, long prec, Ball* out);

// |x|, a real box.
void Abs(const Ball& x, long prec, Ball* out);
// Floor and ceiling of the real part (the imaginary part is ignored, as Arb's
// acb_real_floor does); the result is real.
void Floor(const Ball& x, long prec, Ball* out);
void Ceil(const Ball& x, long prec, Ball* out);
// The argument with the larger (smaller) real part, as Arb's acb_real_max: the whole
// box when that is certain, the hull of both boxes when not; for two real boxes, the
// real maximum (minimum).
void Max(const Ball& a, const Ball& b, long prec, Ball* out);
void Min(const Ball& a, const Ball& b, long prec, Ball* out);

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

// An upper bound of |x| (an MPFR number rounded up at its own precision).
void MagnitudeUpperBound(const Ball& x, mpfr_ptr out);

// Overlap in both parts: the two boxes may hold the same value.
bool Overlaps(const Ball& a, const Ball& b);

// The smallest e with |midpoint of the real part| < 2^e (very negative for 0), and the
// same for the imaginary part: a cheap magnitude without rounding worries.
long RealMidpointExponent(const Ball& x);
long ImaginaryMidpointExponent(const Ball& x);
// The midpoint of the real part as a double (rounded to nearest; +-inf past its range).
double RealMidpoint(const Ball& x);

}  // namespace rmg::math
