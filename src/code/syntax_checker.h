// SyntaxChecker: long-lived sandboxed CPython processes that parse Python blocks
// with ast.parse for code_syntax_check, so a response costs a line written to a pipe
// and a line read back (tens of µs) instead of a sandboxed process of its own.
//
// Each process runs SyntaxCheckLoopSource (python_harness.h): one request line, a
// JSON list of blocks, gets one reply line, the JSON list of their verdicts — the
// same verdicts as SyntaxCheckerSource's one-shot run. The C++ side enforces each
// request's deadline with poll() on the reply pipe; on a timeout, end of file, a
// reply that is not a JSON list of one verdict per block, or a failed write, the
// process is killed (a new one is started on next use) and the request fails.
//
// Bounds: each process lives in its own sandbox (SandboxedProcess::Start) with an
// address-space limit (memory_bytes; a block whose parse runs past it fails the
// request with memory_limit, as in the one-shot run) and no lifetime CPU limit — a long-lived process
// would run out of one — since the per-request wall deadline bounds its time. A
// request whose JSON is over max_request_bytes is refused without being sent. A
// process is retired after requests_per_process requests, so nothing one response
// leaves behind in the interpreter (memory it grew to, caches) lasts long.
//
// Thread-safe: N concurrent callers use N processes, started lazily; idle ones are
// kept (up to max_idle) for the next caller.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "code/process_pipes.h"
#include "rmg/schema.h"

namespace rmg::code {

struct SyntaxCheckerOptions {
  std::string python = "/usr/bin/python3";
  uint64_t memory_bytes = 512ull << 20;        // address space: a one-shot run's default limit
  size_t max_request_bytes = 8ull << 20;       // the blocks' JSON; larger requests are refused
  size_t requests_per_process = 1000;          // then the process is replaced
  size_t max_idle = 0;                         // idle processes kept; 0: twice the core count
  ProcessStarter starter;                      // empty: SandboxedProcess::Start
};

// What a check gives: the verdicts, or why there are none.
struct SyntaxCheckResult {
  // False when no process could be started (e.g. no sandbox on this machine): the
  // caller may parse another way. `error` says why.
  bool started = true;
  Json verdicts;  // on success: a list, per block null or {"error", "line", "offset"}
  // Empty on success; else "<run status name>: <why>", e.g. "time_limit: ...".
  std::string error;
};

// "" if `verdicts` (a list from either checker) holds a verdict for every block;
// else the memory_limit error naming the first block whose parse ran out of the
// `memory_bytes` of address space it was given, which says nothing about the code.
std::string MemoryLimitError(const Json& verdicts, uint64_t memory_bytes);

class SyntaxChecker {
 public:
  explicit SyntaxChecker(SyntaxCheckerOptions options = {});
  ~SyntaxChecker();

  SyntaxChecker(const SyntaxChecker&) = delete;
  SyntaxChecker& operator=(const SyntaxChecker&) = delete;

  // Parses each string of `blocks` (a JSON list; invalid UTF-8 is replaced by U+FFFD)
  // within `timeout_seconds` of wall time. Never throws.
  SyntaxCheckResult Check(const Json& blocks, double timeout_seconds);

  // Processes started so far; more than the callers ever needed at once means
  // replacements.
  size_t starts() const;

  // The process-wide checker code_syntax_check uses.
  static SyntaxChecker& Shared();

 private:
  struct Server;

  std::unique_ptr<Server> TakeServer(std::string* error);
  void ReturnServer(std::unique_ptr<Server> server);

  SyntaxCheckerOptions options_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Server>> idle_;
  size_t starts_ = 0;
};

}  // namespace rmg::code
