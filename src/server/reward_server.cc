// RewardServer: routes HTTP requests to rewards, the OpenRLHF and SandboxFusion
// adapters, health and metrics, through the bounded WorkQueue.
#include <simdjson.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "core/simd_json.h"
#include "rmg/composition.h"
#include "rmg/registry.h"
#include "rmg/reward.h"
#include "rmg/sample_io.h"
#include "rmg/server.h"
#include "server/access_log.h"
#include "server/http_server.h"
#include "server/json_body.h"
#include "server/metrics.h"
#include "server/openrlhf.h"
#include "server/request_error.h"
#include "server/sandbox_fusion.h"
#include "server/work_queue.h"

namespace rmg {
namespace {

using server::HttpRequest;
using server::HttpResponse;
using server::Job;
using server::Lane;
using server::Release;
using server::RequestError;
using server::Responder;

// Turns a request's scored samples, with the failed units of each, into its answer.
using Render = std::function<HttpResponse(const std::vector<DataSample>&, const std::vector<size_t>& failed_units)>;

constexpr int kAsyncConcurrency = 256;  // LLM judge requests in flight per reward, by default
constexpr const char* kEvaluatePrefix = "/v1/rewards/";
constexpr const char* kEvaluateSuffix = ":evaluate";

HttpResponse JsonResponse(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse ErrorResponse(unsigned status, const std::string& message, const std::string& field = "") {
  Json error{{"message", message}};
  if (!field.empty()) error["field"] = field;
  // replace: a message may quote bytes of the request, which need not be UTF-8.
  return JsonResponse(status, Json{{"error", error}}.dump(-1, ' ', false, Json::error_handler_t::replace));
}

HttpResponse ErrorResponse(const RequestError& error) {
  return JsonResponse(static_cast<unsigned>(error.status),
                      server::RequestErrorBody(error).dump(-1, ' ', false, Json::error_handler_t::replace));
}

HttpResponse Overloaded() {
  HttpResponse response = ErrorResponse(503, "server busy: the request queue is full; retry later");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

// A request still queued when its deadline passed: like Overloaded(), a retry may succeed.
HttpResponse WaitedPastItsDeadline() {
  HttpResponse response = ErrorResponse(503, "the request waited past its deadline; retry later");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

// A built reward and the lane that limits how many of its evaluations run at once.
struct RewardEntry {
  std::string key;
  ServedReward served;
  std::shared_ptr<const RewardModel> reward;  // null when its defaults cannot build it (build_error)
  std::string build_error;
  std::shared_ptr<Lane> lane;
  // Running mean of the seconds one sample takes (-1 until measured); races between
  // threads only blur it, which is all it needs to be.
  std::atomic<double> seconds_per_sample{-1.0};

  void Record(double seconds, size_t samples) {
    const double per_sample = seconds / static_cast<double>(std::max<size_t>(1, samples));
    const double mean = seconds_per_sample.load(std::memory_order_relaxed);
    seconds_per_sample.store(mean < 0 ? per_sample : 0.9 * mean + 0.1 * per_sample, std::memory_order_relaxed);
  }
};

// A request whose samples are expected to take less than this is scored on the I/O
// thread that read it: two thread hand-offs would cost more than the work. The
// expectation is a mean over earlier requests, so a request larger than most could
// take far longer: one of 8 MB held the I/O thread, and every connection on it, until
// its deadline. Only small requests are scored there.
constexpr double kInlineSeconds = 100e-6;
constexpr size_t kInlineBodyBytes = 16 * 1024;

// When a request's work must stop: its deadline, counted from its arrival (time spent
// queued counts), and its `cancelled` flag (the client hung up, or the shutdown's grace
// period ended). Copies hold the flag the deadline points to, so work that keeps one
// may check the deadline for as long as it runs (an LLM judge's requests, say).
struct RequestDeadline {
  RequestDeadline(const HttpRequest& request, double seconds)
      : cancelled(request.cancelled), deadline(Deadline::After(seconds).CancelledBy(cancelled.get())) {}
  std::shared_ptr<std::atomic<bool>> cancelled;
  Deadline deadline;
};

// One request's samples on their way through a reward, and how to answer it.
struct PendingBatch {
  PendingBatch(std::vector<DataSample> samples, std::shared_ptr<const RewardModel> reward, Render render,
               Responder respond)
      : samples(std::move(samples)),
        failed_units(this->samples.size(), 0),
        reward(std::move(reward)),
        render(std::move(render)),
        respond(std::move(respond)) {}
  std::vector<DataSample> samples;
  std::vector<size_t> failed_units;  // per sample
  std::shared_ptr<const RewardModel> reward;
  Render render;
  Responder respond;
};

// Scores `samples` with a synchronous reward and renders the answer; an exception
// escaping the reward is this request's 500.
HttpResponse ScoreNow(const RewardModel& reward, std::vector<DataSample>& samples, const EvalContext& context,
                      const Render& render) {
  try {
    std::vector<size_t> failed_units(samples.size(), 0);
    for (size_t i = 0; i < samples.size(); ++i) failed_units[i] = reward.Apply(samples[i], context);
    return render(samples, failed_units);
  } catch (const std::exception& e) {
    return ErrorResponse(500, std::string("the reward failed: ") + e.what());
  }
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// `description` with every api_key's value shown as "(set)": a composition's children
// carry their parameters, and the server's keys are never listed.
Json WithoutSecrets(const Json& description) {
  if (description.is_array()) {
    Json copy = Json::array();
    for (const Json& item : description) copy.push_back(WithoutSecrets(item));
    return copy;
  }
  if (!description.is_object()) return description;
  Json copy = Json::object();
  for (const auto& [key, value] : description.items()) {
    copy[key] = key == "api_key" ? Json("(set)") : WithoutSecrets(value);
  }
  return copy;
}

// What a client may not set in a request's params: the server's key must never go to a
// URL a client chose, a client may not make the server write a file it names, and with
// client_llm_endpoints off it may not choose a URL for the server to fetch at all.
void CheckClientParams(const Json& params, bool client_llm_endpoints) {
  if (params.contains("base_url") && !client_llm_endpoints) {
    throw RequestError(403, "params.base_url",
                       "this server does not let a request choose its LLM endpoint (client_llm_endpoints: false)");
  }
  if (params.contains("base_url") && !params.contains("api_key")) {
    throw RequestError(400, "params.base_url",
                       "a request that sets base_url must set api_key too (the server's key is not sent to it)");
  }
  auto cache = params.find("cache");
  if (cache != params.end() && *cache != "off") {
    throw RequestError(400, "params.cache", "a request may only turn the cache off (\"off\"), not name a file");
  }
}

// The samples of a request body {"samples": [...], "params": {...}}. A sample that is
// not a DataSample does not stop the others: it is listed in `errors` and answered
// with null in its place.
struct EvaluateBody {
  std::vector<DataSample> samples;  // the valid ones, in request order
  std::vector<bool> valid;          // per sample of the request
  Json errors = Json::array();      // {"index", "field", "message"} per invalid sample
  Json params = Json::object();
};

// The length of the array under `key` in the JSON object `body`, counted on
// simdjson's tape, without building a Json tree; nullopt when simdjson cannot read the
// body (the full parse that follows says why) or `key` holds no array. A body of
// millions of empty samples took 35 times its size in memory, and seconds of an I/O
// thread, to build before its count was refused.
std::optional<size_t> ArrayLength(std::string_view body, const char* key) {
  ScopedJsonParser parser(body.size());
  simdjson::dom::array array;
  if (parser.get().parse(body.data(), body.size()).at_key(key).get(array) != simdjson::SUCCESS) return std::nullopt;
  return array.size();
}

// The 413 for a request whose `field` holds `count` `items`, more than `most`; the
// message ends with `why`.
RequestError TooManyItems(const char* field, size_t count, size_t most, const std::string& items,
                          const std::string& why = "") {
  return RequestError(413, field,
                      std::to_string(count) + " " + items + "; at most " + std::to_string(most) + " per request" + why);
}

// Throws TooManyItems() when `body`'s array under `field` holds more than `most` items,
// before the body is parsed into a tree.
void CheckArrayLength(std::string_view body, const char* field, size_t most, const std::string& items,
                      const std::string& why = "") {
  const std::optional<size_t> length = ArrayLength(body, field);
  if (length && *length > most) throw TooManyItems(field, *length, most, items, why);
}

EvaluateBody ParseEvaluateBody(const std::string& body, size_t max_samples, bool client_llm_endpoints) {
  CheckArrayLength(body, "samples", max_samples, "samples");
  // rmg::Json keeps the samples' key order. The body is read as `rmg eval` reads a
  // file (up to kMaxJsonNesting levels, lone surrogate escapes as U+FFFD), not with
  // the protocol adapters' tighter nesting guard: a sample's metadata may nest.
  Json parsed;
  try {
    parsed = ParseJsonAsPythonReads(body);
  } catch (const Json::exception& e) {
    throw RequestError(400, "body", "not valid JSON: " + JsonErrorText(e));
  }
  if (!parsed.is_object()) throw RequestError(400, "body", "the body must be a JSON object");
  EvaluateBody result;
  auto samples = parsed.find("samples");
  if (samples == parsed.end()) throw RequestError(400, "samples", "missing: a list of DataSamples");
  if (!samples->is_array()) throw RequestError(400, "samples", "expected a list of DataSamples");
  if (samples->size() > max_samples) {  // when simdjson could not count them
    throw TooManyItems("samples", samples->size(), max_samples, "samples");
  }
  result.valid.assign(samples->size(), false);
  for (size_t i = 0; i < samples->size(); ++i) {
    try {
      result.samples.push_back(ParseDataSample((*samples)[i].dump()));
      result.valid[i] = true;
    } catch (const std::exception& e) {
      result.errors.push_back(
          Json{{"index", i}, {"field", "samples[" + std::to_string(i) + "]"}, {"message", e.what()}});
    }
  }
  auto params = parsed.find("params");
  if (params != parsed.end() && !params->is_null()) {
    if (!params->is_object()) throw RequestError(400, "params", "expected a mapping of parameters");
    CheckClientParams(*params, client_llm_endpoints);
    result.params = *params;
  }
  return result;
}

// `,"errors": [...]` when some samples of the request were invalid.
std::string ErrorsMember(const Json& errors) {
  if (errors.empty()) return "";
  return ", \"errors\": " + errors.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// ", \"failed_units\": [...]": per sample, its units that failed or timed out and were
// scored error_score (null for an invalid sample); "" when none failed. A trainer
// reading only scores could not tell a judge that timed out from a verdict of 0.
std::string FailedUnitsMember(const std::vector<size_t>& failed_units, const std::vector<bool>& valid) {
  Json counts = Json::array();
  size_t next = 0, failed = 0;
  for (size_t i = 0; i < valid.size(); ++i) {
    if (!valid[i]) {
      counts.push_back(nullptr);
      continue;
    }
    const size_t count = next < failed_units.size() ? failed_units[next] : 0;
    ++next;
    failed += count;
    counts.push_back(count);
  }
  return failed == 0 ? "" : ", \"failed_units\": " + counts.dump();
}

// {"samples": [...]}: the scored samples where `valid` is true, null elsewhere.
std::string SamplesJson(const std::vector<DataSample>& scored, const std::vector<size_t>& failed_units,
                        const std::vector<bool>& valid, const Json& errors) {
  std::string out = "{\"samples\": [";
  size_t next = 0;
  for (size_t i = 0; i < valid.size(); ++i) {
    if (i) out += ", ";
    if (valid[i]) {
      AppendDataSampleJson(scored[next++], &out);
    } else {
      out += "null";
    }
  }
  out += "]" + FailedUnitsMember(failed_units, valid) + ErrorsMember(errors) + "}";
  return out;
}

// {"scores": [[...]]}: each output's score per sample, null for an invalid sample.
std::string ScoresJson(const std::vector<DataSample>& scored, const std::vector<size_t>& failed_units,
                       const std::vector<bool>& valid, const Json& errors) {
  Json scores = Json::array();
  size_t next = 0;
  for (size_t i = 0; i < valid.size(); ++i) {
    if (!valid[i]) {
      scores.push_back(nullptr);
      continue;
    }
    Json row = Json::array();
    for (const DataOutput& output : scored[next++].output) {
      row.push_back(output.answer.reward ? output.answer.reward->score : 0.0);
    }
    scores.push_back(std::move(row));
  }
  return "{\"scores\":" + scores.dump() + FailedUnitsMember(failed_units, valid) + ErrorsMember(errors) + "}";
}

Json ParamJson(const ParamSpec& param) {
  return Json{{"name", param.name},
              {"type", std::string(ParamTypeName(param.type))},
              {"default", param.default_value},
              {"description", param.description}};
}

}  // namespace

class RewardServer::Impl {
 public:
  explicit Impl(ServerConfig config);
  ~Impl();

  void Start();
  int port() const { return http_ ? http_->port() : 0; }
  bool Shutdown();

 private:
  void Handle(HttpRequest request, Responder respond);
  // Answers a POST to `endpoint` (/v1/rewards:evaluate of `reward`, /get_reward or /run_code).
  void Post(const std::string& endpoint, const std::string& reward, HttpRequest request,
            const RequestDeadline& deadline, Responder respond);
  // The POST endpoints; `deadline` is counted from the request's arrival.
  void Evaluate(const std::string& key, HttpRequest request, const RequestDeadline& deadline, Responder respond);
  void GetReward(HttpRequest request, const RequestDeadline& deadline, Responder respond);
  void RunCode(HttpRequest request, const RequestDeadline& limits, Responder respond);
  HttpResponse ListRewards() const;

  // Queues scoring `samples`, read from a body of `body_bytes`, with `entry` (or
  // `reward` built for this request), by `deadline`; `render` turns the scored samples
  // into the answer.
  void Score(const std::shared_ptr<RewardEntry>& entry, std::shared_ptr<const RewardModel> reward,
             std::vector<DataSample> samples, size_t body_bytes, const RequestDeadline& deadline, Render render,
             Responder respond);
  void ScoreInParts(const std::shared_ptr<RewardEntry>& entry, std::shared_ptr<const RewardModel> reward,
                    std::vector<DataSample> samples, const RequestDeadline& deadline, Render render, Responder respond);
  void ScoreAsync(const std::shared_ptr<RewardEntry>& entry, std::shared_ptr<const RewardModel> reward,
                  std::vector<DataSample> samples, const RequestDeadline& deadline, Render render, Responder respond);
  bool Queue(Job job, const std::string& endpoint, const Responder& respond);

  // The entry for `key`: configured, or (when none are configured) built on first use.
  std::shared_ptr<RewardEntry> EntryFor(const std::string& key);
  std::shared_ptr<RewardEntry> Build(const std::string& key, const ServedReward& served) const;

  std::string EndpointOf(const HttpRequest& request, std::string* reward) const;
  void Observe(const server::AccessRecord& record);

  ServerConfig config_;
  int workers_ = 1;
  std::shared_ptr<server::WorkQueue> queue_;
  server::Metrics metrics_;
  std::unique_ptr<server::AccessLog> access_log_;
  std::mutex entries_mutex_;
  std::map<std::string, std::shared_ptr<RewardEntry>> entries_;
  std::shared_ptr<RewardEntry> get_reward_;
  std::shared_ptr<Lane> sandbox_lane_;
  std::shared_ptr<Lane> parse_lane_;  // reading large request bodies
  std::unique_ptr<server::HttpServer> http_;
  bool shut_down_ = false;
};

RewardServer::Impl::Impl(ServerConfig config) : config_(std::move(config)) {
  if (config_.api_keys.empty() && !IsLoopback(config_.host) && !config_.allow_open) {
    throw std::runtime_error("refusing to serve " + config_.host +
                             " without api_keys: set api_keys in the config, or allow_open: true to serve it open");
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  workers_ = config_.workers > 0 ? config_.workers : cores;
  // A reward that cannot be built is named by its place in the configuration.
  for (const auto& [key, served] : config_.rewards) {
    try {
      entries_[key] = Build(key, served);
    } catch (const RegistryError& e) {
      throw RegistryError("rewards." + key + ": " + e.what());
    }
  }
  if (config_.get_reward) {
    try {
      get_reward_ = Build("get_reward", *config_.get_reward);
    } catch (const RegistryError& e) {
      throw RegistryError("get_reward: " + std::string(e.what()));
    }
  }
  sandbox_lane_ = std::make_shared<Lane>(workers_);
  parse_lane_ = std::make_shared<Lane>(workers_);
  if (config_.access_log) access_log_ = std::make_unique<server::AccessLog>(stderr);
}

RewardServer::Impl::~Impl() { Shutdown(); }

std::shared_ptr<RewardEntry> RewardServer::Impl::Build(const std::string& key, const ServedReward& served) const {
  auto entry = std::make_shared<RewardEntry>();
  entry->key = key;
  entry->served = served;
  entry->reward = served.composition.is_null() ? RewardRegistry::Global().Create(served.reward, served.params)
                                               : BuildReward(served.composition);
  const int limit = served.concurrency > 0                   ? served.concurrency
                    : entry->reward->scored_asynchronously() ? kAsyncConcurrency
                                                             : workers_;
  entry->lane = std::make_shared<Lane>(limit);
  return entry;
}

void RewardServer::Impl::Start() {
  // A connection is a file descriptor: let the process use as many as it may.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  queue_ = std::make_shared<server::WorkQueue>(workers_, config_.queue_limit);
  server::HttpOptions options;
  options.host = config_.host;
  options.port = config_.port;
  options.io_threads = config_.io_threads > 0 ? config_.io_threads
                                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.max_body_bytes = config_.max_body_bytes;
  http_ = std::make_unique<server::HttpServer>(
      options, [this](HttpRequest request, Responder respond) { Handle(std::move(request), std::move(respond)); },
      [this](const server::AccessRecord& record) { Observe(record); });
  metrics_.AddGauge("rmg_queue_depth", "Requests waiting for a worker.", [q = queue_] { return double(q->depth()); });
  metrics_.AddGauge("rmg_running", "Requests being evaluated.", [q = queue_] { return double(q->running()); });
  server::HttpServer* http = http_.get();
  metrics_.AddGauge("rmg_in_flight", "Requests read and not yet answered.", [http] { return double(http->in_flight()); });
  metrics_.AddGauge("rmg_open_connections", "Open client connections.",
                    [http] { return double(http->open_connections()); });
  http_->Start();
}

bool RewardServer::Impl::Shutdown() {
  if (shut_down_ || !http_) return true;
  shut_down_ = true;
  http_->StopAccepting();
  const bool drained = http_->WaitIdle(config_.shutdown_grace_seconds);
  // The rewards still scoring see their deadline pass, so that SIGTERM ends the server
  // soon after the grace period.
  http_->CancelRequests();
  queue_->Stop();  // anything still queued is answered 503; what runs ends at its next deadline check
  http_->WaitIdle(1.0);
  http_->Stop();
  if (access_log_) access_log_->Flush();
  return drained;
}

std::string RewardServer::Impl::EndpointOf(const HttpRequest& request, std::string* reward) const {
  const std::string& path = request.path;
  if (path.rfind(kEvaluatePrefix, 0) == 0 && path.size() > std::string(kEvaluatePrefix).size()) {
    const size_t suffix = path.rfind(kEvaluateSuffix);
    if (suffix != std::string::npos && suffix + std::string(kEvaluateSuffix).size() == path.size()) {
      *reward = path.substr(std::string(kEvaluatePrefix).size(), suffix - std::string(kEvaluatePrefix).size());
      return "/v1/rewards:evaluate";
    }
  }
  if (path == "/get_reward") {
    if (get_reward_) *reward = get_reward_->served.reward;
    return path;
  }
  if (path == "/run_code" || path == "/healthz" || path == "/metrics" || path == "/v1/rewards") return path;
  return "other";
}

void RewardServer::Impl::Observe(const server::AccessRecord& record) {
  std::string reward;
  const std::string endpoint = EndpointOf(*record.request, &reward);
  // A metric label per name a client made up would grow /metrics without bound.
  if (endpoint == "/v1/rewards:evaluate" && !config_.rewards.count(reward) &&
      !RewardRegistry::Global().Contains(reward)) {
    reward = "unknown";
  }
  metrics_.Observe(endpoint, reward, record.status, record.seconds);
  if (access_log_) access_log_->Write(*record.request, record.status, record.response_bytes, record.seconds);
}

void RewardServer::Impl::Handle(HttpRequest request, Responder respond) {
  if (!config_.api_keys.empty() && request.path != "/healthz") {
    // The scheme is case-insensitive (RFC 7235): "bearer KEY" is the same credential.
    const std::string prefix = "Bearer ";
    const bool scheme =
        request.authorization.size() >= prefix.size() &&
        std::equal(prefix.begin(), prefix.end(), request.authorization.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        });
    const bool ok = scheme && std::find(config_.api_keys.begin(), config_.api_keys.end(),
                                        request.authorization.substr(prefix.size())) != config_.api_keys.end();
    if (!ok) {
      HttpResponse response = ErrorResponse(401, "missing or wrong API key: send Authorization: Bearer <key>");
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
      return respond(std::move(response));
    }
  }
  std::string reward;
  const std::string endpoint = EndpointOf(request, &reward);
  auto require = [&](const char* method) {
    if (request.method == method) return true;
    HttpResponse response = ErrorResponse(405, request.method + " is not allowed here; use " + method);
    response.headers.emplace_back("Allow", method);
    respond(std::move(response));
    return false;
  };
  if (endpoint == "/healthz") {
    if (require("GET")) respond(JsonResponse(200, "{\"status\": \"ok\"}"));
  } else if (endpoint == "/metrics") {
    if (require("GET")) {
      HttpResponse response = JsonResponse(200, metrics_.Render());
      response.content_type = "text/plain; version=0.0.4";
      respond(std::move(response));
    }
  } else if (endpoint == "/v1/rewards") {
    if (require("GET")) respond(ListRewards());
  } else if (endpoint == "/v1/rewards:evaluate" || endpoint == "/get_reward" || endpoint == "/run_code") {
    if (!require("POST")) return;
    const RequestDeadline deadline(request, config_.request_timeout_seconds);
    if (request.body.size() <= kInlineBodyBytes) {
      return Post(endpoint, reward, std::move(request), deadline, std::move(respond));
    }
    // A large body is parsed on a worker: on the I/O thread its parse (milliseconds per
    // megabyte) would hold every other connection of that thread until it ended.
    auto shared = std::make_shared<HttpRequest>(std::move(request));
    Job job;
    job.lane = parse_lane_;
    job.deadline = deadline.deadline;
    job.run = [this, endpoint, reward, shared, deadline, respond](Release release) {
      Post(endpoint, reward, std::move(*shared), deadline, respond);
      release();
    };
    job.expire = [respond] { respond(WaitedPastItsDeadline()); };
    Queue(std::move(job), endpoint, respond);
  } else {
    respond(ErrorResponse(404, "no such endpoint: " + request.path));
  }
}

void RewardServer::Impl::Post(const std::string& endpoint, const std::string& reward, HttpRequest request,
                              const RequestDeadline& deadline, Responder respond) {
  if (endpoint == "/v1/rewards:evaluate") {
    Evaluate(reward, std::move(request), deadline, std::move(respond));
  } else if (endpoint == "/get_reward") {
    GetReward(std::move(request), deadline, std::move(respond));
  } else {
    RunCode(std::move(request), deadline, std::move(respond));
  }
}

HttpResponse RewardServer::Impl::ListRewards() const {
  Json rewards = Json::array();
  auto describe = [](const std::string& name, const RewardSpec& spec, const Json& params) {
    Json entry{{"name", name}, {"reward", spec.name}, {"kind", spec.kind},
               {"family", std::string(FamilyName(spec.family))}, {"description", spec.description}};
    Json list = Json::array();
    const Json shown = WithoutSecrets(params);  // served values are shown, but not a secret's
    for (const ParamSpec& param : spec.params) {
      Json p = ParamJson(param);
      if (shown.contains(param.name)) p["value"] = shown[param.name];
      list.push_back(std::move(p));
    }
    entry["params"] = std::move(list);
    return entry;
  };
  if (config_.rewards.empty()) {
    for (const RegistryEntry& entry : RewardRegistry::Global().List()) {
      rewards.push_back(describe(entry.name, *entry.spec, Json::object()));
    }
  } else {
    for (const auto& [key, served] : config_.rewards) {
      if (!served.composition.is_null()) {
        rewards.push_back(Json{{"name", key},
                               {"reward", served.reward},
                               {"kind", "composite"},
                               {"family", "composite"},
                               {"description", "composition"},
                               {"composition", WithoutSecrets(served.composition)},
                               {"params", Json::array()}});
        continue;
      }
      rewards.push_back(describe(key, RewardRegistry::Global().Spec(served.reward), served.params));
    }
  }
  return JsonResponse(200, Json{{"rewards", std::move(rewards)}}.dump());
}

std::shared_ptr<RewardEntry> RewardServer::Impl::EntryFor(const std::string& key) {
  std::lock_guard lock(entries_mutex_);
  auto found = entries_.find(key);
  if (found != entries_.end()) return found->second;
  if (!config_.rewards.empty()) {
    std::string names;
    for (const auto& [name, entry] : entries_) names += (names.empty() ? "" : ", ") + name;
    throw RequestError(404, "", "reward '" + key + "' is not served here (served: " + names + ")");
  }
  const RewardRegistry& registry = RewardRegistry::Global();
  if (!registry.Contains(key)) {
    try {
      registry.Spec(key);  // throws the registry's message naming the closest names
    } catch (const RegistryError& e) {
      throw RequestError(404, "", e.what());
    }
    throw RequestError(404, "", "unknown reward: " + key);
  }
  ServedReward served;
  served.reward = key;
  std::shared_ptr<RewardEntry> entry;
  try {
    entry = Build(key, served);
  } catch (const RegistryError& e) {
    // Its defaults cannot build it (an LLM judge without OPENAI_API_KEY, say): each
    // request's params must, and a request without them is told why.
    entry = std::make_shared<RewardEntry>();
    entry->key = key;
    entry->served = served;
    entry->build_error = e.what();
    entry->lane = std::make_shared<Lane>(registry.Spec(key).kind == "llm" ? kAsyncConcurrency : workers_);
  }
  entries_[key] = entry;
  return entry;
}

void RewardServer::Impl::Evaluate(const std::string& key, HttpRequest request, const RequestDeadline& deadline,
                                  Responder respond) {
  const bool scores_only = request.query.find("view=scores") != std::string::npos;
  std::shared_ptr<RewardEntry> entry;
  EvaluateBody body;
  std::shared_ptr<const RewardModel> reward;
  try {
    entry = EntryFor(key);
    body = ParseEvaluateBody(request.body, config_.max_samples_per_request, config_.client_llm_endpoints);
    reward = entry->reward;
    if (body.params.empty() && !reward) throw RequestError(400, "params", entry->build_error);
    if (!body.params.empty() && !entry->served.composition.is_null()) {
      throw RequestError(400, "params", "'" + key + "' is a composition: its parameters are set in the config");
    }
    if (!body.params.empty()) {
      // Request parameters refine the served ones for this request only.
      Json params = entry->served.params;
      for (const auto& [name, value] : body.params.items()) params[name] = value;
      try {
        reward = RewardRegistry::Global().Create(entry->served.reward, params);
      } catch (const RegistryError& e) {
        throw RequestError(400, "params", e.what());
      }
    }
  } catch (const RequestError& e) {
    return respond(ErrorResponse(e));
  }
  Score(
      entry, std::move(reward), std::move(body.samples), request.body.size(), deadline,
      [scores_only, valid = std::move(body.valid), errors = std::move(body.errors)](
          const std::vector<DataSample>& scored, const std::vector<size_t>& failed_units) {
        return JsonResponse(200, scores_only ? ScoresJson(scored, failed_units, valid, errors)
                                             : SamplesJson(scored, failed_units, valid, errors));
      },
      std::move(respond));
}

void RewardServer::Impl::GetReward(HttpRequest request, const RequestDeadline& deadline, Responder respond) {
  if (!get_reward_) {
    return respond(ErrorResponse(404, "no reward is configured for /get_reward: start rmg serve with --reward NAME "
                                      "or set get_reward in the config"));
  }
  std::vector<DataSample> samples;
  try {
    CheckArrayLength(request.body, "query", config_.max_samples_per_request, "queries", " (max_samples_per_request)");
    const server::OpenRlhfBatch batch = server::ParseOpenRlhfRequest(request.body);
    if (batch.queries.size() > config_.max_samples_per_request) {
      throw TooManyItems("query", batch.queries.size(), config_.max_samples_per_request, "queries",
                         " (max_samples_per_request)");
    }
    samples = server::OpenRlhfSamples(batch);
  } catch (const RequestError& e) {
    return respond(ErrorResponse(e));
  }
  Score(
      get_reward_, get_reward_->reward, std::move(samples), request.body.size(), deadline,
      [](const std::vector<DataSample>& scored, const std::vector<size_t>& failed_units) {
        return JsonResponse(200, server::OpenRlhfResponse(scored, failed_units).dump());
      },
      std::move(respond));
}

void RewardServer::Impl::RunCode(HttpRequest request, const RequestDeadline& limits, Responder respond) {
  auto parsed = std::make_shared<server::RunCodeRequest>();
  try {
    *parsed = server::ParseRunCodeRequest(request.body);
  } catch (const RequestError& e) {
    return respond(ErrorResponse(e));
  }
  Job job;
  job.lane = sandbox_lane_;
  job.deadline = limits.deadline;
  // The program is killed when its client hangs up or the shutdown's grace period ends,
  // as scoring is cut short (the job holds the flag, so it outlives the run).
  parsed->cancelled = limits.cancelled.get();
  job.run = [parsed, respond, limits](Release release) {
    const Deadline& deadline = limits.deadline;
    // What is left of the request's deadline bounds the program too (run_timeout may be
    // up to 300 s), the time the request waited in the queue included.
    parsed->run_timeout = std::min(parsed->run_timeout, deadline.SecondsLeft());
    parsed->compile_timeout = std::min(parsed->compile_timeout, deadline.SecondsLeft());
    HttpResponse response = JsonResponse(200, server::RunCode(*parsed).dump());
    release();
    respond(std::move(response));
  };
  job.expire = [respond] { respond(WaitedPastItsDeadline()); };
  Queue(std::move(job), "/run_code", respond);
}

bool RewardServer::Impl::Queue(Job job, const std::string& endpoint, const Responder& respond) {
  if (queue_->TryPush(std::move(job))) return true;
  metrics_.CountRejected(endpoint);
  respond(Overloaded());
  return false;
}

void RewardServer::Impl::Score(const std::shared_ptr<RewardEntry>& entry, std::shared_ptr<const RewardModel> reward,
                               std::vector<DataSample> samples, size_t body_bytes, const RequestDeadline& deadline,
                               Render render, Responder respond) {
  // Failed units are counted per reward, so a judge that keeps failing shows on /metrics,
  // under the reward label its requests have (EndpointOf).
  const std::string label = entry == get_reward_ ? entry->served.reward : entry->key;
  render = [this, key = label, render = std::move(render)](const std::vector<DataSample>& scored,
                                                           const std::vector<size_t>& failed_units) {
    size_t failed = 0;
    for (size_t count : failed_units) failed += count;
    if (failed > 0) metrics_.CountFailedUnits(key, failed);
    return render(scored, failed_units);
  };
  const double per_sample = entry->seconds_per_sample.load(std::memory_order_relaxed);
  if (!reward->is_async() && !reward->runs_programs() && per_sample >= 0 && body_bytes <= kInlineBodyBytes &&
      per_sample * static_cast<double>(samples.size()) < kInlineSeconds && queue_->depth() == 0) {
    EvalContext context;
    context.deadline = deadline.deadline;
    context.error_score = config_.error_score;
    const auto start = std::chrono::steady_clock::now();
    HttpResponse response = ScoreNow(*reward, samples, context, render);
    entry->Record(SecondsSince(start), samples.size());
    return respond(std::move(response));
  }
  if (reward->scored_asynchronously()) {
    return ScoreAsync(entry, std::move(reward), std::move(samples), deadline, std::move(render), respond);
  }
  ScoreInParts(entry, std::move(reward), std::move(samples), deadline, std::move(render), respond);
}

// A synchronous reward's batch in parts, one job each, as many as its lane runs at
// once: one request's samples use every worker the reward may have, rather than one
// worker scoring them all in turn against one deadline.
void RewardServer::Impl::ScoreInParts(const std::shared_ptr<RewardEntry>& entry,
                                      std::shared_ptr<const RewardModel> reward, std::vector<DataSample> samples,
                                      const RequestDeadline& deadline, Render render, Responder respond) {
  struct Batch : PendingBatch {
    using PendingBatch::PendingBatch;
    std::atomic<size_t> parts_left{0};
    std::atomic<bool> answered{false};  // once: the result, a part's 500, an expiry or a rejection

    void Answer(HttpResponse response) {
      if (!answered.exchange(true)) respond(std::move(response));
    }
  };
  const size_t count = samples.size();
  const size_t parts = std::max<size_t>(1, std::min(count, static_cast<size_t>(std::max(1, entry->lane->limit))));
  auto batch = std::make_shared<Batch>(std::move(samples), std::move(reward), std::move(render), respond);
  batch->parts_left = parts;
  for (size_t part = 0; part < parts; ++part) {
    const size_t begin = count * part / parts, end = count * (part + 1) / parts;
    Job job;
    job.lane = entry->lane;
    job.deadline = deadline.deadline;
    job.run = [batch, deadline, entry, begin, end, error_score = config_.error_score](Release release) {
      if (batch->answered) return release();  // another part failed, or expired in the queue
      EvalContext context;
      context.deadline = deadline.deadline;
      context.error_score = error_score;
      const auto start = std::chrono::steady_clock::now();
      try {
        for (size_t i = begin; i < end; ++i) batch->failed_units[i] = batch->reward->Apply(batch->samples[i], context);
      } catch (const std::exception& e) {
        release();
        return batch->Answer(ErrorResponse(500, std::string("the reward failed: ") + e.what()));
      }
      entry->Record(SecondsSince(start), end - begin);
      release();
      if (batch->parts_left.fetch_sub(1) == 1) batch->Answer(batch->render(batch->samples, batch->failed_units));
    };
    job.expire = [batch] { batch->Answer(WaitedPastItsDeadline()); };
    if (!queue_->TryPush(std::move(job))) {
      if (!batch->answered.exchange(true)) {
        metrics_.CountRejected(entry->key);
        respond(Overloaded());
      }
      return;
    }
  }
}

// An LLM judge's batch: one job starts every sample and answers when the last is done.
void RewardServer::Impl::ScoreAsync(const std::shared_ptr<RewardEntry>& entry,
                                    std::shared_ptr<const RewardModel> reward, std::vector<DataSample> samples,
                                    const RequestDeadline& deadline, Render render, Responder respond) {
  struct Batch : PendingBatch {
    using PendingBatch::PendingBatch;
    std::atomic<size_t> remaining{0};
    Release release;
    std::shared_ptr<std::atomic<bool>> cancelled;  // the deadline's flag, held while a request may check it
  };
  auto batch = std::make_shared<Batch>(std::move(samples), std::move(reward), std::move(render), respond);
  Job job;
  job.lane = entry->lane;
  job.deadline = deadline.deadline;
  job.run = [batch, deadline, error_score = config_.error_score](Release release) {
    batch->cancelled = deadline.cancelled;  // outlives every request the judge sends
    EvalContext context;
    context.deadline = deadline.deadline;
    context.error_score = error_score;
    const RewardModel& reward = *batch->reward;
    batch->release = std::move(release);
    batch->remaining = batch->samples.size() + 1;
    auto finish_one = [batch] {
      if (batch->remaining.fetch_sub(1) != 1) return;
      HttpResponse response = batch->render(batch->samples, batch->failed_units);
      batch->release();
      batch->respond(std::move(response));
    };
    for (size_t i = 0; i < batch->samples.size(); ++i) {
      DataSample& sample = batch->samples[i];
      try {
        reward.ApplyAsync(sample, context, [batch, i, finish_one](size_t failed_units) {
          batch->failed_units[i] = failed_units;
          finish_one();
        });
      } catch (const std::exception& e) {
        // Recorded on the sample like the evaluator does; the batch still answers.
        for (DataOutput& output : sample.output) {
          Reward& r = MutableReward(output.answer);
          r.details.push_back(RewardDetail{reward.name(), error_score, "error: " + std::string(e.what()), nullptr});
          RecomputeScore(r);
        }
        batch->failed_units[i] = sample.output.size();
        finish_one();
      }
    }
    finish_one();
  };
  job.expire = [respond] { respond(WaitedPastItsDeadline()); };
  Queue(std::move(job), entry->key, respond);
}

RewardServer::RewardServer(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
RewardServer::~RewardServer() = default;
void RewardServer::Start() { impl_->Start(); }
int RewardServer::port() const { return impl_->port(); }
bool RewardServer::Shutdown() { return impl_->Shutdown(); }

}  // namespace rmg
