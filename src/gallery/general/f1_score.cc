// f1_score: F1 between the token sets of the response and the reference.

#include "core/thread_scratch.h"
#include "gallery/general/general.h"
#include "gallery/python_format.h"
#include "gallery/tokenizer_param.h"
#include "text/token_set.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

Json TokenList(const text::TokenSet& tokens) {
  Json list = Json::array();
  list.get_ref<Json::array_t&>().reserve(tokens.size());
  for (std::string_view token : tokens.items()) list.push_back(token);
  return list;
}

class F1ScoreReward final : public PointwiseReward {
 public:
  explicit F1ScoreReward(const Params& params)
      : PointwiseReward(params.GetString("name")), tokenizer_(SelectedTokenizer(params)) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    struct Scratch {
      std::string generated_text, reference_text, label;
      std::vector<std::string_view> generated_tokens, reference_tokens;
      text::TokenSet generated, reference;
    };
    thread_local Scratch scratch;
    const std::string_view label_reference = LabelReference(output.answer, &scratch.label);
    const ScratchReset reset(scratch, output.answer.content.size() + label_reference.size());
    TokenizeStrippedLower(*tokenizer_, output.answer.content, &scratch.generated_text, &scratch.generated_tokens,
                          deadline);
    TokenizeStrippedLower(*tokenizer_, label_reference, &scratch.reference_text, &scratch.reference_tokens, deadline);
    deadline.Check();
    scratch.generated.Assign(scratch.generated_tokens, scratch.generated_text);
    scratch.reference.Assign(scratch.reference_tokens, scratch.reference_text);
    const text::TokenSet& generated = scratch.generated;
    const text::TokenSet& reference = scratch.reference;
    double precision = 0.0, recall = 0.0, f1 = 0.0;
    // RM-Gallery scores two empty token sets 1.0. For its tokenizers these are two
    // empty texts, except jieba with chinese_only, where any two texts without Chinese
    // would agree completely; so would two emoji for the unicode tokenizer. Only two
    // empty texts do here; texts without tokens score 0.
    if (generated.empty() && reference.empty() && text::StripPythonSpace(output.answer.content).empty() &&
        text::StripPythonSpace(label_reference).empty()) {
      precision = recall = f1 = 1.0;
    } else if (!generated.empty() && !reference.empty()) {
      const size_t common = generated.CountShared(reference);
      precision = static_cast<double>(common) / static_cast<double>(generated.size());
      recall = static_cast<double>(common) / static_cast<double>(reference.size());
      f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    }
    RewardResult result;
    result.details.push_back({name(), f1,
                              "F1 score: " + FormatFixed(f1, 3) + " (Precision: " + FormatFixed(precision, 3) +
                                  ", Recall: " + FormatFixed(recall, 3) + ")",
                              nullptr});
    result.extra_data =
        JsonObjectBuilder(7)
            .Add("f1_score", f1)
            .Add("precision", precision)
            .Add("recall", recall)
            .Add("generated_tokens", TokenList(generated))
            .Add("reference_tokens", TokenList(reference))
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
