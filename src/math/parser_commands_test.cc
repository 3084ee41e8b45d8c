// The command level of the math parser (parser_commands.cc): Greek letters and their
// variants, subscripts and primes, function application, \frac/\sqrt/\binom
// arguments, function powers and inverses, big operators, matrix environments, and
// the errors each of them reports. parser_test.cc covers the common forms; these are
// the rest.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "math/parser.h"

namespace rmg::math {
namespace {

// The ToString of the parse, or "ERROR: reason".
std::string ParserCmdText(std::string_view text) {
  ParseError error;
  const std::optional<Expr> e = ParseMath(text, Deadline::Never(), &error);
  return e ? ToString(*e) : "ERROR: " + error.reason;
}

std::optional<Expr> ParserCmdTree(std::string_view text) {
  ParseError error;
  std::optional<Expr> e = ParseMath(text, Deadline::Never(), &error);
  EXPECT_TRUE(e.has_value()) << text << ": " << error.reason;
  return e;
}

TEST(ParserCommandsTest, GreekVariantsAreTheSameLetter) {
  EXPECT_EQ(ParserCmdText("\\vartheta"), "theta");
  EXPECT_EQ(ParserCmdText("\\varphi"), "phi");
  EXPECT_EQ(ParserCmdText("\\varrho"), "rho");
  EXPECT_EQ(ParserCmdText("\\varsigma"), "sigma");
  EXPECT_EQ(ParserCmdText("\\varphi + \\phi"), "(phi + phi)");
}

TEST(ParserCommandsTest, UpperCaseGreekAndLetterlikeSymbols) {
  // \Pi is a symbol, not the constant pi; the case is kept.
  const std::optional<Expr> big_pi = ParserCmdTree("\\Pi");
  ASSERT_TRUE(big_pi.has_value());
  EXPECT_EQ(big_pi->op, Op::kSymbol);
  EXPECT_EQ(big_pi->text, "Pi");
  EXPECT_EQ(ParserCmdTree("\\pi")->op, Op::kPi);
  EXPECT_EQ(ParserCmdText("\\Gamma"), "Gamma");
  EXPECT_EQ(ParserCmdText("\\Delta x"), "(Delta * x)");
  for (const char* name : {"hbar", "ell", "partial", "nabla", "mho"}) {
    EXPECT_EQ(ParserCmdText(std::string("\\") + name), name);
  }
}

TEST(ParserCommandsTest, GreekLettersAreNeverConstants) {
  // Only the letters e and i are constants; a Greek letter applied to an atom is a function.
  EXPECT_EQ(ParserCmdText("\\alpha(t)"), "alpha(t)");
  EXPECT_EQ(ParserCmdText("\\alpha(t+1)"), "(alpha * (t + 1))");
  EXPECT_EQ(ParserCmdText("\\theta_1'"), "theta_1'");
}

TEST(ParserCommandsTest, EmptySets) {
  EXPECT_EQ(ParserCmdTree("\\varnothing")->op, Op::kEmptySet);
  EXPECT_EQ(ParserCmdText("\\varnothing"), ParserCmdText("\\emptyset"));
}

TEST(ParserCommandsTest, Subscripts) {
  EXPECT_EQ(ParserCmdText("x_\\alpha"), "x_alpha");
  EXPECT_EQ(ParserCmdText("x_\\varepsilon"), "x_epsilon");
  EXPECT_EQ(ParserCmdText("a_{{n}}"), "a_{{n}}");  // not letters and digits only: braces kept
  EXPECT_EQ(ParserCmdText("x_{n+1}'"), "x_{n+1}'");
  EXPECT_EQ(ParserCmdText("x_12"), "(x_1 * 2)");
  EXPECT_EQ(ParserCmdText("x_{}"), "ERROR: empty subscript");
  EXPECT_EQ(ParserCmdText("x_+"), "ERROR: bad subscript");
  EXPECT_EQ(ParserCmdText("x_{1"), "ERROR: expected '}' after subscript, got end of answer");
  // One subscript per symbol: a second is not read as part of the name.
  EXPECT_EQ(ParserCmdText("x_1_2"), "ERROR: unexpected '_'");
  EXPECT_EQ(ParserCmdText("x'_1"), "ERROR: unexpected '_'");
}

// A command in a subscript names the same symbol with or without braces: LaTeX sets
// x_\alpha and x_{\alpha} alike, and strict comparison needs the names to agree.
TEST(ParserCommandsTest, BracedCommandSubscriptNamesTheSameSymbol) {
  EXPECT_EQ(ParserCmdText("x_{\\alpha}"), ParserCmdText("x_\\alpha"));
  EXPECT_EQ(ParserCmdText("x_{\\varepsilon}"), ParserCmdText("x_\\epsilon"));
  EXPECT_EQ(ParserCmdText("M_{\\odot}"), ParserCmdText("M_\\odot"));
}

TEST(ParserCommandsTest, PrimesAndFunctionApplication) {
  EXPECT_EQ(ParserCmdText("f''"), "f''");
  EXPECT_EQ(ParserCmdText("f''(x)"), "f''(x)");
  EXPECT_EQ(ParserCmdText("y^{\\prime\\prime}"), ParserCmdText("y''"));
  EXPECT_EQ(ParserCmdText("y^\\prime"), ParserCmdText("y'"));
  EXPECT_EQ(ParserCmdText("h'(x)"), "h'(x)");
  EXPECT_EQ(ParserCmdText("g_1(x)"), "g_1(x)");
  EXPECT_EQ(ParserCmdText("F^{-1}(x)"), "F^{-1}(x)");
  EXPECT_EQ(ParserCmdText("f(x, y)"), "f(x, y)");
  EXPECT_EQ(ParserCmdText("f()"), "ERROR: empty argument list");
  // Only f, g, h, F, G, H (alone or subscripted/primed) apply to any argument.
  EXPECT_EQ(ParserCmdText("k(x+1)"), "(k * (x + 1))");
  EXPECT_EQ(ParserCmdText("fg(x)"), "(f * g(x))");
  const std::optional<Expr> applied = ParserCmdTree("G(2x)");
  ASSERT_TRUE(applied.has_value());
  EXPECT_EQ(applied->op, Op::kApply);
  EXPECT_EQ(applied->text, "G");
}

TEST(ParserCommandsTest, FracAndBinomArguments) {
  EXPECT_EQ(ParserCmdText("\\frac{e}{i}"), "(E / I)");
  EXPECT_EQ(ParserCmdText("\\frac ab"), "(a / b)");
  EXPECT_EQ(ParserCmdText("\\frac\\pi2"), "(pi / 2)");
  EXPECT_EQ(ParserCmdText("\\frac123"), "((1 / 2) * 3)");  // one digit per argument, as in LaTeX
  EXPECT_EQ(ParserCmdText("\\frac{1,2}{3}"), "ERROR: expected one value in {...}");
  EXPECT_EQ(ParserCmdText("\\frac{}{3}"), "ERROR: expected one value in {...}");
  EXPECT_EQ(ParserCmdText("\\tbinom{4}{2}"), "binomial(4, 2)");
  EXPECT_EQ(ParserCmdText("\\binom52"), "binomial(5, 2)");
  EXPECT_EQ(ParserCmdText("\\binom{n}{k}"), "binomial(n, k)");
}

TEST(ParserCommandsTest, SquareRootsAndIndexedRoots) {
  EXPECT_EQ(ParserCmdText("\\sqrt 16"), "(sqrt(1) * 6)");  // LaTeX's one-character argument
  EXPECT_EQ(ParserCmdText("\\sqrt\\pi"), "sqrt(pi)");
  EXPECT_EQ(ParserCmdText("\\sqrt[3]{-8}"), "root((-8), 3)");
  EXPECT_EQ(ParserCmdText("\\sqrt[3]8"), "root(8, 3)");
  EXPECT_EQ(ParserCmdText("\\sqrt[n+1]{x}"), "root(x, (n + 1))");
  EXPECT_EQ(ParserCmdText("\\sqrt{}"), "ERROR: expected one value in {...}");
  EXPECT_EQ(ParserCmdText("\\sqrt[3"), "ERROR: expected ']' after root index, got end of answer");
}

TEST(ParserCommandsTest, InverseAndAliasFunctionNames) {
  EXPECT_EQ(ParserCmdText("\\arcsinh x"), "arsinh(x)");
  EXPECT_EQ(ParserCmdText("\\sinh^{-1} x"), "arsinh(x)");
  EXPECT_EQ(ParserCmdText("\\tanh^{-1}x"), "artanh(x)");
  EXPECT_EQ(ParserCmdText("\\cos^{-1} x"), "arccos(x)");
  EXPECT_EQ(ParserCmdText("\\sec^{-1} x"), "arcsec(x)");
  EXPECT_EQ(ParserCmdText("\\sin^{-1}(x)"), "arcsin(x)");
  EXPECT_EQ(ParserCmdText("acos(1)"), "arccos(1)");
  EXPECT_EQ(ParserCmdText("atan(1)"), "arctan(1)");
  // Only trigonometric and hyperbolic functions have ^{-1} as their inverse.
  EXPECT_EQ(ParserCmdText("\\ln^{-1} x"), "(ln(x) ^ (-1))");
  EXPECT_EQ(ParserCmdText("\\sin^{-2} x"), "(sin(x) ^ (-2))");
}

TEST(ParserCommandsTest, Logarithms) {
  EXPECT_EQ(ParserCmdText("\\lg 100"), "log(100, 10)");
  EXPECT_EQ(ParserCmdText("\\log_2^2 x"), "(log(x, 2) ^ 2)");
  EXPECT_EQ(ParserCmdText("\\log^2_2 x"), "(log(x, 2) ^ 2)");
  EXPECT_EQ(ParserCmdText("\\log_{a+1}(y)"), "log(y, (a + 1))");
  EXPECT_EQ(ParserCmdText("\\log_2(x, y)"), "ERROR: \\log_b with several arguments");
  EXPECT_EQ(ParserCmdText("\\ln x^2"), "ln((x ^ 2))");
}

TEST(ParserCommandsTest, ExpOfOneIsE) {
  EXPECT_EQ(ParserCmdTree("\\exp 1")->op, Op::kE);
  EXPECT_EQ(ParserCmdTree("\\exp{1}")->op, Op::kE);
  EXPECT_EQ(ParserCmdText("\\exp(2)"), "exp(2)");
  EXPECT_EQ(ParserCmdText("\\exp^2(1)"), "(E ^ 2)");
}

TEST(ParserCommandsTest, FunctionArguments) {
  EXPECT_EQ(ParserCmdText("\\max(1,2,3)"), "max(1, 2, 3)");
  EXPECT_EQ(ParserCmdText("\\gcd(12, 18)"), "gcd(12, 18)");
  EXPECT_EQ(ParserCmdText("\\sin\\sin x"), "sin(sin(x))");
  EXPECT_EQ(ParserCmdText("\\arccos{0}"), "arccos(0)");
  EXPECT_EQ(ParserCmdText("\\det(A)"), "det(A)");
  EXPECT_EQ(ParserCmdText("\\sgn(x)"), "sgn(x)");
  EXPECT_EQ(ParserCmdText("\\sin()"), "ERROR: empty argument list");
}

TEST(ParserCommandsTest, OperatorNames) {
  EXPECT_EQ(ParserCmdText("\\operatorname{foo}(x)"), "foo(x)");
  EXPECT_EQ(ParserCmdTree("\\operatorname{foo}(x, 1)")->op, Op::kApply);
  EXPECT_EQ(ParserCmdText("\\operatorname{arccot}(x)"), "arccot(x)");
  EXPECT_EQ(ParserCmdTree("\\operatorname{arccot}(x)")->op, Op::kFunction);
  EXPECT_EQ(ParserCmdText("\\operatorname{foo}()"), "ERROR: empty argument list");
  EXPECT_EQ(ParserCmdText("\\operatorname{foo}"), "ERROR: unknown function \\foo without arguments");
  EXPECT_EQ(ParserCmdText("\\operatorname{foo}(x"), "ERROR: expected ')', got end of answer");
  // Commands kept for subscripts mean nothing on their own.
  EXPECT_EQ(ParserCmdText("\\odot"), "ERROR: unknown function \\odot without arguments");
  EXPECT_EQ(ParserCmdText("\\star"), "ERROR: unknown function \\star without arguments");
}

TEST(ParserCommandsTest, BigOperatorLimits) {
  EXPECT_EQ(ParserCmdText("\\sum x"), "sum(x)");
  EXPECT_EQ(ParserCmdText("\\sum_{k=1} k"), "sum(k, k = 1)");
  EXPECT_EQ(ParserCmdText("\\sum^{n}_{k=1} k"), "sum(k, k = 1, n)");  // either order
  EXPECT_EQ(ParserCmdText("\\sum^{n} x"), "ERROR: upper limit without lower limit");
  EXPECT_EQ(ParserCmdText("\\int_-1^1 x"), "int(x, (-1), 1)");
  EXPECT_EQ(ParserCmdText("\\int_0 x"), "int(x, 0)");
  EXPECT_EQ(ParserCmdText("\\int_{-\\infty}^{\\infty} e^{-x^2} dx"), "int(((E ^ (-(x ^ 2))) * d * x), (-oo), oo)");
  EXPECT_EQ(ParserCmdText("\\prod_{k=1}^{n} k"), "prod(k, k = 1, n)");
}

TEST(ParserCommandsTest, Limits) {
  EXPECT_EQ(ParserCmdText("\\lim_{x \\to \\infty} \\frac{1}{x}"), "lim((1 / x), x, oo)");
  EXPECT_EQ(ParserCmdText("\\lim_{x \\rightarrow 0} x"), "lim(x, x, 0)");
  EXPECT_EQ(ParserCmdText("\\lim x"), "ERROR: expected '_' after \\lim, got 'x'");
  EXPECT_EQ(ParserCmdText("\\lim_x x"), "ERROR: expected '{' after \\lim_, got 'x'");
  EXPECT_EQ(ParserCmdText("\\lim_{x = 0} x"), "ERROR: expected \\to, got '='");
}

TEST(ParserCommandsTest, MatrixEnvironments) {
  EXPECT_EQ(ParserCmdText("\\begin{smallmatrix}1&2\\end{smallmatrix}"), "[[1, 2]]");
  EXPECT_EQ(ParserCmdText("\\begin{matrix}1\\\\2\\end{matrix}"), "[[1], [2]]");
  EXPECT_EQ(ParserCmdText("\\begin{Bmatrix}1\\end{Bmatrix}"), "[[1]]");
  EXPECT_EQ(ParserCmdText("\\begin{array}{cc}1&2\\\\3&4\\end{array}"), "[[1, 2], [3, 4]]");
  EXPECT_EQ(ParserCmdText("\\begin{pmatrix}x=1\\end{pmatrix}"), "[[x = 1]]");
  const std::optional<Expr> row = ParserCmdTree("\\begin{bmatrix} a & b & c \\end{bmatrix}");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->op, Op::kMatrix);
  EXPECT_EQ(row->rows, 1u);
  EXPECT_EQ(row->cols, 3u);
  const std::optional<Expr> grid = ParserCmdTree("\\begin{pmatrix}1&2\\\\3&4\\\\5&6\\\\\\end{pmatrix}");
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(grid->rows, 3u);
  EXPECT_EQ(grid->cols, 2u);
  ASSERT_EQ(grid->args.size(), 6u);
  EXPECT_EQ(grid->args[2].text, "3");  // row-major
}

TEST(ParserCommandsTest, MatrixErrors) {
  EXPECT_EQ(ParserCmdText("\\begin{pmatrix}1\\end{bmatrix}"), "ERROR: \\begin{pmatrix} ended by \\end{bmatrix}");
  EXPECT_EQ(ParserCmdText("\\begin{pmatrix}\\end{pmatrix}"), "ERROR: empty matrix");
  EXPECT_EQ(ParserCmdText("\\begin{pmatrix}1 ) \\end{pmatrix}"), "ERROR: unexpected ')' in matrix");
  EXPECT_EQ(ParserCmdText("\\begin{pmatrix}& 1\\end{pmatrix}"), "ERROR: unexpected '&'");
  EXPECT_EQ(ParserCmdText("\\begin{pmatrix}1 & & 2\\end{pmatrix}"), "ERROR: unexpected '&'");
  EXPECT_EQ(ParserCmdText("\\begin{pmatrix}1\\\\\\\\2\\end{pmatrix}"), "ERROR: matrix rows of different lengths");
  EXPECT_EQ(ParserCmdText("\\begin{align}1\\end{align}"), "ERROR: unsupported environment align");
}

TEST(ParserCommandsTest, NestedCommandsHitTheDepthLimit) {
  // Each nested command's argument is one level; a limit error says the text may be math.
  const auto nested = [](const std::string& open, int times, const std::string& close) {
    std::string text;
    for (int i = 0; i < times; ++i) text += open;
    text += "2";
    for (int i = 0; i < times; ++i) text += close;
    return text;
  };
  for (const std::string& text : {nested("\\frac{1}{", 150, "}"), nested("\\sin ", 150, ""),
                                  nested("\\binom{1}{", 150, "}"), nested("\\log_{", 150, "}3")}) {
    ParseError error;
    EXPECT_FALSE(ParseMath(text, Deadline::Never(), &error).has_value()) << text.substr(0, 40);
    EXPECT_TRUE(error.over_limit) << text.substr(0, 40) << ": " << error.reason;
    EXPECT_EQ(error.reason, "nested too deeply");
  }
  // Well within the limit, the same shapes parse.
  EXPECT_EQ(ParserCmdText(nested("\\sin ", 20, "")).substr(0, 12), "sin(sin(sin(");
  EXPECT_EQ(ParserCmdText(nested("\\frac{1}{", 20, "}")).substr(0, 9), "(1 / (1 /");
}

}  // namespace
}  // namespace rmg::math
