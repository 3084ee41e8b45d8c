// accuracy: 1 when the response equals the reference after stripping whitespace.
#include "gallery/general/general.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

class AccuracyReward final : public PointwiseReward {
 public:
  explicit AccuracyReward(const Params& params) : PointwiseReward(params.GetString("name")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    const std::string_view generated = text::StripPythonSpace(output.answer.content);
    std::string scratch;  // holds a non-string reference as JSON text
    const std::string_view reference = text::StripPythonSpace(LabelReference(output.answer, &scratch));
    const double score = generated == reference ? 1.0 : 0.0;
    RewardResult result;
    result.details.push_back({name(), score,
                              score == 1.0 ? "Generated content matches reference exactly"
                                           : "Generated content does not match reference exactly",
                              nullptr});
    result.extra_data = JsonObjectBuilder(3)
                                .Add("generated", generated)
                                .Add("reference", reference)
                                .Add("accuracy", score)
                                .Build();
    return result;
  }
};

}  // namespace

RewardSpec AccuracySpec() {
  RewardSpec spec;
  spec.name = "accuracy";
  spec.description = "1 if the response equals label.reference after stripping whitespace, else 0";
  spec.factory = [](const Params& p) { return std::make_unique<AccuracyReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
