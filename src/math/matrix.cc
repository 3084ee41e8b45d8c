#include "math/matrix.h"

#include <utility>
#include <vector>

namespace rmg::math {
namespace {

constexpr size_t kMaxEntries = 10000;
constexpr size_t kMaxProducts = 1000000;

Expr Node(Op op, std::vector<Expr> args) {
  Expr e;
  e.op = op;
  e.args = std::move(args);
  return e;
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

std::optional<Expr> Product(const Expr& a, const Expr& b) {
  if (a.cols != b.rows) return std::nullopt;
  if (static_cast<size_t>(a.rows) * b.cols > kMaxEntries ||
      static_cast<size_t>(a.rows) * b.cols * a.cols > kMaxProducts) {
    return std::nullopt;
  }
  Expr out = Node(Op::kMatrix, {});
  out.rows = a.rows;
  out.cols = b.cols;
  for (uint32_t i = 0; i < a.rows; i++) {
    for (uint32_t j = 0; j < b.cols; j++) {
      std::vector<Expr> terms;
      for (uint32_t k = 0; k < a.cols; k++) {
        terms.push_back(Node(Op::kMul, {a.args[i * a.cols + k], b.args[k * b.cols + j]}));
      }
      out.args.push_back(terms.size() == 1 ? std::move(terms[0]) : Node(Op::kAdd, std::move(terms)));
    }
  }
  return out;
}

}  // namespace

std::optional<Expr> FoldMatrix(const Expr& expr) {
  switch (expr.op) {
    case Op::kMatrix:
      if (static_cast<size_t>(expr.rows) * expr.cols != expr.args.size()) return std::nullopt;
      return expr;
    case Op::kNeg: {
      if (expr.args.size() != 1) return std::nullopt;
      std::optional<Expr> m = FoldMatrix(expr.args[0]);
      if (!m) return std::nullopt;
      for (Expr& entry : m->args) entry = Node(Op::kNeg, {std::move(entry)});
      return m;
    }
    case Op::kAdd: {
      std::optional<Expr> sum;
      for (const Expr& arg : expr.args) {
        std::optional<Expr> m = FoldMatrix(arg);
        if (!m) return std::nullopt;  // matrix + scalar is not defined
        if (!sum) {
          sum = std::move(m);
          continue;
        }
        if (m->rows != sum->rows || m->cols != sum->cols) return std::nullopt;
        for (size_t i = 0; i < sum->args.size(); i++) {
          sum->args[i] = Node(Op::kAdd, {std::move(sum->args[i]), std::move(m->args[i])});
        }
      }
      return sum;
    }
    case Op::kMul: {
      // Left to right: scalars scale, matrices multiply; at least one matrix.
      std::optional<Expr> product;
      std::vector<Expr> scalars;
      for (const Expr& arg : expr.args) {
        if (!MentionsMatrix(arg)) {
          scalars.push_back(arg);
          continue;
        }
        std::optional<Expr> m = FoldMatrix(arg);
        if (!m) return std::nullopt;
        product = product ? Product(*product, *m) : std::move(m);
        if (!product) return std::nullopt;
      }
      if (!product) return std::nullopt;
      for (const Expr& scalar : scalars) {
        for (Expr& entry : product->args) entry = Node(Op::kMul, {scalar, std::move(entry)});
      }
      return product;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace rmg::math
