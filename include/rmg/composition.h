// Composition: rewards built from other rewards, as RM-Gallery's SimpleComposition
// (weighted) and RouterComposition (pick one reward per sample).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rmg/registry.h"
#include "rmg/reward.h"

namespace rmg {

// Runs every child on the sample in turn, then sets each answer's and step's score
// to the weighted mean of its details: w = weights[detail.name], 1.0 when absent
// (RM-Gallery's semantics: weights are keyed by detail name, which is the child's
// instance name). A score whose weights sum to 0 is left as it is.
class WeightedComposition final : public RewardModel {
 public:
  WeightedComposition(std::string name, std::vector<std::unique_ptr<RewardModel>> rewards,
                      std::map<std::string, double> weights);

  RewardFamily family() const override { return RewardFamily::kComposite; }
  size_t Apply(DataSample& sample, const EvalContext& context) const override;

  // Asynchronous (runs programs, compares outputs) when any child does; the children
  // still run one after another.
  bool is_async() const override { return AnyChild(&RewardModel::is_async); }
  size_t requests_in_flight() const override;  // the tightest child's limit
  // The most of any child: children score a sample one after the other.
  size_t requests_at_once(const DataSample& sample) const override;
  bool runs_programs() const override { return AnyChild(&RewardModel::runs_programs); }
  bool compares_outputs() const override { return AnyChild(&RewardModel::compares_outputs); }
  void ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const override;

 private:
  bool AnyChild(bool (RewardModel::*property)() const) const;
  void ApplyFrom(size_t child, DataSample& sample, const EvalContext& context, size_t failures, Done done) const;
  void Reweight(DataSample& sample) const;

  std::vector<std::unique_ptr<RewardModel>> rewards_;
  std::map<std::string, double> weights_;
};

// Sends each sample to the reward named by one of its fields: "task_category",
// "source" or "metadata.KEY". A value without a route goes to the fallback; with
// no fallback every output gets an error detail saying which value had no route.
class RouterComposition final : public RewardModel {
 public:
  RouterComposition(std::string name, std::string field, std::map<std::string, std::unique_ptr<RewardModel>> routes,
                    std::unique_ptr<RewardModel> fallback);

  RewardFamily family() const override { return RewardFamily::kComposite; }
  size_t Apply(DataSample& sample, const EvalContext& context) const override;

  // Asynchronous (runs programs, compares outputs) when any route does.
  bool is_async() const override { return AnyRoute(&RewardModel::is_async); }
  size_t requests_in_flight() const override;                        // the tightest route's limit
  size_t requests_at_once(const DataSample& sample) const override;  // the most of any route
  bool runs_programs() const override { return AnyRoute(&RewardModel::runs_programs); }
  bool compares_outputs() const override { return AnyRoute(&RewardModel::compares_outputs); }
  void ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const override;

  // The value of the routing field in `sample`, or "" when it has none.
  std::string RouteKey(const DataSample& sample) const;

 private:
  bool AnyRoute(bool (RewardModel::*property)() const) const;
  // The reward for `sample`, or null when no route (and no fallback) matches.
  const RewardModel* RouteFor(const DataSample& sample) const;
  size_t NoRoute(DataSample& sample, const EvalContext& context) const;

  std::string field_;
  std::map<std::string, std::unique_ptr<RewardModel>> routes_;
  std::unique_ptr<RewardModel> fallback_;
};

// Builds a reward from a description (from YAML or JSON config):
//   "NAME"                                       a registered reward with default parameters
//   {reward: NAME, params: {...}}                a registered reward
//   {compose: weighted, rewards: {KEY: DESC, ...}, weights: {DETAIL: W}, name?: N}
//                                                children are named KEY (RM-Gallery's rule)
//   {router: FIELD, routes: {VALUE: DESC, ...}, default?: DESC}
// Throws RegistryError naming the offending key.
std::unique_ptr<RewardModel> BuildReward(const Json& description,
                                         const RewardRegistry& registry = RewardRegistry::Global());

}  // namespace rmg
