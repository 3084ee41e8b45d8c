#include "rmg/registry.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

#include "core/simd_json.h"
#include "text/unicode.h"

namespace rmg {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Up to three names closest to `wanted`: by edit distance, with names that contain
// it (or are contained in it) counted as close.
std::vector<std::string> ClosestNames(std::string_view wanted, const std::vector<std::string>& names) {
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const std::string& name : names) {
    size_t distance = EditDistance(wanted, name);
    if (name.find(wanted) != std::string::npos || wanted.find(name) != std::string_view::npos) {
      distance = std::min<size_t>(distance, 1);
    }
    ranked.emplace_back(distance, name);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> closest;
  const size_t limit = std::max<size_t>(3, wanted.size() / 2);
  for (const auto& [distance, name] : ranked) {
    if (closest.size() == 3 || distance > limit) break;
    closest.push_back(name);
  }
  return closest;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

[[noreturn]] void BadValue(std::string_view reward, const ParamSpec& spec, const std::string& got) {
  throw RegistryError("parameter '" + spec.name + "' of reward '" + std::string(reward) + "': expected " +
                      std::string(ParamTypeName(spec.type)) + ", got " + got);
}

// Throws unless `number` (written `shown`) lies in the spec's range.
void CheckRange(std::string_view reward, const ParamSpec& spec, double number, const std::string& shown) {
  const bool below = spec.min && number < *spec.min;
  const bool above = spec.max && number > *spec.max;
  if (!below && !above) return;
  const auto bound = [](double limit) {
    const bool whole = std::floor(limit) == limit && std::fabs(limit) < 1e15;
    return whole ? std::to_string(static_cast<int64_t>(limit)) : Json(limit).dump();
  };
  std::string range;
  if (spec.min && spec.max) {
    range = "must be in [" + bound(*spec.min) + ", " + bound(*spec.max) + "]";
  } else {
    range = below ? "must be at least " + bound(*spec.min) : "must be at most " + bound(*spec.max);
  }
  throw RegistryError("parameter '" + spec.name + "' of reward '" + std::string(reward) + "' " + range + ", got " +
                      shown);
}

// `value` as an error message quotes it: a string in quotes, the rest as JSON, cut
// after 80 bytes so that a huge value still makes a one-line error.
std::string Describe(const Json& value) {
  return text::Excerpt(value.is_string() ? "'" + value.get<std::string>() + "'" : value.dump());
}

// Converts `value` (JSON, or a string from the command line) to the declared type.
Json Coerce(std::string_view reward, const ParamSpec& spec, const Json& value) {
  const bool is_text = value.is_string();
  const std::string text = is_text ? value.get<std::string>() : "";
  switch (spec.type) {
    case ParamType::kBool: {
      // What pydantic (RM-Gallery's parameters are its fields) accepts as a bool: the
      // numbers 0 and 1, and these words in any case.
      if (value.is_boolean()) return value;
      if (value.is_number() && (value == 0 || value == 1)) return value == 1;
      if (is_text) {
        std::string word;
        for (char c : text) word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        for (const char* yes : {"1", "on", "t", "true", "y", "yes"}) {
          if (word == yes) return true;
        }
        for (const char* no : {"0", "off", "f", "false", "n", "no"}) {
          if (word == no) return false;
        }
      }
      BadValue(reward, spec, Describe(value));
    }
    case ParamType::kInt: {
      // Whole floats within int64 (2^63 and beyond would not convert) count as ints.
      constexpr double kInt64Bound = 9223372036854775808.0;
      std::optional<int64_t> parsed;
      if (value.is_number_unsigned()) {
        if (value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) parsed = value.get<int64_t>();
      } else if (value.is_number_integer()) {
        parsed = value.get<int64_t>();
      } else if (value.is_number_float()) {
        const double number = value.get<double>();
        if (std::floor(number) == number && std::fabs(number) < kInt64Bound) parsed = static_cast<int64_t>(number);
      } else if (is_text) {
        int64_t number = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec == std::errc() && end == text.data() + text.size()) parsed = number;
        // "1e3" and "5.0" on the command line, as 1e3 and 5.0 in JSON or YAML.
        double whole = 0;
        auto [float_end, float_ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
        if (!parsed && float_ec == std::errc() && float_end == text.data() + text.size() &&
            std::floor(whole) == whole && std::fabs(whole) < kInt64Bound) {
          parsed = static_cast<int64_t>(whole);
        }
      }
      if (!parsed) BadValue(reward, spec, Describe(value));
      CheckRange(reward, spec, static_cast<double>(*parsed), std::to_string(*parsed));
      return *parsed;
    }
    case ParamType::kDouble: {
      std::optional<double> parsed;
      if (value.is_number()) {
        parsed = value.get<double>();
      } else if (is_text && !text.empty()) {
        char* end = nullptr;
        const double number = std::strtod(text.c_str(), &end);
        if (end == text.c_str() + text.size()) parsed = number;
      }
      if (!parsed || !std::isfinite(*parsed)) BadValue(reward, spec, Describe(value));
      CheckRange(reward, spec, *parsed, Json(*parsed).dump());
      return *parsed;
    }
    case ParamType::kString:
      if (!is_text) BadValue(reward, spec, Describe(value));
      if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        throw RegistryError("parameter '" + spec.name + "' of reward '" + std::string(reward) + "': '" + text +
                            "' is not one of " + JoinNames(spec.choices));
      }
      return value;
    case ParamType::kStringList: {
      Json list = value;
      if (is_text) {
        // Either a JSON list or comma-separated words.
        if (!text.empty() && text.front() == '[') {
          list = ParseJson(text, /*allow_exceptions=*/false);
        } else {
          list = Json::array();
          size_t start = 0;
          while (start <= text.size()) {
            const size_t comma = std::min(text.find(',', start), text.size());
            if (comma > start) list.push_back(text.substr(start, comma - start));
            start = comma + 1;
          }
        }
      }
      if (!list.is_array()) BadValue(reward, spec, Describe(value));
      for (const Json& item : list) {
        if (!item.is_string()) BadValue(reward, spec, Describe(value));
      }
      return list;
    }
    case ParamType::kJson:
      if (is_text) {
        Json parsed = ParseJson(text, /*allow_exceptions=*/false);
        if (!parsed.is_discarded()) return parsed;
      }
      return value;
  }
  return value;
}

const Json& Lookup(const Json& values, std::string_view name) {
  const auto it = values.find(name);
  if (it == values.end()) throw std::logic_error("parameter '" + std::string(name) + "' is not declared");
  return *it;
}

}  // namespace

std::string_view ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kBool: return "bool";
    case ParamType::kInt: return "int";
    case ParamType::kDouble: return "float";
    case ParamType::kString: return "str";
    case ParamType::kStringList: return "list[str]";
    case ParamType::kJson: return "json";
  }
  return "?";
}

bool Params::GetBool(std::string_view name) const { return Lookup(values_, name).get<bool>(); }
int64_t Params::GetInt(std::string_view name) const { return Lookup(values_, name).get<int64_t>(); }
double Params::GetDouble(std::string_view name) const { return Lookup(values_, name).get<double>(); }
std::string Params::GetString(std::string_view name) const {
  const Json& value = Lookup(values_, name);
  return value.is_null() ? "" : value.get<std::string>();
}
std::vector<std::string> Params::GetStringList(std::string_view name) const {
  const Json& value = Lookup(values_, name);
  return value.is_null() ? std::vector<std::string>{} : value.get<std::vector<std::string>>();
}
const Json& Params::Get(std::string_view name) const { return Lookup(values_, name); }

RewardRegistry& RewardRegistry::Global() {
  static RewardRegistry* registry = [] {
    auto* r = new RewardRegistry();
    RegisterBuiltinRewards(*r);
    return r;
  }();
  return *registry;
}

void RewardRegistry::Register(RewardSpec spec) {
  if (Contains(spec.name)) throw RegistryError("reward '" + spec.name + "' is already registered");
  if (spec.instance_name.empty()) spec.instance_name = spec.name;
  spec.params.push_back(ParamSpec{"name", ParamType::kString, spec.instance_name,
                                  "instance name: the name of the details this reward writes", {}});
  const std::string name = spec.name;
  specs_.emplace(name, std::move(spec));
}

void RewardRegistry::RegisterAlias(std::string alias, std::string target) {
  if (Contains(alias)) throw RegistryError("reward '" + alias + "' is already registered");
  if (!specs_.count(target)) throw RegistryError("alias '" + alias + "' names unknown reward '" + target + "'");
  aliases_.emplace(std::move(alias), std::move(target));
}

bool RewardRegistry::Contains(std::string_view name) const {
  return specs_.find(name) != specs_.end() || aliases_.find(name) != aliases_.end();
}

const RewardSpec& RewardRegistry::Spec(std::string_view name) const {
  if (auto alias = aliases_.find(name); alias != aliases_.end()) return specs_.find(alias->second)->second;
  if (auto it = specs_.find(name); it != specs_.end()) return it->second;
  std::vector<std::string> names;
  for (const RegistryEntry& entry : List()) names.push_back(entry.name);
  const std::vector<std::string> closest = ClosestNames(name, names);
  std::string message = "unknown reward '" + std::string(name) + "'";
  if (!closest.empty()) message += "; did you mean: " + JoinNames(closest) + "?";
  message += " (`rmg list` shows all rewards)";
  throw RegistryError(message);
}

Json RewardRegistry::ResolveParams(std::string_view name, const Json& params) const {
  const RewardSpec& spec = Spec(name);
  if (!params.is_null() && !params.is_object()) {
    throw RegistryError("parameters of reward '" + std::string(name) + "' must be a JSON object");
  }
  Json resolved = Json::object();
  for (const ParamSpec& param : spec.params) resolved[param.name] = param.default_value;
  const auto kind = kind_params_.find(spec.kind);
  // Applies the values of `layer` that `spec` declares.
  auto apply_layer = [&](const Json& layer) {
    for (const ParamSpec& param : spec.params) {
      if (layer.contains(param.name)) resolved[param.name] = Coerce(name, param, layer[param.name]);
    }
  };
  if (kind != kind_params_.end()) apply_layer(kind->second.first);
  if (params.is_object()) {
    for (const auto& item : params.items()) {
      const std::string& key = item.key();
      const Json& value = item.value();
      const auto declared = std::find_if(spec.params.begin(), spec.params.end(),
                                         [&](const ParamSpec& p) { return p.name == key; });
      if (declared == spec.params.end()) {
        std::vector<std::string> names;
        for (const ParamSpec& p : spec.params) names.push_back(p.name);
        throw RegistryError("unknown parameter '" + key + "' for reward '" + std::string(name) +
                            "' (parameters: " + JoinNames(names) + ")");
      }
      // null is "unset", which only a parameter without a default may be.
      resolved[key] = value.is_null() && declared->default_value.is_null() ? value : Coerce(name, *declared, value);
    }
  }
  if (kind != kind_params_.end()) apply_layer(kind->second.second);
  return resolved;
}

void RewardRegistry::SetKindParams(const std::string& kind, Json defaults, Json overrides) {
  if (!defaults.is_object() || !overrides.is_object()) {
    throw RegistryError("parameters for kind '" + kind + "' must be JSON objects");
  }
  kind_params_[kind] = {std::move(defaults), std::move(overrides)};
}

std::unique_ptr<RewardModel> RewardRegistry::Create(std::string_view name, const Json& params) const {
  const RewardSpec& spec = Spec(name);
  Params resolved(ResolveParams(name, params));
  try {
    return spec.factory(resolved);
  } catch (const RegistryError&) {
    throw;
  } catch (const std::exception& e) {
    throw RegistryError("reward '" + std::string(name) + "': " + e.what());
  }
}

std::vector<RegistryEntry> RewardRegistry::List() const {
  std::vector<RegistryEntry> entries;
  for (const auto& [name, spec] : specs_) entries.push_back(RegistryEntry{&spec, name, ""});
  for (const auto& [alias, target] : aliases_) entries.push_back(RegistryEntry{&specs_.at(target), alias, target});
  std::sort(entries.begin(), entries.end(),
            [](const RegistryEntry& a, const RegistryEntry& b) { return a.name < b.name; });
  return entries;
}

std::pair<std::string, std::string> SplitKeyValue(std::string_view text) {
  const size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw RegistryError("parameter '" + std::string(text) + "' is not of the form KEY=VALUE");
  }
  return {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

}  // namespace rmg
