// Sandbox: run an untrusted program so that it cannot reach the network, change the
// host, outlive its deadline or take more than its limits — and say what happened.
// Linux only: user/PID/network/mount/IPC/UTS namespaces, a read-only view of the
// system, a private writable directory deleted afterwards, rlimits (memory is RLIMIT_AS
// per process: there is no cgroup), a seccomp filter, and the whole process group
// killed at the wall-clock deadline. Thread-safe: many runs may proceed at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rmg {

struct SandboxLimits {
  double wall_seconds = 10.0;               // the process group is killed past this
  double cpu_seconds = 10.0;                // RLIMIT_CPU of every process
  uint64_t memory_bytes = 512ull << 20;     // RLIMIT_AS of every process (not of them all together)
  uint32_t max_processes = 64;              // processes and threads inside the sandbox
  uint64_t max_file_bytes = 16ull << 20;    // RLIMIT_FSIZE: largest file it may write
  uint32_t max_open_files = 64;             // RLIMIT_NOFILE
  uint64_t max_output_bytes = 1ull << 20;   // per stream; the rest is discarded, `truncated` set
};

enum class RunStatus {
  kOk,            // exited with status 0
  kRuntimeError,  // exited non-zero or killed by a signal of its own making
  kTimeLimit,     // wall or CPU time limit reached
  kMemoryLimit,   // memory limit reached (an allocation failed)
  kOutputLimit,   // wrote more than max_output_bytes, or a file past max_file_bytes
  kSandboxError,  // the sandbox itself failed; `message` says why
};

// "ok", "runtime_error", "time_limit", "memory_limit", "output_limit", "sandbox_error".
const char* RunStatusName(RunStatus status);

struct RunRequest {
  std::vector<std::string> argv;  // argv[0] is an absolute path, e.g. "/usr/bin/python3"
  std::string stdin_data;         // fed to the program's stdin, then EOF
  // Files written into the program's private working directory before it starts:
  // (path relative to that directory, contents).
  std::vector<std::pair<std::string, std::string>> files;
  SandboxLimits limits;
  // When the flag is set (from any thread), the program is killed within about 50 ms and
  // the run ends as a time limit whose message is "cancelled". The flag must outlive the
  // run; null: no cancellation.
  const std::atomic<bool>* cancelled = nullptr;
};

struct RunResult {
  RunStatus status = RunStatus::kSandboxError;
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  std::string stdout_data;
  std::string stderr_data;
  bool truncated = false;  // an output stream was cut at max_output_bytes
  double wall_seconds = 0;
  double cpu_seconds = 0;     // user + system of the whole process tree
  // Largest resident set (ru_maxrss) of the program's processes. This is at least the caller's own resident size when
  // the run started: the kernel's high-water mark of a forked process survives its execve.
  uint64_t peak_memory_kb = 0;
  std::string message;  // why, for kSandboxError (and notes such as a downgraded isolation)
};

// Runs one program in a fresh sandbox and waits for it; never throws.
RunResult RunSandboxed(const RunRequest& request);

// A long-lived sandboxed program spoken to through pipes (e.g. a pre-started
// interpreter that serves many tests). Its limits apply to its whole life, except
// wall_seconds, which the owner enforces per request; destroying it kills the group.
class SandboxedProcess {
 public:
  virtual ~SandboxedProcess() = default;

  // Starts `request.argv` in a fresh sandbox (stdin_data is ignored). nullptr and
  // *error set when the sandbox cannot be made.
  static std::unique_ptr<SandboxedProcess> Start(const RunRequest& request, std::string* error);

  // The write end of the program's stdin and the read ends of its stdout and stderr.
  virtual int stdin_fd() const = 0;
  virtual int stdout_fd() const = 0;
  virtual int stderr_fd() const = 0;

  // True while the program has not exited.
  virtual bool Alive() = 0;

  // Kills the whole process group and reaps it.
  virtual void Kill() = 0;
};

// One line saying which isolation features this machine allows and which of them
// RunSandboxed falls back from (e.g. "user namespaces refused: ..."), for the log and
// `rmg run-code --explain`.
std::string DescribeSandbox();

}  // namespace rmg
