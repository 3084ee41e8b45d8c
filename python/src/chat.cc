// _rmg.chat: one chat completion through rmg's ChatClient (include/rmg/chat_client.h),
// for rm_gallery.core.model.openai_llm.OpenaiLLM. Python rewards that call an LLM
// thus share the C++ judges' client: connection reuse, retries with back-off, the
// 401 message naming OPENAI_API_KEY and BASE_URL, and the GIL released while waiting.
#include "bindings.h"

#include <pybind11/stl.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>

#include "interruptible.h"
#include "llm/llm_settings.h"
#include "rmg/chat_client.h"
#include "rmg/registry.h"

namespace py = pybind11;

namespace {

// The shared LLM parameters (model, base_url, api_key, temperature, ...) with their
// defaults filled in, checked as a reward's would be.
rmg::llm::LlmSettings SettingsFrom(const std::string& params_json) {
  const rmg::Json given = params_json.empty() ? rmg::Json::object() : rmg::Json::parse(params_json);
  if (!given.is_object()) throw rmg::RegistryError("LLM parameters must be a JSON object");
  rmg::Json values = rmg::Json::object();
  for (const rmg::ParamSpec& spec : rmg::llm::LlmParamSpecs()) values[spec.name] = spec.default_value;
  for (const auto& [key, value] : given.items()) {
    if (!values.contains(key)) throw rmg::RegistryError("unknown LLM parameter '" + key + "'");
    values[key] = value;
  }
  return rmg::llm::ResolveLlmSettings(rmg::Params(values));
}

// Sends `messages_json` (an OpenAI messages array) and returns the reply's content and
// reasoning; raises RuntimeError with the client's one-line error when it fails for good.
py::dict Chat(const std::string& params_json, const std::string& messages_json) {
  rmg::llm::LlmSettings settings;
  rmg::ChatRequest request;
  try {
    settings = SettingsFrom(params_json);
    request.body = rmg::llm::ChatRequestBody(settings, "");
    request.body["messages"] = rmg::Json::parse(messages_json);
  } catch (const rmg::RegistryError& e) {
    throw py::value_error(e.what());
  } catch (const rmg::Json::exception& e) {
    throw py::value_error(std::string("chat messages: ") + e.what());
  }
  if (!request.body["messages"].is_array()) throw py::value_error("chat messages must be a JSON array");
  // Waited for where Ctrl-C reaches Python: with the defaults a request may take
  // 11 attempts of 60 s. An interrupt cancels it, on the wire or between retries.
  std::atomic<bool> cancelled{false};
  request.deadline = request.deadline.CancelledBy(&cancelled);
  auto promise = std::make_shared<std::promise<rmg::ChatReply>>();
  std::future<rmg::ChatReply> replied = promise->get_future();
  const std::shared_ptr<rmg::ChatClient> client = rmg::llm::SharedChatClient(settings.client);
  client->Submit(std::move(request), [promise](rmg::ChatReply reply) { promise->set_value(std::move(reply)); });
  WaitAllowingSignals([&](auto slice) { return replied.wait_for(slice) == std::future_status::ready; }, cancelled);
  const rmg::ChatReply reply = replied.get();
  if (!reply.ok()) throw std::runtime_error("API call failed: " + reply.error);
  py::dict out;
  out["content"] = reply.content;
  out["reasoning_content"] = reply.reasoning_content;
  out["attempts"] = reply.attempts;
  return out;
}

}  // namespace

void BindChat(py::module_& m) {
  m.def("chat", &Chat, py::arg("params_json"), py::arg("messages_json"),
        "One chat completion: {content, reasoning_content, attempts}; ValueError for bad parameters, "
        "RuntimeError('API call failed: ...') when the request fails after its retries.");
}
