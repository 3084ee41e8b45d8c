// The small Python programs that run one test, and the requests that run them.
//
// A test runs as `python3 -I harness.py MODE` in a private working directory holding
// harness.py, solution.py and the test's files:
//   stdio   solution.py runs as __main__ with the test input on stdin; its stdout is
//           the result.
//   call    solution.py is executed as a module (not __main__), then fn_name (or
//           Solution().fn_name) is called with the arguments in call.json; the
//           JSON of the return value is the only thing written to stdout — the
//           solution's own prints are sent to stderr so they cannot forge it.
//   assert  setup.py, solution.py and test.py run in one namespace as __main__; a
//           sys.exit() in solution.py ends only solution.py. When test.py has run,
//           the completion token (from the file "token", removed before the solution
//           runs) is the only thing written to stdout: a solution that ends the
//           process early, even with exit code 0, has not passed.
// Exit codes the runner reads: 0 done, kExitCompileError (solution.py does not
// compile; stderr has CPython's message), kExitAssertFailed (an assert in test.py
// failed), kExitTestError (test.py or call.json is unusable), anything else a
// runtime error of the solution.
#pragma once

#include <string>

#include "code/test_cases.h"
#include "rmg/sandbox.h"

namespace rmg::code {

inline constexpr int kExitCompileError = 113;
inline constexpr int kExitAssertFailed = 114;
inline constexpr int kExitTestError = 115;

// The Python source of harness.py.
const std::string& HarnessSource();

// The Python source of the syntax checker: reads blocks.json (a list of strings)
// and prints, as one JSON list, for each block either null (it parses with
// ast.parse(block.strip())), {"error", "line", "offset"} from the SyntaxError, or
// {"memory_limit": true} when the parse ran out of address space (no verdict).
const std::string& SyntaxCheckerSource();

// The Python source of the long-lived syntax checker (syntax_checker.h), with the
// same per-block verdicts: it writes {"ready": true} on a line, then answers each
// stdin line holding a JSON list of strings with one line holding the JSON list of
// their verdicts.
const std::string& SyntaxCheckLoopSource();

// The request that runs test `index` of `suite` against `solution` with
// `interpreter` (an absolute path) under `limits`. `completion_token` (assert mode)
// should be unpredictable to the solution: a fresh random one per request.
RunRequest BuildTestRequest(const std::string& interpreter, const std::string& solution, const TestSuite& suite,
                            size_t index, const SandboxLimits& limits, const std::string& completion_token);

}  // namespace rmg::code
