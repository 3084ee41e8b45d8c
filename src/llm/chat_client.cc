#include "rmg/chat_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/simd_json.h"
#include "text/unicode.h"

namespace rmg {
namespace {

using Clock = std::chrono::steady_clock;

// A reply body larger than this is not a chat completion we can use: a million tokens,
// a hundred times a judge's max_tokens. Every sample in flight may hold one, and its
// reason is copied into each output's detail, so the bound is memory's too.
constexpr size_t kMaxReplyBytes = 4u << 20;

// The process-wide sums behind ChatClient::ProcessTotals().
struct Totals {
  std::atomic<uint64_t> requests{0}, attempts{0}, retries{0}, succeeded{0}, failed{0}, max_in_flight{0};
};
Totals& ProcessCounters() {
  static Totals totals;
  return totals;
}

void RaiseMax(std::atomic<uint64_t>& max, uint64_t value) {
  uint64_t seen = max.load(std::memory_order_relaxed);
  while (value > seen && !max.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

void InitCurlOnce() {
  // curl_global_init is not thread-safe; a function-local static runs it exactly once.
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) throw std::runtime_error(std::string("libcurl: ") + curl_easy_strerror(code));
}

// `url` for messages: without a "user:password@" before its host.
std::string WithoutCredentials(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t host = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t path = std::min(url.find_first_of("/?#", host), url.size());
  const size_t at = url.rfind('@', path);
  if (at == std::string::npos || at < host) return url;
  return url.substr(0, host) + url.substr(at + 1);
}

// The start of `text` on one line, for error messages.
std::string Snippet(std::string_view text) { return text::Excerpt(text, 200); }

// The server's own error message (OpenAI: {"error": {"message": ...}}), else a snippet of the body.
std::string ServerMessage(const std::string& body) {
  const Json parsed = ParseJson(body, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("error")) {
    const Json& error = parsed["error"];
    if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      return Snippet(error["message"].get<std::string>());
    }
    if (error.is_string()) return Snippet(error.get<std::string>());
  }
  return Snippet(body);
}

// Reads choices[0].message from a chat.completion body into `reply`; false if it is not one.
bool ReadCompletion(const std::string& body, ChatReply& reply) {
  const Json parsed = ParseJson(body, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return false;
  auto choices = parsed.find("choices");
  if (choices == parsed.end() || !choices->is_array() || choices->empty()) return false;
  const Json& choice = (*choices)[0];
  if (!choice.is_object()) return false;
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) return false;
  auto content = message->find("content");
  if (content != message->end() && content->is_string()) {
    reply.content = content->get<std::string>();
  } else if (content != message->end() && !content->is_null()) {
    return false;
  }
  // vLLM and DashScope say reasoning_content; some servers say reasoning.
  for (const char* key : {"reasoning_content", "reasoning"}) {
    auto reasoning = message->find(key);
    if (reasoning != message->end() && reasoning->is_string()) {
      reply.reasoning_content = reasoning->get<std::string>();
      break;
    }
  }
  return true;
}

}  // namespace

const char* ChatStatusName(ChatStatus status) {
  switch (status) {
    case ChatStatus::kOk: return "ok";
    case ChatStatus::kAuthError: return "auth_error";
    case ChatStatus::kHttpError: return "http_error";
    case ChatStatus::kTransportError: return "transport_error";
    case ChatStatus::kTimeout: return "timeout";
    case ChatStatus::kBadReply: return "bad_reply";
    case ChatStatus::kDeadline: return "deadline";
    case ChatStatus::kCancelled: return "cancelled";
  }
  return "unknown";
}

class ChatClient::Loop {
 public:
  explicit Loop(ChatClientOptions options);
  ~Loop();

  void Submit(ChatRequest request, Callback done);
  ChatClientStats stats() const;
  void CountUnusableReply();  // see ChatClient::CountUnusableReply
  const ChatClientOptions& options() const { return options_; }

 private:
  // One request through all its attempts.
  struct Job {
    ChatRequest request;
    Callback done;
    std::string body_text;
    int max_attempts = 1;
    ChatReply reply;  // attempts so far and the last error
  };
  // One attempt in flight.
  struct Transfer {
    CURL* easy = nullptr;
    std::unique_ptr<Job> job;
    std::string response;
    bool too_large = false;
    int sends = 0;  // requests put on the wire, counting libcurl's own resend on a dead reused connection
    double deadline_seconds = -1;  // the time the sample's deadline left this attempt, when shorter than the timeout
  };

  void Run();
  void StartReady();
  void Start(std::unique_ptr<Job> job, Clock::time_point now);
  void Finished(CURL* easy, CURLcode code);
  void RetryOrConclude(std::unique_ptr<Job> job, double retry_after_seconds);
  void Conclude(std::unique_ptr<Job> job);
  void CancelEverything();
  void EndCancelledJobs();
  long NextWaitMilliseconds();
  double BackoffSeconds(int attempt);
  // Replaces the API key wherever it appears in `text`.
  void RedactKey(std::string* text) const;
  static size_t OnData(char* data, size_t size, size_t count, void* user);
  static int OnDebug(CURL* easy, curl_infotype type, char* data, size_t size, void* user);

  const ChatClientOptions options_;
  const std::string url_;
  const std::string shown_url_;  // url_ in messages, which reach outputs and clients
  CURLM* multi_ = nullptr;
  curl_slist* headers_ = nullptr;

  mutable std::mutex mutex_;  // guards incoming_ and stopping_
  std::deque<std::unique_ptr<Job>> incoming_;
  bool stopping_ = false;

  // Owned by the I/O thread.
  std::multimap<Clock::time_point, std::unique_ptr<Job>> waiting_;  // by earliest start; FIFO among equals
  std::vector<CURL*> idle_;
  std::map<CURL*, std::unique_ptr<Transfer>> in_flight_;
  Clock::time_point next_start_ = Clock::time_point::min();  // the rps limit's next slot
  Clock::time_point next_cancel_sweep_ = Clock::time_point::min();
  Clock::time_point auth_failed_until_ = Clock::time_point::min();  // see auth_failure_hold_seconds
  std::string auth_error_;
  std::mt19937_64 rng_;

  std::atomic<uint64_t> requests_{0}, attempts_{0}, retries_{0}, succeeded_{0}, failed_{0}, max_in_flight_{0};
  std::thread thread_;  // last: starts after everything above is built
};

ChatClient::Loop::Loop(ChatClientOptions options)
    : options_(std::move(options)),
      url_(options_.base_url + "/chat/completions"),
      shown_url_(WithoutCredentials(url_)) {
  if (options_.base_url.empty()) throw std::invalid_argument("ChatClient: base_url is empty");
  if (options_.concurrency <= 0) throw std::invalid_argument("ChatClient: concurrency must be positive");
  InitCurlOnce();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("libcurl: curl_multi_init failed");
  // Several requests share one connection when the server speaks HTTP/2.
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  // Keep a connection alive for every request that may be in flight.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.concurrency));
  headers_ = curl_slist_append(headers_, "Content-Type: application/json");
  headers_ = curl_slist_append(headers_, "Accept: application/json");
  if (!options_.api_key.empty()) {
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + options_.api_key).c_str());
  }
  rng_.seed(options_.seed != 0 ? options_.seed : std::random_device{}());
  thread_ = std::thread([this] { Run(); });
}

ChatClient::Loop::~Loop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  for (CURL* easy : idle_) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi_);
  curl_slist_free_all(headers_);
}

void ChatClient::Loop::Submit(ChatRequest request, Callback done) {
  auto job = std::make_unique<Job>();
  job->body_text = request.body.dump();
  job->max_attempts = request.max_attempts > 0 ? request.max_attempts : 1 + std::max(0, options_.max_retries);
  job->request = std::move(request);
  job->done = std::move(done);
  if (job->request.reask) {
    retries_.fetch_add(1, std::memory_order_relaxed);
    ProcessCounters().retries.fetch_add(1, std::memory_order_relaxed);
  } else {
    requests_.fetch_add(1, std::memory_order_relaxed);
    ProcessCounters().requests.fetch_add(1, std::memory_order_relaxed);
  }
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      incoming_.push_back(std::move(job));
      job = nullptr;
    }
  }
  if (job) {
    job->reply.status = ChatStatus::kCancelled;
    job->reply.error = "the chat client is shutting down";
    Conclude(std::move(job));
    return;
  }
  curl_multi_wakeup(multi_);
}

ChatClientStats ChatClient::Loop::stats() const {
  ChatClientStats s;
  s.requests = requests_.load();
  s.attempts = attempts_.load();
  s.retries = retries_.load();
  s.succeeded = succeeded_.load();
  s.failed = failed_.load();
  s.max_in_flight = max_in_flight_.load();
  return s;
}

void ChatClient::Loop::Run() {
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      const auto now = Clock::now();
      while (!incoming_.empty()) {
        waiting_.emplace(now, std::move(incoming_.front()));
        incoming_.pop_front();
      }
    }
    StartReady();
    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg == CURLMSG_DONE) Finished(message->easy_handle, message->data.result);
    }
    StartReady();
    EndCancelledJobs();
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(NextWaitMilliseconds()), nullptr);
  }
  CancelEverything();
}

// Starts waiting jobs whose time has come while there is room in flight and in the rps budget.
void ChatClient::Loop::StartReady() {
  while (!waiting_.empty() && in_flight_.size() < static_cast<size_t>(options_.concurrency)) {
    const auto now = Clock::now();
    auto first = waiting_.begin();
    if (first->first > now) return;
    if (options_.rps > 0 && next_start_ > now) return;
    std::unique_ptr<Job> job = std::move(first->second);
    waiting_.erase(first);
    if (now < auth_failed_until_) {
      job->reply.status = ChatStatus::kAuthError;
      job->reply.error = auth_error_;
      Conclude(std::move(job));
      continue;
    }
    if (job->request.deadline.Expired()) {
      const bool tried = job->reply.attempts > 0;
      job->reply.error = "the deadline passed" + (tried ? " after " + std::to_string(job->reply.attempts) +
                                                             " attempts; last error: " + job->reply.error
                                                       : std::string(" before the request could start"));
      job->reply.status = ChatStatus::kDeadline;
      Conclude(std::move(job));
      continue;
    }
    if (options_.rps > 0) {
      const auto slot = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / options_.rps));
      next_start_ = std::max(next_start_, now) + slot;  // the next start one slot after this one
    }
    Start(std::move(job), now);
  }
}

void ChatClient::Loop::Start(std::unique_ptr<Job> job, Clock::time_point now) {
  CURL* easy = nullptr;
  if (!idle_.empty()) {
    easy = idle_.back();
    idle_.pop_back();
    curl_easy_reset(easy);  // keeps the connection cache
  } else {
    easy = curl_easy_init();
  }
  auto transfer = std::make_unique<Transfer>();
  transfer->easy = easy;
  // At most a day: milliseconds of a larger limit (1e300) overflow libcurl's long.
  const double attempt_limit = options_.timeout_seconds > 0 ? std::min(options_.timeout_seconds, 86400.0) : 3600.0;
  double seconds = attempt_limit;
  if (job->request.deadline.when() != Clock::time_point::max()) {
    seconds = std::min(seconds, std::chrono::duration<double>(job->request.deadline.when() - now).count());
  }
  if (seconds < attempt_limit) transfer->deadline_seconds = seconds;
  const long timeout_ms = std::max(1L, static_cast<long>(std::ceil(seconds * 1000)));
  curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
  // Only HTTP: never a file:// or gopher:// URL, whoever built the client.
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, job->body_text.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(job->body_text.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Loop::OnData);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // libcurl must not use signals in a threaded program
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  // Over TLS, wait to multiplex on HTTP/2 rather than open a new connection. Plain http
  // is HTTP/1.1 here, and waiting held every request back until the first one's reply
  // (a local vLLM's first slow reply timed out the batch behind it).
  if (url_.rfind("https://", 0) == 0) curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  // libcurl silently sends a request again when a kept-alive connection turns out
  // dead before any reply; the debug hook counts every send so the retry budget
  // holds on the wire, and the last attempt gets a fresh connection so it cannot double.
  curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, &Loop::OnDebug);
  curl_easy_setopt(easy, CURLOPT_DEBUGDATA, transfer.get());
  if (job->max_attempts - job->reply.attempts <= 1) curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  job->reply.attempts += 1;
  if (job->reply.attempts > 1) {
    retries_.fetch_add(1, std::memory_order_relaxed);
    ProcessCounters().retries.fetch_add(1, std::memory_order_relaxed);
  }
  attempts_.fetch_add(1, std::memory_order_relaxed);
  ProcessCounters().attempts.fetch_add(1, std::memory_order_relaxed);
  transfer->job = std::move(job);
  in_flight_.emplace(easy, std::move(transfer));
  RaiseMax(max_in_flight_, in_flight_.size());
  RaiseMax(ProcessCounters().max_in_flight, in_flight_.size());
  curl_multi_add_handle(multi_, easy);
}

size_t ChatClient::Loop::OnData(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->response.size() + bytes > kMaxReplyBytes) {
    transfer->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  transfer->response.append(data, bytes);
  return bytes;
}

int ChatClient::Loop::OnDebug(CURL*, curl_infotype type, char*, size_t, void* user) {
  // Request headers go out in one piece per request sent.
  if (type == CURLINFO_HEADER_OUT) static_cast<Transfer*>(user)->sends += 1;
  return 0;
}

void ChatClient::Loop::Finished(CURL* easy, CURLcode code) {
  curl_multi_remove_handle(multi_, easy);
  auto found = in_flight_.find(easy);
  std::unique_ptr<Transfer> transfer = std::move(found->second);
  in_flight_.erase(found);
  idle_.push_back(easy);
  std::unique_ptr<Job> job = std::move(transfer->job);
  ChatReply& reply = job->reply;
  if (transfer->sends > 1) {
    const uint64_t resent = static_cast<uint64_t>(transfer->sends - 1);
    reply.attempts += transfer->sends - 1;
    attempts_.fetch_add(resent, std::memory_order_relaxed);
    retries_.fetch_add(resent, std::memory_order_relaxed);
    ProcessCounters().attempts.fetch_add(resent, std::memory_order_relaxed);
    ProcessCounters().retries.fetch_add(resent, std::memory_order_relaxed);
  }

  // Before anything quotes the body: a quote cut at 200 bytes would cut the key too.
  RedactKey(&transfer->response);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t retry_after = 0;  // seconds; 0 when the reply had no Retry-After
  curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after);
  reply.http_status = status;

  if (code != CURLE_OK) {
    if (transfer->too_large) {
      reply.status = ChatStatus::kBadReply;
      reply.error = "the reply is larger than " + std::to_string(kMaxReplyBytes >> 20) + " MiB";
      Conclude(std::move(job));
      return;
    }
    reply.status = code == CURLE_OPERATION_TIMEDOUT ? ChatStatus::kTimeout : ChatStatus::kTransportError;
    reply.error = std::string(curl_easy_strerror(code)) + " (" + shown_url_ + ")";
    if (code == CURLE_OPERATION_TIMEDOUT && transfer->deadline_seconds >= 0) {
      // Not the endpoint's slowness alone: the sample had waited (for a connection, a retry).
      char left[32];
      std::snprintf(left, sizeof left, "%.2f", transfer->deadline_seconds);
      reply.error = "the sample's deadline ended the request, which started with " + std::string(left) + " s left (" +
                    shown_url_ + ")";
    }
    RetryOrConclude(std::move(job), -1);
    return;
  }
  if (status == 401 || status == 403) {
    reply.status = ChatStatus::kAuthError;
    reply.error = "HTTP " + std::to_string(status) + " from " + shown_url_ + ": " + ServerMessage(transfer->response) +
                  " (check OPENAI_API_KEY and BASE_URL)";
    auth_failed_until_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(options_.auth_failure_hold_seconds));
    auth_error_ = reply.error;
    Conclude(std::move(job));
    return;
  }
  if (status >= 200 && status < 300) {
    reply.content.clear();
    reply.reasoning_content.clear();
    if (ReadCompletion(transfer->response, reply)) {
      reply.status = ChatStatus::kOk;
      reply.error.clear();
      Conclude(std::move(job));
      return;
    }
    reply.status = ChatStatus::kBadReply;
    reply.error = "HTTP " + std::to_string(status) + " reply is not a chat completion: " + Snippet(transfer->response);
    RetryOrConclude(std::move(job), -1);
    return;
  }
  reply.status = ChatStatus::kHttpError;
  reply.error = "HTTP " + std::to_string(status) + " from " + shown_url_ + ": " + ServerMessage(transfer->response);
  const bool retryable = status == 408 || status == 429 || status >= 500;
  if (!retryable) {
    if (status == 404) reply.error += " (check BASE_URL)";
    Conclude(std::move(job));
    return;
  }
  RetryOrConclude(std::move(job), static_cast<double>(retry_after));
}

void ChatClient::Loop::RedactKey(std::string* text) const {
  // A server that echoes the request's headers (a proxy's error page, a model asked to)
  // must not put the key into a sample's reason. Short keys, such as "EMPTY" for local
  // servers, are no secret.
  const std::string& key = options_.api_key;
  if (key.size() < 8) return;
  for (size_t at = text->find(key); at != std::string::npos; at = text->find(key, at)) {
    text->replace(at, key.size(), "(the API key)");
  }
}

double ChatClient::Loop::BackoffSeconds(int attempt) {
  // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))).
  const double ceiling =
      std::min(options_.backoff_max_seconds, options_.backoff_base_seconds * std::ldexp(1.0, std::max(0, attempt - 1)));
  std::uniform_real_distribution<double> uniform(0.0, std::max(ceiling, 0.0));
  return ceiling > 0 ? uniform(rng_) : 0.0;
}

void ChatClient::Loop::RetryOrConclude(std::unique_ptr<Job> job, double retry_after_seconds) {
  if (job->reply.attempts >= job->max_attempts) {
    job->reply.error += " (after " + std::to_string(job->reply.attempts) + " attempts)";
    Conclude(std::move(job));
    return;
  }
  double delay = BackoffSeconds(job->reply.attempts);
  if (retry_after_seconds > 0) delay = std::min(retry_after_seconds, options_.max_retry_after_seconds);
  const auto ready = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
  if (job->request.deadline.when() <= ready) {
    job->reply.error += " (no time left for a retry before the deadline)";
    Conclude(std::move(job));
    return;
  }
  waiting_.emplace(ready, std::move(job));
}

void ChatClient::Loop::Conclude(std::unique_ptr<Job> job) {
  if (job->request.reask) {
    // The request was counted as succeeded when its first reply came back.
    if (!job->reply.ok()) CountUnusableReply();
  } else if (job->reply.ok()) {
    succeeded_.fetch_add(1, std::memory_order_relaxed);
    ProcessCounters().succeeded.fetch_add(1, std::memory_order_relaxed);
  } else {
    failed_.fetch_add(1, std::memory_order_relaxed);
    ProcessCounters().failed.fetch_add(1, std::memory_order_relaxed);
  }
  RedactKey(&job->reply.error);  // as the server's message decoded it (a JSON escape, say)
  // A throwing callback must not take the I/O thread (and every other request) down.
  try {
    job->done(std::move(job->reply));
  } catch (...) {
  }
}

void ChatClient::Loop::CancelEverything() {
  std::vector<std::unique_ptr<Job>> jobs;
  for (auto& [easy, transfer] : in_flight_) {
    curl_multi_remove_handle(multi_, easy);
    idle_.push_back(easy);
    jobs.push_back(std::move(transfer->job));
  }
  in_flight_.clear();
  for (auto& [when, job] : waiting_) jobs.push_back(std::move(job));
  waiting_.clear();
  {
    std::lock_guard lock(mutex_);
    for (auto& job : incoming_) jobs.push_back(std::move(job));
    incoming_.clear();
  }
  for (auto& job : jobs) {
    job->reply.status = ChatStatus::kCancelled;
    job->reply.error = "the chat client was shut down before the request finished";
    Conclude(std::move(job));
  }
}

// Ends, with kDeadline, the jobs whose deadline was cancelled (Deadline::CancelledBy):
// those in flight are taken off the wire, those waiting for a retry never start. A
// time limit needs no sweep (curl's timeout and StartReady see it).
void ChatClient::Loop::EndCancelledJobs() {
  const auto now = Clock::now();
  if (now < next_cancel_sweep_) return;  // a sweep visits every job: not on every wake of a busy loop
  next_cancel_sweep_ = now + std::chrono::milliseconds(100);
  std::vector<std::unique_ptr<Job>> jobs;
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    if (!it->second->job->request.deadline.Cancelled()) {
      ++it;
      continue;
    }
    curl_multi_remove_handle(multi_, it->first);
    idle_.push_back(it->first);
    jobs.push_back(std::move(it->second->job));
    it = in_flight_.erase(it);
  }
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (!it->second->request.deadline.Cancelled()) {
      ++it;
      continue;
    }
    jobs.push_back(std::move(it->second));
    it = waiting_.erase(it);
  }
  for (auto& job : jobs) {
    job->reply.status = ChatStatus::kDeadline;
    job->reply.error = "cancelled" + (job->reply.error.empty() ? std::string()
                                                               : " after " + std::to_string(job->reply.attempts) +
                                                                     " attempts; last error: " + job->reply.error);
    Conclude(std::move(job));
  }
}

// How long the loop may sleep: until curl needs attention, a waiting job's time
// comes or the rps budget allows the next start; never more than a second, and a
// fifth of one while there are jobs, so that a cancelled one ends soon.
long ChatClient::Loop::NextWaitMilliseconds() {
  long wait = in_flight_.empty() && waiting_.empty() ? 1000 : 200;
  long curl_wait = -1;
  curl_multi_timeout(multi_, &curl_wait);
  if (curl_wait >= 0) wait = std::min(wait, curl_wait);
  if (!waiting_.empty() && in_flight_.size() < static_cast<size_t>(options_.concurrency)) {
    auto when = waiting_.begin()->first;
    if (options_.rps > 0) when = std::max(when, next_start_);
    const auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()).count();
    wait = std::min<long>(wait, std::max<long>(0, delta + 1));
  }
  return wait;
}

ChatClient::ChatClient(ChatClientOptions options) : loop_(std::make_unique<Loop>(std::move(options))) {}

ChatClient::~ChatClient() = default;

void ChatClient::Submit(ChatRequest request, Callback done) { loop_->Submit(std::move(request), std::move(done)); }

ChatReply ChatClient::Send(ChatRequest request) {
  std::promise<ChatReply> promise;
  std::future<ChatReply> future = promise.get_future();
  Submit(std::move(request), [&promise](ChatReply reply) { promise.set_value(std::move(reply)); });
  return future.get();
}

ChatClientStats ChatClient::stats() const { return loop_->stats(); }

void ChatClient::CountUnusableReply() { loop_->CountUnusableReply(); }

void ChatClient::Loop::CountUnusableReply() {
  succeeded_.fetch_sub(1, std::memory_order_relaxed);
  failed_.fetch_add(1, std::memory_order_relaxed);
  ProcessCounters().succeeded.fetch_sub(1, std::memory_order_relaxed);
  ProcessCounters().failed.fetch_add(1, std::memory_order_relaxed);
}

const ChatClientOptions& ChatClient::options() const { return loop_->options(); }

ChatClientStats ChatClient::ProcessTotals() {
  const Totals& t = ProcessCounters();
  ChatClientStats s;
  s.requests = t.requests.load();
  s.attempts = t.attempts.load();
  s.retries = t.retries.load();
  s.succeeded = t.succeeded.load();
  s.failed = t.failed.load();
  s.max_in_flight = t.max_in_flight.load();
  return s;
}

}  // namespace rmg
