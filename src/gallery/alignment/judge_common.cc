// What every judge reward shares: the text it reads from a sample, its parameters
// and how a JudgeReward is built from them.
#include <stdexcept>

#include "gallery/alignment/alignment.h"
#include "llm/rubric_prompt.h"

namespace rmg::gallery {

JudgeSampleText ReadJudgeSampleText(const DataSample& sample) {
  JudgeSampleText text;
  text.query = llm::FormatMessages(sample.input);
  if (sample.input.empty()) return text;
  const Json& kwargs = sample.input.back().additional_kwargs;
  if (!kwargs.is_object() || !kwargs.contains("context") || kwargs["context"].is_null()) return text;
  const Json& context = kwargs["context"];
  // Leaving out a context the judge was meant to read (a list of passages, say) would
  // change its verdicts without a word.
  if (!context.is_string()) {
    throw std::invalid_argument("input[-1].additional_kwargs.context must be a string, not " +
                                std::string(context.type_name()));
  }
  text.context = context.get<std::string>();
  return text;
}

std::vector<std::string> ShownAnswers(const std::vector<const DataOutput*>& shown) {
  std::vector<std::string> answers;
  for (const DataOutput* output : shown) answers.push_back(output->answer.content);
  return answers;
}

std::optional<std::string> ToVerdict(const llm::Judgment& judgment, RewardFamily family, const llm::JudgeReply& reply,
                                     llm::Verdict* verdict) {
  if (!judgment.ok) return judgment.error;
  verdict->scores = family == RewardFamily::kPointwise ? std::vector<double>{judgment.score} : judgment.rank;
  // A thinking model's reasoning stands in for a missing <reason>, as RM-Gallery's <think> does.
  verdict->reason = judgment.reason.empty() ? reply.thinking : judgment.reason;
  return std::nullopt;
}

std::string ReferenceOf(const DataOutput& output) {
  const Json& label = output.answer.label;
  if (label.is_object() && label.contains("reference") && label["reference"].is_string()) {
    return label["reference"].get<std::string>();
  }
  return "";
}

std::vector<ParamSpec> JudgeParamSpecs(RewardFamily family) {
  std::vector<ParamSpec> params = llm::LlmParamSpecs();
  if (family == RewardFamily::kListwise) {
    params.push_back({"shuffle", ParamType::kBool, true,
                      "show the answers in a seeded shuffled order (mapped back), against position bias", {}});
    params.push_back({"seed", ParamType::kInt, 42, "seed of the shuffled order (mixed with the sample's unique_id)", {}});
  }
  if (family == RewardFamily::kPairwise) {
    params.push_back({"both_orders", ParamType::kBool, true,
                      "ask each pair as (A, B) and as (B, A) and average, against position bias", {}});
  }
  return params;
}

RewardSpec JudgeRewardSpec(const std::string& name, RewardFamily family, std::string description) {
  RewardSpec spec;
  spec.name = name;
  spec.kind = "llm";
  spec.family = family;
  spec.description = std::move(description);
  spec.instance_name = name;
  spec.params = JudgeParamSpecs(family);
  return spec;
}

std::unique_ptr<RewardModel> MakeJudgeReward(const Params& params, std::unique_ptr<llm::JudgeFormat> format) {
  llm::JudgeOptions options;
  const RewardFamily family = format->family();
  if (family == RewardFamily::kListwise) {
    options.shuffle = params.GetBool("shuffle");
    options.seed = static_cast<uint64_t>(params.GetInt("seed"));
  }
  if (family == RewardFamily::kPairwise) options.both_orders = params.GetBool("both_orders");
  return std::make_unique<llm::JudgeReward>(params.GetString("name"), std::move(format),
                                            llm::ResolveLlmSettings(params), options);
}

RewardFamily JudgeFamily(const std::string& mode, const std::string& origin) {
  if (mode == "pointwise") return RewardFamily::kPointwise;
  if (mode == "listwise") return RewardFamily::kListwise;
  if (mode == "pairwise") return RewardFamily::kPairwise;
  throw std::runtime_error(origin + ": mode: expected pointwise, listwise or pairwise, got '" + mode + "'");
}

}  // namespace rmg::gallery

namespace rmg {

std::unique_ptr<RewardModel> MakeLlmJudge(std::string name, std::unique_ptr<JudgeFormat> format, const Json& params) {
  const RewardFamily family = format->family();
  if (family != RewardFamily::kPointwise && family != RewardFamily::kPairwise && family != RewardFamily::kListwise) {
    throw RegistryError("judge '" + name + "': a judge format is pointwise, pairwise or listwise");
  }
  // A one-entry registry gives the parameters the same checking and defaults as
  // every registered judge.
  RewardRegistry registry;
  RewardSpec spec = gallery::JudgeRewardSpec(name, format->family(), "");
  auto shared_format = std::make_shared<std::unique_ptr<JudgeFormat>>(std::move(format));
  spec.factory = [shared_format](const Params& resolved) {
    return gallery::MakeJudgeReward(resolved, std::move(*shared_format));
  };
  registry.Register(std::move(spec));
  return registry.Create(name, params);
}

}  // namespace rmg
