// ngram_repetition_penalty: penalises responses (or their <think> parts) whose
// token n-grams repeat.
#include <algorithm>

#include "core/thread_scratch.h"
#include "gallery/format/format.h"
#include "gallery/format/tags.h"
#include "gallery/python_format.h"
#include "gallery/tokenizer_param.h"
#include "text/ngram_counter.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

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
      for (size_t i = 0; i < bodies.size(); ++i) {
        if (i > 0) thoughts += ' ';
        thoughts += bodies[i];
      }
      // RM-Gallery tests the joined text: one empty <think></think> is no thought either.
      if (thoughts.empty()) {
        result.details.push_back({name(), 0.0, "No thought process found to analyze", nullptr});
        result.extra_data =
            JsonObjectBuilder(2).Add("analyze_scope", analyze_scope_).Add("text_to_analyze", "").Build();
        return result;
      }
      text = thoughts;
    }
    struct Scratch {
      std::string storage;
      std::vector<std::string_view> tokens;
      text::NgramCounter ngrams;
    };
    thread_local Scratch scratch;
    const ScratchReset reset(scratch, text.size());
    const std::vector<std::string_view>& tokens = scratch.tokens;
    // RM-Gallery lower-cases the text for every tokenizer but jieba.
    if (tokenizer_->name() == "jieba") {
      TokenizeStripped(*tokenizer_, text, &scratch.storage, &scratch.tokens, deadline);
    } else {
      TokenizeStrippedLower(*tokenizer_, text, &scratch.storage, &scratch.tokens, deadline);
    }
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
    const size_t total = tokens.size() - n + 1;
    const std::vector<text::NgramCount>& counts = scratch.ngrams.Count(tokens, scratch.storage, n, deadline);
    const double rate = 1.0 - static_cast<double>(counts.size()) / static_cast<double>(total);
    const double penalty = Penalty(rate);
    std::string reason = std::to_string(n);
    reason.reserve(100 + analyze_scope_.size());
    reason.append("-gram repetition rate: ").append(FormatFixed(rate, 3));
    reason.append(", penalty: ").append(FormatFixed(penalty, 3));
    reason.append(use_soft_penalty_ ? " (soft penalty, " : " (hard penalty, ").append(tokenizer_->name());
    reason.append(" tokenizer, scope: ").append(analyze_scope_).append(")");
    result.details.push_back({name(), penalty, std::move(reason), nullptr});
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
  Json MostCommon(const std::vector<text::NgramCount>& counts, const std::vector<std::string_view>& tokens,
                  size_t k) const {
    Json list = Json::array();
    if (k == 0) return list;
    std::vector<const text::NgramCount*> ranked;
    ranked.reserve(k + 1);
    size_t floor = 0;  // once k are ranked, the count an n-gram must beat to enter
    for (const text::NgramCount& c : counts) {
      if (c.count <= floor) continue;
      auto at = ranked.end();
      while (at != ranked.begin() && (*(at - 1))->count < c.count) --at;
      ranked.insert(at, &c);
      if (ranked.size() > k) ranked.pop_back();
      if (ranked.size() == k) floor = ranked.back()->count;
    }
    const size_t top = ranked.size();
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
      {"n", ParamType::kInt, 3, "n-gram size", {}, 1},
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
