// Where a benchmark evaluator finds the score of a response: the reward rmg wrote
// (answer.reward.score), or a number stored elsewhere in the answer by a dotted
// path, for scores computed outside rmg (e.g. a reward model run in another
// process whose scores were written to label.score).
#pragma once

#include <string>
#include <string_view>

#include "rmg/schema.h"

namespace rmg::bench {

// The score of `answer`. An empty `path` means answer.reward.score. Otherwise
// `path` is dotted: its first part is "reward" (then "score"), "label",
// "additional_kwargs" or an unknown field of the answer, and the remaining parts
// are object keys or array indices, e.g. "label.score" or
// "additional_kwargs.my_rm.scores.0". Throws std::invalid_argument naming the
// path when there is no number there (an unscored output is an error, never 0).
double AnswerScore(const Step& answer, std::string_view path);

// The string at metadata[key] of `sample`, or "" when it is absent or not a string.
std::string MetadataString(const DataSample& sample, std::string_view key);

}  // namespace rmg::bench
