// The parameters every LLM reward shares — endpoint, model, sampling, limits and
// cache — and how they resolve: a reward parameter wins, then the config file's
// `llm:` section (RewardRegistry::SetKindParams), then the environment
// (OPENAI_API_KEY, BASE_URL, OPENAI_MODEL), then the defaults below.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rmg/chat_client.h"
#include "rmg/registry.h"
#include "rmg/response_cache.h"

namespace rmg::llm {

constexpr const char* kDefaultBaseUrl = "https://api.openai.com/v1";
constexpr const char* kDefaultModel = "gpt-4o";  // RM-Gallery's OpenaiLLM default
// RM-Gallery's simple_chat sends this system message before every prompt.
constexpr const char* kDefaultSystemPrompt = "You are a helpful assistant.";

struct LlmSettings {
  ChatClientOptions client;
  std::string model;
  double temperature = 0.0;
  int max_tokens = 8192;
  bool enable_thinking = false;
  Json extra_body = Json::object();  // merged into every request body
  std::string system_prompt;         // "" sends no system message
  std::string cache_path;            // "" = no cache
  bool cache_optional = false;       // cache=auto: a file that cannot be opened means no cache
};

// The parameter specs of the shared settings, for a RewardSpec.
std::vector<ParamSpec> LlmParamSpecs();

// Resolves the shared settings from a reward's parameters and the environment.
// Throws RegistryError naming OPENAI_API_KEY and BASE_URL when there is no key.
LlmSettings ResolveLlmSettings(const Params& params);

// The request body for one prompt: the system message (if any) and `prompt` as the
// user message, the model and sampling parameters, and extra_body's fields. For
// Qwen3 models it adds enable_thinking and thinking_budget, as RM-Gallery does.
Json ChatRequestBody(const LlmSettings& settings, const std::string& prompt);

// The process-wide client for these options: rewards that talk to the same
// endpoint with the same limits share one I/O thread and one concurrency cap.
std::shared_ptr<ChatClient> SharedChatClient(const ChatClientOptions& options);

}  // namespace rmg::llm
