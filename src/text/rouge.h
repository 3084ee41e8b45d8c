// ROUGE-N, ROUGE-L and ROUGE-Lsum exactly as Google's rouge-score package computes
// them (rouge_scorer.RougeScorer.score(target, prediction)):
//   * ROUGE-N: clipped n-gram overlap; precision = overlap / max(#prediction n-grams, 1),
//     recall = overlap / max(#target n-grams, 1).
//   * ROUGE-L: longest common subsequence of the two token sequences; precision =
//     LCS / |prediction|, recall = LCS / |target|; 0 if either is empty.
//   * ROUGE-Lsum: summary-level LCS; texts are split into sentences at '\n'; for each
//     target sentence the union of its LCS with every prediction sentence counts as
//     hits, with each token counted at most as often as it occurs in both texts
//     (ROUGE-1.5.5's rule, which rouge-score follows).
//   * F-measure = 2PR / (P + R), 0 when P + R = 0.
//
// The LCS runs bit-parallel (64 columns per machine word, Hyyro's formulation of
// Allison-Dix), so two 1.5 KB texts take microseconds. It needs O(min(n, m)) memory
// for a length and O(sqrt(n) * m / 64) words for ROUGE-Lsum's backtracking, and it
// checks the caller's deadline once per row.
//
// Every function here is pure and thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"
#include "rmg/tokenizer.h"

namespace rmg::text {

struct RougeScore {
  double precision = 0.0;
  double recall = 0.0;
  double fmeasure = 0.0;
};

// rouge-score's scoring.fmeasure: 2PR / (P + R), or 0 when P + R is 0.
double RougeFMeasure(double precision, double recall);

// ROUGE-N of `prediction` against `target` (token sequences). Throws
// std::invalid_argument if n < 1, DeadlineExceeded once `deadline` has passed.
RougeScore RougeN(std::span<const std::string_view> target, std::span<const std::string_view> prediction, int n,
                  const Deadline& deadline = Deadline::Never());
RougeScore RougeN(const std::vector<std::string>& target, const std::vector<std::string>& prediction, int n,
                  const Deadline& deadline = Deadline::Never());

// Length of the longest common subsequence of `a` and `b`. O(|a|*|b|/64) time and
// O(min(|a|, |b|)) memory. Throws DeadlineExceeded once `deadline` has passed
// (checked before every row of the DP).
size_t LcsLength(std::span<const std::string_view> a, std::span<const std::string_view> b,
                 Deadline deadline = Deadline::Never());

// The LCS rouge-score picks when it backtracks its DP table of (target, prediction):
// ascending indices into `target`. Ties are broken as rouge-score does (match first,
// then left only if strictly better, else up), which decides which tokens ROUGE-Lsum
// counts. Same time bound as LcsLength(); memory O(sqrt(|target|) * |prediction| / 64).
std::vector<size_t> LcsTargetIndices(std::span<const std::string_view> target,
                                     std::span<const std::string_view> prediction,
                                     Deadline deadline = Deadline::Never());

// ROUGE-L of `prediction` against `target`. Throws DeadlineExceeded as LcsLength().
RougeScore RougeL(std::span<const std::string_view> target, std::span<const std::string_view> prediction,
                  Deadline deadline = Deadline::Never());
RougeScore RougeL(const std::vector<std::string>& target, const std::vector<std::string>& prediction,
                  Deadline deadline = Deadline::Never());

// A text's sentences as one token list: sentence s is tokens[starts[s], starts[s + 1]).
// One list rather than a vector per sentence, so a text of millions of one-token lines
// costs its tokens and little more.
struct RougeSentences {
  std::vector<std::string> tokens;
  std::vector<size_t> starts = {0};  // one more entry than there are sentences

  size_t size() const { return starts.size() - 1; }
  // Appends a sentence of `sentence_tokens`.
  void Add(std::vector<std::string> sentence_tokens);
};

// ROUGE-Lsum over sentence-split token sequences (see RougeTokenizeSentences()).
// 0 if either side has no sentence or no token. Throws DeadlineExceeded.
RougeScore RougeLsum(const RougeSentences& target_sentences, const RougeSentences& prediction_sentences,
                     Deadline deadline = Deadline::Never());
RougeScore RougeLsum(const std::vector<std::vector<std::string>>& target_sentences,
                     const std::vector<std::vector<std::string>>& prediction_sentences,
                     Deadline deadline = Deadline::Never());

// Tokens of `text` as `tokenizer` splits it; with `use_stemmer`, every token longer
// than 3 code points is replaced by its Porter stem (rouge-score's rule). With
// GetTokenizer("rouge_score") this is rouge-score's DefaultTokenizer(use_stemmer).
// Throws DeadlineExceeded once `deadline` has passed (see Tokenizer::Tokenize).
std::vector<std::string> RougeTokenize(std::string_view text, const Tokenizer& tokenizer, bool use_stemmer,
                                       const Deadline& deadline = Deadline::Never());

// rouge-score's sentence split for ROUGE-Lsum: `text` is cut at every '\n', empty
// pieces are dropped, and each piece is tokenized with RougeTokenize(). A piece
// without tokens (e.g. "/") stays as an empty sentence, as in rouge-score.
RougeSentences RougeTokenizeSentences(std::string_view text, const Tokenizer& tokenizer, bool use_stemmer,
                                      const Deadline& deadline = Deadline::Never());

// rouge_scorer.RougeScorer: a fixed set of ROUGE types, one tokenizer and stemming
// flag. Immutable, so one instance can serve many threads.
class RougeScorer {
 public:
  // `rouge_types` are "rouge1" ... "rouge9", "rougeL" and "rougeLsum" (at least one).
  // `tokenizer` defaults to GetTokenizer("rouge_score"). Throws std::invalid_argument
  // for an empty list or an unknown type, naming the valid ones.
  explicit RougeScorer(std::vector<std::string> rouge_types, bool use_stemmer = false,
                       std::shared_ptr<const Tokenizer> tokenizer = nullptr);

  // Scores of `prediction` against `target`, keyed by ROUGE type. Throws
  // DeadlineExceeded if an LCS is still running at `deadline`.
  std::map<std::string, RougeScore> Score(std::string_view target, std::string_view prediction,
                                          Deadline deadline = Deadline::Never()) const;

  const std::vector<std::string>& rouge_types() const { return rouge_types_; }
  bool use_stemmer() const { return use_stemmer_; }

 private:
  std::vector<std::string> rouge_types_;
  bool use_stemmer_;
  std::shared_ptr<const Tokenizer> tokenizer_;
};

}  // namespace rmg::text
