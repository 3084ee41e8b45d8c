// RewardServer: `rmg serve` as a library. Any registered reward over HTTP/1.1
// (keep-alive, pipelining):
//   POST /v1/rewards/{name}:evaluate  {"samples": [DataSample…], "params": {…}}
//                                     -> {"samples": [scored…]}, or with ?view=scores
//                                        {"scores": [[answer score per output] per sample]}
//   GET  /v1/rewards                  the registry listing with parameters
//   POST /get_reward                  OpenRLHF's remote reward protocol
//   POST /run_code                    SandboxFusion's code runner, on rmg's sandbox
//   GET  /healthz, GET /metrics       liveness, Prometheus metrics
// CPU-bound rewards run on a worker pool sized to the cores, LLM judges on their
// asynchronous client. Requests wait in one bounded queue; when it is full the
// answer is 503 with Retry-After instead of growing memory. Every request has a
// deadline. Bad requests get a 4xx JSON error naming the field; a reward that throws
// fails its own request with 500 and nothing else.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rmg/schema.h"

namespace rmg {

// A reward the server runs, with its parameters.
struct ServedReward {
  std::string reward;  // registered name (or alias); a composition's name
  Json params = Json::object();
  int concurrency = 0;           // evaluations at once; 0 = the worker count (LLM judges: 256)
  // A weighted composition or router as `rmg eval --config` describes one
  // ({compose: weighted, ...} or {router: FIELD, ...}; BuildReward in composition.h),
  // null for a registered reward.
  Json composition;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8000;
  int workers = 0;                       // threads for CPU-bound rewards and code runs; 0 = cores
  int io_threads = 0;                    // threads reading and writing HTTP; 0 = cores
  size_t max_body_bytes = 16u << 20;     // larger bodies get 413
  size_t queue_limit = 1024;             // requests waiting for a worker; beyond it, 503
  size_t max_samples_per_request = 4096;
  double request_timeout_seconds = 60;   // per-request deadline, from the moment it was read
  double error_score = 0.0;              // score of a unit that failed or timed out (as rmg eval's)
  double shutdown_grace_seconds = 10;    // how long SIGTERM waits for requests in flight
  std::vector<std::string> api_keys;     // Bearer keys; empty = open (then loopback only unless allow_open)
  bool allow_open = false;               // serve a non-loopback address without api_keys
  // Whether a request may point an LLM judge at its own base_url (with its own api_key).
  // The server then fetches that URL: off, clients cannot reach hosts only it can.
  bool client_llm_endpoints = true;
  bool access_log = true;                // one JSON line per request on stderr
  // Rewards exposed under /v1/rewards/{key}:evaluate; empty exposes every registered
  // reward with its default parameters.
  std::map<std::string, ServedReward> rewards;
  std::optional<ServedReward> get_reward;  // what POST /get_reward runs
};

// Reads a config mapping (YAML or JSON): host, port, workers, io_threads,
// max_body_bytes, queue_limit, max_samples_per_request, request_timeout_seconds,
// error_score, shutdown_grace_seconds, api_keys, allow_open, client_llm_endpoints, access_log,
// rewards: {KEY: NAME | {reward: NAME, params: {…}, concurrency: N} | a composition},
// get_reward: NAME | {reward: NAME, params: {…}} | a composition, where a composition
// is {compose: weighted, ...} or {router: FIELD, ...} as in `rmg eval --config`, with an
// optional concurrency. Unknown keys and wrong types throw
// std::runtime_error naming `origin` and the key.
ServerConfig ParseServerConfig(const Json& config, const std::string& origin);

// The top-level keys ParseServerConfig reads, in the order its messages list them.
const std::vector<std::string>& ServerConfigKeys();

class RewardServer {
 public:
  // Builds the configured rewards. Throws RegistryError / std::runtime_error for an
  // unknown reward, a bad parameter, or an open non-loopback address without allow_open.
  explicit RewardServer(ServerConfig config);

  // Shutdown() if still running.
  ~RewardServer();

  RewardServer(const RewardServer&) = delete;
  RewardServer& operator=(const RewardServer&) = delete;

  // Listens and serves on background threads. Throws std::runtime_error naming the
  // address when it cannot listen.
  void Start();

  // The port listened on (after Start; useful with port 0).
  int port() const;

  // Stops accepting, lets requests in flight finish for up to shutdown_grace_seconds,
  // answers what is still queued with 503, then closes every connection. Returns true
  // when nothing was cut short.
  bool Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rmg
