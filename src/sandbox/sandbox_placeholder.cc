// PLACEHOLDER — DELETE AT MERGE. The real sandbox (src/sandbox/) is written on another
// branch; this file only lets the code-runner branch link. Every run reports
// kSandboxError with kPlaceholderMessage, and tests that need real isolation skip
// when they see it.
#include "rmg/sandbox.h"

namespace rmg {
namespace {
constexpr const char* kPlaceholderMessage = "sandbox not built in this branch";
}  // namespace

const char* RunStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::kOk: return "ok";
    case RunStatus::kRuntimeError: return "runtime_error";
    case RunStatus::kTimeLimit: return "time_limit";
    case RunStatus::kMemoryLimit: return "memory_limit";
    case RunStatus::kOutputLimit: return "output_limit";
    case RunStatus::kSandboxError: return "sandbox_error";
  }
  return "sandbox_error";
}

RunResult RunSandboxed(const RunRequest&) {
  RunResult result;
  result.status = RunStatus::kSandboxError;
  result.message = kPlaceholderMessage;
  return result;
}

std::unique_ptr<SandboxedProcess> SandboxedProcess::Start(const RunRequest&, std::string* error) {
  if (error != nullptr) *error = kPlaceholderMessage;
  return nullptr;
}

std::string DescribeSandbox() { return kPlaceholderMessage; }

}  // namespace rmg
