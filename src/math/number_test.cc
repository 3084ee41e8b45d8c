#include "math/number.h"

#include <gtest/gtest.h>

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
  acb_set_si(x.get(), 7);
  Ball y = x;
  Ball z = std::move(x);
  EXPECT_EQ(CompareBalls(y, z, 128), BallOrder::kEqual);
}

TEST(MathNumberTest, ComparesBalls) {
  Ball third, approx, other;
  acb_set_si(third.get(), 1);
  acb_div_ui(third.get(), third.get(), 3, 128);
  acb_set_d(other.get(), 0.3333);
  EXPECT_EQ(CompareBalls(third, other, 128), BallOrder::kDifferent);
  acb_set_si(approx.get(), 3);
  acb_inv(approx.get(), approx.get(), 128);
  EXPECT_EQ(CompareBalls(third, approx, 128), BallOrder::kEqual);
  // A wide ball that overlaps is no proof.
  Ball wide;
  acb_set_si(wide.get(), 0);
  arb_add_error_2exp_si(acb_realref(wide.get()), 0);
  EXPECT_EQ(CompareBalls(third, wide, 128), BallOrder::kInconclusive);
}

TEST(MathNumberTest, RoundsBalls) {
  Ball v;
  arb_sqrt_ui(acb_realref(v.get()), 17, 128);
  Rational r;
  ASSERT_TRUE(RoundBallToDigits(v, 6, 128, &r));
  EXPECT_EQ(r, Parse("4.123106"));
  acb_neg(v.get(), v.get());
  ASSERT_TRUE(RoundBallToDigits(v, 2, 128, &r));
  Rational expected = Parse("4.12");
  fmpq_neg(expected.get(), expected.get());
  EXPECT_EQ(r, expected);
  acb_onei(v.get());
  EXPECT_FALSE(RoundBallToDigits(v, 2, 128, &r));
}

TEST(MathNumberTest, MeasuresMagnitude) {
  Ball v;
  acb_set_si(v.get(), 1000);
  EXPECT_TRUE(v.BelowPowerOfTwo(10));
  EXPECT_FALSE(v.BelowPowerOfTwo(9));
}

}  // namespace
}  // namespace rmg::math
