// FoldMatrix: sums, negations and products of explicit matrices folded into one
// matrix of unevaluated entries. The comparer's tests check the folded values; these
// check the shapes, the entry trees, what is refused, and the size limits.
#include "math/matrix.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "math/test_builders.h"

namespace rmg::math {
namespace {
// A namespace of its own, so that in a unity build the builders named here win over
// same-named helpers other test files declare in rmg::math's unnamed namespace.
namespace fold_matrix_test {

using testing::Add;
using testing::Div;
using testing::Fn;
using testing::Int;
using testing::Matrix;
using testing::Mul;
using testing::Neg;
using testing::Pow;
using testing::Sub;
using testing::Sym;
using testing::Tuple;

// A rows x cols matrix of the symbols prefix11, prefix12, ... (1-based, row-major).
Expr FoldMatrixOfSymbols(const std::string& prefix, uint32_t rows, uint32_t cols) {
  std::vector<Expr> entries;
  for (uint32_t r = 1; r <= rows; ++r) {
    for (uint32_t c = 1; c <= cols; ++c) entries.push_back(Sym(prefix + std::to_string(r) + std::to_string(c)));
  }
  return Matrix(rows, cols, std::move(entries));
}

// A rows x cols matrix of the integer 1.
Expr FoldMatrixOfOnes(uint32_t rows, uint32_t cols) {
  return Matrix(rows, cols, std::vector<Expr>(static_cast<size_t>(rows) * cols, Int("1")));
}

std::string FoldMatrixString(const Expr& expr) {
  const std::optional<Expr> folded = FoldMatrix(expr);
  return folded ? ToString(*folded) : "<none>";
}

TEST(FoldMatrixTest, AMatrixIsItself) {
  const Expr m = FoldMatrixOfSymbols("a", 2, 3);
  const std::optional<Expr> folded = FoldMatrix(m);
  ASSERT_TRUE(folded.has_value());
  EXPECT_EQ(folded->op, Op::kMatrix);
  EXPECT_EQ(folded->rows, 2u);
  EXPECT_EQ(folded->cols, 3u);
  EXPECT_EQ(ToString(*folded), "[[a11, a12, a13], [a21, a22, a23]]");
}

TEST(FoldMatrixTest, MalformedMatrixIsRefused) {
  // rows * cols must match the number of entries, or indexing would run off the end.
  EXPECT_EQ(FoldMatrixString(Matrix(2, 2, {Int("1"), Int("2"), Int("3")})), "<none>");
  EXPECT_EQ(FoldMatrixString(Matrix(1, 2, {Int("1"), Int("2"), Int("3")})), "<none>");
  EXPECT_EQ(FoldMatrixString(Add({Matrix(2, 2, {Int("1")}), Matrix(2, 2, {Int("1")})})), "<none>");
}

TEST(FoldMatrixTest, ScalarsAndOtherOperatorsAreNotMatrices) {
  EXPECT_EQ(FoldMatrixString(Int("3")), "<none>");
  EXPECT_EQ(FoldMatrixString(Sym("A")), "<none>");
  EXPECT_EQ(FoldMatrixString(Add({Int("1"), Int("2")})), "<none>");
  EXPECT_EQ(FoldMatrixString(Mul({Int("2"), Sym("x")})), "<none>");
  EXPECT_EQ(FoldMatrixString(Neg(Int("1"))), "<none>");
  // Powers, quotients and functions of matrices are not folded.
  EXPECT_EQ(FoldMatrixString(Pow(FoldMatrixOfOnes(2, 2), Int("2"))), "<none>");
  EXPECT_EQ(FoldMatrixString(Div(FoldMatrixOfOnes(2, 2), Int("2"))), "<none>");
  EXPECT_EQ(FoldMatrixString(Fn("det", {FoldMatrixOfOnes(2, 2)})), "<none>");
  EXPECT_EQ(FoldMatrixString(Tuple({FoldMatrixOfOnes(1, 1), FoldMatrixOfOnes(1, 1)})), "<none>");
}

TEST(FoldMatrixTest, NegationNegatesEachEntry) {
  EXPECT_EQ(FoldMatrixString(Neg(FoldMatrixOfSymbols("a", 1, 2))), "[[(-a11), (-a12)]]");
  EXPECT_EQ(FoldMatrixString(Neg(Neg(FoldMatrixOfSymbols("a", 1, 1)))), "[[(-(-a11))]]");
  // A malformed negation (two operands) is refused rather than half-read.
  Expr bad = Neg(FoldMatrixOfOnes(1, 1));
  bad.args.push_back(FoldMatrixOfOnes(1, 1));
  EXPECT_EQ(FoldMatrixString(bad), "<none>");
}

TEST(FoldMatrixTest, SumsAddEntrywiseInOrder) {
  EXPECT_EQ(FoldMatrixString(Add({FoldMatrixOfSymbols("a", 2, 1), FoldMatrixOfSymbols("b", 2, 1)})),
            "[[(a11 + b11)], [(a21 + b21)]]");
  EXPECT_EQ(FoldMatrixString(
                Add({FoldMatrixOfSymbols("a", 1, 1), FoldMatrixOfSymbols("b", 1, 1), FoldMatrixOfSymbols("c", 1, 1)})),
            "[[((a11 + b11) + c11)]]");
  // A - B is A + (-B).
  EXPECT_EQ(FoldMatrixString(Sub(FoldMatrixOfSymbols("a", 1, 2), FoldMatrixOfSymbols("b", 1, 2))),
            "[[(a11 + (-b11)), (a12 + (-b12))]]");
}

TEST(FoldMatrixTest, SumsNeedMatchingShapesAndNoScalars) {
  EXPECT_EQ(FoldMatrixString(Add({FoldMatrixOfOnes(2, 1), FoldMatrixOfOnes(1, 2)})), "<none>");
  EXPECT_EQ(FoldMatrixString(Add({FoldMatrixOfOnes(2, 2), FoldMatrixOfOnes(2, 3)})), "<none>");
  EXPECT_EQ(FoldMatrixString(Add({FoldMatrixOfOnes(1, 1), Int("1")})), "<none>");
  EXPECT_EQ(FoldMatrixString(Add({Int("1"), FoldMatrixOfOnes(1, 1)})), "<none>");
}

TEST(FoldMatrixTest, ProductsAreRowTimesColumn) {
  // (1x2)(2x1): one entry, a sum of two products.
  EXPECT_EQ(FoldMatrixString(Mul({FoldMatrixOfSymbols("a", 1, 2), FoldMatrixOfSymbols("b", 2, 1)})),
            "[[((a11 * b11) + (a12 * b21))]]");
  // (2x1)(1x2): single products are not wrapped in a sum.
  EXPECT_EQ(FoldMatrixString(Mul({FoldMatrixOfSymbols("a", 2, 1), FoldMatrixOfSymbols("b", 1, 2)})),
            "[[(a11 * b11), (a11 * b12)], [(a21 * b11), (a21 * b12)]]");
  const std::optional<Expr> square = FoldMatrix(Mul({FoldMatrixOfSymbols("a", 2, 3), FoldMatrixOfSymbols("b", 3, 2)}));
  ASSERT_TRUE(square.has_value());
  EXPECT_EQ(square->rows, 2u);
  EXPECT_EQ(square->cols, 2u);
  ASSERT_EQ(square->args.size(), 4u);
  EXPECT_EQ(ToString(square->args[1]), "((a11 * b12) + (a12 * b22) + (a13 * b32))");
}

TEST(FoldMatrixTest, ProductsKeepTheirOrder) {
  const Expr a = FoldMatrixOfSymbols("a", 1, 2);
  const Expr b = FoldMatrixOfSymbols("b", 2, 1);
  EXPECT_EQ(FoldMatrixString(Mul({b, a})), "[[(b11 * a11), (b11 * a12)], [(b21 * a11), (b21 * a12)]]");
  EXPECT_EQ(FoldMatrixString(Mul({a, a})), "<none>");  // (1x2)(1x2) is not defined
  // Three factors fold left to right: (1x2)(2x1)(1x1).
  EXPECT_EQ(FoldMatrixString(Mul({a, b, FoldMatrixOfSymbols("c", 1, 1)})), "[[(((a11 * b11) + (a12 * b21)) * c11)]]");
}

TEST(FoldMatrixTest, ScalarsScaleEveryEntryWhereverTheyStand) {
  EXPECT_EQ(FoldMatrixString(Mul({Int("2"), FoldMatrixOfSymbols("a", 1, 2)})), "[[(2 * a11), (2 * a12)]]");
  EXPECT_EQ(FoldMatrixString(Mul({FoldMatrixOfSymbols("a", 1, 2), Sym("k")})), "[[(k * a11), (k * a12)]]");
  // Several scalars apply one after the other, after the matrices are multiplied.
  EXPECT_EQ(FoldMatrixString(Mul({Int("2"), FoldMatrixOfSymbols("a", 1, 1), Int("3")})), "[[(3 * (2 * a11))]]");
  // Scalars alone are no matrix.
  EXPECT_EQ(FoldMatrixString(Mul({Int("2"), Int("3")})), "<none>");
}

TEST(FoldMatrixTest, NestedArithmeticFolds) {
  // -(A + B) * 2
  const Expr expr = Mul({Neg(Add({FoldMatrixOfSymbols("a", 1, 1), FoldMatrixOfSymbols("b", 1, 1)})), Int("2")});
  EXPECT_EQ(FoldMatrixString(expr), "[[(2 * (-(a11 + b11)))]]");
  // A factor that mentions a matrix but is not one makes the product unreadable.
  EXPECT_EQ(FoldMatrixString(Mul({Pow(FoldMatrixOfOnes(1, 1), Int("2")), FoldMatrixOfOnes(1, 1)})), "<none>");
}

TEST(FoldMatrixTest, EntryLimitIsTenThousand) {
  // (100x1)(1x100) has exactly 10^4 entries: allowed. (101x1)(1x100) has more.
  const std::optional<Expr> at_limit = FoldMatrix(Mul({FoldMatrixOfOnes(100, 1), FoldMatrixOfOnes(1, 100)}));
  ASSERT_TRUE(at_limit.has_value());
  EXPECT_EQ(at_limit->rows, 100u);
  EXPECT_EQ(at_limit->cols, 100u);
  EXPECT_EQ(at_limit->args.size(), 10000u);
  EXPECT_EQ(ToString(at_limit->args.back()), "(1 * 1)");
  EXPECT_EQ(FoldMatrixString(Mul({FoldMatrixOfOnes(101, 1), FoldMatrixOfOnes(1, 100)})), "<none>");
}

TEST(FoldMatrixTest, ProductLimitIsAMillion) {
  // (100x101)(101x100): 10^4 entries, but 1,010,000 scalar products.
  EXPECT_EQ(FoldMatrixString(Mul({FoldMatrixOfOnes(100, 101), FoldMatrixOfOnes(101, 100)})), "<none>");
}

TEST(FoldMatrixTest, LongProductChainStaysBounded) {
  // Every product copies the entries of the running product into each new entry, so
  // a chain of n 2x2 factors grows like 2^n nodes: 40 factors, a 2 KB answer well
  // inside the parser's limits, would be ~10^13 nodes. It is refused; a short chain
  // is folded.
  EXPECT_EQ(FoldMatrixString(Mul(std::vector<Expr>(40, FoldMatrixOfOnes(2, 2)))), "<none>");
  const std::optional<Expr> short_chain = FoldMatrix(Mul(std::vector<Expr>(3, FoldMatrixOfOnes(2, 2))));
  ASSERT_TRUE(short_chain.has_value());
  EXPECT_EQ(short_chain->args.size(), 4u);
  // The largest chain folded stays within the stated budget (2^16 nodes here).
  for (size_t n = 2; n <= 40; ++n) {
    const std::optional<Expr> folded = FoldMatrix(Mul(std::vector<Expr>(n, FoldMatrixOfOnes(2, 2))));
    if (!folded) break;
    EXPECT_LE(NodeCount(*folded), size_t{1} << 16) << n << " factors";
  }
}

}  // namespace fold_matrix_test
}  // namespace
}  // namespace rmg::math
