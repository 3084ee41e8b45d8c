// Test-only: running the code rewards before the sandbox is merged. Installs, for
// the life of the object, a program runner backed by a pool of plain-process
// zygotes (code/testing_runner.h: real /usr/bin/python3, no isolation).
#pragma once

#include <memory>

#include "code/program_runner.h"
#include "code/python_pool.h"
#include "code/testing_runner.h"
#include "rmg/sandbox.h"

namespace rmg::gallery::testing {

class PlainRunnerScope {
 public:
  explicit PlainRunnerScope(size_t workers = 2) {
    code::PoolOptions options;
    options.workers = workers;
    options.starter = code::testing::PlainProcess::Start;
    pool_ = std::make_shared<code::PythonPool>(options);
    std::shared_ptr<code::PythonPool> pool = pool_;
    code::SetProgramRunnerOverrideForTesting([pool](const RunRequest& request) { return pool->Run(request); });
  }
  ~PlainRunnerScope() { code::SetProgramRunnerOverrideForTesting(nullptr); }

  PlainRunnerScope(const PlainRunnerScope&) = delete;
  PlainRunnerScope& operator=(const PlainRunnerScope&) = delete;

 private:
  std::shared_ptr<code::PythonPool> pool_;
};

// True while this branch links the sandbox placeholder instead of the sandbox.
inline bool SandboxIsPlaceholder() {
  RunRequest request;
  request.argv = {"/usr/bin/python3", "-c", "pass"};
  return RunSandboxed(request).message == "sandbox not built in this branch";
}

}  // namespace rmg::gallery::testing
