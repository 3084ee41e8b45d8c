// ProgramRunner: whatever runs one program for the code runner. Production code runs
// through the sandbox — one fresh process per run (RunSandboxed) or the pool of
// pre-started interpreters (python_pool.h); tests pass their own.
#pragma once

#include <functional>

#include "rmg/sandbox.h"

namespace rmg::code {

using ProgramRunner = std::function<RunResult(const RunRequest&)>;

// RunSandboxed: a fresh sandboxed process per request.
ProgramRunner SandboxRunner();

// The runner the code rewards use: the shared pool (PythonPool::Shared) when
// `use_pool`, else SandboxRunner() — unless a test has installed an override.
ProgramRunner DefaultProgramRunner(bool use_pool);

// Test-only: makes DefaultProgramRunner return `runner` (an empty function restores
// the default). Not for production code: it changes every code reward at once.
void SetProgramRunnerOverrideForTesting(ProgramRunner runner);

}  // namespace rmg::code
