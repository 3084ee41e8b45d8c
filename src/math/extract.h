// Answer extraction for the math verifier: from a whole model response (or a bare
// gold answer) to the few pieces of text that are worth parsing, best first.
//
// The order of the candidates is the contract: the verifier parses them in order and
// keeps the first that parses. The order, most trusted first:
//
//   1. kBoxed: the last \boxed{...} / \fbox{...} (nested braces; "\\boxed" and
//      "\boxed 5" too). Boxes just before it that only connectors separate from it
//      ("and", "or", ",", ";", "+", "\quad", "\text{and}", "$", "\(", "y_2 =" labels)
//      are joined with ", " into one candidate: "\boxed{1}\boxed{2}" -> "1, 2", but
//      "\boxed{1} no no \boxed{2}" -> "2". Then the last box alone, then its option
//      letter (kOption) when it is one ("\text{(C)}" -> "C"). A unit word right after
//      the box joins it ("$\boxed{28}$ pct" -> "28\%"). An unclosed box is ignored.
//   2. kWhole, for a bare answer only: nothing but math regions, boxes, numbers,
//      single letters and connectors ("5,15", "$(1,1)$, $(3,2)$", "\frac{10}{9}",
//      "7,425,000" -> "7425000"), or one word ("Even"). Its math regions joined with
//      ", ", kept whole ("$M=\frac{9}{32}$" stays); a bare multi-row derivation gives
//      its last value first.
//   3. kGsm8kMarker: the rest of the line after the last "####".
//   4. The marked answers, the one later in the text first:
//      kFinalAnswerPhrase: the last "answer" followed by ":", "is", "=" (also
//        "Answer \( 9 \)"): the math that starts its statement (a list of regions
//        joined), or the number, or the **bold**; after "Final Answer:" a prose
//        statement is read as in 7 ("The largest $n$ is 34." -> "34").
//      kBold: the last math region of the final sentences with a bold digit
//        (\mathbf, \textbf, \boldsymbol: competition solutions bold the answer):
//        "$K=\mathbf{1 2 5}$" -> "125".
//   5. kBold: the last markdown **...** near the end, unless it is a heading (an
//      "answer" label, a trailing ":", more than six words).
//   6. kOption: "(C)", "option C", "choice C" in the last sentence.
//   7. kLatexMath / kPlainNumber from the final statements: the last three sentences
//      that can hold an answer (not sign-offs, "(remarks)", "Note ...", image tags),
//      last first. In each: after the last copula ("is", "are", "equals", "=", ":",
//      "that", "so", "hence", "thus", ...) that something follows, the first math
//      chain or number; then the last chain of math regions; then the last number.
//      A chain is regions joined by connectors: a list ("$n=5$ or $n=15$" -> "5, 15",
//      "$(0,1)$, $(1,0)$ and $(1,1)$") or a restatement whose last region is the
//      answer ("$\frac{4}{10}$ or $\frac{2}{5}$", "$3x=58$ or $x=\frac{58}{3}$"). A
//      region gives its value after the last top-level "=", "\approx", "\in" or
//      "(x, y):" first, then all of it ("Hence $n = 4$." -> "4", "n = 4"). A region
//      that only names something ("$B$") yields to a number in the sentence.
//   8. The same for the first sentence (solutions that open with the result).
//   9. kLatexMath: the last math region of the response; kPlainNumber: its last number.
//
// Numbers in prose: thousands separators ("7,425,000", "1 000", "14{,}916") dropped, a
// decimal comma ("2,74") read as a point unless it is a list ("1,2,3", "(3,2,7)"),
// currency signs ignored ("$1,000.99" with no closing "$" is money, so is "$5 and $6"),
// "%", "percent", "pct" -> "\%", a minus sign kept, units after the number ignored
// ("10 cm"). A number glued behind a letter ("AZYUK2A", "x_12") is not a number.
//
// Candidates are deduplicated (the first keeps its place). Text inside a
// <think>...</think> block is ignored; the answer is what follows the last
// </think>. A response with an unclosed <think> has not answered yet: only a box
// inside it counts.
//
// Candidate text is cleaned lightly: delimiters ($, \(, \[, \boxed{}) removed,
// trimmed, trailing ".", ",", ";", ":", "\quad", "\\" and "\text{.}" removed,
// \mathbf/\textbf/\boldsymbol/\bm unwrapped with the spaces between bold digits
// closed ("1 0 9" -> "109"), "\$" and "\!" dropped, trailing units dropped
// ("\frac{41}{12} \mathrm{~km}", "15\mbox{ cm}^2"), "percent"/"pct" after a number
// written "\%", a plain number written plainly ("11,\! 111" -> "11111", "(385)" ->
// "385"). The rest is the parser's job.
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
