#include "llm/testing/scripted_server.h"

#include <gtest/gtest.h>

namespace rmg::llm::testing {
namespace {

std::string ChatBody(const std::string& prompt, const std::string& model = "judge-1") {
  return Json{{"model", model}, {"messages", {{{"role", "system"}, {"content", "be fair"}},
                                              {{"role", "user"}, {"content", prompt}}}}}
      .dump();
}

HttpReply Chat(const ScriptedServer& server, const std::string& prompt, const std::vector<std::string>& headers = {}) {
  const std::string body = ChatBody(prompt);
  return server.Fetch("/v1/chat/completions", &body, headers);
}

TEST(ScriptedServerTest, AnswersAChatCompletion) {
  auto server = ScriptedServer::Start({});
  EXPECT_EQ(server->base_url(), "http://127.0.0.1:" + std::to_string(server->port()) + "/v1");
  const HttpReply reply = Chat(*server, "Which answer is better?");
  ASSERT_EQ(reply.error, CURLE_OK) << curl_easy_strerror(reply.error);
  EXPECT_EQ(reply.status, 200);
  const Json body = Json::parse(reply.body);
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["model"], "judge-1");
  EXPECT_EQ(body["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(body["choices"][0]["message"]["content"], "<reason>ok</reason>\n<best>1</best>");
  EXPECT_FALSE(body["choices"][0]["message"].contains("reasoning_content"));
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(body["usage"]["prompt_tokens"], std::string("Which answer is better?").size() / 4);
  EXPECT_TRUE(std::string(body["id"]).starts_with("chatcmpl-"));
}

TEST(ScriptedServerTest, FirstMatchingRuleDecidesTheReply) {
  const Json script = {{"rules",
                        {{{"match", "apples"}, {"reply", "<best>2</best>"}, {"reasoning_content", "hm"}},
                         {{"match", "apple"}, {"reply", "never: the rule above comes first"}}}},
                       {"default_reply", "fallback"}};
  auto server = ScriptedServer::StartWithScript(script);
  Json body = Json::parse(Chat(*server, "compare apples and pears").body);
  EXPECT_EQ(body["choices"][0]["message"]["content"], "<best>2</best>");
  EXPECT_EQ(body["choices"][0]["message"]["reasoning_content"], "hm");
  body = Json::parse(Chat(*server, "something else").body);
  EXPECT_EQ(body["choices"][0]["message"]["content"], "fallback");

  // Content parts count as the prompt too, on the path without /v1.
  const std::string parts = Json{{"model", "m"}, {"messages", {{{"role", "user"}, {"content", {
      {{"type", "text"}, {"text", "two app"}}, {{"type", "text"}, {"text", "les"}}}}}}}}.dump();
  body = Json::parse(server->Fetch("/chat/completions", &parts).body);
  EXPECT_EQ(body["choices"][0]["message"]["content"], "<best>2</best>");
}

TEST(ScriptedServerTest, RuleFaultsComeFirstForEachPrompt) {
  const Json script = {{"rules", {{{"match", "flaky"}, {"reply", "<best>1</best>"}, {"faults", {"429", "429"}}}}}};
  auto server = ScriptedServer::StartWithScript(script, {"--retry-after", "3"});
  for (const std::string prompt : {"flaky one", "flaky two"}) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const HttpReply reply = Chat(*server, prompt);
      EXPECT_EQ(reply.status, 429) << prompt << " attempt " << attempt;
      EXPECT_EQ(reply.Header("Retry-After"), "3");
      EXPECT_EQ(Json::parse(reply.body)["error"]["type"], "rate_limit_error");
    }
    const HttpReply reply = Chat(*server, prompt);
    EXPECT_EQ(reply.status, 200) << prompt;
    EXPECT_EQ(Json::parse(reply.body)["choices"][0]["message"]["content"], "<best>1</best>");
  }
  const Json stats = server->Stats();
  EXPECT_EQ(stats["requests"], 6);
  EXPECT_EQ(stats["by_outcome"]["429"], 4);
  EXPECT_EQ(stats["by_outcome"]["ok"], 2);
  EXPECT_EQ(stats["attempts_by_prompt_max"], 3);
}

TEST(ScriptedServerTest, WrongApiKeyIsRejected) {
  auto server = ScriptedServer::Start({"--api-key", "sk-right"});
  HttpReply reply = Chat(*server, "hi", {"Authorization: Bearer sk-wrong"});
  EXPECT_EQ(reply.status, 401);
  EXPECT_TRUE(Json::parse(reply.body)["error"].contains("message"));
  EXPECT_EQ(Chat(*server, "hi").status, 401);
  EXPECT_EQ(Chat(*server, "hi", {"Authorization: Bearer sk-right"}).status, 200);

  auto forbidding = ScriptedServer::Start({"--api-key", "sk-right", "--forbid"});
  EXPECT_EQ(Chat(*forbidding, "hi", {"Authorization: Bearer sk-wrong"}).status, 403);
}

TEST(ScriptedServerTest, InvalidJsonIsABadRequest) {
  auto server = ScriptedServer::Start({});
  const std::string body = "{\"model\": ";
  const HttpReply reply = server->Fetch("/v1/chat/completions", &body);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(Json::parse(reply.body)["error"]["type"], "invalid_request_error");
}

TEST(ScriptedServerTest, FaultModes) {
  const Json script = {{"rules",
                        {{{"match", "drop"}, {"faults", {"drop"}}},
                         {{"match", "malformed"}, {"faults", {"malformed"}}},
                         {{"match", "notags"}, {"faults", {"notags"}}},
                         {{"match", "empty"}, {"faults", {"empty"}}},
                         {{"match", "500"}, {"faults", {"500"}}},
                         {{"match", "slow"}, {"faults", {"slow"}}}}}};
  auto server = ScriptedServer::StartWithScript(script, {"--slow-seconds", "0.3"});

  EXPECT_EQ(Chat(*server, "drop").error, CURLE_GOT_NOTHING);

  HttpReply reply = Chat(*server, "malformed");
  EXPECT_EQ(reply.status, 200);
  EXPECT_FALSE(Json::accept(reply.body)) << reply.body;

  reply = Chat(*server, "notags");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(Json::parse(reply.body)["choices"][0]["message"]["content"], "I cannot decide.");

  EXPECT_TRUE(Json::parse(Chat(*server, "empty").body)["choices"].empty());
  EXPECT_EQ(Chat(*server, "500").status, 500);

  const std::string slow = ChatBody("slow");
  EXPECT_EQ(server->Fetch("/v1/chat/completions", &slow, {}, 50).error, CURLE_OPERATION_TIMEDOUT);

  const Json outcomes = server->Stats()["by_outcome"];
  for (const char* outcome : {"drop", "malformed", "notags", "empty", "500", "slow"}) {
    EXPECT_EQ(outcomes[outcome], 1) << outcome;
  }
}

TEST(ScriptedServerTest, RandomFaultsFollowTheRate) {
  auto server = ScriptedServer::Start({"--fault-rate", "0.5", "--fault-modes", "500", "--seed", "7"});
  int failures = 0;
  for (int i = 0; i < 40; ++i) failures += Chat(*server, "same prompt").status == 500;
  // 40 draws at p = 0.5: outside [5, 35] happens with probability < 1e-6.
  EXPECT_GT(failures, 5);
  EXPECT_LT(failures, 35);
  EXPECT_EQ(server->Stats()["by_outcome"]["500"], failures);
}

TEST(ScriptedServerTest, StatsRequestsAndReset) {
  auto server = ScriptedServer::Start({});
  EXPECT_EQ(server->Fetch("/healthz").body, "ok");
  const std::string body = ChatBody("first", "model-a");
  server->Post("/v1/chat/completions", body);
  server->Post("/v1/chat/completions", ChatBody("second", "model-b"));

  const std::vector<Json> requests = server->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0], Json::parse(body));
  EXPECT_EQ(requests[1]["model"], "model-b");
  const Json stats = server->Stats();
  EXPECT_EQ(stats["requests"], 2);
  EXPECT_EQ(stats["by_outcome"]["ok"], 2);
  EXPECT_EQ(stats["max_in_flight"], 1);
  EXPECT_EQ(stats["attempts_by_prompt_max"], 1);
  EXPECT_GE(stats["connections"], 2);

  server->Post("/reset", "");
  EXPECT_EQ(server->Stats()["requests"], 0);
  EXPECT_TRUE(server->Requests().empty());
  EXPECT_THROW(server->Get("/nowhere"), std::runtime_error);
}

TEST(ScriptedServerTest, CountsConcurrentRequests) {
  auto server = ScriptedServer::Start({"--latency-ms", "300"});
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) clients.emplace_back([&] { Chat(*server, "together"); });
  for (std::thread& client : clients) client.join();
  const Json stats = server->Stats();
  EXPECT_EQ(stats["requests"], 8);
  // The eight requests overlap: each waits 300 ms and all were sent at once.
  EXPECT_GT(stats["max_in_flight"], 1);
  EXPECT_EQ(stats["connections"], 9);  // eight clients and the /stats request
}

TEST(ScriptedServerTest, KeepsConnectionsAlive) {
  auto server = ScriptedServer::Start({});
  CURL* curl = curl_easy_init();
  const std::string url = server->base_url() + "/chat/completions";
  const std::string body = ChatBody("twice");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) { return size * count; });
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    EXPECT_EQ(status, 200);
  }
  curl_easy_cleanup(curl);
  const Json stats = server->Stats();
  EXPECT_EQ(stats["requests"], 3);
  EXPECT_EQ(stats["connections"], 2);  // one for the three requests, one for /stats
}

TEST(ScriptedServerTest, BadArgumentsAreReported) {
  try {
    ScriptedServer::Start({"--fault-modes", "explode"});
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("unknown fault modes"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace rmg::llm::testing
