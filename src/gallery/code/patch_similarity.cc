// code_patch_similarity: difflib.SequenceMatcher(None, generated, reference).ratio()
// over the characters of the stripped response and reference.
#include "gallery/code/code.h"
#include "gallery/python_format.h"
#include "text/sequence_matcher.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

class PatchSimilarityReward final : public PointwiseReward {
 public:
  explicit PatchSimilarityReward(const Params& params) : PointwiseReward(params.GetString("name")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    const std::string_view generated = text::StripPythonSpace(output.answer.content);
    std::string scratch;  // holds a non-string reference as JSON text
    const std::string_view reference = text::StripPythonSpace(LabelReference(output.answer, &scratch));
    std::u32string a, b;
    text::DecodeUtf8To(generated, &a);
    text::DecodeUtf8To(reference, &b);
    text::SequenceMatcher matcher(a, b);
    const double similarity = matcher.Ratio(deadline);
    Json opcodes = Json::array();
    for (const text::Opcode& op : matcher.Opcodes(deadline)) {
      opcodes.push_back(Json::array({text::OpcodeTagName(op.tag), op.i1, op.i2, op.j1, op.j2}));
    }
    RewardResult result;
    result.details.push_back(
        {name(), similarity, "Patch similarity: " + FormatFixed(similarity, 3) + " based on sequence matching", nullptr});
    result.extra_data = JsonObjectBuilder(4)
                                .Add("similarity", similarity)
                                .Add("generated", generated)
                                .Add("reference", reference)
                                .Add("opcodes", std::move(opcodes))
                                .Build();
    return result;
  }
};

}  // namespace

RewardSpec PatchSimilaritySpec() {
  RewardSpec spec;
  spec.name = "code_patch_similarity";
  spec.instance_name = "patch_similarity";
  spec.description = "difflib SequenceMatcher ratio between the response and label.reference";
  spec.factory = [](const Params& p) { return std::make_unique<PatchSimilarityReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
