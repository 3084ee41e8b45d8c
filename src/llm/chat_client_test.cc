#include "rmg/chat_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "llm/testing/scripted_server.h"

namespace rmg {
namespace {

using llm::testing::ScriptedServer;
using Clock = std::chrono::steady_clock;

Json Rule(const std::string& match, const std::string& reply, Json faults = Json::array()) {
  return Json{{"match", match}, {"reply", reply}, {"faults", std::move(faults)}};
}

ChatRequest Ask(const std::string& prompt) {
  ChatRequest request;
  request.body = Json{{"model", "test-model"},
                      {"messages", Json::array({Json{{"role", "user"}, {"content", prompt}}})},
                      {"temperature", 0}};
  return request;
}

ChatClientOptions OptionsFor(const ScriptedServer& server) {
  ChatClientOptions options;
  options.base_url = server.base_url();
  options.api_key = "test-key";
  options.timeout_seconds = 10;
  options.backoff_base_seconds = 0.01;  // keep retries quick; the policy is the same
  options.seed = 7;
  return options;
}

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

TEST(ChatClientTest, ReturnsContentAndReasoning) {
  Json rule = Rule("capital", "<best>2</best>");
  rule["reasoning_content"] = "Paris is in France.";
  auto server = ScriptedServer::StartWithScript(Json{{"rules", Json::array({rule})}});
  ChatClient client(OptionsFor(*server));
  const ChatReply reply = client.Send(Ask("What is the capital of France?"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.content, "<best>2</best>");
  EXPECT_EQ(reply.reasoning_content, "Paris is in France.");
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_EQ(reply.http_status, 200);
  // The body went out as given, with the key as a bearer token (the server checks neither here).
  const std::vector<Json> requests = server->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["model"], "test-model");
  EXPECT_EQ(requests[0]["messages"][0]["content"], "What is the capital of France?");
}

TEST(ChatClientTest, RetriesServerErrorsThenSucceeds) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("flaky", "fine", Json::array({"500", "500"}))})}});
  ChatClient client(OptionsFor(*server));
  const ChatReply reply = client.Send(Ask("flaky question"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.content, "fine");
  EXPECT_EQ(reply.attempts, 3);
  EXPECT_EQ(client.stats().retries, 2u);
}

TEST(ChatClientTest, HonoursRetryAfter) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("busy", "ok", Json::array({"429"}))})}}, {"--retry-after", "1"});
  ChatClient client(OptionsFor(*server));
  const auto start = Clock::now();
  const ChatReply reply = client.Send(Ask("busy server"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.attempts, 2);
  // The back-off alone would be at most 10 ms; the server asked for a second.
  EXPECT_GE(SecondsSince(start), 0.9);
}

// A 500 without Retry-After waits out the back-off: it was retried at once (libcurl
// reports a missing header as 0 s), 33 requests in a second against a struggling server.
TEST(ChatClientTest, ANoRetryAfterReplyWaitsForTheBackOff) {
  auto server =
      ScriptedServer::StartWithScript(Json{{"rules", Json::array({Rule("struggling", "ok", Json::array({"500"}))})}});
  ChatClientOptions options = OptionsFor(*server);
  options.backoff_base_seconds = 1000;  // the seeded draw from [0, 1000) s is far past the deadline
  ChatClient client(options);
  ChatRequest request = Ask("struggling server");
  request.deadline = Deadline::After(5);
  const ChatReply reply = client.Send(request);
  EXPECT_EQ(reply.status, ChatStatus::kHttpError);
  EXPECT_NE(reply.error.find("no time left for a retry"), std::string::npos) << reply.error;
  EXPECT_EQ(server->Stats()["requests"], 1);
}

// user:password@ in BASE_URL stays out of error messages, which reach outputs and clients.
TEST(ChatClientTest, ErrorsDoNotShowTheUrlsCredentials) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("failing", "never", Json(std::vector<std::string>(5, "500")))})}});
  ChatClientOptions options = OptionsFor(*server);
  const std::string base = server->base_url();
  options.base_url = base.substr(0, base.find("://") + 3) + "proxyuser:PROXYPASS@" + base.substr(base.find("://") + 3);
  options.max_retries = 0;
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("failing request"));
  EXPECT_EQ(reply.status, ChatStatus::kHttpError);
  EXPECT_EQ(reply.error.find("PROXYPASS"), std::string::npos) << reply.error;
  EXPECT_EQ(reply.error.find("proxyuser"), std::string::npos) << reply.error;
  EXPECT_NE(reply.error.find(base.substr(base.find("://") + 3)), std::string::npos) << reply.error;
}

TEST(ChatClientTest, ErrorsDoNotShowTheApiKeyAServerEchoed) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("echo", "never", Json::array({"echo_auth"}))})}});
  ChatClientOptions options = OptionsFor(*server);
  options.api_key = "sk-THE-SECRET-KEY-123";
  options.max_retries = 0;
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("echo"));
  EXPECT_EQ(reply.status, ChatStatus::kHttpError);
  EXPECT_EQ(reply.error.find("sk-THE"), std::string::npos) << reply.error;  // not even its start
  EXPECT_NE(reply.error.find("Bearer (the"), std::string::npos) << reply.error;
}

TEST(ChatClientTest, AReplyDoesNotCarryTheApiKey) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("leak", "<best>1</best> sk-THE-SECRET-KEY-123 is the key")})}});
  ChatClientOptions options = OptionsFor(*server);
  options.api_key = "sk-THE-SECRET-KEY-123";
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("leak"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.content, "<best>1</best> (the API key) is the key");
}

TEST(ChatClientTest, GivesUpAfterMaxRetries) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("doomed", "never", Json(std::vector<std::string>(10, "500")))})}});
  ChatClientOptions options = OptionsFor(*server);
  options.max_retries = 2;
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("doomed question"));
  EXPECT_EQ(reply.status, ChatStatus::kHttpError);
  EXPECT_EQ(reply.http_status, 500);
  EXPECT_EQ(reply.attempts, 3);
  EXPECT_NE(reply.error.find("after 3 attempts"), std::string::npos) << reply.error;
  EXPECT_EQ(server->Stats()["requests"], 3);
}

TEST(ChatClientTest, RetriesDroppedConnectionsAndMalformedReplies) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("dropped", "after drop", Json::array({"drop"})),
                                  Rule("garbled", "after garble", Json::array({"malformed", "empty"}))})}});
  ChatClient client(OptionsFor(*server));
  const ChatReply dropped = client.Send(Ask("dropped connection"));
  ASSERT_TRUE(dropped.ok()) << dropped.error;
  EXPECT_EQ(dropped.content, "after drop");
  EXPECT_EQ(dropped.attempts, 2);
  const ChatReply garbled = client.Send(Ask("garbled reply"));
  ASSERT_TRUE(garbled.ok()) << garbled.error;
  EXPECT_EQ(garbled.content, "after garble");
  EXPECT_EQ(garbled.attempts, 3);
}

TEST(ChatClientTest, ResendsOnAReusedConnectionCountAgainstTheBudget) {
  // libcurl resends by itself when a kept-alive connection dies before replying.
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("dropped", "never", Json(std::vector<std::string>(10, "drop")))})}});
  ChatClientOptions options = OptionsFor(*server);
  options.max_retries = 2;
  ChatClient client(options);
  ASSERT_TRUE(client.Send(Ask("warm up the connection")).ok());
  const ChatReply reply = client.Send(Ask("dropped again and again"));
  EXPECT_EQ(reply.status, ChatStatus::kTransportError);
  EXPECT_EQ(reply.attempts, 3);
  EXPECT_EQ(server->Stats()["attempts_by_prompt_max"], 3);  // on the wire, not just in our count
}

TEST(ChatClientTest, TimesOutASlowAttemptAndRetries) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("slow", "in time", Json::array({"slow"}))})}}, {"--slow-seconds", "5"});
  ChatClientOptions options = OptionsFor(*server);
  options.timeout_seconds = 0.5;
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("slow question"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.attempts, 2);
}

TEST(ChatClientTest, DeadlineEndsARequestThatKeepsFailing) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("slow", "late", Json::array({"slow", "slow", "slow"}))})}},
      {"--slow-seconds", "5"});
  ChatClient client(OptionsFor(*server));
  ChatRequest request = Ask("slow question");
  request.deadline = Deadline::After(0.5);
  const ChatReply reply = client.Send(std::move(request));
  EXPECT_FALSE(reply.ok());
  EXPECT_TRUE(reply.status == ChatStatus::kTimeout || reply.status == ChatStatus::kDeadline) << reply.error;
  // The reason says the sample's deadline, not the endpoint, cut the attempt short.
  EXPECT_NE(reply.error.find("the sample's deadline ended the request, which started with 0."), std::string::npos)
      << reply.error;
}

// Ctrl-C in Python cancels the deadline of a request that would otherwise wait out its
// whole timeout: it must end within the client's sweep, between retries or on the wire.
TEST(ChatClientTest, ACancelledDeadlineEndsARequestWaitingToRetryOrInFlight) {
  auto server = ScriptedServer::StartWithScript(
      Json{{"rules", Json::array({Rule("slow", "late", Json::array({"slow"})),
                                  Rule("busy", "later", Json::array({"429", "429"}))})}},
      {"--slow-seconds", "30", "--retry-after", "30"});
  ChatClientOptions options = OptionsFor(*server);
  options.timeout_seconds = 60;
  ChatClient client(options);
  const auto submit = [&client](const char* prompt, const std::atomic<bool>* cancelled) {
    auto promise = std::make_shared<std::promise<ChatReply>>();
    std::future<ChatReply> reply = promise->get_future();
    ChatRequest request = Ask(prompt);
    request.deadline = Deadline::Never().CancelledBy(cancelled);
    client.Submit(std::move(request), [promise](ChatReply reply) { promise->set_value(std::move(reply)); });
    return reply;
  };
  const auto wait_for_requests = [&server](int count) {
    for (int i = 0; i < 1000 && server->Stats()["requests"] < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return server->Stats()["requests"] == count;
  };
  // Told to come back in 30 s (the server answers one request at a time, so this one first).
  std::atomic<bool> cancel_busy{false};
  std::future<ChatReply> busy = submit("busy question", &cancel_busy);
  ASSERT_TRUE(wait_for_requests(1));
  cancel_busy = true;
  ASSERT_EQ(busy.wait_for(std::chrono::seconds(5)), std::future_status::ready);  // not the 30 s
  ChatReply reply = busy.get();
  EXPECT_EQ(reply.status, ChatStatus::kDeadline);
  EXPECT_EQ(reply.error.rfind("cancelled after 1 attempts; last error: HTTP 429", 0), 0u) << reply.error;
  // On the wire, with a reply 30 s away.
  std::atomic<bool> cancel_slow{false};
  std::future<ChatReply> slow = submit("slow question", &cancel_slow);
  ASSERT_TRUE(wait_for_requests(2));
  EXPECT_EQ(slow.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  cancel_slow = true;
  ASSERT_EQ(slow.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  reply = slow.get();
  EXPECT_EQ(reply.status, ChatStatus::kDeadline);
  EXPECT_EQ(reply.error, "cancelled");
  EXPECT_EQ(client.stats().attempts, 2u);  // the busy question's retry never started
}

TEST(ChatClientTest, AuthFailureFailsFastAndStaysFailed) {
  auto server = ScriptedServer::Start({"--api-key", "the-right-key"});
  ChatClientOptions options = OptionsFor(*server);
  options.api_key = "a-wrong-key";
  ChatClient client(options);
  const ChatReply first = client.Send(Ask("hello"));
  EXPECT_EQ(first.status, ChatStatus::kAuthError);
  EXPECT_EQ(first.http_status, 401);
  EXPECT_EQ(first.attempts, 1);
  EXPECT_NE(first.error.find("OPENAI_API_KEY"), std::string::npos) << first.error;
  EXPECT_NE(first.error.find("BASE_URL"), std::string::npos) << first.error;
  // Later requests fail at once: no retry storm against a server that said no.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.Send(Ask("again " + std::to_string(i))).status, ChatStatus::kAuthError);
  EXPECT_EQ(server->Stats()["requests"], 1);
}

// The hold ends: a long-running server tries again after a proxy's hiccup.
TEST(ChatClientTest, AnAuthFailureIsHeldOnlyForItsHoldTime) {
  auto server = ScriptedServer::Start({"--api-key", "the-right-key"});
  ChatClientOptions options = OptionsFor(*server);
  options.api_key = "a-wrong-key";
  options.auth_failure_hold_seconds = 0.3;
  ChatClient client(options);
  EXPECT_EQ(client.Send(Ask("hello")).status, ChatStatus::kAuthError);
  EXPECT_EQ(client.Send(Ask("held")).status, ChatStatus::kAuthError);
  EXPECT_EQ(server->Stats()["requests"], 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(client.Send(Ask("after the hold")).status, ChatStatus::kAuthError);
  EXPECT_EQ(server->Stats()["requests"], 2);
}

TEST(ChatClientTest, ForbiddenIsAnAuthErrorToo) {
  auto server = ScriptedServer::Start({"--api-key", "the-right-key", "--forbid"});
  ChatClient client(OptionsFor(*server));
  const ChatReply reply = client.Send(Ask("hello"));
  EXPECT_EQ(reply.status, ChatStatus::kAuthError);
  EXPECT_EQ(reply.http_status, 403);
}

TEST(ChatClientTest, WrongPathIsNotRetried) {
  auto server = ScriptedServer::Start({});
  ChatClientOptions options = OptionsFor(*server);
  options.base_url = "http://127.0.0.1:" + std::to_string(server->port()) + "/wrong";
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("hello"));
  EXPECT_EQ(reply.status, ChatStatus::kHttpError);
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_NE(reply.error.find("BASE_URL"), std::string::npos) << reply.error;
}

// Whoever built the client, libcurl speaks HTTP only: never reads a file:// URL.
TEST(ChatClientTest, ReadsNoFileUrl) {
  char dir_template[] = "/tmp/rmg_chat_file_XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string secret_path = std::string(dir_template) + "/secret";
  { std::ofstream(secret_path) << "SECRET-FILE-CONTENT"; }
  ChatClientOptions options;
  options.base_url = "file://" + secret_path + "?";
  options.api_key = "k";
  options.max_retries = 0;
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("hello"));
  EXPECT_FALSE(reply.ok());
  EXPECT_EQ(reply.error.find("SECRET-FILE-CONTENT"), std::string::npos) << reply.error;
  EXPECT_EQ(reply.content.find("SECRET-FILE-CONTENT"), std::string::npos);
  std::filesystem::remove_all(dir_template);
}

TEST(ChatClientTest, AReplyPastFourMiBIsRefused) {
  auto server = ScriptedServer::StartWithScript(Json{
      {"rules", Json::array({Rule("huge", std::string(5u << 20, 'x')), Rule("fits", std::string(3u << 20, 'y'))})}});
  ChatClientOptions options = OptionsFor(*server);
  options.max_retries = 0;
  ChatClient client(options);
  const ChatReply huge = client.Send(Ask("huge"));
  EXPECT_FALSE(huge.ok());
  EXPECT_NE(huge.error.find("larger than 4 MiB"), std::string::npos) << huge.error;
  const ChatReply fits = client.Send(Ask("fits"));
  ASSERT_TRUE(fits.ok()) << fits.error;
  EXPECT_EQ(fits.content.size(), 3u << 20);
}

TEST(ChatClientTest, RefusedConnectionIsATransportError) {
  ChatClientOptions options;
  options.base_url = "http://127.0.0.1:1/v1";  // nothing listens on port 1
  options.api_key = "k";
  options.max_retries = 1;
  options.backoff_base_seconds = 0.01;
  ChatClient client(options);
  const ChatReply reply = client.Send(Ask("hello"));
  EXPECT_EQ(reply.status, ChatStatus::kTransportError);
  EXPECT_EQ(reply.attempts, 2);
}

// Submits `count` requests at once and waits for all of them.
std::vector<ChatReply> SendAll(ChatClient& client, int count, const std::string& prefix) {
  std::mutex mutex;
  std::condition_variable all_done;
  std::vector<ChatReply> replies(static_cast<size_t>(count));
  int remaining = count;
  for (int i = 0; i < count; ++i) {
    client.Submit(Ask(prefix + std::to_string(i)), [&, i](ChatReply reply) {
      std::lock_guard lock(mutex);
      replies[static_cast<size_t>(i)] = std::move(reply);
      if (--remaining == 0) all_done.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  all_done.wait(lock, [&] { return remaining == 0; });
  return replies;
}

TEST(ChatClientTest, CapsRequestsInFlight) {
  auto server = ScriptedServer::Start({"--latency-ms", "100"});
  ChatClientOptions options = OptionsFor(*server);
  options.concurrency = 4;
  ChatClient client(options);
  for (const ChatReply& reply : SendAll(client, 24, "question ")) EXPECT_TRUE(reply.ok()) << reply.error;
  const Json stats = server->Stats();
  EXPECT_LE(stats["max_in_flight"].get<int>(), 4);
  EXPECT_GE(stats["max_in_flight"].get<int>(), 2);  // and does use the room it has
  EXPECT_LE(client.stats().max_in_flight, 4u);
}

// A fresh client's requests to a plain-http endpoint all start at once: they waited for
// the first one's reply (to learn whether its connection could be shared).
TEST(ChatClientTest, AFreshClientStartsItsFirstRequestsTogether) {
  auto server = ScriptedServer::Start({"--latency-ms", "1500"});
  ChatClientOptions options = OptionsFor(*server);
  options.concurrency = 4;
  ChatClient client(options);
  for (const ChatReply& reply : SendAll(client, 4, "together ")) EXPECT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(server->Stats()["max_in_flight"], 4);
}

TEST(ChatClientTest, KeepsConnectionsAlive) {
  auto server = ScriptedServer::Start({});
  ChatClient client(OptionsFor(*server));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(client.Send(Ask("sequential " + std::to_string(i))).ok());
  // One connection carried all twenty requests; the other is this /stats query's own.
  EXPECT_EQ(server->Stats()["connections"], 2);
}

TEST(ChatClientTest, LimitsRequestsPerSecond) {
  auto server = ScriptedServer::Start({});
  ChatClientOptions options = OptionsFor(*server);
  options.rps = 4;
  ChatClient client(options);
  const auto start = Clock::now();
  for (const ChatReply& reply : SendAll(client, 5, "paced ")) EXPECT_TRUE(reply.ok()) << reply.error;
  // 5 starts at 4 per second span at least one second (the first starts at once, and the
  // second a quarter of a second later: it used to start with the first).
  EXPECT_GE(SecondsSince(start), 0.95);
}

TEST(ChatClientTest, CancelsWhatIsLeftWhenDestroyed) {
  auto server = ScriptedServer::Start({"--latency-ms", "3000"});
  std::atomic<int> cancelled{0};
  {
    ChatClient client(OptionsFor(*server));
    for (int i = 0; i < 3; ++i) {
      client.Submit(Ask("never answered " + std::to_string(i)), [&](ChatReply reply) {
        if (reply.status == ChatStatus::kCancelled) cancelled += 1;
      });
    }
  }
  EXPECT_EQ(cancelled.load(), 3);
}

}  // namespace
}  // namespace rmg
