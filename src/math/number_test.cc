#include "math/number.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "math/ball.h"

namespace rmg::math {
namespace {

Rational Parse(const std::string& text) {
  Rational r;
  EXPECT_TRUE(Rational::ParseDecimal(text, &r)) << text;
  return r;
}

TEST(MathNumberTest, ParsesDecimalsExactly) {
  EXPECT_EQ(Parse("0.25"), Rational(1, 4));
  EXPECT_EQ(Parse(".5"), Rational(1, 2));
  EXPECT_EQ(Parse("3."), Rational(3, 1));
  EXPECT_EQ(Parse("025"), Rational(25, 1));
  Rational r;
  EXPECT_FALSE(Rational::ParseDecimal("1.2.3", &r));
  EXPECT_FALSE(Rational::ParseDecimal("", &r));
  EXPECT_FALSE(Rational::ParseDecimal("12a", &r));
  EXPECT_FALSE(Rational::ParseDecimal("123456", &r, 5));
}

TEST(MathNumberTest, ScalesByPowersOfTen) {
  Integer n;
  mpz_set_si(n.get(), -25);
  EXPECT_EQ(Rational::ScaledByPowerOfTen(n.get(), 2), Rational(-2500, 1));
  EXPECT_EQ(Rational::ScaledByPowerOfTen(n.get(), -2), Rational(-1, 4));
  EXPECT_EQ(Rational::ScaledByPowerOfTen(n.get(), 0), Rational(-25, 1));
}

TEST(MathNumberTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(Rational(1, 3).RoundedToDigits(4), Parse("0.3333"));
  EXPECT_EQ(Rational(8, 3).RoundedToDigits(2), Parse("2.67"));
  EXPECT_EQ(Parse("2.665").RoundedToDigits(2), Parse("2.67"));
  EXPECT_EQ(Rational(-5, 2).RoundedToDigits(0), Rational(-3, 1));
  EXPECT_EQ(Rational(149, 1).RoundedToDigits(-2), Rational(100, 1));
}

TEST(MathNumberTest, CopiesAndMovesOwnTheirValue) {
  Rational a = Rational(2, 3);
  Rational b = a;
  Rational c = std::move(a);
  EXPECT_EQ(b, c);
  Ball x;
  SetDouble(7, &x);
  Ball y = x;
  Ball z = std::move(x);
  EXPECT_EQ(CompareBalls(y, z, 128), BallOrder::kEqual);
}

TEST(MathNumberTest, ComparesBalls) {
  Ball third, approx, other;
  SetRational(Rational(1, 3), 128, &third);
  SetDouble(0.3333, &other);
  EXPECT_EQ(CompareBalls(third, other, 128), BallOrder::kDifferent);
  SetDouble(3, &approx);
  Inverse(approx, 128, &approx);
  EXPECT_EQ(CompareBalls(third, approx, 128), BallOrder::kEqual);
  // A wide ball that overlaps is no proof.
  Ball wide;
  mpfi_interv_si(wide.re(), -1, 1);
  EXPECT_EQ(CompareBalls(third, wide, 128), BallOrder::kInconclusive);
}

TEST(MathNumberTest, RoundsBalls) {
  Ball v(128);
  mpfi_set_ui(v.re(), 17);
  mpfi_sqrt(v.re(), v.re());
  Rational r;
  ASSERT_TRUE(RoundBallToDigits(v, 6, 128, &r));
  EXPECT_EQ(r, Parse("4.123106"));
  Neg(v, &v);
  ASSERT_TRUE(RoundBallToDigits(v, 2, 128, &r));
  Rational expected = Parse("4.12");
  mpq_neg(expected.get(), expected.get());
  EXPECT_EQ(r, expected);
  SetImaginaryUnit(&v);
  EXPECT_FALSE(RoundBallToDigits(v, 2, 128, &r));
}

TEST(MathNumberTest, MeasuresMagnitude) {
  Ball v;
  SetDouble(1000, &v);
  EXPECT_TRUE(v.BelowPowerOfTwo(10));
  EXPECT_FALSE(v.BelowPowerOfTwo(9));
}

// The project is Apache-2.0 and takes no GPL dependency (DESIGN.md). Debian 12's FLINT,
// which the math engine used before, pulls in gf2x (GPL-2+) through NTL: none of these
// libraries, nor other common GPL-only math libraries, may be loaded by the tests, which
// link the same library as rmg.
TEST(MathNumberTest, LoadsNoGplLibrary) {
  std::ifstream maps("/proc/self/maps");
  ASSERT_TRUE(maps.good());
  int libraries = 0;
  for (std::string line; std::getline(maps, line);) {
    const size_t slash = line.rfind('/');
    if (slash == std::string::npos || line.find(".so", slash) == std::string::npos) continue;
    const std::string name = line.substr(slash + 1);
    libraries++;
    for (const char* gpl : {"libgf2x.", "libntl.", "libflint", "libgsl.", "libcln.", "libginac.", "libgiac.",
                            "libfftw3", "libreadline."}) {
      EXPECT_NE(name.rfind(gpl, 0), 0u) << name << " is loaded";
    }
  }
  EXPECT_GT(libraries, 0);
}

}  // namespace
}  // namespace rmg::math
