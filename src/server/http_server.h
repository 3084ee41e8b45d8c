// HttpServer: the HTTP/1.1 transport under `rmg serve`, on Boost.Beast/Asio. It
// accepts connections, reads requests (keep-alive and pipelining: a connection's
// requests are answered in order, one at a time), hands each to a handler that may
// answer from any thread, and writes the answer back. It knows nothing of rewards.
// Malformed or oversized requests are answered 400/413 here, before any handler.
// While a request is handled, its connection is watched: a client that hangs up (or
// closes its sending side) gives the request up, which its `cancelled` flag tells the
// handler; the answer is then dropped and logged with status 499, as nginx does.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rmg::server {

struct HttpRequest {
  std::string method;         // "GET", "POST", ...
  std::string path;           // the target without its query
  std::string query;          // after '?', "" if none
  std::string authorization;  // the Authorization header, "" if none
  std::string body;
  std::string remote;         // the peer's address
  // Set once the request is given up: its client hung up before the answer, or the
  // server's CancelRequests(). Handlers pass it to their deadlines (Deadline::CancelledBy),
  // holding this pointer for as long as the work may check it.
  std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Retry-After
};

// Answers a request exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;
using RequestHandler = std::function<void(HttpRequest, Responder)>;

// Called once per answered request (for the access log and metrics); `status` is 499
// for a request whose client hung up first, its answer not written.
struct AccessRecord {
  const HttpRequest* request;
  unsigned status;
  size_t response_bytes;
  double seconds;
};
using AccessObserver = std::function<void(const AccessRecord&)>;

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8000;                    // 0 picks a free port
  int io_threads = 1;
  size_t max_body_bytes = 16u << 20;  // larger bodies are answered 413
  double idle_timeout_seconds = 60;   // a connection silent this long is closed
};

class HttpServer {
 public:
  HttpServer(HttpOptions options, RequestHandler handler, AccessObserver observer = nullptr);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads. Throws std::runtime_error naming the address.
  void Start();

  // The port listened on (useful after port 0).
  int port() const;

  // Stops accepting connections; requests already read are still answered.
  void StopAccepting();

  // Sets the `cancelled` flag of every request being handled, from any thread.
  void CancelRequests();

  // Waits until no request is being handled or `seconds` pass; true if idle.
  bool WaitIdle(double seconds);

  // Closes every connection and joins the I/O threads. Idempotent.
  void Stop();

  // Requests read and not yet answered.
  size_t in_flight() const;
  size_t open_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rmg::server
