#include "cli/config_setup.h"

#include <cstdio>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "gallery/alignment/alignment.h"
#include "rmg/chat_client.h"
#include "rmg/config.h"
#include "rmg/llm_judges.h"
#include "rmg/registry.h"
#include "rmg/response_cache.h"

namespace rmg::cli {
namespace {

const Json& ListAt(const Json& config, const char* key, const std::string& config_path) {
  static const Json kEmpty = Json::array();
  if (!config.contains(key)) return kEmpty;
  const Json& list = config[key];
  if (!list.is_array()) throw std::runtime_error(config_path + ": " + key + ": expected a list");
  return list;
}

// A misspelt key in `llm:` would otherwise be ignored silently.
void CheckLlmKeys(const Json& section, const std::string& config_path) {
  std::set<std::string> known;
  for (RewardFamily family : {RewardFamily::kListwise, RewardFamily::kPairwise}) {
    for (const ParamSpec& param : gallery::JudgeParamSpecs(family)) known.insert(param.name);
  }
  CheckKnownKeys(section, std::vector<std::string>(known.begin(), known.end()), config_path, "llm.");
}

}  // namespace

std::string ResolveConfigPath(const std::string& path, const std::string& config_path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || config_path.empty()) return path;
  return (std::filesystem::path(config_path).parent_path() / p).string();
}

void ApplyConfig(const Json& config, const std::string& config_path, bool no_cache) {
  RewardRegistry& registry = RewardRegistry::Global();
  const Json& judges = ListAt(config, "judges", config_path);
  for (size_t i = 0; i < judges.size(); ++i) {
    const Json& entry = judges[i];
    if (entry.is_string()) {
      const std::string file = ResolveConfigPath(entry.get<std::string>(), config_path);
      RegisterRubricJudge(registry, LoadConfigFile(file), file);
    } else {
      RegisterRubricJudge(registry, entry, config_path + ": judges[" + std::to_string(i) + "]");
    }
  }
  const Json& templates = ListAt(config, "templates", config_path);
  for (size_t i = 0; i < templates.size(); ++i) {
    if (!templates[i].is_string()) {
      throw std::runtime_error(config_path + ": templates[" + std::to_string(i) + "]: expected a file path");
    }
    RegisterTemplateJudge(registry, ResolveConfigPath(templates[i].get<std::string>(), config_path));
  }
  Json defaults = config.contains("llm") ? config["llm"] : Json::object();
  if (!defaults.is_object()) throw std::runtime_error(config_path + ": llm: expected a mapping of LLM settings");
  CheckLlmKeys(defaults, config_path);
  Json overrides = Json::object();
  if (no_cache) overrides["cache"] = "off";
  registry.SetKindParams("llm", std::move(defaults), std::move(overrides));
}

std::string LlmSummary() {
  const ChatClientStats chat = ChatClient::ProcessTotals();
  const CacheStats cache = ResponseCache::ProcessTotals();
  if (chat.requests == 0 && cache.hits + cache.misses == 0) return "";
  char line[256];
  std::snprintf(line, sizeof line,
                "LLM %llu requests (%llu HTTP attempts, %llu retries, %llu failed); cache %llu hits, %llu misses",
                static_cast<unsigned long long>(chat.requests), static_cast<unsigned long long>(chat.attempts),
                static_cast<unsigned long long>(chat.retries), static_cast<unsigned long long>(chat.failed),
                static_cast<unsigned long long>(cache.hits), static_cast<unsigned long long>(cache.misses));
  std::string summary = line;
  // Replies that could not be stored (another process holding the file) are asked again next time.
  if (cache.write_errors > 0) summary += ", " + std::to_string(cache.write_errors) + " not stored";
  return summary;
}

}  // namespace rmg::cli
