#include "math/parser.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "testing/shared_data.h"

namespace rmg::math {
namespace {

// The ToString of the parse, or "ERROR: reason".
std::string P(std::string_view text) {
  ParseError error;
  std::optional<Expr> e = ParseMath(text, Deadline::Never(), &error);
  return e ? ToString(*e) : "ERROR: " + error.reason;
}

bool Fails(std::string_view text) { return P(text).rfind("ERROR: ", 0) == 0; }

TEST(ParseMathTest, Numbers) {
  EXPECT_EQ(P("025"), "025");
  EXPECT_EQ(P("-3"), "(-3)");
  EXPECT_EQ(P("+2"), "2");
  EXPECT_EQ(P("0.25"), "0.25");
  EXPECT_EQ(P(".5"), ".5");
  EXPECT_EQ(P("-1./3"), "(-(1. / 3))");
  EXPECT_EQ(P("4.5e33"), "(4.5 * (10 ^ 33))");
  EXPECT_EQ(P("1e-8"), "(1 * (10 ^ (-8)))");
}

TEST(ParseMathTest, ThousandsSeparators) {
  EXPECT_EQ(P("7,425,000"), "7425000");
  EXPECT_EQ(P("1,000"), "1000");
  EXPECT_EQ(P("1,000.99"), "1000.99");
  EXPECT_EQ(P("11,\\!111"), "11111");
  EXPECT_EQ(P("11,\\! 111,\\! 111,\\! 100"), "11111111100");
  EXPECT_EQ(P("1\\,000"), "1000");
  EXPECT_EQ(P("14{,}916"), "14916");
  EXPECT_EQ(P("14 {, }916"), "14916");
  EXPECT_EQ(P("-2 \\\\le x \\\\le 7"), P("-2 \\le x \\le 7"));  // a doubled backslash before a relation
  EXPECT_EQ(P("1,2"), "1, 2");
  EXPECT_EQ(P("2500,7500"), "2500, 7500");
  EXPECT_EQ(P("27,54,108"), "27, 54, 108");
  EXPECT_EQ(P("(2,251,252)"), "(2, 251, 252)");
}

TEST(ParseMathTest, Delimiters) {
  EXPECT_EQ(P("$x$"), "x");
  EXPECT_EQ(P("$$x$$"), "x");
  EXPECT_EQ(P("\\(9\\)"), "9");
  EXPECT_EQ(P("\\[ 9 \\]"), "9");
  EXPECT_EQ(P("\\boxed{42}."), "42");
  EXPECT_EQ(P("$\\boxed{\\frac{1}{2}}$"), "(1 / 2)");
  EXPECT_EQ(P("\\fbox{7}"), "7");
  EXPECT_EQ(P("$69$,$84$"), "69, 84");
}

TEST(ParseMathTest, SymbolsAndSubscripts) {
  EXPECT_EQ(P("x_1"), "x_1");
  EXPECT_EQ(P("x_{12}"), "x_12");
  EXPECT_EQ(P("a_{n+1}"), "a_{n+1}");
  EXPECT_EQ(P("\\alpha"), "alpha");
  EXPECT_EQ(P("\\varepsilon"), "epsilon");
  EXPECT_EQ(P("\\omega_{n}"), "omega_n");
  EXPECT_EQ(P("y^{\\prime}"), "y'");
  EXPECT_EQ(P("\\dot{x}_{0}"), "dot{x}_0");
}

TEST(ParseMathTest, Arithmetic) {
  EXPECT_EQ(P("1+2-3"), "(1 + 2 + (-3))");
  EXPECT_EQ(P("2 \\times 3 \\cdot 4 * 5"), "(2 * 3 * 4 * 5)");
  EXPECT_EQ(P("a / b / c"), "((a / b) / c)");
  EXPECT_EQ(P("6 \\div 2"), "(6 / 2)");
  EXPECT_EQ(P("-x^2"), "(-(x ^ 2))");
  EXPECT_EQ(P("2^{2^{2^{100}}}"), "(2 ^ (2 ^ (2 ^ 100)))");
  EXPECT_EQ(P("2^3^4"), "(2 ^ (3 ^ 4))");
  EXPECT_EQ(P("x^-1"), "(x ^ (-1))");
  EXPECT_EQ(P("n!"), "(n!)");
  EXPECT_EQ(P("\\frac{100!}{2^{50}}"), "((100!) / (2 ^ 50))");
}

// TeX's infix forms inside braces: {a \over b} is a fraction, {n \choose k} a binomial.
TEST(ParseMathTest, OverAndChooseInBraces) {
  EXPECT_EQ(P("{66 \\over 84}"), "(66 / 84)");
  EXPECT_EQ(P("\\sqrt{{x+1} \\over 2}"), "sqrt(((x + 1) / 2))");
  EXPECT_EQ(P("{4 \\choose 1}"), "binomial(4, 1)");
  EXPECT_EQ(P("2{n \\choose 2}"), "(2 * binomial(n, 2))");
  EXPECT_TRUE(Fails("{1 \\over }"));
  EXPECT_TRUE(Fails("1 \\over 2"));
  EXPECT_TRUE(Fails("\\choose 2"));
}

TEST(ParseMathTest, ImplicitMultiplication) {
  EXPECT_EQ(P("2x"), "(2 * x)");
  EXPECT_EQ(P("2\\pi"), "(2 * pi)");
  EXPECT_EQ(P("x y"), "(x * y)");
  EXPECT_EQ(P("2(x+1)"), "(2 * (x + 1))");
  EXPECT_EQ(P("(a+1)(b+2)"), "((a + 1) * (b + 2))");
  EXPECT_EQ(P("\\frac94\\pi"), "((9 / 4) * pi)");
  EXPECT_EQ(P("n(n+1)"), "(n * (n + 1))");
  EXPECT_EQ(P("(n-2) 2^{n}+1"), "(((n + (-2)) * (2 ^ n)) + 1)");
  EXPECT_EQ(P("-8-8 \\sqrt{3} i"), "((-8) + (-(8 * sqrt(3) * I)))");
  EXPECT_TRUE(Fails("2 3"));
}

TEST(ParseMathTest, Fractions) {
  EXPECT_EQ(P("\\frac{3}{4}"), "(3 / 4)");
  EXPECT_EQ(P("\\dfrac{1}{3}"), "(1 / 3)");
  EXPECT_EQ(P("\\tfrac12"), "(1 / 2)");
  EXPECT_EQ(P("\\cfrac{1}{3}"), "(1 / 3)");
  EXPECT_EQ(P("\\frac13"), "(1 / 3)");
  EXPECT_EQ(P("frac13"), "(1 / 3)");
  EXPECT_EQ(P("\\frac{x+2}{7}"), "((x + 2) / 7)");
  EXPECT_EQ(P("1/3"), "(1 / 3)");
}

TEST(ParseMathTest, Roots) {
  EXPECT_EQ(P("\\sqrt{x}"), "sqrt(x)");
  EXPECT_EQ(P("\\sqrt x"), "sqrt(x)");
  EXPECT_EQ(P("\\sqrt 2+\\sqrt 5"), "(sqrt(2) + sqrt(5))");
  EXPECT_EQ(P("\\sqrt[3]{7}"), "root(7, 3)");
  EXPECT_EQ(P("\\sqrt[n]{x}"), "root(x, n)");
  EXPECT_EQ(P("sqrt(2)"), "sqrt(2)");
  EXPECT_EQ(P("1 \\pm \\sqrt{19}"), "(1 ± sqrt(19))");
  EXPECT_EQ(P("\\pm 2021"), "(0 ± 2021)");
}

TEST(ParseMathTest, Constants) {
  EXPECT_EQ(P("\\pi"), "pi");
  EXPECT_EQ(P("e"), "E");
  EXPECT_EQ(P("\\mathrm{e}"), "E");
  EXPECT_EQ(P("1 - \\frac{1}{\\mathrm{e}}"), "(1 + (-(1 / E)))");
  EXPECT_EQ(P("1 - \\frac{1}{\\text{e}}"), "(1 + (-(1 / E)))");
  EXPECT_EQ(P("e_1"), "e_1");
  EXPECT_EQ(P("i"), "I");
  EXPECT_EQ(P("\\infty"), "oo");
  EXPECT_EQ(P("-\\infty"), "(-oo)");
  EXPECT_EQ(P("\\emptyset"), "emptyset");
  EXPECT_EQ(P("\\exp(1)"), "E");
}

TEST(ParseMathTest, Functions) {
  EXPECT_EQ(P("\\sin x"), "sin(x)");
  EXPECT_EQ(P("\\cos(2t)"), "cos((2 * t))");
  EXPECT_EQ(P("\\sin 2x"), "sin((2 * x))");
  EXPECT_EQ(P("2 \\sin b \\cos a"), "(2 * sin(b) * cos(a))");
  EXPECT_EQ(P("\\sin^2 x"), "(sin(x) ^ 2)");
  EXPECT_EQ(P("\\tan^2(y)+1"), "((tan(y) ^ 2) + 1)");
  EXPECT_EQ(P("\\sin^{-1} x"), "arcsin(x)");
  EXPECT_EQ(P("\\arcsin{1.3 \\sin{\\theta_w}}"), "arcsin((1.3 * sin(theta_w)))");
  EXPECT_EQ(P("\\cosh x"), "cosh(x)");
  EXPECT_EQ(P("\\ln 2 + i\\pi / 3"), "(ln(2) + ((I * pi) / 3))");
  EXPECT_EQ(P("\\log x"), "log(x)");
  EXPECT_EQ(P("\\log_2 8"), "log(8, 2)");
  EXPECT_EQ(P("\\log_{b} x"), "log(x, b)");
  EXPECT_EQ(P("\\log _{10} 250"), "log(250, 10)");
  EXPECT_EQ(P("\\exp{a*t}"), "exp((a * t))");
  EXPECT_EQ(P("\\sin (3 t) / 5"), "(sin((3 * t)) / 5)");
  EXPECT_EQ(P("np.arcsin(10/13)"), "arcsin((10 / 13))");
  EXPECT_EQ(P("\\operatorname{lcm}(4, 6)"), "lcm(4, 6)");
  EXPECT_EQ(P("\\max(a, b)"), "max(a, b)");
}

TEST(ParseMathTest, BinomialAbsFloor) {
  EXPECT_EQ(P("\\binom{2n}{n}"), "binomial((2 * n), n)");
  EXPECT_EQ(P("\\dbinom{5}{2}"), "binomial(5, 2)");
  EXPECT_EQ(P("|x|"), "abs(x)");
  EXPECT_EQ(P("\\left| x - 2 \\right|"), "abs((x + (-2)))");
  EXPECT_EQ(P("2|x|+|y|"), "((2 * abs(x)) + abs(y))");
  EXPECT_EQ(P("\\lfloor m / 2\\rfloor"), "floor((m / 2))");
  EXPECT_EQ(P("\\left\\lceil n/2 \\right\\rceil+1"), "(ceil((n / 2)) + 1)");
}

TEST(ParseMathTest, FunctionApplication) {
  EXPECT_EQ(P("f(x)=2 x"), "f(x) = (2 * x)");
  EXPECT_EQ(P("f(x+1)"), "f((x + 1))");
  EXPECT_EQ(P("g(n)"), "g(n)");
  EXPECT_EQ(P("u(t)"), "u(t)");
  EXPECT_EQ(P("I(0)"), "I(0)");
  EXPECT_EQ(P("\\theta(t)"), "theta(t)");
  EXPECT_EQ(P("x(x+1)"), "(x * (x + 1))");
  EXPECT_EQ(P("f'(x)"), "f'(x)");
  EXPECT_EQ(P("f^{-1}(x)"), "f^{-1}(x)");
  EXPECT_EQ(P("f^-1(2)"), "f^{-1}(2)");
  EXPECT_EQ(P("x^{-1}(y)"), "((x ^ (-1)) * y)");
}

TEST(ParseMathTest, Relations) {
  EXPECT_EQ(P("x = 11"), "x = 11");
  EXPECT_EQ(P("-2 \\le x \\le 7"), "(-2) <= x <= 7");
  EXPECT_EQ(P("x \\neq 3"), "x != 3");
  EXPECT_EQ(P("x != 3"), "x != 3");
  EXPECT_EQ(P("x \\lt 3"), "x < 3");
  EXPECT_EQ(P("x \\gt 5"), "x > 5");
  EXPECT_EQ(P("x <= 5"), "x <= 5");
  EXPECT_EQ(P("x \\geq 5"), "x >= 5");
  EXPECT_EQ(P("k \\geqslant 2"), "k >= 2");
  EXPECT_EQ(P("\\pi \\approx 3.14"), "pi ~= 3.14");
  EXPECT_EQ(P("0<f(x)<1"), "0 < f(x) < 1");
}

TEST(ParseMathTest, IntervalsAndSets) {
  EXPECT_EQ(P("[0,1)"), "[0, 1)");
  EXPECT_EQ(P("(0, \\infty)"), "(0, oo)");
  EXPECT_EQ(P("[-2, 7]"), "[(-2), 7]");
  EXPECT_EQ(P("(\\frac{3}{5},\\frac{8}{3}]"), "((3 / 5), (8 / 3)]");
  EXPECT_EQ(P("x \\in [-2,7]"), "[(-2), 7]");
  EXPECT_EQ(P("(2,12) \\cup (12,102)"), "((2, 12) ∪ (12, 102))");
  EXPECT_EQ(P("$(-\\infty, 0) \\cup\\{1\\}$."), "(((-oo), 0) ∪ {1})");
  EXPECT_EQ(P("[0,2] \\cap [1,3]"), "([0, 2] ∩ [1, 3])");
  EXPECT_EQ(P("\\{1,2\\}"), "{1, 2}");
  EXPECT_EQ(P("{1,3}"), "{1, 3}");
  EXPECT_EQ(P("\\{\\}"), "{}");
  EXPECT_EQ(P("\\left\\{1, 2\\right\\}"), "{1, 2}");
  EXPECT_EQ(P("\\left[0, 1\\right)"), "[0, 1)");
}

// Open intervals and 2-tuples print alike; the op tells them apart.
TEST(ParseMathTest, OpenIntervalVersusTuple) {
  ParseError error;
  EXPECT_EQ(ParseMath("(0, \\infty)", Deadline::Never(), &error)->op, Op::kInterval);
  EXPECT_EQ(ParseMath("(-\\infty, 3)", Deadline::Never(), &error)->op, Op::kInterval);
  EXPECT_EQ(ParseMath("(1, 2)", Deadline::Never(), &error)->op, Op::kTuple);
  EXPECT_EQ(ParseMath("x \\in (1, 2)", Deadline::Never(), &error)->op, Op::kInterval);
  const std::optional<Expr> both = ParseMath("(1, 2) \\cup (3, 4)", Deadline::Never(), &error);
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->args[0].op, Op::kInterval);
  EXPECT_EQ(both->args[1].op, Op::kInterval);
}

TEST(ParseMathTest, TuplesAndLists) {
  EXPECT_EQ(P("(1, 2)"), "(1, 2)");
  EXPECT_EQ(P("1, 2, 3"), "1, 2, 3");
  EXPECT_EQ(P("$(1,8,19), (2,7,13)$"), "(1, 8, 19), (2, 7, 13)");
  EXPECT_EQ(P("$19, 46, and 82$"), "19, 46, 82");
  EXPECT_EQ(P("6 \\text{ and } 8"), "6, 8");
  EXPECT_EQ(P("(5, 8) \\quad \\text{and} \\quad (8, 5)"), "(5, 8), (8, 5)");
  EXPECT_EQ(P("1; 2"), "1, 2");
  EXPECT_EQ(P("5 \\text{ or } 6"), "5, 6");
  EXPECT_EQ(P("x_{1}=1,\\quadx_{2}=2"), "x_1 = 1, x_2 = 2");
}

TEST(ParseMathTest, Matrices) {
  EXPECT_EQ(P("\\begin{pmatrix} 0 & 3 \\\\ 0 & -1 \\end{pmatrix}"), "[[0, 3], [0, (-1)]]");
  EXPECT_EQ(P("\\begin{bmatrix} 1 \\\\ 2 \\\\ \\end{bmatrix}"), "[[1], [2]]");
  EXPECT_EQ(P("\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}"), "det([[a, b], [c, d]])");
  EXPECT_TRUE(Fails("\\begin{pmatrix} 1 & 2 \\\\ 3 \\end{pmatrix}"));
  EXPECT_TRUE(Fails("\\begin{cases} 1 \\end{cases}"));
}

TEST(ParseMathTest, DegreesAndPercent) {
  EXPECT_EQ(P("90^\\circ"), "(90°)");
  EXPECT_EQ(P("90^{\\circ}"), "(90°)");
  EXPECT_EQ(P("90°"), "(90°)");
  EXPECT_EQ(P("90\\degree"), "(90°)");
  EXPECT_EQ(P("28\\%"), "(28%)");
  EXPECT_EQ(P("28%"), "(28%)");
  EXPECT_EQ(P("28 pct"), "(28%)");
  EXPECT_EQ(P("$\\boxed{28 percent}"), "(28%)");
}

TEST(ParseMathTest, TextAndUnits) {
  EXPECT_EQ(P("\\textbf{73}"), "73");
  EXPECT_EQ(P("10\\text{ cm}"), "10");
  EXPECT_EQ(P("$15\\mbox{ cm}^2$"), "15");
  EXPECT_EQ(P("\\frac{1}{3} \\textbf{meters}"), "(1 / 3)");
  EXPECT_EQ(P("10 cm"), "10");
  EXPECT_EQ(P("50 \\text{ km/h}"), "50");
  EXPECT_TRUE(Fails("3 \\text{ hours and } 20 \\text{ minutes}"));
  EXPECT_EQ(P("\\$16386.17"), "16386.17");
  EXPECT_EQ(P("\\text{13}"), "\"13\"");
  EXPECT_EQ(P("\\text{Even}"), "\"even\"");
  EXPECT_EQ(P("\\text{(C)}"), "\"(c)\"");
  EXPECT_EQ(P("$$\\text{The midpoints form a regular hexagon}$$"),
            "\"the midpoints form a regular hexagon\"");
  EXPECT_EQ(P("Even"), "\"even\"");
  EXPECT_EQ(P("yes"), "\"yes\"");
  EXPECT_EQ(P("xy"), "(x * y)");
  EXPECT_EQ(P("SRAC=LRAC"), "(S * R * A * C) = (L * R * A * C)");
  EXPECT_TRUE(Fails("x = 2, where x is an integer"));
  EXPECT_TRUE(Fails("The answer is 5"));
  EXPECT_EQ(P("\\( 9 \\) and \\( 10 \\)"), "9, 10");
  EXPECT_EQ(P("1,000.99€"), "1000.99");
  EXPECT_EQ(P("x² + y³"), "((x ^ 2) + (y ^ 3))");
  EXPECT_EQ(P("3 × 10⁻"), "ERROR: unexpected non-ASCII character");
}

TEST(ParseMathTest, SpacingIsIgnored) {
  EXPECT_EQ(P("\\left( \\frac{1}{3} \\right)"), "(1 / 3)");
  EXPECT_EQ(P("\\displaystyle \\big( x \\big)"), "x");
  EXPECT_EQ(P("1\\,+\\;2\\:+\\!3~+\\quad4"), "ERROR: unexpected ';'");
  EXPECT_EQ(P("1\\,+\\;2\\:+\\!3~+4"), "(1 + 2 + 3 + 4)");
  EXPECT_TRUE(Fails("\\left. x \\right|"));
}

TEST(ParseMathTest, BigOperators) {
  EXPECT_EQ(P("F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}"),
            "F_n = sum((F_k * F_{n-k-1}), k = 0, (n + (-1)))");
  EXPECT_EQ(P("\\prod_{i=1}^{n} i"), "prod(I, I = 1, n)");
  EXPECT_EQ(P("\\int_0^1 x dx"), "int((x * d * x), 0, 1)");
  EXPECT_EQ(P("\\lim_{x \\to 0} f(x)"), "lim(f(x), x, 0)");
}

TEST(ParseMathTest, Errors) {
  EXPECT_EQ(P(""), "ERROR: empty answer");
  EXPECT_EQ(P("$$"), "ERROR: empty answer");
  EXPECT_TRUE(Fails("\\frac{1}{2"));
  EXPECT_TRUE(Fails("(1+2"));
  EXPECT_TRUE(Fails("1+2)"));
  EXPECT_TRUE(Fails("1 +"));
  EXPECT_TRUE(Fails("\\foo{x}"));
  EXPECT_TRUE(Fails("x \\in"));
  EXPECT_TRUE(Fails("|x"));
  EXPECT_TRUE(Fails("\\text{x"));
  ParseError error;
  EXPECT_FALSE(ParseMath("1+1", Deadline::Never(), nullptr).has_value() == false);
  EXPECT_FALSE(ParseMath("(", Deadline::Never(), nullptr).has_value());
}

TEST(ParseMathTest, LimitsAreEnforced) {
  ParseError error;
  // Each text fails on a limit, which the error says: it may be math all the same.
  const auto fails_over_limit = [&error](const std::string& text, const ParseLimits& limits = {}) {
    error = {};
    return !ParseMath(text, Deadline::Never(), &error, limits).has_value() && error.over_limit;
  };
  const std::string deep = std::string(10000, '(') + "1" + std::string(10000, ')');
  EXPECT_TRUE(fails_over_limit(deep, {.max_length = 100000}));
  EXPECT_EQ(error.reason, "nested too deeply");
  const std::string braces = std::string(4000, '{') + "1" + std::string(4000, '}');
  EXPECT_TRUE(fails_over_limit(braces));
  const std::string texts = [] {
    std::string s;
    for (int i = 0; i < 1000; ++i) s += "\\text{";
    s += "1";
    for (int i = 0; i < 1000; ++i) s += "}";
    return "2+" + s;
  }();
  EXPECT_TRUE(fails_over_limit(texts));
  EXPECT_EQ(error.reason, "nested too deeply");
  EXPECT_TRUE(fails_over_limit(std::string(9000, '-') + "1"));
  EXPECT_TRUE(fails_over_limit("x" + std::string(5000, '!')));
  std::string divisions = "1";
  for (int i = 0; i < 3000; ++i) divisions += "/1";
  EXPECT_TRUE(fails_over_limit(divisions));
  std::string tower = "9";
  for (int i = 0; i < 200; ++i) tower += "^9";
  EXPECT_TRUE(fails_over_limit(tower));
  std::string roots = "2";
  for (int i = 0; i < 200; ++i) roots = "\\sqrt{" + roots + "}";
  EXPECT_TRUE(fails_over_limit(roots));

  const std::string huge(1 << 20, '1');
  EXPECT_TRUE(fails_over_limit(huge));
  EXPECT_EQ(error.reason, "answer longer than 10000 bytes");

  std::string sum = "1";
  for (int i = 0; i < 100; ++i) sum += "+1";
  EXPECT_TRUE(fails_over_limit(sum, {.max_nodes = 50}));
  EXPECT_TRUE(ParseMath(sum, Deadline::Never(), &error).has_value());

  // Text that is not math is no limit's fault.
  for (const char* text : {"(", "1 +", "\\foo{x}", "\\text{x"}) {
    EXPECT_FALSE(ParseMath(text, Deadline::Never(), &error).has_value()) << text;
    EXPECT_FALSE(error.over_limit) << text << ": " << error.reason;
  }
}

TEST(ParseMathTest, ExpiredDeadlineThrows) {
  EXPECT_THROW(ParseMath("1+1", Deadline::After(0), nullptr), DeadlineExceeded);
}

TEST(ParseMathTest, ArbitraryBytesDoNotCrash) {
  std::string bytes;
  uint32_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    bytes.clear();
    const int length = round % 40;
    for (int i = 0; i < length; ++i) {
      state = state * 1103515245u + 12345u;
      static const char kAlphabet[] = "()[]{}|\\^_,.;=<>!+-*/0123456789xyefi $%&'";
      bytes += (round % 3 == 0) ? static_cast<char>(state >> 24)
                                : kAlphabet[(state >> 16) % (sizeof kAlphabet - 1)];
    }
    ParseError error;
    ParseMath(bytes, Deadline::Never(), &error);
  }
}

// Every gold answer of the competition corpus should parse.
TEST(ParseMathTest, CompetitionCorpusParseRate) {
  const auto records = rmg::testing::ReadSharedJsonl("math/competition_answers.jsonl");
  ASSERT_FALSE(records.empty());
  size_t parsed = 0;
  for (const auto& record : records) {
    const std::string reference = record["output"][0]["answer"]["label"]["reference"];
    ParseError error;
    const std::optional<Expr> expr = ParseMath(reference, Deadline::Never(), &error);
    if (!expr) {
      std::printf("unparsed: %s  (%s)\n", reference.c_str(), error.reason.c_str());
      continue;
    }
    ++parsed;
    if (std::getenv("RMG_PRINT_PARSES") != nullptr) {
      std::printf("%s  =>  %s\n", reference.c_str(), ToString(*expr).c_str());
    }
  }
  const double rate = static_cast<double>(parsed) / static_cast<double>(records.size());
  std::printf("parsed %zu of %zu gold answers (%.2f%%)\n", parsed, records.size(), 100 * rate);
  EXPECT_GE(rate, 0.99);
}

}  // namespace
}  // namespace rmg::math
