// Majority vote against the reward model's pick on multi-sample math data: each
// sample is one problem with k sampled outputs, each output carrying the reference
// answer in answer.label.reference (as math_verify_reward reads it) and a score
// (AnswerScore). An output is correct when VerifyMath finds its final answer equal
// to the reference. For the first k outputs of a sample:
//   maj@k    the majority answer is correct. Outputs are grouped by answer: an output
//            joins the first earlier group whose first output has the same extracted
//            answer text or a VerifyMath-equal one (first output as gold), else it
//            starts a group; outputs with no extractable answer vote for nothing.
//            The largest group wins, ties going to the group that appeared first,
//            and the group's first output decides correctness (VerifyMath equality
//            need not be transitive, so the group is judged by one member).
//   rm@k     the highest-scored output is correct (ties: the first).
//   oracle@k some output is correct (pass@k).
// Work is bounded: at most kMajorityMaxOutputs outputs of a sample are used (later
// ones are ignored and the sample counted as capped), so a sample costs at most k
// reference checks and k(k-1)/2 comparisons, each within the verifier's timeout.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/math_verify.h"
#include "rmg/schema.h"

namespace rmg::bench {

inline constexpr size_t kMajorityMaxOutputs = 64;

// Shares of samples (in [0, 1]) for one k.
struct MajorityAccuracy {
  size_t samples = 0;
  double maj = 0.0;
  double rm = 0.0;
  double oracle = 0.0;
};

// What one sample's outputs are, once checked.
struct MajorityVerdicts {
  std::vector<bool> correct;  // per output: equal to its reference
  std::vector<int> group;     // per output: index of its group's first output; -1 without an answer
  std::vector<double> score;  // per output
};

struct MajorityResult {
  // Every sample with all its outputs (up to the cap); k is the most outputs any used.
  MajorityAccuracy overall;
  size_t k = 0;
  // For k = 1..K: the samples with at least k outputs, each on its first k.
  std::map<size_t, MajorityAccuracy> per_k;
  size_t capped_samples = 0;        // samples with more than kMajorityMaxOutputs outputs
  std::vector<std::string> errors;  // one line per sample left out, naming it
};

// Checks the outputs of `sample` (at most kMajorityMaxOutputs). Throws
// std::invalid_argument naming the sample and output for a missing reference or
// score, or a sample without outputs.
MajorityVerdicts MajorityVerdictsOf(const DataSample& sample, std::string_view score_path,
                                    const MathVerifyOptions& options = {});

// The three verdicts for the first `k` outputs (k <= outputs).
struct MajorityPick {
  bool maj = false;
  bool rm = false;
  bool oracle = false;
};
MajorityPick MajorityPickAt(const MajorityVerdicts& verdicts, size_t k);

// maj@k, rm@k and oracle@k over `samples`; a sample that cannot be checked is
// listed in errors and left out of every figure.
MajorityResult EvaluateMajority(const std::vector<DataSample>& samples, std::string_view score_path,
                                const MathVerifyOptions& options = {});

// {"metrics": {"maj_at_k", "rm_at_k", "oracle_at_k", "k", "samples", "capped_samples",
//  "per_k": {"1": {"maj_at_k", "rm_at_k", "oracle_at_k", "samples"}, ...}}, "errors": [...]}
Json MajorityReport(const MajorityResult& result);

}  // namespace rmg::bench
