// The structural half of Equivalent: containers, relations, words. Scalars go to
// scalar_compare.cc. Rules and their reasons are summarised in compare.h.
#include "math/compare.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "math/evaluate.h"
#include "math/matrix.h"
#include "math/scalar_compare.h"

namespace rmg::math {
namespace {

// a ± b nodes expanded per element; past this many the tree is left as it is
// (2^4 = 16 variants).
constexpr size_t kMaxPlusMinus = 4;

Expr Node(Op op, std::vector<Expr> args) {
  Expr e;
  e.op = op;
  e.args = std::move(args);
  return e;
}

Expr Infinity(int sign) {
  Expr inf;
  inf.op = Op::kInfinity;
  return sign > 0 ? inf : Node(Op::kNeg, {inf});
}

Expr MakeInterval(Expr low, Expr high, bool left_closed, bool right_closed) {
  Expr e = Node(Op::kInterval, {std::move(low), std::move(high)});
  e.left_closed = left_closed;
  e.right_closed = right_closed;
  return e;
}

// Well-formed a ± b nodes (one or two operands) in the tree.
size_t CountPlusMinus(const Expr& expr) {
  size_t n = 0;
  std::vector<const Expr*> stack = {&expr};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->op == Op::kPlusMinus && (e->args.size() == 1 || e->args.size() == 2)) n++;
    for (const Expr& a : e->args) stack.push_back(&a);
  }
  return n;
}

// Every reading of `e` with each a ± b replaced by a + b or a - b.
std::vector<Expr> ExpandPlusMinus(const Expr& e) {
  if (e.op == Op::kPlusMinus && e.args.size() == 1) {
    std::vector<Expr> result;
    for (const Expr& b : ExpandPlusMinus(e.args[0])) {
      result.push_back(b);
      result.push_back(Node(Op::kNeg, {b}));
    }
    return result;
  }
  if (e.op == Op::kPlusMinus && e.args.size() == 2) {
    std::vector<Expr> result;
    for (const Expr& a : ExpandPlusMinus(e.args[0])) {
      for (const Expr& b : ExpandPlusMinus(e.args[1])) {
        result.push_back(Node(Op::kAdd, {a, b}));
        result.push_back(Node(Op::kAdd, {a, Node(Op::kNeg, {b})}));
      }
    }
    return result;
  }
  Expr shell = e;
  shell.args.clear();
  std::vector<Expr> result = {shell};
  for (const Expr& arg : e.args) {
    const std::vector<Expr> options = ExpandPlusMinus(arg);
    std::vector<Expr> next;
    for (const Expr& partial : result) {
      for (const Expr& option : options) {
        next.push_back(partial);
        next.back().args.push_back(option);
      }
    }
    result = std::move(next);
  }
  return result;
}

bool IsContainer(Op op) {
  return op == Op::kSet || op == Op::kList || op == Op::kEmptySet || op == Op::kTuple ||
         op == Op::kInterval || op == Op::kUnion || op == Op::kIntersection || op == Op::kMatrix;
}

bool IsSetLike(Op op) { return op == Op::kSet || op == Op::kList || op == Op::kEmptySet; }

// The relation read the way it is compared: a chain cut at its first \approx,
// a chain of "=" reduced to its first and last operand, and > / >= turned into < / <=
// by reading the chain backwards.
Expr NormalizeRelation(const Expr& r) {
  Expr out = r;
  for (size_t i = 0; i < out.relations.size(); i++) {
    if (out.relations[i] != Rel::kApprox) continue;
    if (i == 0) {
      out.relations[0] = Rel::kEq;  // "x \approx 3" says x is 3
      continue;
    }
    out.relations.resize(i);
    out.args.resize(i + 1);
    break;
  }
  for (Rel& rel : out.relations) {
    if (rel == Rel::kApprox) rel = Rel::kEq;
  }
  bool all_eq = true, all_greater = true;
  for (Rel rel : out.relations) {
    all_eq = all_eq && rel == Rel::kEq;
    all_greater = all_greater && (rel == Rel::kGt || rel == Rel::kGe);
  }
  if (all_eq && out.args.size() > 2) {
    Expr last = std::move(out.args.back());
    out.args.resize(1);
    out.args.push_back(std::move(last));
    out.relations.resize(1);
  }
  if (all_greater) {
    std::vector<Expr> reversed(out.args.rbegin(), out.args.rend());
    out.args = std::move(reversed);
    std::vector<Rel> rels;
    for (auto it = out.relations.rbegin(); it != out.relations.rend(); ++it) {
      rels.push_back(*it == Rel::kGt ? Rel::kLt : Rel::kLe);
    }
    out.relations = std::move(rels);
  }
  return out;
}

bool IsEquation(const Expr& r) {
  return r.op == Op::kRelation && r.args.size() == 2 && r.relations.size() == 1 &&
         r.relations[0] == Rel::kEq;
}

// A left side that only names the answer: x, f(x), x_1, (p, q, r).
bool IsNameLike(const Expr& e) {
  if (e.op == Op::kSymbol || e.op == Op::kApply) return true;
  if (e.op != Op::kTuple) return false;
  for (const Expr& a : e.args) {
    if (a.op != Op::kSymbol) return false;
  }
  return true;
}

// The set a (normalised) inequality describes in its one variable part, e.g.
// -2 <= x <= 7 -> [-2, 7], x > 5 -> (5, ∞), x != 3 -> (-∞, 3) ∪ (3, ∞).
std::optional<Expr> RelationToSet(const Expr& r) {
  const auto closed = [](Rel rel) { return rel == Rel::kLe; };
  const auto ordered = [](Rel rel) { return rel == Rel::kLt || rel == Rel::kLe; };
  if (r.args.size() == 3 && ordered(r.relations[0]) && ordered(r.relations[1]) &&
      IsConstant(r.args[0]) && !IsConstant(r.args[1]) && IsConstant(r.args[2])) {
    return MakeInterval(r.args[0], r.args[2], closed(r.relations[0]), closed(r.relations[1]));
  }
  if (r.args.size() != 2) return std::nullopt;
  const bool left_constant = IsConstant(r.args[0]), right_constant = IsConstant(r.args[1]);
  if (left_constant == right_constant) return std::nullopt;
  const Expr& bound = left_constant ? r.args[0] : r.args[1];
  const Rel rel = r.relations[0];
  if (ordered(rel)) {
    if (right_constant) return MakeInterval(Infinity(-1), bound, false, closed(rel));
    return MakeInterval(bound, Infinity(1), closed(rel), false);
  }
  if (rel == Rel::kNe) {
    return Node(Op::kUnion, {MakeInterval(Infinity(-1), bound, false, false),
                             MakeInterval(bound, Infinity(1), false, false)});
  }
  if (rel == Rel::kEq) return Node(Op::kSet, {bound});
  return std::nullopt;
}

bool IsSetValue(const Expr& e) {
  return e.op == Op::kInterval || e.op == Op::kUnion || e.op == Op::kSet ||
         e.op == Op::kEmptySet || (e.op == Op::kTuple && e.args.size() == 2);
}

// Lower case, single spaces, no outer spaces or wrapping parentheses: "(C)" is "c".
std::string NormalizeWord(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isspace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (out.size() >= 2 && ((out.front() == '(' && out.back() == ')') ||
                             (out.front() == '[' && out.back() == ']'))) {
    out = out.substr(1, out.size() - 2);
    while (!out.empty() && out.front() == ' ') out.erase(0, 1);
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

// The letters a product of symbols spells (E v e n -> "even"); empty if it is not one.
std::string Spell(const Expr& e) {
  switch (e.op) {
    case Op::kSymbol: return NormalizeWord(e.text);
    case Op::kE: return "e";
    case Op::kI: return "i";
    case Op::kPi: return "pi";
    case Op::kMul: {
      std::string word;
      for (const Expr& a : e.args) {
        const std::string part = Spell(a);
        if (part.empty()) return "";
        word += part;
      }
      return word;
    }
    default: return "";
  }
}

// The number a word writes ("13", "-2.5"), as a tree; nullopt if it is not one.
std::optional<Expr> WordAsNumber(const std::string& word) {
  std::string digits = word;
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  Rational unused;
  if (!Rational::ParseDecimal(digits, &unused, 1000)) return std::nullopt;
  Expr number;
  number.op = digits.find('.') == std::string::npos ? Op::kInteger : Op::kDecimal;
  number.text = digits;
  return negative ? Node(Op::kNeg, {number}) : number;
}

// The most element pairs a set comparison may look at (and remember): beyond it the
// sets are too large to compare. 10^6 pairs hold 1 MB; 11,200 x 11,200 held 500 MB.
constexpr size_t kMaxSetPairs = 1'000'000;

// `elements` with repeats removed (by their rendering), in order of first appearance.
std::vector<Expr> DistinctElements(const std::vector<Expr>& elements) {
  std::vector<Expr> distinct;
  std::set<std::string> seen;
  for (const Expr& element : elements) {
    if (seen.insert(ToString(element)).second) distinct.push_back(element);
  }
  return distinct;
}

class Comparer {
 public:
  Comparer(const CompareOptions& options, const Deadline& deadline)
      : options_(options), deadline_(deadline) {}

  bool Equal(const Expr& gold, const Expr& pred);

  // True once some value met on the way was past the size limits.
  bool too_large() const { return too_large_; }

 private:
  bool RelationEqual(const Expr& gold, const Expr& pred);
  bool RelationsEqual(const Expr& gold, const Expr& pred);
  bool ContainersEqual(const Expr& gold, const Expr& pred);
  bool IntervalsEqual(const Expr& gold, const Expr& pred);
  bool ElementwiseEqual(const std::vector<Expr>& gold, const std::vector<Expr>& pred);
  bool SetsEqual(const std::vector<Expr>& gold, const std::vector<Expr>& pred);
  bool WordsEqual(const Expr& gold, const Expr& pred);
  // Set elements of a container (a tuple counts as the set of its entries), with
  // every ± element expanded; a non-container is a one-element set.
  std::vector<Expr> Elements(const Expr& e) const;

  const CompareOptions& options_;
  const Deadline& deadline_;
  bool too_large_ = false;
};

std::vector<Expr> Comparer::Elements(const Expr& e) const {
  std::vector<Expr> items;
  if (e.op == Op::kSet || e.op == Op::kList || e.op == Op::kTuple || e.op == Op::kUnion) {
    items = e.args;
  } else if (e.op != Op::kEmptySet) {
    items.push_back(e);
  }
  std::vector<Expr> out;
  for (const Expr& item : items) {
    const size_t n = CountPlusMinus(item);
    if (n == 0 || n > kMaxPlusMinus || IsContainer(item.op)) {
      out.push_back(item);
      continue;
    }
    for (Expr& variant : ExpandPlusMinus(item)) out.push_back(std::move(variant));
  }
  return out;
}

bool Comparer::SetsEqual(const std::vector<Expr>& gold_elements, const std::vector<Expr>& pred_elements) {
  // A set holds each element once: repeats (as ± expansions make them) only multiply
  // the pairs to compare.
  const std::vector<Expr> gold = DistinctElements(gold_elements);
  const std::vector<Expr> pred = DistinctElements(pred_elements);
  if (gold.size() * pred.size() > kMaxSetPairs) {
    too_large_ = true;
    return false;
  }
  // Each side's elements must all be found in the other; results are cached since
  // both directions ask about the same pairs.
  std::vector<std::vector<int8_t>> memo(gold.size(), std::vector<int8_t>(pred.size(), -1));
  const auto pair_equal = [&](size_t i, size_t j) {
    if (memo[i][j] < 0) memo[i][j] = Equal(gold[i], pred[j]) ? 1 : 0;
    return memo[i][j] == 1;
  };
  for (size_t i = 0; i < gold.size(); i++) {
    bool found = false;
    for (size_t j = 0; j < pred.size() && !found; j++) found = pair_equal(i, j);
    if (!found) return false;
  }
  for (size_t j = 0; j < pred.size(); j++) {
    bool found = false;
    for (size_t i = 0; i < gold.size() && !found; i++) found = pair_equal(i, j);
    if (!found) return false;
  }
  return true;
}

bool Comparer::ElementwiseEqual(const std::vector<Expr>& gold, const std::vector<Expr>& pred) {
  if (gold.size() != pred.size()) return false;
  for (size_t i = 0; i < gold.size(); i++) {
    if (!Equal(gold[i], pred[i])) return false;
  }
  return true;
}

bool Comparer::IntervalsEqual(const Expr& gold, const Expr& pred) {
  // A 2-tuple (a, b) is also the open interval (a, b): the notation is the same.
  const auto closed = [](const Expr& e, bool left) {
    if (e.op != Op::kInterval) return false;
    return left ? e.left_closed : e.right_closed;
  };
  if (gold.args.size() != 2 || pred.args.size() != 2) return false;
  const bool low_infinite = gold.args[0].op == Op::kNeg && gold.args[0].args.size() == 1 &&
                            gold.args[0].args[0].op == Op::kInfinity;
  const bool high_infinite = gold.args[1].op == Op::kInfinity;
  if (!low_infinite && closed(gold, true) != closed(pred, true)) return false;
  if (!high_infinite && closed(gold, false) != closed(pred, false)) return false;
  return Equal(gold.args[0], pred.args[0]) && Equal(gold.args[1], pred.args[1]);
}

bool Comparer::ContainersEqual(const Expr& gold, const Expr& pred) {
  if (gold.op == Op::kUnion || pred.op == Op::kUnion) {
    return SetsEqual(Elements(gold), Elements(pred));
  }
  if (IsSetLike(gold.op) || IsSetLike(pred.op)) {
    if (gold.op == Op::kInterval || pred.op == Op::kInterval || gold.op == Op::kMatrix ||
        pred.op == Op::kMatrix) {
      return false;
    }
    return SetsEqual(Elements(gold), Elements(pred));
  }
  const auto is_pair = [](const Expr& e) { return e.op == Op::kTuple && e.args.size() == 2; };
  if ((gold.op == Op::kInterval && (pred.op == Op::kInterval || is_pair(pred))) ||
      (pred.op == Op::kInterval && is_pair(gold))) {
    return IntervalsEqual(gold, pred);
  }
  if (gold.op == Op::kTuple && pred.op == Op::kTuple) return ElementwiseEqual(gold.args, pred.args);
  if (gold.op == Op::kMatrix && pred.op == Op::kMatrix) {
    return gold.rows == pred.rows && gold.cols == pred.cols &&
           ElementwiseEqual(gold.args, pred.args);
  }
  // A one-row or one-column matrix is a vector, written either way.
  const auto is_vector = [](const Expr& e) {
    return e.op == Op::kMatrix && (e.rows == 1 || e.cols == 1);
  };
  if ((is_vector(gold) && pred.op == Op::kTuple) || (gold.op == Op::kTuple && is_vector(pred))) {
    return ElementwiseEqual(gold.args, pred.args);
  }
  if (gold.op == Op::kIntersection && pred.op == Op::kIntersection) {
    return SetsEqual(gold.args, pred.args);
  }
  return false;
}

bool Comparer::RelationsEqual(const Expr& gold, const Expr& pred) {
  if (gold.relations == pred.relations && gold.args.size() == pred.args.size() &&
      ElementwiseEqual(gold.args, pred.args)) {
    return true;
  }
  if (gold.args.size() != 2 || pred.args.size() != 2 || gold.relations != pred.relations) {
    return false;
  }
  const Rel rel = gold.relations[0];
  const bool symmetric = rel == Rel::kEq || rel == Rel::kNe;
  if (symmetric && Equal(gold.args[0], pred.args[1]) && Equal(gold.args[1], pred.args[0])) {
    return true;
  }
  for (const Expr& side : {gold.args[0], gold.args[1], pred.args[0], pred.args[1]}) {
    if (IsContainer(side.op) || side.op == Op::kText || side.op == Op::kRelation) return false;
  }
  const Expr gold_difference = Node(Op::kAdd, {gold.args[0], Node(Op::kNeg, {gold.args[1]})});
  const Expr pred_difference = Node(Op::kAdd, {pred.args[0], Node(Op::kNeg, {pred.args[1]})});
  return Proportional(gold_difference, pred_difference, !symmetric, options_, deadline_);
}

bool Comparer::RelationEqual(const Expr& gold_in, const Expr& pred_in) {
  const bool gold_relation = gold_in.op == Op::kRelation;
  const bool pred_relation = pred_in.op == Op::kRelation;
  const Expr gold = gold_relation ? NormalizeRelation(gold_in) : gold_in;
  const Expr pred = pred_relation ? NormalizeRelation(pred_in) : pred_in;
  if (gold_relation && pred_relation) return RelationsEqual(gold, pred);
  if (gold_relation) {
    if (IsEquation(gold)) {
      // "x = 11" answers 11, and so does "NO/BO = 1/sqrt(6)"; "7 = 11a + c" does not
      // answer 11a + c.
      if (IsNameLike(gold.args[0]) || IsConstant(gold.args[1])) return Equal(gold.args[1], pred);
      return false;
    }
    if (IsSetValue(pred)) {
      const std::optional<Expr> set = RelationToSet(gold);
      return set.has_value() && Equal(*set, pred);
    }
    return false;
  }
  // Only the prediction is a relation.
  if (IsEquation(pred)) return Equal(gold, pred.args[1]);
  if (options_.allow_set_relation_comp && IsSetValue(gold)) {
    const std::optional<Expr> set = RelationToSet(pred);
    return set.has_value() && Equal(gold, *set);
  }
  return false;
}

bool Comparer::WordsEqual(const Expr& gold, const Expr& pred) {
  if (gold.op == Op::kText && pred.op == Op::kText) {
    return NormalizeWord(gold.text) == NormalizeWord(pred.text);
  }
  const Expr& word = gold.op == Op::kText ? gold : pred;
  const Expr& other = gold.op == Op::kText ? pred : gold;
  const std::string normalized = NormalizeWord(word.text);
  const std::string spelled = Spell(other);
  if (!spelled.empty() && spelled == normalized) return true;
  if (options_.strict) return false;
  const std::optional<Expr> number = WordAsNumber(normalized);
  if (!number.has_value()) return false;
  return gold.op == Op::kText ? Equal(*number, pred) : Equal(gold, *number);
}

bool Comparer::Equal(const Expr& gold, const Expr& pred) {
  deadline_.Check();
  if (StructurallyEqual(gold, pred, deadline_)) return true;
  if (gold.op == Op::kText || pred.op == Op::kText) return WordsEqual(gold, pred);
  // "A + B" with explicit matrices is the matrix it evaluates to.
  const auto arithmetic = [](const Expr& e) {
    return (e.op == Op::kAdd || e.op == Op::kMul || e.op == Op::kNeg) && ContainsOp(e, Op::kMatrix);
  };
  if (arithmetic(gold) || arithmetic(pred)) {
    const std::optional<Expr> gold_matrix = arithmetic(gold) ? FoldMatrix(gold) : std::nullopt;
    const std::optional<Expr> pred_matrix = arithmetic(pred) ? FoldMatrix(pred) : std::nullopt;
    if (gold_matrix || pred_matrix) {
      return Equal(gold_matrix ? *gold_matrix : gold, pred_matrix ? *pred_matrix : pred);
    }
  }
  // A ± outside any container: the answer is the set of its readings.
  if (!IsContainer(gold.op) && !IsContainer(pred.op)) {
    const size_t gold_pm = CountPlusMinus(gold), pred_pm = CountPlusMinus(pred);
    if ((gold_pm > 0 || pred_pm > 0) && gold_pm <= kMaxPlusMinus && pred_pm <= kMaxPlusMinus) {
      return SetsEqual(Elements(gold), Elements(pred));
    }
  }
  if (gold.op == Op::kRelation || pred.op == Op::kRelation) return RelationEqual(gold, pred);
  if (IsContainer(gold.op) || IsContainer(pred.op)) {
    // A lone value against a set or list: a one-element set ({5} vs 5).
    if (IsSetLike(gold.op) || IsSetLike(pred.op)) return ContainersEqual(gold, pred);
    if (!IsContainer(gold.op) || !IsContainer(pred.op)) return false;
    return ContainersEqual(gold, pred);
  }
  return ScalarsEqual(gold, pred, options_, deadline_, &too_large_);
}

}  // namespace

bool StructurallyEqual(const Expr& a, const Expr& b, const Deadline& deadline) {
  std::vector<std::pair<const Expr*, const Expr*>> stack = {{&a, &b}};
  size_t steps = 0;
  while (!stack.empty()) {
    if (++steps % 1024 == 0) deadline.Check();
    const auto [x, y] = stack.back();
    stack.pop_back();
    if (x->op != y->op || x->text != y->text || x->args.size() != y->args.size() ||
        x->relations != y->relations || x->left_closed != y->left_closed ||
        x->right_closed != y->right_closed || x->rows != y->rows || x->cols != y->cols) {
      return false;
    }
    for (size_t i = 0; i < x->args.size(); i++) stack.push_back({&x->args[i], &y->args[i]});
  }
  return true;
}

namespace {

// A total order on trees (negative, zero, positive), used only to put terms and factors in
// one order; it has no mathematical meaning.
int OrderOfTrees(const Expr& a, const Expr& b) {
  if (a.op != b.op) return a.op < b.op ? -1 : 1;
  if (const int by_text = a.text.compare(b.text); by_text != 0) return by_text;
  if (a.args.size() != b.args.size()) return a.args.size() < b.args.size() ? -1 : 1;
  if (a.relations != b.relations) return a.relations < b.relations ? -1 : 1;
  if (a.left_closed != b.left_closed) return a.left_closed ? 1 : -1;
  if (a.right_closed != b.right_closed) return a.right_closed ? 1 : -1;
  if (a.rows != b.rows) return a.rows < b.rows ? -1 : 1;
  if (a.cols != b.cols) return a.cols < b.cols ? -1 : 1;
  for (size_t i = 0; i < a.args.size(); i++) {
    if (const int by_arg = OrderOfTrees(a.args[i], b.args[i]); by_arg != 0) return by_arg;
  }
  return 0;
}

// Sorts, in place, the terms of every sum in `expr` and the factors of every product that
// holds no matrix (matrix products do not commute), by OrderOfTrees.
void PutInCanonicalOrder(Expr& expr, const Deadline& deadline) {
  deadline.Check();
  for (Expr& arg : expr.args) PutInCanonicalOrder(arg, deadline);
  if (expr.op == Op::kAdd || (expr.op == Op::kMul && !ContainsOp(expr, Op::kMatrix))) {
    std::sort(expr.args.begin(), expr.args.end(), [](const Expr& a, const Expr& b) { return OrderOfTrees(a, b) < 0; });
  }
}

}  // namespace

bool EqualUpToOrder(const Expr& a, const Expr& b, const Deadline& deadline) {
  Expr sorted_a = a, sorted_b = b;
  PutInCanonicalOrder(sorted_a, deadline);
  PutInCanonicalOrder(sorted_b, deadline);
  return StructurallyEqual(sorted_a, sorted_b, deadline);
}

Equivalence Compare(const Expr& gold, const Expr& prediction, const CompareOptions& options,
                    const Deadline& deadline) {
  // Deep trees are only compared node for node: evaluation and the rules recurse.
  if (TreeDepth(gold) > kMaxEvalDepth || TreeDepth(prediction) > kMaxEvalDepth) {
    return StructurallyEqual(gold, prediction, deadline) ? Equivalence::kEqual : Equivalence::kTooLarge;
  }
  Comparer comparer(options, deadline);
  if (comparer.Equal(gold, prediction)) return Equivalence::kEqual;
  return comparer.too_large() ? Equivalence::kTooLarge : Equivalence::kNotEqual;
}

bool Equivalent(const Expr& gold, const Expr& prediction, const CompareOptions& options,
                const Deadline& deadline) {
  return Compare(gold, prediction, options, deadline) == Equivalence::kEqual;
}

}  // namespace rmg::math
