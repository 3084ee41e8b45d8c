#include "server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rmg::server {
namespace {

constexpr int kHttpWaitMillis = 20000;

// One parsed HTTP response as a client sees it.
struct HttpTestReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  size_t raw_size = 0;  // status line, headers and body as received

  // The value of header `name` (lower case), "" when absent.
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A raw client connection to 127.0.0.1: bytes in, responses out, and every wait bounded.
class HttpTestClient {
 public:
  explicit HttpTestClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~HttpTestClient() {
    if (fd_ >= 0) close(fd_);
  }
  HttpTestClient(const HttpTestClient&) = delete;
  HttpTestClient& operator=(const HttpTestClient&) = delete;

  bool connected() const { return connected_; }

  // Hangs up, as a client that gave up waiting does.
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads one response (status line, headers, Content-Length body); nullopt on EOF or timeout.
  std::optional<HttpTestReply> Read() {
    size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    HttpTestReply reply;
    const std::string head = pending_.substr(0, head_end);
    pending_.erase(0, head_end + 4);
    size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12) return std::nullopt;
    reply.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t value_start = colon + 1;
      while (value_start < line.size() && line[value_start] == ' ') ++value_start;
      reply.headers[name] = line.substr(value_start);
    }
    const size_t length = reply.headers.count("content-length") ? std::stoul(reply.headers["content-length"]) : 0;
    while (pending_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    reply.body = pending_.substr(0, length);
    reply.raw_size = head_end + 4 + length;
    pending_.erase(0, length);
    return reply;
  }

  // The bytes received before the exact text `expected` is complete; false on EOF or timeout.
  bool ReadExactly(const std::string& expected) {
    while (pending_.size() < expected.size()) {
      if (!Fill()) return false;
    }
    const bool same = pending_.compare(0, expected.size(), expected) == 0;
    pending_.erase(0, expected.size());
    return same;
  }

  // True when the server closed the connection with nothing more sent.
  bool ClosedByServer() {
    if (!pending_.empty()) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, kHttpWaitMillis) != 1) return false;
    char byte;
    const ssize_t n = recv(fd_, &byte, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, kHttpWaitMillis) != 1) return false;
    char buffer[65536];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    pending_.append(buffer, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

std::string HttpTestGet(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extra_headers + "\r\n";
}

std::string HttpTestPost(const std::string& target, const std::string& body, const std::string& extra_headers = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

bool HttpTestEventually(const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHttpWaitMillis);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// What the handler saw, and the responders it kept for the test to answer.
class HttpTestInbox {
 public:
  void Take(HttpRequest request, Responder responder) {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
    responders_.push_back(std::move(responder));
    changed_.notify_all();
  }
  bool WaitFor(size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::milliseconds(kHttpWaitMillis),
                             [&] { return requests_.size() >= count; });
  }
  HttpRequest request(size_t i) {
    std::lock_guard lock(mutex_);
    return requests_.at(i);
  }
  size_t size() {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  // Takes the responder of request `i` out of the inbox.
  Responder TakeResponder(size_t i) {
    std::lock_guard lock(mutex_);
    return std::move(responders_.at(i));
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<HttpRequest> requests_;
  std::vector<Responder> responders_;
};

HttpResponse HttpTestText(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (server_) server_->Stop();
  }

  // A server whose handler answers at once with 200 and "<method> <path>".
  void StartEcho(HttpOptions options = HttpOptions()) {
    Start(std::move(options), [this](HttpRequest request, Responder respond) {
      echoed_.fetch_add(1);
      respond(HttpTestText(200, request.method + " " + request.path));
    });
  }

  // A server whose handler keeps every request and responder in inbox_.
  void StartInbox(HttpOptions options = HttpOptions()) {
    Start(std::move(options),
          [this](HttpRequest request, Responder respond) { inbox_.Take(std::move(request), std::move(respond)); });
  }

  void Start(HttpOptions options, RequestHandler handler) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<HttpServer>(std::move(options), std::move(handler), [this](const AccessRecord& record) {
      std::lock_guard lock(access_mutex_);
      access_.push_back({record.request->method, record.request->path, record.request->query, record.request->remote,
                         record.status, record.response_bytes, record.seconds});
      access_changed_.notify_all();
    });
    server_->Start();
  }

  struct Access {
    std::string method, path, query, remote;
    unsigned status;
    size_t bytes;
    double seconds;
  };

  bool WaitForAccess(size_t count) {
    std::unique_lock lock(access_mutex_);
    return access_changed_.wait_for(lock, std::chrono::milliseconds(kHttpWaitMillis),
                                    [&] { return access_.size() >= count; });
  }

  std::vector<Access> access() {
    std::lock_guard lock(access_mutex_);
    return access_;
  }

  std::unique_ptr<HttpServer> server_;
  HttpTestInbox inbox_;
  std::atomic<int> echoed_{0};
  std::mutex access_mutex_;
  std::condition_variable access_changed_;
  std::vector<Access> access_;
};

TEST_F(HttpServerTest, HandlerSeesTheRequestAndItsAnswerGoesBack) {
  StartInbox();
  ASSERT_GT(server_->port(), 0);
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(HttpTestPost("/v1/rewards/m:evaluate?view=scores&x=1?y", "{\"a\": \"é\"}",
                                       "Authorization: Bearer sk-1\r\nContent-Type: application/json\r\n")));
  ASSERT_TRUE(inbox_.WaitFor(1));
  const HttpRequest request = inbox_.request(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v1/rewards/m:evaluate");
  EXPECT_EQ(request.query, "view=scores&x=1?y");  // split at the first '?'
  EXPECT_EQ(request.authorization, "Bearer sk-1");
  EXPECT_EQ(request.body, "{\"a\": \"é\"}");
  EXPECT_EQ(request.remote, "127.0.0.1");
  HttpResponse response;
  response.status = 201;
  response.content_type = "application/x-test";
  response.body = "created";
  response.headers = {{"Retry-After", "3"}, {"X-Rmg-Test", "yes"}};
  inbox_.TakeResponder(0)(response);
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 201);
  EXPECT_EQ(reply->body, "created");
  EXPECT_EQ(reply->Header("content-type"), "application/x-test");
  EXPECT_EQ(reply->Header("retry-after"), "3");
  EXPECT_EQ(reply->Header("x-rmg-test"), "yes");
  EXPECT_EQ(reply->Header("server"), "rmg");
  EXPECT_EQ(reply->Header("content-length"), "7");
}

TEST_F(HttpServerTest, RequestWithoutQueryOrAuthorization) {
  StartInbox();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/healthz")));
  ASSERT_TRUE(inbox_.WaitFor(1));
  const HttpRequest request = inbox_.request(0);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/healthz");
  EXPECT_EQ(request.query, "");
  EXPECT_EQ(request.authorization, "");
  EXPECT_EQ(request.body, "");
  inbox_.TakeResponder(0)(HttpTestText(204, ""));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 204);
}

TEST_F(HttpServerTest, AnswerFromAnotherThreadLaterCountsAsInFlightUntilWritten) {
  StartInbox();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/slow")));
  ASSERT_TRUE(inbox_.WaitFor(1));
  EXPECT_EQ(server_->in_flight(), 1u);
  EXPECT_FALSE(server_->WaitIdle(0.01));
  EXPECT_EQ(server_->open_connections(), 1u);
  std::thread answerer([responder = inbox_.TakeResponder(0)] { responder(HttpTestText(200, "late")); });
  answerer.join();
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "late");
  EXPECT_TRUE(server_->WaitIdle(20));
  EXPECT_EQ(server_->in_flight(), 0u);
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartEcho();
  HttpTestClient client(server_->port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client.Send(HttpTestGet("/r" + std::to_string(i))));
    const auto reply = client.Read();
    ASSERT_TRUE(reply.has_value()) << i;
    EXPECT_EQ(reply->body, "GET /r" + std::to_string(i));
    EXPECT_EQ(reply->Header("connection"), "");
  }
  EXPECT_EQ(server_->open_connections(), 1u);
  EXPECT_EQ(echoed_.load(), 5);
}

TEST_F(HttpServerTest, PipelinedRequestsAreHandledOneAtATimeInOrder) {
  StartInbox();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/1") + HttpTestPost("/2", "two") + HttpTestGet("/3")));
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(inbox_.WaitFor(i + 1)) << i;
    // The next request is read only after this one is answered.
    EXPECT_EQ(inbox_.size(), i + 1);
    EXPECT_EQ(inbox_.request(i).path, "/" + std::to_string(i + 1));
    inbox_.TakeResponder(i)(HttpTestText(200, "answer " + std::to_string(i + 1)));
  }
  EXPECT_EQ(inbox_.request(1).body, "two");
  for (int i = 1; i <= 3; ++i) {
    const auto reply = client.Read();
    ASSERT_TRUE(reply.has_value()) << i;
    EXPECT_EQ(reply->body, "answer " + std::to_string(i));
  }
}

TEST_F(HttpServerTest, AClientThatHangsUpCancelsItsRequestAndIsLogged499) {
  StartInbox();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestPost("/slow", "x")));
  ASSERT_TRUE(inbox_.WaitFor(1));
  const std::shared_ptr<std::atomic<bool>> cancelled = inbox_.request(0).cancelled;
  EXPECT_FALSE(cancelled->load());
  client.Close();
  EXPECT_TRUE(HttpTestEventually([&] { return cancelled->load(); }));
  inbox_.TakeResponder(0)(HttpTestText(200, "too late"));
  ASSERT_TRUE(WaitForAccess(1));
  EXPECT_EQ(access()[0].status, 499u);
  EXPECT_EQ(access()[0].bytes, 0u);
  EXPECT_TRUE(HttpTestEventually([&] { return server_->in_flight() == 0 && server_->open_connections() == 0; }));
}

TEST_F(HttpServerTest, APipelinedRequestDoesNotCancelTheOneBeingHandled) {
  StartInbox();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/1")));
  ASSERT_TRUE(inbox_.WaitFor(1));
  ASSERT_TRUE(client.Send(HttpTestGet("/2")));  // while /1 is handled
  // Time for the server to see the bytes, and to take them for a hang-up if it would.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(inbox_.request(0).cancelled->load());
  inbox_.TakeResponder(0)(HttpTestText(200, "one"));
  ASSERT_TRUE(inbox_.WaitFor(2));
  EXPECT_FALSE(inbox_.request(1).cancelled->load());
  inbox_.TakeResponder(1)(HttpTestText(200, "two"));
  for (const char* expected : {"one", "two"}) {
    const auto reply = client.Read();
    ASSERT_TRUE(reply.has_value()) << expected;
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, expected);
  }
}

TEST_F(HttpServerTest, CancelRequestsCancelsEveryRequestBeingHandledAndTheyAreStillAnswered) {
  StartInbox();
  HttpTestClient first(server_->port()), second(server_->port());
  ASSERT_TRUE(first.Send(HttpTestGet("/a")));
  ASSERT_TRUE(second.Send(HttpTestGet("/b")));
  ASSERT_TRUE(inbox_.WaitFor(2));
  server_->CancelRequests();
  for (size_t i = 0; i < 2; ++i) {
    const auto cancelled = inbox_.request(i).cancelled;
    EXPECT_TRUE(HttpTestEventually([&] { return cancelled->load(); })) << i;
    inbox_.TakeResponder(i)(HttpTestText(200, "cut short"));
  }
  for (HttpTestClient* client : {&first, &second}) {
    const auto reply = client->Read();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->body, "cut short");
  }
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartEcho();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/bye", "Connection: close\r\n")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "GET /bye");
  EXPECT_EQ(reply->Header("connection"), "close");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(HttpServerTest, Http10WithoutKeepAliveGetsItsAnswerThenEof) {
  StartEcho();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\n\r\n"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "GET /old");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(HttpServerTest, BodyAtTheLimitIsAcceptedAndOneByteMoreIs413) {
  HttpOptions options;
  options.max_body_bytes = 10;
  StartEcho(options);
  {
    HttpTestClient client(server_->port());
    ASSERT_TRUE(client.Send(HttpTestPost("/fits", std::string(10, 'x'))));
    const auto reply = client.Read();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 200);
  }
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestPost("/too/big", std::string(11, 'x'))));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->Header("content-type"), "application/json");
  EXPECT_EQ(reply->body, R"({"error": {"message": "request body larger than 10 bytes", "field": "body"}})");
  EXPECT_EQ(reply->Header("connection"), "close");
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(echoed_.load(), 1);  // the handler never saw the oversized request
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413Too) {
  HttpOptions options;
  options.max_body_bytes = 8;
  StartEcho(options);
  HttpTestClient client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(echoed_.load(), 0);
}

// The read buffer had no bound: a chunk-size line that never ended (or a trailer) was
// kept until the idle timeout, however large it grew.
TEST_F(HttpServerTest, AnEndlessChunkHeaderIs400) {
  StartEcho();
  for (const std::string& start : {std::string("5;ext="), std::string("5\r\nhello\r\n0\r\nX-Trailer: ")}) {
    HttpTestClient client(server_->port());
    ASSERT_TRUE(client.Send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + start));
    const std::string block(64 * 1024, 'a');
    for (int i = 0; i < 8 && client.Send(block); ++i) {
    }
    const auto reply = client.Read();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 400);
    EXPECT_NE(reply->body.find("a chunk header or trailer longer than 262144 bytes"), std::string::npos) << reply->body;
    EXPECT_TRUE(client.ClosedByServer());
  }
  EXPECT_EQ(echoed_.load(), 0);
}

TEST_F(HttpServerTest, OversizedHeadersAre431) {
  StartEcho();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/h", "X-Big: " + std::string(17 * 1024, 'h') + "\r\n")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 431);
  EXPECT_EQ(reply->body, R"({"error": {"message": "request headers too large"}})");
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(echoed_.load(), 0);
}

TEST_F(HttpServerTest, MalformedRequestsAre400AndCloseTheConnection) {
  StartEcho();
  const std::vector<std::string> malformed = {
      "THIS IS NOT HTTP\r\n\r\n",
      "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
      "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /x HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
  };
  for (const std::string& bytes : malformed) {
    HttpTestClient client(server_->port());
    ASSERT_TRUE(client.Send(bytes)) << bytes;
    const auto reply = client.Read();
    ASSERT_TRUE(reply.has_value()) << bytes;
    EXPECT_EQ(reply->status, 400) << bytes;
    EXPECT_EQ(reply->body.rfind(R"({"error": {"message": "malformed HTTP request: )", 0), 0u) << reply->body;
    EXPECT_TRUE(client.ClosedByServer()) << bytes;
  }
  EXPECT_EQ(echoed_.load(), 0);
  // The server still serves well-formed requests afterwards.
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/ok")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
}

// Handlers put the path in JSON messages: a byte that is not UTF-8 made nlohmann throw
// on the I/O thread, which ended the process.
TEST_F(HttpServerTest, ATargetThatIsNotUtf8Is400AndTheConnectionStaysUsable) {
  StartEcho();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send("GET /\xe9 HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(reply->body, R"({"error": {"message": "the request target is not valid UTF-8"}})");
  ASSERT_TRUE(client.Send(HttpTestGet("/ok?q=\xff")));
  reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 400);
  ASSERT_TRUE(client.Send(HttpTestGet("/ok")));
  reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(echoed_.load(), 1);
}

TEST_F(HttpServerTest, AHandlerThatThrowsCostsItsRequestA500AndNothingElse) {
  Start(HttpOptions{}, [](HttpRequest request, Responder respond) {
    if (request.path == "/throw") throw std::runtime_error("broken handler\nsecond line");
    if (request.path == "/answer-then-throw") {
      respond(HttpResponse{});
      throw std::runtime_error("after the answer");
    }
    HttpResponse response;
    response.body = "fine";
    respond(std::move(response));
  });
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/throw")));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 500);
  EXPECT_EQ(reply->body, R"({"error": {"message": "internal error: broken handler\nsecond line"}})");
  ASSERT_TRUE(client.Send(HttpTestGet("/answer-then-throw")));
  reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);  // one answer, the handler's own
  ASSERT_TRUE(client.Send(HttpTestGet("/ok")));
  reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "fine");
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimAnswerBeforeTheBody) {
  StartInbox();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  ASSERT_TRUE(client.ReadExactly("HTTP/1.1 100 Continue\r\n\r\n"));
  EXPECT_EQ(inbox_.size(), 0u);  // no body yet, so no request for the handler
  ASSERT_TRUE(client.Send("body"));
  ASSERT_TRUE(inbox_.WaitFor(1));
  EXPECT_EQ(inbox_.request(0).body, "body");
  inbox_.TakeResponder(0)(HttpTestText(200, "got it"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "got it");
}

TEST_F(HttpServerTest, ObserverSeesEveryAnsweredRequestOnce) {
  HttpOptions options;
  options.max_body_bytes = 4;
  StartEcho(options);
  size_t first_size = 0;
  {
    HttpTestClient client(server_->port());
    ASSERT_TRUE(client.Send(HttpTestGet("/a?q=1")));
    const auto first = client.Read();
    ASSERT_TRUE(first.has_value());
    first_size = first->raw_size;
    ASSERT_TRUE(client.Send(HttpTestPost("/b", "xy")));
    ASSERT_TRUE(client.Read().has_value());
  }
  HttpTestClient refused(server_->port());
  ASSERT_TRUE(refused.Send(HttpTestPost("/big", "12345")));
  ASSERT_TRUE(refused.Read().has_value());
  ASSERT_TRUE(WaitForAccess(3));
  const std::vector<Access> records = access();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].method, "GET");
  EXPECT_EQ(records[0].path, "/a");
  EXPECT_EQ(records[0].query, "q=1");
  EXPECT_EQ(records[0].remote, "127.0.0.1");
  EXPECT_EQ(records[0].status, 200u);
  EXPECT_GE(records[0].seconds, 0.0);
  EXPECT_EQ(records[1].method, "POST");
  EXPECT_EQ(records[1].path, "/b");
  EXPECT_EQ(records[2].status, 413u);
  EXPECT_EQ(records[2].remote, "127.0.0.1");
  // The bytes written include the status line and headers, not only the body.
  EXPECT_EQ(records[0].bytes, first_size);
  EXPECT_TRUE(HttpTestEventually([&] { return server_->in_flight() == 0; }));
}

TEST_F(HttpServerTest, ManyConnectionsOnSeveralIoThreads) {
  HttpOptions options;
  options.io_threads = 3;
  StartEcho(options);
  std::vector<std::unique_ptr<HttpTestClient>> clients;
  for (int i = 0; i < 12; ++i) {
    clients.push_back(std::make_unique<HttpTestClient>(server_->port()));
    ASSERT_TRUE(clients.back()->connected());
  }
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(clients[i]->Send(HttpTestGet("/c" + std::to_string(i))));
  for (int i = 0; i < 12; ++i) {
    const auto reply = clients[i]->Read();
    ASSERT_TRUE(reply.has_value()) << i;
    EXPECT_EQ(reply->body, "GET /c" + std::to_string(i));
  }
  EXPECT_TRUE(HttpTestEventually([&] { return server_->open_connections() == 12; }));
  clients.clear();
  EXPECT_TRUE(HttpTestEventually([&] { return server_->open_connections() == 0; }));
}

// Out of file descriptors, accept failed and was tried again at once, for ever: an
// idle server took a whole core. Measured as the process's CPU time while idle.
TEST_F(HttpServerTest, OutOfFileDescriptorsTheServerWaitsInsteadOfSpinning) {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan's vptr check opens a pipe to test that a vtable is readable: in a process with
  // no descriptor left it reports a valid object as one with an invalid vptr, and aborts.
  GTEST_SKIP() << "the sanitizers need file descriptors of their own, which this test takes away";
#endif
  StartEcho();
  rlimit old_limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old_limit), 0);
  rlimit low = old_limit;
  low.rlim_cur = 64;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<std::unique_ptr<HttpTestClient>> clients;
  // Connections the server cannot accept wait in its backlog: open them until this
  // process has no descriptor left for another.
  while (clients.size() < 64) {
    auto client = std::make_unique<HttpTestClient>(server_->port());
    if (!client->connected()) break;
    clients.push_back(std::move(client));
  }
  auto cpu_seconds = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  };
  const double before = cpu_seconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const double used = cpu_seconds() - before;
  clients.resize(clients.size() / 2);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old_limit), 0);
  EXPECT_LT(used, 0.2) << "CPU seconds in 0.5 s with " << clients.size() << " connections";
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/after")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "GET /after");
}

TEST_F(HttpServerTest, SilentConnectionIsClosedAfterTheIdleTimeout) {
  HttpOptions options;
  options.idle_timeout_seconds = 0.2;
  StartEcho(options);
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/once")));
  ASSERT_TRUE(client.Read().has_value());
  // Then silence: the server hangs up.
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_TRUE(HttpTestEventually([&] { return server_->open_connections() == 0; }));
}

// A client that stopped reading held its connection and a 12 MB answer until it died.
TEST_F(HttpServerTest, AClientThatStopsReadingIsCutOffAfterTheIdleTimeout) {
  HttpOptions options;
  options.idle_timeout_seconds = 0.3;
  Start(options, [](HttpRequest, Responder respond) { respond(HttpTestText(200, std::string(64 << 20, 'x'))); });
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/big")));  // and never read the answer
  EXPECT_TRUE(HttpTestEventually([&] { return server_->open_connections() == 0; }));
  ASSERT_TRUE(WaitForAccess(1));
}

TEST_F(HttpServerTest, IdleTimeoutDoesNotCutASlowHandler) {
  HttpOptions options;
  options.idle_timeout_seconds = 0.05;
  StartInbox(options);
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/think")));
  ASSERT_TRUE(inbox_.WaitFor(1));
  // Lets four idle timeouts pass while the handler works: the handler's own deadline
  // bounds that time, not the idle timer.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(server_->open_connections(), 1u);
  inbox_.TakeResponder(0)(HttpTestText(200, "done"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "done");
}

TEST_F(HttpServerTest, StartOnABadHostNamesIt) {
  HttpOptions options;
  options.host = "localhost:80";
  options.port = 0;
  HttpServer server(options, [](HttpRequest, Responder respond) { respond(HttpResponse()); });
  try {
    server.Start();
    FAIL() << "started on a bad host";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot listen on 'localhost:80': not an IP address");
  }
}

TEST_F(HttpServerTest, LocalhostIsTheLoopbackAddress) {
  HttpOptions options;
  options.host = "localhost";
  options.port = 0;
  HttpServer server(options, [](HttpRequest, Responder respond) { respond(HttpTestText(200, "here")); });
  server.Start();
  HttpTestClient client(server.port());  // connects to 127.0.0.1
  ASSERT_TRUE(client.Send(HttpTestGet("/ok")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
}

TEST_F(HttpServerTest, StartOnAPortInUseNamesTheAddress) {
  StartEcho();
  HttpOptions options;
  options.host = "127.0.0.1";
  options.port = server_->port();
  HttpServer second(options, [](HttpRequest, Responder respond) { respond(HttpResponse()); });
  try {
    second.Start();
    FAIL() << "two servers on one port";
  } catch (const std::runtime_error& e) {
    const std::string prefix = "cannot listen on 127.0.0.1:" + std::to_string(server_->port()) + ": ";
    EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
    EXPECT_GT(std::string(e.what()).size(), prefix.size()) << e.what();
  }
}

TEST_F(HttpServerTest, StopAcceptingRefusesNewConnectionsButAnswersReadRequests) {
  StartInbox();
  HttpTestClient early(server_->port());
  ASSERT_TRUE(early.Send(HttpTestGet("/pending")));
  ASSERT_TRUE(inbox_.WaitFor(1));
  server_->StopAccepting();
  // The listening socket closes soon after; from then on connections are refused.
  EXPECT_TRUE(HttpTestEventually([&] { return !HttpTestClient(server_->port()).connected(); }));
  inbox_.TakeResponder(0)(HttpTestText(200, "still answered"));
  const auto reply = early.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body, "still answered");
  EXPECT_TRUE(server_->WaitIdle(20));
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAndIsIdempotent) {
  StartEcho();
  HttpTestClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpTestGet("/x")));
  ASSERT_TRUE(client.Read().has_value());
  const int port = server_->port();
  server_->Stop();
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(server_->open_connections(), 0u);
  EXPECT_FALSE(HttpTestClient(port).connected());
  server_->Stop();
  server_.reset();  // the destructor stops once more
}

TEST_F(HttpServerTest, StopBeforeStartAndDestroyWithoutStart) {
  HttpServer never_started(HttpOptions(), [](HttpRequest, Responder respond) { respond(HttpResponse()); });
  never_started.Stop();
  EXPECT_EQ(never_started.open_connections(), 0u);
  EXPECT_EQ(never_started.in_flight(), 0u);
}

TEST_F(HttpServerTest, AnswerAfterStopIsHarmlessAndLeaksNothing) {
  // The handler's state is owned by the server; when it goes, so must the handler.
  auto sentinel = std::make_shared<int>(7);
  std::weak_ptr<int> watch = sentinel;
  Start(HttpOptions(), [this, sentinel](HttpRequest request, Responder respond) {
    inbox_.Take(std::move(request), std::move(respond));
  });
  sentinel.reset();
  {
    HttpTestClient client(server_->port());
    ASSERT_TRUE(client.Send(HttpTestGet("/late")));
    ASSERT_TRUE(inbox_.WaitFor(1));
    Responder responder = inbox_.TakeResponder(0);
    server_->Stop();
    // A judge finishing after shutdown still answers; nothing may crash or hang.
    responder(HttpTestText(200, "too late"));
  }
  server_.reset();
  EXPECT_TRUE(watch.expired()) << "the connection (and the handler it shares) outlived the server";
}

}  // namespace
}  // namespace rmg::server
