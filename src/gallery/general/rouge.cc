// rouge: ROUGE F-measure of the response against the reference. RM-Gallery's
// RougeReward is ROUGE-L over whitespace tokens of the lower-cased texts; rmg adds
// the other variants, Porter stemming and a choice of tokenizer, defaulting to
// "unicode" so that punctuation does not glue to words and CJK text is not empty.
#include "gallery/general/general.h"
#include "gallery/python_format.h"
#include "gallery/tokenizer_param.h"
#include "text/rouge.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

struct Variant {
  const char* name;    // rouge-score's type name
  const char* label;   // as written in the reason: "ROUGE-L"
  const char* key;     // extra_data key of the F-measure
};

constexpr Variant kVariants[] = {{"rouge1", "ROUGE-1", "rouge_1"},
                                 {"rouge2", "ROUGE-2", "rouge_2"},
                                 {"rougeL", "ROUGE-L", "rouge_l"},
                                 {"rougeLsum", "ROUGE-Lsum", "rouge_lsum"}};

const Variant& FindVariant(const std::string& name) {
  for (const Variant& v : kVariants) {
    if (name == v.name) return v;
  }
  throw std::invalid_argument("unknown ROUGE variant " + name);
}

std::vector<std::string_view> Views(const std::vector<std::string>& tokens) {
  return std::vector<std::string_view>(tokens.begin(), tokens.end());
}

class RougeReward final : public PointwiseReward {
 public:
  explicit RougeReward(const Params& params)
      : PointwiseReward(params.GetString("name")),
        variant_(FindVariant(params.GetString("variant"))),
        use_stemmer_(params.GetBool("use_stemmer")),
        tokenizer_(SelectedTokenizer(params)) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    const std::string generated = text::LowerUtf8(text::StripPythonSpace(output.answer.content));
    std::string scratch;  // holds a non-string reference as JSON text
    const std::string reference = text::LowerUtf8(text::StripPythonSpace(LabelReference(output.answer, &scratch)));
    const std::vector<std::string> gen_tokens = text::RougeTokenize(generated, *tokenizer_, use_stemmer_, deadline);
    const std::vector<std::string> ref_tokens = text::RougeTokenize(reference, *tokenizer_, use_stemmer_, deadline);
    text::RougeScore score;
    size_t lcs_length = 0;
    // RM-Gallery: two empty texts agree completely. Texts that are not empty but have
    // no tokens (Chinese for rouge-score's tokenizer, emoji or punctuation for any)
    // score 0, as in rouge-score: two different Chinese answers must not agree.
    if (generated.empty() && reference.empty()) {
      score = {1.0, 1.0, 1.0};
    } else if (!gen_tokens.empty() && !ref_tokens.empty()) {
      const std::string name = variant_.name;
      if (name == "rougeL") {
        lcs_length = text::LcsLength(Views(ref_tokens), Views(gen_tokens), deadline);
        score.precision = static_cast<double>(lcs_length) / static_cast<double>(gen_tokens.size());
        score.recall = static_cast<double>(lcs_length) / static_cast<double>(ref_tokens.size());
        score.fmeasure = text::RougeFMeasure(score.precision, score.recall);
      } else if (name == "rougeLsum") {
        score = text::RougeLsum(text::RougeTokenizeSentences(reference, *tokenizer_, use_stemmer_, deadline),
                                text::RougeTokenizeSentences(generated, *tokenizer_, use_stemmer_, deadline), deadline);
      } else {
        score = text::RougeN(ref_tokens, gen_tokens, name == "rouge1" ? 1 : 2, deadline);
      }
    }
    RewardResult result;
    result.details.push_back(
        {this->name(), score.fmeasure, std::string(variant_.label) + " score: " + FormatFixed(score.fmeasure, 3), nullptr});
    result.extra_data = JsonObjectBuilder(5)
                                .Add(variant_.key, score.fmeasure)
                                .Add("precision", score.precision)
                                .Add("recall", score.recall)
                                .Add("generated_length", gen_tokens.size())
                                .Add("reference_length", ref_tokens.size())
                                .Build();
    if (std::string(variant_.name) == "rougeL") result.extra_data["lcs_length"] = lcs_length;
    return result;
  }

 private:
  const Variant& variant_;
  bool use_stemmer_;
  std::shared_ptr<const Tokenizer> tokenizer_;
};

}  // namespace

RewardSpec RougeSpec() {
  RewardSpec spec;
  spec.name = "rouge";
  spec.description = "ROUGE F-measure (rouge1, rouge2, rougeL or rougeLsum) of the response against label.reference";
  spec.params = {
      {"variant", ParamType::kString, "rougeL", "ROUGE type", {"rouge1", "rouge2", "rougeL", "rougeLsum"}},
      {"use_stemmer", ParamType::kBool, false, "Porter-stem tokens longer than 3 characters, as rouge-score", {}},
  };
  for (ParamSpec& p : TokenizerParams("unicode")) spec.params.push_back(std::move(p));
  spec.factory = [](const Params& p) { return std::make_unique<RougeReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
