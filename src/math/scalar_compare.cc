#include "math/scalar_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "math/ball.h"
#include "math/evaluate.h"
#include "math/number.h"

namespace rmg::math {
namespace {

// 128 bits settles nearly everything; 512 is for cancellation-heavy expressions.
constexpr long kPrecisions[] = {128, 512};
// "Equal" needs the values known to 2^-kResolutionBits: at 512 bits that holds below
// 2^352. Larger values (10^1000000 against 10^1000000 + 1) are compared again with the
// bits they need, up to kMaxPrecisionBits (about 315,000 decimal digits, where one exp
// takes about a second and cannot be interrupted), and while bits times the two
// expressions' nodes stay within kMaxPrecisionWork; past that they are undecided,
// never equal.
constexpr long kResolutionBits = 160;
constexpr long kMaxPrecisionBits = 1L << 20;
constexpr double kMaxPrecisionWork = 1L << 25;
// Distinct points an identity must hold at (one suffices for constants).
constexpr int kPointsWithSymbols = 4;
// Points tried per precision, counting ones where a side is undefined.
constexpr int kMaxAttempts = 16;
// Without `strict`, symbol renamings are tried up to this many symbols (5! = 120).
constexpr size_t kMaxRenamedSymbols = 5;

// kUnsupported: a side holds what evaluation does not know (a sum up to a symbol, an
// integral), so only its structure can decide; kUnknown: undefined or too large.
// kInconclusive: the values agree as far as the highest precision can tell, but not
// closely enough to call them equal (a cancellation such as e^1000 - e^1000).
enum class Verdict { kEqual, kDifferent, kUnknown, kUnsupported, kInconclusive };

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The value of symbol `name` at attempt `attempt`: a 53-bit dyadic of magnitude in
// (0.5, 2.5), fixed for (name, attempt) so that every comparison sees the same points.
// Symbols are positive, as the variables of competition answers mostly are (n, k, a
// length), so sqrt(1/n) is 1/sqrt(n). With `signed_points` they are positive at
// attempt 0, negative at attempt 1, and of mixed signs by name after that.
void SymbolValue(const std::string& name, int attempt, bool signed_points, Ball* out) {
  uint64_t h = 0x5eed ^ static_cast<uint64_t>(attempt) * 0x100000001b3ULL;
  for (unsigned char c : name) h = SplitMix(h ^ c);
  const uint64_t bits = SplitMix(h);
  const double magnitude = 0.5 + 2.0 * static_cast<double>(bits >> 11) / static_cast<double>(1ULL << 53);
  const bool negative = signed_points && (attempt == 1 || (attempt >= 2 && (bits & 1) != 0));
  SetDouble(negative ? -magnitude : magnitude, out);
}

// An absolute value is written only where a sign can be negative: with one on either
// side, symbols take both signs, so |x| is not x (nor |x|/x 1).
bool NeedsSignedPoints(const Expr& a, const Expr& b) {
  return ContainsFunction(a, "abs") || ContainsFunction(b, "abs");
}

// Values for every symbol of one side; `rename` maps a name to the name whose value
// it takes (identity when absent).
Point MakePoint(const std::set<std::string>& names, int attempt, bool signed_points,
                const std::map<std::string, std::string>& rename) {
  Point point;
  for (const std::string& name : names) {
    const auto it = rename.find(name);
    SymbolValue(it == rename.end() ? name : it->second, attempt, signed_points, &point[name]);
  }
  return point;
}

// +1 for ∞, -1 for -∞, 0 for anything else.
int InfinitySign(const Expr& e) {
  if (e.op == Op::kInfinity) return 1;
  if (e.op == Op::kNeg && e.args.size() == 1 && e.args[0].op == Op::kInfinity) return -1;
  return 0;
}

// Decimal places to round to: float_rounding, or more for values below 1 so that
// float_rounding significant digits take part. Math-Verify rounds to float_rounding
// places only, which makes every pair of values below 10^-float_rounding equal
// (1e-8 and 1.24e-8 both round to 0); past 1 the two rules agree. `log10_magnitude`
// is log10 of the larger absolute value (-inf for zero).
int DigitsFor(int digits, double log10_magnitude) {
  if (!(log10_magnitude < 0) || !std::isfinite(log10_magnitude)) return digits;
  const int leading_zeros = static_cast<int>(-std::floor(log10_magnitude)) - 1;
  return std::min(digits + leading_zeros, 1000);
}

// log10|x| of a nonzero x: from its double when it has one, else from its binary
// exponent (below 1e-308 the double is 0, which would read as "no magnitude").
double Log10Abs(double as_double, long log2_bound) {
  if (as_double != 0 && std::isfinite(as_double)) return std::log10(std::fabs(as_double));
  return (static_cast<double>(log2_bound) - 0.5) * std::log10(2.0);
}

double Log10Abs(const Rational& q) {
  if (q.IsZero()) return -INFINITY;
  const long log2_bound = BitCount(q.numerator()) - BitCount(q.denominator());
  return Log10Abs(mpq_get_d(q.get()), log2_bound);
}

// The smallest b with |midpoint| < 2^b (the midpoint's parts compared separately);
// 0 for values below 1.
long Log2Bound(const Ball& b) { return std::max({0L, RealMidpointExponent(b), ImaginaryMidpointExponent(b)}); }

double Log10Abs(const Ball& b) {
  const double mid = RealMidpoint(b);
  if (mid == 0) return -INFINITY;
  return Log10Abs(mid, RealMidpointExponent(b));
}

// Whether the ball's real part straddles zero without being exactly zero: its
// magnitude, which picks the rounding place, is not known (sin(pi) at any precision).
bool StraddlesZero(const Ball& b) { return mpfi_has_zero(b.re()) && !mpfi_is_zero(b.re()); }

// log10 of one side's magnitude, which picks the rounding place: from its exact value
// when it has one (null otherwise); none, as for zero, when its ball straddles zero.
double RoundingMagnitude(const Ball& ball, const Rational* exact) {
  if (exact) return Log10Abs(*exact);
  if (StraddlesZero(ball)) return -INFINITY;
  return Log10Abs(ball);
}

// One side rounded to `place` decimals: exactly when it has an exact value, else from
// its ball (false when the ball does not round to one value).
bool RoundSide(const Ball& ball, const Rational* exact, int place, long prec, Rational* out) {
  if (!exact) return RoundBallToDigits(ball, place, prec, out);
  *out = exact->RoundedToDigits(place);
  return true;
}

Verdict ExactVerdict(const Expr& gold, const Expr& pred, const ValueRules& rules, bool round,
                     int digits, const Deadline& deadline) {
  Rational g, p;
  if (EvaluateExact(gold, rules, deadline, &g) != EvalStatus::kOk) return Verdict::kUnknown;
  if (EvaluateExact(pred, rules, deadline, &p) != EvalStatus::kOk) return Verdict::kUnknown;
  if (round) {
    digits = DigitsFor(digits, std::max(Log10Abs(g), Log10Abs(p)));
  }
  const bool equal = round ? g.RoundedToDigits(digits) == p.RoundedToDigits(digits) : g == p;
  return equal ? Verdict::kEqual : Verdict::kDifferent;
}

Verdict BallVerdict(const Expr& gold, const Expr& pred, const ValueRules& rules,
                    const std::map<std::string, std::string>& rename, bool round, int digits,
                    const Deadline& deadline, bool* too_large) {
  std::set<std::string> gold_names, pred_names;
  CollectSymbols(gold, &gold_names);
  CollectSymbols(pred, &pred_names);
  const bool constant = gold_names.empty() && pred_names.empty();
  const int needed = constant ? 1 : kPointsWithSymbols;
  const bool signed_points = NeedsSignedPoints(gold, pred);
  // A side with an exact value is rounded exactly: its ball may straddle a half-way
  // point it sits on (1.4142135 at six places) and never round.
  Rational gold_value, pred_value;
  const Rational* gold_exact =
      round && EvaluateExact(gold, rules, deadline, &gold_value) == EvalStatus::kOk ? &gold_value : nullptr;
  const Rational* pred_exact =
      round && EvaluateExact(pred, rules, deadline, &pred_value) == EvalStatus::kOk ? &pred_value : nullptr;
  std::vector<long> precisions(std::begin(kPrecisions), std::end(kPrecisions));
  for (size_t k = 0; k < precisions.size(); k++) {
    const long prec = precisions[k];
    int good = 0;
    bool inconclusive = false;
    long log2_bound = 0;  // of the largest value compared at this precision
    for (int attempt = 0; attempt < kMaxAttempts && good < needed; attempt++) {
      const Point gold_point = MakePoint(gold_names, attempt, signed_points, {});
      const Point pred_point = MakePoint(pred_names, attempt, signed_points, rename);
      Ball g, p;
      const EvalStatus sg = EvaluateBall(gold, gold_point, rules, prec, deadline, &g);
      const EvalStatus sp =
          sg == EvalStatus::kOk ? EvaluateBall(pred, pred_point, rules, prec, deadline, &p) : sg;
      if (sg == EvalStatus::kTooLarge || sp == EvalStatus::kTooLarge) {
        if (too_large) *too_large = true;
        return Verdict::kUnknown;
      }
      if (sg == EvalStatus::kUnsupported || sp == EvalStatus::kUnsupported) return Verdict::kUnsupported;
      if (sg != EvalStatus::kOk || sp != EvalStatus::kOk) {
        if (constant) break;  // every attempt is the same point
        continue;
      }
      // Huge values are compared as they are: rounding to decimals cannot matter.
      if (round && g.BelowPowerOfTwo(kMaxRoundedLog2) && p.BelowPowerOfTwo(kMaxRoundedLog2)) {
        // A ball that still straddles zero at the highest precision is a value below
        // what 512 bits resolve: it counts as zero, and the other side picks the place
        // (sin(pi) against 0.0). Below the highest precision it may yet come apart from
        // zero (sin(pi + 10^-50)).
        const bool last = k + 1 == precisions.size();
        if (!last && (StraddlesZero(g) || StraddlesZero(p))) {
          inconclusive = true;
          break;
        }
        const int place =
            DigitsFor(digits, std::max(RoundingMagnitude(g, gold_exact), RoundingMagnitude(p, pred_exact)));
        Rational rg, rp;
        if (RoundSide(g, gold_exact, place, prec, &rg) && RoundSide(p, pred_exact, place, prec, &rp)) {
          return rg == rp ? Verdict::kEqual : Verdict::kDifferent;
        }
        inconclusive = true;
        break;
      }
      const BallOrder order = CompareBalls(g, p, prec);
      if (order == BallOrder::kDifferent) return Verdict::kDifferent;
      if (order == BallOrder::kInconclusive) {
        inconclusive = true;
        break;
      }
      good++;
      log2_bound = std::max({log2_bound, Log2Bound(g), Log2Bound(p)});
    }
    // Equal to 2^-96 at 128 bits may still be a difference below it (2^100 + 1 against
    // 2^100): only the highest precision, where such balls come apart, says equal.
    if (good >= needed && k + 1 == precisions.size()) {
      if (log2_bound + kResolutionBits <= prec) return Verdict::kEqual;
      const long wanted = log2_bound + kResolutionBits + 64;
      const double work = static_cast<double>(wanted) * static_cast<double>(NodeCount(gold) + NodeCount(pred));
      if (wanted > kMaxPrecisionBits || work > kMaxPrecisionWork) return Verdict::kInconclusive;
      precisions.push_back(wanted);
      continue;
    }
    if (good >= needed) continue;
    if (!inconclusive) return Verdict::kUnknown;  // undefined too often: precision won't help
  }
  return Verdict::kInconclusive;
}

// The renamings worth trying: identity, then (without strict, when the two sides
// use different names of equal count) every one-to-one map of prediction names
// onto gold names.
std::vector<std::map<std::string, std::string>> Renamings(const Expr& gold, const Expr& pred,
                                                          bool strict) {
  std::vector<std::map<std::string, std::string>> result = {{}};
  if (strict) return result;
  std::set<std::string> gold_names, pred_names;
  CollectSymbols(gold, &gold_names);
  CollectSymbols(pred, &pred_names);
  if (gold_names == pred_names || gold_names.size() != pred_names.size() ||
      gold_names.size() > kMaxRenamedSymbols) {
    return result;
  }
  std::vector<std::string> targets(gold_names.begin(), gold_names.end());
  const std::vector<std::string> sources(pred_names.begin(), pred_names.end());
  do {
    std::map<std::string, std::string> rename;
    for (size_t i = 0; i < sources.size(); i++) rename[sources[i]] = targets[i];
    result.push_back(rename);
  } while (std::next_permutation(targets.begin(), targets.end()));
  return result;
}

}  // namespace

bool IsConstant(const Expr& expr) { return !ContainsOp(expr, Op::kSymbol); }

bool ScalarsEqual(const Expr& gold, const Expr& pred, const CompareOptions& options,
                  const Deadline& deadline, bool* too_large) {
  if (ContainsOp(gold, Op::kInfinity) || ContainsOp(pred, Op::kInfinity)) {
    const int sign = InfinitySign(gold);
    return (sign != 0 && sign == InfinitySign(pred)) || StructurallyEqual(gold, pred, deadline);
  }
  // Decimal rounding applies to constants only: 0.5x and x/2 are compared exactly.
  const bool round = (ContainsOp(gold, Op::kDecimal) || ContainsOp(pred, Op::kDecimal)) &&
                     IsConstant(gold) && IsConstant(pred);
  std::vector<ValueRules> readings = {ValueRules{}};
  if (ContainsOp(gold, Op::kPercent) || ContainsOp(pred, Op::kPercent) ||
      ContainsOp(gold, Op::kDegrees) || ContainsOp(pred, Op::kDegrees)) {
    readings.push_back(ValueRules{false, true});
  }
  // Past a thousand digits rounding is moot and 10^digits only costs memory.
  const int digits = std::clamp(options.float_rounding, -1000, 1000);
  bool shown_different = false, unsupported = false, inconclusive = false;
  for (const ValueRules& rules : readings) {
    const Verdict exact = ExactVerdict(gold, pred, rules, round, digits, deadline);
    if (exact == Verdict::kEqual) return true;
    if (exact == Verdict::kDifferent) {
      shown_different = true;
      continue;
    }
    for (const auto& rename : Renamings(gold, pred, options.strict)) {
      const Verdict verdict = BallVerdict(gold, pred, rules, rename, round, digits, deadline, too_large);
      if (verdict == Verdict::kEqual) return true;
      if (verdict == Verdict::kDifferent) shown_different = true;
      if (verdict == Verdict::kUnsupported) unsupported = true;
      if (verdict == Verdict::kInconclusive) inconclusive = true;
    }
  }
  // What cannot be evaluated, or not closely enough, is the same expression with its terms
  // and factors in another order. (Undefined values stay unequal, even to themselves.)
  if ((unsupported || inconclusive) && !shown_different && EqualUpToOrder(gold, pred, deadline)) return true;
  // Nothing showed the values different, and the precision ran out before they could be
  // called equal: undecided, not "not equal".
  if (inconclusive && !shown_different && too_large) *too_large = true;
  return false;
}

bool Proportional(const Expr& a, const Expr& b, bool positive_factor, const CompareOptions& options,
                  const Deadline& deadline) {
  (void)options;
  std::set<std::string> names;
  CollectSymbols(a, &names);
  CollectSymbols(b, &names);
  const int needed = names.empty() ? 1 : kPointsWithSymbols;
  const bool signed_points = NeedsSignedPoints(a, b);
  const ValueRules rules;
  for (const long prec : kPrecisions) {
    int good = 0;
    bool inconclusive = false;
    Ball factor;  // a / b at the first usable point
    for (int attempt = 0; attempt < kMaxAttempts && good < needed; attempt++) {
      const Point point = MakePoint(names, attempt, signed_points, {});
      Ball va, vb;
      const EvalStatus sa = EvaluateBall(a, point, rules, prec, deadline, &va);
      const EvalStatus sb = EvaluateBall(b, point, rules, prec, deadline, &vb);
      if (sa == EvalStatus::kTooLarge || sa == EvalStatus::kUnsupported) return false;
      if (sb == EvalStatus::kTooLarge || sb == EvalStatus::kUnsupported) return false;
      if (sa != EvalStatus::kOk || sb != EvalStatus::kOk) continue;
      if (vb.ContainsZero()) continue;  // a root of b: says nothing about k
      Ball ratio;
      Div(va, vb, prec, &ratio);
      if (!ratio.IsFinite()) continue;
      if (good == 0) {
        if (ratio.ContainsZero()) return false;
        if (positive_factor && !(mpfi_is_strictly_pos(ratio.re()) && mpfi_has_zero(ratio.im()))) {
          return false;
        }
        factor = ratio;
        good = 1;
        continue;
      }
      const BallOrder order = CompareBalls(factor, ratio, prec);
      if (order == BallOrder::kDifferent) return false;
      if (order == BallOrder::kInconclusive) {
        inconclusive = true;
        break;
      }
      good++;
    }
    if (good >= needed && prec == kPrecisions[std::size(kPrecisions) - 1]) return true;  // as in BallVerdict
    if (good >= needed) continue;
    if (!inconclusive) return false;
  }
  return false;
}

}  // namespace rmg::math
