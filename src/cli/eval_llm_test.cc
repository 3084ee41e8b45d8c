// `rmg eval` with LLM judges, as a user runs it: environment variables, config
// files with `llm:`, `judges:` and `templates:`, the cache across runs, and the
// summary — against the scripted OpenAI-compatible server on loopback.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_testing.h"
#include "llm/testing/scripted_server.h"
#include "rmg/schema.h"

namespace rmg {
namespace {

using llm::testing::ScriptedServer;

class EvalLlmTest : public testing::CommandTest {
 protected:
  void StartServer(const Json& rules) { server_ = ScriptedServer::StartWithScript(Json{{"rules", rules}}); }
  // The environment a user sets for an endpoint.
  std::string Env() const { return "OPENAI_API_KEY=test-key BASE_URL=" + server_->base_url() + " "; }

  std::string TwoSamples() const {
    return Write("samples.jsonl",
                 R"({"unique_id": "a", "input": [{"role": "user", "content": "question one"}], "output": [{"answer": {"role": "assistant", "content": "x"}}, {"answer": {"role": "assistant", "content": "y"}}]})"
                 "\n"
                 R"({"unique_id": "b", "input": [{"role": "user", "content": "question two"}], "output": [{"answer": {"role": "assistant", "content": "x"}}, {"answer": {"role": "assistant", "content": "y"}}]})"
                 "\n");
  }

  std::unique_ptr<ScriptedServer> server_;
};

TEST_F(EvalLlmTest, JudgesThroughEnvironmentVariables) {
  StartServer(Json::array({Json{{"match", "question"}, {"reply", "<reason>r</reason><best>2</best>"}}}));
  const auto result = RunShell(Env() + std::string(RMG_BINARY) +
                               " eval --reward helpfulness_listwise_reward --param shuffle=false --no-cache --input " +
                               TwoSamples());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  size_t lines = 0;
  for (size_t start = 0; start < result.out.size(); ++lines) {
    const size_t end = result.out.find('\n', start);
    const Json sample = Json::parse(result.out.substr(start, end - start));
    EXPECT_EQ(sample["output"][1]["answer"]["reward"]["score"], 1.0);
    EXPECT_EQ(sample["output"][0]["answer"]["reward"]["score"], 0.0);
    start = end + 1;
  }
  EXPECT_EQ(lines, 2u);
  EXPECT_NE(result.err.find("LLM 2 requests"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("cache 0 hits"), std::string::npos) << result.err;
}

TEST_F(EvalLlmTest, ConfigRegistersJudgesAndTheCacheServesTheSecondRun) {
  StartServer(Json::array({Json{{"match", "# Rubrics\n1. Be brief."}, {"reply", "<reason>ok</reason><violation>[]</violation>"}}}));
  Write("brief.yaml", "name: brief_judge\nmode: pointwise\nrubrics: [Be brief.]\n");
  const std::string config = Write("judge.yaml",
                                   "llm:\n  base_url: " + server_->base_url() + "\n  cache: " + Path("cache.sqlite") +
                                       "\n  concurrency: 8\njudges: [brief.yaml]\nreward: brief_judge\n");
  const std::string samples = TwoSamples();
  const auto first = RunShell("OPENAI_API_KEY=k " + std::string(RMG_BINARY) + " eval --config " + config + " --input " + samples);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("cache 0 hits, 4 misses"), std::string::npos) << first.err;
  const auto second = RunShell("OPENAI_API_KEY=k " + std::string(RMG_BINARY) + " eval --config " + config + " --input " + samples);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("cache 4 hits, 0 misses"), std::string::npos) << second.err;
  EXPECT_EQ(first.out, second.out);
  EXPECT_EQ(server_->Stats()["requests"], 4);
  // --no-cache goes back to the server.
  const auto third = RunShell("OPENAI_API_KEY=k " + std::string(RMG_BINARY) + " eval --no-cache --config " + config +
                              " --input " + samples);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(server_->Stats()["requests"], 8);
}

TEST_F(EvalLlmTest, MissingKeyIsOneLineNamingTheVariables) {
  StartServer(Json::array());
  const auto result = RunShell("env -u OPENAI_API_KEY BASE_URL=" + server_->base_url() + " " + std::string(RMG_BINARY) +
                               " eval --reward helpfulness_listwise_reward --input " + TwoSamples());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("OPENAI_API_KEY"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("BASE_URL"), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_EQ(server_->Stats()["requests"], 0);
}

TEST_F(EvalLlmTest, RejectedKeyFailsEverySampleWithoutARetryStorm) {
  server_ = ScriptedServer::Start({"--api-key", "the-right-key"});
  const auto result = RunShell("OPENAI_API_KEY=wrong BASE_URL=" + server_->base_url() + " " + std::string(RMG_BINARY) +
                               " eval --reward helpfulness_listwise_reward --no-cache --workers 1 --input " + TwoSamples());
  // The samples are written, each with an error detail; a run of nothing but errors exits 1.
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("check OPENAI_API_KEY and BASE_URL"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("2 errors"), std::string::npos) << result.err;
  EXPECT_LE(server_->Stats()["requests"].get<int>(), 2);
}

// A judge that did not answer one sample: --resume keeps its error detail, and
// --retry-failed asks again for that sample alone and puts it back in its place.
TEST_F(EvalLlmTest, RetryFailedScoresTheFailedSamplesAgainInTheirPlaces) {
  // The first request about "question two" gets a 500; later ones the reply.
  StartServer(Json::array(
      {Json{{"match", "question two"}, {"faults", Json::array({"500"})}, {"reply", "<reason>r</reason><best>2</best>"}},
       Json{{"match", "question"}, {"reply", "<reason>r</reason><best>2</best>"}}}));
  const std::string samples = Write(
      "three.jsonl",
      R"({"unique_id": "a", "input": [{"role": "user", "content": "question one"}], "output": [{"answer": {"content": "x"}}, {"answer": {"content": "y"}}]})"
      "\n"
      R"({"unique_id": "b", "input": [{"role": "user", "content": "question two"}], "output": [{"answer": {"content": "x"}}, {"answer": {"content": "y"}}]})"
      "\n"
      R"({"unique_id": "c", "input": [{"role": "user", "content": "question three"}], "output": [{"answer": {"content": "x"}}, {"answer": {"content": "y"}}]})"
      "\n");
  const std::string out = Path("judged.jsonl");
  const std::string command = Env() + std::string(RMG_BINARY) +
                              " eval --reward helpfulness_listwise_reward --param shuffle=false --param max_retries=0"
                              " --no-cache --workers 1 --input " +
                              samples + " --output " + out;
  auto records = [&] {
    std::vector<Json> lines;
    std::stringstream in(testing::ReadFile(out));
    for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
    return lines;
  };
  const auto first = RunShell(command);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("1 errors"), std::string::npos) << first.err;
  std::vector<Json> scored = records();
  ASSERT_EQ(scored.size(), 3u);
  EXPECT_EQ(scored[1]["metadata"]["rmg_failed_units"], 1) << scored[1].dump();
  EXPECT_FALSE(scored[0].contains("metadata") && scored[0]["metadata"].contains("rmg_failed_units"));

  // --resume alone takes the failed sample as done.
  const auto resumed = RunShell(command + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("3 already done"), std::string::npos) << resumed.err;
  EXPECT_EQ(records(), scored);
  EXPECT_EQ(server_->Stats()["requests"], 3);

  const auto retried = RunShell(command + " --retry-failed");
  ASSERT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_NE(retried.err.find("rmg eval: 1 samples"), std::string::npos) << retried.err;
  EXPECT_NE(retried.err.find("2 already done, 1 failed ones scored again"), std::string::npos) << retried.err;
  EXPECT_EQ(server_->Stats()["requests"], 4);
  const std::vector<Json> final = records();
  ASSERT_EQ(final.size(), 3u);
  EXPECT_EQ(final[0], scored[0]);
  EXPECT_EQ(final[2], scored[2]);
  EXPECT_EQ(final[1]["unique_id"], "b");
  EXPECT_EQ(final[1]["output"][1]["answer"]["reward"]["score"], 1.0) << final[1].dump();
  EXPECT_FALSE(final[1].contains("metadata") && final[1]["metadata"].contains("rmg_failed_units")) << final[1].dump();
  // Nothing failed is left: another retry asks nothing.
  const auto again = RunShell(command + " --retry-failed");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("3 already done, 0 failed ones scored again"), std::string::npos) << again.err;
  EXPECT_EQ(records(), final);
  EXPECT_EQ(server_->Stats()["requests"], 4);
}

TEST_F(EvalLlmTest, MisspeltLlmSettingIsNamed) {
  const std::string config = Write("bad.yaml", "llm:\n  modle: gpt-4o\nreward: helpfulness_listwise_reward\n");
  const auto result = Run("eval --config " + config + " --input " + TwoSamples());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("bad.yaml: llm.modle: unknown key (known: "), std::string::npos) << result.err;
}

TEST_F(EvalLlmTest, CustomJudgeExampleRuns) {
  StartServer(Json::array({Json{{"match", "La capitale est Paris."}, {"reply", "<same_language>yes</same_language>"}},
                           Json{{"match", "The capital is Paris."}, {"reply", "<same_language>no</same_language>"}}}));
  const auto result = RunShell(Env() + RMG_CUSTOM_JUDGE_EXAMPLE);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json judged = Json::parse(result.out);
  EXPECT_EQ(judged["output"][0]["answer"]["reward"]["score"], 1.0);
  EXPECT_EQ(judged["output"][1]["answer"]["reward"]["score"], 0.0);
}

}  // namespace
}  // namespace rmg
