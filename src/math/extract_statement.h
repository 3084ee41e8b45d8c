// Reading statements for answer extraction: chains of math regions ("$n=5$ or
// $n=15$") and the final sentences of a solution ("...so the minimum is $\\frac12$.").
// Internal to extract.cc; shared types for its rules live here too.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "math/extract.h"
#include "math/extract_scan.h"
#include "text/unicode.h"

namespace rmg::math::extract_internal {

// Collects candidates in order, dropping empty and repeated texts.
class Collector {
 public:
  void Add(std::string text, AnswerSource source) {
    if (text.empty()) return;
    for (const AnswerCandidate& have : out_) {
      if (have.text == text) return;
    }
    out_.push_back({std::move(text), source});
  }
  std::vector<AnswerCandidate> Take() { return std::move(out_); }

 private:
  std::vector<AnswerCandidate> out_;
};

// Everything the rules look at, computed once per response.
struct Document {
  std::string_view text;
  std::vector<MathRegion> regions;  // sorted, disjoint
  std::vector<MathRegion> boxes;    // sorted, disjoint
  const Deadline* deadline;
};

inline std::string_view Slice(std::string_view text, Span span) { return text.substr(span.begin, span.end - span.begin); }

// True when the lower-case word `word` starts at `pos` of `lower` and is a whole word.
inline bool WordAt(std::string_view lower, size_t pos, std::string_view word) {
  // The cheap tests first: scans call this at every position for several words.
  if (pos >= lower.size() || lower[pos] != word[0]) return false;
  if (pos > 0 && IsAlpha(lower[pos - 1])) return false;
  if (!lower.substr(pos).starts_with(word)) return false;
  const size_t end = pos + word.size();
  return end >= lower.size() || !IsAlpha(lower[end]);
}

// The first region that starts at or after `pos`, as an index (regions.size() if none).
inline size_t FirstRegionFrom(const std::vector<MathRegion>& regions, size_t pos) {
  return std::lower_bound(regions.begin(), regions.end(), pos,
                          [](const MathRegion& m, size_t p) { return m.outer.begin < p; }) -
         regions.begin();
}

// True when text[span] only joins answers together: white space, punctuation, "and",
// "or", spacing commands, \\text{and}, math delimiters and "x_2 =" labels.
bool IsConnectorGap(std::string_view text, Span span);

// Adds the content of a math region: the value after its last "=" first when the
// region is a derivation or an assignment ("x = 5", "a+b = 12"), then all of it.
void AddMath(std::string_view inner, AnswerSource source, Collector* out);

// The index past the chain of regions that starts with regions[first]: the regions
// after it that only connectors separate, ending before `limit`.
size_t ChainEnd(const Document& doc, size_t first, size_t limit);

// Adds the chain of regions [first, end): a list joined with ", ", or a restatement's
// last region (see extract.h, rule 7).
void AddChain(const Document& doc, size_t first, size_t end, AnswerSource source, Collector* out);

// Adds the candidates of the statement text[span] (see extract.h, rule 7); numbers
// are reported as kPlainNumber when `source` is kLatexMath.
void AddStatement(const Document& doc, Span span, AnswerSource source, Collector* out);

}  // namespace rmg::math::extract_internal
