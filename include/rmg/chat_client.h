// ChatClient: a client for OpenAI-compatible `POST {base_url}/chat/completions`
// endpoints (OpenAI, vLLM, SGLang, llama.cpp server, Ollama, DashScope …) built for
// throughput and faults. One I/O thread drives libcurl's multi interface, so
// hundreds of requests are in flight without a thread each; connections are kept
// alive (HTTP/2 multiplexed where the server offers it). The client caps requests
// in flight and requests started per second, and retries 429, 5xx, connection
// errors, timeouts and unreadable replies with exponential back-off and full jitter,
// honouring Retry-After. A 401/403 is not retried: it fails this request and every
// later one at once with a message naming OPENAI_API_KEY and BASE_URL.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "rmg/deadline.h"
#include "rmg/schema.h"

namespace rmg {

struct ChatClientOptions {
  std::string base_url;            // e.g. "https://api.openai.com/v1" (no trailing /chat/completions)
  std::string api_key;             // sent as "Authorization: Bearer <api_key>"
  int concurrency = 64;            // requests in flight at most
  double rps = 0.0;                // requests started per second at most; 0 = unlimited
  double timeout_seconds = 60.0;   // one attempt's time limit
  int max_retries = 3;             // attempts after the first one
  double backoff_base_seconds = 0.5;  // back-off before retry k is uniform in [0, min(max, base * 2^k))
  double backoff_max_seconds = 30.0;
  double max_retry_after_seconds = 120.0;  // a longer Retry-After is capped to this
  // After a 401/403, requests fail at once for this long (no retry storm against a server
  // that said no); then one is tried again, as a long-running server outlives a hiccup.
  double auth_failure_hold_seconds = 30.0;
  uint64_t seed = 0;               // jitter seed; 0 = random
};

enum class ChatStatus {
  kOk,
  kAuthError,       // 401/403, or the client already saw one
  kHttpError,       // another non-2xx status (after retries for 429/5xx)
  kTransportError,  // connection refused, reset, no reply (after retries)
  kTimeout,         // the attempt timed out (after retries)
  kBadReply,        // 2xx whose body is not a chat completion (after retries)
  kDeadline,        // the request's deadline passed before it could finish
  kCancelled,       // the client was destroyed first
};

// "ok", "auth_error", "http_error", "transport_error", "timeout", "bad_reply", "deadline", "cancelled".
const char* ChatStatusName(ChatStatus status);

struct ChatRequest {
  // The whole request body: model, messages, temperature, max_tokens and any extra
  // fields (e.g. Qwen3's enable_thinking). Sent as is.
  Json body;
  // No attempt starts after this; each attempt's time limit is cut to it.
  Deadline deadline = Deadline::Never();
  // Attempts allowed for this request; 0 means 1 + options.max_retries.
  int max_attempts = 0;
  // The same request again, as its last reply could not be used (a judge's unreadable
  // verdict): counted in the stats as a retry of it, whose outcome this one's replaces.
  bool reask = false;
};

struct ChatReply {
  ChatStatus status = ChatStatus::kOk;
  std::string content;            // choices[0].message.content ("" when null)
  std::string reasoning_content;  // choices[0].message.reasoning_content (or .reasoning), if any
  std::string error;              // one line when status != kOk
  long http_status = 0;           // of the last attempt; 0 when none got a reply
  int attempts = 0;               // HTTP attempts made

  bool ok() const { return status == ChatStatus::kOk; }
};

// Counters since the client started.
struct ChatClientStats {
  uint64_t requests = 0;     // Submit() calls
  uint64_t attempts = 0;     // HTTP attempts started
  uint64_t retries = 0;      // attempts after a failed one
  uint64_t succeeded = 0;
  uint64_t failed = 0;
  uint64_t max_in_flight = 0;  // the most attempts in flight at once
};

class ChatClient {
 public:
  using Callback = std::function<void(ChatReply)>;

  // Starts the I/O thread. Throws std::invalid_argument for an empty base_url or
  // a non-positive concurrency.
  explicit ChatClient(ChatClientOptions options);

  // Stops the I/O thread; requests still queued or in flight end with kCancelled.
  ~ChatClient();

  ChatClient(const ChatClient&) = delete;
  ChatClient& operator=(const ChatClient&) = delete;

  // Queues `request`; `done` runs exactly once, on the client's I/O thread, when the
  // request succeeded or failed for good. `done` must be quick and must not block:
  // it holds up every other request. Thread-safe.
  void Submit(ChatRequest request, Callback done);

  // Submit() and wait for the reply.
  ChatReply Send(ChatRequest request);

  // Counts a request whose reply came back but could not be used, and will not be asked
  // again (a judge's unreadable verdict after its re-asks), as failed, not succeeded.
  void CountUnusableReply();

  ChatClientStats stats() const;
  const ChatClientOptions& options() const;

  // The sums over every client of this process (for run summaries).
  static ChatClientStats ProcessTotals();

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace rmg
