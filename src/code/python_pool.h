// PythonPool: pre-started, already-sandboxed Python "zygotes" that run one program
// each per request by forking a fresh child from their initialised interpreter, so
// a test costs a fork instead of an interpreter start-up (tens of ms).
//
// Each zygote is one SandboxedProcess (started by `starter`, by default
// SandboxedProcess::Start) running the zygote program, its modules imported and its
// objects frozen out of the garbage collector (gc.freeze, so children do not copy
// the zygote's pages). Per request it writes the request's files into its (empty)
// working directory and forks; the child calls setsid,
// applies the request's rlimits (CPU, address space, file size, open files), reads
// stdin from a file in that directory, writes stdout/stderr into pipes the zygote
// drains (killing the child past the output limit), closes every other descriptor
// and runs the script named in argv as __main__. The zygote kills the child's
// process group at the wall-clock limit and reports exit status, signal, CPU time
// and peak memory; the C++ side kills the whole zygote as a backstop if no reply
// comes a little after that. The working directory is emptied (and anything else
// the test left in the zygote's private directory removed) and the test's process
// group killed before the next request, so tests do not see each other's files,
// processes or interpreter state. A zygote that dies or misbehaves is
// killed and restarted on its next use.
//
// Requests must have the form argv = {python, [-flags]..., SCRIPT.py, args...} with
// SCRIPT.py among the request's files (what python_harness.h builds); the
// interpreter path and flags are those the zygote was started with.
//
// Protocol (JSON lines over the zygote's stdin/stdout): a request is one line
//   {"argv", "files": [[path, text]...], "stdin", "wall", "cpu", "mem", "fsize",
//    "nofile", "out"}  (limits in seconds and bytes; "out" = max_output_bytes)
// and a reply one line {"exit", "signal", "timed_out", "cpu", "wall", "maxrss_kb",
// "out", "err", "out_total", "error"} followed by exactly `out` bytes of stdout and
// `err` bytes of stderr.
//
// Thread-safe: Run may be called from many threads; each call takes an idle zygote
// (waiting for one when all are busy).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "code/process_pipes.h"
#include "rmg/sandbox.h"

namespace rmg::code {

struct PoolOptions {
  size_t workers = 0;                          // 0: one per core
  std::string python = "/usr/bin/python3";
  // The zygote's own sandbox limits, which bound every child too (a child's
  // rlimits can only be lowered): memory_bytes is the largest per-test memory.
  SandboxLimits zygote_limits = DefaultZygoteLimits();
  double backstop_seconds = 2.0;               // extra wait past a test's wall limit
  ProcessStarter starter;                      // empty: SandboxedProcess::Start

  static SandboxLimits DefaultZygoteLimits();
};

class PythonPool {
 public:
  explicit PythonPool(PoolOptions options);
  ~PythonPool();

  PythonPool(const PythonPool&) = delete;
  PythonPool& operator=(const PythonPool&) = delete;

  // Runs `request` in a fresh child of an idle zygote; never throws. The result has
  // RunSandboxed's meaning; kSandboxError when no zygote can be started or the
  // request is not of the supported form.
  RunResult Run(const RunRequest& request);

  // Zygotes started so far (the initial ones included): > workers means restarts.
  size_t starts() const;

  size_t workers() const { return workers_.size(); }

  // The source of the zygote program.
  static const std::string& ZygoteSource();

  // The process-wide pool the code rewards use: one zygote per core, started on
  // first use.
  static PythonPool& Shared();

 private:
  struct Worker {
    std::unique_ptr<SandboxedProcess> process;
    std::string buffer;  // bytes read past the last reply (normally none)
    bool busy = false;
  };

  bool EnsureStarted(Worker& worker, std::string* error);
  RunResult RunOn(Worker& worker, const RunRequest& request);

  PoolOptions options_;
  std::vector<Worker> workers_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  size_t starts_ = 0;
};

}  // namespace rmg::code
