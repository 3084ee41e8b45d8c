#include "rmg/reward.h"

#include <exception>
#include <stdexcept>

namespace rmg {
namespace {

// Runs one unit's evaluation; on failure returns the reason and leaves `result` alone.
template <typename Result, typename Fn>
std::optional<std::string> RunUnit(const EvalContext& context, Result* result, Fn&& evaluate) {
  try {
    context.deadline.Check();
    *result = evaluate();
    return std::nullopt;
  } catch (const DeadlineExceeded& e) {
    return std::string(e.what());
  } catch (const std::exception& e) {
    return "error: " + std::string(e.what());
  }
}

RewardDetail ErrorDetail(const std::string& name, const EvalContext& context, std::string reason) {
  return RewardDetail{name, context.error_score, std::move(reason), nullptr};
}

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

void CheckRanks(const RankResult& result, size_t expected) {
  for (const RankDetail& d : result.details) {
    if (d.rank.size() != expected) {
      throw std::logic_error("detail '" + d.name + "' ranks " + std::to_string(d.rank.size()) +
                             " outputs, expected " + std::to_string(expected));
    }
  }
}

}  // namespace

std::string_view FamilyName(RewardFamily family) {
  switch (family) {
    case RewardFamily::kPointwise: return "pointwise";
    case RewardFamily::kPairwise: return "pairwise";
    case RewardFamily::kListwise: return "listwise";
    case RewardFamily::kStepwise: return "stepwise";
    case RewardFamily::kComposite: return "composite";
  }
  return "unknown";
}

DataSample RewardModel::Evaluate(const DataSample& sample, const EvalContext& context) const {
  DataSample copy = sample;
  Apply(copy, context);
  return copy;
}

size_t PointwiseReward::Apply(DataSample& sample, const EvalContext& context) const {
  size_t failures = 0;
  for (DataOutput& output : sample.output) {
    RewardResult result;
    auto failure = RunUnit(context, &result, [&] { return EvaluateOutput(sample, output, context.deadline); });
    if (failure) {
      ++failures;
      result.details = {ErrorDetail(name(), context, std::move(*failure))};
    }
    StoreExtraData(output.answer.additional_kwargs, name(), std::move(result.extra_data));
    AppendDetails(output.answer, std::move(result.details));
  }
  return failures;
}

size_t PairwiseReward::Apply(DataSample& sample, const EvalContext& context) const {
  size_t failures = 0;
  const size_t n = sample.output.size();
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      RankResult result;
      auto failure = RunUnit(context, &result, [&] {
        RankResult r = EvaluatePair(sample, sample.output[i], sample.output[j], context.deadline);
        CheckRanks(r, 2);
        return r;
      });
      if (failure) {
        ++failures;
        result.details = {RankDetail{name(), *failure, {context.error_score, context.error_score}}};
      }
      for (const RankDetail& d : result.details) {
        AppendRankEntry(sample.output[i].answer, d, 0);
        AppendRankEntry(sample.output[j].answer, d, 1);
      }
    }
  }
  for (DataOutput& output : sample.output) {
    if (output.answer.reward) RecomputeScore(*output.answer.reward);
  }
  return failures;
}

size_t ListwiseReward::Apply(DataSample& sample, const EvalContext& context) const {
  const size_t n = sample.output.size();
  RankResult result;
  auto failure = RunUnit(context, &result, [&] {
    RankResult r = EvaluateList(sample, context.deadline);
    CheckRanks(r, n);
    return r;
  });
  if (failure) result.details = {RankDetail{name(), *failure, std::vector<double>(n, context.error_score)}};
  for (const RankDetail& d : result.details) {
    for (size_t i = 0; i < n; ++i) AppendRankEntry(sample.output[i].answer, d, i);
  }
  for (DataOutput& output : sample.output) {
    if (output.answer.reward) RecomputeScore(*output.answer.reward);
  }
  if (!sample.input.empty()) StoreExtraData(sample.input.back().additional_kwargs, name(), std::move(result.extra_data));
  return failure ? 1 : 0;
}

size_t StepwiseReward::Apply(DataSample& sample, const EvalContext& context) const {
  size_t failures = 0;
  for (size_t i = 0; i < sample.output.size(); ++i) {
    DataOutput& output = sample.output[i];
    if (!output.steps) {
      ++failures;
      AppendDetails(output.answer, {ErrorDetail(name(), context,
                                                "error: output[" + std::to_string(i) + "] has no steps to score")});
      continue;
    }
    for (Step& step : *output.steps) {
      RewardResult result;
      auto failure = RunUnit(context, &result, [&] { return EvaluateStep(sample, output, step, context.deadline); });
      if (failure) {
        ++failures;
        result.details = {ErrorDetail(name(), context, std::move(*failure))};
      }
      StoreExtraData(step.additional_kwargs, name(), std::move(result.extra_data));
      AppendDetails(step, std::move(result.details));
    }
  }
  return failures;
}

}  // namespace rmg
