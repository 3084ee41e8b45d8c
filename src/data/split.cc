#include "data/split.h"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <utility>

#include "data/field_path.h"
#include "rmg/sample_io.h"
#include "rmg/string_hash.h"

namespace rmg {

std::vector<size_t> ShuffledOrder(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  for (size_t i = n; i-- > 1;) std::swap(order[i], order[rng() % (i + 1)]);
  return order;
}

SplitResult SplitByGroup(const std::vector<Json>& records, const SplitOptions& options) {
  if (!(options.train_ratio >= 0.0 && options.train_ratio <= 1.0)) {
    throw std::invalid_argument("train ratio " + std::to_string(options.train_ratio) + " is not in [0, 1]");
  }
  if (options.group_by.empty()) throw std::invalid_argument("group_by: empty field path");
  const std::vector<std::string> path = SplitFieldPath(options.group_by);

  SplitResult result;
  StringMap<size_t> group_of_key;
  std::vector<std::vector<size_t>> members;  // per group, in first-appearance order
  size_t grouped = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const Json* value = FindField(records[i], path);
    if (value == nullptr || value->is_null()) {
      result.ungrouped.push_back(i);
      continue;
    }
    std::string key;
    AppendJson(*value, &key);
    const auto [it, inserted] = group_of_key.emplace(std::move(key), members.size());
    if (inserted) members.emplace_back();
    members[it->second].push_back(i);
    ++grouped;
  }
  result.groups = members.size();

  const double train_target = options.train_ratio * static_cast<double>(grouped);
  std::vector<bool> in_train(records.size(), false);
  size_t train_size = 0;
  for (const size_t group : ShuffledOrder(members.size(), options.seed)) {
    if (static_cast<double>(train_size) >= train_target) break;
    for (const size_t i : members[group]) in_train[i] = true;
    train_size += members[group].size();
  }
  for (const std::vector<size_t>& group : members) {
    for (const size_t i : group) (in_train[i] ? result.train : result.test).push_back(i);
  }
  std::sort(result.train.begin(), result.train.end());
  std::sort(result.test.begin(), result.test.end());
  return result;
}

}  // namespace rmg
