// PythonFloatRepr and FormatFixed against CPython 3.11: every expected text was
// printed once by repr(x) / format(x, f".{d}f") for the same double (the hex value
// in the comment is float.hex(), where the decimal literal alone could mislead).
#include "gallery/python_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace rmg::gallery {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

TEST(PythonFloatReprTest, IntegralValuesKeepDotZero) {
  EXPECT_EQ(PythonFloatRepr(1.0), "1.0");
  EXPECT_EQ(PythonFloatRepr(-2.0), "-2.0");
  EXPECT_EQ(PythonFloatRepr(100.0), "100.0");
  EXPECT_EQ(PythonFloatRepr(0.0), "0.0");
  EXPECT_EQ(PythonFloatRepr(-0.0), "-0.0");
}

TEST(PythonFloatReprTest, ShortestRoundTripDigits) {
  EXPECT_EQ(PythonFloatRepr(0.1), "0.1");
  EXPECT_EQ(PythonFloatRepr(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(PythonFloatRepr(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(PythonFloatRepr(12345.678), "12345.678");
  EXPECT_EQ(PythonFloatRepr(-1.5), "-1.5");
  EXPECT_EQ(PythonFloatRepr(3 * -0.1), "-0.30000000000000004");
}

TEST(PythonFloatReprTest, PositionalUpToSixteenDigits) {
  EXPECT_EQ(PythonFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PythonFloatRepr(9007199254740992.0), "9007199254740992.0");  // 2**53
  EXPECT_EQ(PythonFloatRepr(9999999999999998.0), "9999999999999998.0");  // 0x1.1c37937e07fffp+53
}

TEST(PythonFloatReprTest, ScientificFromExponentSixteen) {
  EXPECT_EQ(PythonFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PythonFloatRepr(1e22), "1e+22");
  EXPECT_EQ(PythonFloatRepr(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(PythonFloatRepr(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(PythonFloatReprTest, SmallNumbersSwitchToScientificBelowOneTenThousandth) {
  EXPECT_EQ(PythonFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(PythonFloatRepr(0.000123), "0.000123");
  EXPECT_EQ(PythonFloatRepr(-0.0001), "-0.0001");
  EXPECT_EQ(PythonFloatRepr(9.999e-05), "9.999e-05");
  EXPECT_EQ(PythonFloatRepr(1e-5), "1e-05");
  EXPECT_EQ(PythonFloatRepr(-1e-5), "-1e-05");
  EXPECT_EQ(PythonFloatRepr(1.234e-05), "1.234e-05");
  EXPECT_EQ(PythonFloatRepr(1.5e-7), "1.5e-07");
  EXPECT_EQ(PythonFloatRepr(5e-324), "5e-324");  // smallest subnormal
}

TEST(PythonFloatReprTest, NonFiniteValues) {
  EXPECT_EQ(PythonFloatRepr(kInf), "inf");
  EXPECT_EQ(PythonFloatRepr(-kInf), "-inf");
  EXPECT_EQ(PythonFloatRepr(kNan), "nan");
  EXPECT_EQ(PythonFloatRepr(-kNan), "nan");
}

TEST(FormatFixedTest, RoundsTheExactBinaryValue) {
  EXPECT_EQ(FormatFixed(0.0005, 3), "0.001");  // 0.000500000000000000010...
  EXPECT_EQ(FormatFixed(0.0015, 3), "0.002");  // 0.00150000000000000003...
  EXPECT_EQ(FormatFixed(2.675, 2), "2.67");    // 2.67499999999999982...
  EXPECT_EQ(FormatFixed(1.0005, 3), "1.000");  // 1.00049999999999994...
  EXPECT_EQ(FormatFixed(0.9995, 3), "1.000");
  EXPECT_EQ(FormatFixed(123.4567, 2), "123.46");
}

TEST(FormatFixedTest, ExactTiesRoundHalfToEven) {
  EXPECT_EQ(FormatFixed(0.125, 2), "0.12");
  EXPECT_EQ(FormatFixed(0.375, 2), "0.38");
  EXPECT_EQ(FormatFixed(2.5, 0), "2");
  EXPECT_EQ(FormatFixed(3.5, 0), "4");
}

TEST(FormatFixedTest, CommonRewardValues) {
  EXPECT_EQ(FormatFixed(2.0 / 3.0, 3), "0.667");
  EXPECT_EQ(FormatFixed(1.0 / 3.0, 3), "0.333");
  EXPECT_EQ(FormatFixed(0.5, 3), "0.500");
  EXPECT_EQ(FormatFixed(-4.0, 3), "-4.000");
  EXPECT_EQ(FormatFixed(1e-10, 3), "0.000");
}

TEST(FormatFixedTest, NegativeZeroKeepsItsSign) {
  EXPECT_EQ(FormatFixed(-0.0, 3), "-0.000");
  EXPECT_EQ(FormatFixed(-0.0001, 3), "-0.000");
}

TEST(FormatFixedTest, LargeValuesPrintAllIntegerDigits) {
  EXPECT_EQ(FormatFixed(1e22, 3), "10000000000000000000000.000");
  const std::string most_negative = FormatFixed(-std::numeric_limits<double>::max(), 3);
  EXPECT_EQ(most_negative.size(), 314u);
  EXPECT_EQ(most_negative.substr(0, 11), "-1797693134");
  const std::string many_digits = FormatFixed(std::numeric_limits<double>::max(), 100);  // 410 characters
  EXPECT_EQ(many_digits.size(), 410u);
  EXPECT_EQ(many_digits.substr(0, 20), "17976931348623157081");
}

TEST(FormatFixedTest, ManyDigitsShowTheExactBinaryValue) {
  EXPECT_EQ(FormatFixed(0.1, 60), "0.100000000000000005551115123125782702118158340454101562500000");
}

TEST(FormatFixedTest, NonFiniteValues) {
  EXPECT_EQ(FormatFixed(kInf, 3), "inf");
  EXPECT_EQ(FormatFixed(-kInf, 3), "-inf");
  EXPECT_EQ(FormatFixed(kNan, 3), "nan");
  // Python never prints a sign on nan: format(float("-nan"), ".3f") == "nan".
  EXPECT_EQ(FormatFixed(-kNan, 3), "nan");
}

}  // namespace
}  // namespace rmg::gallery
