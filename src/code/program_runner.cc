#include "code/program_runner.h"

#include <mutex>

#include "code/python_pool.h"

namespace rmg::code {
namespace {

std::mutex override_mutex;
ProgramRunner* override_runner = nullptr;

}  // namespace

ProgramRunner SandboxRunner() {
  return [](const RunRequest& request) { return RunSandboxed(request); };
}

ProgramRunner DefaultProgramRunner(bool use_pool) {
  {
    std::lock_guard<std::mutex> lock(override_mutex);
    if (override_runner != nullptr) return *override_runner;
  }
  if (use_pool) {
    PythonPool* pool = &PythonPool::Shared();
    return [pool](const RunRequest& request) { return pool->Run(request); };
  }
  return SandboxRunner();
}

void SetProgramRunnerOverrideForTesting(ProgramRunner runner) {
  std::lock_guard<std::mutex> lock(override_mutex);
  delete override_runner;
  override_runner = runner ? new ProgramRunner(std::move(runner)) : nullptr;
}

}  // namespace rmg::code
