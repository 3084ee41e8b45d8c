// Math answer verification: is the final answer of a response mathematically equal
// to the gold answer? rmg's counterpart of Hugging Face's Math-Verify (`parse` +
// `verify`), which RM-Gallery's math_verify reward wraps. Work per call is bounded:
// sizes are checked before computing and a cooperative deadline stops the rest, so a
// call returns within the timeout whatever the input. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg {

struct MathVerifyOptions {
  // Decimal digits to which a decimal number is rounded before it is compared with
  // an exact value (Math-Verify's float_rounding).
  int float_rounding = 6;
  // When true, symbol names must agree (f(x) is not f(y)) and words must match as
  // words (\text{13} is not 13); when false, Math-Verify's lenient readings apply.
  bool strict = true;
  // Whether a relation (x > 1) and a set or interval ((1, \infty)) may be compared
  // in either direction; by default only a gold relation accepts an interval.
  bool allow_set_relation_comp = false;
  // Wall-clock budget of one Verify call; past it the call stops and says so.
  double timeout_seconds = 5.0;
};

struct MathVerifyResult {
  bool equal = false;
  // The verdict could not be reached: the budget ran out (timed_out), or a value was
  // too large to compare within the size limits (too_large, e.g. 2^{2^{2^{100}}}).
  // The reward scores both as timeout_score.
  bool timed_out = false;
  bool too_large = false;
  // What was extracted from each side and parsed, rendered as text (empty when the
  // side yielded nothing).
  std::string gold_extracted;
  std::string prediction_extracted;
  // Why the verdict is what it is, for the reward's reason.
  std::string explanation;
};

// Extracts the final answer from `gold` and from `prediction` (whole responses or
// bare answers: both go through the same extraction and parser) and decides whether
// they are mathematically equal. The call also stops at `caller_deadline` (a sample's,
// say): when that comes before options.timeout_seconds, running out of time throws its
// DeadlineExceeded; that, or a cancelled caller_deadline, is the only throw.
MathVerifyResult VerifyMath(std::string_view gold, std::string_view prediction, const MathVerifyOptions& options = {},
                            const Deadline& caller_deadline = Deadline::Never());

}  // namespace rmg
