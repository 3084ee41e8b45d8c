#include "math/evaluate.h"

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
  mpz_srcptr n = exponent.numerator();
  if (base.IsZero()) {
    if (mpz_sgn(n) < 0) return EvalStatus::kUndefined;
    *out = Rational(mpz_sgn(n) == 0 ? 1 : 0);  // 0^0 = 1, as sympy has it
    return EvalStatus::kOk;
  }
  if (base == Rational(1)) {
    *out = Rational(1);
    return EvalStatus::kOk;
  }
  if (base == Rational(-1)) {
    *out = Rational(mpz_even_p(n) ? 1 : -1);
    return EvalStatus::kOk;
  }
  if (!mpz_fits_slong_p(n)) return EvalStatus::kTooLarge;
  const long e = mpz_get_si(n);
  const long magnitude = e < 0 ? -e : e;
  if (magnitude > kMaxExactBits || base.Bits() * magnitude > 2 * kMaxExactBits) {
    return EvalStatus::kTooLarge;
  }
  // Powers of coprime integers stay coprime: the result is already canonical.
  Rational result;
  mpz_pow_ui(result.numerator(), base.numerator(), magnitude);
  mpz_pow_ui(result.denominator(), base.denominator(), magnitude);
  if (e < 0) mpq_inv(result.get(), result.get());
  *out = std::move(result);
  return EvalStatus::kOk;
}

// Reads a non-negative machine integer, or says why not.
EvalStatus SmallNatural(const Rational& value, unsigned long limit, unsigned long* out) {
  if (!value.IsInteger()) return EvalStatus::kUnsupported;
  if (value.Sign() < 0) return EvalStatus::kUndefined;
  mpz_srcptr n = value.numerator();
  if (!mpz_fits_ulong_p(n) || mpz_get_ui(n) > limit) return EvalStatus::kTooLarge;
  *out = mpz_get_ui(n);
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
    mpq_abs(out->get(), v[0].get());
  } else if (f == "floor" || f == "ceil") {
    Rational q;
    if (f == "floor") {
      mpz_fdiv_q(q.numerator(), v[0].numerator(), v[0].denominator());
    } else {
      mpz_cdiv_q(q.numerator(), v[0].numerator(), v[0].denominator());
    }
    *out = std::move(q);
  } else if (f == "re" || f == "conjugate") {
    *out = v[0];
  } else if (f == "im") {
    *out = Rational(0);
  } else if (f == "max" || f == "min") {
    *out = v[0];
    for (size_t i = 1; i < v.size(); i++) {
      const int c = mpq_cmp(v[i].get(), out->get());
      if ((f == "max" && c > 0) || (f == "min" && c < 0)) *out = v[i];
    }
  } else if (f == "gcd" || f == "lcm") {
    Rational acc;
    for (size_t i = 0; i < v.size(); i++) {
      if (!v[i].IsInteger()) return EvalStatus::kUnsupported;
      if (i == 0) {
        mpz_abs(acc.numerator(), v[0].numerator());
      } else if (f == "gcd") {
        mpz_gcd(acc.numerator(), acc.numerator(), v[i].numerator());
      } else {
        mpz_lcm(acc.numerator(), acc.numerator(), v[i].numerator());
        if (BitCount(acc.numerator()) > kMaxExactBits) return EvalStatus::kTooLarge;
      }
    }
    *out = std::move(acc);
  } else {  // binomial
    if (v.size() != 2) return EvalStatus::kUnsupported;
    unsigned long n = 0, k = 0;
    EvalStatus sn = SmallNatural(v[0], kMaxExactBinomialN, &n);
    if (sn != EvalStatus::kOk) return sn == EvalStatus::kUndefined ? EvalStatus::kUnsupported : sn;
    if (!v[1].IsInteger()) return EvalStatus::kUnsupported;
    if (v[1].Sign() < 0 || mpz_cmp_ui(v[1].numerator(), n) > 0) {
      *out = Rational(0);
      return EvalStatus::kOk;
    }
    k = mpz_get_ui(v[1].numerator());
    Rational b;
    mpz_bin_uiui(b.numerator(), n, k);
    *out = std::move(b);
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
      *out = Rational(e.op == Op::kAdd ? 0 : 1);
      for (const Rational& r : v) {
        if (e.op == Op::kAdd) {
          mpq_add(out->get(), out->get(), r.get());
        } else {
          mpq_mul(out->get(), out->get(), r.get());
        }
      }
      return EvalStatus::kOk;
    }
    case Op::kNeg: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk) mpq_neg(out->get(), out->get());
      return s;
    }
    case Op::kDiv: {
      std::vector<Rational> v;
      if (e.args.size() != 2) return EvalStatus::kUnsupported;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      if (v[1].IsZero()) return EvalStatus::kUndefined;
      mpq_div(out->get(), v[0].get(), v[1].get());
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
      Rational f;
      mpz_fac_ui(f.numerator(), k);
      *out = std::move(f);
      return EvalStatus::kOk;
    }
    case Op::kPercent: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk && rules_.percent_as_fraction) {
        mpq_div(out->get(), out->get(), Rational(100).get());
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
