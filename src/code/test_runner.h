// Running a sample's tests: one program run per test through a ProgramRunner, with a
// per-test time limit and a total budget, scored as a pass fraction (continuous) or
// all-or-nothing (binary).
#pragma once

#include <string>
#include <vector>

#include "code/program_runner.h"
#include "code/test_cases.h"
#include "rmg/deadline.h"

namespace rmg::code {

struct TestRunOptions {
  double timeout_seconds = 10.0;        // per test: wall clock and CPU
  double total_timeout_seconds = 60.0;  // all tests of the sample together
  // Continuous: the score is the fraction passed of the first `max_tests` tests
  // (0: all), like prime_code's first 10. Binary: every test runs and the score is
  // 1 only when all pass (max_tests is ignored so that a wrong program cannot hide
  // behind a prefix).
  bool continuous = true;
  size_t max_tests = 10;
  // After the first failing test the rest are not run (they count as failed).
  // Binary mode always stops there: the score is decided.
  bool stop_at_first_failure = false;
  uint64_t memory_bytes = 512ull << 20;
  std::string interpreter = "/usr/bin/python3";
};

enum class TestStatus {
  kPassed,
  kWrongAnswer,    // wrong output or return value, or a failed assert
  kRuntimeError,   // the solution raised or exited non-zero
  kTimeLimit,
  kMemoryLimit,
  kOutputLimit,
  kCompileError,   // solution.py does not compile
  kTestError,      // the test itself is unusable (its code does not compile)
  kSandboxError,   // the run could not be made
  kNotRun,         // skipped: an earlier failure, a compile error, or the budget ran out
};

// "passed", "wrong_answer", "runtime_error", "time_limit", "memory_limit",
// "output_limit", "compile_error", "test_error", "sandbox_error", "not_run".
const char* TestStatusName(TestStatus status);

struct TestOutcome {
  TestStatus status = TestStatus::kNotRun;
  double wall_seconds = 0;
  std::string detail;  // e.g. the last line of the traceback, or why it was not run
};

struct SuiteResult {
  std::vector<TestOutcome> tests;  // one per considered test, in order
  size_t passed = 0;
  double score = 0;                // continuous: passed / tests.size(); binary: 0 or 1
  // Set when a run failed in the sandbox (the remaining tests were not run): its
  // message. The score then says nothing about the solution.
  std::string sandbox_error;
};

// Runs `solution` against the tests of `suite` with `runner`; the total budget is the
// smaller of options.total_timeout_seconds and `deadline`. Throws DeadlineExceeded
// ("cancelled") once `deadline` is cancelled (Deadline::CancelledBy), which also kills
// the running test; never throws otherwise.
SuiteResult RunTestSuite(const std::string& solution, const TestSuite& suite, const TestRunOptions& options,
                         const ProgramRunner& runner, const Deadline& deadline = Deadline::Never());

}  // namespace rmg::code
