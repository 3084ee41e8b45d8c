// chrF and chrF++ exactly as sacreBLEU 2.x computes them (sacrebleu.metrics.CHRF),
// on sacreBLEU's 0-100 scale:
//   * character n-grams of orders 1..char_order over code points (whitespace removed
//     first unless remove_whitespace is false), plus for chrF++ word n-grams of orders
//     1..word_order over whitespace tokens with one leading or trailing ASCII
//     punctuation mark split off;
//   * per order: hypothesis n-gram count, reference n-gram count, clipped matches;
//   * with several references, the one giving the best sentence score is used
//     (the first one on ties);
//   * corpus chrF sums the per-order statistics over segments before scoring;
//   * eps_smoothing=false (default): sacreBLEU 2's score, which averages precision and
//     recall over the orders that both sides have n-grams of (sacreBLEU < 2.0's
//     "effective order") and then takes F-beta; eps_smoothing=true: the original
//     chrF++.py / C++ chrF, the mean of per-order F-beta with 1e-16 for empty orders.
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::text {

struct ChrfOptions {
  int char_order = 6;
  int word_order = 0;  // 0: chrF; 2: chrF++.
  double beta = 2.0;
  bool lowercase = false;
  bool remove_whitespace = true;
  bool eps_smoothing = false;
};

// sacreBLEU's chrF++ defaults (word_order = 2).
ChrfOptions ChrfPlusPlusDefaults();

// Per-order statistics, 3 entries per order: hypothesis n-grams, reference n-grams,
// matches. Character orders come first, then word orders.
using ChrfStats = std::vector<int64_t>;

// Statistics of `hypothesis` against the best of its `references`. Throws
// std::invalid_argument for no references or orders out of range (char_order < 1,
// word_order < 0), and DeadlineExceeded once `deadline` has passed (the work grows
// with the texts' length times the orders).
ChrfStats ChrfSegmentStats(std::string_view hypothesis, std::span<const std::string_view> references,
                           const ChrfOptions& options, const Deadline& deadline = Deadline::Never());

// The score (0..100) of (summed) statistics.
double ChrfFromStats(const ChrfStats& stats, const ChrfOptions& options);

// sacrebleu.sentence_chrf(hypothesis, references, ...).score.
double SentenceChrf(std::string_view hypothesis, std::span<const std::string_view> references,
                    const ChrfOptions& options = {}, const Deadline& deadline = Deadline::Never());

// sacrebleu.corpus_chrf(...).score over segments: hypotheses[i] is scored against
// references[i] (one entry per reference stream). Throws std::invalid_argument if the
// sizes differ or a segment has no reference.
double CorpusChrf(std::span<const std::string_view> hypotheses,
                  std::span<const std::vector<std::string_view>> references, const ChrfOptions& options = {},
                  const Deadline& deadline = Deadline::Never());

}  // namespace rmg::text
