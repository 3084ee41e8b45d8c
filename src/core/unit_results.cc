#include "core/unit_results.h"

#include <string_view>

namespace rmg::internal {
namespace {

void StoreExtraData(Json& additional_kwargs, const std::string& name, Json extra_data) {
  if (extra_data.is_null()) return;
  if (!additional_kwargs.is_object()) additional_kwargs = Json::object();
  additional_kwargs[name] = std::move(extra_data);
}

void AppendDetails(Step& step, std::vector<RewardDetail> details) {
  Reward& reward = MutableReward(step);
  for (RewardDetail& detail : details) reward.details.push_back(std::move(detail));
  RecomputeScore(reward);
}

// Appends detail `d`'s rank entry `index` to `step` as a score detail.
void AppendRankEntry(Step& step, const RankDetail& d, size_t index) {
  MutableReward(step).details.push_back(RewardDetail{d.name, d.rank[index], d.reason, nullptr});
}

}  // namespace

RewardDetail ErrorDetail(const std::string& name, const EvalContext& context, std::string reason) {
  return RewardDetail{name, context.error_score, std::move(reason), nullptr};
}

std::string ErrorText(const std::string& reason) {
  constexpr std::string_view kPrefix = "error: ";
  return reason.rfind(kPrefix, 0) == 0 ? reason.substr(kPrefix.size()) : reason;
}

void WriteOutputResult(DataOutput& output, const std::string& name, RewardResult result) {
  StoreExtraData(output.answer.additional_kwargs, name, std::move(result.extra_data));
  AppendDetails(output.answer, std::move(result.details));
}

void WritePairResult(DataSample& sample, size_t i, size_t j, const RankResult& result) {
  for (const RankDetail& d : result.details) {
    AppendRankEntry(sample.output[i].answer, d, 0);
    AppendRankEntry(sample.output[j].answer, d, 1);
  }
}

void WriteListResult(DataSample& sample, const std::string& name, RankResult result) {
  for (const RankDetail& d : result.details) {
    for (size_t i = 0; i < sample.output.size(); ++i) AppendRankEntry(sample.output[i].answer, d, i);
  }
  RecomputeAnswerScores(sample);
  if (!sample.input.empty()) StoreExtraData(sample.input.back().additional_kwargs, name, std::move(result.extra_data));
}

void RecomputeAnswerScores(DataSample& sample) {
  for (DataOutput& output : sample.output) {
    if (output.answer.reward) RecomputeScore(*output.answer.reward);
  }
}

void WriteStepResult(Step& step, const std::string& name, RewardResult result) {
  StoreExtraData(step.additional_kwargs, name, std::move(result.extra_data));
  AppendDetails(step, std::move(result.details));
}

}  // namespace rmg::internal
