// code_syntax_check: RM-Gallery's SyntaxCheckReward. Every Python block is parsed by
// CPython's own ast.parse inside the sandbox, so the verdicts and error texts are the
// interpreter's: with use_pool, by the long-lived checker processes (syntax_checker.h);
// otherwise — or when they cannot start — by one sandboxed run per response.
#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "code/program_runner.h"
#include "code/python_harness.h"
#include "code/syntax_checker.h"
#include "core/simd_json.h"
#include "gallery/code/code.h"
#include "gallery/code/code_blocks.h"

namespace rmg::gallery {
namespace {

class SyntaxCheckReward final : public PointwiseReward {
 public:
  explicit SyntaxCheckReward(const Params& params)
      : PointwiseReward(params.GetString("name")),
        use_pool_(params.GetBool("use_pool")),
        timeout_(params.GetDouble("timeout")) {}

  bool runs_programs() const override { return true; }

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    RewardResult result;
    const std::vector<std::string_view> blocks = PythonCodeBlocks(output.answer.content);
    if (blocks.empty()) {
      result.details.push_back({name(), 0.0, "No code blocks found to check", nullptr});
      result.extra_data =
          JsonObjectBuilder(2).Add("code_blocks", Json::array()).Add("syntax_errors", Json::array()).Build();
      return result;
    }
    Json code_blocks = Json::array();
    for (std::string_view block : blocks) code_blocks.push_back(std::string(block));
    // The sample's deadline cuts the checker's time limit short; the checker failing once
    // it has passed is the sample's timeout.
    const double seconds = std::min(timeout_, deadline.SecondsLeft());
    deadline.Check();
    code::SyntaxCheckResult checked;
    if (use_pool_) checked = code::SyntaxChecker::Shared().Check(code_blocks, seconds);
    if (!use_pool_ || !checked.started) checked = CheckInOneRun(code_blocks, seconds, deadline.cancel_flag());
    if (!checked.error.empty() && deadline.Expired()) throw deadline.Exceeded();
    // The checker failing (its time limit, the sandbox) says nothing about the code: the unit
    // fails (error_score, counted among the run's errors), as code_execution's does.
    if (!checked.error.empty()) throw std::runtime_error(checked.error);
    const Json& verdicts = checked.verdicts;
    size_t valid = 0;
    Json errors = Json::array();
    for (size_t i = 0; i < verdicts.size(); ++i) {
      if (verdicts[i].is_null()) {
        ++valid;
        continue;
      }
      errors.push_back(JsonObjectBuilder(4)
                           .Add("block", i)
                           .Add("error", verdicts[i].value("error", std::string()))
                           .Add("line", verdicts[i].value("line", Json()))
                           .Add("offset", verdicts[i].value("offset", Json()))
                           .Build());
    }
    double score = static_cast<double>(valid) / static_cast<double>(blocks.size());
    if (!errors.empty()) score -= 0.5;
    result.details.push_back({name(), score,
                              "Syntax check: " + std::to_string(valid) + "/" + std::to_string(blocks.size()) +
                                  " blocks valid, " + std::to_string(errors.size()) + " errors",
                              nullptr});
    result.extra_data = JsonObjectBuilder(4)
                            .Add("code_blocks", std::move(code_blocks))
                            .Add("valid_blocks", valid)
                            .Add("total_blocks", blocks.size())
                            .Add("syntax_errors", std::move(errors))
                            .Build();
    return result;
  }

 private:
  // The one-shot path: one sandboxed CPython for this response (from the pool's
  // zygotes when use_pool_), for use_pool=false and for when the long-lived checker
  // cannot start.
  code::SyntaxCheckResult CheckInOneRun(const Json& code_blocks, double seconds,
                                        const std::atomic<bool>* cancelled) const {
    RunRequest request;
    request.argv = {"/usr/bin/python3", "-I", "check.py"};
    request.files.emplace_back("check.py", code::SyntaxCheckerSource());
    request.files.emplace_back("blocks.json", code_blocks.dump(-1, ' ', false, Json::error_handler_t::replace));
    request.limits.wall_seconds = seconds;
    request.limits.cpu_seconds = seconds;
    request.cancelled = cancelled;
    const RunResult run = code::DefaultProgramRunner(use_pool_)(request);
    code::SyntaxCheckResult checked;
    try {
      if (run.status == RunStatus::kOk) checked.verdicts = ParseJson(run.stdout_data);
    } catch (const Json::exception&) {
    }
    if (!checked.verdicts.is_array() || checked.verdicts.size() != code_blocks.size()) {
      checked.error = run.status == RunStatus::kOk ? "unreadable syntax checker output"
                                                   : std::string(RunStatusName(run.status)) + ": " +
                                                         (run.message.empty() ? run.stderr_data : run.message);
    } else {
      checked.error = code::MemoryLimitError(checked.verdicts, request.limits.memory_bytes);
    }
    return checked;
  }

  bool use_pool_;
  double timeout_;
};

}  // namespace

RewardSpec SyntaxCheckSpec() {
  RewardSpec spec;
  spec.name = "code_syntax_check";
  spec.instance_name = "syntax_check";
  spec.description = "Share of the response's Python blocks CPython's ast.parse accepts (run in the sandbox), -0.5 if any fails";
  spec.params = {
      {"timeout", ParamType::kDouble, 10.0, "seconds for parsing all blocks of a response", {}, 0.001, 86400},
      {"use_pool", ParamType::kBool, true, "parse in long-lived sandboxed interpreters (else one sandboxed run per response)", {}},
  };
  spec.factory = [](const Params& p) { return std::make_unique<SyntaxCheckReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
