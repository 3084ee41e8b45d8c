#include "rmg/reward.h"

#include <exception>
#include <stdexcept>
#include <string>

#include "core/unit_results.h"

namespace rmg {

using internal::ErrorDetail;

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

// A failed unit's extra data (see ErrorText).
Json FailureExtra(const std::string& reason) { return Json{{"error", internal::ErrorText(reason)}}; }

// A failed unit: the error detail and FailureExtra.
RewardResult FailedUnit(const std::string& name, const EvalContext& context, std::string reason) {
  Json extra_data = FailureExtra(reason);
  return RewardResult{{ErrorDetail(name, context, std::move(reason))}, std::move(extra_data)};
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
      result = FailedUnit(name(), context, std::move(*failure));
    }
    internal::WriteOutputResult(output, name(), std::move(result));
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
      internal::WritePairResult(sample, i, j, result);
    }
  }
  internal::RecomputeAnswerScores(sample);
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
  if (failure) {
    result.details = {RankDetail{name(), *failure, std::vector<double>(n, context.error_score)}};
    result.extra_data = FailureExtra(*failure);
  }
  internal::WriteListResult(sample, name(), std::move(result));
  return failure ? 1 : 0;
}

size_t StepwiseReward::Apply(DataSample& sample, const EvalContext& context) const {
  size_t failures = 0;
  for (size_t i = 0; i < sample.output.size(); ++i) {
    DataOutput& output = sample.output[i];
    if (!output.steps) {
      ++failures;
      internal::WriteOutputResult(
          output, name(),
          FailedUnit(name(), context, "error: output[" + std::to_string(i) + "] has no steps to score"));
      continue;
    }
    for (Step& step : *output.steps) {
      RewardResult result;
      auto failure = RunUnit(context, &result, [&] { return EvaluateStep(sample, output, step, context.deadline); });
      if (failure) {
        ++failures;
        result = FailedUnit(name(), context, std::move(*failure));
      }
      internal::WriteStepResult(step, name(), std::move(result));
    }
  }
  return failures;
}

}  // namespace rmg
