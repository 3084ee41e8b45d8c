// BLEU exactly as sacreBLEU 2.x computes it (sacrebleu.metrics.BLEU), on
// sacreBLEU's 0-100 scale:
//   * each segment is lower-cased (optional), right-stripped and tokenized, then
//     split at whitespace;
//   * hypothesis n-grams (1..max_ngram_order) are clipped by the maximum count of
//     that n-gram in any single reference;
//   * the reference length is that of the reference closest in length to the
//     hypothesis, ties going to the shorter one;
//   * corpus BLEU sums these statistics over segments before scoring; sentence
//     BLEU scores one segment;
//   * smoothing "exp", "floor", "add-k" or "none" and effective order as sacreBLEU's
//     BLEU.compute_bleu, including its early 0 when no n-gram matches at all.
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::text {

// sacreBLEU's tokenizers for BLEU.
enum class BleuTokenize {
  k13a,   // "13a": mteval-v13a, sacreBLEU's default.
  kNone,  // "none": split at whitespace only.
  kIntl,  // "intl": mteval-v14 international (Unicode punctuation and symbols).
  kChar,  // "char": every non-space character is a token.
  kZh,    // "zh": Chinese characters split apart, then 13a's punctuation rules.
};

enum class BleuSmooth {
  kExp,    // "exp": 1 / 2^k for the k-th order without matches (NIST geometric).
  kFloor,  // "floor": smooth_value (default 0.1) matches for orders without matches.
  kAddK,   // "add-k": smooth_value (default 1) added to matches and totals of orders >= 2.
  kNone,   // "none".
};

struct BleuOptions {
  BleuTokenize tokenize = BleuTokenize::k13a;
  bool lowercase = false;
  BleuSmooth smooth = BleuSmooth::kExp;
  // nullopt: the method's default (floor 0.1, add-k 1; unused by exp and none).
  std::optional<double> smooth_value;
  // Average only over the orders the hypothesis has n-grams of (sacreBLEU stops
  // at the first order with no hypothesis n-gram).
  bool use_effective_order = false;
  int max_ngram_order = 4;
};

// sacrebleu.sentence_bleu's defaults: exp smoothing and effective order on.
BleuOptions SentenceBleuDefaults();

// Parses sacreBLEU's names: "13a", "none", "intl", "char", "zh" and "exp", "floor",
// "add-k", "none". Throw std::invalid_argument naming the valid values.
BleuTokenize ParseBleuTokenize(std::string_view name);
BleuSmooth ParseBleuSmooth(std::string_view name);

// The tokenizer alone, as sacreBLEU's tokenizer(line): tokens joined by single
// spaces. (Lower-casing and right-stripping are done by the callers below.) Throws
// DeadlineExceeded once `deadline` has passed, checked between its passes over the text.
std::string BleuTokenizeText(std::string_view text, BleuTokenize tokenize,
                             const Deadline& deadline = Deadline::Never());

// Sufficient statistics of one or more segments. Add them up for a corpus.
struct BleuStats {
  int64_t hyp_len = 0;
  int64_t ref_len = 0;
  std::vector<int64_t> correct;  // clipped matches per order (max_ngram_order entries)
  std::vector<int64_t> total;    // hypothesis n-grams per order

  // Adds `other` (same max order) to this.
  BleuStats& operator+=(const BleuStats& other);
};

struct BleuScore {
  double score = 0.0;              // 0..100
  std::vector<double> precisions;  // per order, 0..100, after smoothing
  double brevity_penalty = 0.0;
  BleuStats stats;  // as counted, before any add-k smoothing
};

// Statistics of `hypothesis` against its `references` (at least one; extra ones only
// raise clipping limits and offer other lengths). Throws std::invalid_argument for
// no references or max_ngram_order < 1, and DeadlineExceeded once `deadline` has
// passed (the work grows with the texts' length times the n-gram order).
BleuStats BleuSegmentStats(std::string_view hypothesis, std::span<const std::string_view> references,
                           const BleuOptions& options, const Deadline& deadline = Deadline::Never());

// The score of (summed) statistics, as BLEU.compute_bleu.
BleuScore BleuFromStats(const BleuStats& stats, const BleuOptions& options);

// sacrebleu.sentence_bleu(hypothesis, references, ...). Pass SentenceBleuDefaults()
// (the default) to get sacreBLEU's sentence-level defaults.
BleuScore SentenceBleu(std::string_view hypothesis, std::span<const std::string_view> references,
                       const BleuOptions& options = SentenceBleuDefaults(),
                       const Deadline& deadline = Deadline::Never());

// sacrebleu.corpus_bleu over segments: hypotheses[i] is scored against
// references[i] (that segment's references, one per reference stream). Throws
// std::invalid_argument if the sizes differ or a segment has no reference.
BleuScore CorpusBleu(std::span<const std::string_view> hypotheses,
                     std::span<const std::vector<std::string_view>> references, const BleuOptions& options = {},
                     const Deadline& deadline = Deadline::Never());

}  // namespace rmg::text
