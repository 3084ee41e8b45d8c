#include "cli/scoring_flags.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "cli/commands.h"
#include "cli/config_setup.h"
#include "cli/output_file.h"
#include "core/simd_json.h"
#include "rmg/composition.h"
#include "rmg/config.h"
#include "rmg/record_file.h"
#include "rmg/registry.h"
#include "rmg/response_cache.h"

namespace rmg::cli {

void AddScoringFlags(CLI::App& command, ScoringFlags& flags) {
  command.add_option("--reward,-r", flags.reward, "Registered reward name (see `rmg list`)");
  command.add_option("--param,-p", flags.params, "Reward parameter KEY=VALUE (repeatable)");
  command.add_option("--config,-c", flags.config,
                     "YAML config: reward, params, workers, timeout_seconds, llm, judges, templates");
  command.add_flag("--no-cache", flags.no_cache, "LLM rewards: neither read nor write the response cache");
  command.add_option("--workers,-w", flags.workers, "Worker threads (default: number of cores)");
  command.add_option("--timeout", flags.timeout_seconds, "Per-sample deadline in seconds (default 60; 0 = none)");
  command.add_option("--error-score", flags.error_score, "Score of a failed or timed-out unit (default 0)");
}

const std::vector<std::string>& EvalConfigKeys() {
  static const std::vector<std::string> keys = {"reward",      "params", "workers", "timeout_seconds",
                                                "error_score", "llm",    "judges",  "templates"};
  return keys;
}

Json LoadCommandConfig(const ScoringFlags& flags) {
  const Json config = flags.config.empty() ? Json::object() : LoadConfigFile(flags.config);
  if (!config.is_object()) throw std::runtime_error(flags.config + ": expected a mapping at the top level");
  CheckKnownKeys(config, EvalConfigKeys(), flags.config);
  ApplyConfig(config, flags.config, flags.no_cache);
  return config;
}

namespace {

// Builds the registered reward `name` with the config's `params:` under --param's. A bad
// value is blamed on where it was written: the config file (`params:`, or `reward:` for
// a name it gives) or the --param flags. A config value that a flag replaces is not checked.
std::unique_ptr<RewardModel> CreateNamedReward(const std::string& name, bool name_from_config,
                                               const Json& config_params, const Json& flag_params,
                                               const std::string& config_path) {
  const RewardRegistry& registry = RewardRegistry::Global();
  const std::string config_where = config_path + (name_from_config ? ": reward: " : ": params: ");
  Json config_only = config_params;
  for (const auto& item : flag_params.items()) config_only.erase(item.key());
  try {
    registry.ResolveParams(name, config_only);
  } catch (const RegistryError& e) {
    if (!name_from_config && !registry.Contains(name)) throw;  // an unknown --reward
    throw RegistryError(config_where + e.what());
  }
  try {
    registry.ResolveParams(name, flag_params);
  } catch (const RegistryError& e) {
    throw RegistryError("--param: " + std::string(e.what()));
  }
  Json params = config_params;
  params.update(flag_params);
  try {
    return registry.Create(name, params);
  } catch (const RegistryError& e) {
    // A check across parameters; the two sources were each fine alone.
    if (!name_from_config) throw;
    throw RegistryError(config_path + ": reward: " + e.what());
  }
}

}  // namespace

std::unique_ptr<RewardModel> BuildRewardFromFlags(const ScoringFlags& flags, const Json& config) {
  const Json params = config.contains("params") ? config["params"] : Json::object();
  if (!params.is_object()) throw std::runtime_error(flags.config + ": params: expected a mapping");
  Json flag_params = Json::object();
  for (const std::string& text : flags.params) {
    auto [key, value] = SplitKeyValue(text);
    flag_params[key] = value;
  }
  if (!flags.reward.empty()) return CreateNamedReward(flags.reward, false, params, flag_params, flags.config);
  if (!config.contains("reward")) throw std::runtime_error("no reward given: use --reward NAME or `reward:` in --config");
  const Json& description = config["reward"];
  if (description.is_string()) {
    return CreateNamedReward(description.get<std::string>(), true, params, flag_params, flags.config);
  }
  // A composition takes its parameters per child reward, so these would be dropped.
  if (!flags.params.empty()) {
    throw std::runtime_error("--param: the config's reward: is a composition; give parameters to its child rewards");
  }
  if (!params.empty()) {
    throw std::runtime_error(flags.config +
                             ": params: the reward: is a composition; give parameters to its child rewards");
  }
  try {
    return BuildReward(description);
  } catch (const RegistryError& e) {
    throw RegistryError(flags.config + ": " + e.what());  // "run.yaml: reward.routes.math: ..."
  }
}

namespace {

std::string FormatNumber(double number) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", number);
  return text;
}

// The value of --`flag`, else the config's `key`, else `fallback`; `valid` says
// whether a value is in range, `expected` what the range is.
double ScoringNumber(const std::optional<double>& flag_value, const char* flag, const Json& config,
                     const std::string& path, const char* key, double fallback, bool (*valid)(double),
                     const char* expected) {
  if (flag_value) {
    if (!valid(*flag_value)) {
      throw std::runtime_error(std::string(flag) + ": expected " + expected + ", got " + FormatNumber(*flag_value));
    }
    return *flag_value;
  }
  if (!config.contains(key)) return fallback;
  const Json& value = config[key];
  if (!value.is_number() || !valid(value.get<double>())) {
    throw std::runtime_error(path + ": " + key + ": expected " + expected + ", got " + value.dump());
  }
  return value.get<double>();
}

}  // namespace

EvalOptions EvalOptionsFromFlags(const ScoringFlags& flags, const Json& config) {
  EvalOptions options;
  const std::optional<double> workers = flags.workers ? std::optional<double>(*flags.workers) : std::nullopt;
  static const std::string kWorkersRange = "a whole number from 0 (one per core) to " + std::to_string(kMaxWorkers);
  options.workers = static_cast<int>(ScoringNumber(
      workers, "--workers", config, flags.config, "workers", 0,
      [](double n) { return n >= 0 && n <= kMaxWorkers && n == std::floor(n); }, kWorkersRange.c_str()));
  if (options.workers == 0) options.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // NaN fails every comparison, so the check; inf passes and never expires (Deadline::After).
  options.timeout_seconds =
      ScoringNumber(flags.timeout_seconds, "--timeout", config, flags.config, "timeout_seconds", 60.0,
                    [](double s) { return s >= 0; }, "seconds, 0 or more (0: none)");
  options.error_score = ScoringNumber(flags.error_score, "--error-score", config, flags.config, "error_score", 0.0,
                                      [](double x) { return std::isfinite(x); }, "a finite number");
  return options;
}

Json ScoringIdentity(const ScoringFlags& flags, const Json& config, const RewardModel& reward) {
  // The parameters as the reward gets them: a repeated key's last value. --param order
  // does not change the reward otherwise, so they are sorted.
  std::map<std::string, std::string> resolved;
  for (const std::string& text : flags.params) resolved[text.substr(0, text.find('='))] = text;
  std::vector<std::string> params;
  for (const auto& [key, text] : resolved) params.push_back(text);
  std::sort(params.begin(), params.end());
  Json identity = {{"reward", flags.reward},
                   {"params", params},
                   {"config_sha256", ResponseCache::KeyFor(config)},
                   {"error_score", flags.error_score.value_or(0.0)}};
  // Files the config names define judges: the same config over edited files is another reward.
  Json files = Json::object();
  for (const char* key : {"judges", "templates"}) {
    if (!config.is_object() || !config.contains(key) || !config[key].is_array()) continue;
    for (const Json& entry : config[key]) {
      if (!entry.is_string()) continue;
      const std::string path = ResolveConfigPath(entry.get<std::string>(), flags.config);
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      files[path] = ResponseCache::KeyFor(Json(text.str()));
    }
  }
  if (!files.empty()) identity["config_files_sha256"] = std::move(files);
  // A judge's model and endpoint default to these (a parameter or the config overrides them,
  // and those are already above).
  if (reward.is_async()) {
    Json environment = Json::object();
    for (const char* variable : {"OPENAI_MODEL", "BASE_URL"}) {
      const char* value = std::getenv(variable);
      environment[variable] = value == nullptr ? "" : value;
    }
    identity["llm_environment"] = std::move(environment);
  }
  return identity;
}

namespace {

// An output that is not a file of its own: a pipe, a device, or a name under /dev or
// /proc (-o /dev/stdout is the file stdout was sent to, or a terminal). It cannot be
// resumed, and no record belongs next to it.
bool IsStreamOutput(const std::string& output) {
  const std::string path = std::filesystem::path(output).lexically_normal().string();
  if (path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0) return true;
  std::error_code error;
  return std::filesystem::exists(output, error) && !std::filesystem::is_regular_file(output, error);
}

}  // namespace

void CheckResumeIdentity(const std::string& output, bool resume, const Json& identity) {
  if (IsStreamOutput(output)) return;
  const std::string record_path = output + ".run";
  if (resume) {
    std::ifstream in(record_path, std::ios::binary);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      Json recorded;
      try {
        recorded = ParseJson(text.str());
      } catch (const Json::exception&) {
        throw std::runtime_error(record_path + ": not the JSON rmg writes; remove it to resume anyway");
      }
      if (recorded != identity) {
        throw std::runtime_error(output + " was scored with " + recorded.dump() + " (" + record_path +
                                 "), not with " + identity.dump() +
                                 ": resume with the same --reward, --param, --config and --error-score, "
                                 "or write to a new file");
      }
      return;
    }
    // Without its record (copied alone, or its record removed as the message above
    // says), the file could hold another reward's scores: say that this run trusts it.
    std::error_code error;
    if (std::filesystem::exists(output, error) && std::filesystem::file_size(output, error) > 0) {
      std::fprintf(stderr,
                   "rmg: warning: %s has no record of the options that scored it (%s): resuming as if they were "
                   "this run's\n",
                   output.c_str(), record_path.c_str());
    }
  }
  // The first file written for `output`: a path that cannot be written is named here as
  // the user gave it, with the reason, not by this record's own name.
  errno = 0;
  std::ofstream out(record_path, std::ios::binary | std::ios::trunc);
  out << identity.dump() << "\n";
  if (!out) {
    throw std::runtime_error(output + ": cannot write" + (errno != 0 ? std::string(": ") + std::strerror(errno) : ""));
  }
}

StringMap<std::vector<size_t>> PrepareScoredOutput(const std::string& output, const std::string& input,
                                                   const std::string& config, bool resume, const Json& identity,
                                                   bool stored_fingerprints, size_t* failed_removed) {
  if (resume && output.empty()) throw std::runtime_error("--resume needs --output FILE");
  CheckOutputIsJsonLines(output);
  CheckOutputIsNotInput(output, input);
  CheckOutputIsNotInput(output, config, "config");
  if (output.empty()) return {};
  // Reading a pipe back would wait for a writer that never comes.
  if (resume && IsStreamOutput(output)) {
    throw std::runtime_error("--resume needs a file as --output: " + output + " is a pipe or a device");
  }
  CheckResumeIdentity(output, resume, identity);
  if (!resume) return {};
  if (failed_removed) *failed_removed = RemoveFailedRecords(output);
  return PrepareResume(output, stored_fingerprints);
}

void ExitIfEverySampleFailed(const char* command, const EvalStats& stats) {
  if (stats.samples == 0 || stats.failed_samples < stats.samples) return;
  std::fprintf(stderr, "rmg %s: every sample scored failed; the reasons are in their details\n", command);
  throw ExitCode{kExitRunFailed};
}

}  // namespace rmg::cli
