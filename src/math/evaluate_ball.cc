// Ball evaluation (EvaluateBall in evaluate.h): every value is a complex ball, so
// sqrt(-1), log(-2) and friends are ordinary principal values.
#include <cstdint>
#include <vector>

#include "math/ball.h"
#include "math/evaluate.h"

namespace rmg::math {
namespace {

// Arguments of exp, pow, gamma and the trigonometric functions must be below
// 2^kMaxArgLog2 in magnitude: exp(2^56) and Gamma(2^56) still fit MPFR's exponents
// (2^62 bits), and one more level (exp of that) would not, so the check stops the tower.
constexpr long kMaxArgLog2 = 56;
// binomial(n, k) with a whole k up to this is a product of k factors over k!.
constexpr unsigned long kMaxFallingSteps = 1 << 16;
// Gamma cannot be interrupted, and its cost outgrows the precision's square: MPFR's
// Gamma(0.5) takes 5 ms at 2,048 bits, 30 ms at 4,096, 3.5 s at 16,384 and minutes
// beyond, and the Stirling series of a complex Gamma needs a Bernoulli number per 2.5
// bits (a thread's first complex Gamma at 4,096 bits took 1.4 s to compute them). Past
// this precision (reached only by values beyond about 2^1800, which are compared to
// 2^-160) factorials and binomials are too large to compare.
constexpr long kMaxGammaPrecision = 2048;
// n! of a whole n up to this is computed exactly (1.5 million bits, milliseconds), at
// any precision.
constexpr unsigned long kMaxWholeFactorial = 100000;

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
  if (base.IsZero()) {
    if (exponent.IsZero()) {
      SetDouble(1, out);
      return EvalStatus::kOk;
    }
    if (mpfi_is_strictly_pos(exponent.re())) {
      SetDouble(0, out);
      return EvalStatus::kOk;
    }
    return EvalStatus::kUndefined;
  }
  // A base known only to lie near 0 (sin(pi)) has no bounded log; with a positive real
  // exponent the result is at most |base|^exponent, small when |base| <= 1.
  if (base.ContainsZero() && mpfi_is_strictly_pos(exponent.re()) && exponent.IsReal() && base.BelowPowerOfTwo(0)) {
    math::Pow(base, exponent, prec_, out);
    return Finish(*out);
  }
  // The size of the result is exp(exponent * log(base)): bound it before computing.
  Ball log_size;
  Log(base, prec_, &log_size);
  Mul(log_size, exponent, prec_, &log_size);
  if (!log_size.IsFinite()) return EvalStatus::kUndefined;
  if (!log_size.BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
  // A whole exponent multiplies (so that (-2)^3 stays exactly real), 1/2 is a square
  // root; any other is exp(exponent * log(base)), the size just computed.
  if (exponent.IsExactInteger() || IsExactHalf(exponent))
    math::Pow(base, exponent, prec_, out);
  else
    Exp(log_size, prec_, out);
  return Finish(*out);
}

EvalStatus BallEvaluator::Factorial(const Ball& n, Ball* out) {
  if (!n.BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
  // A whole n is n! exactly, whatever the precision: GMP takes milliseconds for 100000!.
  if (n.IsExactInteger() && mpfr_sgn(&n.re()->left) >= 0 && mpfr_cmp_ui(&n.re()->left, kMaxWholeFactorial) <= 0) {
    Rational factorial;
    mpz_fac_ui(factorial.numerator(), mpfr_get_ui(&n.re()->left, MPFR_RNDN));
    SetRational(factorial, prec_, out);
    return Finish(*out);
  }
  if (prec_ > kMaxGammaPrecision) return EvalStatus::kTooLarge;
  Ball shifted;
  AddInteger(n, 1, prec_, &shifted);
  Gamma(shifted, prec_, out);
  return Finish(*out);
}

EvalStatus BallEvaluator::Apply(const Expr& e, int depth, Ball* out) {
  // f(v1..vk) = c0 + sum_j c_j sin(a_j v_j + b_j) + d sin(sum_j e_j v_j): smooth,
  // defined everywhere, and unrelated for different names or arities.
  std::vector<Ball> v;
  const EvalStatus s = EvalArgs(e, depth, &v);
  if (s != EvalStatus::kOk) return s;
  const std::string key = e.text + "/" + std::to_string(v.size());
  SetDouble(Coefficient(key, 0), out);
  Ball mixed, term;
  for (size_t j = 0; j < v.size(); j++) {
    if (!v[j].BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
    Ball c;
    SetDouble(Coefficient(key, 4 * j + 1), &c);
    Mul(v[j], c, prec_, &term);
    SetDouble(Coefficient(key, 4 * j + 2), &c);
    Add(term, c, prec_, &term);
    Sin(term, prec_, &term);
    SetDouble(Coefficient(key, 4 * j + 3), &c);
    Mul(term, c, prec_, &term);
    Add(*out, term, prec_, out);
    SetDouble(Coefficient(key, 4 * j + 4), &c);
    Mul(v[j], c, prec_, &term);
    Add(mixed, term, prec_, &mixed);
  }
  Sin(mixed, prec_, &mixed);
  Add(*out, mixed, prec_, out);
  return Finish(*out);
}

// Sets *out to 1/x; a ball through zero is a pole.
EvalStatus InverseOf(const Ball& x, long prec, Ball* out) {
  Inverse(x, prec, out);
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
  const Ball& x = v[0];
  Ball* r = out;
  const long p = prec_;
  // Functions whose cost grows with their argument's size (a periodic function needs
  // the argument to as many bits as it is large). Logarithms and arc tangents take
  // any argument: ln 2^100 is 69.3.
  const bool cost_grows = f != "abs" && f != "re" && f != "im" && f != "conjugate" && f != "max" && f != "min" &&
                          f != "sqrt" && f != "root" && f != "ln" && f != "log" && f != "arctan" && f != "arccot";
  if (cost_grows && !x.BelowPowerOfTwo(kMaxArgLog2)) return EvalStatus::kTooLarge;
  Ball t;
  if (f == "sin")
    Sin(x, p, r);
  else if (f == "cos")
    Cos(x, p, r);
  else if (f == "tan")
    Tan(x, p, r);
  else if (f == "cot")
    Cot(x, p, r);
  else if (f == "sec") {
    Cos(x, p, &t);
    return InverseOf(t, p, out);
  } else if (f == "csc") {
    Sin(x, p, &t);
    return InverseOf(t, p, out);
  } else if (f == "arcsin")
    Asin(x, p, r);
  else if (f == "arccos")
    Acos(x, p, r);
  else if (f == "arctan")
    Atan(x, p, r);
  else if (f == "arccot" && x.IsZero()) {
    SetPi(p, r);  // sympy's acot(0); near 0 it jumps from -pi/2 to pi/2
    MulPowerOfTwo(*r, -1, r);
  } else if (f == "arccot" || f == "arcsec" || f == "arccsc") {
    const EvalStatus si = InverseOf(x, p, &t);
    if (si != EvalStatus::kOk) return si;
    if (f == "arccot")
      Atan(t, p, r);
    else if (f == "arcsec")
      Acos(t, p, r);
    else
      Asin(t, p, r);
  } else if (f == "sinh")
    Sinh(x, p, r);
  else if (f == "cosh")
    Cosh(x, p, r);
  else if (f == "tanh")
    Tanh(x, p, r);
  else if (f == "coth")
    Coth(x, p, r);
  else if (f == "sech")
    Sech(x, p, r);
  else if (f == "csch")
    Csch(x, p, r);
  else if (f == "arsinh")
    Asinh(x, p, r);
  else if (f == "arcosh")
    Acosh(x, p, r);
  else if (f == "artanh")
    Atanh(x, p, r);
  else if (f == "exp")
    Exp(x, p, r);
  else if (f == "ln" || (f == "log" && v.size() == 1))
    Log(x, p, r);
  else if (f == "log" && v.size() == 2) {
    Log(x, p, r);
    Log(v[1], p, &t);
    Div(*r, t, p, r);
  } else if (f == "sqrt")
    Sqrt(x, p, r);
  else if (f == "root" && v.size() == 2) {
    const Ball& degree = v[1];
    // Magnitude first: an exact 2^(2^40) would be a 2^40-bit integer.
    const bool small = degree.IsExactInteger() && degree.BelowPowerOfTwo(30) &&
                       mpfr_cmp_ui(&degree.re()->left, 0) > 0 && mpfr_cmp_ui(&degree.re()->left, 1 << 20) <= 0;
    const unsigned long k = small ? mpfr_get_ui(&degree.re()->left, MPFR_RNDN) : 0;
    if (!small) {
      const EvalStatus si = InverseOf(degree, p, &t);
      if (si != EvalStatus::kOk) return si;
      return Pow(x, t, out);
    }
    // An odd root of a negative real is the real root, as in school algebra. Of a
    // symbol's value that is a point sympy (principal roots: cbrt(x)^2 = x^(2/3))
    // would read otherwise, so it is no point to compare at.
    if (k % 2 == 1 && x.IsReal() && mpfi_is_strictly_neg(x.re())) {
      if (ContainsOp(e.args[0], Op::kSymbol)) return EvalStatus::kUndefined;
      Neg(x, &t);
      Root(t, k, p, r);
      Neg(*r, r);
    } else {
      Root(x, k, p, r);
    }
  } else if (f == "abs")
    Abs(x, p, r);
  else if (f == "re") {
    Ball real(p);
    mpfi_set(real.re(), x.re());
    r->Swap(real);
  } else if (f == "im") {
    Ball imaginary(p);
    mpfi_set(imaginary.re(), x.im());
    r->Swap(imaginary);
  } else if (f == "conjugate")
    Conjugate(x, r);
  else if (f == "floor")
    Floor(x, p, r);
  else if (f == "ceil")
    Ceil(x, p, r);
  else if (f == "max" || f == "min") {
    t = x;
    for (size_t i = 1; i < v.size(); i++) {
      if (f == "max")
        Max(t, v[i], p, &t);
      else
        Min(t, v[i], p, &t);
    }
    r->Swap(t);
  }
  else if (f == "binomial" && v.size() == 2) {
    // n! / (k! (n-k)!) through 1/Gamma, which is entire (no poles to trip on).
    const Ball& n = v[0];
    const Ball& k = v[1];
    if (!n.BelowPowerOfTwo(kMaxArgLog2) || !k.BelowPowerOfTwo(kMaxArgLog2) || p > kMaxGammaPrecision) {
      return EvalStatus::kTooLarge;
    }
    Ball a, b;
    if (k.IsExactInteger() && mpfr_sgn(&k.re()->left) >= 0 && mpfr_cmp_ui(&k.re()->left, kMaxFallingSteps) <= 0) {
      // A whole k: n (n-1) ... (n-k+1) / k!, defined for every n (Gamma(n+1) has poles
      // at the negative integers, where sympy's binomial(-1, 2) is 1).
      const unsigned long steps = mpfr_get_ui(&k.re()->left, MPFR_RNDN);
      AddInteger(n, 1 - static_cast<long>(steps), p, &a);
      Rising(a, steps, p, r);
      AddInteger(k, 1, p, &b);
      ReciprocalGamma(b, p, &b);
      Mul(*r, b, p, r);
      return Finish(*out);
    }
    AddInteger(n, 1, p, &a);
    Gamma(a, p, &t);
    AddInteger(k, 1, p, &a);
    ReciprocalGamma(a, p, &a);
    Sub(n, k, p, &b);
    AddInteger(b, 1, p, &b);
    ReciprocalGamma(b, p, &b);
    Mul(t, a, p, &t);
    Mul(t, b, p, r);
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
      SetRational(q, prec_, out);
      return EvalStatus::kOk;
    }
    case Op::kSymbol: {
      const auto it = point_.find(e.text);
      if (it == point_.end()) return EvalStatus::kUnsupported;
      *out = it->second;
      return EvalStatus::kOk;
    }
    case Op::kPi:
      SetPi(prec_, out);
      return EvalStatus::kOk;
    case Op::kE:
      SetE(prec_, out);
      return EvalStatus::kOk;
    case Op::kI:
      SetImaginaryUnit(out);
      return EvalStatus::kOk;
    case Op::kAdd:
    case Op::kMul: {
      std::vector<Ball> v;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      SetDouble(e.op == Op::kAdd ? 0 : 1, out);
      for (const Ball& b : v) {
        if (e.op == Op::kAdd)
          Add(*out, b, prec_, out);
        else
          Mul(*out, b, prec_, out);
      }
      return Finish(*out);
    }
    case Op::kNeg: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk) Neg(*out, out);
      return s;
    }
    case Op::kDiv: {
      std::vector<Ball> v;
      if (e.args.size() != 2) return EvalStatus::kUnsupported;
      const EvalStatus s = EvalArgs(e, depth, &v);
      if (s != EvalStatus::kOk) return s;
      Div(v[0], v[1], prec_, out);
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
        DivInteger(*out, 100, prec_, out);
      }
      return s;
    }
    case Op::kDegrees: {
      if (e.args.size() != 1) return EvalStatus::kUnsupported;
      const EvalStatus s = Eval(e.args[0], depth + 1, out);
      if (s == EvalStatus::kOk && (rules_.degrees_as_radians || in_trig_argument_)) {
        Ball pi;
        SetPi(prec_, &pi);
        Mul(*out, pi, prec_, out);
        DivInteger(*out, 180, prec_, out);
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
  PrepareThreadForMath();
  BallEvaluator evaluator(point, rules, prec, deadline);
  return evaluator.Eval(expr, 0, out);
}

}  // namespace rmg::math
