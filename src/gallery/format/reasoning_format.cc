// reasoning_format: 1 when the response has both <think>...</think> and
// <answer>...</answer> (tag names are parameters).
#include "gallery/format/format.h"
#include "gallery/format/tags.h"

namespace rmg::gallery {
namespace {

class ReasoningFormatReward final : public PointwiseReward {
 public:
  explicit ReasoningFormatReward(const Params& params)
      : PointwiseReward(params.GetString("name")),
        think_token_(params.GetString("think_token")),
        answer_token_(params.GetString("answer_token")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    const std::string& content = output.answer.content;
    const bool has_think = HasTagPair(content, "<" + think_token_ + ">", "</" + think_token_ + ">");
    const bool has_answer = HasTagPair(content, "<" + answer_token_ + ">", "</" + answer_token_ + ">");
    std::string reason;
    if (!has_think) reason = "Missing <" + think_token_ + "></" + think_token_ + "> tags";
    if (!has_answer) {
      if (!reason.empty()) reason += "; ";
      reason += "Missing <" + answer_token_ + "></" + answer_token_ + "> tags";
    }
    if (has_think && has_answer) reason = "All format requirements met";
    const double score = has_think && has_answer ? 1.0 : 0.0;
    RewardResult result;
    result.details.push_back({name(), score, std::move(reason), nullptr});
    result.extra_data = JsonObjectBuilder(5)
                                .Add("has_think_tag", has_think)
                                .Add("has_answer_tag", has_answer)
                                .Add("total_reward", score)
                                .Add("think_token", think_token_)
                                .Add("answer_token", answer_token_)
                                .Build();
    return result;
  }

 private:
  std::string think_token_;
  std::string answer_token_;
};

}  // namespace

RewardSpec ReasoningFormatSpec() {
  RewardSpec spec;
  spec.name = "reasoning_format";
  spec.instance_name = "format_reward";
  spec.description = "1 if the response has <think>...</think> and <answer>...</answer> tags, else 0";
  spec.params = {{"think_token", ParamType::kString, "think", "name of the reasoning tag", {}},
                 {"answer_token", ParamType::kString, "answer", "name of the answer tag", {}}};
  spec.factory = [](const Params& p) { return std::make_unique<ReasoningFormatReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
