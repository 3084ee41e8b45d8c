// VerifyMath: extraction -> parsing -> equivalence, under one deadline.
#include "rmg/math_verify.h"

#include <optional>

#include "math/compare.h"
#include "math/expr.h"
#include "math/extract.h"
#include "math/number.h"
#include "math/parser.h"
#include "rmg/deadline.h"
#include "text/unicode.h"

namespace rmg {
namespace {

struct ParsedAnswer {
  std::optional<math::Expr> expr;
  std::string shown;        // ToString of expr, or why nothing was found
  bool over_limit = false;  // no expr because the best candidate exceeds the parser's limits
};

// True when `text` has no LaTeX command and one number: one run of digits, with the
// '.' or ',' between digits that decimals and thousands separators put there.
bool IsOneNumberInProse(std::string_view text) {
  if (text.find('\\') != std::string_view::npos) return false;
  const auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  int numbers = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!digit(i)) continue;
    ++numbers;
    while (digit(i + 1) || (i + 2 < text.size() && (text[i + 1] == '.' || text[i + 1] == ',') && digit(i + 2))) ++i;
  }
  return numbers == 1;
}

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
  // The last number of a gold the parser cannot read is its answer only when it is
  // the one number of plain prose ("12 apples"). In LaTeX or among other numbers it
  // is a guess: "1 + 2 + \cdots + 9" accepted 9, and "5 \mod 3" accepted 3.
  const bool last_number_is_the_answer = IsOneNumberInProse(gold);
  for (math::AnswerCandidate& candidate : math::ExtractAnswers(gold, deadline)) {
    if (candidate.source == math::AnswerSource::kPlainNumber && !last_number_is_the_answer) continue;
    candidates.push_back(std::move(candidate));
  }
  return candidates;
}

// The first of `candidates` that parses, as Math-Verify takes the first match of its
// highest-priority extraction pattern that sympy accepts. Unlike Math-Verify, a
// candidate too large to parse (a \sqrt nested 100 times, a 20,000-entry matrix) ends
// the search, but for other readings from the same place (the last box alone after
// the boxes joined): a later pattern would read a fragment of it, such as its last
// number, as the answer. In a gold answer, kWhole is only a guess that the whole text
// is one answer (`whole_is_a_guess`), so extraction goes on after it, to a box or an
// answer phrase but not to its last number; a response's kWhole is the whole of a bare
// answer, and too large is its verdict.
ParsedAnswer FirstParsedAnswer(const std::vector<math::AnswerCandidate>& candidates, bool whole_is_a_guess,
                               const Deadline& deadline) {
  ParsedAnswer answer;
  std::string failure;  // the first candidate's, or the one that ended the search
  std::optional<math::AnswerSource> over_limit_source;
  bool whole_over_limit = false;  // the guess that the whole text is the answer was too large
  bool box_unreadable = false;    // a boxed answer did not parse
  for (const math::AnswerCandidate& candidate : candidates) {
    if (over_limit_source && candidate.source != *over_limit_source) break;
    // The last number of a text too large to parse is a fragment of it, not its answer;
    // nor is the last number after a box that does not parse: in "\boxed{2 \lor 3}" it
    // is the second of two hedged guesses.
    if ((whole_over_limit || box_unreadable) && candidate.source == math::AnswerSource::kPlainNumber) break;
    math::ParseError error;
    std::optional<math::Expr> expr = math::ParseMath(candidate.text, deadline, &error);
    if (expr) {
      answer.shown = math::ToString(*expr);
      answer.expr = std::move(expr);
      return answer;
    }
    std::string why = "'" + text::Excerpt(candidate.text) + "': " + error.reason;
    const bool guess = whole_is_a_guess && candidate.source == math::AnswerSource::kWhole;
    if (error.over_limit && !guess && !over_limit_source) {
      over_limit_source = candidate.source;
      failure = std::move(why);
    } else if (failure.empty()) {
      failure = std::move(why);
    }
    whole_over_limit |= guess && error.over_limit;
    box_unreadable |= candidate.source == math::AnswerSource::kBoxed;
  }
  answer.over_limit = over_limit_source.has_value() || whole_over_limit;
  if (candidates.empty()) {
    answer.shown = "nothing extracted";
  } else {
    answer.shown = answer.over_limit ? "(" + failure + ")" : "nothing parsed (" + failure + ")";
  }
  return answer;
}

}  // namespace

MathVerifyResult VerifyMath(std::string_view gold, std::string_view prediction, const MathVerifyOptions& options,
                            const Deadline& caller_deadline) {
  math::PrepareThreadForMath();
  MathVerifyResult result;
  const Deadline own = Deadline::After(options.timeout_seconds);
  const bool caller_first = caller_deadline.when() < own.when();
  const Deadline deadline = (caller_first ? caller_deadline : own).CancelledBy(caller_deadline.cancel_flag());
  try {
    const ParsedAnswer gold_answer = FirstParsedAnswer(GoldCandidates(gold, deadline), /*whole_is_a_guess=*/true, deadline);
    result.gold_extracted = gold_answer.expr ? gold_answer.shown : "";
    const ParsedAnswer predicted = FirstParsedAnswer(math::ExtractAnswers(prediction, deadline), /*whole_is_a_guess=*/false, deadline);
    result.prediction_extracted = predicted.expr ? predicted.shown : "";
    if (!gold_answer.expr) {
      result.explanation =
          (gold_answer.over_limit ? "no gold answer: it exceeds the parser's limits " : "no gold answer: ") +
          gold_answer.shown;
      return result;
    }
    if (!predicted.expr) {
      result.too_large = predicted.over_limit;
      result.explanation =
          (predicted.over_limit ? "undecided: the prediction's answer exceeds the parser's limits "
                                : "no answer in the prediction: ") +
          predicted.shown;
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
    // The caller's time ran out, not Math-Verify's budget: the caller says why.
    if (caller_first || caller_deadline.Cancelled()) throw;
    result.equal = false;
    result.timed_out = true;
    result.explanation = e.what();
  }
  return result;
}

}  // namespace rmg
