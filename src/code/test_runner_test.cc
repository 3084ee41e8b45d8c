// The harness and the runner with real /usr/bin/python3 processes, run by the
// test-only plain runner (no sandbox) and by the pool with plain-process zygotes.
#include "code/test_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "code/python_pool.h"
#include "code/testing_runner.h"

namespace rmg::code {
namespace {

TestSuite Stdio(std::vector<std::pair<std::string, std::string>> cases) {
  TestSuite suite;
  suite.mode = TestMode::kStdio;
  for (auto& [in, out] : cases) {
    TestCase test;
    test.input = in;
    test.expected = out;
    suite.tests.push_back(test);
  }
  return suite;
}

TestSuite Call(const std::string& fn, const Json& args_list, const Json& outputs) {
  return ParseInputsOutputs(Json{{"inputs", args_list}, {"outputs", outputs}, {"fn_name", fn}}, "t");
}

TestSuite Assert(std::vector<std::string> tests, std::string setup = "") {
  TestSuite suite;
  suite.mode = TestMode::kAssert;
  suite.setup_code = std::move(setup);
  for (auto& code : tests) {
    TestCase test;
    test.test_code = code;
    suite.tests.push_back(test);
  }
  return suite;
}

std::vector<std::string> Statuses(const SuiteResult& result) {
  std::vector<std::string> names;
  for (const TestOutcome& test : result.tests) names.push_back(TestStatusName(test.status));
  return names;
}

// Each test runs once with the plain runner and once through a pool of plain zygotes.
class CodeRunnerTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    PoolOptions options;
    options.workers = 2;
    options.starter = testing::PlainProcess::Start;
    pool_ = new PythonPool(options);
  }
  static void TearDownTestSuite() {
    delete pool_;
    pool_ = nullptr;
  }

  ProgramRunner Runner() const {
    if (!GetParam()) return testing::RunPlainProcess;
    return [](const RunRequest& request) { return pool_->Run(request); };
  }

  SuiteResult Run(const std::string& code, const TestSuite& suite, TestRunOptions options = {}) const {
    options.timeout_seconds = std::min(options.timeout_seconds, 5.0);
    return RunTestSuite(code, suite, options, Runner());
  }

  static PythonPool* pool_;
};

PythonPool* CodeRunnerTest::pool_ = nullptr;

TEST_P(CodeRunnerTest, StdioPassAndFail) {
  const auto result = Run("n = int(input())\nprint(n * 2)", Stdio({{"3\n", "6\n"}, {"5\n", "11\n"}, {"0", "0"}}));
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"passed", "wrong_answer", "passed"}));
  EXPECT_DOUBLE_EQ(result.score, 2.0 / 3.0);
  EXPECT_TRUE(result.sandbox_error.empty());
}

TEST_P(CodeRunnerTest, StdioRunsAsMainAndReadsAllOfStdin) {
  const auto result = Run("import sys\nif __name__ == '__main__':\n    print(sum(map(int, sys.stdin.read().split())))",
                          Stdio({{"1 2\n3\n", "6"}}));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"passed"});
}

TEST_P(CodeRunnerTest, RuntimeAndCompileErrors) {
  auto result = Run("raise ValueError('boom')", Stdio({{"", ""}}));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"runtime_error"});
  EXPECT_EQ(result.tests[0].detail, "ValueError: boom");
  result = Run("def f(:\n  pass", Stdio({{"", ""}, {"", ""}}));
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"compile_error", "not_run"}));
  EXPECT_EQ(result.tests[0].detail, "SyntaxError: invalid syntax (line 1)");
  result = Run("import sys\nprint(1)\nsys.exit(3)", Stdio({{"", "1"}}));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"runtime_error"});
  result = Run("import sys\nprint(1)\nsys.exit(0)", Stdio({{"", "1"}}));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"passed"});
}

TEST_P(CodeRunnerTest, TimeLimit) {
  TestRunOptions options;
  options.timeout_seconds = 1.0;
  const auto result = Run("while True:\n    pass", Stdio({{"", ""}}), options);
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"time_limit"});
}

TEST_P(CodeRunnerTest, MemoryLimit) {
  TestRunOptions options;
  options.memory_bytes = 256ull << 20;
  const auto result = Run("x = bytearray(1 << 30)", Stdio({{"", ""}}), options);
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"memory_limit"});
}

TEST_P(CodeRunnerTest, CallMode) {
  const auto suite = Call("add", Json::parse("[[1, 2], [0.1, 0.2], [[1], [2]]]"), Json::parse("[3, 0.3, [1, 2]]"));
  const auto result = Run("def add(a, b):\n    print('noise')\n    return a + b", suite);
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"passed", "passed", "passed"}));
}

TEST_P(CodeRunnerTest, CallModeTuplesSolutionClassAndWrongValues) {
  auto result = Run("def f(x):\n    return (x, x)", Call("f", Json::parse("[[1]]"), Json::parse("[[1, 1]]")));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"passed"});
  result = Run("class Solution:\n    def f(self, x):\n        return x + 1", Call("f", Json::parse("[[1]]"), Json::parse("[2]")));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"passed"});
  result = Run("def f(x):\n    return {x}", Call("f", Json::parse("[[1]]"), Json::parse("[[1]]")));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"wrong_answer"});
  result = Run("def g(x):\n    return x", Call("f", Json::parse("[[1]]"), Json::parse("[1]")));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"runtime_error"});
  // Printing a fake result does not help: prints go to stderr.
  result = Run("def f(x):\n    print(5)\n    return 4", Call("f", Json::parse("[[1]]"), Json::parse("[5]")));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"wrong_answer"});
}

TEST_P(CodeRunnerTest, CallModeDoesNotRunMainBlock) {
  const auto result = Run("def f(x):\n    return x\nif __name__ == '__main__':\n    input()",
                          Call("f", Json::parse("[[1]]"), Json::parse("[1]")));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"passed"});
}

TEST_P(CodeRunnerTest, AssertMode) {
  const auto suite = Assert({"assert sq(2) == 4\n", "assert sq(3) == 10\n", "assert sq('x') == 1\n"}, "import math");
  const auto result = Run("def sq(x):\n    return x * x", suite);
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"passed", "wrong_answer", "runtime_error"}));
  const auto bad_test = Run("def sq(x):\n    return x", Assert({"assert sq(1) ==\n"}));
  EXPECT_EQ(Statuses(bad_test), std::vector<std::string>{"test_error"});
}

// Ending the program early must not pass tests it never ran, in the pool (a forked
// zygote) as in a fresh process.
TEST_P(CodeRunnerTest, AssertModeEarlyExitPassesNothing) {
  const auto suite = Assert({"assert sq(2) == 5\n", "assert sq(3) == 10\n"});
  auto result = Run("def sq(x):\n    return x * x\nimport os\nos._exit(0)", suite);
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"wrong_answer", "wrong_answer"}));
  EXPECT_EQ(result.tests[0].detail, "the program ended before the test finished");
  result = Run("def sq(x):\n    return x * x\nimport sys\nsys.exit(0)", suite);
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"wrong_answer", "wrong_answer"}));
  EXPECT_EQ(result.tests[0].detail, "assertion failed");
}

// Known generic hacks on an assert harness: reading the asserts from test.py, and
// replacing the functions the harness fails a test with.
TEST_P(CodeRunnerTest, AssertModeHidesItsTestsAndKeepsItsOwnFunctions) {
  const auto suite = Assert({"assert sq(2) == 5\n"});
  auto result =
      Run("try:\n    _want = int(open('test.py').read().split('==')[1])\nexcept OSError:\n    _want = None\n"
          "def sq(x):\n    return _want",
          suite);
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"wrong_answer"});
  result = Run("import os\nos._exit = lambda code: None\ndef sq(x):\n    return 0", suite);
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"wrong_answer"});
  // (A fresh interpreter may fail on its way out too, exec being what namedtuple uses.)
  result = Run("import builtins\nbuiltins.exec = lambda *a, **k: None\ndef sq(x):\n    return 0", suite);
  EXPECT_NE(Statuses(result), std::vector<std::string>{"passed"});
  // Call mode's arguments are gone too.
  result = Run("import os\ndef f(x):\n    return os.path.exists('call.json')",
               Call("f", Json::parse("[[1]]"), Json::parse("[false]")));
  EXPECT_EQ(Statuses(result), std::vector<std::string>{"passed"});
}

TEST_P(CodeRunnerTest, ContinuousFirstNAndBinary) {
  std::vector<std::pair<std::string, std::string>> cases;
  for (int i = 0; i < 5; ++i) cases.push_back({std::to_string(i), std::to_string(i == 3 ? 99 : i)});
  TestRunOptions options;
  options.max_tests = 3;
  auto result = Run("print(input())", Stdio(cases), options);
  EXPECT_EQ(result.tests.size(), 3u);
  EXPECT_EQ(result.score, 1.0);
  options.max_tests = 0;
  result = Run("print(input())", Stdio(cases), options);
  EXPECT_DOUBLE_EQ(result.score, 0.8);
  options.continuous = false;
  result = Run("print(input())", Stdio(cases), options);
  EXPECT_EQ(result.score, 0.0);
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"passed", "passed", "passed", "wrong_answer", "not_run"}));
}

TEST_P(CodeRunnerTest, StopAtFirstFailure) {
  TestRunOptions options;
  options.stop_at_first_failure = true;
  const auto result = Run("print(input())", Stdio({{"1", "2"}, {"2", "2"}}), options);
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"wrong_answer", "not_run"}));
  EXPECT_EQ(result.score, 0.0);
}

TEST_P(CodeRunnerTest, TotalBudget) {
  TestRunOptions options;
  options.total_timeout_seconds = 1.0;
  options.timeout_seconds = 5.0;
  const auto result = Run("while True:\n    pass", Stdio({{"", ""}, {"", ""}}), options);
  ASSERT_EQ(result.tests.size(), 2u);
  EXPECT_EQ(result.tests[0].status, TestStatus::kTimeLimit);
  EXPECT_EQ(result.tests[1].status, TestStatus::kNotRun);
}

TEST_P(CodeRunnerTest, TestsDoNotSeeEachOthersFiles) {
  const std::string code = "import os\nprint(os.path.exists('mark'))\nopen('mark', 'w').write('x')";
  const auto result = Run(code, Stdio({{"", "False"}, {"", "False"}}));
  EXPECT_EQ(Statuses(result), (std::vector<std::string>{"passed", "passed"}));
}

// Each run gets the deadline's cancel flag; once it is set, the suite ends with
// "cancelled" instead of running (or marking as not run) the tests left.
TEST(CodeRunnerCancelTest, ACancelledDeadlineEndsTheSuite) {
  std::atomic<bool> cancelled{false};
  std::vector<const std::atomic<bool>*> flags_seen;
  const ProgramRunner runner = [&](const RunRequest& request) {
    flags_seen.push_back(request.cancelled);
    cancelled = true;  // as if Ctrl-C came during the first test
    RunResult result;
    result.status = RunStatus::kTimeLimit;
    result.message = "cancelled";
    return result;
  };
  const Deadline deadline = Deadline::After(3600).CancelledBy(&cancelled);
  const TestSuite suite = Stdio({{"", "1"}, {"", "1"}, {"", "1"}});
  try {
    RunTestSuite("print(1)", suite, {}, runner, deadline);
    ADD_FAILURE() << "a cancelled suite returned";
  } catch (const DeadlineExceeded& e) {
    EXPECT_STREQ(e.what(), "cancelled");
  }
  EXPECT_EQ(flags_seen, std::vector<const std::atomic<bool>*>{&cancelled});
  flags_seen.clear();
  EXPECT_THROW(RunTestSuite("print(1)", suite, {}, runner, deadline), DeadlineExceeded);
  EXPECT_TRUE(flags_seen.empty()) << "a test ran after the cancel";
}

// The sample's deadline (rmg eval --timeout) running out in a test was reported as the
// test's time limit, so the unit scored 0 ("No test cases passed") instead of timing out
// with error_score. The reward's own total_timeout coming first stays a verdict
// (TotalBudget above).
TEST(CodeRunnerDeadlineTest, TheSamplesDeadlineRunningOutIsATimeout) {
  std::vector<double> wall_limits;
  const ProgramRunner runner = [&](const RunRequest& request) {
    wall_limits.push_back(request.limits.wall_seconds);
    std::this_thread::sleep_for(std::chrono::duration<double>(request.limits.wall_seconds));
    RunResult result;
    result.status = RunStatus::kTimeLimit;
    return result;
  };
  TestRunOptions options;
  options.timeout_seconds = 10;
  options.total_timeout_seconds = 60;
  const TestSuite suite = Stdio({{"", "1"}, {"", "1"}});
  try {
    RunTestSuite("print(1)", suite, options, runner, Deadline::After(0.2));
    ADD_FAILURE() << "a suite past the sample's deadline returned";
  } catch (const DeadlineExceeded& e) {
    EXPECT_STREQ(e.what(), "timed out: the 0.2 s deadline passed");
  }
  ASSERT_EQ(wall_limits.size(), 1u);
  EXPECT_LE(wall_limits[0], 0.2);
  // A deadline already (almost) over runs nothing and times out too.
  wall_limits.clear();
  EXPECT_THROW(RunTestSuite("print(1)", suite, options, runner, Deadline::After(0.005)), DeadlineExceeded);
  EXPECT_TRUE(wall_limits.empty());
}

INSTANTIATE_TEST_SUITE_P(CodeRunner, CodeRunnerTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) { return info.param ? "Pool" : "Plain"; });

}  // namespace
}  // namespace rmg::code
