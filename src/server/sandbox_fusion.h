// SandboxFusion's `POST /run_code`, as verl and other trainers call it:
//   {"code": str, "language": str, "stdin": str|null, "run_timeout": s, "compile_timeout": s,
//    "memory_limit_MB": n, "files": {path: base64}, "fetch_files": [path]}
// answered with
//   {"status": "Success"|"Failed"|"SandboxError", "message": str,
//    "compile_result": null|R, "run_result": null|R, "executor_pod_name": null, "files": {}}
//   R = {"status": "Finished"|"Error"|"TimeLimitExceeded", "execution_time": s,
//        "return_code": int|null, "stdout": str, "stderr": str}
// run on rmg's own sandbox (rmg/sandbox.h) instead of SandboxFusion's containers.
//
// Known gap: a non-empty "fetch_files" is refused (422 naming the field): RunSandboxed
// returns only stdout and stderr, and deletes the program's directory when it ends.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rmg/schema.h"
#include "server/request_error.h"

namespace rmg::server {

enum class CodeLanguage {
  kPython,  // "python" or "python3": Debian's /usr/bin/python3 main.py
  kBash,    // "bash": /bin/bash main.sh
  kCpp,     // "cpp": g++ -O2 -std=c++17, then the binary, each in a sandbox of its own
};

// A request holds a server thread (and cpu) for up to this long.
inline constexpr double kMaxTimeoutSeconds = 300;
inline constexpr double kMinMemoryLimitMb = 16;
inline constexpr double kMaxMemoryLimitMb = 16384;
inline constexpr size_t kMaxRequestFiles = 1024;

struct RunCodeRequest {
  std::string code;
  CodeLanguage language = CodeLanguage::kPython;
  std::string stdin_data;        // "" when the client sent null
  double run_timeout = 10;       // seconds, wall clock and CPU, in (0, kMaxTimeoutSeconds]
  double compile_timeout = 10;   // likewise, for kCpp's compiler
  double memory_limit_mb = -1;   // <= 0: the sandbox's default, 512 MiB; else in [16, 16384]
  std::vector<std::pair<std::string, std::string>> files;  // relative path, decoded contents
  std::vector<std::string> fetch_files;                    // always empty: see the gap above
  // Not from the body: set by the server when it stops; kills the program (RunRequest::cancelled).
  const std::atomic<bool>* cancelled = nullptr;
};

// Reads a request body with SandboxFusion's defaults for absent fields. Throws
// RequestError naming the field — 400 for a body that is not a JSON object, 422 for
// a missing code or language, a field of the wrong type, an unsupported language
// (the message lists the supported ones), a timeout not in (0, 300], a positive
// memory limit outside [16, 16384] MB, more than kMaxRequestFiles files, a file that
// is not base64 (`files["a.txt"]: not base64`), or a path that is absolute, has
// "..", "." or empty parts, or takes the name of one of the program's own files
// (main.py, main.sh, main.cpp, main, main.bin). A file whose content is null is
// skipped, as SandboxFusion's schema allows null.
RunCodeRequest ParseRunCodeRequest(std::string_view body);

// Runs the request in the sandbox and answers in SandboxFusion's shape, with its
// meaning: "Success" when the program exited 0 (after a successful compile),
// "Failed" when the compile failed or the program exited non-zero, was killed or ran
// out of time or memory, "SandboxError" when the sandbox itself failed (or g++ is
// missing for cpp). A result's "Finished" means the program exited, whatever its code
// (a program killed by signal N has return_code -N, as Python's subprocess reports
// it); "TimeLimitExceeded" has return_code null; "Error" is a memory or output limit.
// Output that is not UTF-8 has its invalid bytes replaced by U+FFFD, so the answer
// always dumps. Never throws for anything the program does.
Json RunCode(const RunCodeRequest& request);

}  // namespace rmg::server
