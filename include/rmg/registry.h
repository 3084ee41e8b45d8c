// The reward registry: every reward rmg knows, by name, with its kind, family,
// description and parameters. Parameters arrive as JSON values or as `key=value`
// strings from the command line and are checked against the declared types before
// a reward is built, so a typo fails with a message naming the parameter.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/reward.h"
#include "rmg/schema.h"

namespace rmg {

// A request the registry cannot satisfy (unknown reward or parameter, bad value).
// what() is one line meant for the user.
class RegistryError : public std::invalid_argument {
 public:
  explicit RegistryError(const std::string& what) : std::invalid_argument(what) {}
};

enum class ParamType { kBool, kInt, kDouble, kString, kStringList, kJson };

// "bool", "int", "float", "str", "list[str]" or "json".
std::string_view ParamTypeName(ParamType type);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  Json default_value;               // null: no default (the parameter is optional and unset)
  std::string description;
  std::vector<std::string> choices;  // for kString: the accepted values, when restricted
  // For kInt and kDouble: the accepted range, both ends included (any float must also
  // be finite). Ranges keep work per sample bounded, e.g. BLEU's largest n-gram order.
  std::optional<double> min = std::nullopt;
  std::optional<double> max = std::nullopt;
};

// The checked parameter values a factory receives: every declared parameter is
// present (given or its default) and has its declared type.
class Params {
 public:
  explicit Params(Json values) : values_(std::move(values)) {}

  bool GetBool(std::string_view name) const;
  int64_t GetInt(std::string_view name) const;
  double GetDouble(std::string_view name) const;
  std::string GetString(std::string_view name) const;
  std::vector<std::string> GetStringList(std::string_view name) const;
  // The raw value (null when unset and without default).
  const Json& Get(std::string_view name) const;

 private:
  Json values_;
};

using RewardFactory = std::function<std::unique_ptr<RewardModel>(const Params&)>;

struct RewardSpec {
  std::string name;             // registry name, e.g. "reasoning_format"
  std::string kind = "rule";    // "rule" or "llm"
  RewardFamily family = RewardFamily::kPointwise;
  std::string description;      // one line
  std::string instance_name;    // default `name` parameter (detail name), e.g. "format_reward"
  std::vector<ParamSpec> params;  // the implicit `name` parameter is added by the registry
  RewardFactory factory;
};

// One row of List(): a registered reward or an alias of one.
struct RegistryEntry {
  const RewardSpec* spec = nullptr;
  std::string name;      // the name listed (spec->name, or the alias)
  std::string alias_of;  // empty unless `name` is an alias
};

class RewardRegistry {
 public:
  // The process-wide registry with every built-in reward registered.
  static RewardRegistry& Global();

  // Adds a reward. Throws RegistryError if the name is taken.
  void Register(RewardSpec spec);

  // Makes `alias` another name for the registered reward `target`.
  void RegisterAlias(std::string alias, std::string target);

  // True if `name` is a registered name or alias.
  bool Contains(std::string_view name) const;

  // The spec registered as `name` (aliases resolved). Throws RegistryError naming
  // the closest registered names when there is none.
  const RewardSpec& Spec(std::string_view name) const;

  // Checks `params` (a JSON object; string values are converted to the declared
  // type, so `key=value` pairs can be passed as strings) against the spec of `name`
  // and returns the complete parameter object. Throws RegistryError.
  Json ResolveParams(std::string_view name, const Json& params) const;

  // Builds the reward `name` with `params` (see ResolveParams).
  std::unique_ptr<RewardModel> Create(std::string_view name, const Json& params = Json::object()) const;

  // Every name and alias, sorted by name.
  std::vector<RegistryEntry> List() const;

  // Parameter values for every reward of `kind` ("llm", say) that declares them:
  // `defaults` replace the declared defaults but yield to the values a caller
  // passes; `overrides` win over everything (e.g. --no-cache). Used by the CLI for
  // a config file's `llm:` section. Parameters a reward does not declare are ignored.
  void SetKindParams(const std::string& kind, Json defaults, Json overrides = Json::object());

 private:
  std::map<std::string, RewardSpec, std::less<>> specs_;
  std::map<std::string, std::string, std::less<>> aliases_;
  std::map<std::string, std::pair<Json, Json>, std::less<>> kind_params_;  // kind -> (defaults, overrides)
};

// Parses `key=value` (split at the first '='). Throws RegistryError naming `text`.
std::pair<std::string, std::string> SplitKeyValue(std::string_view text);

// Registers every built-in reward (src/gallery/). Called once by Global().
void RegisterBuiltinRewards(RewardRegistry& registry);

}  // namespace rmg
