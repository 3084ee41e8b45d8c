// `rmg refine` run as a user runs it, its LLM being the scripted OpenAI-compatible
// server on loopback.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_testing.h"
#include "llm/testing/scripted_server.h"
#include "rmg/schema.h"

namespace rmg {
namespace {

using llm::testing::ScriptedServer;

class RefineCommandTest : public testing::CommandTest {
 protected:
  static std::string Sample(const std::string& id, const std::string& question, const std::string& answer,
                            const std::string& reference) {
    return Json{{"unique_id", id},
                {"input", Json::array({Json{{"role", "user"}, {"content", question}}})},
                {"output", Json::array({Json{{"answer", {{"role", "assistant"}, {"content", answer},
                                                         {"label", {{"reference", reference}}}}}}})}}
        .dump();
  }
};

TEST_F(RefineCommandTest, RefinesFromTheRewardsFeedbackAndReportsAFailedSample) {
  const Json script = {
      {"rules", Json::array({Json{{"match", "explode"}, {"reply", "never"}, {"faults", {"500", "500", "500"}}}})},
      {"default_reply", "<think>check</think>\\boxed{4}"}};
  auto server = ScriptedServer::StartWithScript(script);
  const std::string config = Write("refine.yaml", "reward: math_verify_reward\nllm:\n  base_url: " + server->base_url() +
                                                      "\n  model: refiner-model\n  max_retries: 0\n");
  const std::string input = Write("in.jsonl", Sample("a", "What is 2+2?", "\\boxed{5}", "4") + "\n" +
                                                  Sample("b", "Please explode.", "\\boxed{1}", "1") + "\n");
  const auto result = RunShell("OPENAI_API_KEY=k " + std::string(RMG_BINARY) + " refine --config " + config +
                               " --input " + input + " --output " + Path("out.jsonl") + " --max-iterations 2 -w 2");
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("b: iteration 1: LLM call failed (http_error)"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("2 samples, 1 refined, 1 failed"), std::string::npos) << result.err;

  const std::string out = testing::ReadFile(Path("out.jsonl"));
  const size_t newline = out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  const Json a = Json::parse(out.substr(0, newline));
  const Json b = Json::parse(out.substr(newline + 1));
  ASSERT_EQ(a["output"].size(), 3u);
  EXPECT_EQ(a["output"][0]["answer"]["content"], "\\boxed{5}");
  EXPECT_EQ(a["output"][1]["answer"]["content"], "\\boxed{4}");
  EXPECT_EQ(a["output"][2]["answer"]["content"], "\\boxed{4}");
  EXPECT_FALSE(a["output"][1]["answer"].contains("reward"));
  EXPECT_FALSE(a.contains("refinement_error"));
  EXPECT_EQ(b["output"].size(), 1u);
  EXPECT_NE(b["refinement_error"].get<std::string>().find("iteration 1"), std::string::npos);

  // Two calls for a (one per iteration), one failed call for b.
  std::vector<Json> for_a;
  for (const Json& body : server->Requests()) {
    EXPECT_EQ(body["model"], "refiner-model");
    const std::string prompt = body["messages"].back()["content"];
    if (prompt.find("What is 2+2?") != std::string::npos) for_a.push_back(body);
  }
  EXPECT_EQ(server->Requests().size(), 3u);
  ASSERT_EQ(for_a.size(), 2u);
  for (const Json& body : for_a) {
    // math_verify_reward's reason for output[0] names both extracted answers.
    const std::string prompt = body["messages"].back()["content"];
    EXPECT_NE(prompt.find("gold: 4; prediction: 5"), std::string::npos) << prompt;
  }
}

// Each refinement costs LLM calls: a resumed run asks only for the samples not yet written.
TEST_F(RefineCommandTest, ResumeAsksOnlyForTheSamplesNotYetWritten) {
  auto server = ScriptedServer::StartWithScript(Json{{"rules", Json::array()}, {"default_reply", "\\boxed{4}"}});
  const std::string config =
      Write("refine.yaml", "reward: math_verify_reward\nllm:\n  base_url: " + server->base_url() +
                               "\n  model: refiner-model\n  cache: \"off\"\n");
  std::string text;
  for (int i = 0; i < 4; ++i) text += Sample("q" + std::to_string(i), "What is 2+2?", "\\boxed{5}", "4") + "\n";
  const std::string input = Write("in.jsonl", text);
  const auto command = [&](const std::string& output, const std::string& iterations) {
    return "OPENAI_API_KEY=k " + std::string(RMG_BINARY) + " refine --config " + config + " --input " + input +
           " -w 1 --max-iterations " + iterations + " --output " + output;
  };
  ASSERT_EQ(RunShell(command(Path("full.jsonl"), "2")).exit_code, 0);
  EXPECT_EQ(server->Requests().size(), 8u);
  const std::string full = testing::ReadFile(Path("full.jsonl"));
  const size_t first_end = full.find('\n') + 1;
  Write("out.jsonl", full.substr(0, first_end + 25));  // one record and the start of the next
  const auto resumed = RunShell(command(Path("out.jsonl"), "2") + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("3 samples, 3 refined, 0 failed, 1 already done"), std::string::npos) << resumed.err;
  EXPECT_EQ(server->Requests().size(), 14u);  // 6 more: two per sample left
  EXPECT_EQ(testing::ReadFile(Path("out.jsonl")), full);
  // With another number of iterations it is another run.
  const auto other = RunShell(command(Path("out.jsonl"), "1") + " --resume");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("\"max_iterations\":2"), std::string::npos) << other.err;
}

TEST_F(RefineCommandTest, WithoutAKeyItFailsBeforeAnyRequest) {
  auto server = ScriptedServer::Start({});
  const std::string input = Write("in.jsonl", Sample("a", "q", "\\boxed{5}", "4") + "\n");
  const auto result = RunShell("env -u OPENAI_API_KEY BASE_URL=" + server->base_url() + " " + std::string(RMG_BINARY) +
                               " refine --reward math_verify_reward --input " + input);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("OPENAI_API_KEY"), std::string::npos) << result.err;
  EXPECT_EQ(server->Stats()["requests"], 0);
}

}  // namespace
}  // namespace rmg
