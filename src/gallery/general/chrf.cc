// chrf (each output against its references) and corpus_chrf (all outputs of a
// sample as one corpus): sacreBLEU-compatible chrF / chrF++, reported in [0, 1].
#include "gallery/general/general.h"
#include "gallery/general/references.h"
#include "gallery/python_format.h"
#include "text/chrf.h"

namespace rmg::gallery {
namespace {

text::ChrfOptions ChrfOptionsFrom(const Params& params) {
  text::ChrfOptions options;
  options.char_order = static_cast<int>(params.GetInt("char_order"));
  options.word_order = static_cast<int>(params.GetInt("word_order"));
  options.beta = params.GetDouble("beta");
  options.lowercase = params.GetBool("lowercase");
  options.remove_whitespace = !params.GetBool("whitespace");
  options.eps_smoothing = params.GetBool("eps_smoothing");
  return options;
}

std::string MetricName(const text::ChrfOptions& options) {
  return options.word_order > 0 ? "chrF++" : "chrF";
}

class SentenceChrfReward final : public PointwiseReward {
 public:
  explicit SentenceChrfReward(const Params& params)
      : PointwiseReward(params.GetString("name")), options_(ChrfOptionsFrom(params)) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    const std::vector<std::string_view> references = LabelReferences(output.answer);
    const double score = text::SentenceChrf(output.answer.content, references, options_, deadline) / 100.0;
    RewardResult result;
    result.details.push_back({name(), score, MetricName(options_) + " score: " + FormatFixed(score, 3), nullptr});
    result.extra_data = JsonObjectBuilder(1)
                                .Add("chrf", score)
                                .Build();
    return result;
  }

 private:
  text::ChrfOptions options_;
};

class CorpusChrfReward final : public ListwiseReward {
 public:
  explicit CorpusChrfReward(const Params& params)
      : ListwiseReward(params.GetString("name")), options_(ChrfOptionsFrom(params)) {}

  RankResult EvaluateList(const DataSample& sample, const Deadline& deadline) const override {
    text::ChrfStats total;
    for (const DataOutput& output : sample.output) {
      deadline.Check();
      const std::vector<std::string_view> references = LabelReferences(output.answer);
      const text::ChrfStats stats = text::ChrfSegmentStats(output.answer.content, references, options_, deadline);
      if (total.empty()) total.assign(stats.size(), 0);
      for (size_t i = 0; i < stats.size(); ++i) total[i] += stats[i];
    }
    const double score = total.empty() ? 0.0 : text::ChrfFromStats(total, options_) / 100.0;
    RankResult result;
    result.details.push_back({name(), MetricName(options_) + " corpus score: " + FormatFixed(score, 3),
                              std::vector<double>(sample.output.size(), score)});
    result.extra_data = JsonObjectBuilder(1)
                                .Add("chrf", score)
                                .Build();
    return result;
  }

 private:
  text::ChrfOptions options_;
};

std::vector<ParamSpec> ChrfParams() {
  return {
      {"char_order", ParamType::kInt, 6, "largest character n-gram order", {}, 1, 64},
      {"word_order", ParamType::kInt, 0, "largest word n-gram order (2 for chrF++)", {}, 0, 64},
      {"beta", ParamType::kDouble, 2.0, "weight of recall against precision", {}, 0, 1000},
      {"lowercase", ParamType::kBool, false, "lower-case before scoring", {}},
      {"whitespace", ParamType::kBool, false, "keep whitespace in character n-grams", {}},
      {"eps_smoothing", ParamType::kBool, false, "chrF++.py's epsilon smoothing instead of effective order", {}},
  };
}

}  // namespace

RewardSpec ChrfSpec() {
  RewardSpec spec;
  spec.name = "chrf";
  spec.description = "sacreBLEU chrF / chrF++ (0-1) of each output against label.references or label.reference";
  spec.params = ChrfParams();
  spec.factory = [](const Params& p) { return std::make_unique<SentenceChrfReward>(p); };
  return spec;
}

RewardSpec CorpusChrfSpec() {
  RewardSpec spec;
  spec.name = "corpus_chrf";
  spec.family = RewardFamily::kListwise;
  spec.description = "sacreBLEU corpus chrF / chrF++ (0-1) of all outputs of a sample, given to each of them";
  spec.params = ChrfParams();
  spec.factory = [](const Params& p) { return std::make_unique<CorpusChrfReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
