// f1_score: F1 between the token sets of the response and the reference.
#include <algorithm>
#include <unordered_set>

#include "gallery/general/general.h"
#include "gallery/python_format.h"
#include "gallery/tokenizer_param.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

Json SortedList(const std::unordered_set<std::string_view>& tokens) {
  std::vector<std::string_view> sorted(tokens.begin(), tokens.end());
  std::sort(sorted.begin(), sorted.end());
  Json list = Json::array();
  for (std::string_view token : sorted) list.push_back(token);
  return list;
}

class F1ScoreReward final : public PointwiseReward {
 public:
  explicit F1ScoreReward(const Params& params)
      : PointwiseReward(params.GetString("name")), tokenizer_(SelectedTokenizer(params)) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    const std::vector<std::string> generated_tokens =
        tokenizer_->Tokenize(text::LowerUtf8(text::StripPythonSpace(output.answer.content)));
    std::string scratch;  // holds a non-string reference as JSON text
    const std::vector<std::string> reference_tokens =
        tokenizer_->Tokenize(text::LowerUtf8(text::StripPythonSpace(LabelReference(output.answer, &scratch))));
    const std::unordered_set<std::string_view> generated(generated_tokens.begin(), generated_tokens.end());
    const std::unordered_set<std::string_view> reference(reference_tokens.begin(), reference_tokens.end());
    double precision = 0.0, recall = 0.0, f1 = 0.0;
    if (generated.empty() && reference.empty()) {
      precision = recall = f1 = 1.0;
    } else if (!generated.empty() && !reference.empty()) {
      size_t common = 0;
      for (std::string_view token : generated) common += reference.count(token);
      precision = static_cast<double>(common) / static_cast<double>(generated.size());
      recall = static_cast<double>(common) / static_cast<double>(reference.size());
      f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    }
    RewardResult result;
    result.details.push_back({name(), f1,
                              "F1 score: " + FormatFixed(f1, 3) + " (Precision: " + FormatFixed(precision, 3) +
                                  ", Recall: " + FormatFixed(recall, 3) + ")",
                              nullptr});
    result.extra_data = JsonObjectBuilder(7)
                                .Add("f1_score", f1)
                                .Add("precision", precision)
                                .Add("recall", recall)
                                .Add("generated_tokens", SortedList(generated))
                                .Add("reference_tokens", SortedList(reference))
                                .Add("tokenizer_type", tokenizer_->name())
                                .Add("tokenizer_name", tokenizer_->name() == "tiktoken" ? "cl100k_base" : tokenizer_->name())
                                .Build();
    return result;
  }

 private:
  std::shared_ptr<const Tokenizer> tokenizer_;
};

}  // namespace

RewardSpec F1ScoreSpec() {
  RewardSpec spec;
  spec.name = "f1_score";
  spec.description = "F1 between the token sets of the response and label.reference";
  spec.params = TokenizerParams("tiktoken");
  spec.factory = [](const Params& p) { return std::make_unique<F1ScoreReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
