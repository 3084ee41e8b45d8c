// Where a benchmark evaluator finds the score of a response: the reward rmg wrote
// (answer.reward.score), or a number stored elsewhere in the answer by a dotted
// path, for scores computed outside rmg (e.g. a reward model run in another
// process whose scores were written to label.score).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

// How many of a group's prompts an evaluator found right.
struct Tally {
  size_t prompts = 0;
  size_t correct = 0;
  void Add(bool right) {
    ++prompts;
    if (right) ++correct;
  }
  // correct / prompts, 0 when there are no prompts.
  double accuracy() const { return prompts == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(prompts); }
};

// The group (subset, domain, ...) of a converted benchmark sample: metadata[key]
// when it is a non-empty string, else the middle part of a unique_id of the form
// "<benchmark>/<group>/<id>" (as the converters in converters.h write it), else "".
std::string SampleGroup(const DataSample& sample, std::string_view key);

// Throws std::invalid_argument "<benchmark> sample '<unique_id>': <why>", the
// evaluators' error for a sample that does not fit the benchmark's layout.
[[noreturn]] void ThrowBadSample(std::string_view benchmark, const DataSample& sample, std::string_view why);

// The scores of a sample's outputs, split by answer.label.preference, each list in
// output order.
struct PreferenceScores {
  std::vector<double> chosen;
  std::vector<double> rejected;
};

// The scores (AnswerScore(answer, score_path)) of every output of `sample` by its
// answer.label.preference, which must be "chosen" or "rejected". Throws as
// ThrowBadSample(benchmark, ...) naming the output and field otherwise, or when an
// output has no score.
PreferenceScores PreferenceScoresOf(const DataSample& sample, std::string_view score_path, std::string_view benchmark);

}  // namespace rmg::bench
