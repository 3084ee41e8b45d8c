// code_execution: RM-Gallery's CodeExecutionReward reasons and extra_data keys
// (rm_gallery_api.md §11.3), run with real python3 processes through the test-only
// plain runner.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "gallery/code/code_testing.h"
#include "gallery/testing.h"
#include "rmg/evaluator.h"
#include "rmg/registry.h"
#include "rmg/sample_io.h"

namespace rmg::gallery {
namespace {

using testing::SortedKeys;

constexpr const char* kCodeExecutionReward = "code_execution";

DataSample WithLabel(const std::string& content, const Json& label) {
  Json answer = testing::AnswerJson(content);
  answer["label"] = label;
  return testing::SampleWithAnswers({answer});
}

testing::Scored Execute(const std::string& content, const Json& label, const Json& params = Json::object()) {
  const auto reward = RewardRegistry::Global().Create(kCodeExecutionReward, params);
  return testing::ScoredOutput(*reward, reward->Evaluate(WithLabel(content, label)));
}

const Json kDoubling = {{"inputs_outputs", {{"inputs", {"1\n", "2\n", "3\n"}}, {"outputs", {"2\n", "4\n", "6\n"}}}}};

class CodeExecutionRewardTest : public ::testing::Test {
 protected:
  testing::PlainRunnerScope runner_;
};

TEST_F(CodeExecutionRewardTest, AllPass) {
  const auto r = Execute("Sure:\n```python\nprint(int(input()) * 2)\n```", kDoubling);
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "All test cases passed successfully");
  EXPECT_EQ(r.details[0].name, "code_execution");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"extracted_code", "pass_rate", "test_cases", "test_mode",
                                                           "test_results", "tests_passed", "tests_run"}));
  EXPECT_EQ(r.extra["extracted_code"], "print(int(input()) * 2)");
  EXPECT_EQ(r.extra["test_cases"], kDoubling["inputs_outputs"]);
  EXPECT_EQ(r.extra["test_results"][2]["status"], "passed");
}

TEST_F(CodeExecutionRewardTest, PartialAndNone) {
  auto r = Execute("```python\nn = int(input())\nprint(4 if n == 2 else n)\n```", kDoubling);
  EXPECT_DOUBLE_EQ(r.score, 1.0 / 3.0);
  EXPECT_EQ(r.reason(), "Partial success: 33.3% of test cases passed");
  EXPECT_EQ(r.extra["test_results"][0]["status"], "wrong_answer");
  r = Execute("```python\nprint(0)\n```", kDoubling);
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No test cases passed");
}

TEST_F(CodeExecutionRewardTest, BinaryMode) {
  const auto r = Execute("```python\nn = int(input())\nprint(4 if n == 2 else n)\n```", kDoubling, {{"continuous", false}});
  EXPECT_EQ(r.score, 0.0);
  // The tests after the first failure are not run, so the reason names the failed test
  // rather than saying no test passed (the second one would have).
  EXPECT_EQ(r.reason(), "Not all test cases passed: test 1 of 3 failed (continuous=false)");
  EXPECT_EQ(r.extra["test_results"][1]["status"], "not_run");
  const auto partial =
      Execute("```python\nn = int(input())\nprint(2 * n if n < 3 else 0)\n```", kDoubling, {{"continuous", false}});
  EXPECT_EQ(partial.score, 0.0);
  EXPECT_EQ(partial.reason(), "Not all test cases passed: test 3 of 3 failed (continuous=false)");
}

TEST_F(CodeExecutionRewardTest, NoTests) {
  const auto r = Execute("```python\nprint(1)\n```", Json::object());
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No test cases available for evaluation");
  EXPECT_EQ(SortedKeys(r.extra), std::vector<std::string>{"extracted_code"});
}

TEST_F(CodeExecutionRewardTest, NoCode) {
  const auto r = Execute("```python\n\n```", kDoubling);
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No valid code extracted from response");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"extracted_code", "test_cases"}));
}

TEST_F(CodeExecutionRewardTest, MalformedTestsAreAnEvaluationError) {
  const auto r = Execute("print(1)", {{"inputs_outputs", "{oops"}});
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason().rfind("Evaluation error: label.inputs_outputs: not valid JSON", 0), 0u) << r.reason();
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"error", "extracted_code", "test_cases", "traceback"}));
}

TEST_F(CodeExecutionRewardTest, CallAndAssertModes) {
  auto r = Execute("```python\ndef add(a, b):\n    return a + b\n```",
               {{"inputs_outputs", {{"inputs", Json::parse("[[1, 2], [2, 2]]")}, {"outputs", {3, 5}}, {"fn_name", "add"}}}});
  EXPECT_EQ(r.reason(), "Partial success: 50.0% of test cases passed");
  EXPECT_EQ(r.extra["test_mode"], "call");
  r = Execute("```python\ndef add(a, b):\n    return a + b\n```", {{"test_code", "assert add(1, 2) == 3\nassert add(0, 0) == 1"}});
  EXPECT_EQ(r.reason(), "Partial success: 50.0% of test cases passed");
  EXPECT_EQ(r.extra["test_mode"], "assert");
}

TEST_F(CodeExecutionRewardTest, MetadataTestsAreRead) {
  Json sample = {{"unique_id", "m"},
                 {"input", Json::array({{{"role", "user"}, {"content", "q"}}})},
                 {"metadata", {{"inputs_outputs", kDoubling["inputs_outputs"].dump()}}},
                 {"output", Json::array({{{"answer", {{"role", "assistant"}, {"content", "print(int(input())*2)"}}}}})}};
  const auto reward = RewardRegistry::Global().Create(kCodeExecutionReward);
  const auto r = testing::ScoredOutput(*reward, reward->Evaluate(ParseDataSample(sample.dump())));
  EXPECT_EQ(r.reason(), "All test cases passed successfully");
}

// Ctrl-C in Python (or a server's shutdown) while a test loops: the sample ends as
// cancelled at once, not after its 20 s per-test limit.
TEST_F(CodeExecutionRewardTest, ACancelledBatchKillsTheRunningTest) {
  const auto reward = RewardRegistry::Global().Create(kCodeExecutionReward, {{"timeout", 20.0}});
  const std::vector<DataSample> samples = {WithLabel("```python\nwhile True:\n    pass\n```", kDoubling)};
  std::atomic<bool> cancelled{false};
  EvalOptions options;
  options.cancelled = &cancelled;
  options.timeout_seconds = 3600;
  const auto start = std::chrono::steady_clock::now();
  auto run = std::async(std::launch::async, [&] { return EvaluateBatch(*reward, samples, options); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  cancelled = true;
  const std::vector<DataSample> results = run.get();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].output[0].answer.reward->details[0].reason, "cancelled");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10);
}

// A sandbox that fails says nothing about the code: the unit fails and is counted.
TEST(CodeExecutionSandboxTest, ASandboxErrorFailsTheUnit) {
  code::SetProgramRunnerOverrideForTesting([](const RunRequest&) {
    RunResult result;
    result.status = RunStatus::kSandboxError;
    result.message = "zygote: OSError: no space left";
    return result;
  });
  const auto reward = RewardRegistry::Global().Create(kCodeExecutionReward, Json::object());
  DataSample sample = WithLabel("```python\nprint(int(input()) * 2)\n```", kDoubling);
  const size_t failed = reward->Apply(sample, EvalContext{Deadline::Never(), -1.0});
  code::SetProgramRunnerOverrideForTesting(nullptr);
  EXPECT_EQ(failed, 1u);
  ASSERT_TRUE(sample.output[0].answer.reward.has_value());
  const RewardDetail& detail = sample.output[0].answer.reward->details.at(0);
  EXPECT_EQ(detail.score, -1.0);
  EXPECT_EQ(detail.reason, "error: sandbox error: zygote: OSError: no space left");
}

TEST(CodeExecutionRegistryTest, NamesAndDefaults) {
  EXPECT_EQ(RewardRegistry::Global().Spec("code_execution_reward").name, "code_execution");
  EXPECT_EQ(testing::DefaultParam(kCodeExecutionReward, "continuous"), true);
  EXPECT_EQ(testing::DefaultParam(kCodeExecutionReward, "max_tests"), 10);
  EXPECT_EQ(testing::DefaultParam(kCodeExecutionReward, "use_pool"), true);
}

// Without the sandbox (this branch), both production paths say so instead of
// running anything.
TEST(CodeExecutionSandboxTest, ReportsAMissingSandbox) {
  if (!testing::SandboxIsPlaceholder()) GTEST_SKIP() << "the real sandbox is linked";
  for (bool use_pool : {false, true}) {
    const auto r = Execute("print(int(input()) * 2)", kDoubling, {{"use_pool", use_pool}});
    EXPECT_EQ(r.score, 0.0);
    EXPECT_EQ(r.reason(), "error: sandbox error: sandbox not built in this branch") << use_pool;
  }
}

}  // namespace
}  // namespace rmg::gallery
