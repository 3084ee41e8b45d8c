// Preference conflicts: does a reward model rank a sample's outputs consistently?
// For a sample with n >= 2 outputs every unordered pair is compared once; the
// higher score wins (equal scores are a tie), giving a directed preference graph
// (an edge from winner to loser, none for a tie). A cycle — A beats B beats C
// beats A — cannot come from any ranking, so it is a conflict. The cycles are
// found as the strongly connected components (Tarjan's algorithm) with more than
// one output; each such component counts as one cycle.
//   conflict_rate   samples with at least one cycle / samples compared
//   cycles          strongly connected components of size > 1, over all samples
//   comparisons     pairs compared;  ties: pairs with equal scores;  failed:
//                   pairs the reward could not compare
//   dominance_rate  samples with a Condorcet winner (an output that beats every
//                   other output) / samples compared
// Samples with fewer than two outputs are not compared; they are counted as "skipped".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rmg/reward.h"
#include "rmg/schema.h"

namespace rmg::bench {

// kFailed: the reward could not compare the pair (a unit failed or timed out);
// such a pair adds no edge and is counted apart from the comparisons.
enum class PairOutcome { kFirstWins, kSecondWins, kTie, kFailed };

// The verdict on outputs `first` < `second` of one sample.
struct PairComparison {
  size_t first = 0;
  size_t second = 0;
  PairOutcome outcome = PairOutcome::kTie;
};

// One sample's round robin: n outputs and the verdicts on its pairs.
struct Tournament {
  std::string unique_id;
  size_t outputs = 0;
  std::vector<PairComparison> verdicts;
};

struct SampleConflicts {
  std::string unique_id;
  size_t outputs = 0;
  size_t comparisons = 0;
  size_t ties = 0;
  size_t failed = 0;
  // The components of size > 1, each sorted ascending, ordered by their smallest output.
  std::vector<std::vector<size_t>> cycles;
  std::optional<size_t> condorcet_winner;
};

struct ConflictResult {
  size_t samples = 0;  // samples compared (n >= 2)
  size_t skipped = 0;  // samples with fewer than two outputs
  size_t samples_with_cycles = 0;
  size_t cycles = 0;
  size_t comparisons = 0;
  size_t ties = 0;
  size_t failed = 0;
  size_t dominated = 0;  // samples with a Condorcet winner
  double conflict_rate = 0.0;
  double dominance_rate = 0.0;
  std::vector<SampleConflicts> per_sample;  // compared samples, in input order
};

// The strongly connected components of the graph on `nodes` nodes with `edges`
// (from, to), by Tarjan's algorithm run iteratively (no recursion, so any size
// is safe). Components come out in Tarjan's order (reverse topological), each
// listing its nodes ascending.
std::vector<std::vector<size_t>> StronglyConnectedComponents(size_t nodes,
                                                             const std::vector<std::pair<size_t, size_t>>& edges);

// One tournament's conflicts. Throws std::invalid_argument naming the sample when
// a verdict names an output >= outputs, an output with itself, or a pair twice.
SampleConflicts AnalyzeTournament(const Tournament& tournament);

// The metrics over tournaments (those with outputs < 2 count as skipped).
ConflictResult EvaluateConflicts(const std::vector<Tournament>& tournaments);

// The round robin of `sample` under `reward`: for each pair i < j, a copy of the
// sample holding only outputs i and j (their rewards cleared) is scored with
// reward.Apply and the scores of the two answers decide. A pair whose evaluation
// reports a failed unit is kFailed, since its error score is no verdict.
Tournament TournamentOf(const RewardModel& reward, const DataSample& sample, const EvalContext& context = {});

// EvaluateConflicts over the samples' tournaments under `reward`.
ConflictResult EvaluateConflicts(const RewardModel& reward, const std::vector<DataSample>& samples,
                                 const EvalContext& context = {});

// The round robin of a scored sample: outputs compared by AnswerScore(answer,
// score_path) (answer_score.h; empty = answer.reward.score). Throws
// std::invalid_argument naming the sample and output when a score is missing.
Tournament TournamentOfScores(const DataSample& sample, std::string_view score_path);

// EvaluateConflicts over scored samples, as the other benchmark evaluators take
// them. Scores from one pointwise reward rank the outputs, so they never form a
// cycle; use the RewardModel overload to test a pairwise or listwise reward.
ConflictResult EvaluateConflicts(const std::vector<DataSample>& samples, std::string_view score_path = "");

// The report: {"metrics": {"conflict_rate", "cycles", "comparisons", "ties",
// "dominance_rate", "failed", "samples", "samples_with_cycles", "skipped"},
// "per_sample": {unique_id: {"outputs", "comparisons", "ties", "failed", "cycles",
// "largest_cycle", "condorcet_winner" (the output's index, or -1 when there is
// none)}}}.
Json ConflictReport(const ConflictResult& result);

// The metadata key marking a pair sample made by ConflictPairSamples.
inline constexpr const char* kConflictPairKey = "rmg_conflict_pair";

// The round robins of `samples` as separate two-output samples, so that a batch
// evaluator (with its workers, deadlines and resume) can score them: for each pair
// i < j a copy holding outputs i and j (rewards cleared), unique_id "<id>#<i>-<j>",
// metadata.rmg_conflict_pair = {"sample", "outputs", "first", "second"}. A sample with
// fewer than two outputs is kept as it is.
std::vector<DataSample> ConflictPairSamples(const std::vector<DataSample>& samples);

// Marks a scored pair sample from ConflictPairSamples whose evaluation failed
// (metadata.rmg_conflict_pair.failed); other samples are left alone.
void MarkConflictPairFailed(DataSample& scored_pair);

// Conflicts of pair samples from ConflictPairSamples once scored (in their order;
// a scored pair's higher score wins, equal is a tie, and a pair marked failed by
// MarkConflictPairFailed is a failed comparison). Samples without the marker are
// round robins of their own scores, as EvaluateConflicts(samples, score_path).
ConflictResult EvaluateConflictPairs(const std::vector<DataSample>& scored, std::string_view score_path = "");

}  // namespace rmg::bench
