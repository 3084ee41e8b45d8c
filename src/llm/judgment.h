// Reading a judge's verdict: the parsed tags of its reply turned into a score or a
// rank, or into an error the caller can retry on. Errors are values, not
// exceptions, because a malformed reply is an ordinary outcome of asking a model.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rmg::llm {

// Tags of a reply, as ParseOutputTags() returns them.
using ReplyTags = std::map<std::string, std::string>;

// The verdict of one reply. When !ok, `error` says what was wrong ("reply has no
// <best> tag") and the rest is unset except `reason`.
struct Judgment {
  bool ok = false;
  std::string error;
  std::string reason;                   // ReasonText() of the reply
  double score = 0.0;                   // pointwise: in [0, 1]
  std::vector<double> rank;             // listwise and pairwise: one entry per answer
  std::vector<std::string> violations;  // pointwise violation lists: the distinct entries
};

// A verdict field's text without its decoration: surrounding whitespace and
// markdown or bracket characters (* _ ` " ' [ ] ( ) . : #) and a leading word
// "answer", "response" or "option" (any case). "**Answer 2**" -> "2",
// "[[A]]" -> "A", "Response B." -> "B".
std::string_view NormalizeVerdict(std::string_view text);

// Listwise: the 1-based answer number in tags[field] -> a one-hot rank of length
// `answer_count`. "2", " 2 ", "Answer 2" and "**2**" are read; 0, numbers above
// `answer_count` and anything else are errors. (RM-Gallery's best=0 silently picks
// the last answer, its bug 10.)
Judgment InterpretBest(const ReplyTags& tags, size_t answer_count, std::string_view field = "best");

// Pointwise: tags[field] is a list of violated rubrics -> score
// 1 - violations/rubrics, clamped to [0, 1] (RM-Gallery can go negative and divides
// by zero without rubrics, its bug 10; with no rubrics the score is 1 when nothing
// is violated). The list is read without evaluating it (RM-Gallery eval()s it, bug
// 9): a Python list literal of quoted strings and/or rubric numbers
// (["a", 'b'], [1, 3], []), a bare list (one item per line, else comma separated),
// or None / "none" / empty for no violations. Numbers are 1-based rubric indices
// (an index outside the rubrics is an error); entries are counted once each.
Judgment InterpretViolations(const ReplyTags& tags, const std::vector<std::string>& rubrics,
                             std::string_view field = "violation");

// Pairwise: tags[field] is A, B or tie (any case, "Answer A", "[[A]]" accepted) ->
// rank {1, 0}, {0, 1} or {0.5, 0.5}.
Judgment InterpretPreference(const ReplyTags& tags, std::string_view field = "preference");

// Pointwise on a scale: tags[field] is a number in [min, max] ("7", "7/10", "**7**")
// -> score (x - min) / (max - min). Requires min < max.
Judgment InterpretScale(const ReplyTags& tags, double min, double max, std::string_view field = "score");

}  // namespace rmg::llm
