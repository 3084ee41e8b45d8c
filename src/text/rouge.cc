#include "text/rouge.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "text/ngram.h"
#include "text/porter_stemmer.h"
#include "text/unicode.h"

namespace rmg::text {
namespace {

using Word = uint64_t;
constexpr size_t kWordBits = 64;

size_t WordsFor(size_t bits) { return (bits + kWordBits - 1) / kWordBits; }

std::vector<std::string_view> Views(const std::vector<std::string>& tokens) {
  return std::vector<std::string_view>(tokens.begin(), tokens.end());
}

constexpr size_t kTokensPerDeadlineCheck = size_t{1} << 14;

void CheckDeadline(const Deadline& deadline) {
  if (deadline.Expired())
    throw DeadlineExceeded("deadline exceeded while computing a ROUGE longest common subsequence");
}

// Where each token id occurs in the "column" sequence of an LCS, so that the match
// mask of a row token can be built from its occurrences alone. Ids are dense over a
// vocabulary fixed at construction; Reset() switches to another column sequence
// without touching the rest of the vocabulary. An id with more occurrences than the
// mask has words also keeps its mask whole: building it bit by bit for every row
// would cost up to 64 times a pass over the row (1,000,000 tokens of "1" against as
// many made each row a million bit sets). Those ids are at most 64, so the whole
// masks take at most 8 bytes per column.
class ColumnIndex {
 public:
  explicit ColumnIndex(size_t vocabulary)
      : begin_(vocabulary, 0), end_(vocabulary, 0), dense_slot_(vocabulary, kNoSlot) {}

  void Reset(std::span<const uint32_t> column_ids) {
    for (uint32_t id : ids_) {
      begin_[id] = end_[id] = 0;
      dense_slot_[id] = kNoSlot;
    }
    ids_.assign(column_ids.begin(), column_ids.end());
    positions_.resize(ids_.size());
    std::iota(positions_.begin(), positions_.end(), 0u);
    std::stable_sort(positions_.begin(), positions_.end(),
                     [&](uint32_t a, uint32_t b) { return ids_[a] < ids_[b]; });
    for (size_t k = 0; k < positions_.size(); ++k) {
      const uint32_t id = ids_[positions_[k]];
      if (k == 0 || ids_[positions_[k - 1]] != id) begin_[id] = static_cast<uint32_t>(k);
      end_[id] = static_cast<uint32_t>(k + 1);
    }
    const size_t width = WordsFor(ids_.size());
    dense_masks_.clear();
    uint32_t slots = 0;
    for (size_t k = 0; k < positions_.size(); k = end_[ids_[positions_[k]]]) {
      const uint32_t id = ids_[positions_[k]];
      if (end_[id] - begin_[id] <= width) continue;
      dense_slot_[id] = slots++;
      dense_masks_.resize(dense_masks_.size() + width, 0);
      Word* mask = dense_masks_.data() + dense_masks_.size() - width;
      for (uint32_t p : Positions(id)) mask[p / kWordBits] |= Word{1} << (p % kWordBits);
    }
  }

  size_t size() const { return ids_.size(); }
  uint32_t id(size_t j) const { return ids_[j]; }

  // Ascending positions of `id` in the column sequence (empty for ids outside the
  // vocabulary, such as TokenInterner::kUnknown).
  std::span<const uint32_t> Positions(uint32_t id) const {
    if (id >= begin_.size()) return {};
    return {positions_.data() + begin_[id], end_[id] - begin_[id]};
  }

  // The match mask of `id` (bit j set where column j is `id`) when it is kept whole,
  // else null.
  const Word* DenseMask(uint32_t id) const {
    if (id >= dense_slot_.size() || dense_slot_[id] == kNoSlot) return nullptr;
    return dense_masks_.data() + size_t{dense_slot_[id]} * WordsFor(ids_.size());
  }

 private:
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  std::vector<uint32_t> begin_, end_;
  std::vector<uint32_t> dense_slot_;
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> positions_;
  std::vector<Word> dense_masks_;
};

// One row step of the bit-parallel LCS for the row token `id`. Bit j of `v` is 0
// exactly where the DP row increases between columns j and j+1, so the row's value at
// column j is the number of zero bits below j. `mask` is all-zero scratch of the same
// size and is left so. Only words from the first occurrence upwards can change, and
// above the last occurrence only while a carry is still moving.
void AdvanceRow(std::span<Word> v, std::span<Word> mask, const ColumnIndex& columns, uint32_t id) {
  const std::span<const uint32_t> positions = columns.Positions(id);
  if (positions.empty()) return;
  const Word* match = columns.DenseMask(id);
  if (match == nullptr) {
    for (uint32_t p : positions) mask[p / kWordBits] |= Word{1} << (p % kWordBits);
    match = mask.data();
  }
  const size_t last = positions.back() / kWordBits;
  Word carry = 0;
  for (size_t w = positions.front() / kWordBits; w < v.size(); ++w) {
    if (w > last && carry == 0) break;
    const Word x = v[w];
    const Word m = match[w];
    const Word t = x + (x & m);
    const Word carry1 = t < x;
    const Word s = t + carry;
    const Word carry2 = s < t;
    carry = carry1 | carry2;
    v[w] = s | (x & ~m);
    mask[w] = 0;
  }
}

// Population count without relying on the POPCNT instruction being enabled at
// compile time (std::popcount would otherwise become a libgcc call per word).
inline size_t PopCount(Word x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<size_t>((x * 0x0101010101010101ull) >> 56);
}

// Value of the DP row `v` at column j: its zero bits among the first j.
size_t ZerosBelow(const Word* v, size_t j) {
  size_t ones = 0;
  const size_t full = j / kWordBits;
  for (size_t w = 0; w < full; ++w) ones += PopCount(v[w]);
  if (j % kWordBits != 0) ones += PopCount(v[full] & ((Word{1} << (j % kWordBits)) - 1));
  return j - ones;
}

// How much the DP row `v` grows from column j-1 to column j (j >= 1): 0 or 1.
size_t StepAt(const Word* v, size_t j) { return ((v[(j - 1) / kWordBits] >> ((j - 1) % kWordBits)) & 1) ^ 1; }

// LCS length of `rows` against the column sequence indexed by `columns`, whose ids
// come from `interner`. Row tokens are looked up one at a time, so the memory is
// that of the columns only.
size_t BitParallelLcsLength(std::span<const std::string_view> rows, const TokenInterner& interner,
                            const ColumnIndex& columns, const Deadline& deadline) {
  const size_t m = columns.size();
  if (m == 0 || rows.empty()) return 0;
  std::vector<Word> v(WordsFor(m), ~Word{0});
  std::vector<Word> mask(v.size(), 0);
  for (std::string_view token : rows) {
    CheckDeadline(deadline);
    AdvanceRow(v, mask, columns, interner.Find(token));
  }
  return ZerosBelow(v.data(), m);
}

// Buffers reused across the many sentence pairs of one ROUGE-Lsum call, so that a
// pair costs no allocation once the buffers have grown.
struct LcsWorkspace {
  std::vector<Word> mask, v, cur, prev, checkpoints, cache;
};

// The DP rows V_0 .. V_n of one (rows, columns) pair for backtracking. When all rows
// fit in kFullBudgetWords they are kept; otherwise only every B-th row (B ~ sqrt(n))
// is kept and a block of B rows is recomputed from its checkpoint on demand. The
// backtrack asks for rows in decreasing order, so each block is recomputed once and
// the total work at most doubles.
class LcsRows {
 public:
  static constexpr size_t kFullBudgetWords = size_t{1} << 16;

  LcsRows(std::span<const uint32_t> row_ids, const ColumnIndex& columns, const Deadline& deadline,
          LcsWorkspace* work)
      : row_ids_(row_ids),
        columns_(columns),
        deadline_(deadline),
        width_(WordsFor(columns.size())),
        work_(*work) {
    const size_t rows = row_ids.size() + 1;
    block_ = rows * width_ <= kFullBudgetWords
                 ? rows
                 : static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(rows))));
    work_.mask.assign(width_, 0);
    work_.v.assign(width_, ~Word{0});
    work_.cache.resize(block_ * width_);
    if (block_ == rows) {
      ComputeBlock(0);
      cached_block_ = 0;
      return;
    }
    work_.checkpoints.clear();
    for (size_t r = 0; r < rows; ++r) {
      if (r % block_ == 0) work_.checkpoints.insert(work_.checkpoints.end(), work_.v.begin(), work_.v.end());
      if (r < row_ids.size()) {
        CheckDeadline(deadline_);
        AdvanceRow(work_.v, work_.mask, columns_, row_ids_[r]);
      }
    }
  }

  size_t width() const { return width_; }

  // Copies row r into `out` (width() words).
  void Row(size_t r, Word* out) {
    const size_t block = r / block_;
    if (block != cached_block_) {
      const auto checkpoint = work_.checkpoints.begin() + static_cast<std::ptrdiff_t>(block * width_);
      std::copy(checkpoint, checkpoint + static_cast<std::ptrdiff_t>(width_), work_.v.begin());
      ComputeBlock(block);
      cached_block_ = block;
    }
    const Word* row = work_.cache.data() + (r - block * block_) * width_;
    std::copy(row, row + width_, out);
  }

 private:
  // Fills the cache with the rows of `block`, starting from work_.v = its first row.
  void ComputeBlock(size_t block) {
    const size_t first = block * block_;
    const size_t end = std::min(first + block_, row_ids_.size() + 1);
    for (size_t r = first; r < end; ++r) {
      std::copy(work_.v.begin(), work_.v.end(),
                work_.cache.begin() + static_cast<std::ptrdiff_t>((r - first) * width_));
      if (r + 1 < end) {
        CheckDeadline(deadline_);
        AdvanceRow(work_.v, work_.mask, columns_, row_ids_[r]);
      }
    }
  }

  std::span<const uint32_t> row_ids_;
  const ColumnIndex& columns_;
  const Deadline& deadline_;
  size_t width_;
  LcsWorkspace& work_;
  size_t block_ = 1;
  size_t cached_block_ = SIZE_MAX;
};

// rouge-score's _backtrack_norec over the table of (row_ids, columns): from the
// bottom-right corner, take a match diagonally; otherwise move left only if the
// left cell is strictly larger than the upper one. Calls `emit(i)` for the matched
// row indices in descending order. `v` tracks table[i][j] and `u` table[i-1][j].
template <class Emit>
void Backtrack(std::span<const uint32_t> row_ids, const ColumnIndex& columns, const Deadline& deadline,
               LcsWorkspace* work, Emit emit) {
  size_t i = row_ids.size();
  size_t j = columns.size();
  if (i == 0 || j == 0) return;
  // Sentence pairs without a common token are common in ROUGE-Lsum; skip them cheaply.
  bool any_common = false;
  for (uint32_t id : row_ids) {
    if (!columns.Positions(id).empty()) {
      any_common = true;
      break;
    }
  }
  if (!any_common) return;
  LcsRows rows(row_ids, columns, deadline, work);
  std::vector<Word>& cur = work->cur;
  std::vector<Word>& prev = work->prev;
  cur.resize(rows.width());
  prev.resize(rows.width());
  rows.Row(i, cur.data());
  rows.Row(i - 1, prev.data());
  size_t v = ZerosBelow(cur.data(), j);
  size_t u = ZerosBelow(prev.data(), j);
  const auto up = [&] {
    --i;
    std::swap(cur, prev);
    if (i > 0) {
      CheckDeadline(deadline);
      rows.Row(i - 1, prev.data());
      u = ZerosBelow(prev.data(), j);
    }
  };
  while (i > 0 && j > 0) {
    if (row_ids[i - 1] == columns.id(j - 1)) {
      emit(i - 1);
      v = u - StepAt(prev.data(), j);
      --j;
      up();
      continue;
    }
    const size_t left = v - StepAt(cur.data(), j);
    if (left > u) {
      u -= StepAt(prev.data(), j);
      v = left;
      --j;
    } else {
      v = u;
      up();
    }
  }
}

}  // namespace

double RougeFMeasure(double precision, double recall) {
  if (precision + recall > 0) return 2 * precision * recall / (precision + recall);
  return 0.0;
}

RougeScore RougeN(std::span<const std::string_view> target, std::span<const std::string_view> prediction, int n,
                  const Deadline& deadline) {
  if (n < 1) throw std::invalid_argument("ROUGE-N needs n >= 1, got " + std::to_string(n));
  TokenInterner interner;
  deadline.Check();
  const std::vector<uint32_t> target_ids = interner.InternAll(target);
  deadline.Check();
  const std::vector<uint32_t> prediction_ids = interner.InternAll(prediction);
  NgramIds ngrams({target_ids, prediction_ids});
  for (int k = 0; k < n; ++k) ngrams.NextOrder(deadline);
  std::vector<int64_t> scratch(ngrams.num_ids(), 0);
  const int64_t overlap = ClippedMatches(ngrams.ids(1), ngrams.ids(0), &scratch);
  const auto target_total = static_cast<int64_t>(ngrams.ids(0).size());
  const auto prediction_total = static_cast<int64_t>(ngrams.ids(1).size());
  RougeScore score;
  score.precision =
      static_cast<double>(overlap) / static_cast<double>(std::max<int64_t>(prediction_total, 1));
  score.recall = static_cast<double>(overlap) / static_cast<double>(std::max<int64_t>(target_total, 1));
  score.fmeasure = RougeFMeasure(score.precision, score.recall);
  return score;
}

RougeScore RougeN(const std::vector<std::string>& target, const std::vector<std::string>& prediction, int n,
                  const Deadline& deadline) {
  return RougeN(Views(target), Views(prediction), n, deadline);
}

size_t LcsLength(std::span<const std::string_view> a, std::span<const std::string_view> b,
                 Deadline deadline) {
  CheckDeadline(deadline);
  // A common prefix and a common suffix are part of some longest common subsequence,
  // so only the middles need the quadratic part (and identical texts none).
  size_t common = 0;
  while (common < a.size() && common < b.size() && a[common] == b[common]) ++common;
  a = a.subspan(common);
  b = b.subspan(common);
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a = a.first(a.size() - 1);
    b = b.first(b.size() - 1);
    ++common;
  }
  // The shorter sequence becomes the bit columns, which bounds the memory.
  const auto columns_tokens = a.size() <= b.size() ? a : b;
  const auto row_tokens = a.size() <= b.size() ? b : a;
  if (columns_tokens.empty()) return common;
  TokenInterner interner;
  const std::vector<uint32_t> column_ids = interner.InternAll(columns_tokens);
  ColumnIndex columns(interner.size());
  columns.Reset(column_ids);
  return common + BitParallelLcsLength(row_tokens, interner, columns, deadline);
}

std::vector<size_t> LcsTargetIndices(std::span<const std::string_view> target,
                                     std::span<const std::string_view> prediction, Deadline deadline) {
  TokenInterner interner;
  const std::vector<uint32_t> target_ids = interner.InternAll(target);
  const std::vector<uint32_t> prediction_ids = interner.InternAll(prediction);
  ColumnIndex columns(interner.size());
  columns.Reset(prediction_ids);
  std::vector<size_t> indices;
  LcsWorkspace work;
  Backtrack(target_ids, columns, deadline, &work, [&](size_t i) { indices.push_back(i); });
  std::reverse(indices.begin(), indices.end());
  return indices;
}

RougeScore RougeL(std::span<const std::string_view> target, std::span<const std::string_view> prediction,
                  Deadline deadline) {
  if (target.empty() || prediction.empty()) return {};
  const size_t lcs = LcsLength(target, prediction, deadline);
  RougeScore score;
  score.precision = static_cast<double>(lcs) / static_cast<double>(prediction.size());
  score.recall = static_cast<double>(lcs) / static_cast<double>(target.size());
  score.fmeasure = RougeFMeasure(score.precision, score.recall);
  return score;
}

RougeScore RougeL(const std::vector<std::string>& target, const std::vector<std::string>& prediction,
                  Deadline deadline) {
  return RougeL(Views(target), Views(prediction), deadline);
}

void RougeSentences::Add(std::vector<std::string> sentence_tokens) {
  for (std::string& token : sentence_tokens) tokens.push_back(std::move(token));
  starts.push_back(tokens.size());
}

RougeScore RougeLsum(const RougeSentences& target_sentences, const RougeSentences& prediction_sentences,
                     Deadline deadline) {
  if (target_sentences.size() == 0 || prediction_sentences.size() == 0) return {};
  const size_t target_total = target_sentences.tokens.size();
  const size_t prediction_total = prediction_sentences.tokens.size();
  if (target_total == 0 || prediction_total == 0) return {};
  TokenInterner interner;
  const std::vector<uint32_t> target_ids = interner.InternAll(Views(target_sentences.tokens));
  const std::vector<uint32_t> prediction_ids = interner.InternAll(Views(prediction_sentences.tokens));
  const auto sentence = [](const std::vector<uint32_t>& ids, const RougeSentences& sentences, size_t s) {
    return std::span<const uint32_t>(ids).subspan(sentences.starts[s], sentences.starts[s + 1] - sentences.starts[s]);
  };

  // Which target tokens are in the union of their sentence's LCSs with the prediction
  // sentences. The loop runs prediction-sentence-major so that each prediction sentence
  // is indexed once; the union does not depend on the order.
  std::vector<char> in_union(target_total, 0);
  ColumnIndex columns(interner.size());
  LcsWorkspace work;
  for (size_t p = 0; p < prediction_sentences.size(); ++p) {
    // Also checked here because pairs without a common token never reach a DP row.
    CheckDeadline(deadline);
    const auto prediction = sentence(prediction_ids, prediction_sentences, p);
    if (prediction.empty()) continue;
    columns.Reset(prediction);
    for (size_t s = 0; s < target_sentences.size(); ++s) {
      char* flags = in_union.data() + target_sentences.starts[s];
      Backtrack(sentence(target_ids, target_sentences, s), columns, deadline, &work, [&](size_t i) { flags[i] = 1; });
    }
  }

  // Hits, counting each token at most as often as it occurs in both texts; target
  // tokens are visited in rouge-score's order (sentence by sentence, which the flat
  // list keeps) because the budget is spent first come, first served.
  std::vector<int64_t> target_budget(interner.size(), 0), prediction_budget(interner.size(), 0);
  for (uint32_t id : target_ids) ++target_budget[id];
  for (uint32_t id : prediction_ids) ++prediction_budget[id];
  size_t hits = 0;
  for (size_t i = 0; i < target_total; ++i) {
    if (!in_union[i]) continue;
    const uint32_t id = target_ids[i];
    if (target_budget[id] > 0 && prediction_budget[id] > 0) {
      ++hits;
      --target_budget[id];
      --prediction_budget[id];
    }
  }
  RougeScore score;
  score.recall = static_cast<double>(hits) / static_cast<double>(target_total);
  score.precision = static_cast<double>(hits) / static_cast<double>(prediction_total);
  score.fmeasure = RougeFMeasure(score.precision, score.recall);
  return score;
}

RougeScore RougeLsum(const std::vector<std::vector<std::string>>& target_sentences,
                     const std::vector<std::vector<std::string>>& prediction_sentences, Deadline deadline) {
  RougeSentences target, prediction;
  for (const auto& tokens : target_sentences) target.Add(tokens);
  for (const auto& tokens : prediction_sentences) prediction.Add(tokens);
  return RougeLsum(target, prediction, deadline);
}

std::vector<std::string> RougeTokenize(std::string_view text, const Tokenizer& tokenizer, bool use_stemmer,
                                       const Deadline& deadline) {
  std::vector<std::string> tokens = tokenizer.Tokenize(text, deadline);
  if (use_stemmer) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i % kTokensPerDeadlineCheck == 0) deadline.Check();  // a stem takes tens of nanoseconds
      std::string& token = tokens[i];
      size_t code_points = 0;
      for (size_t pos = 0; pos < token.size() && code_points <= 3; ++code_points) DecodeUtf8(token, &pos);
      if (code_points > 3) token = PorterStem(token);
    }
  }
  // rouge-score keeps only [a-z0-9]+ tokens; with the tokenizers that keep whitespace as
  // tokens (jieba, tiktoken), blanks would match between any two texts.
  std::erase_if(tokens, [](const std::string& token) { return StripPythonSpace(token).empty(); });
  return tokens;
}

RougeSentences RougeTokenizeSentences(std::string_view text, const Tokenizer& tokenizer, bool use_stemmer,
                                      const Deadline& deadline) {
  RougeSentences sentences;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) sentences.Add(RougeTokenize(text.substr(start, end - start), tokenizer, use_stemmer, deadline));
    start = end + 1;
  }
  return sentences;
}

namespace {

// 0 for "rougeL", -1 for "rougeLsum", n for "rougeN" (1..9), throws otherwise.
int ParseRougeType(const std::string& type) {
  if (type == "rougeL") return 0;
  if (type == "rougeLsum") return -1;
  if (type.size() == 6 && type.starts_with("rouge") && type[5] >= '1' && type[5] <= '9') return type[5] - '0';
  throw std::invalid_argument("unknown ROUGE type '" + type +
                              "' (valid: rouge1 ... rouge9, rougeL, rougeLsum)");
}

}  // namespace

RougeScorer::RougeScorer(std::vector<std::string> rouge_types, bool use_stemmer,
                         std::shared_ptr<const Tokenizer> tokenizer)
    : rouge_types_(std::move(rouge_types)),
      use_stemmer_(use_stemmer),
      tokenizer_(tokenizer ? std::move(tokenizer) : GetTokenizer("rouge_score")) {
  if (rouge_types_.empty()) {
    throw std::invalid_argument(
        "RougeScorer needs at least one ROUGE type (rouge1 ... rouge9, rougeL, rougeLsum)");
  }
  for (const std::string& type : rouge_types_) ParseRougeType(type);
}

std::map<std::string, RougeScore> RougeScorer::Score(std::string_view target, std::string_view prediction,
                                                     Deadline deadline) const {
  std::map<std::string, RougeScore> result;
  // Like rouge-score, whole-text tokens are only computed when a type needs them.
  std::vector<std::string> target_tokens, prediction_tokens;
  std::vector<std::string_view> target_views, prediction_views;
  bool tokenized = false;
  for (const std::string& type : rouge_types_) {
    const int kind = ParseRougeType(type);
    if (kind == -1) {
      result[type] = RougeLsum(RougeTokenizeSentences(target, *tokenizer_, use_stemmer_, deadline),
                               RougeTokenizeSentences(prediction, *tokenizer_, use_stemmer_, deadline), deadline);
      continue;
    }
    if (!tokenized) {
      target_tokens = RougeTokenize(target, *tokenizer_, use_stemmer_, deadline);
      prediction_tokens = RougeTokenize(prediction, *tokenizer_, use_stemmer_, deadline);
      target_views = Views(target_tokens);
      prediction_views = Views(prediction_tokens);
      tokenized = true;
    }
    result[type] = kind == 0 ? RougeL(target_views, prediction_views, deadline)
                             : RougeN(target_views, prediction_views, kind, deadline);
  }
  return result;
}

}  // namespace rmg::text
