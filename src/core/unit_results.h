// Where a unit's result goes in a sample — the one place that knows RM-Gallery's
// layout (see reward.h). The reward families and the asynchronous LLM judges both
// write through these, so they agree on it.
#pragma once

#include <string>
#include <vector>

#include "rmg/reward.h"
#include "rmg/schema.h"

namespace rmg::internal {

// The detail of a unit that failed: the error score and the reason.
RewardDetail ErrorDetail(const std::string& name, const EvalContext& context, std::string reason);

// What went wrong, from a failed unit's reason: the reason without its "error: "
// prefix (a timeout's has none). A failed unit stores {"error": ErrorText(reason)}
// where its extra data goes, as RM-Gallery's LLM rewards do, so a reader of the sample
// (refinement, a trainer) can tell an error from an evaluation.
std::string ErrorText(const std::string& reason);

// Pointwise: appends `result`'s details to output.answer, stores its extra_data
// under `name` in answer.additional_kwargs and recomputes the answer's score.
void WriteOutputResult(DataOutput& output, const std::string& name, RewardResult result);

// Pairwise: appends rank[0] of each detail to output i and rank[1] to output j.
// Scores are not recomputed (call RecomputeAnswerScores once all pairs are in).
void WritePairResult(DataSample& sample, size_t i, size_t j, const RankResult& result);

// Listwise: appends rank[k] of each detail to output k, recomputes the scores and
// stores extra_data under `name` in input[-1].additional_kwargs.
void WriteListResult(DataSample& sample, const std::string& name, RankResult result);

// Recomputes every answer's score as the mean of its details.
void RecomputeAnswerScores(DataSample& sample);

// Stepwise: appends `result` to the step, stores its extra_data under `name` in
// step.additional_kwargs and recomputes the step's score.
void WriteStepResult(Step& step, const std::string& name, RewardResult result);

}  // namespace rmg::internal
