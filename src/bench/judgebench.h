// JudgeBench (Tan et al. 2024, "JudgeBench: A Benchmark for Evaluating LLM-based
// Judges"). Every published pair has two responses, A and B, of which exactly one
// is correct; the label is "A>B" or "B>A" (the format also allows "A=B").
// Accuracy is the share of pairs decided correctly, following ScalerLab/JudgeBench's
// metrics (compute_final_metrics):
//   * An LLM judge plays two games per pair, once as (A, B) and once with the
//     responses swapped. Each game's verdict, mapped back to the pair's own A and
//     B, counts +1 when it agrees with the label, -1 when it contradicts it and 0
//     otherwise; the pair is correct only when the sum is positive. So one tie and
//     one right verdict is correct; two ties, or two verdicts that contradict each
//     other (position bias), are wrong. For an "A=B" label a tie verdict agrees
//     and nothing contradicts, so one tie makes the pair correct.
//   * A reward model scores each response once, and the pair is one game decided
//     by score_A > score_B: a tie counts as "B>A", as JudgeBench's reward-model
//     judge does.
// Sources are JudgeBench's: mmlu-pro-<subject>, livebench-reasoning,
// livebench-math, livecodebench; the paper reports them as four categories.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::bench {

// A verdict on a pair, in the pair's own A/B order. A judgment that could not be
// read is a kTie: JudgeBench counts both as 0.
enum class PairVerdict { kAWins, kBWins, kTie };

// One pair: its label and the verdicts of its games (already mapped back to the
// pair's A/B order when the responses were shown swapped).
struct JudgeBenchPair {
  std::string source;
  PairVerdict label = PairVerdict::kAWins;
  std::vector<PairVerdict> games;
};

// True if the games of `pair` sum to agreement with its label (see above).
bool JudgeBenchCorrect(const JudgeBenchPair& pair);

struct JudgeBenchAccuracy {
  size_t pairs = 0;
  size_t correct = 0;
  double accuracy() const { return pairs == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(pairs); }
};

struct JudgeBenchResult {
  JudgeBenchAccuracy overall;
  std::map<std::string, JudgeBenchAccuracy> per_source;
  // JudgeBench's categories: knowledge (mmlu-pro-*), reasoning, math, coding;
  // a source outside them is counted under its own name.
  std::map<std::string, JudgeBenchAccuracy> per_category;
};

// The JudgeBench category of `source` ("knowledge", "reasoning", "math", "coding"),
// or `source` itself when it is none of JudgeBench's.
std::string JudgeBenchCategory(std::string_view source);

// Accuracy over `pairs`.
JudgeBenchResult ScoreJudgeBenchPairs(const std::vector<JudgeBenchPair>& pairs);

// How the outputs' scores of a sample decide its pair.
enum class JudgeBenchMode {
  // A reward model: one game, A wins if score_A > score_B, else B (ties too).
  kRewardModel,
  // An LLM judge whose two games are already folded into the two scores, as rmg's
  // pairwise judges with both_orders=true write them (each output's score is its
  // mean over both orders): score_A - score_B has the sign of the games' sum,
  // so A wins, B wins or — when equal — the verdict is a tie (wrong unless the
  // label is "A=B"). Folded scores cannot tell one tie and one win from two
  // wins, so for an "A=B" label only games that tie overall count as right.
  kJudge,
};

// The pair of a JudgeBench sample: two outputs; A and B by answer.label.position
// ("A"/"B"), else output[0] is A; the label from which one has
// answer.label.preference "chosen" (a tie when both have "tie"); the source from
// metadata.source, else the sample's source; one game from the scores
// (AnswerScore(answer, score_path)) as `mode` says. Throws std::invalid_argument naming the sample and field when the
// sample is not such a pair.
JudgeBenchPair JudgeBenchPairOf(const DataSample& sample, JudgeBenchMode mode, std::string_view score_path);

// JudgeBench on scored samples.
JudgeBenchResult EvaluateJudgeBench(const std::vector<DataSample>& samples, JudgeBenchMode mode,
                                    std::string_view score_path = "");

// The report: {"metrics": {"overall", "pairs", "per_source": {source: accuracy},
// "per_category": {category: accuracy}}}, accuracies in [0, 1].
Json JudgeBenchReport(const JudgeBenchResult& result);

}  // namespace rmg::bench
