// math_verify_reward: 1 when the response's final answer is mathematically equal to
// label.reference (RM-Gallery's MathVerifyReward, on rmg's own verifier).
#include "gallery/math/math.h"
#include "rmg/math_verify.h"
#include "rmg/reward.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

class MathVerifyReward final : public PointwiseReward {
 public:
  explicit MathVerifyReward(const Params& params)
      : PointwiseReward(params.GetString("name")), timeout_score_(params.GetDouble("timeout_score")) {
    options_.float_rounding = static_cast<int>(params.GetInt("float_rounding"));
    options_.strict = params.GetBool("strict");
    options_.allow_set_relation_comp = params.GetBool("allow_set_relation_comp");
    options_.timeout_seconds = params.GetDouble("timeout_seconds");
    if (!(options_.timeout_seconds > 0)) {
      throw RegistryError("parameter 'timeout_seconds' of reward 'math_verify_reward' must be positive");
    }
  }

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    const std::string_view generated = text::StripPythonSpace(output.answer.content);
    std::string scratch;  // holds a non-string reference as JSON text
    const std::string_view reference = text::StripPythonSpace(LabelReference(output.answer, &scratch));
    const MathVerifyResult verdict = VerifyMath(reference, generated, options_, deadline);
    const bool undecided = verdict.timed_out || verdict.too_large;
    const double score = undecided ? timeout_score_ : (verdict.equal ? 1.0 : 0.0);
    // RM-Gallery's reason starts "Parsing failed - " when either side has no answer;
    // code that filters on it keeps working.
    const bool parse_failed =
        !undecided && !verdict.equal && (verdict.gold_extracted.empty() || verdict.prediction_extracted.empty());
    std::string reason = (parse_failed ? "Parsing failed - " : "") + verdict.explanation +
                         " (gold: " + Shown(verdict.gold_extracted) +
                         "; prediction: " + Shown(verdict.prediction_extracted) + ")";
    RewardResult result;
    result.details.push_back({name(), score, std::move(reason), nullptr});
    result.extra_data = JsonObjectBuilder(5)
                                .Add("generated", generated)
                                .Add("reference", reference)
                                .Add("score", score)
                                .Add("gold_extracted", verdict.gold_extracted)
                                .Add("prediction_extracted", verdict.prediction_extracted)
                                .Build();
    return result;
  }

 private:
  static std::string Shown(const std::string& extracted) { return extracted.empty() ? "none" : extracted; }

  MathVerifyOptions options_;
  double timeout_score_;
};

}  // namespace

RewardSpec MathVerifySpec() {
  RewardSpec spec;
  spec.name = "math_verify_reward";
  spec.instance_name = "math_verify";
  spec.description = "1 if the response's final answer is mathematically equal to label.reference";
  spec.params = {
      {"float_rounding", ParamType::kInt, 6, "digits a decimal is rounded to before comparing with an exact value", {}, 0, 50},
      {"strict", ParamType::kBool, true, "symbol names must agree and words stay words", {}},
      {"allow_set_relation_comp", ParamType::kBool, false,
       "relations and sets/intervals compare in both directions (else only a gold relation accepts a set)", {}},
      {"timeout_seconds", ParamType::kDouble, 5.0, "time budget per response", {}},
      {"timeout_score", ParamType::kDouble, 0.0,
       "score when no verdict is reached: out of time, or values too large to compare", {}},
  };
  spec.factory = [](const Params& p) { return std::make_unique<MathVerifyReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
