// Answer extraction for the math verifier: from a whole model response (or a bare
// gold answer) to the few pieces of text that are worth parsing, best first.
//
// The order of the candidates is the contract: the verifier parses them in order and
// keeps the first that parses. The order, most trusted first:
//
//   1. kBoxed: the last \boxed{...} / \fbox{...} (nested braces). Boxes just before it
//      that are separated from it only by connectors ("and", "or", ",", ";", "\quad",
//      "\text{and}", "$", "x_2 =" labels) are joined with ", " into one candidate:
//      "\boxed{1}\boxed{2}" -> "1, 2"; "\boxed{1} no no \boxed{2}" -> "2".
//   2. kGsm8kMarker: the rest of the line after the last "#### ".
//   3. kFinalAnswerPhrase: the statement after the last "final answer", "the answer
//      is", "answer:", "Answer" phrase: a math region that starts it, else the last
//      math region or the last number of that sentence.
//   4. kBold: the last markdown **...** in the last lines, and the last \mathbf{} /
//      \textbf{} marked math region of the final paragraphs (competition solutions
//      bold the answer: "$K=\mathbf{1 2 5}$" -> "125").
//   5. kOption: "(C)", "option C", "\text{(C)}" when the final statement names one.
//   6. kLatexMath: the math of the final statement ("...so the minimum is $...$.",
//      "Hence $n = 4$."): the math regions after its last "is/are/equals/=" joined,
//      the last region, its value after the last top-level "=", and the last region
//      of the response.
//   7. kPlainNumber: the last number of the final statement, then of the response:
//      thousands separators ("7,425,000", "1 000") dropped, decimal comma ("2,74")
//      read as a point, currency dropped, "%", "percent", "pct" -> "\%". A number
//      glued behind a letter ("AZYUK2A") is not a number.
//   8. kWhole: the whole text, for short bare answers ("5,15", "E", "\frac{10}{9}").
//      A bare answer (nothing but math regions, boxes, numbers and connectors) puts
//      this first instead.
//
// Candidates are deduplicated (the first keeps its place). Text inside a
// <think>...</think> block is ignored; the answer is what follows the last
// </think>. A response with an unclosed <think> has not answered yet: only a box
// inside it counts.
//
// Candidate text is cleaned lightly: delimiters ($, \(, \[, \boxed{}) removed,
// trimmed, a trailing "." or "," removed, \mathbf/\textbf/\bf unwrapped with the
// spaces between bold digits closed ("1 0 9" -> "109"), a leading "\$" dropped,
// "percent"/"pct" after a number written "\%". The rest is the parser's job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::math {

// Where a candidate came from, for reasons and for tests.
enum class AnswerSource {
  kBoxed,
  kFinalAnswerPhrase,
  kGsm8kMarker,
  kBold,
  kLatexMath,
  kOption,
  kPlainNumber,
  kWhole,
};

struct AnswerCandidate {
  std::string text;  // what the parser gets: LaTeX/plain math without the delimiters
                     // ($, \(, \[, \boxed{})
  AnswerSource source;
};

// The candidate final answers of `response`, best first (see the order above). A
// bare answer ("7425000", "$\frac{1}{2}$", "\boxed{3}") yields itself first. Empty
// when nothing looks like an answer. Throws only DeadlineExceeded; linear time in the
// response length.
std::vector<AnswerCandidate> ExtractAnswers(std::string_view response, const Deadline& deadline);

// The name of `source` ("boxed", "final_answer_phrase", ...), for reasons and tests.
const char* AnswerSourceName(AnswerSource source);

}  // namespace rmg::math
