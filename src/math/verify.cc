// VerifyMath: extraction -> parsing -> equivalence, under one deadline.
#include "rmg/math_verify.h"

#include <optional>

#include "math/compare.h"
#include "math/expr.h"
#include "math/extract.h"
#include "math/parser.h"
#include "rmg/deadline.h"

namespace rmg {
namespace {

struct ParsedAnswer {
  std::optional<math::Expr> expr;
  std::string shown;  // ToString of expr, or why nothing was found
};

// The candidates of a gold answer. Gold answers are usually bare, but several math
// regions ("$69$,$84$") or a math region with a unit ("$15$ cm") would lose parts
// to response-style extraction, which takes the last region: so the whole text, its
// $ signs removed, comes first — unless it boxes its answer, as a solution does.
std::vector<math::AnswerCandidate> GoldCandidates(std::string_view gold, const Deadline& deadline) {
  std::vector<math::AnswerCandidate> candidates;
  if (gold.find("\\boxed") == std::string_view::npos && gold.find("\\fbox") == std::string_view::npos) {
    std::string whole;
    for (char c : gold) {
      if (c != '$') whole.push_back(c);
    }
    candidates.push_back({std::move(whole), math::AnswerSource::kWhole});
  }
  for (math::AnswerCandidate& candidate : math::ExtractAnswers(gold, deadline)) candidates.push_back(std::move(candidate));
  return candidates;
}

// The first of `candidates` that parses, as Math-Verify takes the first match of its
// highest-priority extraction pattern that sympy accepts.
ParsedAnswer FirstParsedAnswer(const std::vector<math::AnswerCandidate>& candidates, const Deadline& deadline) {
  ParsedAnswer answer;
  std::string first_error;
  for (const math::AnswerCandidate& candidate : candidates) {
    std::string error;
    std::optional<math::Expr> expr = math::ParseMath(candidate.text, deadline, &error);
    if (expr) {
      answer.shown = math::ToString(*expr);
      answer.expr = std::move(expr);
      return answer;
    }
    if (first_error.empty()) first_error = "'" + candidate.text + "': " + error;
  }
  answer.shown = candidates.empty() ? "nothing extracted" : "nothing parsed (" + first_error + ")";
  return answer;
}

}  // namespace

MathVerifyResult VerifyMath(std::string_view gold, std::string_view prediction, const MathVerifyOptions& options) {
  MathVerifyResult result;
  const Deadline deadline = Deadline::After(options.timeout_seconds);
  try {
    const ParsedAnswer gold_answer = FirstParsedAnswer(GoldCandidates(gold, deadline), deadline);
    result.gold_extracted = gold_answer.expr ? gold_answer.shown : "";
    const ParsedAnswer predicted = FirstParsedAnswer(math::ExtractAnswers(prediction, deadline), deadline);
    result.prediction_extracted = predicted.expr ? predicted.shown : "";
    if (!gold_answer.expr) {
      result.explanation = "no gold answer: " + gold_answer.shown;
      return result;
    }
    if (!predicted.expr) {
      result.explanation = "no answer in the prediction: " + predicted.shown;
      return result;
    }
    const math::CompareOptions compare{options.float_rounding, options.strict, options.allow_set_relation_comp};
    switch (math::Compare(*gold_answer.expr, *predicted.expr, compare, deadline)) {
      case math::Equivalence::kEqual:
        result.equal = true;
        result.explanation = "equal";
        break;
      case math::Equivalence::kNotEqual:
        result.explanation = "not equal";
        break;
      case math::Equivalence::kTooLarge:
        result.too_large = true;
        result.explanation = "undecided: a value is too large to compare within the limits";
        break;
    }
  } catch (const DeadlineExceeded& e) {
    result.equal = false;
    result.timed_out = true;
    result.explanation = e.what();
  }
  return result;
}

}  // namespace rmg
