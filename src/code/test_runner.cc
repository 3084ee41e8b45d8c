#include "code/test_runner.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>

#include "code/output_compare.h"
#include "code/python_harness.h"
#include "core/simd_json.h"
#include "text/unicode.h"

namespace rmg::code {
namespace {

// The last non-empty line of a traceback: "ValueError: ...", "SyntaxError: ...".
std::string LastLine(const std::string& text) {
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' ')) --end;
  const size_t start = text.rfind('\n', end == 0 ? 0 : end - 1);
  const size_t first = start == std::string::npos || end == 0 ? 0 : start + 1;
  return text::Excerpt(std::string_view(text).substr(first, end - first), 300);
}

// A compile error message: CPython's whole "File ..., line N / code / ^ / Error" text,
// compacted to its last line plus the line number when present.
std::string CompileDetail(const std::string& stderr_data) {
  std::string detail = LastLine(stderr_data);
  const size_t at = stderr_data.find(", line ");
  if (at != std::string::npos) {
    size_t end = at + 7;
    while (end < stderr_data.size() && std::isdigit(static_cast<unsigned char>(stderr_data[end]))) ++end;
    detail += " (line " + stderr_data.substr(at + 7, end - at - 7) + ")";
  }
  return detail;
}

// 128 random bits as hex, for the harness to write once the test has run.
std::string CompletionToken() {
  thread_local std::mt19937_64 random(std::random_device{}());
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return text;
}

TestOutcome Judge(const TestSuite& suite, const TestCase& test, const RunResult& run, const std::string& token) {
  TestOutcome outcome;
  outcome.wall_seconds = run.wall_seconds;
  switch (run.status) {
    case RunStatus::kTimeLimit:
      outcome.status = TestStatus::kTimeLimit;
      outcome.detail = run.message.empty() ? "time limit exceeded" : run.message;
      return outcome;
    case RunStatus::kMemoryLimit:
      outcome.status = TestStatus::kMemoryLimit;
      outcome.detail = "memory limit exceeded";
      return outcome;
    case RunStatus::kOutputLimit:
      outcome.status = TestStatus::kOutputLimit;
      outcome.detail = "output limit exceeded";
      return outcome;
    case RunStatus::kSandboxError:
      outcome.status = TestStatus::kSandboxError;
      outcome.detail = run.message;
      return outcome;
    case RunStatus::kRuntimeError:
      if (run.exit_code == kExitCompileError) {
        outcome.status = TestStatus::kCompileError;
        outcome.detail = CompileDetail(run.stderr_data);
      } else if (run.exit_code == kExitAssertFailed && suite.mode == TestMode::kAssert) {
        outcome.status = TestStatus::kWrongAnswer;
        outcome.detail = "assertion failed";
      } else if (run.exit_code == kExitTestError) {
        outcome.status = TestStatus::kTestError;
        outcome.detail = CompileDetail(run.stderr_data);
      } else if (LastLine(run.stderr_data).rfind("MemoryError", 0) == 0) {
        outcome.status = TestStatus::kMemoryLimit;
        outcome.detail = "memory limit exceeded";
      } else {
        outcome.status = TestStatus::kRuntimeError;
        outcome.detail = run.signal != 0 ? "killed by signal " + std::to_string(run.signal)
                                         : LastLine(run.stderr_data.empty() ? run.message : run.stderr_data);
      }
      return outcome;
    case RunStatus::kOk:
      break;
  }
  switch (suite.mode) {
    case TestMode::kAssert:
      if (run.stdout_data == token) {
        outcome.status = TestStatus::kPassed;
      } else {
        outcome.status = TestStatus::kWrongAnswer;
        outcome.detail = "the program ended before the test finished";
      }
      break;
    case TestMode::kStdio:
      outcome.status = StdoutMatches(run.stdout_data, test.expected) ? TestStatus::kPassed : TestStatus::kWrongAnswer;
      if (outcome.status == TestStatus::kWrongAnswer) outcome.detail = "output differs";
      break;
    case TestMode::kCall: {
      Json value;
      try {
        value = ParseJson(run.stdout_data);
      } catch (const Json::exception&) {
        outcome.status = TestStatus::kWrongAnswer;
        outcome.detail = "the return value is not JSON";
        return outcome;
      }
      outcome.status = CallResultMatches(value, test.expected_value) ? TestStatus::kPassed : TestStatus::kWrongAnswer;
      if (outcome.status == TestStatus::kWrongAnswer) outcome.detail = "returned " + text::Excerpt(value.dump(), 200);
      break;
    }
  }
  return outcome;
}

}  // namespace

const char* TestStatusName(TestStatus status) {
  switch (status) {
    case TestStatus::kPassed: return "passed";
    case TestStatus::kWrongAnswer: return "wrong_answer";
    case TestStatus::kRuntimeError: return "runtime_error";
    case TestStatus::kTimeLimit: return "time_limit";
    case TestStatus::kMemoryLimit: return "memory_limit";
    case TestStatus::kOutputLimit: return "output_limit";
    case TestStatus::kCompileError: return "compile_error";
    case TestStatus::kTestError: return "test_error";
    case TestStatus::kSandboxError: return "sandbox_error";
    case TestStatus::kNotRun: return "not_run";
  }
  return "not_run";
}

SuiteResult RunTestSuite(const std::string& solution, const TestSuite& suite, const TestRunOptions& options,
                         const ProgramRunner& runner, const Deadline& deadline) {
  SuiteResult result;
  size_t count = suite.tests.size();
  if (options.continuous && options.max_tests > 0) count = std::min(count, options.max_tests);
  const bool stop_early = options.stop_at_first_failure || !options.continuous;
  const auto total_end = Deadline::Clock::now() + std::chrono::duration_cast<Deadline::Clock::duration>(
                                                      std::chrono::duration<double>(options.total_timeout_seconds));
  // When the sample's deadline comes first, running out of time is a timeout of the
  // whole unit (error_score, counted among the run's errors), not a verdict on the code.
  const bool sample_deadline_first = deadline.when() < total_end;
  const auto budget_end = std::min(deadline.when(), total_end);
  std::string stop_reason;  // set once the remaining tests are not to be run
  for (size_t i = 0; i < count; ++i) {
    // A cancelled run (Ctrl-C in Python, a server's shutdown) ends here, with "cancelled".
    if (deadline.Cancelled()) deadline.Check();
    if (!stop_reason.empty()) {
      result.tests.push_back({TestStatus::kNotRun, 0, stop_reason});
      continue;
    }
    const double left = std::chrono::duration<double>(budget_end - Deadline::Clock::now()).count();
    if (left <= 0.01) {
      if (sample_deadline_first) throw deadline.Exceeded();
      stop_reason = "the total time budget ran out";
      result.tests.push_back({TestStatus::kNotRun, 0, stop_reason});
      continue;
    }
    SandboxLimits limits;
    limits.wall_seconds = std::min(options.timeout_seconds, left);
    limits.cpu_seconds = limits.wall_seconds;
    limits.memory_bytes = options.memory_bytes;
    const std::string token = CompletionToken();
    RunRequest request = BuildTestRequest(options.interpreter, solution, suite, i, limits, token);
    request.cancelled = deadline.cancel_flag();
    const RunResult run = runner(request);
    if (deadline.Cancelled()) deadline.Check();
    TestOutcome outcome = Judge(suite, suite.tests[i], run, token);
    // A per-test limit cut short by the budget is the budget's doing.
    if (outcome.status == TestStatus::kTimeLimit && limits.wall_seconds < options.timeout_seconds) {
      if (sample_deadline_first) throw deadline.Exceeded();
      outcome.detail = "the total time budget ran out";
    }
    if (outcome.status == TestStatus::kPassed) ++result.passed;
    // The same program fails to compile, or the sandbox fails, on every test: stop.
    if (outcome.status == TestStatus::kCompileError) stop_reason = "the solution does not compile";
    if (outcome.status == TestStatus::kSandboxError) stop_reason = "the sandbox failed";
    if (outcome.status != TestStatus::kPassed && stop_early && stop_reason.empty()) {
      stop_reason = "stopped at the first failure";
    }
    if (outcome.status == TestStatus::kSandboxError) result.sandbox_error = outcome.detail;
    result.tests.push_back(std::move(outcome));
  }
  if (options.continuous) {
    result.score = count == 0 ? 0.0 : static_cast<double>(result.passed) / static_cast<double>(count);
  } else {
    result.score = count > 0 && result.passed == count ? 1.0 : 0.0;
  }
  return result;
}

}  // namespace rmg::code
