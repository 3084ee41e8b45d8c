// Which runner the code rewards get: the test override when one is installed (taken
// at the time of the call, safely from many threads), else the real sandbox, one
// process per run, or the shared pool of sandboxed zygotes. The real paths run
// /usr/bin/python3 and are skipped on a machine without a working sandbox.
#include "code/program_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "code/python_pool.h"

namespace rmg::code {
namespace {

// A runner that answers without running anything, its stdout naming it.
ProgramRunner ProgramRunnerNamed(const std::string& label) {
  return [label](const RunRequest&) {
    RunResult result;
    result.status = RunStatus::kOk;
    result.exit_code = 0;
    result.stdout_data = label;
    return result;
  };
}

RunRequest ProgramRunnerScript(const std::string& source, const std::string& stdin_data = "") {
  RunRequest request;
  request.argv = {"/usr/bin/python3", "main.py"};
  request.files = {{"main.py", source}};
  request.stdin_data = stdin_data;
  request.limits.wall_seconds = 20;
  request.limits.cpu_seconds = 20;
  return request;
}

// Why the real sandbox cannot run a trivial program here, or "" when it can.
std::string ProgramRunnerSandboxMissing() {
  const RunResult probe = RunSandboxed(ProgramRunnerScript("pass"));
  if (probe.status == RunStatus::kSandboxError) return probe.message;
  return "";
}

class ProgramRunnerTest : public ::testing::Test {
 protected:
  // No test may leave its override behind for the code rewards' tests.
  void SetUp() override { SetProgramRunnerOverrideForTesting(nullptr); }
  void TearDown() override { SetProgramRunnerOverrideForTesting(nullptr); }
};

TEST_F(ProgramRunnerTest, TheOverrideServesBothKindsOfRequest) {
  SetProgramRunnerOverrideForTesting(ProgramRunnerNamed("override"));
  for (bool use_pool : {false, true}) {
    const ProgramRunner runner = DefaultProgramRunner(use_pool);
    ASSERT_TRUE(runner) << use_pool;
    const RunResult result = runner(ProgramRunnerScript("print('real')"));
    EXPECT_EQ(result.status, RunStatus::kOk) << use_pool;
    EXPECT_EQ(result.stdout_data, "override") << use_pool;
  }
}

TEST_F(ProgramRunnerTest, TheLatestOverrideWins) {
  SetProgramRunnerOverrideForTesting(ProgramRunnerNamed("first"));
  SetProgramRunnerOverrideForTesting(ProgramRunnerNamed("second"));
  EXPECT_EQ(DefaultProgramRunner(false)(RunRequest{}).stdout_data, "second");
}

// A runner already handed out is a copy: replacing or removing the override later
// does not change it (a reward keeps the runner it was built with).
TEST_F(ProgramRunnerTest, AHandedOutRunnerOutlivesItsOverride) {
  SetProgramRunnerOverrideForTesting(ProgramRunnerNamed("kept"));
  const ProgramRunner kept = DefaultProgramRunner(true);
  SetProgramRunnerOverrideForTesting(ProgramRunnerNamed("later"));
  EXPECT_EQ(kept(RunRequest{}).stdout_data, "kept");
  SetProgramRunnerOverrideForTesting(nullptr);
  EXPECT_EQ(kept(RunRequest{}).stdout_data, "kept");
}

// The override's captured state lives as long as the override or a copy of it.
TEST_F(ProgramRunnerTest, TheOverrideOwnsItsCapturedState) {
  auto counter = std::make_shared<int>(0);
  SetProgramRunnerOverrideForTesting([counter](const RunRequest&) {
    ++*counter;
    return RunResult{};
  });
  EXPECT_EQ(counter.use_count(), 2);
  DefaultProgramRunner(false)(RunRequest{});
  DefaultProgramRunner(true)(RunRequest{});
  EXPECT_EQ(*counter, 2);
  SetProgramRunnerOverrideForTesting(nullptr);
  EXPECT_EQ(counter.use_count(), 1);
}

// Rewards fetch their runner from evaluation threads while a test may swap the
// override: every runner handed out is whole, one of those installed.
TEST_F(ProgramRunnerTest, OverridesCanBeSwappedWhileOtherThreadsFetchRunners) {
  SetProgramRunnerOverrideForTesting(ProgramRunnerNamed("a"));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      int fetched = 0;
      while (!stop.load() || fetched < 200) {
        const ProgramRunner runner = DefaultProgramRunner(fetched % 2 == 0);
        const std::string label = runner(RunRequest{}).stdout_data;
        if (label != "a" && label != "b") ++bad;
        ++fetched;
      }
    });
  }
  for (int i = 0; i < 2000; ++i) SetProgramRunnerOverrideForTesting(ProgramRunnerNamed(i % 2 == 0 ? "b" : "a"));
  stop = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(bad.load(), 0);
}

// ---- the real runners ----

TEST_F(ProgramRunnerTest, SandboxRunnerRunsTheProgram) {
  const std::string missing = ProgramRunnerSandboxMissing();
  if (!missing.empty()) GTEST_SKIP() << "no sandbox on this machine: " << missing;
  const RunResult result =
      SandboxRunner()(ProgramRunnerScript("import sys\nprint(sys.stdin.read().strip()[::-1])\nsys.exit(3)", "abc\n"));
  EXPECT_EQ(result.status, RunStatus::kRuntimeError) << result.message << result.stderr_data;
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.stdout_data, "cba\n");
}

// Without an override, use_pool=false is one sandboxed process per run: it runs
// any argv, which the pool would refuse.
TEST_F(ProgramRunnerTest, WithoutTheOverrideThePlainRunnerIsTheSandbox) {
  const std::string missing = ProgramRunnerSandboxMissing();
  if (!missing.empty()) GTEST_SKIP() << "no sandbox on this machine: " << missing;
  SetProgramRunnerOverrideForTesting(ProgramRunnerNamed("gone"));
  SetProgramRunnerOverrideForTesting(nullptr);  // an empty function restores the default
  RunRequest request;
  request.argv = {"/usr/bin/python3", "-c", "print(6 * 7)"};
  const RunResult result = DefaultProgramRunner(false)(request);
  EXPECT_EQ(result.status, RunStatus::kOk) << result.message << result.stderr_data;
  EXPECT_EQ(result.stdout_data, "42\n");
  RunRequest no_script;
  no_script.argv = {"/usr/bin/python3", "-B"};
  no_script.stdin_data = "print('from stdin')\n";
  const RunResult plain = DefaultProgramRunner(false)(no_script);
  EXPECT_EQ(plain.status, RunStatus::kOk) << plain.message << plain.stderr_data;
  EXPECT_EQ(plain.stdout_data, "from stdin\n");
}

// use_pool=true is the shared pool: it runs a script among the request's files and
// refuses a request without one, which the sandbox runner would simply run.
TEST_F(ProgramRunnerTest, WithoutTheOverrideThePoolRunnerIsTheSharedPool) {
  const std::string missing = ProgramRunnerSandboxMissing();
  if (!missing.empty()) GTEST_SKIP() << "no sandbox on this machine: " << missing;
  const ProgramRunner runner = DefaultProgramRunner(true);
  const RunResult result = runner(ProgramRunnerScript("print(input() * 2)", "ab\n"));
  EXPECT_EQ(result.status, RunStatus::kOk) << result.message << result.stderr_data;
  EXPECT_EQ(result.stdout_data, "abab\n");
  EXPECT_GE(PythonPool::Shared().starts(), 1u);

  RunRequest no_script;
  no_script.argv = {"/usr/bin/python3", "-B"};
  const RunResult refused = runner(no_script);
  EXPECT_EQ(refused.status, RunStatus::kSandboxError);
  EXPECT_EQ(refused.message, "the pool runs only `python [-flags] script.py args...`");
}

}  // namespace
}  // namespace rmg::code
