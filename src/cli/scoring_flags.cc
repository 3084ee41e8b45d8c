#include "cli/scoring_flags.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "cli/config_setup.h"
#include "core/simd_json.h"
#include "rmg/composition.h"
#include "rmg/config.h"
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

Json LoadCommandConfig(const ScoringFlags& flags) {
  const Json config = flags.config.empty() ? Json::object() : LoadConfigFile(flags.config);
  if (!config.is_object()) throw std::runtime_error(flags.config + ": expected a mapping at the top level");
  ApplyConfig(config, flags.config, flags.no_cache);
  return config;
}

std::unique_ptr<RewardModel> BuildRewardFromFlags(const ScoringFlags& flags, const Json& config) {
  Json params = config.contains("params") ? config["params"] : Json::object();
  if (!params.is_object()) throw std::runtime_error(flags.config + ": params: expected a mapping");
  for (const std::string& text : flags.params) {
    auto [key, value] = SplitKeyValue(text);
    params[key] = value;
  }
  if (!flags.reward.empty()) return RewardRegistry::Global().Create(flags.reward, params);
  if (!config.contains("reward")) throw std::runtime_error("no reward given: use --reward NAME or `reward:` in --config");
  const Json& description = config["reward"];
  if (description.is_string()) return RewardRegistry::Global().Create(description.get<std::string>(), params);
  return BuildReward(description);
}

EvalOptions EvalOptionsFromFlags(const ScoringFlags& flags, const Json& config) {
  EvalOptions options;
  options.workers = flags.workers > 0 ? flags.workers : config.value("workers", 0);
  if (options.workers <= 0) options.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.timeout_seconds = flags.timeout_seconds >= 0 ? flags.timeout_seconds : config.value("timeout_seconds", 60.0);
  options.error_score = config.value("error_score", flags.error_score);
  return options;
}

Json ScoringIdentity(const ScoringFlags& flags, const Json& config) {
  std::vector<std::string> params = flags.params;
  std::sort(params.begin(), params.end());  // --param order does not change the reward
  return Json{{"reward", flags.reward},
              {"params", params},
              {"config_sha256", ResponseCache::KeyFor(config)},
              {"error_score", flags.error_score}};
}

void CheckResumeIdentity(const std::string& output, bool resume, const Json& identity) {
  // A device or a pipe (-o /dev/stdout) cannot be resumed, and /dev is no place
  // for a record.
  std::error_code error;
  if (std::filesystem::exists(output, error) && !std::filesystem::is_regular_file(output, error)) return;
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
  }
  std::ofstream out(record_path, std::ios::binary | std::ios::trunc);
  out << identity.dump() << "\n";
  if (!out) throw std::runtime_error(record_path + ": cannot write");
}

}  // namespace rmg::cli
