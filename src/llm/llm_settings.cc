#include "llm/llm_settings.h"

#include <cstdlib>
#include <map>
#include <mutex>

#include "text/unicode.h"

namespace rmg::llm {
namespace {

// RM-Gallery's test is `"qwen3" in model`; served names are often Hugging Face ids
// ("Qwen/Qwen3-8B"), so rmg ignores case.
bool IsQwen3(std::string_view model) { return text::LowerAscii(model).find("qwen3") != std::string::npos; }

std::string FromEnvironment(const char* variable) {
  const char* value = std::getenv(variable);
  return value ? std::string(value) : std::string();
}

// `given` unless empty, else $variable unless empty, else `fallback`.
std::string FirstSet(const std::string& given, const char* variable, const std::string& fallback) {
  if (!given.empty()) return given;
  const std::string from_env = FromEnvironment(variable);
  return from_env.empty() ? fallback : from_env;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::vector<ParamSpec> LlmParamSpecs() {
  return {
      {"model", ParamType::kString, "", "model name; default $OPENAI_MODEL, else gpt-4o", {}},
      {"base_url", ParamType::kString, "",
       "OpenAI-compatible endpoint (…/v1); default $BASE_URL, else https://api.openai.com/v1", {}},
      {"api_key", ParamType::kString, "", "API key; default $OPENAI_API_KEY (prefer the environment)", {}},
      {"temperature", ParamType::kDouble, 0.0, "sampling temperature (sent even when 0)", {}},
      {"max_tokens", ParamType::kInt, 8192, "completion token limit", {}, 1, 1 << 30},
      {"enable_thinking", ParamType::kBool, false,
       "thinking mode: the schema drops <reason>; Qwen3 models get enable_thinking in the body", {}},
      {"extra_body", ParamType::kJson, Json::object(), "fields merged into every request body", {}},
      {"system_prompt", ParamType::kString, kDefaultSystemPrompt, "system message before each prompt (\"\" for none)",
       {}},
      {"concurrency", ParamType::kInt, 64, "requests in flight at most", {}, 1, 65536},
      {"rps", ParamType::kDouble, 0.0, "requests started per second at most (0 = unlimited)", {}, 0},
      {"timeout_seconds", ParamType::kDouble, 60.0, "time limit of one HTTP attempt", {}},
      {"max_retries", ParamType::kInt, 3,
       "attempts after the first, for transport faults and unreadable replies alike", {}, 0, 100},
      {"cache", ParamType::kString, "auto",
       "response cache: auto (on at temperature 0, default file), off, or a SQLite file path", {}},
  };
}

LlmSettings ResolveLlmSettings(const Params& params) {
  LlmSettings settings;
  // A space copied with the URL would fail every request later.
  settings.client.base_url = WithoutTrailingSlash(
      std::string(text::StripPythonSpace(FirstSet(params.GetString("base_url"), "BASE_URL", kDefaultBaseUrl))));
  // libcurl speaks file://, gopher:// and more: a base_url a client of rmg serve chose
  // must not read local files or talk raw TCP.
  const size_t scheme_end = settings.client.base_url.find("://");
  const std::string scheme =
      text::LowerAscii(settings.client.base_url.substr(0, scheme_end == std::string::npos ? 0 : scheme_end));
  if (scheme != "http" && scheme != "https") {
    throw RegistryError(
        "parameter 'base_url': expected an http:// or https:// URL, not " +
        (scheme.empty() ? std::string("one without a scheme") : "a " + text::Excerpt(scheme, 16) + " URL"));
  }
  settings.client.api_key = FirstSet(params.GetString("api_key"), "OPENAI_API_KEY", "");
  if (settings.client.api_key.empty()) {
    throw RegistryError("no API key for the LLM judge: set OPENAI_API_KEY (and BASE_URL for an endpoint other than " +
                        std::string(kDefaultBaseUrl) + "; a local server without keys accepts any value, e.g. EMPTY)");
  }
  settings.model = FirstSet(params.GetString("model"), "OPENAI_MODEL", kDefaultModel);
  settings.temperature = params.GetDouble("temperature");
  settings.max_tokens = static_cast<int>(params.GetInt("max_tokens"));
  settings.enable_thinking = params.GetBool("enable_thinking");
  settings.extra_body = params.Get("extra_body");
  if (settings.extra_body.is_null()) settings.extra_body = Json::object();
  if (!settings.extra_body.is_object()) throw RegistryError("parameter 'extra_body': expected a JSON object");
  settings.system_prompt = params.GetString("system_prompt");
  settings.client.concurrency = static_cast<int>(params.GetInt("concurrency"));
  settings.client.rps = params.GetDouble("rps");
  settings.client.timeout_seconds = params.GetDouble("timeout_seconds");
  if (settings.client.timeout_seconds <= 0) throw RegistryError("parameter 'timeout_seconds': must be positive");
  settings.client.max_retries = static_cast<int>(params.GetInt("max_retries"));
  const std::string cache = params.GetString("cache");
  if (cache == "auto") {
    // Only a deterministic request has one right answer to remember.
    if (settings.temperature == 0.0) settings.cache_path = ResponseCache::DefaultPath();
    settings.cache_optional = true;
  } else if (cache != "off" && !cache.empty()) {
    settings.cache_path = cache;
  }
  return settings;
}

Json ChatRequestBody(const LlmSettings& settings, const std::string& prompt) {
  Json body = Json::object();
  body["model"] = settings.model;
  Json messages = Json::array();
  if (!settings.system_prompt.empty()) messages.push_back(Json{{"role", "system"}, {"content", settings.system_prompt}});
  messages.push_back(Json{{"role", "user"}, {"content", prompt}});
  body["messages"] = std::move(messages);
  body["temperature"] = settings.temperature;
  body["max_tokens"] = settings.max_tokens;
  if (IsQwen3(settings.model)) {
    body["enable_thinking"] = settings.enable_thinking;
    body["thinking_budget"] = 8192;  // RM-Gallery's OpenaiLLM.thinking_budget
  }
  for (const auto& [key, value] : settings.extra_body.items()) body[key] = value;
  return body;
}

std::shared_ptr<ChatClient> SharedChatClient(const ChatClientOptions& options) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<ChatClient>> clients;
  // JSON writes each double in full (std::to_string keeps 6 decimals: rps 1e-7 == 0).
  const std::string key = Json::array({options.base_url, options.api_key, options.concurrency, options.rps,
                                       options.timeout_seconds, options.max_retries})
                              .dump();
  std::lock_guard lock(mutex);
  if (auto existing = clients[key].lock()) return existing;
  auto client = std::make_shared<ChatClient>(options);
  clients[key] = client;
  return client;
}

}  // namespace rmg::llm
