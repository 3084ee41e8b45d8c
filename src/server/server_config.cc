// ParseServerConfig: `rmg serve --config FILE` into a ServerConfig.
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>

#include "rmg/server.h"

namespace rmg {
namespace {

[[noreturn]] void Fail(const std::string& origin, const std::string& key, const std::string& problem) {
  throw std::runtime_error(origin + ": " + key + ": " + problem);
}

double Number(const Json& value, const std::string& origin, const std::string& key, double min) {
  if (!value.is_number()) Fail(origin, key, "expected a number");
  const double number = value.get<double>();
  if (!(number >= min)) Fail(origin, key, "must be at least " + std::to_string(min));
  return number;
}

// Threads the server starts for one setting at most (workers, io_threads).
constexpr int64_t kMaxThreads = 1024;

int64_t Integer(const Json& value, const std::string& origin, const std::string& key, int64_t min,
                int64_t max = std::numeric_limits<int32_t>::max()) {
  if (!value.is_number_integer()) Fail(origin, key, "expected a whole number");
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(max)) {
    Fail(origin, key, "must be at most " + std::to_string(max));
  }
  const int64_t number = value.get<int64_t>();
  if (number < min) Fail(origin, key, "must be at least " + std::to_string(min));
  if (number > max) Fail(origin, key, "must be at most " + std::to_string(max));
  return number;
}

ServedReward Served(const Json& value, const std::string& origin, const std::string& key) {
  ServedReward served;
  if (value.is_string()) {
    served.reward = value.get<std::string>();
    return served;
  }
  if (!value.is_object()) Fail(origin, key, "expected a reward name or {reward, params, concurrency}");
  if (value.contains("compose") || value.contains("router")) {
    // Checked in full when the server builds it (BuildReward), as `rmg eval` does.
    served.composition = value;
    served.composition.erase("concurrency");
    if (value.contains("concurrency")) {
      served.concurrency = static_cast<int>(Integer(value["concurrency"], origin, key + ".concurrency", 1));
    }
    if (value.contains("name") && !value["name"].is_string()) Fail(origin, key + ".name", "expected a string");
    served.reward = value.value("name", std::string(value.contains("compose") ? "composition" : "router"));
    return served;
  }
  for (const auto& [field, item] : value.items()) {
    if (field == "reward") {
      if (!item.is_string()) Fail(origin, key + ".reward", "expected a reward name");
      served.reward = item.get<std::string>();
    } else if (field == "params") {
      if (!item.is_object()) Fail(origin, key + ".params", "expected a mapping of parameters");
      served.params = item;
    } else if (field == "concurrency") {
      served.concurrency = static_cast<int>(Integer(item, origin, key + ".concurrency", 1));
    } else {
      Fail(origin, key + "." + field, "unknown key (keys: reward, params, concurrency; or compose / router)");
    }
  }
  if (served.reward.empty()) Fail(origin, key + ".reward", "missing");
  return served;
}

}  // namespace

const std::vector<std::string>& ServerConfigKeys() {
  static const std::vector<std::string> keys = {"host",
                                                "port",
                                                "workers",
                                                "io_threads",
                                                "max_body_bytes",
                                                "queue_limit",
                                                "max_samples_per_request",
                                                "request_timeout_seconds",
                                                "error_score",
                                                "shutdown_grace_seconds",
                                                "api_keys",
                                                "allow_open",
                                                "client_llm_endpoints",
                                                "access_log",
                                                "rewards",
                                                "get_reward",
                                                "llm",
                                                "judges",
                                                "templates"};
  return keys;
}

ServerConfig ParseServerConfig(const Json& config, const std::string& origin) {
  ServerConfig parsed;
  if (!config.is_object()) throw std::runtime_error(origin + ": expected a mapping at the top level");
  // Keys `rmg eval` also reads (llm, judges, templates) are applied by the command line.
  static const std::set<std::string> kShared = {"llm", "judges", "templates"};
  for (const auto& [key, value] : config.items()) {
    if (key == "host") {
      if (!value.is_string()) Fail(origin, key, "expected an address");
      parsed.host = value.get<std::string>();
    } else if (key == "port") {
      parsed.port = static_cast<int>(Integer(value, origin, key, 0, 65535));
    } else if (key == "workers") {
      parsed.workers = static_cast<int>(Integer(value, origin, key, 0, kMaxThreads));
    } else if (key == "io_threads") {
      parsed.io_threads = static_cast<int>(Integer(value, origin, key, 0, kMaxThreads));
    } else if (key == "max_body_bytes") {
      parsed.max_body_bytes = static_cast<size_t>(Integer(value, origin, key, 1024, INT64_MAX));
    } else if (key == "queue_limit") {
      parsed.queue_limit = static_cast<size_t>(Integer(value, origin, key, 1, INT64_MAX));
    } else if (key == "max_samples_per_request") {
      parsed.max_samples_per_request = static_cast<size_t>(Integer(value, origin, key, 1, INT64_MAX));
    } else if (key == "request_timeout_seconds") {
      parsed.request_timeout_seconds = Number(value, origin, key, 0.001);
    } else if (key == "error_score") {
      parsed.error_score = Number(value, origin, key, -std::numeric_limits<double>::max());
    } else if (key == "shutdown_grace_seconds") {
      parsed.shutdown_grace_seconds = Number(value, origin, key, 0);
    } else if (key == "api_keys") {
      if (!value.is_array()) Fail(origin, key, "expected a list of keys");
      for (const Json& item : value) {
        if (!item.is_string() || item.get<std::string>().empty()) Fail(origin, key, "expected non-empty strings");
        parsed.api_keys.push_back(item.get<std::string>());
      }
    } else if (key == "allow_open" || key == "access_log" || key == "client_llm_endpoints") {
      if (!value.is_boolean()) Fail(origin, key, "expected true or false");
      bool& flag = key == "allow_open"   ? parsed.allow_open
                   : key == "access_log" ? parsed.access_log
                                         : parsed.client_llm_endpoints;
      flag = value.get<bool>();
    } else if (key == "cors") {
      if (!value.is_boolean() || value.get<bool>()) Fail(origin, key, "CORS is not supported; leave it off");
    } else if (key == "rewards") {
      if (!value.is_object()) Fail(origin, key, "expected a mapping of name to reward");
      for (const auto& [name, item] : value.items()) parsed.rewards[name] = Served(item, origin, "rewards." + name);
    } else if (key == "get_reward") {
      parsed.get_reward = Served(value, origin, key);
    } else if (!kShared.count(key)) {
      std::string keys;
      for (const std::string& name : ServerConfigKeys()) keys += (keys.empty() ? "" : ", ") + name;
      Fail(origin, key, "unknown key (keys: " + keys + ")");
    }
  }
  return parsed;
}

}  // namespace rmg
