// RunSandboxed and SandboxedProcess against real programs: how each way of ending is
// classified, the output caps at their exact boundary, stdin in all its shapes, the
// wall deadline, and the messages of every failure.
#include <errno.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "rmg/sandbox.h"
#include "sandbox/sandbox_internal.h"

namespace rmg {
namespace {

using sandbox_internal::IsolationMode;

constexpr int kProcessRunnerWaitMs = 10000;

SandboxLimits ProcessRunnerLimits() {
  SandboxLimits limits;
  limits.wall_seconds = 10;
  limits.memory_bytes = 256ull << 20;
  return limits;
}

RunResult ProcessRunnerShell(const std::string& script, const SandboxLimits& limits = ProcessRunnerLimits(),
                             const std::string& stdin_data = "") {
  RunRequest request;
  request.argv = {"/bin/sh", "-c", script};
  request.limits = limits;
  request.stdin_data = stdin_data;
  return RunSandboxed(request);
}

std::string ProcessRunnerDescribe(const RunResult& r) {
  return std::string("status=") + RunStatusName(r.status) + " exit=" + std::to_string(r.exit_code) +
         " signal=" + std::to_string(r.signal) + " message=" + r.message + " stdout=" + r.stdout_data.substr(0, 200) +
         " stderr=" + r.stderr_data.substr(0, 500);
}

// True once `pid` has exited (or is gone already), waiting at most the bound.
bool ProcessRunnerGone(pid_t pid) {
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;
  pollfd p = {fd, POLLIN, 0};
  const bool gone = poll(&p, 1, kProcessRunnerWaitMs) == 1;
  close(fd);
  return gone;
}

class ProcessRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { original_ = sandbox_internal::Support().mode; }
  void TearDown() override { sandbox_internal::ForceModeForTesting(original_); }
  IsolationMode original_ = IsolationMode::kRlimitsOnly;
};

TEST(ProcessRunnerNameTest, EveryStatusHasItsName) {
  EXPECT_STREQ(RunStatusName(RunStatus::kOk), "ok");
  EXPECT_STREQ(RunStatusName(RunStatus::kRuntimeError), "runtime_error");
  EXPECT_STREQ(RunStatusName(RunStatus::kTimeLimit), "time_limit");
  EXPECT_STREQ(RunStatusName(RunStatus::kMemoryLimit), "memory_limit");
  EXPECT_STREQ(RunStatusName(RunStatus::kOutputLimit), "output_limit");
  EXPECT_STREQ(RunStatusName(RunStatus::kSandboxError), "sandbox_error");
  EXPECT_STREQ(RunStatusName(static_cast<RunStatus>(99)), "sandbox_error");
}

TEST_F(ProcessRunnerTest, DescribeSandboxAppendsTheDowngrade) {
  sandbox_internal::ForceModeForTesting(IsolationMode::kRlimitsOnly);
  const sandbox_internal::MachineSupport& weak = sandbox_internal::Support();
  EXPECT_EQ(DescribeSandbox(), weak.description + " (downgraded: " + weak.downgrade + ")");
  if (original_ == IsolationMode::kUserNamespace) {
    sandbox_internal::ForceModeForTesting(IsolationMode::kUserNamespace);
    EXPECT_EQ(DescribeSandbox(), sandbox_internal::Support().description);
  }
}

TEST_F(ProcessRunnerTest, ClassifiesEveryWayOfEnding) {
  struct Case {
    std::string script;
    RunStatus status;
    int exit_code;
    int signal;
  };
  const std::vector<Case> cases = {
      {"exit 0", RunStatus::kOk, 0, 0},
      {"echo MemoryError >&2; exit 0", RunStatus::kOk, 0, 0},  // success wins over any marker
      {"exit 5", RunStatus::kRuntimeError, 5, 0},
      {"echo 'OSError: [Errno 27] File too large' >&2; exit 1", RunStatus::kOutputLimit, 1, 0},
      {"echo MemoryError >&2; exit 1", RunStatus::kMemoryLimit, 1, 0},
      {"echo 'x: Cannot allocate memory' >&2; exit 2", RunStatus::kMemoryLimit, 2, 0},
      {"echo 'what(): std::bad_alloc' >&2; exit 134", RunStatus::kMemoryLimit, 134, 0},
      {"echo 'fatal: out of memory' >&2; exit 1", RunStatus::kMemoryLimit, 1, 0},
      {"echo 'Out Of Memory' >&2; exit 1", RunStatus::kRuntimeError, 1, 0},  // markers are case-sensitive
      {"kill -XCPU $$", RunStatus::kTimeLimit, -1, SIGXCPU},
      {"kill -XFSZ $$", RunStatus::kOutputLimit, -1, SIGXFSZ},
      {"kill -KILL $$", RunStatus::kRuntimeError, -1, SIGKILL},  // far below the CPU limit
      {"kill -ABRT $$", RunStatus::kRuntimeError, -1, SIGABRT},
      {"echo 'out of memory' >&2; kill -ABRT $$", RunStatus::kMemoryLimit, -1, SIGABRT},
      {"kill -SEGV $$", RunStatus::kRuntimeError, -1, SIGSEGV},
      {"echo std::bad_alloc >&2; kill -SEGV $$", RunStatus::kMemoryLimit, -1, SIGSEGV},
      {"echo MemoryError >&2; kill -TERM $$", RunStatus::kRuntimeError, -1, SIGTERM},
  };
  for (const Case& c : cases) {
    const RunResult r = ProcessRunnerShell(c.script);
    EXPECT_EQ(r.status, c.status) << c.script << "\n" << ProcessRunnerDescribe(r);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.script;
    EXPECT_EQ(r.signal, c.signal) << c.script;
    EXPECT_EQ(r.message, sandbox_internal::Support().downgrade) << c.script;
    EXPECT_FALSE(r.truncated);
    EXPECT_GT(r.peak_memory_kb, 0u);
  }
}

TEST_F(ProcessRunnerTest, KilledByTheHardCpuLimitIsATimeLimit) {
  SandboxLimits limits = ProcessRunnerLimits();
  limits.cpu_seconds = 1;
  limits.wall_seconds = 20;
  // Ignoring SIGXCPU leaves the hard limit, one second later, to SIGKILL it.
  const RunResult r = ProcessRunnerShell("trap '' XCPU; while :; do :; done", limits);
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << ProcessRunnerDescribe(r);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_GE(r.cpu_seconds, 1.0);
}

TEST_F(ProcessRunnerTest, OutputCapHoldsAtItsExactBoundary) {
  SandboxLimits limits = ProcessRunnerLimits();
  limits.max_output_bytes = 1000;
  RunResult r = ProcessRunnerShell("head -c 1000 /dev/zero", limits);
  EXPECT_EQ(r.status, RunStatus::kOk) << ProcessRunnerDescribe(r);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.stdout_data, std::string(1000, '\0'));

  r = ProcessRunnerShell("head -c 1001 /dev/zero", limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << ProcessRunnerDescribe(r);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.stdout_data, std::string(1000, '\0'));

  r = ProcessRunnerShell("head -c 1001 /dev/zero >&2; echo fine", limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << ProcessRunnerDescribe(r);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.stderr_data.size(), 1000u);

  // A program that never stops writing is stopped at the cap, not at the deadline.
  limits.wall_seconds = 1e6;
  r = ProcessRunnerShell("yes", limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << ProcessRunnerDescribe(r);
  std::string ys;
  for (int i = 0; i < 500; ++i) ys += "y\n";
  EXPECT_EQ(r.stdout_data, ys);

  limits.max_output_bytes = 0;
  r = ProcessRunnerShell("true", limits);
  EXPECT_EQ(r.status, RunStatus::kOk) << ProcessRunnerDescribe(r);
  EXPECT_FALSE(r.truncated);
  r = ProcessRunnerShell("echo", limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << ProcessRunnerDescribe(r);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.stdout_data, "");
}

TEST_F(ProcessRunnerTest, StdinInEveryShape) {
  // Empty: end of file at once.
  RunResult r = ProcessRunnerShell("cat; echo done");
  EXPECT_EQ(r.status, RunStatus::kOk) << ProcessRunnerDescribe(r);
  EXPECT_EQ(r.stdout_data, "done\n");

  // Every byte value, more than a socket buffer holds, back unchanged.
  std::string binary;
  for (int i = 0; i < 4000; ++i) binary += static_cast<char>(i % 256);
  SandboxLimits limits = ProcessRunnerLimits();
  limits.max_output_bytes = 4 << 20;
  const std::string big = [&] {
    std::string s;
    while (s.size() < (1u << 20)) s += binary;
    return s;
  }();
  r = ProcessRunnerShell("cat", limits, big);
  EXPECT_EQ(r.status, RunStatus::kOk) << ProcessRunnerDescribe(r);
  EXPECT_TRUE(r.stdout_data == big) << r.stdout_data.size() << " bytes back of " << big.size();

  // The program stops reading early, or never starts: that is no error of the run.
  r = ProcessRunnerShell("head -c 5", limits, big);
  EXPECT_EQ(r.status, RunStatus::kOk) << ProcessRunnerDescribe(r);
  EXPECT_EQ(r.stdout_data, big.substr(0, 5));
  r = ProcessRunnerShell("exec 0<&-; echo closed", limits, big);
  EXPECT_EQ(r.status, RunStatus::kOk) << ProcessRunnerDescribe(r);
  EXPECT_EQ(r.stdout_data, "closed\n");
}

TEST_F(ProcessRunnerTest, WallDeadlineKeepsWhatWasWritten) {
  SandboxLimits limits = ProcessRunnerLimits();
  limits.wall_seconds = 0.5;
  const RunResult r = ProcessRunnerShell("echo started; echo warn >&2; exec >&- 2>&-; sleep 60", limits);
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << ProcessRunnerDescribe(r);
  EXPECT_EQ(r.stdout_data, "started\n");
  EXPECT_EQ(r.stderr_data, "warn\n");
  EXPECT_EQ(r.exit_code, -1);  // it never exited
  EXPECT_EQ(r.signal, 0);
  EXPECT_GE(r.wall_seconds, 0.5);
}

TEST_F(ProcessRunnerTest, WallDeadlineInRlimitsOnlyKillsTheWholeGroup) {
  sandbox_internal::ForceModeForTesting(IsolationMode::kRlimitsOnly);
  SandboxLimits limits = ProcessRunnerLimits();
  limits.wall_seconds = 0.5;
  const RunResult r = ProcessRunnerShell("/bin/sleep 60 & echo $!; wait", limits);
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << ProcessRunnerDescribe(r);
  EXPECT_NE(r.message.find("NO network"), std::string::npos) << r.message;
  const pid_t sleeper = static_cast<pid_t>(std::atol(r.stdout_data.c_str()));
  ASSERT_GT(sleeper, 0) << r.stdout_data;
  EXPECT_TRUE(ProcessRunnerGone(sleeper)) << "the program's background child survived the deadline";
}

// Ctrl-C in Python or a server's shutdown sets the flag while the program runs: it is
// killed long before its own limit, and what it wrote is kept.
TEST_F(ProcessRunnerTest, CancelFlagEndsTheRunAsCancelled) {
  std::atomic<bool> cancelled{false};
  RunRequest request;
  request.argv = {"/bin/sh", "-c", "echo started; exec sleep 60"};
  request.limits = ProcessRunnerLimits();
  request.limits.wall_seconds = 30;
  request.cancelled = &cancelled;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancelled = true;
  });
  const RunResult r = RunSandboxed(request);
  canceller.join();
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << ProcessRunnerDescribe(r);
  EXPECT_EQ(r.message, "cancelled");
  EXPECT_EQ(r.stdout_data, "started\n");
  EXPECT_LT(r.wall_seconds, 10) << "ran towards its 30 s limit after the cancel";

  // Set before the start: nothing of the program's is waited for.
  const RunResult early = RunSandboxed(request);
  EXPECT_EQ(early.status, RunStatus::kTimeLimit) << ProcessRunnerDescribe(early);
  EXPECT_EQ(early.message, "cancelled");
  EXPECT_LT(early.wall_seconds, 10);
}

// A run with a flag that is never set ends as it would without one.
TEST_F(ProcessRunnerTest, UnsetCancelFlagChangesNothing) {
  std::atomic<bool> cancelled{false};
  RunRequest request;
  request.argv = {"/bin/sh", "-c", "sleep 0.2; echo done"};
  request.limits = ProcessRunnerLimits();
  request.cancelled = &cancelled;
  const RunResult r = RunSandboxed(request);
  EXPECT_EQ(r.status, RunStatus::kOk) << ProcessRunnerDescribe(r);
  EXPECT_EQ(r.stdout_data, "done\n");
  EXPECT_EQ(r.message.find("cancelled"), std::string::npos) << r.message;
}

// A deadline too far away to matter (callers pass 1e9 and more to mean "none") must not
// come back as one already past.
TEST_F(ProcessRunnerTest, DistantWallDeadlineIsNoDeadline) {
  for (double seconds : {1e9, 1e10, 1e12}) {
    SandboxLimits limits = ProcessRunnerLimits();
    limits.wall_seconds = seconds;
    const RunResult r = ProcessRunnerShell("echo hi", limits);
    EXPECT_EQ(r.status, RunStatus::kOk) << seconds << ": " << ProcessRunnerDescribe(r);
    EXPECT_EQ(r.stdout_data, "hi\n") << seconds;
  }
}

TEST_F(ProcessRunnerTest, EveryFailureSaysWhy) {
  RunRequest request;
  request.limits = ProcessRunnerLimits();
  RunResult r = RunSandboxed(request);
  EXPECT_EQ(r.status, RunStatus::kSandboxError);
  EXPECT_EQ(r.message, "argv[0] must be an absolute path");
  EXPECT_EQ(r.exit_code, -1);

  request.argv = {"/bin/sh"};
  request.files = {{"../up.txt", "x"}};
  r = RunSandboxed(request);
  EXPECT_EQ(r.status, RunStatus::kSandboxError);
  EXPECT_EQ(r.message, "file path must be relative and stay inside the working directory: \"../up.txt\"");

  request.files.clear();
  request.argv = {"/nonexistent/runner", "arg"};
  r = RunSandboxed(request);
  EXPECT_EQ(r.status, RunStatus::kSandboxError);
  EXPECT_EQ(r.message, "cannot execute /nonexistent/runner in the sandbox: No such file or directory");
  EXPECT_EQ(r.exit_code, -1);

  // More open files than the kernel allows anyone.
  request.argv = {"/bin/true"};
  request.limits.max_open_files = 2000000000;
  r = RunSandboxed(request);
  EXPECT_EQ(r.status, RunStatus::kSandboxError);
  EXPECT_EQ(r.message,
            "sandbox setup failed while setting rlimits (RLIMIT_NOFILE, from max_open_files): Operation not permitted");
}

// ---- a program left running ----

TEST_F(ProcessRunnerTest, SandboxedProcessIgnoresStdinDataAndKillsOnce) {
  RunRequest request;
  request.argv = {"/bin/cat"};
  request.stdin_data = "never sent\n";
  request.limits = ProcessRunnerLimits();
  std::string error;
  std::unique_ptr<SandboxedProcess> process = SandboxedProcess::Start(request, &error);
  ASSERT_NE(process, nullptr) << error;
  EXPECT_TRUE(process->Alive());
  ASSERT_EQ(send(process->stdin_fd(), "first\n", 6, MSG_NOSIGNAL), 6);
  std::string line;
  for (char c = 0; c != '\n';) {
    pollfd p = {process->stdout_fd(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, kProcessRunnerWaitMs), 1);
    ASSERT_EQ(read(process->stdout_fd(), &c, 1), 1);
    line += c;
  }
  EXPECT_EQ(line, "first\n");
  process->Kill();
  EXPECT_FALSE(process->Alive());
  EXPECT_EQ(process->stdin_fd(), -1);
  EXPECT_EQ(process->stdout_fd(), -1);
  EXPECT_EQ(process->stderr_fd(), -1);
  process->Kill();  // nothing left to do
  EXPECT_FALSE(process->Alive());
}

TEST_F(ProcessRunnerTest, SandboxedProcessStartSaysWhyItFailed) {
  RunRequest request;
  request.limits = ProcessRunnerLimits();
  std::string error;
  EXPECT_EQ(SandboxedProcess::Start(request, &error), nullptr);
  EXPECT_EQ(error, "argv[0] must be an absolute path");
  request.argv = {"/nonexistent/server"};
  EXPECT_EQ(SandboxedProcess::Start(request, &error), nullptr);
  EXPECT_EQ(error, "cannot execute /nonexistent/server in the sandbox: No such file or directory");
  request.argv = {"/bin/cat"};
  request.limits.max_open_files = 2000000000;
  EXPECT_EQ(SandboxedProcess::Start(request, &error), nullptr);
  EXPECT_EQ(error,
            "sandbox setup failed while setting rlimits (RLIMIT_NOFILE, from max_open_files): Operation not permitted");
}

TEST_F(ProcessRunnerTest, SandboxedProcessKillInRlimitsOnlyTakesTheGroup) {
  sandbox_internal::ForceModeForTesting(IsolationMode::kRlimitsOnly);
  RunRequest request;
  request.argv = {"/bin/sh", "-c", "/bin/sleep 60 & echo $!; wait"};
  request.limits = ProcessRunnerLimits();
  std::string error;
  std::unique_ptr<SandboxedProcess> process = SandboxedProcess::Start(request, &error);
  ASSERT_NE(process, nullptr) << error;
  std::string line;
  for (char c = 0; c != '\n';) {
    pollfd p = {process->stdout_fd(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, kProcessRunnerWaitMs), 1);
    ASSERT_EQ(read(process->stdout_fd(), &c, 1), 1);
    line += c;
  }
  const pid_t sleeper = static_cast<pid_t>(std::atol(line.c_str()));
  ASSERT_GT(sleeper, 0) << line;
  process->Kill();
  EXPECT_TRUE(ProcessRunnerGone(sleeper)) << "the program's background child survived Kill()";
}

}  // namespace
}  // namespace rmg
