#include "rmg/composition.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "rmg/config.h"

namespace rmg {
namespace {

void Reweight(Reward& reward, const std::map<std::string, double>& weights) {
  double weighted = 0.0;
  double total = 0.0;
  for (const RewardDetail& detail : reward.details) {
    if (!detail.score) continue;
    const auto it = weights.find(detail.name);
    const double w = it == weights.end() ? 1.0 : it->second;
    weighted += w * *detail.score;
    total += w;
  }
  if (total != 0.0) reward.score = weighted / total;
}

void ReweightStep(Step& step, const std::map<std::string, double>& weights) {
  if (step.reward) Reweight(*step.reward, weights);
}

std::unique_ptr<RewardModel> BuildAt(const Json& description, const RewardRegistry& registry,
                                     const std::string& where, const std::string& instance_name);

// A misspelt key (`weight:` for `weights:`) would otherwise be ignored silently.
void CheckDescriptionKeys(const Json& description, const std::vector<std::string>& known, const std::string& where) {
  try {
    CheckKnownKeys(description, known, where);
  } catch (const std::runtime_error& e) {
    throw RegistryError(e.what());
  }
}

// registry.Create, its errors prefixed with where the reward is in the description.
std::unique_ptr<RewardModel> CreateAt(const RewardRegistry& registry, const std::string& name, const Json& params,
                                      const std::string& where) {
  try {
    return registry.Create(name, params);
  } catch (const RegistryError& e) {
    throw RegistryError(where + ": " + e.what());
  }
}

std::unique_ptr<RewardModel> BuildRegistered(const Json& description, const RewardRegistry& registry,
                                             const std::string& where, const std::string& instance_name) {
  CheckDescriptionKeys(description, {"reward", "params"}, where);
  const Json& reward = description["reward"];
  if (!reward.is_string()) throw RegistryError(where + ".reward: expected a reward name");
  Json params = description.contains("params") ? description["params"] : Json::object();
  if (!params.is_object()) throw RegistryError(where + ".params: expected a mapping of parameters");
  // The key a composition knows its child by wins over a `name` parameter, as in RM-Gallery
  // (cls(**{**params, **entry_params, "name": key})): it is the detail name the weights use.
  if (!instance_name.empty()) params["name"] = instance_name;
  return CreateAt(registry, reward.get<std::string>(), params, where);
}

std::unique_ptr<RewardModel> BuildWeighted(const Json& description, const RewardRegistry& registry,
                                           const std::string& where, const std::string& instance_name) {
  CheckDescriptionKeys(description, {"compose", "rewards", "weights", "name"}, where);
  const Json& rewards = description.contains("rewards") ? description["rewards"] : Json();
  if (!rewards.is_object() || rewards.empty()) {
    throw RegistryError(where + ".rewards: expected a mapping of child name to reward");
  }
  std::vector<std::unique_ptr<RewardModel>> children;
  for (const auto& [key, child] : rewards.items()) {
    children.push_back(BuildAt(child, registry, where + ".rewards." + key, key));
  }
  std::map<std::string, double> weights;
  if (description.contains("weights")) {
    const Json& w = description["weights"];
    if (!w.is_object()) throw RegistryError(where + ".weights: expected a mapping of detail name to weight");
    for (const auto& [key, value] : w.items()) {
      if (!value.is_number()) throw RegistryError(where + ".weights." + key + ": expected a number");
      weights[key] = value.get<double>();
    }
  }
  std::string name = instance_name.empty() ? description.value("name", std::string("weighted")) : instance_name;
  return std::make_unique<WeightedComposition>(std::move(name), std::move(children), std::move(weights));
}

std::unique_ptr<RewardModel> BuildRouter(const Json& description, const RewardRegistry& registry,
                                         const std::string& where, const std::string& instance_name) {
  CheckDescriptionKeys(description, {"router", "routes", "default", "name"}, where);
  const Json& field = description["router"];
  if (!field.is_string()) throw RegistryError(where + ".router: expected task_category, source or metadata.KEY");
  const std::string field_name = field.get<std::string>();
  if (field_name != "task_category" && field_name != "source" && field_name.rfind("metadata.", 0) != 0) {
    throw RegistryError(where + ".router: '" + field_name + "' is not task_category, source or metadata.KEY");
  }
  const Json& routes = description.contains("routes") ? description["routes"] : Json();
  if (!routes.is_object() || routes.empty()) throw RegistryError(where + ".routes: expected a mapping of value to reward");
  std::map<std::string, std::unique_ptr<RewardModel>> built;
  for (const auto& [key, child] : routes.items()) {
    // Named by its route, as RM-Gallery's RouterComposition (a SimpleComposition) names it.
    built.emplace(key, BuildAt(child, registry, where + ".routes." + key, key));
  }
  std::unique_ptr<RewardModel> fallback;
  if (description.contains("default")) fallback = BuildAt(description["default"], registry, where + ".default", "");
  std::string name = instance_name.empty() ? description.value("name", std::string("router")) : instance_name;
  return std::make_unique<RouterComposition>(std::move(name), field_name, std::move(built), std::move(fallback));
}

std::unique_ptr<RewardModel> BuildAt(const Json& description, const RewardRegistry& registry,
                                     const std::string& where, const std::string& instance_name) {
  if (description.is_string()) {
    Json params = Json::object();
    if (!instance_name.empty()) params["name"] = instance_name;
    return CreateAt(registry, description.get<std::string>(), params, where);
  }
  if (!description.is_object()) throw RegistryError(where + ": expected a reward name or a mapping");
  if (description.contains("compose")) {
    if (description["compose"] != "weighted") throw RegistryError(where + ".compose: only 'weighted' is supported");
    return BuildWeighted(description, registry, where, instance_name);
  }
  if (description.contains("router")) return BuildRouter(description, registry, where, instance_name);
  if (description.contains("reward")) return BuildRegistered(description, registry, where, instance_name);
  throw RegistryError(where + ": expected one of the keys reward, compose, router");
}

}  // namespace

WeightedComposition::WeightedComposition(std::string name, std::vector<std::unique_ptr<RewardModel>> rewards,
                                         std::map<std::string, double> weights)
    : RewardModel(std::move(name)), rewards_(std::move(rewards)), weights_(std::move(weights)) {}

size_t WeightedComposition::Apply(DataSample& sample, const EvalContext& context) const {
  size_t failures = 0;
  for (const auto& reward : rewards_) failures += reward->Apply(sample, context);
  Reweight(sample);
  return failures;
}

bool WeightedComposition::AnyChild(bool (RewardModel::*property)() const) const {
  for (const auto& reward : rewards_) {
    if (((*reward).*property)()) return true;
  }
  return false;
}

namespace {

// The tightest nonzero requests_in_flight of `rewards` (0 when none has a limit).
size_t TightestInFlight(const std::vector<const RewardModel*>& rewards) {
  size_t tightest = 0;
  for (const RewardModel* reward : rewards) {
    const size_t limit = reward->requests_in_flight();
    if (limit > 0 && (tightest == 0 || limit < tightest)) tightest = limit;
  }
  return tightest;
}

// The most requests_at_once(sample) of `rewards`.
size_t MostAtOnce(const std::vector<const RewardModel*>& rewards, const DataSample& sample) {
  size_t most = 0;
  for (const RewardModel* reward : rewards) most = std::max(most, reward->requests_at_once(sample));
  return most;
}

}  // namespace

size_t WeightedComposition::requests_at_once(const DataSample& sample) const {
  std::vector<const RewardModel*> children;
  for (const auto& reward : rewards_) children.push_back(reward.get());
  return MostAtOnce(children, sample);
}

size_t WeightedComposition::requests_in_flight() const {
  std::vector<const RewardModel*> children;
  for (const auto& reward : rewards_) children.push_back(reward.get());
  return TightestInFlight(children);
}

void WeightedComposition::ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const {
  ApplyFrom(0, sample, context, 0, std::move(done));
}

// Runs children [child, end) in order, each starting when the one before is done.
// The context is copied into each continuation: the caller's may be gone by then.
void WeightedComposition::ApplyFrom(size_t child, DataSample& sample, const EvalContext& context, size_t failures,
                                    Done done) const {
  while (child < rewards_.size() && !rewards_[child]->is_async()) {
    failures += rewards_[child]->Apply(sample, context);
    ++child;
  }
  if (child == rewards_.size()) {
    Reweight(sample);
    done(failures);
    return;
  }
  rewards_[child]->ApplyAsync(sample, context,
                              [this, child, &sample, context, failures, done = std::move(done)](size_t more) {
                                ApplyFrom(child + 1, sample, context, failures + more, done);
                              });
}

void WeightedComposition::Reweight(DataSample& sample) const {
  for (DataOutput& output : sample.output) {
    ReweightStep(output.answer, weights_);
    if (output.steps) {
      for (Step& step : *output.steps) ReweightStep(step, weights_);
    }
  }
}

RouterComposition::RouterComposition(std::string name, std::string field,
                                     std::map<std::string, std::unique_ptr<RewardModel>> routes,
                                     std::unique_ptr<RewardModel> fallback)
    : RewardModel(std::move(name)), field_(std::move(field)), routes_(std::move(routes)), fallback_(std::move(fallback)) {}

std::string RouterComposition::RouteKey(const DataSample& sample) const {
  if (field_ == "task_category") return sample.task_category.value_or("");
  if (field_ == "source") return sample.source.value_or("");
  const std::string key = field_.substr(std::string("metadata.").size());
  if (!sample.metadata.is_object()) return "";
  const auto it = sample.metadata.find(key);
  if (it == sample.metadata.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const RewardModel* RouterComposition::RouteFor(const DataSample& sample) const {
  const auto it = routes_.find(RouteKey(sample));
  if (it != routes_.end()) return it->second.get();
  return fallback_.get();
}

size_t RouterComposition::NoRoute(DataSample& sample, const EvalContext& context) const {
  const std::string key = RouteKey(sample);
  for (DataOutput& output : sample.output) {
    Reward& reward = MutableReward(output.answer);
    reward.details.push_back(RewardDetail{name(), context.error_score,
                                          "error: no route for " + field_ + " '" + key + "'", nullptr});
    RecomputeScore(reward);
  }
  return sample.output.size();
}

size_t RouterComposition::Apply(DataSample& sample, const EvalContext& context) const {
  const RewardModel* reward = RouteFor(sample);
  return reward ? reward->Apply(sample, context) : NoRoute(sample, context);
}

bool RouterComposition::AnyRoute(bool (RewardModel::*property)() const) const {
  for (const auto& [key, reward] : routes_) {
    if (((*reward).*property)()) return true;
  }
  return fallback_ && ((*fallback_).*property)();
}

size_t RouterComposition::requests_at_once(const DataSample& sample) const {
  std::vector<const RewardModel*> routes;
  for (const auto& [value, reward] : routes_) routes.push_back(reward.get());
  if (fallback_) routes.push_back(fallback_.get());
  return MostAtOnce(routes, sample);
}

size_t RouterComposition::requests_in_flight() const {
  std::vector<const RewardModel*> routes;
  for (const auto& [value, reward] : routes_) routes.push_back(reward.get());
  if (fallback_) routes.push_back(fallback_.get());
  return TightestInFlight(routes);
}

void RouterComposition::ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const {
  const RewardModel* reward = RouteFor(sample);
  if (reward == nullptr) {
    done(NoRoute(sample, context));
    return;
  }
  reward->ApplyAsync(sample, context, std::move(done));
}

std::unique_ptr<RewardModel> BuildReward(const Json& description, const RewardRegistry& registry) {
  return BuildAt(description, registry, "reward", "");
}

}  // namespace rmg
