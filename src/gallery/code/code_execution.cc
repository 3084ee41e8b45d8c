// code_execution: RM-Gallery's CodeExecutionReward — the response's program is run
// against the sample's tests (code/test_runner.h) and scores its pass fraction
// (continuous) or 1/0 (binary). Reasons and extra_data keys follow RM-Gallery;
// extra_data also lists every test's status.
#include <algorithm>
#include <stdexcept>

#include "code/code_extract.h"
#include "code/program_runner.h"
#include "code/test_runner.h"
#include "gallery/code/code.h"
#include "gallery/python_format.h"

namespace rmg::gallery {
namespace {

bool Blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

class CodeExecutionReward final : public PointwiseReward {
 public:
  explicit CodeExecutionReward(const Params& params)
      : PointwiseReward(params.GetString("name")), use_pool_(params.GetBool("use_pool")) {
    options_.continuous = params.GetBool("continuous");
    options_.timeout_seconds = params.GetDouble("timeout");
    options_.total_timeout_seconds = params.GetDouble("total_timeout");
    options_.max_tests = static_cast<size_t>(params.GetInt("max_tests"));
    options_.stop_at_first_failure = params.GetBool("stop_at_first_failure");
    options_.memory_bytes = static_cast<uint64_t>(params.GetInt("memory_mb")) << 20;
  }

  bool runs_programs() const override { return true; }

  RewardResult EvaluateOutput(const DataSample& sample, const DataOutput& output,
                              const Deadline& deadline) const override {
    const std::string code = code::ExtractSolutionCode(output.answer.content);
    std::optional<code::TestSuite> suite;
    try {
      suite = code::ReadTestSuite(sample, output.answer);
    } catch (const code::TestCaseError& e) {
      return Error(code, nullptr, e.what());
    }
    if (!suite || suite->tests.empty()) {
      return Result(0.0, "No test cases available for evaluation", JsonObjectBuilder(1).Add("extracted_code", code).Build());
    }
    if (Blank(code)) {
      return Result(0.0, "No valid code extracted from response",
                    JsonObjectBuilder(2).Add("extracted_code", code).Add("test_cases", suite->source).Build());
    }
    const code::SuiteResult run =
        code::RunTestSuite(code, *suite, options_, code::DefaultProgramRunner(use_pool_), deadline);
    // The sandbox failing is no verdict on the code: the unit fails (error_score, counted
    // among the run's errors) rather than scoring 0 as a wrong answer would.
    if (!run.sandbox_error.empty()) throw std::runtime_error("sandbox error: " + run.sandbox_error);
    const double pass_rate = run.score;
    std::string reason;
    if (pass_rate >= 1.0) {
      reason = "All test cases passed successfully";
    } else if (!options_.continuous) {
      // Binary mode scores a partial pass 0 and runs no test after the first failure, so
      // it names that test: "no test passed" would be wrong when later ones would have.
      // RM-Gallery has no text for it (its bug 14).
      size_t failed = 0;
      while (failed < run.tests.size() && run.tests[failed].status == code::TestStatus::kPassed) ++failed;
      reason = failed < run.tests.size() && run.tests[failed].status != code::TestStatus::kNotRun
                   ? "Not all test cases passed: test " + std::to_string(failed + 1) + " of " +
                         std::to_string(run.tests.size()) + " failed (continuous=false)"
                   : "Not all test cases passed: " + std::to_string(run.passed) + " of " +
                         std::to_string(run.tests.size()) + " passed (continuous=false)";
    } else if (pass_rate <= 0.0) {
      reason = "No test cases passed";
    } else {
      reason = "Partial success: " + FormatFixed(pass_rate * 100, 1) + "% of test cases passed";
    }
    Json results = Json::array();
    for (const code::TestOutcome& test : run.tests) {
      results.push_back(JsonObjectBuilder(3)
                            .Add("status", code::TestStatusName(test.status))
                            .Add("detail", test.detail)
                            .Add("wall_seconds", test.wall_seconds)
                            .Build());
    }
    return Result(pass_rate, std::move(reason),
                  JsonObjectBuilder(7)
                      .Add("extracted_code", code)
                      .Add("test_cases", suite->source)
                      .Add("pass_rate", pass_rate)
                      .Add("test_mode", code::TestModeName(suite->mode))
                      .Add("tests_run", run.tests.size())
                      .Add("tests_passed", run.passed)
                      .Add("test_results", std::move(results))
                      .Build());
  }

 private:
  RewardResult Result(double score, std::string reason, Json extra) const {
    RewardResult result;
    result.details.push_back({name(), score, std::move(reason), nullptr});
    result.extra_data = std::move(extra);
    return result;
  }

  // RM-Gallery's `except Exception` branch.
  RewardResult Error(const std::string& code, const Json& test_cases, const std::string& message) const {
    return Result(0.0, "Evaluation error: " + message,
                  JsonObjectBuilder(4)
                      .Add("extracted_code", code)
                      .Add("test_cases", test_cases)
                      .Add("error", message)
                      .Add("traceback", "")
                      .Build());
  }

  code::TestRunOptions options_;
  bool use_pool_;
};

}  // namespace

std::vector<ParamSpec> CodeExecutionParams() {
  return {
      {"continuous", ParamType::kBool, true,
       "score the pass fraction of the first max_tests tests (else 1 only when every test passes)", {}},
      {"timeout", ParamType::kDouble, 10.0, "seconds per test (wall clock and CPU)", {}, 0.001, 86400},
      {"total_timeout", ParamType::kDouble, 60.0, "seconds for all tests of one response", {}, 0.001, 86400},
      {"max_tests", ParamType::kInt, 10, "continuous mode: how many tests count (0: all)", {}, 0},
      {"stop_at_first_failure", ParamType::kBool, false, "do not run the tests after the first failure", {}},
      {"memory_mb", ParamType::kInt, 512, "memory limit per test in MiB", {}, 16, 1 << 20},
      {"use_pool", ParamType::kBool, true,
       "run tests in the pool of pre-started sandboxed interpreters (else a fresh sandboxed python3 per test)", {}},
  };
}

RewardSpec CodeExecutionSpec() {
  RewardSpec spec;
  spec.name = "code_execution";
  spec.description =
      "Pass fraction of the response's Python (last python code block) on inputs_outputs (label or metadata) or "
      "label.test_code, run in the sandbox";
  spec.params = CodeExecutionParams();
  spec.factory = [](const Params& p) { return std::make_unique<CodeExecutionReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
