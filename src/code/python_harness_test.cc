// python_harness.cc: the requests BuildTestRequest makes for each mode, and the
// harness itself run by real /usr/bin/python3 processes (the test-only plain runner,
// no sandbox): the exit codes it promises, what each mode runs as, and what reaches
// stdout.
#include "code/python_harness.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "code/testing_runner.h"

namespace rmg::code {
namespace {

constexpr const char* kHarnessPython = "/usr/bin/python3";

TestSuite HarnessStdioSuite(std::vector<std::string> inputs) {
  TestSuite suite;
  suite.mode = TestMode::kStdio;
  for (std::string& input : inputs) {
    TestCase test;
    test.input = std::move(input);
    suite.tests.push_back(std::move(test));
  }
  return suite;
}

TestSuite HarnessCallSuite(const std::string& fn_name, std::vector<Json> arg_lists) {
  TestSuite suite;
  suite.mode = TestMode::kCall;
  suite.fn_name = fn_name;
  for (Json& args : arg_lists) {
    TestCase test;
    test.args = std::move(args);
    suite.tests.push_back(std::move(test));
  }
  return suite;
}

TestSuite HarnessAssertSuite(std::vector<std::string> tests, std::string setup = "") {
  TestSuite suite;
  suite.mode = TestMode::kAssert;
  suite.setup_code = std::move(setup);
  for (std::string& code : tests) {
    TestCase test;
    test.test_code = std::move(code);
    suite.tests.push_back(std::move(test));
  }
  return suite;
}

SandboxLimits HarnessLimits() {
  SandboxLimits limits;
  limits.wall_seconds = 20;
  limits.cpu_seconds = 20;
  return limits;
}

constexpr char kHarnessToken[] = "0123456789abcdef0123456789abcdef";

// Runs test 0 of `suite` against `solution` with the harness.
RunResult HarnessRun(const std::string& solution, const TestSuite& suite) {
  return testing::RunPlainProcess(BuildTestRequest(kHarnessPython, solution, suite, 0, HarnessLimits(), kHarnessToken));
}

// The file named `path` in `request`, or nullptr.
const std::string* HarnessFile(const RunRequest& request, const std::string& path) {
  for (const auto& [name, text] : request.files) {
    if (name == path) return &text;
  }
  return nullptr;
}

std::vector<std::string> HarnessFileNames(const RunRequest& request) {
  std::vector<std::string> names;
  for (const auto& file : request.files) names.push_back(file.first);
  return names;
}

TEST(PythonHarnessTest, StdioRequest) {
  SandboxLimits limits;
  limits.wall_seconds = 3.5;
  limits.memory_bytes = 123u << 20;
  const TestSuite suite = HarnessStdioSuite({"first\n", "second\n"});
  const RunRequest request = BuildTestRequest("/opt/py/bin/python3", "print(input())", suite, 1, limits, kHarnessToken);
  EXPECT_EQ(request.argv, (std::vector<std::string>{"/opt/py/bin/python3", "-I", "harness.py", "stdio"}));
  EXPECT_EQ(HarnessFileNames(request), (std::vector<std::string>{"harness.py", "solution.py"}));
  EXPECT_EQ(*HarnessFile(request, "harness.py"), HarnessSource());
  EXPECT_EQ(*HarnessFile(request, "solution.py"), "print(input())");
  EXPECT_EQ(request.stdin_data, "second\n");  // test 1's input
  EXPECT_EQ(request.limits.wall_seconds, 3.5);
  EXPECT_EQ(request.limits.memory_bytes, 123u << 20);
}

TEST(PythonHarnessTest, CallRequestWritesCallJson) {
  const TestSuite suite =
      HarnessCallSuite("solve", {Json::array({1, "a"}), Json::array({Json::array({1, 2}), nullptr})});
  const RunRequest request = BuildTestRequest(kHarnessPython, "def solve(*a): pass", suite, 1, {}, kHarnessToken);
  EXPECT_EQ(request.argv.back(), "call");
  EXPECT_EQ(request.stdin_data, "");
  EXPECT_EQ(HarnessFileNames(request), (std::vector<std::string>{"harness.py", "solution.py", "call.json"}));
  EXPECT_EQ(*HarnessFile(request, "call.json"), "{\"fn_name\":\"solve\",\"args\":[[1,2],null]}");
}

TEST(PythonHarnessTest, CallJsonReplacesInvalidUtf8) {
  const TestSuite suite = HarnessCallSuite("f", {Json::array({std::string("a\xff"
                                                                          "b")})});
  RunRequest request;
  ASSERT_NO_THROW(request = BuildTestRequest(kHarnessPython, "", suite, 0, {}, kHarnessToken));
  EXPECT_EQ(*HarnessFile(request, "call.json"),
            "{\"fn_name\":\"f\",\"args\":[\"a\xef\xbf\xbd"
            "b\"]}");
}

TEST(PythonHarnessTest, AssertRequestFiles) {
  const RunRequest plain =
      BuildTestRequest(kHarnessPython, "x = 1", HarnessAssertSuite({"assert x == 1\n"}), 0, {}, kHarnessToken);
  EXPECT_EQ(plain.argv.back(), "assert");
  // No setup code: no setup.py, which the harness then skips.
  EXPECT_EQ(HarnessFileNames(plain), (std::vector<std::string>{"harness.py", "solution.py", "test.py", "token"}));
  EXPECT_EQ(*HarnessFile(plain, "test.py"), "assert x == 1\n");
  const RunRequest with_setup =
      BuildTestRequest(kHarnessPython, "x = 1",
                       HarnessAssertSuite({"assert x == 1\n", "assert x == 2\n"}, "import math"), 1, {}, kHarnessToken);
  EXPECT_EQ(HarnessFileNames(with_setup),
            (std::vector<std::string>{"harness.py", "solution.py", "setup.py", "test.py", "token"}));
  EXPECT_EQ(*HarnessFile(with_setup, "setup.py"), "import math");
  EXPECT_EQ(*HarnessFile(with_setup, "test.py"), "assert x == 2\n");
}

TEST(PythonHarnessTest, IndexPastTheTestsThrows) {
  EXPECT_THROW(BuildTestRequest(kHarnessPython, "", HarnessStdioSuite({"1"}), 1, {}, kHarnessToken), std::out_of_range);
  EXPECT_THROW(BuildTestRequest(kHarnessPython, "", HarnessStdioSuite({}), 0, {}, kHarnessToken), std::out_of_range);
}

TEST(PythonHarnessTest, StdioRunsTheSolutionAsMain) {
  const RunResult run =
      HarnessRun("import sys\nprint(__name__, __file__, sys.argv)\nprint(sys.stdin.read().upper(), end='')",
                 HarnessStdioSuite({"ab\ncd\n"}));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "__main__ solution.py ['solution.py']\nAB\nCD\n");
}

TEST(PythonHarnessTest, CompileErrorsExitWithTheirCode) {
  RunResult run = HarnessRun("def f(:\n    pass\n", HarnessStdioSuite({""}));
  EXPECT_EQ(run.exit_code, kExitCompileError);
  EXPECT_EQ(run.stdout_data, "");
  EXPECT_NE(run.stderr_data.find("SyntaxError"), std::string::npos) << run.stderr_data;
  EXPECT_NE(run.stderr_data.find("solution.py"), std::string::npos) << run.stderr_data;
  // A NUL byte is CPython's ValueError (3.11) or SyntaxError (3.12+): a compile error either way.
  run = HarnessRun(std::string("x = 1\0", 6), HarnessStdioSuite({""}));
  EXPECT_EQ(run.exit_code, kExitCompileError) << run.stderr_data;
  // Compile errors come before anything of the solution runs.
  run = HarnessRun("print('ran')\nreturn 5\n", HarnessCallSuite("f", {Json::array()}));
  EXPECT_EQ(run.exit_code, kExitCompileError);
  EXPECT_EQ(run.stdout_data, "");
  EXPECT_EQ(run.stderr_data.find("ran"), std::string::npos) << run.stderr_data;
}

TEST(PythonHarnessTest, RuntimeErrorsAreOtherExitCodes) {
  const RunResult run = HarnessRun("raise KeyError('k')", HarnessStdioSuite({""}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.stderr_data.find("KeyError: 'k'"), std::string::npos) << run.stderr_data;
}

TEST(PythonHarnessTest, CallReturnsOnlyTheJsonOfTheValue) {
  // print(), sys.stdout and raw writes to fd 1 all land on stderr.
  const std::string solution =
      "import os, sys\n"
      "print('module level')\n"
      "def f(a, b):\n"
      "    print('inside')\n"
      "    sys.stdout.write('direct')\n"
      "    os.write(1, b'raw')\n"
      "    return {'sum': a + b, 'pair': (a, b)}\n";
  const RunResult run = HarnessRun(solution, HarnessCallSuite("f", {Json::array({2, 3})}));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "{\"sum\": 5, \"pair\": [2, 3]}");
  EXPECT_NE(run.stderr_data.find("module level"), std::string::npos);
  EXPECT_NE(run.stderr_data.find("inside"), std::string::npos);
  EXPECT_NE(run.stderr_data.find("raw"), std::string::npos);
}

TEST(PythonHarnessTest, CallRunsTheSolutionAsAModule) {
  const std::string solution =
      "import sys\n"
      "def f():\n"
      "    return [__name__, sys.argv]\n"
      "if __name__ == '__main__':\n"
      "    raise SystemExit(7)\n";
  const RunResult run = HarnessRun(solution, HarnessCallSuite("f", {Json::array()}));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "[\"solution\", [\"solution.py\"]]");
}

TEST(PythonHarnessTest, CallFindsSolutionClassMethods) {
  const RunResult run = HarnessRun("class Solution:\n    def twice(self, x):\n        return 2 * x\n",
                                   HarnessCallSuite("twice", {Json::array({21})}));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "42");
  // A module-level function wins over the class's method of the same name.
  const RunResult both = HarnessRun(
      "def twice(x):\n    return 'module'\nclass Solution:\n    def twice(self, x):\n        return 'class'\n",
      HarnessCallSuite("twice", {Json::array({1})}));
  EXPECT_EQ(both.stdout_data, "\"module\"");
}

TEST(PythonHarnessTest, CallWithoutTheFunctionIsANameError) {
  for (const char* solution : {"def g():\n    return 1\n", "Solution = 5\n", "class Solution:\n    pass\n"}) {
    const RunResult run = HarnessRun(solution, HarnessCallSuite("f", {Json::array()}));
    EXPECT_EQ(run.exit_code, 1) << solution;
    EXPECT_EQ(run.stdout_data, "") << solution;
    EXPECT_NE(run.stderr_data.find("NameError: the solution defines no function 'f'"), std::string::npos)
        << run.stderr_data;
  }
}

TEST(PythonHarnessTest, CallMarksValuesJsonCannotHold) {
  RunResult run = HarnessRun("def f():\n    return {3}\n", HarnessCallSuite("f", {Json::array()}));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  EXPECT_EQ(Json::parse(run.stdout_data), (Json{{"$unserialisable", "set"}, {"$repr", "{3}"}}));
  // The repr is cut at 200 characters.
  run = HarnessRun("class Big:\n    def __repr__(self):\n        return 'r' * 1000\ndef f():\n    return [1, Big()]\n",
                   HarnessCallSuite("f", {Json::array()}));
  const Json value = Json::parse(run.stdout_data);
  ASSERT_TRUE(value.is_array()) << run.stdout_data;
  EXPECT_EQ(value[0], 1);
  EXPECT_EQ(value[1]["$unserialisable"], "Big");
  EXPECT_EQ(value[1]["$repr"], std::string(200, 'r'));
}

TEST(PythonHarnessTest, CallPassesArgumentsThroughJson) {
  const RunResult run = HarnessRun("def f(*args):\n    return [type(a).__name__ for a in args] + [args[4][1]]\n",
                                   HarnessCallSuite("f", {Json::parse(R"([1, 2.5, "s", null, [true, {"k": 1}]])")}));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  EXPECT_EQ(Json::parse(run.stdout_data), Json::parse(R"(["int", "float", "str", "NoneType", "list", {"k": 1}])"));
  // Invalid UTF-8 in an argument arrives as U+FFFD.
  const RunResult replaced = HarnessRun("def f(s):\n    return [len(s), ord(s[1])]\n",
                                        HarnessCallSuite("f", {Json::array({std::string("a\xff"
                                                                                        "b")})}));
  EXPECT_EQ(replaced.stdout_data, "[3, 65533]");
}

TEST(PythonHarnessTest, CallWritesLargeResultsWhole) {
  // Far past a pipe's buffer: the harness loops over partial writes.
  const RunResult run = HarnessRun("def f(n):\n    return 'x' * n\n", HarnessCallSuite("f", {Json::array({300000})}));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  ASSERT_EQ(run.stdout_data.size(), 300002u);
  EXPECT_EQ(run.stdout_data, "\"" + std::string(300000, 'x') + "\"");
}

TEST(PythonHarnessTest, AssertRunsSetupSolutionAndTestInOneNamespace) {
  const std::string solution =
      "import sys\n"
      "def area(r):\n"
      "    return round(math.pi * r * r, 2)\n"  // math comes from setup.py
      "if __name__ == '__main__':\n"
      "    ran_as_main = True\n";
  const RunResult run = HarnessRun(
      solution, HarnessAssertSuite({"assert area(1) == 3.14\nassert ran_as_main\nassert sys.argv == ['solution.py']\n"},
                                   "import math"));
  EXPECT_STREQ(RunStatusName(run.status), "ok") << run.stderr_data;
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.stdout_data, kHarnessToken);  // and nothing else: the solution's prints go to stderr
}

TEST(PythonHarnessTest, AssertFailureHasItsExitCode) {
  const RunResult run = HarnessRun("def sq(x):\n    return x + x\n",
                                   HarnessAssertSuite({"assert sq(2) == 4\nassert sq(3) == 9, 'nine'\n"}));
  EXPECT_EQ(run.exit_code, kExitAssertFailed);
  EXPECT_NE(run.stderr_data.find("AssertionError: nine"), std::string::npos) << run.stderr_data;
  EXPECT_NE(run.stderr_data.find("test.py"), std::string::npos) << run.stderr_data;
}

TEST(PythonHarnessTest, AnAssertInTheSolutionIsARuntimeError) {
  // Only test.py's assertions are failed tests; the solution's own are its crash.
  const RunResult run = HarnessRun("assert 1 == 2, 'mine'\n", HarnessAssertSuite({"assert True\n"}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.stderr_data.find("AssertionError: mine"), std::string::npos) << run.stderr_data;
}

TEST(PythonHarnessTest, UnusableTestOrSetupIsATestError) {
  RunResult run = HarnessRun("x = 1\n", HarnessAssertSuite({"assert x ==\n"}));
  EXPECT_EQ(run.exit_code, kExitTestError);
  EXPECT_NE(run.stderr_data.find("SyntaxError"), std::string::npos) << run.stderr_data;
  run = HarnessRun("x = 1\n", HarnessAssertSuite({"assert x == 1\n"}, "import (\n"));
  EXPECT_EQ(run.exit_code, kExitTestError);
  // A broken solution with a good test is the solution's compile error.
  run = HarnessRun("x = = 1\n", HarnessAssertSuite({"assert x == 1\n"}));
  EXPECT_EQ(run.exit_code, kExitCompileError);
}

// A solution that ends with sys.exit(0) (common in competitive programs) used to stop
// the harness before test.py ran, with exit status 0, which the runner scored as a
// passed assert test: every test of a wrong solution passed.
TEST(PythonHarnessTest, AssertTestsRunEvenIfTheSolutionExits) {
  const std::string wrong = "def sq(x):\n    return x + 1\nimport sys\nsys.exit(0)\n";
  RunResult run = HarnessRun(wrong, HarnessAssertSuite({"assert sq(3) == 9\n"}));
  EXPECT_EQ(run.exit_code, kExitAssertFailed) << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "");
  const std::string right = "def sq(x):\n    return x * x\nprint('done')\nimport sys\nsys.exit(3)\n";
  run = HarnessRun(right, HarnessAssertSuite({"assert sq(3) == 9\n"}));
  EXPECT_EQ(run.exit_code, 0) << run.stderr_data;
  EXPECT_EQ(run.stdout_data, kHarnessToken);
}

// Ending the process outright skips test.py: exit status 0 but no token, and the
// token's file is gone before the solution runs.
TEST(PythonHarnessTest, AnEarlyExitNeverWritesTheToken) {
  const std::string solution =
      "import os\nprint(open('token').read() if os.path.exists('token') else 'no token file', "
      "flush=True)\nos._exit(0)\n";
  const RunResult run = HarnessRun(solution, HarnessAssertSuite({"assert True\n"}));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.stdout_data, "");
  EXPECT_NE(run.stderr_data.find("no token file"), std::string::npos) << run.stderr_data;
}

}  // namespace
}  // namespace rmg::code
