#include "server/http_server.h"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <thread>

#include "core/json_string.h"
#include "text/unicode.h"

namespace rmg::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxHeaderBytes = 16 * 1024;
// nginx's status for a request whose client closed the connection before the answer.
constexpr unsigned kClientClosedRequest = 499;
// What the connection's read buffer may hold that the parser has not taken yet: a
// header, or a chunk's size line and extensions, or the trailer. Body bytes pass
// through it in reads of at most 64 KiB. Without a bound, a chunk-size line that never
// ends was buffered until the idle timeout: a gigabyte a minute from one connection,
// before any API key was checked.
constexpr size_t kMaxBufferedBytes = 256 * 1024;

// {"error": {"message": ..., "field": ...}}, the field left out when empty.
std::string ErrorJson(const std::string& message, const std::string& field = "") {
  std::string out = "{\"error\": {\"message\": ";
  AppendJsonString(message, &out);
  if (!field.empty()) out += ", \"field\": \"" + field + "\"";  // our own names only
  return out + "}}";
}

std::vector<std::shared_ptr<asio::io_context>> MakeContexts(int count) {
  std::vector<std::shared_ptr<asio::io_context>> contexts;
  for (int i = 0; i < count; ++i) contexts.push_back(std::make_shared<asio::io_context>(1));
  return contexts;
}

// What connections share with the server. Held by shared_ptr: a handler may answer
// after the server stopped, and its connection must still find these.
struct Shared {
  HttpOptions options;
  RequestHandler handler;
  AccessObserver observer;
  std::atomic<size_t> in_flight{0};
  std::atomic<size_t> connections{0};
  // Set by Stop() before the loops stop. A responder called later drops its answer:
  // queued on a stopped loop, it would hold its connection, and the connection the
  // loop, for ever.
  std::shared_mutex stop_mutex;
  bool stopped = false;  // guarded by stop_mutex
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpOptions options, RequestHandler handler, AccessObserver observer)
      : shared_(std::make_shared<Shared>()),
        ios_(MakeContexts(std::max(1, options.io_threads))),
        acceptor_(*ios_[0]) {
    shared_->options = std::move(options);
    shared_->handler = std::move(handler);
    shared_->observer = std::move(observer);
  }

  class Session;

  void Start() {
    beast::error_code ec;
    const HttpOptions& options = shared_->options;
    // "localhost" is the one name accepted: the loopback address, without a resolver.
    const auto address = asio::ip::make_address(options.host == "localhost" ? "127.0.0.1" : options.host, ec);
    if (ec) throw std::runtime_error("cannot listen on '" + options.host + "': not an IP address");
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
    const std::string where = options.host + ":" + std::to_string(options.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    // Keeps run() going while every connection waits on a handler and nothing else is pending.
    for (const auto& io : ios_) work_.emplace_back(io->get_executor());
    Accept();
    for (const auto& io : ios_) threads_.emplace_back([io] { io->run(); });
  }

  void StopAccepting() {
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      accept_retry_.cancel();
    });
  }

  bool WaitIdle(double seconds) {
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (shared_->in_flight.load() > 0) {
      if (Clock::now() >= until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  void Stop() {
    std::lock_guard lock(stop_mutex_);
    if (stopped_) return;
    stopped_ = true;
    {
      std::unique_lock no_more_answers(shared_->stop_mutex);
      shared_->stopped = true;
    }
    StopAccepting();
    // Close every connection and let the I/O threads finish with them, so no session
    // is left holding the io_context (and itself) alive.
    CloseSessions();
    const auto until = Clock::now() + std::chrono::seconds(2);
    while (shared_->connections.load() > 0 && Clock::now() < until && !threads_.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    work_.clear();
    for (const auto& io : ios_) io->stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    // Answers queued before `stopped` was set, and connections opened since the close
    // above, still hold their sessions: close those and run what is left until the
    // loops are empty, so every session lets go of its loop.
    CloseSessions();
    for (const auto& io : ios_) {
      io->restart();
      io->poll();
    }
    // The close posted by StopAccepting may not have run before the loops stopped.
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

  void CloseSessions();

  void CancelRequests();

  void Accept();

  std::shared_ptr<Shared> shared_;
  // One event loop per I/O thread, each connection on one of them: no strands and no
  // wake-ups across threads, the way nginx runs one loop per worker.
  std::vector<std::shared_ptr<asio::io_context>> ios_;
  size_t next_io_ = 0;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_{*ios_[0]};  // on acceptor_'s loop
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  std::mutex stop_mutex_;
  bool stopped_ = false;
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<Session>> sessions_;

  void Remember(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(sessions_mutex_);
    if (sessions_.size() >= 2 * shared_->connections.load() + 64) {
      std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
    }
    sessions_.push_back(session);
  }
};

// One connection: read a request, have it answered, write the answer, repeat.
class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Shared> shared, std::shared_ptr<asio::io_context> io, tcp::socket socket)
      : server_(*shared), shared_(std::move(shared)), io_(std::move(io)), stream_(std::move(socket)) {
    server_.connections.fetch_add(1);
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
  }
  ~Session() { server_.connections.fetch_sub(1); }

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Closes the connection from any thread; a pending read or write ends with an error.
  void CloseSoon() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

  // Gives up the request being handled, if any, from any thread.
  void CancelSoon() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->handling_) self->request_.cancelled->store(true);
    });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(server_.options.max_body_bytes);
    parser_->header_limit(kMaxHeaderBytes);
    stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(server_.options.idle_timeout_seconds)));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // A client that sent "Expect: 100-continue" (curl does for bodies over 1 MiB) waits
  // for a 100 Continue before sending the body, or gives up waiting after a second.
  void OnHeader(beast::error_code ec) {
    if (ec || parser_->is_done()) return OnRead(ec);
    if (!beast::iequals(parser_->get()[http::field::expect], "100-continue")) return ReadBody();
    auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, parser_->get().version());
    http::async_write(stream_, *go_on, [self = shared_from_this(), go_on](beast::error_code write_ec, size_t) {
      if (write_ec) return self->OnRead(write_ec);
      self->ReadBody();
    });
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return Close();
    }
    started_ = Clock::now();
    request_ = HttpRequest();
    request_.remote = remote_;
    handling_ = true;
    client_gone_ = false;
    if (ec) {
      // The request cannot be read: answer once and close, since the stream's framing is lost.
      keep_alive_ = false;
      version_ = 11;
      HttpResponse response;
      if (ec == http::error::body_limit) {
        response.status = 413;
        response.body =
            ErrorJson("request body larger than " + std::to_string(server_.options.max_body_bytes) + " bytes", "body");
      } else if (ec == http::error::header_limit) {
        response.status = 431;
        response.body = ErrorJson("request headers too large");
      } else if (ec == http::error::buffer_overflow) {
        response.status = 400;
        response.body =
            ErrorJson("a chunk header or trailer longer than " + std::to_string(kMaxBufferedBytes) + " bytes", "body");
      } else {
        response.status = 400;
        response.body = ErrorJson("malformed HTTP request: " + ec.message());
      }
      server_.in_flight.fetch_add(1);
      return Write(std::move(response));
    }
    http::request<http::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    request_.method = std::string(message.method_string());
    const std::string target(message.target());
    const size_t question = target.find('?');
    request_.path = target.substr(0, question);
    if (question != std::string::npos) request_.query = target.substr(question + 1);
    request_.authorization = std::string(message[http::field::authorization]);
    server_.in_flight.fetch_add(1);
    // Handlers put the path in messages and logs, which are JSON: it must be UTF-8.
    if (text::ValidUtf8(target) != target) {
      request_.path = text::ValidUtf8(request_.path);
      request_.query.clear();
      HttpResponse response;
      response.status = 400;
      response.body = ErrorJson("the request target is not valid UTF-8");
      return Write(std::move(response));
    }
    HttpRequest for_handler = request_;  // request_ keeps the metadata for the access log
    for_handler.body = std::move(message.body());
    stream_.expires_never();  // the handler's own deadline bounds the work
    // The responder may run on any thread, even after the server stopped; the write
    // goes back through the connection's loop. It answers once: a handler that throws
    // after answering must not answer twice.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    auto respond = [self = shared_from_this(), answered](HttpResponse response) {
      if (answered->exchange(true)) return;
      std::shared_lock lock(self->server_.stop_mutex);
      if (self->server_.stopped) return;
      // dispatch: an answer given on the connection's own loop (a cheap reward scored
      // inline) is written at once, without a trip through the queue.
      asio::dispatch(self->stream_.get_executor(),
                     [self, response = std::move(response)]() mutable { self->Write(std::move(response)); });
    };
    try {
      server_.handler(std::move(for_handler), respond);
    } catch (const std::exception& e) {
      // A handler's bug must cost one request its answer, not the whole server its I/O thread.
      HttpResponse response;
      response.status = 500;
      response.body = ErrorJson("internal error: " + text::ValidUtf8(e.what()));
      respond(std::move(response));
    }
    if (handling_) WatchForHangUp();  // unless the handler answered at once
  }

  // Waits, while the handler works, for the socket to become readable. The client
  // sends nothing more until it has its answer, unless it pipelines its next request:
  // readable with no byte to read means it hung up (or shut its sending side, which
  // HTTP clients do not do while they wait), and the work for it can stop.
  void WatchForHangUp() {
    if (buffer_.size() > 0) return;  // a pipelined request already came: the client is there
    watching_ = true;
    stream_.socket().async_wait(
        tcp::socket::wait_read, [self = shared_from_this(), cancelled = request_.cancelled](beast::error_code ec) {
          if (cancelled != self->request_.cancelled || !self->handling_) return;  // answered meanwhile
          self->watching_ = false;
          if (ec) return;
          char byte;
          const ssize_t peeked = ::recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
          if (peeked > 0) return;  // the next request, pipelined
          if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return self->WatchForHangUp();
          self->client_gone_ = true;
          cancelled->store(true);
        });
  }

  void Write(HttpResponse response) {
    handling_ = false;
    if (watching_) {
      watching_ = false;
      beast::error_code ignored;
      stream_.socket().cancel(ignored);  // the watch's wait; nothing else is pending now
    }
    if (client_gone_) return OnWrite(asio::error::connection_aborted, 0, kClientClosedRequest);
    auto message = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status),
                                                                        version_);
    message->set(http::field::server, "rmg");
    message->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_);
    message->prepare_payload();
    // A client that stops reading must not hold the connection and the answer forever:
    // the write gets the idle timeout too (a stalled write is closed like a silent read).
    stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(server_.options.idle_timeout_seconds)));
    http::async_write(stream_, *message, [self = shared_from_this(), message](beast::error_code ec, size_t bytes) {
      self->OnWrite(ec, bytes, message->result_int());
    });
  }

  void OnWrite(beast::error_code ec, size_t bytes, unsigned status) {
    if (server_.observer) {
      const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
      server_.observer(AccessRecord{&request_, status, bytes, seconds});
    }
    server_.in_flight.fetch_sub(1);
    if (ec) return Close();
    if (!keep_alive_) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  Shared& server_;
  std::shared_ptr<Shared> shared_;
  std::shared_ptr<asio::io_context> io_;  // outlives stream_, which is destroyed first
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kMaxBufferedBytes};
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;
  std::string remote_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool handling_ = false;     // a request was read and its answer not yet written
  bool watching_ = false;     // WatchForHangUp's wait is pending
  bool client_gone_ = false;  // the client hung up while its request was handled
  Clock::time_point started_;
};

void HttpServer::Impl::Accept() {
  // The pending accept holds the loop's index, not the loop: a handler left queued when
  // the loops stop must not keep its own io_context alive.
  const size_t io_index = next_io_++ % ios_.size();
  acceptor_.async_accept(*ios_[io_index], [this, io_index](beast::error_code ec, tcp::socket socket) {
    const std::shared_ptr<asio::io_context>& io = ios_[io_index];
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors, most likely: accepting again at once fails at once,
      // a loop that took a whole core and starved every connection. The client waits
      // in the listen backlog while connections close.
      accept_retry_.expires_after(std::chrono::milliseconds(50));
      accept_retry_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && acceptor_.is_open()) Accept();
      });
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(shared_, io, std::move(socket));
    Remember(session);
    session->Run();
    Accept();
  });
}

void HttpServer::Impl::CancelRequests() {
  std::lock_guard lock(sessions_mutex_);
  for (const std::weak_ptr<Session>& weak : sessions_) {
    if (auto session = weak.lock()) session->CancelSoon();
  }
}

void HttpServer::Impl::CloseSessions() {
  std::lock_guard lock(sessions_mutex_);
  for (const std::weak_ptr<Session>& weak : sessions_) {
    if (auto session = weak.lock()) session->CloseSoon();
  }
}

HttpServer::HttpServer(HttpOptions options, RequestHandler handler, AccessObserver observer)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(observer))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Start() { impl_->Start(); }
int HttpServer::port() const { return impl_->port_; }
void HttpServer::StopAccepting() { impl_->StopAccepting(); }
void HttpServer::CancelRequests() { impl_->CancelRequests(); }
bool HttpServer::WaitIdle(double seconds) { return impl_->WaitIdle(seconds); }
void HttpServer::Stop() { impl_->Stop(); }
size_t HttpServer::in_flight() const { return impl_->shared_->in_flight.load(); }
size_t HttpServer::open_connections() const { return impl_->shared_->connections.load(); }

}  // namespace rmg::server
