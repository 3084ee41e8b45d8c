// The linear scans that answer extraction is built from: math regions, boxes,
// numbers, sentences and the light cleaning of candidate text. Internal to
// extract.cc; separate so that each file reads in one sitting.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::math::extract_internal {

// A span of text: [begin, end) into the scanned text.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// A math region: `outer` includes the delimiters ($...$, $$...$$, \(...\), \[...\],
// \begin{equation}...\end{equation}), `inner` is what the parser should see.
struct MathRegion {
  Span outer;
  Span inner;
};

// The math regions of `text` in order, never overlapping. A "$" that is escaped,
// that has no partner before a blank line, or that opens what reads as currency
// ("$5 and $6") is not a delimiter.
std::vector<MathRegion> FindMathRegions(std::string_view text, const Deadline& deadline);

// A \boxed{...} or \fbox{...}: `outer` from the backslash to past the closing brace,
// `inner` the braces' content. Boxes inside a box are not reported separately.
std::vector<MathRegion> FindBoxes(std::string_view text, const Deadline& deadline);

// The position just past the brace matching the '{' at `open`, or npos when it is
// unclosed. Escaped braces (\{ \}) do not count. Iterative: any depth is safe.
size_t MatchBrace(std::string_view text, size_t open);

// A number written in prose: `span` in the text, `value` the plain decimal
// ("-1000.99", ".5"), with "\%" appended for percentages.
struct NumberMatch {
  Span span;
  std::string value;
};

// The numbers of text[range] in order (see extract.h for what counts as one).
std::vector<NumberMatch> FindNumbers(std::string_view text, Span range, const Deadline& deadline);

// If `text` (trimmed) is exactly one number in thousands-separated or plain form
// ("7,425,000", "14{,}916", "1 000", "2.5"), its plain value; else empty.
std::string AsPlainNumber(std::string_view text);

// The sentences of text[range] in order; math regions (sorted, from
// FindMathRegions) are never split. A sentence ends at ". ", "! ", "? " or a blank
// line that is not followed by a display math region.
std::vector<Span> SplitSentences(std::string_view text, Span range, const std::vector<MathRegion>& regions,
                                 const Deadline& deadline);

// The light clean-up every candidate gets (see extract.h).
std::string CleanCandidate(std::string_view text);

// The part of a math region's content after its last top-level "=" or "\approx"
// (cleaned), or empty when there is none.
std::string ValueAfterLastEquals(std::string_view math);

// True for ASCII letters.
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// `text` without leading and trailing white space.
std::string_view Trim(std::string_view text);

}  // namespace rmg::math::extract_internal
