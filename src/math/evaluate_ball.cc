// Ball evaluation (EvaluateBall in evaluate.h): every value is a complex ball, so
// sqrt(-1), log(-2) and friends are ordinary principal values.
#include <acb_hypgeom.h>
#include <flint/fmpz.h>

#include <cstdint>
#include <vector>

#include "math/evaluate.h"

namespace rmg::math {
namespace {

// Arguments of exp, pow, gamma and the trigonometric functions must be below
// 2^kMaxArgLog2 in magnitude. Arb represents exp(2^64) cheaply, but one more level
// (exp of that) would need an exponent of 2^64 bits: the check stops the tower.
constexpr long kMaxArgLog2 = 64;
// binomial(n, k) with a whole k up to this is a product of k factors over k!.
constexpr unsigned long kMaxFallingSteps = 1 << 16;

// FNV-1a, for the constants of unknown functions: fixed across runs and platforms.
uint64_t Hash(const std::string& text, uint64_t salt) {
  uint64_t h = 1469598103934665603ULL ^ salt;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return h;
}

// A constant in [0.5, 1.5) drawn from (name, index).
double Coefficient(const std::string& name, uint64_t index) {
  return 0.5 + static_cast<double>(Hash(name, index) >> 11) / static_cast<double>(1ULL << 53);
}

class BallEvaluator {
 public:
  BallEvaluator(const Point& point, const ValueRules& rules, long prec, const Deadline& deadline)
      : point_(point), rules_(rules), prec_(prec), deadline_(deadline) {}

  EvalStatus Eval(const Expr& e, int depth, Ball* out);

 private:
  EvalStatus EvalArgs(const Expr& e, int depth, std::vector<Ball>* values);
  EvalStatus Pow(const Ball& base, const Ball& exponent, Ball* out);
  EvalStatus Factorial(const Ball& n, Ball* out);
  EvalStatus Function(const Expr& e, int depth, Ball* out);
  EvalStatus Apply(const Expr& e, int depth, Ball* out);
  // Finishes an operation: a non-finite ball means the value does not exist here.
  static EvalStatus Finish(const Ball& b) {
    return b.IsFinite() ? EvalStatus::kOk : EvalStatus::kUndefined;
  }

  const Point& point_;
  const ValueRules& rules_;
  const long prec_;
  const Deadline& deadline_;
  // Inside the argument of sin, cos, tan, cot, sec or csc, where a degree sign can
  // only mean an angle: sin 30° is sin(pi/6) in every reading, never sin(30).
  bool in_trig_argument_ = false;
};

EvalStatus BallEvaluator::EvalArgs(const Expr& e, int depth, std::vector<Ball>* values) {
  values->resize(e.args.size());
  for (size_t i = 0; i < e.args.size(); i++) {
    const EvalStatus s = Eval(e.args[i], depth + 1, &(*values)[i]);
    if (s != EvalStatus::kOk) return s;
  }
  return EvalStatus::kOk;
}

EvalStatus BallEvaluator::Pow(const Ball& base, const Ball& exponent, Ball* out) {
  if (acb_is_zero(base.get())) {
    if (acb_is_zero(exponent.get())) {
      acb_one(out->get());
      return EvalStatus::kOk;
    }
    if (arb_is_positive(acb_realref(exponent.get()))) {
      acb_zero(out->get());
      return EvalStatus::kOk;
    }
    return EvalStatus::kUndefined;
  }
  // A base known only to lie near 0 (sin(pi)) has no bounded log; with a positive real
  // exponent the result is at most |base|^exponent, small when |base| <= 1.
  if (acb_contains_zero(base.get()) && arb_is_positive(acb_realref(exponent.get())) &&
      arb_is_zero(acb_imagref(exponent.get())) && base.BelowPowerOfTwo(0)) {
    acb_pow(out->get(), base.get(), exponent.get(), prec_);
    return Finish(*out);
  }
  // The size of the result is exp(exponent * log(base)): bound it before computing.
  Ball log_size;
  acb_log(log_size.get(), base.get(), prec_);
  acb_mul(log_size.get(), log_size.get(), exponent.get(), prec_);
  if (!log_size.IsFinite()) return EvalStatus::kUndefined;
  if (!log_size.BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
  acb_pow(out->get(), base.get(), exponent.get(), prec_);
  return Finish(*out);
}

EvalStatus BallEvaluator::Factorial(const Ball& n, Ball* out) {
  if (!n.BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
  Ball shifted;
  acb_add_ui(shifted.get(), n.get(), 1, prec_);
  acb_gamma(out->get(), shifted.get(), prec_);
  return Finish(*out);
}

EvalStatus BallEvaluator::Apply(const Expr& e, int depth, Ball* out) {
  // f(v1..vk) = c0 + sum_j c_j sin(a_j v_j + b_j) + d sin(sum_j e_j v_j): smooth,
  // defined everywhere, and unrelated for different names or arities.
  std::vector<Ball> v;
  const EvalStatus s = EvalArgs(e, depth, &v);
  if (s != EvalStatus::kOk) return s;
  const std::string key = e.text + "/" + std::to_string(v.size());
  acb_set_d(out->get(), Coefficient(key, 0));
  Ball mixed, term;
  for (size_t j = 0; j < v.size(); j++) {
    if (!v[j].BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
    acb_set(term.get(), v[j].get());
    Ball c;
    acb_set_d(c.get(), Coefficient(key, 4 * j + 1));
    acb_mul(term.get(), term.get(), c.get(), prec_);
    acb_set_d(c.get(), Coefficient(key, 4 * j + 2));
    acb_add(term.get(), term.get(), c.get(), prec_);
    acb_sin(term.get(), term.get(), prec_);
    acb_set_d(c.get(), Coefficient(key, 4 * j + 3));
    acb_mul(term.get(), term.get(), c.get(), prec_);
    acb_add(out->get(), out->get(), term.get(), prec_);
    acb_set_d(c.get(), Coefficient(key, 4 * j + 4));
    acb_mul(term.get(), v[j].get(), c.get(), prec_);
    acb_add(mixed.get(), mixed.get(), term.get(), prec_);
  }
  acb_sin(mixed.get(), mixed.get(), prec_);
  acb_add(out->get(), out->get(), mixed.get(), prec_);
  return Finish(*out);
}

// Sets *out to 1/x; a ball through zero is a pole.
EvalStatus Inverse(const Ball& x, long prec, Ball* out) {
  acb_inv(out->get(), x.get(), prec);
  return out->IsFinite() ? EvalStatus::kOk : EvalStatus::kUndefined;
}

EvalStatus BallEvaluator::Function(const Expr& e, int depth, Ball* out) {
  const std::string& f = e.text;
  std::vector<Ball> v;
  if (e.args.empty()) return EvalStatus::kUnsupported;
  const bool trig = f == "sin" || f == "cos" || f == "tan" || f == "cot" || f == "sec" || f == "csc";
  const bool was_in_trig_argument = in_trig_argument_;
  in_trig_argument_ = was_in_trig_argument || trig;
  const EvalStatus s = EvalArgs(e, depth, &v);
  in_trig_argument_ = was_in_trig_argument;
  if (s != EvalStatus::kOk) return s;
  const acb_struct* x = v[0].get();
  acb_struct* r = out->get();
  const long p = prec_;
  // Functions whose cost grows with their argument's size (a periodic function needs
  // the argument to as many bits as it is large). Logarithms and arc tangents take
  // any argument: ln 2^100 is 69.3.
  const bool cost_grows = f != "abs" && f != "re" && f != "im" && f != "conjugate" && f != "max" && f != "min" &&
                          f != "sqrt" && f != "root" && f != "ln" && f != "log" && f != "arctan" && f != "arccot";
  if (cost_grows && !v[0].BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
  Ball t;
  if (f == "sin") acb_sin(r, x, p);
  else if (f == "cos") acb_cos(r, x, p);
  else if (f == "tan") acb_tan(r, x, p);
  else if (f == "cot") acb_cot(r, x, p);
  else if (f == "sec") { acb_cos(t.get(), x, p); return Inverse(t, p, out); }
  else if (f == "csc") { acb_sin(t.get(), x, p); return Inverse(t, p, out); }
  else if (f == "arcsin") acb_asin(r, x, p);
  else if (f == "arccos") acb_acos(r, x, p);
  else if (f == "arctan") acb_atan(r, x, p);
  else if (f == "arccot" && acb_is_zero(x)) {
    acb_const_pi(r, p);  // sympy's acot(0); near 0 it jumps from -pi/2 to pi/2
    acb_mul_2exp_si(r, r, -1);
  }
  else if (f == "arccot" || f == "arcsec" || f == "arccsc") {
    const EvalStatus si = Inverse(v[0], p, &t);
    if (si != EvalStatus::kOk) return si;
    if (f == "arccot") acb_atan(r, t.get(), p);
    else if (f == "arcsec") acb_acos(r, t.get(), p);
    else acb_asin(r, t.get(), p);
  }
  else if (f == "sinh") acb_sinh(r, x, p);
  else if (f == "cosh") acb_cosh(r, x, p);
  else if (f == "tanh") acb_tanh(r, x, p);
  else if (f == "coth") acb_coth(r, x, p);
  else if (f == "sech") acb_sech(r, x, p);
  else if (f == "csch") acb_csch(r, x, p);
  else if (f == "arsinh") acb_asinh(r, x, p);
  else if (f == "arcosh") acb_acosh(r, x, p);
  else if (f == "artanh") acb_atanh(r, x, p);
  else if (f == "exp") acb_exp(r, x, p);
  else if (f == "ln" || (f == "log" && v.size() == 1)) acb_log(r, x, p);
  else if (f == "log" && v.size() == 2) {
    acb_log(r, x, p);
    acb_log(t.get(), v[1].get(), p);
    acb_div(r, r, t.get(), p);
  }
  else if (f == "sqrt") acb_sqrt(r, x, p);
  else if (f == "root" && v.size() == 2) {
    Integer n;
    const arb_struct* degree = acb_realref(v[1].get());
    // Magnitude first: an exact 2^(2^40) would make a 2^40-bit integer.
    const bool small = acb_is_real(v[1].get()) && arb_is_exact(degree) &&
                       v[1].BelowPowerOfTwo(30) &&
                       arb_get_unique_fmpz(n.get(), degree) && fmpz_sgn(n.get()) > 0 &&
                       fmpz_cmp_ui(n.get(), 1 << 20) <= 0;
    const unsigned long k = small ? fmpz_get_ui(n.get()) : 0;
    if (!small) {
      const EvalStatus si = Inverse(v[1], p, &t);
      if (si != EvalStatus::kOk) return si;
      return Pow(v[0], t, out);
    }
    // An odd root of a negative real is the real root, as in school algebra. Of a
    // symbol's value that is a point sympy (principal roots: cbrt(x)^2 = x^(2/3))
    // would read otherwise, so it is no point to compare at.
    if (k % 2 == 1 && acb_is_real(x) && arb_is_negative(acb_realref(x))) {
      if (ContainsOp(e.args[0], Op::kSymbol)) return EvalStatus::kUndefined;
      acb_neg(t.get(), x);
      acb_root_ui(r, t.get(), k, p);
      acb_neg(r, r);
    } else {
      acb_root_ui(r, x, k, p);
    }
  }
  else if (f == "abs") { acb_abs(acb_realref(r), x, p); arb_zero(acb_imagref(r)); }
  else if (f == "re") { arb_set(acb_realref(r), acb_realref(x)); arb_zero(acb_imagref(r)); }
  else if (f == "im") { arb_set(acb_realref(r), acb_imagref(x)); arb_zero(acb_imagref(r)); }
  else if (f == "conjugate") acb_conj(r, x);
  else if (f == "floor") acb_real_floor(r, x, 0, p);
  else if (f == "ceil") acb_real_ceil(r, x, 0, p);
  else if (f == "max" || f == "min") {
    acb_set(r, x);
    for (size_t i = 1; i < v.size(); i++) {
      if (f == "max") acb_real_max(r, r, v[i].get(), 0, p);
      else acb_real_min(r, r, v[i].get(), 0, p);
    }
  }
  else if (f == "binomial" && v.size() == 2) {
    // n! / (k! (n-k)!) through 1/Gamma, which is entire (no poles to trip on).
    const Ball& n = v[0];
    const Ball& k = v[1];
    if (!n.BelowPowerOfTwo(kMaxArgLog2) || !k.BelowPowerOfTwo(kMaxArgLog2)) {
      return EvalStatus::kTooLarge;
    }
    Ball a, b;
    Integer k_value;
    if (acb_is_int(k.get()) && arb_get_unique_fmpz(k_value.get(), acb_realref(k.get())) &&
        fmpz_sgn(k_value.get()) >= 0 && fmpz_cmp_ui(k_value.get(), kMaxFallingSteps) <= 0) {
      // A whole k: n (n-1) ... (n-k+1) / k!, defined for every n (Gamma(n+1) has poles
      // at the negative integers, where sympy's binomial(-1, 2) is 1).
      const ulong steps = fmpz_get_ui(k_value.get());
      acb_sub_ui(a.get(), n.get(), steps, p);
      acb_add_ui(a.get(), a.get(), 1, p);
      acb_rising_ui(r, a.get(), steps, p);
      acb_add_ui(b.get(), k.get(), 1, p);
      acb_rgamma(b.get(), b.get(), p);
      acb_mul(r, r, b.get(), p);
      return Finish(*out);
    }
    acb_add_ui(a.get(), n.get(), 1, p);
    acb_gamma(r, a.get(), p);
    acb_add_ui(a.get(), k.get(), 1, p);
    acb_rgamma(a.get(), a.get(), p);
    acb_sub(b.get(), n.get(), k.get(), p);
    acb_add_ui(b.get(), b.get(), 1, p);
    acb_rgamma(b.get(), b.get(), p);
    acb_mul(r, r, a.get(), p);
    acb_mul(r, r, b.get(), p);
  }
  else return EvalStatus::kUnsupported;  // gcd, lcm and unknown names: exact path only
  return Finish(*out);
}

EvalStatus BallEvaluator::Eval(const Expr& e, int depth, Ball* out) {
  deadline_.Check();
  if (depth > kMaxEvalDepth) return EvalStatus::kTooLarge;
  switch (e.op) {
    case Op::kInteger:
    case Op::kDecimal: {
      Rational q;
      if (!Rational::ParseDecimal(e.text, &q)) return EvalStatus::kTooLarge;
      acb_set_fmpq(out->get(), q.get(), prec_);
      return EvalStatus::kOk;
    }
    case Op::kSymbol: {
      const auto it = point_.find(e.text);
      if (it == point_.end()) return EvalStatus::kUnsupported;
      acb_set(out->get(), it->second.get());
      return EvalStatus::kOk;
    }
    case Op::kPi:
      acb_const_pi(out->get(), prec_);
      return EvalStatus::kOk;
    case Op::kE:
      acb_zero(out->get());
      arb_const_e(acb_realref(out->get()), prec_);
      return EvalStatus::kOk;
    case Op::kI:
      acb_onei(out->get());
      return EvalStatus::kOk;
    case Op::kAdd:
    case Op::kMul: {
      std::vector<Ball> v;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      if (e.op == Op::kAdd) acb_zero(out->get()); else acb_one(out->get());
      for (const Ball& b : v) {
        if (e.op == Op::kAdd) acb_add(out->get(), out->get(), b.get(), prec_);
        else acb_mul(out->get(), out->get(), b.get(), prec_);
      }
      return Finish(*out);
    }
    case Op::kNeg: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk) acb_neg(out->get(), out->get());
      return s;
    }
    case Op::kDiv: {
      std::vector<Ball> v;
      if (e.args.size() != 2) return EvalStatus::kUnsupported;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      acb_div(out->get(), v[0].get(), v[1].get(), prec_);
      return Finish(*out);
    }
    case Op::kPow: {
      std::vector<Ball> v;
      if (e.args.size() != 2) return EvalStatus::kUnsupported;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      return Pow(v[0], v[1], out);
    }
    case Op::kFactorial: {
      Ball n;
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, &n);
      if (s != EvalStatus::kOk) return s;
      return Factorial(n, out);
    }
    case Op::kPercent: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk && rules_.percent_as_fraction) {
        acb_div_ui(out->get(), out->get(), 100, prec_);
      }
      return s;
    }
    case Op::kDegrees: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk && (rules_.degrees_as_radians || in_trig_argument_)) {
        Ball pi;
        acb_const_pi(pi.get(), prec_);
        acb_mul(out->get(), out->get(), pi.get(), prec_);
        acb_div_ui(out->get(), out->get(), 180, prec_);
      }
      return s;
    }
    case Op::kFunction:
      return Function(e, depth, out);
    case Op::kApply:
      return Apply(e, depth, out);
    default:
      return EvalStatus::kUnsupported;
  }
}

}  // namespace

EvalStatus EvaluateBall(const Expr& expr, const Point& point, const ValueRules& rules, long prec,
                        const Deadline& deadline, Ball* out) {
  BallEvaluator evaluator(point, rules, prec, deadline);
  return evaluator.Eval(expr, 0, out);
}

}  // namespace rmg::math
