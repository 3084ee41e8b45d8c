// Template judges (Level 2): a user's prompt file with placeholders, declared
// output fields and a score rule (src/llm/template_file.h), as a reward.
#include "gallery/alignment/alignment.h"
#include "llm/output_schema.h"
#include "llm/template_file.h"
#include "rmg/llm_judges.h"

namespace rmg::gallery {
namespace {

class TemplateFormat final : public llm::JudgeFormat {
 public:
  TemplateFormat(RewardFamily family, llm::JudgeTemplate judge) : family_(family), template_(std::move(judge)) {}

  RewardFamily family() const override { return family_; }

  std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>& shown,
                     bool enable_thinking) const override {
    const JudgeSampleText text = ReadJudgeSampleText(sample);
    llm::TemplateValues values;
    values.query = text.query;
    values.context = text.context;
    values.reference = shown.empty() ? "" : ReferenceOf(*shown[0]);
    values.answers = ShownAnswers(shown);
    values.enable_thinking = enable_thinking;
    return llm::RenderTemplate(template_, values);
  }

  std::optional<std::string> Read(const llm::JudgeReply& reply, size_t shown_count,
                                  llm::Verdict* verdict) const override {
    return ToVerdict(llm::InterpretTemplateReply(template_, llm::ParseOutputTags(reply.answer), shown_count), family_,
                     reply, verdict);
  }

 private:
  RewardFamily family_;
  llm::JudgeTemplate template_;
};

}  // namespace
}  // namespace rmg::gallery

namespace rmg {

void RegisterTemplateJudge(RewardRegistry& registry, const std::string& path) {
  llm::JudgeTemplate judge = llm::LoadJudgeTemplate(path);
  const RewardFamily family = gallery::JudgeFamily(judge.mode, path);
  RewardSpec spec = gallery::JudgeRewardSpec(
      judge.name, family, judge.description.empty() ? "template judge from " + path : judge.description);
  spec.factory = [judge, family](const Params& params) {
    return gallery::MakeJudgeReward(params, std::make_unique<gallery::TemplateFormat>(family, judge));
  };
  try {
    registry.Register(std::move(spec));
  } catch (const RegistryError& e) {  // a name taken by a built-in reward or an earlier file
    throw RegistryError(path + ": " + e.what());
  }
}

}  // namespace rmg
