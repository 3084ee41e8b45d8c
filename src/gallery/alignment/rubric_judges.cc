// Rubric judges (RM-Gallery's Rubric-Critic-Score rewards): the built-in catalogue
// of src/gallery/alignment/judges.yaml, rmg's pairwise 3H judges, and users' own
// rubric files (Level 1). One JudgeFormat renders RM-Gallery's rubric prompts and
// reads <violation>, <best> or <preference>.
#include <stdexcept>

#include "gallery/alignment/alignment.h"
#include "llm/judge_catalog.h"
#include "llm/judgment.h"
#include "llm/output_schema.h"
#include "llm/rubric_prompt.h"
#include "rmg/llm_judges.h"

namespace rmg::gallery {
namespace {

class RubricFormat final : public llm::JudgeFormat {
 public:
  RubricFormat(RewardFamily family, llm::RubricJudgeSpec spec) : family_(family), spec_(std::move(spec)) {}

  RewardFamily family() const override { return family_; }

  std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>& shown,
                     bool enable_thinking) const override {
    // RM-Gallery's rubric judges read input[-1]; judging answers to no question is no verdict.
    if (sample.input.empty()) throw std::invalid_argument("the sample has no input messages: no query to judge by");
    const JudgeSampleText text = ReadJudgeSampleText(sample);
    llm::RubricPromptInput input;
    input.desc = spec_.desc;
    input.scenario = spec_.scenario;
    input.rubrics = spec_.rubrics;
    input.examples = spec_.examples;
    input.query = text.query;
    input.context = text.context;
    input.answers = ShownAnswers(shown);
    switch (family_) {
      case RewardFamily::kPointwise: return llm::RenderRubricPointwise(input, enable_thinking);
      case RewardFamily::kListwise: return llm::RenderRubricListwise(input, enable_thinking);
      default:
        input.reference = ReferenceOf(*shown.at(0));
        return llm::RenderRubricPairwise(input, enable_thinking);
    }
  }

  std::optional<std::string> Read(const llm::JudgeReply& reply, size_t shown_count,
                                  llm::Verdict* verdict) const override {
    const llm::ReplyTags tags = llm::ParseOutputTags(reply.answer);
    llm::Judgment judgment;
    switch (family_) {
      case RewardFamily::kPointwise: judgment = llm::InterpretViolations(tags, spec_.rubrics); break;
      case RewardFamily::kListwise: judgment = llm::InterpretBest(tags, shown_count); break;
      default: judgment = llm::InterpretPreference(tags); break;
    }
    return ToVerdict(judgment, family_, reply, verdict);
  }

 private:
  RewardFamily family_;
  llm::RubricJudgeSpec spec_;
};

// A reward spec for the rubric judge `judge`; its text can be overridden by the
// parameters scenario, rubrics, examples and desc, as RM-Gallery's fields can.
RewardSpec RubricJudgeRewardSpec(const llm::RubricJudgeSpec& judge, const std::string& origin) {
  const RewardFamily family = JudgeFamily(judge.mode, origin);
  RewardSpec spec = JudgeRewardSpec(
      judge.name, family, judge.description.empty() ? "rubric judge (" + judge.mode + ")" : judge.description);
  spec.params.push_back({"scenario", ParamType::kString, judge.scenario, "the # Scenario text", {}});
  Json rubrics = judge.rubrics;
  spec.params.push_back({"rubrics", ParamType::kStringList, rubrics, "the # Rubrics, most important first", {}});
  Json examples = judge.examples;
  spec.params.push_back({"examples", ParamType::kStringList, examples, "the # Examples", {}});
  spec.params.push_back({"desc", ParamType::kString, judge.desc, "the # Task Description text", {}});
  spec.factory = [judge, family](const Params& params) {
    llm::RubricJudgeSpec configured = judge;
    configured.scenario = params.GetString("scenario");
    configured.rubrics = params.GetStringList("rubrics");
    configured.examples = params.GetStringList("examples");
    configured.desc = params.GetString("desc");
    return MakeJudgeReward(params, std::make_unique<RubricFormat>(family, std::move(configured)));
  };
  return spec;
}

void RegisterWithAliases(RewardRegistry& registry, const llm::RubricJudgeSpec& judge, const std::string& origin) {
  registry.Register(RubricJudgeRewardSpec(judge, origin));
  for (const std::string& alias : judge.aliases) registry.RegisterAlias(alias, judge.name);
}

}  // namespace

void RegisterAlignmentJudges(RewardRegistry& registry) {
  for (const llm::RubricJudgeSpec& judge : llm::BuiltinRubricJudges()) {
    RegisterWithAliases(registry, judge, "judges.yaml");
    // rmg adds a pairwise form of each base 3H judge: same scenario and rubrics, A/B/tie verdicts.
    const std::string listwise_suffix = "_listwise";
    if (judge.name.rfind("base_", 0) == 0 && judge.name.size() > listwise_suffix.size() &&
        judge.name.compare(judge.name.size() - listwise_suffix.size(), listwise_suffix.size(), listwise_suffix) == 0) {
      llm::RubricJudgeSpec pairwise = judge;
      pairwise.name = judge.name.substr(0, judge.name.size() - listwise_suffix.size()) + "_pairwise";
      pairwise.mode = "pairwise";
      pairwise.desc = llm::BuiltinDescription("PW");
      pairwise.aliases.clear();
      pairwise.description = "rmg's pairwise form of " + judge.name + ": A, B or tie per pair";
      RegisterWithAliases(registry, pairwise, "judges.yaml");
    }
  }
  for (RewardSpec& spec : PrometheusSpecs()) registry.Register(std::move(spec));
}

}  // namespace rmg::gallery

namespace rmg {

void RegisterRubricJudge(RewardRegistry& registry, const Json& description, const std::string& origin) {
  const llm::RubricJudgeSpec judge = llm::ParseRubricJudgeSpec(description, origin);
  try {
    gallery::RegisterWithAliases(registry, judge, origin);
  } catch (const RegistryError& e) {  // a name taken by a built-in reward or an earlier file
    throw RegistryError(origin + ": " + e.what());
  }
}

}  // namespace rmg
