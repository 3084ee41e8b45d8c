// RunSandboxed: feed stdin, collect stdout and stderr up to their cap, enforce the
// wall deadline by killing the sandbox, and classify how the program ended.
// SandboxedProcess: the same sandbox left running behind its pipes.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "rmg/sandbox.h"
#include "sandbox/sandbox_internal.h"

namespace rmg {
namespace {

using sandbox_internal::Launched;
using sandbox_internal::Report;
using Clock = std::chrono::steady_clock;

// How long to keep reading after the end (the init exited, or was killed) for output
// still held by a process outside any PID namespace (kRlimitsOnly only).
constexpr auto kDrainGrace = std::chrono::milliseconds(500);
// How long the init has, once its program is killed, to reap it and exit by itself.
constexpr auto kInitGrace = std::chrono::milliseconds(100);
// How often a run with a cancel flag (RunRequest::cancelled) looks at it.
constexpr auto kCancelCheck = std::chrono::milliseconds(50);

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

int MillisecondsUntil(Clock::time_point when) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()).count() + 1;
  return static_cast<int>(std::clamp<long long>(left, 0, 1000000));
}

double Seconds(const struct timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

// What the init said, accumulated from the report pipe.
struct InitReports {
  std::string buffer;
  bool setup_failed = false;
  Report failure = {};
  pid_t program = -1;
  bool exited = false;
  int wait_status = 0;
  int64_t peak_memory_kb = -1;  // -1: not reported (the init was killed first)

  void Parse() {
    while (buffer.size() >= sizeof(Report)) {
      Report report;
      std::memcpy(&report, buffer.data(), sizeof report);
      buffer.erase(0, sizeof report);
      if (report.kind == sandbox_internal::kSetupError && !setup_failed) {
        setup_failed = true;
        failure = report;
      } else if (report.kind == sandbox_internal::kStarted) {
        program = report.value;
      } else if (report.kind == sandbox_internal::kExited) {
        exited = true;
        wait_status = report.value;
      } else if (report.kind == sandbox_internal::kPeakMemory) {
        peak_memory_kb = report.value;
      }
    }
  }

  // Reads what is there; false at end of file or error.
  bool ReadFrom(int fd) {
    char chunk[256];
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n > 0) {
      buffer.append(chunk, static_cast<size_t>(n));
      Parse();
      return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }

  std::string FailureMessage(const std::string& program_path) const {
    return sandbox_internal::SetupFailureMessage(failure, program_path);
  }
};

// A program that ran out of memory says so; Python, glibc and C++ each their own way.
bool SaysOutOfMemory(const std::string& stderr_data) {
  for (const char* marker : {"MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory"}) {
    if (stderr_data.find(marker) != std::string::npos) return true;
  }
  return false;
}

RunStatus Classify(const RunRequest& request, RunResult* result, int wait_status) {
  if (WIFEXITED(wait_status)) {
    result->exit_code = WEXITSTATUS(wait_status);
    if (result->exit_code == 0) return RunStatus::kOk;
    // Python ignores SIGXFSZ, so RLIMIT_FSIZE surfaces as EFBIG.
    if (result->stderr_data.find("File too large") != std::string::npos) return RunStatus::kOutputLimit;
    return SaysOutOfMemory(result->stderr_data) ? RunStatus::kMemoryLimit : RunStatus::kRuntimeError;
  }
  if (!WIFSIGNALED(wait_status)) return RunStatus::kRuntimeError;
  result->signal = WTERMSIG(wait_status);
  switch (result->signal) {
    case SIGXCPU:
      return RunStatus::kTimeLimit;
    case SIGXFSZ:
      return RunStatus::kOutputLimit;
    case SIGKILL:
      // The hard RLIMIT_CPU (nobody else inside can SIGKILL it without a handler race).
      if (result->cpu_seconds >= std::max(1.0, std::ceil(request.limits.cpu_seconds))) return RunStatus::kTimeLimit;
      return RunStatus::kRuntimeError;
    case SIGABRT:
    case SIGSEGV:
      return SaysOutOfMemory(result->stderr_data) ? RunStatus::kMemoryLimit : RunStatus::kRuntimeError;
    default:
      return RunStatus::kRuntimeError;
  }
}

class Stream {
 public:
  Stream(int fd, std::string* data, uint64_t cap) : fd_(fd), data_(data), cap_(cap) {}
  bool open() const { return open_; }
  int fd() const { return fd_; }

  // Reads what is there. Returns false once more than the cap has arrived.
  bool Read(bool* truncated) {
    char chunk[65536];
    const ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      open_ = false;
      return true;
    }
    if (n < 0) return true;
    const uint64_t room = cap_ - std::min<uint64_t>(cap_, data_->size());
    data_->append(chunk, static_cast<size_t>(std::min<uint64_t>(room, static_cast<uint64_t>(n))));
    if (static_cast<uint64_t>(n) > room) {
      *truncated = true;
      return false;
    }
    return true;
  }

 private:
  int fd_;
  std::string* data_;
  uint64_t cap_;
  bool open_ = true;
};

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

std::string DescribeSandbox() {
  const sandbox_internal::MachineSupport& support = sandbox_internal::Support();
  if (support.downgrade.empty()) return support.description;
  return support.description + " (downgraded: " + support.downgrade + ")";
}

RunResult RunSandboxed(const RunRequest& request) {
  RunResult result;
  const Clock::time_point start = Clock::now();
  Launched sandbox;
  std::string error;
  if (!sandbox_internal::Launch(request, /*die_with_caller=*/true, &sandbox, &error)) {
    result.status = RunStatus::kSandboxError;
    result.message = error;
    return result;
  }
  result.message = sandbox_internal::Support().downgrade;

  SetNonBlocking(sandbox.stdin_fd);
  SetNonBlocking(sandbox.stdout_fd);
  SetNonBlocking(sandbox.stderr_fd);
  SetNonBlocking(sandbox.report_fd);
  int stdin_fd = sandbox.stdin_fd;
  size_t stdin_written = 0;
  if (request.stdin_data.empty()) {
    shutdown(stdin_fd, SHUT_WR);
    stdin_fd = -1;
  }
  Stream out(sandbox.stdout_fd, &result.stdout_data, request.limits.max_output_bytes);
  Stream err(sandbox.stderr_fd, &result.stderr_data, request.limits.max_output_bytes);
  InitReports reports;
  bool report_open = true, init_exited = false, killed = false, timed_out = false, output_limit = false;
  bool cancelled = false;
  // Whether the program's end was reported before the sandbox was killed: after, the
  // end reported is the kill's.
  bool ended_before_kill = false;
  // Past 10^9 s (or NaN) the nanosecond clock would overflow: that is no deadline.
  const double wall_seconds = request.limits.wall_seconds;
  const Clock::time_point deadline =
      wall_seconds < 1e9 ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                       std::max(0.0, wall_seconds)))
                         : Clock::time_point::max();
  Clock::time_point stop_at = Clock::time_point::max();
  // When only the program was killed, the init is killed too if it is still there then.
  Clock::time_point kill_init_at = Clock::time_point::max();
  auto kill_sandbox = [&] {
    ended_before_kill = reports.exited;
    // The program first, so that the init reaps it and its CPU time is counted.
    if (sandbox_internal::KillInitsChildren(sandbox)) {
      kill_init_at = Clock::now() + kInitGrace;
    } else {
      sandbox_internal::KillSandbox(sandbox, reports.program);
    }
    killed = true;
    stop_at = std::min(stop_at, Clock::now() + 4 * kDrainGrace);
  };

  while (out.open() || err.open() || report_open || !init_exited) {
    const Clock::time_point now = Clock::now();
    if (!killed && !init_exited && now >= deadline) {
      timed_out = true;
      kill_sandbox();
    }
    if (!killed && !init_exited && request.cancelled != nullptr && request.cancelled->load()) {
      timed_out = cancelled = true;
      kill_sandbox();
    }
    if (!init_exited && now >= kill_init_at) {
      sandbox_internal::KillSandbox(sandbox, reports.program);
      kill_init_at = Clock::time_point::max();
    }
    if (now >= stop_at) break;
    struct pollfd fds[5];
    int n = 0;
    int in_index = -1, out_index = -1, err_index = -1, report_index = -1, pid_index = -1;
    auto add = [&](int fd, short events) {
      fds[n] = {fd, events, 0};
      return n++;
    };
    if (stdin_fd >= 0) in_index = add(stdin_fd, POLLOUT);
    if (out.open()) out_index = add(out.fd(), POLLIN);
    if (err.open()) err_index = add(err.fd(), POLLIN);
    if (report_open) report_index = add(sandbox.report_fd, POLLIN);
    if (!init_exited) pid_index = add(sandbox.pidfd, POLLIN);
    Clock::time_point wake = (killed || init_exited) ? stop_at : std::min(deadline, stop_at);
    if (!init_exited) wake = std::min(wake, kill_init_at);
    // Nothing wakes poll when the flag is set: look at it every kCancelCheck.
    if (request.cancelled != nullptr && !killed) wake = std::min(wake, now + kCancelCheck);
    if (poll(fds, n, MillisecondsUntil(wake)) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (in_index >= 0 && fds[in_index].revents != 0) {
      const ssize_t w = send(stdin_fd, request.stdin_data.data() + stdin_written,
                             request.stdin_data.size() - stdin_written, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) stdin_written += static_cast<size_t>(w);
      // Done, or the program stopped reading (EPIPE): end of file either way.
      if (stdin_written == request.stdin_data.size() || (w < 0 && errno != EAGAIN && errno != EINTR)) {
        shutdown(stdin_fd, SHUT_WR);
        stdin_fd = -1;
      }
    }
    bool over_cap = false;
    if (out_index >= 0 && fds[out_index].revents != 0 && !out.Read(&result.truncated)) over_cap = true;
    if (err_index >= 0 && fds[err_index].revents != 0 && !err.Read(&result.truncated)) over_cap = true;
    if (over_cap && !killed && !init_exited) {
      output_limit = true;
      kill_sandbox();
    }
    if (report_index >= 0 && fds[report_index].revents != 0) report_open = reports.ReadFrom(sandbox.report_fd);
    if (pid_index >= 0 && fds[pid_index].revents != 0) {
      init_exited = true;
      stop_at = std::min(stop_at, Clock::now() + kDrainGrace);
    }
  }
  if (!init_exited) sandbox_internal::KillSandbox(sandbox, reports.program);
  int init_status = 0;
  struct rusage usage;
  sandbox_internal::WaitForInit(sandbox, &init_status, &usage);
  // The init is gone: what it wrote is all in the pipe.
  while (report_open) {
    char chunk[256];
    const ssize_t n = read(sandbox.report_fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reports.buffer.append(chunk, static_cast<size_t>(n));
    reports.Parse();
  }
  sandbox_internal::Release(&sandbox);
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.cpu_seconds = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
  // ru_maxrss carries the caller's resident size over fork and execve: the figure is
  // max(the program's peak, the caller's size). The init's report leaves the init out;
  // when the init was killed before reporting, its wait4 figure is all there is.
  result.peak_memory_kb = static_cast<uint64_t>(
      reports.peak_memory_kb >= 0 ? reports.peak_memory_kb : std::max(0L, usage.ru_maxrss));

  if (reports.setup_failed) {
    result.status = RunStatus::kSandboxError;
    result.message = reports.FailureMessage(request.argv[0]);
  } else if (timed_out) {
    result.status = RunStatus::kTimeLimit;
    if (cancelled) result.message = "cancelled";
    if (ended_before_kill) Classify(request, &result, reports.wait_status);  // exit code / signal, if any
  } else if (output_limit) {
    result.status = RunStatus::kOutputLimit;
  } else if (!reports.exited) {
    result.status = RunStatus::kSandboxError;
    result.message = "the sandbox ended without reporting how the program ended (init wait status " +
                     std::to_string(init_status) + ")";
  } else {
    result.status = Classify(request, &result, reports.wait_status);
    if (result.status == RunStatus::kOk && result.truncated) result.status = RunStatus::kOutputLimit;
  }
  return result;
}

namespace {

class SandboxedProcessImpl : public SandboxedProcess {
 public:
  explicit SandboxedProcessImpl(Launched sandbox, pid_t program) : sandbox_(std::move(sandbox)), program_(program) {}
  ~SandboxedProcessImpl() override { Kill(); }

  int stdin_fd() const override { return sandbox_.stdin_fd; }
  int stdout_fd() const override { return sandbox_.stdout_fd; }
  int stderr_fd() const override { return sandbox_.stderr_fd; }

  bool Alive() override {
    if (sandbox_.pid < 0) return false;
    struct pollfd fd = {sandbox_.pidfd, POLLIN, 0};
    return poll(&fd, 1, 0) == 0;
  }

  void Kill() override {
    if (sandbox_.pid < 0) return;
    sandbox_internal::KillSandbox(sandbox_, program_);
    sandbox_internal::WaitForInit(sandbox_, nullptr, nullptr);
    sandbox_internal::Release(&sandbox_);
  }

 private:
  Launched sandbox_;
  pid_t program_;
};

}  // namespace

std::unique_ptr<SandboxedProcess> SandboxedProcess::Start(const RunRequest& request, std::string* error) {
  Launched sandbox;
  if (!sandbox_internal::Launch(request, /*die_with_caller=*/false, &sandbox, error)) return nullptr;
  // Wait for the init to say the program is running (or why it is not).
  InitReports reports;
  const Clock::time_point give_up = Clock::now() + std::chrono::seconds(10);
  while (reports.program < 0 && !reports.setup_failed) {
    struct pollfd fd = {sandbox.report_fd, POLLIN, 0};
    const int ready = poll(&fd, 1, MillisecondsUntil(give_up));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0 || !reports.ReadFrom(sandbox.report_fd)) break;
  }
  if (reports.program < 0) {
    *error = reports.setup_failed ? reports.FailureMessage(request.argv[0]) : "the sandbox did not start the program";
    sandbox_internal::KillSandbox(sandbox, -1);
    sandbox_internal::WaitForInit(sandbox, nullptr, nullptr);
    sandbox_internal::Release(&sandbox);
    return nullptr;
  }
  return std::make_unique<SandboxedProcessImpl>(std::move(sandbox), reports.program);
}

}  // namespace rmg
