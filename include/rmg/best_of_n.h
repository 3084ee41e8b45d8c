// Best-of-N selection (RM-Gallery's BaseReward.best_of_n): score the outputs of a
// sample with a reward and keep the n best.
#pragma once

#include <cstddef>

#include "rmg/reward.h"
#include "rmg/schema.h"

namespace rmg {

// Keeps the `n` highest-scored outputs of an already scored `sample`, in
// RM-Gallery's order: numpy.argsort(scores)[-n:], i.e. ascending
// answer.reward.score with the best output LAST (§14 item 12: RM-Gallery does not
// put the best first, and rmg follows it so its files read the same). n = 0 keeps
// every output, reordered likewise (RM-Gallery's [-0:] is the whole list); n larger
// than the number of outputs keeps them all. An output without a reward counts as
// score 0 (RM-Gallery's default). Equal scores keep their input order (a stable
// sort), so at the cut the LATER of two tied outputs is kept: numpy's argsort does
// the same for the short arrays it sorts by insertion, but does not promise it.
void KeepTopOutputs(DataSample& sample, size_t n);

// Scores a copy of `sample` with `reward` (the caller's sample is unchanged) and
// keeps its top `n` outputs as KeepTopOutputs does; the kept outputs keep their
// scores and details.
DataSample BestOfN(const RewardModel& reward, const DataSample& sample, size_t n, const EvalContext& context = {});

}  // namespace rmg
