// LLM-as-judge rewards (RM-Gallery's gallery/rm/alignment/ and more): the rubric
// judges of the embedded catalogue (3H, the scenario judges, safety, factuality),
// rmg's pairwise 3H judges, Prometheus-style graders, and the registration of
// users' rubric (Level 1) and template (Level 2) judges.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llm/judge_reward.h"
#include "llm/judgment.h"
#include "rmg/registry.h"

namespace rmg::gallery {

// Registers every built-in judge and its aliases.
void RegisterAlignmentJudges(RewardRegistry& registry);

// What rubric and template prompts read from a sample.
struct JudgeSampleText {
  std::string query;    // RM-Gallery's format_messages(sample.input)
  std::string context;  // input[-1].additional_kwargs["context"], "" if none or null
};
// Throws std::invalid_argument for a context that is neither a string nor null.
JudgeSampleText ReadJudgeSampleText(const DataSample& sample);

// The contents of the shown outputs, in the order shown.
std::vector<std::string> ShownAnswers(const std::vector<const DataOutput*>& shown);

// A judgment of the reply as a verdict (pointwise: its score; else its rank), with
// the reply's thinking as the reason when it gave none; the judgment's error if it failed.
std::optional<std::string> ToVerdict(const llm::Judgment& judgment, RewardFamily family, const llm::JudgeReply& reply,
                                     llm::Verdict* verdict);

// `answer.label.reference` when it is a string, else "".
std::string ReferenceOf(const DataOutput& output);

// The parameters of every judge: the shared LLM ones plus, by family, shuffle and
// seed (listwise) or both_orders (pairwise).
std::vector<ParamSpec> JudgeParamSpecs(RewardFamily family);

// The registry entry of an LLM judge, without its factory: kind "llm", the
// family's judge parameters; callers add their own parameters and the factory.
RewardSpec JudgeRewardSpec(const std::string& name, RewardFamily family, std::string description);

// Builds a JudgeReward named by the `name` parameter from `format` and the judge parameters.
std::unique_ptr<RewardModel> MakeJudgeReward(const Params& params, std::unique_ptr<llm::JudgeFormat> format);

// "pointwise" | "listwise" | "pairwise" -> the family. Throws std::runtime_error otherwise.
RewardFamily JudgeFamily(const std::string& mode, const std::string& origin);

std::vector<RewardSpec> PrometheusSpecs();  // prometheus_absolute, prometheus_relative

}  // namespace rmg::gallery
