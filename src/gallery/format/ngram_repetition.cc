// ngram_repetition_penalty: penalises responses (or their <think> parts) whose
// token n-grams repeat.
#include <algorithm>
#include <bit>

#include "core/thread_scratch.h"
#include "gallery/format/format.h"
#include "gallery/format/tags.h"
#include "gallery/python_format.h"
#include "gallery/tokenizer_param.h"
#include "text/token_set.h"
#include "text/unicode.h"
#include "text/word_table.h"

namespace rmg::gallery {
namespace {

struct NgramCount {
  size_t count = 0;
  size_t first = 0;  // index of the first occurrence, for Counter's tie order
};

// The distinct n-grams of a token-id sequence, in order of first appearance, with
// their counts. Buffers are kept between texts (callers hold one per thread).
class NgramCounter {
 public:
  // Counts the `total` n-grams of `ids` (ids below `id_limit`, a power of two).
  const std::vector<NgramCount>& Count(const std::vector<uint32_t>& ids, size_t id_limit, size_t n, size_t total) {
    const auto bits = static_cast<size_t>(std::countr_zero(id_limit));  // log2
    if (n * bits <= 63) {
      CountPacked(ids, bits, n, total);
    } else {
      CountBySequence(ids, n, total);
    }
    return distinct_;
  }

 private:
  // When the n ids of an n-gram fit in one word, that word (with the top bit set, so
  // never 0) is the n-gram's key: a probe compares one word, the next n-gram's key is
  // a shift away, and no branch depends on whether an n-gram was seen before.
  void CountPacked(const std::vector<uint32_t>& ids, size_t bits, size_t n, size_t total) {
    const size_t capacity = text::SlotCount(total);
    if (keys_.size() == capacity) {
      for (uint32_t slot : distinct_slots_) keys_[slot] = counts_[slot] = 0;
    } else {
      keys_.assign(capacity, 0);
      counts_.assign(capacity, 0);
    }
    const int shift = text::SlotShift(capacity);
    distinct_slots_.resize(total);
    firsts_.resize(total);
    uint64_t window = 0;  // ids[i .. i+n-2] at bits, 2 bits, ...: the next shift drops ids[i-1]
    for (size_t k = 0; k + 1 < n; ++k) window |= uint64_t{ids[k]} << ((k + 1) * bits);
    const size_t top = (n - 1) * bits;
    size_t distinct = 0;
    for (size_t i = 0; i < total; ++i) {
      window = (window >> bits) | (uint64_t{ids[i + n - 1]} << top);
      const uint64_t key = window | (uint64_t{1} << 63);
      const size_t slot = text::FindWord(keys_, shift, key);
      const bool is_new = text::Opaque(keys_[slot] == 0);
      keys_[slot] = key;
      ++counts_[slot];
      distinct_slots_[distinct] = static_cast<uint32_t>(slot);
      firsts_[distinct] = static_cast<uint32_t>(i);
      distinct += is_new;
    }
    distinct_.resize(distinct);
    distinct_slots_.resize(distinct);
    for (size_t d = 0; d < distinct; ++d) distinct_[d] = NgramCount{counts_[distinct_slots_[d]], firsts_[d]};
  }

  // Any n: an n-gram is keyed by its start, and equal hashes are confirmed by
  // comparing the id sequences.
  void CountBySequence(const std::vector<uint32_t>& ids, size_t n, size_t total) {
    const size_t capacity = text::SlotCount(total);
    const size_t mask = capacity - 1;
    const int shift = text::SlotShift(capacity);
    std::vector<uint32_t>& slots = sequence_slots_;  // 1 + index into distinct_, 0 when free
    slots.assign(capacity, 0);
    distinct_.clear();
    for (size_t i = 0; i < total; ++i) {
      uint64_t hash = 0x9E3779B97F4A7C15ull;
      for (size_t k = 0; k < n; ++k) hash = (hash ^ ids[i + k]) * 0x100000001B3ull;
      size_t slot = text::HomeSlot(hash, shift);
      while (slots[slot] != 0) {
        const NgramCount& seen = distinct_[slots[slot] - 1];
        if (std::equal(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.begin() + static_cast<std::ptrdiff_t>(i + n),
                       ids.begin() + static_cast<std::ptrdiff_t>(seen.first))) {
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (slots[slot] == 0) {
        distinct_.push_back(NgramCount{0, i});
        slots[slot] = static_cast<uint32_t>(distinct_.size());
      }
      ++distinct_[slots[slot] - 1].count;
    }
  }

  std::vector<NgramCount> distinct_;
  // CountPacked: keys_[slot] is the n-gram's key (0 when free), counts_[slot] its count.
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_;
  std::vector<uint32_t> distinct_slots_;  // the slot of each distinct n-gram
  std::vector<uint32_t> firsts_;          // the first position of each distinct n-gram
  // CountBySequence
  std::vector<uint32_t> sequence_slots_;
};

class NgramRepetitionReward final : public PointwiseReward {
 public:
  explicit NgramRepetitionReward(const Params& params)
      : PointwiseReward(params.GetString("name")),
        n_(params.GetInt("n")),
        penalty_threshold_(params.GetDouble("penalty_threshold")),
        penalty_rate_(params.GetDouble("penalty_rate")),
        use_soft_penalty_(params.GetBool("use_soft_penalty")),
        max_penalty_(params.GetDouble("max_penalty")),
        min_scaling_(params.GetDouble("min_scaling")),
        analyze_scope_(params.GetString("analyze_scope")),
        tokenizer_(SelectedTokenizer(params)) {
    if (n_ < 1) throw RegistryError("parameter 'n' of reward 'ngram_repetition_penalty' must be at least 1");
    if (use_soft_penalty_ && max_penalty_ > 0) {
      throw RegistryError(
          "parameter 'max_penalty' of reward 'ngram_repetition_penalty' must be <= 0 "
          "with use_soft_penalty (it is added as a penalty)");
    }
  }

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    RewardResult result;
    std::string_view text = output.answer.content;
    std::string thoughts;
    if (analyze_scope_ == "thought") {
      const auto bodies = TagBodies(output.answer.content, "<think>", "</think>");
      if (bodies.empty()) {
        result.details.push_back({name(), 0.0, "No thought process found to analyze", nullptr});
        result.extra_data =
            JsonObjectBuilder(2).Add("analyze_scope", analyze_scope_).Add("text_to_analyze", "").Build();
        return result;
      }
      for (size_t i = 0; i < bodies.size(); ++i) {
        if (i > 0) thoughts += ' ';
        thoughts += bodies[i];
      }
      text = thoughts;
    }
    struct Scratch {
      std::string storage;
      std::vector<std::string_view> tokens;
      std::vector<uint32_t> ids;
      text::TokenSet vocabulary;
      NgramCounter ngrams;
    };
    thread_local Scratch scratch;
    const ScratchReset reset(scratch, text.size());
    const std::vector<std::string_view>& tokens = scratch.tokens;
    TokenizeStrippedLower(*tokenizer_, text, &scratch.storage, &scratch.tokens);
    const size_t n = static_cast<size_t>(n_);
    if (tokens.size() < n) {
      result.details.push_back({name(), 0.0, "Text too short for " + std::to_string(n) + "-gram analysis", nullptr});
      result.extra_data = JsonObjectBuilder(4)
                              .Add("token_count", tokens.size())
                              .Add("n", n)
                              .Add("analyze_scope", analyze_scope_)
                              .Add("tokenizer_type", tokenizer_->name())
                              .Build();
      return result;
    }
    deadline.Check();
    scratch.vocabulary.Assign(tokens, scratch.storage, &scratch.ids);
    const size_t total = tokens.size() - n + 1;
    const std::vector<NgramCount>& counts = scratch.ngrams.Count(scratch.ids, scratch.vocabulary.id_limit(), n, total);
    const double rate = 1.0 - static_cast<double>(counts.size()) / static_cast<double>(total);
    const double penalty = Penalty(rate);
    result.details.push_back({name(), penalty,
                              std::to_string(n) + "-gram repetition rate: " + FormatFixed(rate, 3) +
                                  ", penalty: " + FormatFixed(penalty, 3) + " (" +
                                  (use_soft_penalty_ ? "soft" : "hard") + " penalty, " +
                                  std::string(tokenizer_->name()) + " tokenizer, scope: " + analyze_scope_ + ")",
                              nullptr});
    result.extra_data = JsonObjectBuilder(9)
                            .Add("repetition_rate", rate)
                            .Add("unique_ngrams", counts.size())
                            .Add("total_ngrams", total)
                            .Add("penalty", penalty)
                            .Add("most_common_ngrams", MostCommon(counts, tokens, 5))
                            .Add("analyze_scope", analyze_scope_)
                            .Add("tokenizer_type", tokenizer_->name())
                            .Add("use_soft_penalty", use_soft_penalty_)
                            .Add("penalty_mode", use_soft_penalty_ ? "soft" : "hard")
                            .Build();
    return result;
  }

 private:
  double Penalty(double rate) const {
    if (!use_soft_penalty_) return rate > penalty_threshold_ ? -(rate - penalty_threshold_) * penalty_rate_ : 0.0;
    double scaled = rate;  // RM-Gallery leaves rate == min_scaling unscaled
    if (rate < min_scaling_) {
      scaled = 0.0;
    } else if (rate > min_scaling_) {
      scaled = (rate - min_scaling_) / (1.0 - min_scaling_);
    }
    return scaled * max_penalty_;
  }

  // Counter.most_common(k): by count, ties in order of first appearance. One pass
  // keeps the best k so far; a later n-gram with an equal count ranks below.
  Json MostCommon(const std::vector<NgramCount>& counts, const std::vector<std::string_view>& tokens, size_t k) const {
    std::vector<const NgramCount*> ranked;
    ranked.reserve(k + 1);
    for (const NgramCount& c : counts) {
      if (ranked.size() == k && (k == 0 || c.count <= ranked.back()->count)) continue;
      auto at = ranked.end();
      while (at != ranked.begin() && (*(at - 1))->count < c.count) --at;
      ranked.insert(at, &c);
      if (ranked.size() > k) ranked.pop_back();
    }
    const size_t top = ranked.size();
    Json list = Json::array();
    list.get_ref<Json::array_t&>().reserve(top);
    for (size_t r = 0; r < top; ++r) {
      Json ngram = Json::array();
      ngram.get_ref<Json::array_t&>().reserve(static_cast<size_t>(n_));
      for (size_t t = 0; t < static_cast<size_t>(n_); ++t) ngram.push_back(tokens[ranked[r]->first + t]);
      list.push_back(Json::array({std::move(ngram), ranked[r]->count}));
    }
    return list;
  }

  int64_t n_;
  double penalty_threshold_;
  double penalty_rate_;
  bool use_soft_penalty_;
  double max_penalty_;
  double min_scaling_;
  std::string analyze_scope_;
  std::shared_ptr<const Tokenizer> tokenizer_;
};

}  // namespace

RewardSpec NgramRepetitionSpec() {
  RewardSpec spec;
  spec.name = "ngram_repetition_penalty";
  spec.description = "Penalty for repeated token n-grams in the response or its <think> parts";
  spec.params = {
      {"n", ParamType::kInt, 3, "n-gram size", {}},
      {"penalty_threshold", ParamType::kDouble, 0.3, "hard mode: repetition rate above which to penalise", {}},
      {"penalty_rate", ParamType::kDouble, 1.0, "hard mode: penalty per unit of rate above the threshold", {}},
      {"use_soft_penalty", ParamType::kBool, false, "soft mode: penalty scales with the rate", {}},
      {"max_penalty", ParamType::kDouble, -1.0, "soft mode: penalty at rate 1 (must be <= 0)", {}},
      {"min_scaling", ParamType::kDouble, 0.0, "soft mode: rate below which there is no penalty", {}},
      {"analyze_scope", ParamType::kString, "full", "full text, or only the <think> parts", {"full", "thought"}},
  };
  for (ParamSpec& p : TokenizerParams("tiktoken")) spec.params.push_back(std::move(p));
  spec.factory = [](const Params& p) { return std::make_unique<NgramRepetitionReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
