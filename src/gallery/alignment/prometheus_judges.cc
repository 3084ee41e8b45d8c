// Prometheus-style graders (Kim et al., Prometheus 2): absolute grading of one
// response on a 1-5 score rubric, and relative grading of two responses, each
// ending its feedback with "[RESULT] …".
#include <cctype>
#include <stdexcept>

#include "gallery/alignment/alignment.h"
#include "llm/rubric_prompt.h"

namespace rmg::gallery {
namespace {

// The text before the last "[RESULT]": the grader's feedback.
std::string Feedback(std::string_view answer) {
  const size_t marker = answer.rfind("[RESULT]");
  std::string_view feedback = answer.substr(0, marker == std::string_view::npos ? answer.size() : marker);
  while (!feedback.empty() && std::isspace(static_cast<unsigned char>(feedback.back()))) feedback.remove_suffix(1);
  while (!feedback.empty() && std::isspace(static_cast<unsigned char>(feedback.front()))) feedback.remove_prefix(1);
  return std::string(feedback);
}

// The instruction a Prometheus grader sees: the last user message (earlier turns
// are in `query` for the rubric judges; Prometheus grades single instructions).
std::string Instruction(const DataSample& sample) {
  for (auto it = sample.input.rbegin(); it != sample.input.rend(); ++it) {
    if (it->role == "user") return it->content;
  }
  return sample.input.empty() ? "" : sample.input.back().content;
}

class AbsoluteFormat final : public llm::JudgeFormat {
 public:
  explicit AbsoluteFormat(llm::ScoreRubric rubric) : rubric_(std::move(rubric)) {}
  RewardFamily family() const override { return RewardFamily::kPointwise; }

  std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>& shown, bool) const override {
    return llm::RenderPrometheusAbsolute(Instruction(sample), shown.at(0)->answer.content, ReferenceOf(*shown[0]),
                                         rubric_);
  }

  std::optional<std::string> Read(const llm::JudgeReply& reply, size_t, llm::Verdict* verdict) const override {
    const std::optional<int> score = llm::ParsePrometheusScore(reply.answer);
    if (!score) return "reply has no \"[RESULT] n\" with n in 1..5";
    verdict->scores = {(*score - 1) / 4.0};  // 1..5 onto [0, 1]
    verdict->reason = Feedback(reply.answer);
    return std::nullopt;
  }

 private:
  llm::ScoreRubric rubric_;
};

class RelativeFormat final : public llm::JudgeFormat {
 public:
  explicit RelativeFormat(std::string rubric) : rubric_(std::move(rubric)) {}
  RewardFamily family() const override { return RewardFamily::kPairwise; }

  std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>& shown, bool) const override {
    return llm::RenderPrometheusRelative(Instruction(sample), shown.at(0)->answer.content, shown.at(1)->answer.content,
                                         ReferenceOf(*shown[0]), rubric_);
  }

  std::optional<std::string> Read(const llm::JudgeReply& reply, size_t, llm::Verdict* verdict) const override {
    const std::optional<char> preferred = llm::ParsePrometheusPreference(reply.answer);
    if (!preferred) return "reply has no \"[RESULT] A\" or \"[RESULT] B\"";
    verdict->scores = *preferred == 'A' ? std::vector<double>{1.0, 0.0} : std::vector<double>{0.0, 1.0};
    verdict->reason = Feedback(reply.answer);
    return std::nullopt;
  }

 private:
  std::string rubric_;
};

constexpr const char* kDefaultCriteria =
    "Is the response helpful, accurate and relevant to the instruction, and free of harmful content?";
const std::vector<std::string>& DefaultScoreDescriptions() {
  static const std::vector<std::string> descriptions = {
      "The response is irrelevant, wrong or harmful.",
      "The response addresses the instruction only in part and contains significant errors.",
      "The response addresses the instruction but has noticeable errors or omissions.",
      "The response is accurate and helpful with minor shortcomings.",
      "The response is accurate, complete and as helpful as possible.",
  };
  return descriptions;
}

}  // namespace

std::vector<RewardSpec> PrometheusSpecs() {
  RewardSpec absolute =
      JudgeRewardSpec("prometheus_absolute", RewardFamily::kPointwise,
                      "Prometheus-style absolute grading: 1-5 on a score rubric, mapped to (n-1)/4");
  absolute.params.push_back({"criteria", ParamType::kString, kDefaultCriteria, "what the score rubric judges", {}});
  absolute.params.push_back({"score_descriptions", ParamType::kStringList, DefaultScoreDescriptions(),
                             "what scores 1..5 mean (five entries)", {}});
  absolute.factory = [](const Params& params) {
    llm::ScoreRubric rubric;
    rubric.criteria = params.GetString("criteria");
    const std::vector<std::string> descriptions = params.GetStringList("score_descriptions");
    if (descriptions.size() != 5) {
      throw RegistryError("parameter 'score_descriptions' of reward 'prometheus_absolute': expected 5 entries, got " +
                          std::to_string(descriptions.size()));
    }
    for (size_t i = 0; i < 5; ++i) rubric.score_descriptions[i] = descriptions[i];
    return MakeJudgeReward(params, std::make_unique<AbsoluteFormat>(std::move(rubric)));
  };

  RewardSpec relative =
      JudgeRewardSpec("prometheus_relative", RewardFamily::kPairwise,
                      "Prometheus-style relative grading: which of two responses is better ([RESULT] A or B)");
  relative.params.push_back({"criteria", ParamType::kString, kDefaultCriteria, "the rubric both responses are judged by", {}});
  relative.factory = [](const Params& params) {
    return MakeJudgeReward(params, std::make_unique<RelativeFormat>(params.GetString("criteria")));
  };
  return {std::move(absolute), std::move(relative)};
}

}  // namespace rmg::gallery
