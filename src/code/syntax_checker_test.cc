// The long-lived syntax checker against the one-shot checker it replaces, and its
// recovery: real CPython processes, sandboxed where the machine allows it and plain
// (testing_runner.h) where the test needs the process's pid or another script.
#include "code/syntax_checker.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "code/python_harness.h"
#include "code/testing_runner.h"

namespace rmg::code {
namespace {

SyntaxCheckerOptions PlainOptions() {
  SyntaxCheckerOptions options;
  options.starter = testing::PlainProcess::Start;
  return options;
}

// Options whose processes run `script` instead of the checker's loop.
SyntaxCheckerOptions ImpostorOptions(const std::string& script) {
  SyntaxCheckerOptions options;
  options.starter = [script](const RunRequest& request, std::string* error) {
    RunRequest impostor = request;
    impostor.files = {{"impostor.py", script}};
    impostor.argv = {"/usr/bin/python3", "-I", "impostor.py"};
    return testing::PlainProcess::Start(impostor, error);
  };
  return options;
}

Json Blocks(const std::vector<std::string>& blocks) {
  Json list = Json::array();
  for (const std::string& block : blocks) list.push_back(block);
  return list;
}

// Today's path: SyntaxCheckerSource run once over blocks.json by `run`.
Json OneShotVerdicts(const Json& blocks, RunResult (*run)(const RunRequest&)) {
  RunRequest request;
  request.argv = {"/usr/bin/python3", "-I", "check.py"};
  request.files.emplace_back("check.py", SyntaxCheckerSource());
  request.files.emplace_back("blocks.json", blocks.dump(-1, ' ', false, Json::error_handler_t::replace));
  const RunResult result = run(request);
  EXPECT_EQ(result.status, RunStatus::kOk) << result.message << result.stderr_data;
  return Json::parse(result.stdout_data);
}

// Blocks covering each kind of verdict.
Json VerdictCases() {
  return Blocks({
      "def f(x):\n    return x\n",                 // valid
      "  \n\tprint(1)  \n",                         // valid once stripped
      "x = 1\ndef f(:\n  pass",                     // SyntaxError, line 2 offset 7
      "if x:\nreturn",                              // CPython's own wording
      std::string("a = 1\0b", 7),                   // null byte: ValueError
      "1" + std::string(200000, '+') + "1",         // too deep: RecursionError or MemoryError
      std::string(100000, '-') + "1",               // parser stack: MemoryError
      "\xff = 1",                                   // not UTF-8: replaced by U+FFFD
      "",                                           // empty
  });
}

void ExpectKnownVerdicts(const Json& verdicts) {
  ASSERT_EQ(verdicts.size(), 9u) << verdicts.dump();
  EXPECT_TRUE(verdicts[0].is_null());
  EXPECT_TRUE(verdicts[1].is_null());
  EXPECT_EQ(verdicts[2]["line"], 2);
  EXPECT_EQ(verdicts[2]["offset"], 7);
  EXPECT_EQ(verdicts[3]["error"], "expected an indented block after 'if' statement on line 1 (<unknown>, line 2)");
  EXPECT_EQ(verdicts[4]["error"], "source code string cannot contain null bytes");
  EXPECT_TRUE(verdicts[4]["line"].is_null());
  EXPECT_TRUE(verdicts[5].is_object());
  EXPECT_TRUE(verdicts[5]["line"].is_null());
  EXPECT_EQ(verdicts[6]["error"], "too deeply nested for CPython's parser (MemoryError)");
  EXPECT_EQ(verdicts[7]["error"], "invalid character '\xef\xbf\xbd' (U+FFFD) (<unknown>, line 1)");
  EXPECT_TRUE(verdicts[8].is_null());
}

TEST(SyntaxCheckerTest, SameVerdictsAsTheOneShotChecker) {
  SyntaxChecker checker(PlainOptions());
  const Json blocks = VerdictCases();
  const SyntaxCheckResult result = checker.Check(blocks, 30);
  ASSERT_EQ(result.error, "");
  ExpectKnownVerdicts(result.verdicts);
  EXPECT_EQ(result.verdicts, OneShotVerdicts(blocks, testing::RunPlainProcess));
  // The same process answers again, with the same verdicts.
  EXPECT_EQ(checker.Check(blocks, 30).verdicts, result.verdicts);
  EXPECT_EQ(checker.starts(), 1u);
}

TEST(SyntaxCheckerTest, SandboxedProcessesGiveTheOneShotVerdicts) {
  SyntaxChecker checker;  // SandboxedProcess::Start
  const Json blocks = VerdictCases();
  const SyntaxCheckResult result = checker.Check(blocks, 30);
  if (!result.started) GTEST_SKIP() << "no sandbox on this machine: " << result.error;
  ASSERT_EQ(result.error, "");
  ExpectKnownVerdicts(result.verdicts);
  EXPECT_EQ(result.verdicts, OneShotVerdicts(blocks, RunSandboxed));
}

TEST(SyntaxCheckerTest, RunningOutOfMemoryFailsTheRequestAndReplacesTheProcess) {
  SyntaxCheckerOptions options;  // SandboxedProcess::Start, which sets the address-space limit
  options.memory_bytes = 256ull << 20;
  SyntaxChecker checker(options);
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "a;";  // valid, about 360 MB as a syntax tree
  const SyntaxCheckResult result = checker.Check(Json::array({"x = 1", big}), 60);
  if (!result.started) GTEST_SKIP() << "no sandbox on this machine: " << result.error;
  EXPECT_EQ(result.error,
            "memory_limit: parsing block 1 needs more than the 256 MiB of address space the syntax checker has");
  EXPECT_TRUE(result.verdicts.is_null());
  const SyntaxCheckResult next = checker.Check(Json::array({"x = 1"}), 30);
  EXPECT_EQ(next.error, "");
  EXPECT_EQ(next.verdicts, Json::array({nullptr}));
  EXPECT_EQ(checker.starts(), 2u);
}

TEST(SyntaxCheckerTest, ASlowRequestTimesOutAndTheNextOneIsAnswered) {
  SyntaxChecker checker(PlainOptions());
  std::string slow;
  for (int i = 0; i < 100000; ++i) slow += "x = 1\n";  // a few hundred ms of ast.parse
  const SyntaxCheckResult result = checker.Check(Blocks({slow}), 0.001);
  EXPECT_TRUE(result.started);
  EXPECT_EQ(result.error, "time_limit: no reply from the syntax checker within the timeout: process killed");
  EXPECT_TRUE(result.verdicts.is_null());
  const SyntaxCheckResult next = checker.Check(Blocks({"x = 1"}), 30);
  EXPECT_EQ(next.error, "");
  EXPECT_EQ(next.verdicts, Json::parse("[null]"));
  EXPECT_EQ(checker.starts(), 2u);
}

TEST(SyntaxCheckerTest, AKilledProcessIsReplaced) {
  std::atomic<pid_t> pid{-1};
  SyntaxCheckerOptions options;
  options.starter = [&pid](const RunRequest& request, std::string* error) {
    std::unique_ptr<SandboxedProcess> process = testing::PlainProcess::Start(request, error);
    pid = static_cast<testing::PlainProcess&>(*process).pid();
    return process;
  };
  SyntaxChecker checker(options);
  ASSERT_EQ(checker.Check(Blocks({"x = 1"}), 30).error, "");
  const pid_t first = pid;
  ASSERT_GT(first, 0);
  ASSERT_EQ(kill(first, SIGKILL), 0);
  waitpid(first, nullptr, 0);  // dead and reaped before the next request
  const SyntaxCheckResult result = checker.Check(Blocks({"def f(:"}), 30);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.verdicts[0]["error"], "invalid syntax (<unknown>, line 1)");
  EXPECT_EQ(checker.starts(), 2u);
  EXPECT_NE(pid, first);
}

TEST(SyntaxCheckerTest, AProcessThatDiesDuringARequestIsAnErrorAndIsReplaced) {
  SyntaxChecker checker(ImpostorOptions(
      "import sys\nprint('{\"ready\": true}', flush=True)\nsys.stdin.readline()\nsys.stderr.write('boom')\n"
      "sys.exit(3)\n"));
  const SyntaxCheckResult result = checker.Check(Blocks({"x = 1"}), 30);
  EXPECT_TRUE(result.started);
  EXPECT_EQ(result.error, "runtime_error: the syntax checker process died: boom");
  EXPECT_EQ(checker.Check(Blocks({"x = 1"}), 30).error, result.error);
  EXPECT_EQ(checker.starts(), 2u);
}

TEST(SyntaxCheckerTest, RepliesThatAreNotOneVerdictPerBlockAreErrors) {
  for (const std::string reply : {"not json", "[null, null]", "[1]", "{}", "[null]\\n[null]"}) {
    SyntaxChecker checker(ImpostorOptions("import sys\nprint('{\"ready\": true}', flush=True)\nfor line in sys.stdin:\n"
                                          "    sys.stdout.write('" + reply + "\\n')\n    sys.stdout.flush()\n"));
    const SyntaxCheckResult result = checker.Check(Blocks({"x = 1"}), 30);
    EXPECT_EQ(result.error, "sandbox_error: unreadable reply from the syntax checker") << reply;
    EXPECT_EQ(checker.Check(Blocks({"x = 1"}), 30).error, result.error) << reply;
    EXPECT_EQ(checker.starts(), 2u) << reply;
  }
}

TEST(SyntaxCheckerTest, ProcessesAreReplacedAfterTheirQuotaOfRequests) {
  SyntaxCheckerOptions options = PlainOptions();
  options.requests_per_process = 3;
  SyntaxChecker checker(options);
  for (int i = 0; i < 7; ++i) ASSERT_EQ(checker.Check(Blocks({"x = " + std::to_string(i)}), 30).error, "");
  EXPECT_EQ(checker.starts(), 3u);
}

TEST(SyntaxCheckerTest, RequestsOverTheCapAreRefusedUnsent) {
  SyntaxCheckerOptions options = PlainOptions();
  options.max_request_bytes = 100;
  SyntaxChecker checker(options);
  const SyntaxCheckResult result = checker.Check(Blocks({std::string(200, 'x')}), 30);
  EXPECT_EQ(result.error, "memory_limit: the blocks take 204 bytes as JSON, more than the syntax checker accepts (100)");
  EXPECT_EQ(checker.starts(), 0u);
  EXPECT_EQ(checker.Check(Blocks({std::string(90, 'x')}), 30).error, "");
}

TEST(SyntaxCheckerTest, AStarterThatFailsSaysNotStarted) {
  SyntaxCheckerOptions options;
  options.starter = [](const RunRequest&, std::string* error) -> std::unique_ptr<SandboxedProcess> {
    *error = "no namespaces here";
    return nullptr;
  };
  SyntaxChecker checker(options);
  const SyntaxCheckResult result = checker.Check(Blocks({"x = 1"}), 30);
  EXPECT_FALSE(result.started);
  EXPECT_EQ(result.error, "sandbox_error: no namespaces here");
}

TEST(SyntaxCheckerTest, ManyThreadsAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kRequests = 25;
  SyntaxChecker checker(PlainOptions());
  std::atomic<int> right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequests; ++i) {
        // Thread t's own error line and request i's own block count, so a reply
        // given to the wrong caller shows.
        std::string bad;
        for (int line = 0; line < t; ++line) bad += "x = 1\n";
        bad += "def f(:";
        std::vector<std::string> blocks(static_cast<size_t>(i % 3), "x = 1");
        blocks.push_back(bad);
        const SyntaxCheckResult result = checker.Check(Blocks(blocks), 30);
        if (result.error.empty() && result.verdicts.size() == blocks.size() && result.verdicts.back()["line"] == t + 1 &&
            (blocks.size() == 1 || result.verdicts[0].is_null())) {
          ++right;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(right, kThreads * kRequests);
  EXPECT_GE(checker.starts(), 1u);
  EXPECT_LE(checker.starts(), static_cast<size_t>(kThreads));  // N callers, at most N processes
}

}  // namespace
}  // namespace rmg::code
