// bleu (each output against its references) and corpus_bleu (all outputs of a
// sample as one corpus): sacreBLEU-compatible BLEU, reported in [0, 1].
#include <algorithm>

#include "gallery/general/general.h"
#include "gallery/general/references.h"
#include "gallery/python_format.h"
#include "text/bleu.h"

namespace rmg::gallery {
namespace {

// `reward` is the registry name, for the error message.
text::BleuOptions BleuOptionsFrom(const Params& params, const std::string& reward) {
  text::BleuOptions options;
  options.tokenize = text::ParseBleuTokenize(params.GetString("tokenize"));
  options.smooth = text::ParseBleuSmooth(params.GetString("smooth_method"));
  if (!params.Get("smooth_value").is_null()) options.smooth_value = params.GetDouble("smooth_value");
  // A floor above 1 makes a precision with no match larger than 100% (sacreBLEU scores
  // "a b" against "a c" 158.11 with floor 5), and the score would leave [0, 1].
  if (options.smooth == text::BleuSmooth::kFloor && options.smooth_value && *options.smooth_value > 1) {
    throw RegistryError("parameter 'smooth_value' of reward '" + reward +
                        "' must be at most 1 with smooth_method=floor, got " + params.Get("smooth_value").dump());
  }
  options.lowercase = params.GetBool("lowercase");
  options.use_effective_order = params.GetBool("use_effective_order");
  options.max_ngram_order = static_cast<int>(params.GetInt("max_ngram_order"));
  return options;
}

// BLEU on the 0..1 scale. The geometric mean of sacreBLEU's arithmetic can come out
// a hair above 100 (100.00000000000004 for a text equal to its reference); the
// smoothing values allowed keep it from coming out further above.
double UnitScore(const text::BleuScore& bleu) { return std::min(1.0, bleu.score / 100.0); }

std::string Reason(const text::BleuScore& bleu) {
  std::string precisions;
  for (double p : bleu.precisions) {
    if (!precisions.empty()) precisions += '/';
    precisions += FormatFixed(p, 1);
  }
  return "BLEU score: " + FormatFixed(UnitScore(bleu), 3) + " (brevity penalty " +
         FormatFixed(bleu.brevity_penalty, 3) + ", n-gram precisions " + precisions + ")";
}

Json ExtraData(const text::BleuScore& bleu) {
  return {{"bleu", UnitScore(bleu)},
          {"precisions", bleu.precisions},
          {"brevity_penalty", bleu.brevity_penalty},
          {"hyp_len", bleu.stats.hyp_len},
          {"ref_len", bleu.stats.ref_len},
          {"counts", bleu.stats.correct},
          {"totals", bleu.stats.total}};
}

class SentenceBleuReward final : public PointwiseReward {
 public:
  explicit SentenceBleuReward(const Params& params)
      : PointwiseReward(params.GetString("name")), options_(BleuOptionsFrom(params, "bleu")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    const std::vector<std::string_view> references = LabelReferences(output.answer);
    const text::BleuScore bleu = text::SentenceBleu(output.answer.content, references, options_, deadline);
    RewardResult result;
    result.details.push_back({name(), UnitScore(bleu), Reason(bleu), nullptr});
    result.extra_data = ExtraData(bleu);
    return result;
  }

 private:
  text::BleuOptions options_;
};

class CorpusBleuReward final : public ListwiseReward {
 public:
  explicit CorpusBleuReward(const Params& params)
      : ListwiseReward(params.GetString("name")), options_(BleuOptionsFrom(params, "corpus_bleu")) {}

  RankResult EvaluateList(const DataSample& sample, const Deadline& deadline) const override {
    text::BleuStats total;
    for (const DataOutput& output : sample.output) {
      deadline.Check();
      const std::vector<std::string_view> references = LabelReferences(output.answer);
      total += text::BleuSegmentStats(output.answer.content, references, options_, deadline);
    }
    const text::BleuScore bleu = text::BleuFromStats(total, options_);
    RankResult result;
    result.details.push_back({name(), Reason(bleu), std::vector<double>(sample.output.size(), UnitScore(bleu))});
    result.extra_data = ExtraData(bleu);
    return result;
  }

 private:
  text::BleuOptions options_;
};

std::vector<ParamSpec> BleuParams(bool sentence_level) {
  return {
      {"tokenize", ParamType::kString, "13a", "sacreBLEU tokenizer", {"13a", "none", "intl", "char", "zh"}},
      {"smooth_method", ParamType::kString, "exp", "smoothing", {"exp", "floor", "add-k", "none"}},
      {"smooth_value",
       ParamType::kDouble,
       nullptr,
       "smoothing value (floor: 0.1, at most 1; add-k: 1 when unset)",
       {},
       0},
      {"lowercase", ParamType::kBool, false, "lower-case before scoring", {}},
      {"use_effective_order", ParamType::kBool, sentence_level, "average only over orders with n-grams", {}},
      {"max_ngram_order", ParamType::kInt, 4, "largest n-gram order", {}, 1, 64},
  };
}

}  // namespace

RewardSpec BleuSpec() {
  RewardSpec spec;
  spec.name = "bleu";
  spec.description = "sacreBLEU sentence BLEU (0-1) of each output against label.references or label.reference";
  spec.params = BleuParams(/*sentence_level=*/true);
  spec.factory = [](const Params& p) { return std::make_unique<SentenceBleuReward>(p); };
  return spec;
}

RewardSpec CorpusBleuSpec() {
  RewardSpec spec;
  spec.name = "corpus_bleu";
  spec.family = RewardFamily::kListwise;
  spec.description = "sacreBLEU corpus BLEU (0-1) of all outputs of a sample, given to each of them";
  spec.params = BleuParams(/*sentence_level=*/false);
  spec.factory = [](const Params& p) { return std::make_unique<CorpusBleuReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
