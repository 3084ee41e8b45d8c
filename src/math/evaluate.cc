#include "math/evaluate.h"

#include <flint/fmpz.h>

#include <utility>
#include <vector>

namespace rmg::math {
namespace {

// Exact results larger than this many bits are refused: a million bits is far past
// any real answer and still takes well under a millisecond to build.
constexpr long kMaxExactBits = 1L << 20;
constexpr unsigned long kMaxExactFactorial = 10000;
constexpr unsigned long kMaxExactBinomialN = 1000000;
// Bits of all intermediate results of one evaluation together: many nodes each
// under the per-result limit must not add up to gigabytes.
constexpr long kMaxExactTotalBits = 1L << 24;

// ---- Exact evaluation --------------------------------------------------------

class ExactEvaluator {
 public:
  ExactEvaluator(const ValueRules& rules, const Deadline& deadline)
      : rules_(rules), deadline_(deadline) {}

  // Evaluates `e` and charges the size of its value to the evaluation's budget.
  EvalStatus Eval(const Expr& e, int depth, Rational* out) {
    const EvalStatus s = EvalNode(e, depth, out);
    if (s != EvalStatus::kOk) return s;
    total_bits_ += out->Bits();
    return total_bits_ > kMaxExactTotalBits ? EvalStatus::kTooLarge : EvalStatus::kOk;
  }

 private:
  EvalStatus EvalNode(const Expr& e, int depth, Rational* out);
  EvalStatus EvalArgs(const Expr& e, int depth, std::vector<Rational>* values);
  EvalStatus Pow(const Rational& base, const Rational& exponent, Rational* out);
  EvalStatus Function(const Expr& e, int depth, Rational* out);

  const ValueRules& rules_;
  const Deadline& deadline_;
  long total_bits_ = 0;
};

EvalStatus ExactEvaluator::EvalArgs(const Expr& e, int depth, std::vector<Rational>* values) {
  values->resize(e.args.size());
  for (size_t i = 0; i < e.args.size(); i++) {
    const EvalStatus s = Eval(e.args[i], depth + 1, &(*values)[i]);
    if (s != EvalStatus::kOk) return s;
  }
  return EvalStatus::kOk;
}

EvalStatus ExactEvaluator::Pow(const Rational& base, const Rational& exponent, Rational* out) {
  if (!exponent.IsInteger()) return EvalStatus::kUnsupported;
  const fmpz* n = fmpq_numref(exponent.get());
  if (base.IsZero()) {
    if (fmpz_sgn(n) < 0) return EvalStatus::kUndefined;
    fmpq_set_si(out->get(), fmpz_is_zero(n) ? 1 : 0, 1);  // 0^0 = 1, as sympy has it
    return EvalStatus::kOk;
  }
  if (fmpq_is_one(base.get())) {
    fmpq_one(out->get());
    return EvalStatus::kOk;
  }
  if (fmpz_equal_si(fmpq_numref(base.get()), -1) && fmpz_is_one(fmpq_denref(base.get()))) {
    fmpq_set_si(out->get(), fmpz_is_even(n) ? 1 : -1, 1);
    return EvalStatus::kOk;
  }
  if (!fmpz_fits_si(n)) return EvalStatus::kTooLarge;
  const long e = fmpz_get_si(n);
  const long magnitude = e < 0 ? -e : e;
  if (magnitude > kMaxExactBits || base.Bits() * magnitude > 2 * kMaxExactBits) {
    return EvalStatus::kTooLarge;
  }
  fmpq_pow_si(out->get(), base.get(), e);
  return EvalStatus::kOk;
}

// Reads a non-negative machine integer, or says why not.
EvalStatus SmallNatural(const Rational& value, unsigned long limit, unsigned long* out) {
  if (!value.IsInteger()) return EvalStatus::kUnsupported;
  if (value.Sign() < 0) return EvalStatus::kUndefined;
  const fmpz* n = fmpq_numref(value.get());
  if (!fmpz_abs_fits_ui(n) || fmpz_get_ui(n) > limit) return EvalStatus::kTooLarge;
  *out = fmpz_get_ui(n);
  return EvalStatus::kOk;
}

EvalStatus ExactEvaluator::Function(const Expr& e, int depth, Rational* out) {
  const std::string& f = e.text;
  const bool known = f == "abs" || f == "floor" || f == "ceil" || f == "binomial" || f == "gcd" ||
                     f == "lcm" || f == "max" || f == "min" || f == "re" || f == "conjugate" ||
                     f == "im";
  if (!known || e.args.empty()) return EvalStatus::kUnsupported;
  std::vector<Rational> v;
  const EvalStatus s = EvalArgs(e, depth, &v);
  if (s != EvalStatus::kOk) return s;
  if (f == "abs") {
    fmpq_abs(out->get(), v[0].get());
  } else if (f == "floor" || f == "ceil") {
    Integer q;
    if (f == "floor") {
      fmpz_fdiv_q(q.get(), fmpq_numref(v[0].get()), fmpq_denref(v[0].get()));
    } else {
      fmpz_cdiv_q(q.get(), fmpq_numref(v[0].get()), fmpq_denref(v[0].get()));
    }
    fmpq_set_fmpz(out->get(), q.get());
  } else if (f == "re" || f == "conjugate") {
    *out = v[0];
  } else if (f == "im") {
    fmpq_zero(out->get());
  } else if (f == "max" || f == "min") {
    *out = v[0];
    for (size_t i = 1; i < v.size(); i++) {
      const int c = fmpq_cmp(v[i].get(), out->get());
      if ((f == "max" && c > 0) || (f == "min" && c < 0)) *out = v[i];
    }
  } else if (f == "gcd" || f == "lcm") {
    Integer acc;
    for (size_t i = 0; i < v.size(); i++) {
      if (!v[i].IsInteger()) return EvalStatus::kUnsupported;
      if (i == 0) {
        fmpz_abs(acc.get(), fmpq_numref(v[0].get()));
      } else if (f == "gcd") {
        fmpz_gcd(acc.get(), acc.get(), fmpq_numref(v[i].get()));
      } else {
        fmpz_lcm(acc.get(), acc.get(), fmpq_numref(v[i].get()));
        if (static_cast<long>(fmpz_bits(acc.get())) > kMaxExactBits) return EvalStatus::kTooLarge;
      }
    }
    fmpq_set_fmpz(out->get(), acc.get());
  } else {  // binomial
    if (v.size() != 2) return EvalStatus::kUnsupported;
    unsigned long n = 0, k = 0;
    EvalStatus sn = SmallNatural(v[0], kMaxExactBinomialN, &n);
    if (sn != EvalStatus::kOk) return sn == EvalStatus::kUndefined ? EvalStatus::kUnsupported : sn;
    if (!v[1].IsInteger()) return EvalStatus::kUnsupported;
    if (v[1].Sign() < 0 || fmpz_cmp_ui(fmpq_numref(v[1].get()), n) > 0) {
      fmpq_zero(out->get());
      return EvalStatus::kOk;
    }
    k = fmpz_get_ui(fmpq_numref(v[1].get()));
    Integer b;
    fmpz_bin_uiui(b.get(), n, k);
    fmpq_set_fmpz(out->get(), b.get());
  }
  return EvalStatus::kOk;
}

EvalStatus ExactEvaluator::EvalNode(const Expr& e, int depth, Rational* out) {
  deadline_.Check();
  if (depth > kMaxEvalDepth) return EvalStatus::kTooLarge;
  switch (e.op) {
    case Op::kInteger:
    case Op::kDecimal:
      return Rational::ParseDecimal(e.text, out) ? EvalStatus::kOk : EvalStatus::kTooLarge;
    case Op::kAdd:
    case Op::kMul: {
      std::vector<Rational> v;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      long bits = 0;
      for (const Rational& r : v) bits += r.Bits();
      if (bits > 4 * kMaxExactBits) return EvalStatus::kTooLarge;
      fmpq_set_si(out->get(), e.op == Op::kAdd ? 0 : 1, 1);
      for (const Rational& r : v) {
        if (e.op == Op::kAdd) {
          fmpq_add(out->get(), out->get(), r.get());
        } else {
          fmpq_mul(out->get(), out->get(), r.get());
        }
      }
      return EvalStatus::kOk;
    }
    case Op::kNeg: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk) fmpq_neg(out->get(), out->get());
      return s;
    }
    case Op::kDiv: {
      std::vector<Rational> v;
      if (e.args.size() != 2) return EvalStatus::kUnsupported;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      if (v[1].IsZero()) return EvalStatus::kUndefined;
      fmpq_div(out->get(), v[0].get(), v[1].get());
      return EvalStatus::kOk;
    }
    case Op::kPow: {
      std::vector<Rational> v;
      if (e.args.size() != 2) return EvalStatus::kUnsupported;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      return Pow(v[0], v[1], out);
    }
    case Op::kFactorial: {
      Rational n;
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      EvalStatus s = Eval(e.args[0], depth + 1, &n);
      if (s != EvalStatus::kOk) return s;
      unsigned long k = 0;
      s = SmallNatural(n, kMaxExactFactorial, &k);
      if (s != EvalStatus::kOk) return s;
      Integer f;
      fmpz_fac_ui(f.get(), k);
      fmpq_set_fmpz(out->get(), f.get());
      return EvalStatus::kOk;
    }
    case Op::kPercent: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk && rules_.percent_as_fraction) {
        Integer hundred;
        fmpz_set_ui(hundred.get(), 100);
        fmpq_div_fmpz(out->get(), out->get(), hundred.get());
      }
      return s;
    }
    case Op::kDegrees:
      if (rules_.degrees_as_radians || e.args.size() != 1) return EvalStatus::kUnsupported;
      return Eval(e.args[0], depth + 1, out);
    case Op::kFunction:
      return Function(e, depth, out);
    default:
      return EvalStatus::kUnsupported;
  }
}

}  // namespace

EvalStatus EvaluateExact(const Expr& expr, const ValueRules& rules, const Deadline& deadline,
                         Rational* out) {
  ExactEvaluator evaluator(rules, deadline);
  return evaluator.Eval(expr, 0, out);
}

void CollectSymbols(const Expr& expr, std::set<std::string>* names) {
  std::vector<const Expr*> stack = {&expr};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->op == Op::kSymbol) names->insert(e->text);
    for (const Expr& a : e->args) stack.push_back(&a);
  }
}

size_t TreeDepth(const Expr& expr) {
  std::vector<std::pair<const Expr*, size_t>> stack = {{&expr, 1}};
  size_t depth = 0;
  while (!stack.empty()) {
    const auto [e, d] = stack.back();
    stack.pop_back();
    if (d > depth) depth = d;
    for (const Expr& a : e->args) stack.push_back({&a, d + 1});
  }
  return depth;
}

namespace {

template <typename Match>
bool ContainsNode(const Expr& expr, Match match) {
  std::vector<const Expr*> stack = {&expr};
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (match(*e)) return true;
    for (const Expr& a : e->args) stack.push_back(&a);
  }
  return false;
}

}  // namespace

bool ContainsOp(const Expr& expr, Op op) {
  return ContainsNode(expr, [op](const Expr& e) { return e.op == op; });
}

bool ContainsFunction(const Expr& expr, std::string_view name) {
  return ContainsNode(expr, [name](const Expr& e) { return e.op == Op::kFunction && e.text == name; });
}

}  // namespace rmg::math
