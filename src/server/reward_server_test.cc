// rmg serve in process, driven by real clients on loopback: Python's urllib and raw
// sockets (src/server/testing/http_clients.py) and libcurl.
#include "rmg/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "llm/testing/scripted_server.h"
#include "rmg/registry.h"
#include "rmg/reward.h"

namespace rmg {
namespace {

// A reward that throws for the sample "boom" (an escaped failure, not a unit error).
class ThrowingReward final : public RewardModel {
 public:
  ThrowingReward() : RewardModel("test_throwing") {}
  RewardFamily family() const override { return RewardFamily::kPointwise; }
  size_t Apply(DataSample& sample, const EvalContext&) const override {
    if (sample.unique_id == "boom") throw std::runtime_error("boom");
    for (DataOutput& output : sample.output) {
      Reward& reward = MutableReward(output.answer);
      reward.details.push_back(RewardDetail{name(), 1.0, "fine", nullptr});
      RecomputeScore(reward);
    }
    return 0;
  }
};

// A reward that takes 20 ms per sample, to fill the queue, or as many seconds as a
// sample's first answer says ("1.5"), deadline or not.
class SlowReward final : public RewardModel {
 public:
  SlowReward() : RewardModel("test_slow") {}
  RewardFamily family() const override { return RewardFamily::kPointwise; }
  size_t Apply(DataSample& sample, const EvalContext&) const override {
    double seconds = 0.02;
    if (!sample.output.empty()) std::sscanf(sample.output[0].answer.content.c_str(), "%lf", &seconds);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    return 0;
  }
};

// Samples meet in pairs, in the order they start: each waits (up to 10 s) for its
// partner to start too, and its reason says whether it came. One request's samples
// scored in turn never meet: the first gives up before the second starts.
class MeetingReward final : public RewardModel {
 public:
  MeetingReward() : RewardModel("test_meeting") {}
  RewardFamily family() const override { return RewardFamily::kPointwise; }
  size_t Apply(DataSample& sample, const EvalContext&) const override {
    static std::mutex mutex;
    static std::condition_variable changed;
    static int started = 0;
    bool met = false;
    {
      std::unique_lock lock(mutex);
      const int pair_complete = (++started + 1) / 2 * 2;
      changed.notify_all();
      met = changed.wait_for(lock, std::chrono::seconds(10), [&] { return started >= pair_complete; });
    }
    for (DataOutput& output : sample.output) {
      Reward& reward = MutableReward(output.answer);
      reward.details.push_back(RewardDetail{name(), met ? 1.0 : 0.0, met ? "met" : "alone", nullptr});
      RecomputeScore(reward);
    }
    return 0;
  }
};

// Works until its deadline passes, checking it as every engine does.
std::atomic<int> until_deadline_started{0};
class UntilDeadlineReward final : public RewardModel {
 public:
  UntilDeadlineReward() : RewardModel("test_until_deadline") {}
  RewardFamily family() const override { return RewardFamily::kPointwise; }
  size_t Apply(DataSample& sample, const EvalContext& context) const override {
    until_deadline_started += 1;
    while (!context.deadline.Expired()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (DataOutput& output : sample.output) {
      Reward& reward = MutableReward(output.answer);
      reward.details.push_back(
          RewardDetail{name(), 0.0, context.deadline.Cancelled() ? "cancelled" : "timed out", nullptr});
      RecomputeScore(reward);
    }
    return 1;
  }
};

void RegisterTestRewards() {
  RewardRegistry& registry = RewardRegistry::Global();
  if (registry.Contains("test_throwing_reward")) return;
  RewardSpec throwing;
  throwing.name = "test_throwing_reward";
  throwing.description = "test only";
  throwing.factory = [](const Params&) { return std::make_unique<ThrowingReward>(); };
  registry.Register(std::move(throwing));
  RewardSpec slow;
  slow.name = "test_slow_reward";
  slow.description = "test only";
  slow.factory = [](const Params&) { return std::make_unique<SlowReward>(); };
  registry.Register(std::move(slow));
  RewardSpec meeting;
  meeting.name = "test_meeting_reward";
  meeting.description = "test only";
  meeting.factory = [](const Params&) { return std::make_unique<MeetingReward>(); };
  registry.Register(std::move(meeting));
  RewardSpec until_deadline;
  until_deadline.name = "test_until_deadline_reward";
  until_deadline.description = "test only";
  until_deadline.factory = [](const Params&) { return std::make_unique<UntilDeadlineReward>(); };
  registry.Register(std::move(until_deadline));
}

struct Reply {
  long status = 0;
  Json body;
  std::string text;
};

class RewardServerTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterTestRewards(); }

  void Start(ServerConfig config) {
    config.port = 0;
    config.access_log = false;
    server_ = std::make_unique<RewardServer>(std::move(config));
    server_->Start();
  }

  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(server_->port()) + path; }

  Reply Fetch(const std::string& path, const std::string& body = "", const std::string& bearer = "") {
    const llm::testing::HttpReply result = llm::testing::FetchUrl(
        Url(path), body.empty() ? nullptr : &body,
        bearer.empty() ? std::vector<std::string>{} : std::vector<std::string>{"Authorization: Bearer " + bearer}, 30000);
    Reply reply;
    reply.status = result.status;
    reply.text = result.body;
    reply.body = Json::parse(result.body, nullptr, false);
    return reply;
  }

  // Runs `http_clients.py COMMAND PORT EXTRA` and returns the JSON it printed.
  Json Client(const std::string& command, const std::string& extra = "") const {
    return RunJson(std::string("python3 ") + RMG_SOURCE_DIR + "/src/server/testing/http_clients.py " + command + " " +
                   std::to_string(server_->port()) + " " + extra);
  }

  static Json RunJson(const std::string& command) {
    std::FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    EXPECT_EQ(pclose(pipe), 0) << command;
    return Json::parse(out, nullptr, false);
  }

  // True once /metrics shows `line` ("rmg_running 1"), polled every millisecond or so;
  // false after `polls` polls.
  bool WaitForMetric(const std::string& line, int polls) {
    for (int i = 0; i < polls; ++i) {
      if (Fetch("/metrics").text.find("\n" + line + "\n") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
  }

  // True once /metrics shows one job running (false after about 2 s).
  bool WaitUntilOneIsRunning() { return WaitForMetric("rmg_running 1", 2000); }

  std::unique_ptr<RewardServer> server_;
};

std::string OneSample(const std::string& id, const std::string& content) {
  return R"({"unique_id": ")" + id + R"(", "input": [{"role": "user", "content": "q"}], "output": [{"answer": {"role": "assistant", "content": ")" +
         content + R"("}}]})";
}

TEST_F(RewardServerTest, OpenRlhfPayloadFromUrllib) {
  ServerConfig config;
  config.get_reward = ServedReward{"length_penalty", Json{{"min_length", 20}, {"max_length", 30}}, 0, nullptr};
  Start(config);
  const Json seen = Client("openrlhf");
  ASSERT_EQ(seen["status"], 200) << seen.dump();
  const Json& body = seen["body"];
  ASSERT_EQ(body["rewards"].size(), 2u);
  // "The answer is 4.<|im_end|>" is 26 characters: inside [20, 30].
  EXPECT_EQ(body["rewards"][0], 0.0);
  // 40 x's + <|im_end|> = 50 characters: 20 over max_length at 0.01 each.
  EXPECT_NEAR(body["rewards"][1].get<double>(), -0.2, 1e-9);
  EXPECT_EQ(body["scores"], body["rewards"]);
  EXPECT_TRUE(body["extra_logs"].is_object());
}

// A failed unit scores error_score, which a trainer cannot tell from a verdict of 0:
// /get_reward marks it in extra_logs.rmg_failed, and /metrics counts it per reward.
TEST_F(RewardServerTest, GetRewardMarksSamplesScoredForAnError) {
  ServerConfig config;
  config.get_reward = ServedReward{"bleu", Json::object(), 0, nullptr};
  Start(config);
  const Reply reply =
      Fetch("/get_reward", R"({"query": ["the cat sat", "the cat sat"], "labels": ["the cat sat", null]})");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["rewards"], Json::parse("[1.0, 0.0]")) << reply.text;
  EXPECT_EQ(reply.body["extra_logs"]["rmg_failed"], Json::parse("[0.0, 1.0]")) << reply.text;
  const std::string metrics = Fetch("/metrics").text;
  EXPECT_NE(metrics.find("rmg_failed_units_total{reward=\"bleu\"} 1\n"), std::string::npos) << metrics;
  // error_score sets what a failed unit scores, as `rmg eval --error-score` does.
  server_->Shutdown();
  config.error_score = -1.0;
  Start(config);
  const Reply low =
      Fetch("/get_reward", R"({"query": ["the cat sat", "the cat sat"], "labels": ["the cat sat", null]})");
  EXPECT_EQ(low.body["rewards"], Json::parse("[1.0, -1.0]")) << low.text;
}

// The scores view gave a failed unit's error_score as if it were a verdict: a trainer
// could not tell a judge that timed out from a 0.
TEST_F(RewardServerTest, EvaluateListsFailedUnitsInBothViews) {
  Start(ServerConfig());
  const std::string labelled =
      R"({"unique_id": "l", "input": [{"role": "user", "content": "q"}], "output": [{"answer": {"role": "assistant", "content": "the cat sat", "label": {"reference": "the cat sat"}}}]})";
  const std::string body = "{\"samples\": [" + labelled + ", 5, " + OneSample("u", "the cat sat") + "]}";
  const Reply scores = Fetch("/v1/rewards/bleu:evaluate?view=scores", body);
  ASSERT_EQ(scores.status, 200) << scores.text;
  EXPECT_EQ(scores.body["scores"], Json::parse("[[1.0], null, [0.0]]")) << scores.text;
  EXPECT_EQ(scores.body["failed_units"], Json::parse("[0, null, 1]")) << scores.text;
  const Reply full = Fetch("/v1/rewards/bleu:evaluate", body);
  EXPECT_EQ(full.body["failed_units"], Json::parse("[0, null, 1]")) << full.text;
  const Reply clean = Fetch("/v1/rewards/bleu:evaluate?view=scores", "{\"samples\": [" + labelled + "]}");
  EXPECT_FALSE(clean.body.contains("failed_units")) << clean.text;
}

// A composition from a config, as `rmg eval --config` reads one, is served like a reward.
TEST_F(RewardServerTest, ServesACompositionAndARouterFromTheConfig) {
  ServerConfig config = ParseServerConfig(Json::parse(R"({
      "rewards": {"mix": {"compose": "weighted", "concurrency": 2,
                          "rewards": {"len": "length_penalty", "fmt": "reasoning_format"},
                          "weights": {"len": 1, "fmt": 3}},
                  "judged": {"compose": "weighted", "rewards": {"j": {"reward": "base_helpfulness_listwise",
                             "params": {"api_key": "sk-composed-secret", "base_url": "http://127.0.0.1:9/v1",
                                        "cache": "off"}}}}},
      "get_reward": {"router": "source", "routes": {"fmt": "reasoning_format"}, "default": "length_penalty"}})"),
                                          "serve.yaml");
  Start(config);
  const Reply mix = Fetch("/v1/rewards/mix:evaluate", "{\"samples\": [" + OneSample("a", "short") + "]}");
  ASSERT_EQ(mix.status, 200) << mix.text;
  const Json& reward = mix.body["samples"][0]["output"][0]["answer"]["reward"];
  ASSERT_EQ(reward["details"].size(), 2u) << mix.text;
  EXPECT_EQ(reward["details"][0]["name"], "len");
  EXPECT_EQ(reward["details"][1]["name"], "fmt");
  EXPECT_NEAR(reward["score"].get<double>(), (1 * -0.05 + 3 * 0.0) / 4, 1e-9) << mix.text;
  const Reply tuned = Fetch("/v1/rewards/mix:evaluate", "{\"samples\": [], \"params\": {\"min_length\": 3}}");
  EXPECT_EQ(tuned.status, 400) << tuned.text;
  EXPECT_EQ(tuned.body["error"]["field"], "params");
  const Reply listed = Fetch("/v1/rewards");
  EXPECT_EQ(listed.body["rewards"][1]["name"], "mix") << listed.text;
  EXPECT_EQ(listed.body["rewards"][1]["kind"], "composite") << listed.text;
  // A judge's key inside a composition is not listed, as a served judge's is not.
  EXPECT_EQ(listed.text.find("sk-composed-secret"), std::string::npos) << listed.text;
  EXPECT_EQ(listed.body["rewards"][0]["composition"]["rewards"]["j"]["params"]["api_key"], "(set)") << listed.text;
  // No route for an OpenRLHF sample (it has no source): the default, length_penalty.
  const Reply routed = Fetch("/get_reward", R"({"query": ["short"]})");
  ASSERT_EQ(routed.status, 200) << routed.text;
  EXPECT_NEAR(routed.body["rewards"][0].get<double>(), -0.05, 1e-9) << routed.text;
  // A request is counted once its answer is written, a moment after the client has it.
  bool counted = false;
  for (int i = 0; i < 500 && !counted; ++i) {
    counted = Fetch("/metrics").text.find("endpoint=\"/get_reward\",reward=\"router\"") != std::string::npos;
    if (!counted) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(counted) << Fetch("/metrics").text;
}

TEST_F(RewardServerTest, SandboxFusionRunCodeFromUrllib) {
  Start(ServerConfig());
  const Json seen = Client("sandboxfusion");
  ASSERT_EQ(seen["status"], 200) << seen.dump();
  EXPECT_EQ(seen["body"]["status"], "Success") << seen.dump();
  EXPECT_EQ(seen["body"]["run_result"]["stdout"], "HELLO\n");
  EXPECT_EQ(seen["body"]["run_result"]["return_code"], 0);
}

// run_timeout may be up to 300 s; the request's own deadline bounds it.
TEST_F(RewardServerTest, RunCodeKeepsToTheRequestDeadline) {
  ServerConfig config;
  config.request_timeout_seconds = 1;
  Start(config);
  const Reply reply =
      Fetch("/run_code", R"json({"code": "import time\ntime.sleep(30)", "language": "python", "run_timeout": 60})json");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["run_result"]["status"], "TimeLimitExceeded") << reply.text;
}

// The end of the shutdown's grace period kills a program still running for /run_code;
// before, the server waited for its run_timeout and then dropped the answer.
TEST_F(RewardServerTest, ShutdownKillsARunningProgramAfterTheGracePeriod) {
  ServerConfig config;
  config.request_timeout_seconds = 3600;
  config.shutdown_grace_seconds = 0.2;
  Start(config);
  const auto start = std::chrono::steady_clock::now();
  auto answer = std::async(std::launch::async, [&] {
    return Fetch("/run_code",
                 R"json({"code": "import time\ntime.sleep(60)", "language": "python", "run_timeout": 120})json");
  });
  bool running = false;
  for (int i = 0; i < 1000 && !running; ++i) {
    running = Fetch("/metrics").text.find("\nrmg_running 1") != std::string::npos;
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(running) << Fetch("/metrics").text;
  EXPECT_FALSE(server_->Shutdown());
  const Reply reply = answer.get();
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["run_result"]["status"], "TimeLimitExceeded") << reply.text;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30);
}

TEST_F(RewardServerTest, EvaluateReturnsSamplesOrScores) {
  Start(ServerConfig());
  const std::string body = "{\"samples\": [" + OneSample("a", "short") + "]}";
  const Reply full = Fetch("/v1/rewards/length_penalty:evaluate", body);
  ASSERT_EQ(full.status, 200) << full.text;
  EXPECT_EQ(full.body["samples"][0]["unique_id"], "a");
  EXPECT_NEAR(full.body["samples"][0]["output"][0]["answer"]["reward"]["score"].get<double>(), -0.05, 1e-9);
  const Reply scores = Fetch("/v1/rewards/length_penalty:evaluate?view=scores", body);
  ASSERT_EQ(scores.status, 200) << scores.text;
  EXPECT_NEAR(scores.body["scores"][0][0].get<double>(), -0.05, 1e-9);
  // Request parameters refine the reward for that request.
  const Reply tuned = Fetch("/v1/rewards/length_penalty:evaluate?view=scores",
                            "{\"samples\": [" + OneSample("a", "short") + "], \"params\": {\"min_length\": 5}}");
  EXPECT_EQ(tuned.body["scores"][0][0], 0.0) << tuned.text;
}

TEST_F(RewardServerTest, AnInvalidSampleIsListedAndTheOthersAreScored) {
  Start(ServerConfig());
  const std::string body =
      "{\"samples\": [" + OneSample("a", "short") + ", {\"output\": 3}, " + OneSample("c", "longer text") + "]}";
  const Reply full = Fetch("/v1/rewards/length_penalty:evaluate", body);
  ASSERT_EQ(full.status, 200) << full.text;
  ASSERT_EQ(full.body["samples"].size(), 3u) << full.text;
  EXPECT_EQ(full.body["samples"][0]["unique_id"], "a");
  EXPECT_TRUE(full.body["samples"][1].is_null()) << full.text;
  EXPECT_EQ(full.body["samples"][2]["unique_id"], "c");
  EXPECT_TRUE(full.body["samples"][2]["output"][0]["answer"]["reward"].contains("score")) << full.text;
  ASSERT_EQ(full.body["errors"].size(), 1u) << full.text;
  EXPECT_EQ(full.body["errors"][0]["index"], 1);
  EXPECT_EQ(full.body["errors"][0]["field"], "samples[1]");
  EXPECT_FALSE(full.body["errors"][0]["message"].get<std::string>().empty());

  const Reply scores = Fetch("/v1/rewards/length_penalty:evaluate?view=scores", body);
  ASSERT_EQ(scores.status, 200) << scores.text;
  EXPECT_NEAR(scores.body["scores"][0][0].get<double>(), -0.05, 1e-9) << scores.text;
  EXPECT_TRUE(scores.body["scores"][1].is_null()) << scores.text;
  EXPECT_EQ(scores.body["scores"][2].size(), 1u) << scores.text;
  EXPECT_EQ(scores.body["errors"][0]["field"], "samples[1]");

  // A request without invalid samples has no "errors".
  const Reply clean = Fetch("/v1/rewards/length_penalty:evaluate", "{\"samples\": [" + OneSample("a", "x") + "]}");
  EXPECT_FALSE(clean.body.contains("errors")) << clean.text;
  // Every sample invalid: each is listed, nothing is scored.
  const Reply none = Fetch("/v1/rewards/length_penalty:evaluate", "{\"samples\": [7, {\"output\": []}]}");
  ASSERT_EQ(none.status, 200) << none.text;
  EXPECT_EQ(none.body["samples"], Json::parse("[null, null]")) << none.text;
  EXPECT_EQ(none.body["errors"].size(), 2u) << none.text;
}

TEST_F(RewardServerTest, ListsRewardsAndAnswersHealthAndMetrics) {
  Start(ServerConfig());
  const Reply list = Fetch("/v1/rewards");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  for (const Json& reward : list.body["rewards"]) found = found || reward["name"] == "math_verify_reward";
  EXPECT_TRUE(found);
  EXPECT_EQ(Fetch("/healthz").body["status"], "ok");
  Fetch("/v1/rewards/length_penalty:evaluate", "{\"samples\": [" + OneSample("m", "x") + "]}");
  const Reply metrics = Fetch("/metrics");
  EXPECT_NE(metrics.text.find("rmg_requests_total{endpoint=\"/v1/rewards:evaluate\",reward=\"length_penalty\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.text;
  EXPECT_NE(metrics.text.find("rmg_request_seconds_bucket{endpoint=\"/healthz\""), std::string::npos);
  EXPECT_NE(metrics.text.find("rmg_queue_depth"), std::string::npos);
  // Names no reward has share one label, however many a client makes up.
  for (const char* name : {"junk1", "junk2", "junk3"}) {
    EXPECT_EQ(Fetch(std::string("/v1/rewards/") + name + ":evaluate", "{\"samples\": []}").status, 404);
  }
  const std::string after = Fetch("/metrics").text;
  EXPECT_EQ(after.find("junk"), std::string::npos);
  EXPECT_NE(after.find("rmg_requests_total{endpoint=\"/v1/rewards:evaluate\",reward=\"unknown\",status=\"404\"} 3"),
            std::string::npos)
      << after;
}

TEST_F(RewardServerTest, GetRewardKeepsToMaxSamplesPerRequest) {
  ServerConfig config;
  config.max_samples_per_request = 2;
  config.get_reward = ServedReward{"accuracy", Json::object(), 0, nullptr};
  Start(config);
  const Reply reply = Fetch("/get_reward", R"({"query": ["a", "b", "c"]})");
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.body["error"]["field"], "query") << reply.text;
  EXPECT_EQ(reply.body["error"]["message"], "query: 3 queries; at most 2 per request (max_samples_per_request)");
  EXPECT_EQ(Fetch("/get_reward", R"({"query": ["a", "b"]})").status, 200);
}

// The server read a body more strictly than `rmg eval` reads a file: a lone surrogate
// escape or a sample's metadata nested 100 levels failed the whole request with a 400.
TEST_F(RewardServerTest, ASampleReadsAsRmgEvalReadsIt) {
  Start(ServerConfig());
  const std::string nested = std::string(100, '[') + std::string(100, ']');
  const std::string sample = R"({"unique_id": "a", "metadata": {"deep": )" + nested +
                             R"(}, "output": [{"answer": {"role": "assistant", "content": "caf\ud800"}}]})";
  const Reply reply = Fetch("/v1/rewards/length_penalty:evaluate", "{\"samples\": [" + sample + "]}");
  ASSERT_EQ(reply.status, 200) << reply.text;
  const Json& answer = reply.body["samples"][0]["output"][0]["answer"];
  EXPECT_EQ(answer["content"], "caf\uFFFD");
  EXPECT_EQ(answer["reward"]["details"][0]["reason"], "Too short: 4 < 10");
  const Reply too_deep = Fetch("/v1/rewards/length_penalty:evaluate", std::string(2000, '[') + std::string(2000, ']'));
  EXPECT_EQ(too_deep.status, 400);
  EXPECT_NE(too_deep.text.find("nested deeper than 1024 levels"), std::string::npos) << too_deep.text;
}

TEST_F(RewardServerTest, BadRequestsAreNamedFourHundreds) {
  Start(ServerConfig());
  const Reply not_json = Fetch("/v1/rewards/length_penalty:evaluate", "{nope");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.body["error"]["field"], "body");
  // Where the text stopped being JSON, as the parser says it.
  EXPECT_NE(not_json.body["error"]["message"].get<std::string>().find(
                "body: not valid JSON: parse error at line 1, column 3: syntax error while parsing object key"),
            std::string::npos)
      << not_json.text;
  const Reply overflow = Fetch("/v1/rewards/length_penalty:evaluate", "{\"samples\": [], \"x\": 1e400}");
  EXPECT_EQ(overflow.status, 400);
  EXPECT_NE(overflow.text.find("number overflow"), std::string::npos) << overflow.text;
  const Reply no_samples = Fetch("/v1/rewards/length_penalty:evaluate", "{\"params\": {}}");
  EXPECT_EQ(no_samples.status, 400);
  EXPECT_EQ(no_samples.body["error"]["field"], "samples");
  const Reply bad_param = Fetch("/v1/rewards/length_penalty:evaluate",
                                "{\"samples\": [], \"params\": {\"min_lenght\": 3}}");
  EXPECT_EQ(bad_param.status, 400);
  EXPECT_EQ(bad_param.body["error"]["field"], "params");
  EXPECT_EQ(Fetch("/v1/rewards/no_such_reward:evaluate", "{\"samples\": []}").status, 404);
  // The message names the reward asked for (it said 'unknown', the metrics label) and the closest ones.
  const Reply misspelt = Fetch("/v1/rewards/f1_scor:evaluate", "{\"samples\": []}");
  EXPECT_EQ(misspelt.status, 404);
  EXPECT_NE(misspelt.text.find("'f1_scor'"), std::string::npos) << misspelt.text;
  EXPECT_NE(misspelt.text.find("f1_score"), std::string::npos) << misspelt.text;
  EXPECT_EQ(Fetch("/metrics").text.find("f1_scor\""), std::string::npos);
  EXPECT_EQ(Fetch("/nowhere").status, 404);
  EXPECT_EQ(Fetch("/healthz", "{}").status, 405);
  EXPECT_EQ(Fetch("/get_reward", "{\"query\": []}").status, 404);  // no --reward configured
}

TEST_F(RewardServerTest, OversizedBodyIs413) {
  ServerConfig config;
  config.max_body_bytes = 4096;
  Start(config);
  EXPECT_EQ(Fetch("/v1/rewards/length_penalty:evaluate", std::string(10000, ' ')).status, 413);
  EXPECT_EQ(Fetch("/healthz").status, 200);
}

TEST_F(RewardServerTest, ThrowingRewardFailsOnlyItsRequest) {
  Start(ServerConfig());
  const Reply boom = Fetch("/v1/rewards/test_throwing_reward:evaluate", "{\"samples\": [" + OneSample("boom", "x") + "]}");
  EXPECT_EQ(boom.status, 500);
  EXPECT_NE(boom.text.find("boom"), std::string::npos);
  const Reply fine = Fetch("/v1/rewards/test_throwing_reward:evaluate", "{\"samples\": [" + OneSample("ok", "x") + "]}");
  EXPECT_EQ(fine.status, 200);
}

TEST_F(RewardServerTest, ApiKeysGuardEverythingButHealth) {
  ServerConfig config;
  config.api_keys = {"secret"};
  Start(config);
  EXPECT_EQ(Fetch("/v1/rewards").status, 401);
  EXPECT_EQ(Fetch("/v1/rewards", "", "wrong").status, 401);
  EXPECT_EQ(Fetch("/v1/rewards", "", "secret").status, 200);
  EXPECT_EQ(Fetch("/healthz").status, 200);
  EXPECT_EQ(llm::testing::FetchUrl(Url("/v1/rewards"), nullptr, {"Authorization: bearer secret"}).status, 200);
  EXPECT_EQ(llm::testing::FetchUrl(Url("/v1/rewards"), nullptr, {"Authorization: Bearersecret"}).status, 401);
}

TEST_F(RewardServerTest, RefusesAnOpenPublicAddress) {
  ServerConfig config;
  config.host = "0.0.0.0";
  EXPECT_THROW(RewardServer server(config), std::runtime_error);
  config.allow_open = true;
  EXPECT_NO_THROW(RewardServer server(config));
}

TEST_F(RewardServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Start(ServerConfig());
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  // Three requests in one write; the answers must come back in the same order.
  std::string requests;
  for (const std::string id : {"first", "second", "third"}) {
    const std::string body = "{\"samples\": [" + OneSample(id, "x") + "]}";
    // The last one closes the connection after its answer. (A shutdown(SHUT_WR) here
    // would read as a client that hung up: see HttpServer.)
    requests += "POST /v1/rewards/length_penalty:evaluate HTTP/1.1\r\nHost: x\r\n" +
                std::string(id == "third" ? "Connection: close\r\n" : "") +
                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  ASSERT_EQ(send(fd, requests.data(), requests.size(), 0), static_cast<ssize_t>(requests.size()));
  std::string answers;
  char buffer[4096];
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answers.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  const size_t first = answers.find("\"unique_id\":\"first\"");
  const size_t second = answers.find("\"unique_id\":\"second\"");
  const size_t third = answers.find("\"unique_id\":\"third\"");
  ASSERT_NE(third, std::string::npos) << answers;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST_F(RewardServerTest, ExpectContinueGetsA100BeforeTheBody) {
  Start(ServerConfig());
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  timeval wait{};
  wait.tv_sec = 10;  // without a 100 Continue the test fails here instead of hanging
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string body = "{\"samples\": [" + OneSample("waited", "x") + "]}";
  const std::string head =
      "POST /v1/rewards/length_penalty:evaluate?view=scores HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\nExpect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_EQ(send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  const std::string expected = "HTTP/1.1 100 Continue\r\n\r\n";
  std::string interim;
  char buffer[4096];
  while (interim.size() < expected.size()) {
    const ssize_t n = recv(fd, buffer, expected.size() - interim.size(), 0);
    if (n <= 0) break;
    interim.append(buffer, static_cast<size_t>(n));
  }
  ASSERT_EQ(interim, expected);
  // Not followed by shutdown(SHUT_WR), which would read as a client that hung up.
  ASSERT_EQ(send(fd, body.data(), body.size(), 0), static_cast<ssize_t>(body.size()));
  std::string answer;
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("{\"scores\":[[-0.09]]}"), std::string::npos) << answer;
}

TEST_F(RewardServerTest, LlmJudgeRunsOnItsAsynchronousClient) {
  auto llm = llm::testing::ScriptedServer::Start({"--latency-ms", "50"});  // default reply: <best>1</best>
  ServerConfig config;
  config.rewards["judge"] = ServedReward{
      "base_helpfulness_listwise",
      Json{{"base_url", llm->base_url()}, {"api_key", "k"}, {"cache", "off"}, {"shuffle", false}}, 0, nullptr};
  Start(config);
  std::string samples;
  for (int i = 0; i < 20; ++i) {
    samples += (i ? ", " : "") + std::string(R"({"unique_id": "j)") + std::to_string(i) +
               R"(", "input": [{"role": "user", "content": "q"}], "output": [{"answer": {"content": "a"}}, {"answer": {"content": "b"}}]})";
  }
  const Reply reply = Fetch("/v1/rewards/judge:evaluate?view=scores", "{\"samples\": [" + samples + "]}");
  ASSERT_EQ(reply.status, 200) << reply.text;
  ASSERT_EQ(reply.body["scores"].size(), 20u);
  for (const Json& row : reply.body["scores"]) EXPECT_EQ(row, Json({1.0, 0.0}));
  EXPECT_EQ(llm->Stats()["requests"], 20);
  EXPECT_GT(llm->Stats()["max_in_flight"].get<int>(), 1);  // the samples' calls overlapped
}

// A judge whose defaults cannot be built (no OPENAI_API_KEY) answered 404 even to a
// request whose params gave the key and endpoint.
TEST_F(RewardServerTest, RequestParamsCanSupplyWhatTheDefaultsLack) {
  auto llm = llm::testing::ScriptedServer::Start({});  // default reply: <best>1</best>
  const char* saved = std::getenv("OPENAI_API_KEY");
  const std::string saved_key = saved ? saved : "";
  unsetenv("OPENAI_API_KEY");
  Start(ServerConfig());
  const std::string samples =
      R"({"samples": [{"unique_id": "p", "input": [{"role": "user", "content": "q"}], "output": [{"answer": {"content": "a"}}, {"answer": {"content": "b"}}]}]})";
  Reply reply = Fetch("/v1/rewards/base_helpfulness_listwise:evaluate?view=scores", samples);
  EXPECT_EQ(reply.status, 400) << reply.text;
  EXPECT_EQ(reply.body["error"]["field"], "params") << reply.text;
  EXPECT_NE(reply.text.find("OPENAI_API_KEY"), std::string::npos) << reply.text;
  const std::string with_params = samples.substr(0, samples.size() - 1) + R"(, "params": {"base_url": ")" +
                                  llm->base_url() + R"(", "api_key": "k", "cache": "off", "shuffle": false}})";
  reply = Fetch("/v1/rewards/base_helpfulness_listwise:evaluate?view=scores", with_params);
  EXPECT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body, Json::parse(R"({"scores": [[1.0, 0.0]]})")) << reply.text;
  EXPECT_EQ(Fetch("/v1/rewards/base_helpfulness_listwse:evaluate", samples).status, 404);
  if (saved) setenv("OPENAI_API_KEY", saved_key.c_str(), 1);
}

// A client could send the server's key to a URL of its own (base_url without api_key),
// make the server create a file anywhere (cache), and read a served key from /v1/rewards.
TEST_F(RewardServerTest, ClientsCannotRedirectTheKeyOrNameFilesAndKeysAreNotListed) {
  ServerConfig config;
  config.rewards["judge"] = ServedReward{"base_helpfulness_listwise",
                                         {{"base_url", "http://127.0.0.1:9/v1"}, {"api_key", "sk-served-secret"}},
                                         0,
                                         nullptr};
  Start(config);
  const std::string samples = "{\"samples\": [" + OneSample("p", "a") + "]";
  Reply reply = Fetch("/v1/rewards/judge:evaluate", samples + R"(, "params": {"base_url": "http://127.0.0.1:1/v1"}})");
  EXPECT_EQ(reply.status, 400) << reply.text;
  EXPECT_EQ(reply.body["error"]["field"], "params.base_url") << reply.text;
  const std::string cache_file = ::testing::TempDir() + "rmg_client_named_cache/deep/c.sqlite";
  reply = Fetch("/v1/rewards/judge:evaluate", samples + R"(, "params": {"cache": ")" + cache_file + "\"}}");
  EXPECT_EQ(reply.status, 400) << reply.text;
  EXPECT_EQ(reply.body["error"]["field"], "params.cache") << reply.text;
  EXPECT_FALSE(std::filesystem::exists(::testing::TempDir() + "rmg_client_named_cache"));
  const Reply list = Fetch("/v1/rewards");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.text.find("sk-served-secret"), std::string::npos) << list.text;
  EXPECT_NE(list.text.find("\"(set)\""), std::string::npos) << list.text;
}

// With client_llm_endpoints off, a request may not make the server fetch a URL it chose,
// even with its own key; the served endpoint still works for it.
TEST_F(RewardServerTest, ClientEndpointsCanBeTurnedOff) {
  auto llm = llm::testing::ScriptedServer::Start({});  // default reply: <best>1</best>
  ServerConfig config;
  config.client_llm_endpoints = false;
  config.rewards["judge"] = ServedReward{
      "base_helpfulness_listwise", {{"base_url", llm->base_url()}, {"api_key", "k"}, {"cache", "off"}}, 0, nullptr};
  Start(config);
  const std::string samples = "{\"samples\": [" + OneSample("p", "a") + "]";
  Reply reply = Fetch("/v1/rewards/judge:evaluate",
                      samples + R"(, "params": {"base_url": "http://127.0.0.1:1/v1", "api_key": "mine"}})");
  EXPECT_EQ(reply.status, 403) << reply.text;
  EXPECT_EQ(reply.body["error"]["field"], "params.base_url") << reply.text;
  reply = Fetch("/v1/rewards/judge:evaluate", samples + R"(, "params": {"shuffle": false}})");
  EXPECT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(llm->Stats()["requests"], 1);
}

TEST_F(RewardServerTest, ThousandConcurrentConnections) {
  Start(ServerConfig());
  const Json seen = Client("concurrent", "1000");
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(seen["opened"], 1000);
  EXPECT_EQ(seen["statuses"], Json({{"200", 1000}})) << seen.dump();
}

TEST_F(RewardServerTest, MalformedRequestsAreAllFourHundreds) {
  ServerConfig config;
  config.max_body_bytes = 1 << 20;
  Start(config);
  const Json seen = Client("malformed", "10000");
  ASSERT_TRUE(seen.is_object()) << seen.dump();
  size_t answered = 0;
  for (const auto& [status, count] : seen["statuses"].items()) {
    const std::string code = status.rfind("raw_", 0) == 0 ? status.substr(4) : status;
    // "listed": a 200 whose samples were each refused by name under "errors".
    EXPECT_TRUE((code.size() == 3 && code[0] == '4') || code == "listed") << status << ": " << count;
    answered += count.get<size_t>();
  }
  EXPECT_EQ(answered, 10004u);
  EXPECT_EQ(Fetch("/healthz").status, 200);  // and the server is unaffected
}

// A batch of a CPU reward was scored on one worker, in turn, against one deadline: the
// tail of a large code batch got 0.0 for running out of time with workers idle.
TEST_F(RewardServerTest, OneRequestsSamplesAreScoredOnSeveralWorkers) {
  ServerConfig config;
  config.workers = 2;
  config.rewards["meet"] = ServedReward{"test_meeting_reward", Json::object(), 0, nullptr};
  Start(config);
  const Reply reply = Fetch("/v1/rewards/meet:evaluate?view=scores",
                            "{\"samples\": [" + OneSample("a", "x") + ", " + OneSample("b", "y") + "]}");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body, Json::parse(R"({"scores": [[1.0], [1.0]]})")) << reply.text;
}

// SIGTERM waited for a request still scoring after the grace period, however long its
// own deadline: now the grace period's end cuts the scoring short.
TEST_F(RewardServerTest, ShutdownCutsScoringShortAfterTheGracePeriod) {
  ServerConfig config;
  config.workers = 1;
  config.request_timeout_seconds = 3600;
  config.shutdown_grace_seconds = 0.2;
  config.rewards["forever"] = ServedReward{"test_until_deadline_reward", Json::object(), 0, nullptr};
  Start(config);
  const int started_before = until_deadline_started.load();
  auto answer = std::async(std::launch::async, [&] {
    return Fetch("/v1/rewards/forever:evaluate", "{\"samples\": [" + OneSample("f", "x") + "]}");
  });
  for (int i = 0; i < 10000 && until_deadline_started.load() == started_before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_GT(until_deadline_started.load(), started_before);
  EXPECT_FALSE(server_->Shutdown());  // not drained in the grace period: cut short
  const Reply reply = answer.get();
  if (reply.status == 200) {  // answered in the second after the cut, with the reason
    EXPECT_NE(reply.text.find("cancelled"), std::string::npos) << reply.text;
  }
}

// All workers busy: the queued request is answered at its own deadline, 503 with Retry-After.
TEST_F(RewardServerTest, ARequestStillQueuedAtItsDeadlineIsA503WithRetryAfter) {
  ServerConfig config;
  config.workers = 1;
  config.request_timeout_seconds = 0.5;
  config.rewards["slow"] = ServedReward{"test_slow_reward", Json::object(), 0, nullptr};
  config.rewards["forever"] = ServedReward{"test_until_deadline_reward", Json::object(), 0, nullptr};
  Start(config);
  // 2.5 s on the only worker, whatever its deadline; running before the second request is sent.
  auto first = std::async(std::launch::async, [&] {
    return Fetch("/v1/rewards/slow:evaluate", "{\"samples\": [" + OneSample("s", "2.5") + "]}");
  });
  ASSERT_TRUE(WaitUntilOneIsRunning());
  const std::string body = "{\"samples\": [" + OneSample("f", "x") + "]}";
  const llm::testing::HttpReply queued = llm::testing::FetchUrl(Url("/v1/rewards/forever:evaluate"), &body);
  EXPECT_EQ(queued.status, 503) << queued.body;
  EXPECT_EQ(queued.Header("Retry-After"), "1");
  EXPECT_NE(queued.body.find("waited past its deadline"), std::string::npos) << queued.body;
  EXPECT_EQ(first.get().status, 200);
}

// The deadline started again when a queued request began to run: with one worker busy
// for 1.2 s, a request with a 2 s deadline was answered 3.2 s after it came.
TEST_F(RewardServerTest, TimeSpentQueuedCountsAgainstTheDeadline) {
  ServerConfig config;
  config.workers = 1;
  config.request_timeout_seconds = 2;
  config.rewards["slow"] = ServedReward{"test_slow_reward", Json::object(), 0, nullptr};
  config.rewards["forever"] = ServedReward{"test_until_deadline_reward", Json::object(), 0, nullptr};
  Start(config);
  auto first = std::async(std::launch::async, [&] {
    return Fetch("/v1/rewards/slow:evaluate", "{\"samples\": [" + OneSample("s", "1.2") + "]}");
  });
  ASSERT_TRUE(WaitUntilOneIsRunning());
  const auto start = std::chrono::steady_clock::now();
  const Reply queued = Fetch("/v1/rewards/forever:evaluate", "{\"samples\": [" + OneSample("f", "x") + "]}");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(queued.status, 200) << queued.text;
  EXPECT_LT(seconds, 2.6);
  EXPECT_EQ(first.get().status, 200);
}

// A client that gave up (its own timeout) left its request scoring until the request's
// deadline, an hour here, holding the reward's only worker all that time. (Curl gives up
// after 2 s: time enough for the request to be scored by then, even under ASan.)
TEST_F(RewardServerTest, AClientThatHangsUpStopsTheWorkForIt) {
  ServerConfig config;
  config.workers = 1;
  config.request_timeout_seconds = 3600;
  config.rewards["forever"] = ServedReward{"test_until_deadline_reward", Json::object(), 0, nullptr};
  Start(config);
  const int started_before = until_deadline_started.load();
  const std::string body = "{\"samples\": [" + OneSample("f", "x") + "]}";
  const llm::testing::HttpReply given_up =
      llm::testing::FetchUrl(Url("/v1/rewards/forever:evaluate"), &body, {}, /*timeout_ms=*/2000);
  EXPECT_EQ(given_up.status, 0) << "curl timed out and closed the connection";
  ASSERT_GT(until_deadline_started.load(), started_before) << "the request was not being scored when curl gave up";
  EXPECT_TRUE(WaitForMetric("rmg_running 0", 10000)) << "the request is still being scored for a client that left";
  const std::string metrics = Fetch("/metrics").text;
  EXPECT_NE(metrics.find("reward=\"forever\",status=\"499\"} 1"), std::string::npos) << metrics;
}

// A request was scored on the I/O thread that read it when the reward's mean time per
// sample was small, whatever its size: one large request held that thread, and every
// connection on it, until its deadline.
TEST_F(RewardServerTest, ALargeRequestIsNotScoredOnTheIoThread) {
  ServerConfig config;
  config.io_threads = 1;
  config.rewards["slow"] = ServedReward{"test_slow_reward", Json::object(), 0, nullptr};
  Start(config);
  // Samples that take no time make the reward's mean time per sample tiny.
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(Fetch("/v1/rewards/slow:evaluate", "{\"samples\": [" + OneSample("z", "0") + "]}").status, 200);
  }
  // 1.5 s of work, in a body of 20 KB.
  const std::string large = "{\"samples\": [" + OneSample("l", "1.5 " + std::string(20000, 'x')) + "]}";
  auto first = std::async(std::launch::async, [&] { return Fetch("/v1/rewards/slow:evaluate", large); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Fetch("/healthz").status, 200);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 0.7) << "/healthz waited for the large request";
  EXPECT_EQ(first.get().status, 200);
}

// A large body was parsed on the I/O thread that read it, holding every connection of
// that thread for as long as the parse took. It is read on a worker now: with the only
// worker busy, it waits in the queue unread (even its 400), and the I/O thread answers.
TEST_F(RewardServerTest, ALargeBodyIsReadOnAWorkerNotOnTheIoThread) {
  ServerConfig config;
  config.workers = 1;
  config.io_threads = 1;
  config.rewards["slow"] = ServedReward{"test_slow_reward", Json::object(), 0, nullptr};
  Start(config);
  auto busy = std::async(std::launch::async, [&] {
    return Fetch("/v1/rewards/slow:evaluate", "{\"samples\": [" + OneSample("s", "2") + "]}");
  });
  ASSERT_TRUE(WaitUntilOneIsRunning());
  // Not JSON, but only at its end, 20 KB in.
  const std::string large = "{\"samples\": [" + OneSample("l", std::string(20000, 'x')) + "], \"cut";
  auto unread = std::async(std::launch::async, [&] { return Fetch("/v1/rewards/slow:evaluate", large); });
  EXPECT_TRUE(WaitForMetric("rmg_queue_depth 1", 1000)) << "the large body was not queued for a worker";
  EXPECT_EQ(Fetch("/healthz").status, 200);
  EXPECT_EQ(busy.get().status, 200);
  const Reply refused = unread.get();
  EXPECT_EQ(refused.status, 400) << refused.text;
  EXPECT_NE(refused.text.find("not valid JSON"), std::string::npos) << refused.text;
}

TEST_F(RewardServerTest, FullQueueAnswers503WithRetryAfter) {
  ServerConfig config;
  config.workers = 1;
  config.queue_limit = 2;
  config.rewards["slow"] = ServedReward{"test_slow_reward", Json::object(), 1, nullptr};
  Start(config);
  const Json seen = Client("overload", "1.5 16");
  ASSERT_TRUE(seen.is_object());
  const Json& statuses = seen["statuses"];
  EXPECT_GT(statuses.value("200", 0), 0) << statuses.dump();
  EXPECT_GT(statuses.value("503", 0), 0) << statuses.dump();
  for (const auto& [status, count] : statuses.items()) EXPECT_TRUE(status == "200" || status == "503") << status;
  // Right after, it serves normally.
  EXPECT_EQ(Fetch("/v1/rewards/slow:evaluate", "{\"samples\": [" + OneSample("after", "x") + "]}").status, 200);
}

}  // namespace
}  // namespace rmg
