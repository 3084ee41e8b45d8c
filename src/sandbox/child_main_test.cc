// The sandbox's init and program, driven directly: a LaunchPlan laid out by hand and
// InitMain run in a forked child (kRlimitsOnly: no namespaces needed), then the file
// system view the init builds in the namespace modes, through Launch.
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "rmg/sandbox.h"
#include "sandbox/launch_plan.h"
#include "sandbox/sandbox_internal.h"

namespace rmg::sandbox_internal {
namespace {

constexpr int kChildMainWaitMs = 10000;  // generous bound on anything a test waits for

std::string ChildMainReadToEof(int fd, bool* eof = nullptr) {
  std::string data;
  if (eof != nullptr) *eof = false;
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    const int ready = poll(&p, 1, kChildMainWaitMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return data;
    char chunk[4096];
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (eof != nullptr) *eof = n == 0;
      return data;
    }
    data.append(chunk, static_cast<size_t>(n));
  }
}

std::string ChildMainReadLine(int fd) {
  std::string line;
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    char c;
    if (poll(&p, 1, kChildMainWaitMs) <= 0 || read(fd, &c, 1) != 1 || c == '\n') return line;
    line += c;
  }
}

std::vector<Report> ChildMainReports(const std::string& bytes) {
  std::vector<Report> reports(bytes.size() / sizeof(Report));
  if (!reports.empty()) std::memcpy(reports.data(), bytes.data(), reports.size() * sizeof(Report));
  return reports;
}

bool ChildMainNextReport(int fd, Report* report) {
  pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, kChildMainWaitMs) == 1 && read(fd, report, sizeof *report) == static_cast<ssize_t>(sizeof *report);
}

// "Key:\tvalue" lines of /proc/<pid>/status.
std::map<std::string, std::string> ChildMainStatusFields(const std::string& text) {
  std::map<std::string, std::string> fields;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t colon = line.find(":\t");
    if (colon != std::string::npos) fields[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return fields;
}

// An init forked from the test with a hand-made plan in kRlimitsOnly mode.
class ChildMainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/rmg-child-main-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    chmod(dir, 0777);
    plan_.mode = IsolationMode::kRlimitsOnly;
    plan_.die_with_caller = true;
    plan_.cwd = dir_;
    env_ = {"PATH=/usr/bin:/bin", "RMG_CHILD_MAIN=two words"};
  }

  void TearDown() override {
    if (init_ > 0) {
      kill(init_, SIGKILL);
      waitpid(init_, nullptr, 0);
    }
    for (int fd : {stdin_w_, stdout_r_, stderr_r_, report_r_}) {
      if (fd >= 0) close(fd);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Forks the init. `before` runs in the child first (to give it state InitMain must
  // undo); `sync` false closes the sync pipe without the byte.
  void Start(std::vector<std::string> argv, bool sync = true, void (*before)() = nullptr) {
    args_ = std::move(argv);
    plan_.argv.clear();
    for (std::string& arg : args_) plan_.argv.push_back(arg.data());
    plan_.argv.push_back(nullptr);
    plan_.envp.clear();
    for (std::string& entry : env_) plan_.envp.push_back(entry.data());
    plan_.envp.push_back(nullptr);
    int in[2], out[2], err[2], report[2], sync_pipe[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in), 0);
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(err, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(sync_pipe, O_CLOEXEC), 0);
    if (plan_.stdin_fd == -1) plan_.stdin_fd = in[1];
    if (plan_.stdout_fd == -1) plan_.stdout_fd = out[1];
    plan_.stderr_fd = err[1];
    plan_.report_fd = report[1];
    plan_.sync_fd = sync_pipe[0];
    init_ = fork();
    if (init_ == 0) {
      if (before != nullptr) before();
      InitMain(&plan_);
      _exit(126);
    }
    for (int fd : {in[1], out[1], err[1], report[1], sync_pipe[0]}) close(fd);
    stdin_w_ = in[0];
    stdout_r_ = out[0];
    stderr_r_ = err[0];
    report_r_ = report[0];
    if (sync) {
      ASSERT_EQ(write(sync_pipe[1], "1", 1), 1);
    }
    close(sync_pipe[1]);
  }

  // Stdin closed, stdout and the reports to their end, the init reaped.
  void Finish() {
    shutdown(stdin_w_, SHUT_WR);
    stdout_ = ChildMainReadToEof(stdout_r_);
    stderr_ = ChildMainReadToEof(stderr_r_);
    reports_ = ChildMainReports(ChildMainReadToEof(report_r_));
    ASSERT_EQ(waitpid(init_, &init_status_, 0), init_);
    init_ = -1;
  }

  // One kSetupError at `stage` with `err`, nothing else, and the init gone with 127.
  void ExpectSetupFailure(int32_t stage, int err) {
    ASSERT_EQ(reports_.size(), 1u);
    EXPECT_EQ(reports_[0].kind, kSetupError);
    EXPECT_EQ(reports_[0].stage, stage) << SetupStageName(reports_[0].stage);
    if (err != 0) {
      EXPECT_EQ(reports_[0].value, err) << std::strerror(reports_[0].value);
    }
    EXPECT_TRUE(WIFEXITED(init_status_) && WEXITSTATUS(init_status_) == 127) << init_status_;
    EXPECT_EQ(stdout_, "");
  }

  LaunchPlan plan_;
  std::string dir_;
  std::vector<std::string> args_, env_;
  pid_t init_ = -1;
  int stdin_w_ = -1, stdout_r_ = -1, stderr_r_ = -1, report_r_ = -1;
  int init_status_ = -1;
  std::string stdout_, stderr_;
  std::vector<Report> reports_;
};

TEST_F(ChildMainTest, ReportsStartedThenExitedThenPeakMemory) {
  Start({"/bin/sh", "-c", "exit 3"});
  Finish();
  ASSERT_EQ(reports_.size(), 3u);
  EXPECT_EQ(reports_[0].kind, kStarted);
  EXPECT_GT(reports_[0].value, 0);
  EXPECT_EQ(reports_[1].kind, kExited);
  EXPECT_TRUE(WIFEXITED(reports_[1].value) && WEXITSTATUS(reports_[1].value) == 3) << reports_[1].value;
  EXPECT_EQ(reports_[2].kind, kPeakMemory);
  EXPECT_GT(reports_[2].value, 0);
  EXPECT_TRUE(WIFEXITED(init_status_) && WEXITSTATUS(init_status_) == 0) << init_status_;
}

TEST_F(ChildMainTest, WithoutTheSyncByteNothingStarts) {
  Start({"/bin/true"}, /*sync=*/false);
  Finish();
  ExpectSetupFailure(kStageSync, 0);
}

TEST_F(ChildMainTest, MissingWorkingDirectoryFailsAtChdir) {
  plan_.cwd = dir_ + "/does/not/exist";
  Start({"/bin/true"});
  Finish();
  ExpectSetupFailure(kStageChdir, ENOENT);
}

TEST_F(ChildMainTest, UnusableStdoutFailsAtStdio) {
  int unused = 900;
  while (fcntl(unused, F_GETFD) >= 0) ++unused;
  plan_.stdout_fd = unused;
  Start({"/bin/true"});
  Finish();
  ExpectSetupFailure(kStageStdio, EBADF);
}

TEST_F(ChildMainTest, ImpossibleRlimitFailsAtRlimit) {
  plan_.limits.push_back({RLIMIT_NOFILE, {10, 5}});  // soft above hard
  Start({"/bin/true"});
  Finish();
  ExpectSetupFailure(kStageRlimit, EINVAL);
  EXPECT_EQ(reports_[0].rlimit, RLIMIT_NOFILE);  // the caller's message names the limit
}

TEST_F(ChildMainTest, RejectedSeccompProgramFailsAtSeccomp) {
  // A load from a misaligned offset of seccomp_data: the kernel's checker refuses it.
  static sock_filter bad[] = {{BPF_LD | BPF_W | BPF_ABS, 0, 0, 1}, {BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW}};
  plan_.seccomp = {2, bad};
  Start({"/bin/true"});
  Finish();
  ExpectSetupFailure(kStageSeccomp, EINVAL);
}

TEST_F(ChildMainTest, ExecFailureFailsAtExec) {
  Start({dir_ + "/no-such-program"});
  Finish();
  ExpectSetupFailure(kStageExec, ENOENT);
}

TEST_F(ChildMainTest, ProgramGetsExactlyTheGivenEnvironment) {
  ASSERT_EQ(setenv("RMG_CHILD_MAIN_LEAK", "x", 1), 0);
  Start({"/usr/bin/env"});
  Finish();
  unsetenv("RMG_CHILD_MAIN_LEAK");
  EXPECT_EQ(stdout_, "PATH=/usr/bin:/bin\nRMG_CHILD_MAIN=two words\n") << stderr_;
}

TEST_F(ChildMainTest, ProgramHoldsOnlyStdinStdoutAndStderr) {
  int extra[2];
  ASSERT_EQ(pipe(extra), 0);  // inheritable: only the init's cleanup keeps it out
  Start({"/bin/ls", "/proc/self/fd"});
  Finish();
  close(extra[0]);
  close(extra[1]);
  EXPECT_EQ(stdout_, "0\n1\n2\n3\n") << "3 is ls's own directory\n" << stderr_;
}

TEST_F(ChildMainTest, InitHoldsNoDescriptorOfTheCaller) {
  int caller[2];
  ASSERT_EQ(pipe(caller), 0);  // inheritable
  Start({"/bin/cat"});
  Report started;
  ASSERT_TRUE(ChildMainNextReport(report_r_, &started));
  ASSERT_EQ(started.kind, kStarted);
  // The init and the program are both running; neither may keep the write end open.
  close(caller[1]);
  pollfd p = {caller[0], POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, kChildMainWaitMs), 1);
  char byte;
  EXPECT_EQ(read(caller[0], &byte, 1), 0) << "end of file expected";
  close(caller[0]);
  Finish();
}

void ChildMainBlockAndIgnoreSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  signal(SIGUSR2, SIG_IGN);
  signal(SIGINT, SIG_IGN);
}

TEST_F(ChildMainTest, ProgramRunsAloneUnprivilegedAndFiltered) {
  std::string error;
  const std::vector<sock_filter>& filter = SeccompProgram(&error);
  ASSERT_FALSE(filter.empty()) << error;
  plan_.seccomp = {static_cast<unsigned short>(filter.size()), const_cast<sock_filter*>(filter.data())};
  Start({"/bin/cat", "/proc/self/status", "/proc/self/stat"}, true, ChildMainBlockAndIgnoreSignals);
  Finish();
  ASSERT_EQ(reports_.size(), 3u);
  const pid_t program = reports_[0].value;
  std::map<std::string, std::string> status = ChildMainStatusFields(stdout_);
  EXPECT_EQ(status["NoNewPrivs"], "1");
  EXPECT_EQ(status["Seccomp"], "2");
  EXPECT_EQ(status["CapEff"], "0000000000000000");
  EXPECT_EQ(status["CapPrm"], "0000000000000000");
  EXPECT_EQ(status["CapAmb"], "0000000000000000");
  if (geteuid() == 0) {
    EXPECT_EQ(status["CapBnd"], "0000000000000000");
  }
  // Nothing of the caller's signal handling carries over.
  EXPECT_EQ(status["SigBlk"], "0000000000000000");
  EXPECT_EQ(status["SigIgn"], "0000000000000000");
  // The last line is /proc/self/stat: pid (comm) state ppid pgrp session ...
  const size_t last = stdout_.rfind('\n', stdout_.size() - 2);
  std::istringstream stat(stdout_.substr(last + 1));
  long pid = 0, ppid = 0, group = 0, session = 0;
  std::string comm, state;
  stat >> pid >> comm >> state >> ppid >> group >> session;
  EXPECT_EQ(comm, "(cat)");
  EXPECT_EQ(pid, program);
  EXPECT_EQ(group, pid) << "its own process group";
  EXPECT_EQ(session, pid) << "its own session";
}

TEST_F(ChildMainTest, BecomesNobodyWhenTheUnitSaysSo) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  plan_.become_nobody = true;
  Start({"/bin/cat", "/proc/self/status"});
  Finish();
  std::map<std::string, std::string> status = ChildMainStatusFields(stdout_);
  EXPECT_EQ(status["Uid"], "65534\t65534\t65534\t65534");
  EXPECT_EQ(status["Gid"], "65534\t65534\t65534\t65534");
  std::string groups = status["Groups"];
  groups.erase(std::remove(groups.begin(), groups.end(), ' '), groups.end());
  EXPECT_EQ(groups, "") << "no supplementary groups";
}

TEST_F(ChildMainTest, KillsWhatTheProgramLeavesBehind) {
  // The background sleep keeps stdout open: its end of file is the sleep's death.
  Start({"/bin/sh", "-c", "/bin/sleep 60 & echo $!"});
  const pid_t sleeper = static_cast<pid_t>(std::atol(ChildMainReadLine(stdout_r_).c_str()));
  ASSERT_GT(sleeper, 0);
  bool eof = false;
  EXPECT_EQ(ChildMainReadToEof(stdout_r_, &eof), "");
  EXPECT_TRUE(eof) << "the program's background child is still running";
  Finish();
  ASSERT_EQ(reports_.size(), 3u);
  EXPECT_EQ(reports_[1].kind, kExited);
  EXPECT_TRUE(WIFEXITED(reports_[1].value) && WEXITSTATUS(reports_[1].value) == 0);
  EXPECT_TRUE(WIFEXITED(init_status_) && WEXITSTATUS(init_status_) == 0) << init_status_;
}

TEST_F(ChildMainTest, ProgramDiesWithItsInit) {
  Start({"/bin/sleep", "60"});
  Report started;
  ASSERT_TRUE(ChildMainNextReport(report_r_, &started));
  ASSERT_EQ(started.kind, kStarted);
  const int program_fd = static_cast<int>(syscall(SYS_pidfd_open, started.value, 0));
  ASSERT_GE(program_fd, 0) << std::strerror(errno);
  kill(init_, SIGKILL);
  pollfd p = {program_fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, kChildMainWaitMs), 1) << "the program outlived its init";
  close(program_fd);
  Finish();
  EXPECT_TRUE(WIFSIGNALED(init_status_) && WTERMSIG(init_status_) == SIGKILL);
}

// ---- the file system view of the namespace modes, through Launch ----

struct ChildMainRun {
  std::string out, err;
  std::vector<Report> reports;
};

bool ChildMainLaunch(const RunRequest& request, ChildMainRun* run, std::string* error) {
  Launched launched;
  if (!Launch(request, true, &launched, error)) return false;
  shutdown(launched.stdin_fd, SHUT_WR);
  run->out = ChildMainReadToEof(launched.stdout_fd);
  run->err = ChildMainReadToEof(launched.stderr_fd);
  run->reports = ChildMainReports(ChildMainReadToEof(launched.report_fd));
  WaitForInit(launched, nullptr, nullptr);
  Release(&launched);
  return true;
}

RunRequest ChildMainShell(const std::string& script) {
  RunRequest request;
  request.argv = {"/bin/sh", "-c", script};
  request.limits.memory_bytes = 256ull << 20;
  return request;
}

#define RMG_CHILD_MAIN_NEEDS_NAMESPACES()                         \
  if (Support().mode == IsolationMode::kRlimitsOnly) {            \
    GTEST_SKIP() << "no namespaces on this machine: no own view"; \
  }

TEST(ChildMainViewTest, RootHoldsTheSystemDirectoriesAndNothingOfTheHost) {
  RMG_CHILD_MAIN_NEEDS_NAMESPACES();
  std::vector<std::string> expected = {"dev", "proc", "tmp", "work"};
  for (const char* dir : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"}) {
    struct stat info;
    if (lstat(dir, &info) == 0 && (S_ISDIR(info.st_mode) || S_ISLNK(info.st_mode))) expected.push_back(dir + 1);
  }
  std::sort(expected.begin(), expected.end());
  std::string listing;
  for (const std::string& name : expected) listing += name + "\n";
  ChildMainRun run;
  std::string error;
  ASSERT_TRUE(ChildMainLaunch(ChildMainShell("ls -a / | grep -v '^\\.\\.\\?$'; readlink /dev/fd"), &run, &error))
      << error;
  EXPECT_EQ(run.out, listing + "/proc/self/fd\n") << run.err;
  // Symbolic links of the host (/bin -> usr/bin on merged-/usr systems) stay links.
  char target[256];
  const ssize_t n = readlink("/bin", target, sizeof target - 1);
  if (n > 0) {
    ASSERT_TRUE(ChildMainLaunch(ChildMainShell("readlink /bin"), &run, &error)) << error;
    EXPECT_EQ(run.out, std::string(target, static_cast<size_t>(n)) + "\n");
  }
}

TEST(ChildMainViewTest, DevHoldsOnlyHarmlessDevices) {
  RMG_CHILD_MAIN_NEEDS_NAMESPACES();
  ChildMainRun run;
  std::string error;
  ASSERT_TRUE(ChildMainLaunch(
      ChildMainShell("ls /dev; head -c 4 /dev/zero | od -An -tx1; echo x > /dev/null && echo ok"), &run, &error))
      << error;
  std::string expected;
  for (const char* name : {"fd", "full", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"}) {
    if (std::string(name).rfind("std", 0) == 0 || std::string(name) == "fd" ||
        access((std::string("/dev/") + name).c_str(), F_OK) == 0) {
      expected += std::string(name) + "\n";
    }
  }
  EXPECT_EQ(run.out, expected + " 00 00 00 00\nok\n") << run.err;
}

TEST(ChildMainViewTest, OnlyTmpAndWorkAreWritable) {
  RMG_CHILD_MAIN_NEEDS_NAMESPACES();
  ChildMainRun run;
  std::string error;
  ASSERT_TRUE(ChildMainLaunch(
      ChildMainShell("for d in / /usr /etc /dev /tmp /work; do if touch $d/rmg_child_main 2>/dev/null; then "
                     "echo \"wrote $d\"; else echo \"refused $d\"; fi; done"),
      &run, &error))
      << error;
  EXPECT_EQ(run.out, "refused /\nrefused /usr\nrefused /etc\nrefused /dev\nwrote /tmp\nwrote /work\n") << run.err;
  EXPECT_FALSE(std::filesystem::exists("/usr/rmg_child_main"));
}

TEST(ChildMainViewTest, HostnamePidAndUserAreTheSandboxs) {
  RMG_CHILD_MAIN_NEEDS_NAMESPACES();
  ChildMainRun run;
  std::string error;
  ASSERT_TRUE(ChildMainLaunch(ChildMainShell("echo $$; cat /proc/sys/kernel/hostname; id -u; pwd"), &run, &error))
      << error;
  const std::string uid = Support().mode == IsolationMode::kUserNamespace ? "0" : "65534";
  EXPECT_EQ(run.out, "2\nsandbox\n" + uid + "\n/work\n") << run.err;
}

TEST(ChildMainViewTest, AFileWhereADirectoryMustGoFailsAtTheFilesStage) {
  RMG_CHILD_MAIN_NEEDS_NAMESPACES();
  RunRequest request = ChildMainShell("true");
  request.files = {{"a", "file"}, {"a/b", "under the file"}};
  ChildMainRun run;
  std::string error;
  ASSERT_TRUE(ChildMainLaunch(request, &run, &error)) << error;
  ASSERT_EQ(run.reports.size(), 1u);
  EXPECT_EQ(run.reports[0].kind, kSetupError);
  EXPECT_EQ(run.reports[0].stage, kStageFiles) << SetupStageName(run.reports[0].stage);
  EXPECT_EQ(run.reports[0].value, EISDIR) << std::strerror(run.reports[0].value);
}

#undef RMG_CHILD_MAIN_NEEDS_NAMESPACES

}  // namespace
}  // namespace rmg::sandbox_internal
