#include "text/chrf.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "text/ngram.h"
#include "text/unicode.h"

namespace rmg::text {
namespace {

// Python's string.punctuation, the marks chrF++ splits off words.
bool IsAsciiPunctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// sacreBLEU's CHRF._remove_punctuation: whitespace tokens, each with at most one
// trailing (else leading) punctuation mark split off; one-character tokens stay.
std::vector<std::string_view> WordsForChrf(std::string_view text) {
  std::vector<std::string_view> words;
  for (std::string_view word : SplitPythonSpace(text)) {
    size_t second = 0;
    DecodeUtf8(word, &second);
    if (second == word.size()) {  // A single code point.
      words.push_back(word);
    } else if (IsAsciiPunctuation(word.back())) {
      words.push_back(word.substr(0, word.size() - 1));
      words.push_back(word.substr(word.size() - 1));
    } else if (IsAsciiPunctuation(word.front())) {
      words.push_back(word.substr(0, 1));
      words.push_back(word.substr(1));
    } else {
      words.push_back(word);
    }
  }
  return words;
}

// One segment's symbols: its code points (whitespace removed unless kept) and the
// interned ids of its chrF++ words.
struct Segment {
  std::string lowered;  // Owns the text when lower-casing, so word views stay valid.
  std::vector<uint32_t> chars;
  std::vector<uint32_t> words;
};

void PrepareSegment(std::string_view text, const ChrfOptions& options, TokenInterner* interner,
                    Segment* segment) {
  if (options.lowercase) {
    segment->lowered = LowerUtf8(text);
    text = segment->lowered;
  }
  segment->chars.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const char32_t cp = DecodeUtf8(text, &pos);
    if (options.remove_whitespace && IsPythonSpace(cp)) continue;
    segment->chars.push_back(static_cast<uint32_t>(cp));
  }
  if (options.word_order > 0) segment->words = interner->InternAll(WordsForChrf(text));
}

// For orders 1..max_order, appends [hypothesis n-grams, reference n-grams, matches]
// of sequences[0] (the hypothesis) against sequences[r + 1] to (*stats)[r].
void AddOrderStats(std::vector<std::span<const uint32_t>> sequences, int max_order, const Deadline& deadline,
                   std::vector<ChrfStats>* stats) {
  NgramIds ngrams(std::move(sequences));
  std::vector<int64_t> scratch;
  for (int n = 1; n <= max_order; ++n) {
    ngrams.NextOrder(deadline);
    scratch.resize(std::max(scratch.size(), ngrams.num_ids()), 0);
    const auto hyp = ngrams.ids(0);
    for (size_t r = 0; r < stats->size(); ++r) {
      const auto ref = ngrams.ids(r + 1);
      ChrfStats& out = (*stats)[r];
      // sacreBLEU counts no hypothesis n-grams of an order the reference has none of:
      // a short reference does not lower the corpus precision of the other orders.
      out.push_back(ref.empty() ? 0 : static_cast<int64_t>(hyp.size()));
      out.push_back(static_cast<int64_t>(ref.size()));
      out.push_back(ClippedMatches(hyp, ref, &scratch));
      ngrams.CountWork(hyp.size() + ref.size(), deadline);
    }
  }
}

void CheckOptions(const ChrfOptions& options) {
  if (options.char_order < 1 || options.word_order < 0) {
    throw std::invalid_argument("chrF needs char_order >= 1 and word_order >= 0");
  }
}

}  // namespace

ChrfOptions ChrfPlusPlusDefaults() {
  ChrfOptions options;
  options.word_order = 2;
  return options;
}

ChrfStats ChrfSegmentStats(std::string_view hypothesis, std::span<const std::string_view> references,
                           const ChrfOptions& options, const Deadline& deadline) {
  CheckOptions(options);
  if (references.empty()) throw std::invalid_argument("chrF needs at least one reference per segment");
  // Word strings are views into the segment texts (or their lower-cased copies),
  // which outlive the interner.
  TokenInterner interner;
  std::vector<Segment> segments(references.size() + 1);
  PrepareSegment(hypothesis, options, &interner, &segments[0]);
  for (size_t r = 0; r < references.size(); ++r)
    PrepareSegment(references[r], options, &interner, &segments[r + 1]);

  std::vector<ChrfStats> stats(references.size());
  std::vector<std::span<const uint32_t>> chars, words;
  for (const Segment& segment : segments) {
    chars.emplace_back(segment.chars);
    words.emplace_back(segment.words);
  }
  deadline.Check();
  AddOrderStats(std::move(chars), options.char_order, deadline, &stats);
  if (options.word_order > 0) AddOrderStats(std::move(words), options.word_order, deadline, &stats);

  // The reference with the best sentence-level score; the first one on ties.
  size_t best = 0;
  double best_score = -1.0;
  for (size_t r = 0; r < stats.size(); ++r) {
    const double score = ChrfFromStats(stats[r], options);
    if (score > best_score) {
      best_score = score;
      best = r;
    }
  }
  return std::move(stats[best]);
}

double ChrfFromStats(const ChrfStats& stats, const ChrfOptions& options) {
  CheckOptions(options);
  const size_t orders = static_cast<size_t>(options.char_order + options.word_order);
  if (stats.size() != orders * 3) {
    throw std::invalid_argument("chrF statistics have " + std::to_string(stats.size()) +
                                " entries, expected " + std::to_string(orders * 3));
  }
  constexpr double kEps = 1e-16;
  const double factor = options.beta * options.beta;
  double score = 0.0;
  double avg_precision = 0.0;
  double avg_recall = 0.0;
  int effective_order = 0;
  for (size_t i = 0; i < orders; ++i) {
    const int64_t n_hyp = stats[3 * i];
    const int64_t n_ref = stats[3 * i + 1];
    const double n_match = static_cast<double>(stats[3 * i + 2]);
    const double precision = n_hyp > 0 ? n_match / static_cast<double>(n_hyp) : kEps;
    const double recall = n_ref > 0 ? n_match / static_cast<double>(n_ref) : kEps;
    const double denominator = factor * precision + recall;
    score += denominator > 0 ? (1 + factor) * precision * recall / denominator : kEps;
    if (n_hyp > 0 && n_ref > 0) {
      avg_precision += precision;
      avg_recall += recall;
      ++effective_order;
    }
  }
  if (options.eps_smoothing) return 100 * score / static_cast<double>(orders);
  if (effective_order == 0) return 0.0;
  avg_precision /= effective_order;
  avg_recall /= effective_order;
  if (avg_precision + avg_recall == 0) return 0.0;
  return 100 * ((1 + factor) * avg_precision * avg_recall / (factor * avg_precision + avg_recall));
}

double SentenceChrf(std::string_view hypothesis, std::span<const std::string_view> references,
                    const ChrfOptions& options, const Deadline& deadline) {
  return ChrfFromStats(ChrfSegmentStats(hypothesis, references, options, deadline), options);
}

double CorpusChrf(std::span<const std::string_view> hypotheses,
                  std::span<const std::vector<std::string_view>> references, const ChrfOptions& options,
                  const Deadline& deadline) {
  CheckOptions(options);
  if (hypotheses.size() != references.size()) {
    throw std::invalid_argument("CorpusChrf: " + std::to_string(hypotheses.size()) + " hypotheses but " +
                                std::to_string(references.size()) + " reference lists");
  }
  ChrfStats sum(static_cast<size_t>(options.char_order + options.word_order) * 3, 0);
  for (size_t i = 0; i < hypotheses.size(); ++i) {
    const ChrfStats stats = ChrfSegmentStats(hypotheses[i], references[i], options, deadline);
    for (size_t k = 0; k < sum.size(); ++k) sum[k] += stats[k];
  }
  return ChrfFromStats(sum, options);
}

}  // namespace rmg::text
