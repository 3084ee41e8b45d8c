#include "llm/llm_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rmg::llm {
namespace {

constexpr const char* kLlmSettingsProbe = "llm_settings_probe";

// The variables ResolveLlmSettings and the cache's default path read.
const std::vector<std::string>& LlmSettingsVariables() {
  static const std::vector<std::string> names = {"OPENAI_API_KEY", "BASE_URL", "OPENAI_MODEL", "RMG_CACHE_DIR"};
  return names;
}

class LlmSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& name : LlmSettingsVariables()) {
      const char* value = std::getenv(name.c_str());
      saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
      unsetenv(name.c_str());
    }
    setenv("RMG_CACHE_DIR", "/llm-settings-test-cache", 1);
    RewardSpec spec;
    spec.name = kLlmSettingsProbe;
    spec.kind = "llm";
    spec.description = "test only";
    spec.params = LlmParamSpecs();
    registry_.Register(std::move(spec));
  }

  void TearDown() override {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

  // The settings for `given`, checked and completed by a registry as for a real reward.
  LlmSettings Resolve(const Json& given) {
    return ResolveLlmSettings(Params(registry_.ResolveParams(kLlmSettingsProbe, given)));
  }

  // The message of the RegistryError resolving `given` throws, or "no error".
  std::string ResolveError(const Json& given) {
    try {
      Resolve(given);
    } catch (const RegistryError& error) {
      return error.what();
    }
    return "no error";
  }

  std::map<std::string, std::optional<std::string>> saved_;
  RewardRegistry registry_;
};

TEST_F(LlmSettingsTest, ParamSpecsDeclareEveryKnobWithItsDefault) {
  const std::vector<ParamSpec> specs = LlmParamSpecs();
  std::vector<std::string> names;
  Json defaults = Json::object();
  for (const ParamSpec& spec : specs) {
    names.push_back(spec.name);
    defaults[spec.name] = spec.default_value;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"model", "base_url", "api_key", "temperature", "max_tokens",
                                             "enable_thinking", "extra_body", "system_prompt", "concurrency", "rps",
                                             "timeout_seconds", "max_retries", "cache"}));
  EXPECT_EQ(defaults.dump(),
            R"({"model":"","base_url":"","api_key":"","temperature":0.0,"max_tokens":8192,"enable_thinking":false,)"
            R"("extra_body":{},"system_prompt":"You are a helpful assistant.","concurrency":64,"rps":0.0,)"
            R"("timeout_seconds":60.0,"max_retries":3,"cache":"auto"})");
}

TEST_F(LlmSettingsTest, DefaultsNeedOnlyAKey) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  const LlmSettings settings = Resolve(Json::object());
  EXPECT_EQ(settings.client.api_key, "sk-env");
  EXPECT_EQ(settings.client.base_url, "https://api.openai.com/v1");
  EXPECT_EQ(settings.model, "gpt-4o");
  EXPECT_EQ(settings.temperature, 0.0);
  EXPECT_EQ(settings.max_tokens, 8192);
  EXPECT_FALSE(settings.enable_thinking);
  EXPECT_EQ(settings.extra_body, Json::object());
  EXPECT_EQ(settings.system_prompt, "You are a helpful assistant.");
  EXPECT_EQ(settings.client.concurrency, 64);
  EXPECT_EQ(settings.client.rps, 0.0);
  EXPECT_EQ(settings.client.timeout_seconds, 60.0);
  EXPECT_EQ(settings.client.max_retries, 3);
  // "auto" at temperature 0 caches in the default file.
  EXPECT_EQ(settings.cache_path, "/llm-settings-test-cache/llm_cache.sqlite");
}

TEST_F(LlmSettingsTest, MissingKeyNamesTheVariablesToSet) {
  const std::string message = ResolveError(Json::object());
  EXPECT_NE(message.find("no API key"), std::string::npos) << message;
  EXPECT_NE(message.find("OPENAI_API_KEY"), std::string::npos) << message;
  EXPECT_NE(message.find("BASE_URL"), std::string::npos) << message;
  // An empty variable is no key either.
  setenv("OPENAI_API_KEY", "", 1);
  EXPECT_EQ(ResolveError(Json::object()), message);
  EXPECT_EQ(ResolveError({{"api_key", ""}}), message);
}

TEST_F(LlmSettingsTest, EnvironmentFillsWhatParametersLeaveOut) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  setenv("BASE_URL", "http://127.0.0.1:8000/v1/", 1);
  setenv("OPENAI_MODEL", "qwen3-8b", 1);
  const LlmSettings settings = Resolve(Json::object());
  EXPECT_EQ(settings.client.base_url, "http://127.0.0.1:8000/v1");  // trailing slash dropped
  EXPECT_EQ(settings.model, "qwen3-8b");
  EXPECT_EQ(settings.client.api_key, "sk-env");
}

TEST_F(LlmSettingsTest, ParametersWinOverTheEnvironment) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  setenv("BASE_URL", "http://env.example/v1", 1);
  setenv("OPENAI_MODEL", "env-model", 1);
  const LlmSettings settings =
      Resolve({{"api_key", "sk-param"}, {"base_url", "http://param.example/v1///"}, {"model", "param-model"}});
  EXPECT_EQ(settings.client.api_key, "sk-param");
  EXPECT_EQ(settings.client.base_url, "http://param.example/v1");
  EXPECT_EQ(settings.model, "param-model");
}

TEST_F(LlmSettingsTest, EmptyEnvironmentVariablesFallBackToDefaults) {
  setenv("OPENAI_API_KEY", "EMPTY", 1);
  setenv("BASE_URL", "", 1);
  setenv("OPENAI_MODEL", "", 1);
  const LlmSettings settings = Resolve(Json::object());
  EXPECT_EQ(settings.client.base_url, "https://api.openai.com/v1");
  EXPECT_EQ(settings.model, "gpt-4o");
}

TEST_F(LlmSettingsTest, KindDefaultsFromAConfigFileSitBetweenParametersAndEnvironment) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  setenv("OPENAI_MODEL", "env-model", 1);
  registry_.SetKindParams("llm", {{"model", "config-model"}, {"temperature", 0.3}});
  EXPECT_EQ(Resolve(Json::object()).model, "config-model");
  EXPECT_EQ(Resolve(Json::object()).temperature, 0.3);
  EXPECT_EQ(Resolve({{"model", "param-model"}}).model, "param-model");
}

TEST_F(LlmSettingsTest, EveryParameterReachesTheSettings) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  // Strings, as `--param key=value` passes them.
  const LlmSettings settings = Resolve({{"temperature", "0.7"},
                                        {"max_tokens", "16"},
                                        {"enable_thinking", "true"},
                                        {"extra_body", R"({"top_p": 0.9})"},
                                        {"system_prompt", ""},
                                        {"concurrency", "3"},
                                        {"rps", "2.5"},
                                        {"timeout_seconds", "0.5"},
                                        {"max_retries", "0"}});
  EXPECT_EQ(settings.temperature, 0.7);
  EXPECT_EQ(settings.max_tokens, 16);
  EXPECT_TRUE(settings.enable_thinking);
  EXPECT_EQ(settings.extra_body, Json({{"top_p", 0.9}}));
  EXPECT_EQ(settings.system_prompt, "");
  EXPECT_EQ(settings.client.concurrency, 3);
  EXPECT_EQ(settings.client.rps, 2.5);
  EXPECT_EQ(settings.client.timeout_seconds, 0.5);
  EXPECT_EQ(settings.client.max_retries, 0);
  // A sampled request has no single right answer: "auto" does not cache it.
  EXPECT_EQ(settings.cache_path, "");
}

TEST_F(LlmSettingsTest, CacheParameter) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  EXPECT_EQ(Resolve({{"cache", "off"}}).cache_path, "");
  EXPECT_EQ(Resolve({{"cache", ""}}).cache_path, "");
  EXPECT_EQ(Resolve({{"cache", "/data/judge cache.sqlite"}}).cache_path, "/data/judge cache.sqlite");
  // An explicit file is used whatever the temperature.
  EXPECT_EQ(Resolve({{"cache", "/data/c.sqlite"}, {"temperature", 1.0}}).cache_path, "/data/c.sqlite");
  EXPECT_EQ(Resolve({{"cache", "auto"}, {"temperature", 0.0}}).cache_path,
            "/llm-settings-test-cache/llm_cache.sqlite");
}

TEST_F(LlmSettingsTest, NonPositiveTimeoutIsRefusedByName) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  EXPECT_EQ(ResolveError({{"timeout_seconds", 0}}), "parameter 'timeout_seconds': must be positive");
  EXPECT_EQ(ResolveError({{"timeout_seconds", -2.5}}), "parameter 'timeout_seconds': must be positive");
  EXPECT_EQ(Resolve({{"timeout_seconds", 1e-3}}).client.timeout_seconds, 1e-3);
}

// libcurl would read file:// URLs and speak gopher://: a client of rmg serve chose one to
// read the server's /proc/self/environ, key included.
TEST_F(LlmSettingsTest, BaseUrlMustBeHttpOrHttps) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  EXPECT_EQ(ResolveError({{"base_url", "file:///proc/self/environ?"}}),
            "parameter 'base_url': expected an http:// or https:// URL, not a file URL");
  EXPECT_EQ(ResolveError({{"base_url", "gopher://127.0.0.1:8000/_GET"}}),
            "parameter 'base_url': expected an http:// or https:// URL, not a gopher URL");
  EXPECT_EQ(ResolveError({{"base_url", "localhost:8000/v1"}}),
            "parameter 'base_url': expected an http:// or https:// URL, not one without a scheme");
  EXPECT_EQ(Resolve({{"base_url", "HTTPS://api.example/v1"}}).client.base_url, "HTTPS://api.example/v1");
  EXPECT_EQ(Resolve({{"base_url", " http://api.example/v1/ \n"}}).client.base_url, "http://api.example/v1");
  setenv("BASE_URL", "file:///etc/passwd?", 1);
  EXPECT_THAT(ResolveError(Json::object()), ::testing::HasSubstr("not a file URL"));
}

TEST_F(LlmSettingsTest, ExtraBodyMustBeAnObject) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  EXPECT_EQ(ResolveError({{"extra_body", "[1, 2]"}}), "parameter 'extra_body': expected a JSON object");
  EXPECT_EQ(ResolveError({{"extra_body", 5}}), "parameter 'extra_body': expected a JSON object");
  EXPECT_EQ(ResolveError({{"extra_body", "not json"}}), "parameter 'extra_body': expected a JSON object");
  // null means none.
  EXPECT_EQ(Resolve({{"extra_body", nullptr}}).extra_body, Json::object());
}

TEST_F(LlmSettingsTest, RangesAreCheckedAndNamed) {
  setenv("OPENAI_API_KEY", "sk-env", 1);
  EXPECT_EQ(ResolveError({{"max_tokens", 0}}),
            "parameter 'max_tokens' of reward 'llm_settings_probe' must be in [1, 1073741824], got 0");
  EXPECT_EQ(ResolveError({{"concurrency", 65537}}),
            "parameter 'concurrency' of reward 'llm_settings_probe' must be in [1, 65536], got 65537");
  EXPECT_EQ(ResolveError({{"max_retries", -1}}),
            "parameter 'max_retries' of reward 'llm_settings_probe' must be in [0, 100], got -1");
  EXPECT_EQ(ResolveError({{"rps", -0.5}}),
            "parameter 'rps' of reward 'llm_settings_probe' must be at least 0, got -0.5");
  EXPECT_EQ(Resolve({{"max_tokens", 1 << 30}}).max_tokens, 1 << 30);
  EXPECT_EQ(Resolve({{"concurrency", 65536}}).client.concurrency, 65536);
  EXPECT_EQ(Resolve({{"max_retries", 100}}).client.max_retries, 100);
}

LlmSettings LlmSettingsFor(const std::string& model, const std::string& system_prompt = kDefaultSystemPrompt) {
  LlmSettings settings;
  settings.model = model;
  settings.system_prompt = system_prompt;
  return settings;
}

TEST(LlmRequestBodyTest, SystemThenUserMessageAndSampling) {
  LlmSettings settings = LlmSettingsFor("gpt-4o");
  settings.temperature = 0.0;
  settings.max_tokens = 100;
  EXPECT_EQ(ChatRequestBody(settings, "Rate this.").dump(),
            R"({"model":"gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."},)"
            R"({"role":"user","content":"Rate this."}],"temperature":0.0,"max_tokens":100})");
}

TEST(LlmRequestBodyTest, EmptySystemPromptSendsOnlyTheUserMessage) {
  const Json body = ChatRequestBody(LlmSettingsFor("m", ""), "");
  EXPECT_EQ(body["messages"].dump(), R"([{"role":"user","content":""}])");
}

TEST(LlmRequestBodyTest, Qwen3ModelsGetThinkingFields) {
  LlmSettings settings = LlmSettingsFor("Qwen/qwen3-32b");
  settings.enable_thinking = true;
  const Json body = ChatRequestBody(settings, "p");
  EXPECT_EQ(body["enable_thinking"], true);
  EXPECT_EQ(body["thinking_budget"], 8192);
  settings.enable_thinking = false;
  EXPECT_EQ(ChatRequestBody(settings, "p")["enable_thinking"], false);
  // In any case, as served under a Hugging Face id.
  EXPECT_EQ(ChatRequestBody(LlmSettingsFor("Qwen/Qwen3-8B"), "p")["thinking_budget"], 8192);
  // Other models never see them.
  const Json other = ChatRequestBody(LlmSettingsFor("qwen2.5-72b"), "p");
  EXPECT_FALSE(other.contains("enable_thinking"));
  EXPECT_FALSE(other.contains("thinking_budget"));
}

TEST(LlmRequestBodyTest, ExtraBodyIsMergedLastAndWins) {
  LlmSettings settings = LlmSettingsFor("qwen3-8b");
  settings.extra_body = {{"temperature", 0.6}, {"thinking_budget", 100}, {"top_p", 0.95}};
  const Json body = ChatRequestBody(settings, "p");
  EXPECT_EQ(body["temperature"], 0.6);
  EXPECT_EQ(body["thinking_budget"], 100);
  EXPECT_EQ(body["top_p"], 0.95);
  EXPECT_EQ(body["model"], "qwen3-8b");
}

TEST(LlmRequestBodyTest, UnicodePromptIsKeptVerbatim) {
  const std::string prompt = "Évaluez: \"引用\" \\ 🙂\n\t<reason>";
  const Json body = ChatRequestBody(LlmSettingsFor("m"), prompt);
  EXPECT_EQ(body["messages"][1]["content"], prompt);
  EXPECT_EQ(Json::parse(body.dump())["messages"][1]["content"], prompt);
}

ChatClientOptions LlmSharedClientOptions() {
  ChatClientOptions options;
  options.base_url = "http://127.0.0.1:9/v1";
  options.api_key = "sk-shared";
  return options;
}

TEST(LlmSharedClientTest, SameOptionsShareOneClient) {
  const auto first = SharedChatClient(LlmSharedClientOptions());
  const auto second = SharedChatClient(LlmSharedClientOptions());
  EXPECT_EQ(first.get(), second.get());
}

TEST(LlmSharedClientTest, AnyDifferentLimitGivesAnotherClient) {
  const auto base = SharedChatClient(LlmSharedClientOptions());
  std::vector<ChatClientOptions> variants(6, LlmSharedClientOptions());
  variants[0].base_url = "http://127.0.0.1:10/v1";
  variants[1].api_key = "sk-other";
  variants[2].concurrency = 63;
  variants[3].rps = 5;
  variants[4].timeout_seconds = 61;
  variants[5].max_retries = 4;
  for (size_t i = 0; i < variants.size(); ++i) {
    EXPECT_NE(SharedChatClient(variants[i]).get(), base.get()) << "variant " << i;
  }
}

TEST(LlmSharedClientTest, TinyButDifferentLimitsDoNotShare) {
  // rps is any non-negative number; one request per 10^7 s and per 4*10^7 s are different limits.
  ChatClientOptions slow = LlmSharedClientOptions();
  slow.rps = 1e-7;
  ChatClientOptions slower = LlmSharedClientOptions();
  slower.rps = 2.5e-8;
  const auto a = SharedChatClient(slow);
  const auto b = SharedChatClient(slower);
  EXPECT_NE(a.get(), b.get());
}

TEST(LlmSharedClientTest, ClientIsDroppedWithItsLastUser) {
  ChatClientOptions options = LlmSharedClientOptions();
  options.api_key = "sk-dropped";
  auto client = SharedChatClient(options);
  std::weak_ptr<ChatClient> weak = client;
  client.reset();
  // The registry remembers clients weakly: no I/O thread outlives its rewards.
  EXPECT_TRUE(weak.expired());
  auto again = SharedChatClient(options);
  EXPECT_NE(again, nullptr);
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace rmg::llm
