#include "math/matrix.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace rmg::math {
namespace {

constexpr size_t kMaxEntries = 10000;
constexpr size_t kMaxProducts = 1000000;
// Folding may multiply the size of an answer: a product's entries each hold copies of
// whole rows and columns, so a chain of n small matrices grows like 2^n. The folded
// tree may have this many nodes per node of the answer (a 50x50 product needs ~75),
// or kMinNodeBudget in all when that is more (an outer product of two 100-vectors
// needs 150 per node).
constexpr size_t kNodesPerInputNode = 100;
constexpr size_t kMinNodeBudget = 1 << 16;

Expr Node(Op op, std::vector<Expr> args) {
  Expr e;
  e.op = op;
  e.args = std::move(args);
  return e;
}

size_t CountNodes(const Expr& expr) {
  size_t count = 0;
  std::vector<const Expr*> stack = {&expr};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    count += 1;
    for (const Expr& a : e->args) stack.push_back(&a);
  }
  return count;
}

bool MentionsMatrix(const Expr& expr) {
  std::vector<const Expr*> stack = {&expr};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->op == Op::kMatrix) return true;
    for (const Expr& a : e->args) stack.push_back(&a);
  }
  return false;
}

// A folded matrix and the number of nodes in its tree.
struct Folded {
  Expr matrix;
  size_t nodes = 0;
};

std::optional<Folded> Product(const Folded& a, const Folded& b, size_t budget) {
  const Expr& x = a.matrix;
  const Expr& y = b.matrix;
  if (x.cols != y.rows) return std::nullopt;
  const size_t entries = static_cast<size_t>(x.rows) * y.cols;
  if (entries > kMaxEntries || entries * x.cols > kMaxProducts) return std::nullopt;
  // Entry (i, j) holds row i of x and column j of y: every entry of x is copied y.cols
  // times, every entry of y x.rows times, plus a Mul per term and an Add per entry.
  const size_t nodes = 1 + entries * (1 + x.cols) + (a.nodes - 1) * y.cols + (b.nodes - 1) * x.rows;
  if (nodes > budget) return std::nullopt;
  Folded out{Node(Op::kMatrix, {}), nodes};
  out.matrix.rows = x.rows;
  out.matrix.cols = y.cols;
  for (uint32_t i = 0; i < x.rows; i++) {
    for (uint32_t j = 0; j < y.cols; j++) {
      std::vector<Expr> terms;
      for (uint32_t k = 0; k < x.cols; k++) {
        terms.push_back(Node(Op::kMul, {x.args[i * x.cols + k], y.args[k * y.cols + j]}));
      }
      out.matrix.args.push_back(terms.size() == 1 ? std::move(terms[0]) : Node(Op::kAdd, std::move(terms)));
    }
  }
  return out;
}

// FoldMatrix with at most `budget` nodes in any folded tree along the way.
std::optional<Folded> Fold(const Expr& expr, size_t budget) {
  switch (expr.op) {
    case Op::kMatrix:
      if (static_cast<size_t>(expr.rows) * expr.cols != expr.args.size()) return std::nullopt;
      return Folded{expr, CountNodes(expr)};
    case Op::kNeg: {
      if (expr.args.size() != 1) return std::nullopt;
      std::optional<Folded> m = Fold(expr.args[0], budget);
      if (!m) return std::nullopt;
      m->nodes += m->matrix.args.size();
      if (m->nodes > budget) return std::nullopt;
      for (Expr& entry : m->matrix.args) entry = Node(Op::kNeg, {std::move(entry)});
      return m;
    }
    case Op::kAdd: {
      std::optional<Folded> sum;
      for (const Expr& arg : expr.args) {
        std::optional<Folded> m = Fold(arg, budget);
        if (!m) return std::nullopt;  // matrix + scalar is not defined
        if (!sum) {
          sum = std::move(m);
          continue;
        }
        if (m->matrix.rows != sum->matrix.rows || m->matrix.cols != sum->matrix.cols) return std::nullopt;
        sum->nodes += m->nodes - 1 + sum->matrix.args.size();
        if (sum->nodes > budget) return std::nullopt;
        for (size_t i = 0; i < sum->matrix.args.size(); i++) {
          sum->matrix.args[i] = Node(Op::kAdd, {std::move(sum->matrix.args[i]), std::move(m->matrix.args[i])});
        }
      }
      return sum;
    }
    case Op::kMul: {
      // Left to right: scalars scale, matrices multiply; at least one matrix.
      std::optional<Folded> product;
      std::vector<const Expr*> scalars;
      for (const Expr& arg : expr.args) {
        if (!MentionsMatrix(arg)) {
          scalars.push_back(&arg);
          continue;
        }
        std::optional<Folded> m = Fold(arg, budget);
        if (!m) return std::nullopt;
        product = product ? Product(*product, *m, budget) : std::move(m);
        if (!product) return std::nullopt;
      }
      if (!product) return std::nullopt;
      for (const Expr* scalar : scalars) {
        product->nodes += product->matrix.args.size() * (1 + CountNodes(*scalar));
        if (product->nodes > budget) return std::nullopt;
        for (Expr& entry : product->matrix.args) entry = Node(Op::kMul, {*scalar, std::move(entry)});
      }
      return product;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Expr> FoldMatrix(const Expr& expr) {
  std::optional<Folded> folded = Fold(expr, std::max(kMinNodeBudget, kNodesPerInputNode * CountNodes(expr)));
  if (!folded) return std::nullopt;
  return std::move(folded->matrix);
}

}  // namespace rmg::math
