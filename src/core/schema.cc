#include "rmg/schema.h"

namespace rmg {

std::string_view LabelReference(const Step& step, std::string* scratch) {
  if (!step.label.is_object()) return "";
  const auto it = step.label.find("reference");
  if (it == step.label.end() || it->is_null()) return "";
  if (it->is_string()) return it->get_ref<const std::string&>();
  *scratch = it->dump();
  return *scratch;
}

void RecomputeScore(Reward& reward) {
  double sum = 0.0;
  size_t scored = 0;
  for (const RewardDetail& detail : reward.details) {
    if (!detail.score) continue;
    sum += *detail.score;
    ++scored;
  }
  if (scored > 0) reward.score = sum / static_cast<double>(scored);
}

Reward& MutableReward(Step& step) {
  if (!step.reward) step.reward.emplace();
  return *step.reward;
}

}  // namespace rmg
