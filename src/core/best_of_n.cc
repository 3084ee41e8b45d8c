#include "rmg/best_of_n.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace rmg {

void KeepTopOutputs(DataSample& sample, size_t n) {
  const size_t count = sample.output.size();
  std::vector<double> scores(count, 0.0);
  for (size_t i = 0; i < count; ++i) {
    if (sample.output[i].answer.reward) scores[i] = sample.output[i].answer.reward->score;
  }
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  const size_t keep = (n == 0 || n > count) ? count : n;
  std::vector<DataOutput> kept;
  kept.reserve(keep);
  for (size_t i = count - keep; i < count; ++i) kept.push_back(std::move(sample.output[order[i]]));
  sample.output = std::move(kept);
}

DataSample BestOfN(const RewardModel& reward, const DataSample& sample, size_t n, const EvalContext& context) {
  DataSample scored = reward.Evaluate(sample, context);
  KeepTopOutputs(scored, n);
  return scored;
}

}  // namespace rmg
