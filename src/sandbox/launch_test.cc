// The caller's side of a sandbox, driven directly: the machine probe and its forced
// modes, Launch's checks and plan (limits, environment, files, tmpfs size), the
// report stream it hands back, and KillSandbox / WaitForInit / Release on real
// processes.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "rmg/sandbox.h"
#include "sandbox/launch_plan.h"
#include "sandbox/sandbox_internal.h"
#include "sandbox/sandbox_testing.h"

namespace rmg::sandbox_internal {
namespace {

constexpr int kLaunchUnitWaitMs = 10000;  // generous bound on anything a test waits for

// Reads `fd` until end of file (each wait bounded); *eof says whether it got there.
std::string LaunchUnitReadToEof(int fd, bool* eof = nullptr) {
  std::string data;
  if (eof != nullptr) *eof = false;
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    const int ready = poll(&p, 1, kLaunchUnitWaitMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return data;
    char chunk[4096];
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      if (eof != nullptr) *eof = n == 0;
      return data;
    }
    data.append(chunk, static_cast<size_t>(n));
  }
}

// One line (without its newline) from `fd`, bounded.
std::string LaunchUnitReadLine(int fd) {
  std::string line;
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    char c;
    if (poll(&p, 1, kLaunchUnitWaitMs) <= 0 || read(fd, &c, 1) != 1 || c == '\n') return line;
    line += c;
  }
}

std::vector<Report> LaunchUnitParseReports(const std::string& bytes) {
  std::vector<Report> reports(bytes.size() / sizeof(Report));
  if (!reports.empty()) std::memcpy(reports.data(), bytes.data(), reports.size() * sizeof(Report));
  return reports;
}

// The first report, read one message at a time so that later ones stay in the pipe.
bool LaunchUnitNextReport(int fd, Report* report) {
  pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, kLaunchUnitWaitMs) == 1 &&
         read(fd, report, sizeof *report) == static_cast<ssize_t>(sizeof *report);
}

struct LaunchUnitRun {
  std::string stdout_data;
  std::string stderr_data;
  std::vector<Report> reports;
  int init_status = -1;
  struct rusage usage = {};
  Launched launched;  // as Launch returned it, fds closed
};

// Launches `request`, feeds it `stdin_data`, collects everything and releases it.
bool LaunchUnitRunToEnd(const RunRequest& request, const std::string& stdin_data, LaunchUnitRun* run,
                        std::string* error) {
  Launched launched;
  if (!Launch(request, /*die_with_caller=*/true, &launched, error)) return false;
  if (!stdin_data.empty()) send(launched.stdin_fd, stdin_data.data(), stdin_data.size(), MSG_NOSIGNAL);
  shutdown(launched.stdin_fd, SHUT_WR);
  run->stdout_data = LaunchUnitReadToEof(launched.stdout_fd);
  run->stderr_data = LaunchUnitReadToEof(launched.stderr_fd);
  run->reports = LaunchUnitParseReports(LaunchUnitReadToEof(launched.report_fd));
  WaitForInit(launched, &run->init_status, &run->usage);
  run->launched = launched;
  Release(&launched);
  return true;
}

SandboxLimits LaunchUnitLimits() {
  SandboxLimits limits;
  limits.memory_bytes = 256ull << 20;
  return limits;
}

RunRequest LaunchUnitRequest(std::vector<std::string> argv) {
  RunRequest request;
  request.argv = std::move(argv);
  request.limits = LaunchUnitLimits();
  return request;
}

std::string LaunchUnitMarker() {
  static std::atomic<int> counter{0};
  return "rmg_launch_unit_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

bool LaunchUnitHasNamespaces() { return Support().mode != IsolationMode::kRlimitsOnly; }

bool LaunchUnitFdIsOpen(int fd) { return fd >= 0 && fcntl(fd, F_GETFD) >= 0; }

// Restores the machine's own mode after tests that force a weaker one.
class LaunchTest : public ::testing::Test {
 protected:
  void SetUp() override { original_ = Support().mode; }
  void TearDown() override { ForceModeForTesting(original_); }
  IsolationMode original_ = IsolationMode::kRlimitsOnly;
};

// ---- the probe and the modes ----

TEST(LaunchStageTest, EveryStageHasItsName) {
  const std::map<int32_t, std::string> names = {
      {kStageSync, "waiting for the uid map"},
      {kStageIds, "becoming root of the user namespace"},
      {kStageMountPrivate, "making the mounts private"},
      {kStageRootTmpfs, "mounting the root tmpfs"},
      {kStageBind, "binding the system directories"},
      {kStageReadOnly, "making the view read-only"},
      {kStageDevices, "setting up /dev"},
      {kStageProc, "mounting /proc"},
      {kStageDirs, "creating /tmp and /work"},
      {kStageFiles, "writing the program's files"},
      {kStagePivot, "pivot_root"},
      {kStageChdir, "entering the working directory"},
      {kStageFork, "forking the program"},
      {kStageStdio, "connecting stdin/stdout/stderr"},
      {kStageRlimit, "setting rlimits"},
      {kStageSession, "setsid"},
      {kStageDropPrivileges, "dropping privileges"},
      {kStageNoNewPrivs, "PR_SET_NO_NEW_PRIVS"},
      {kStageSeccomp, "installing the seccomp filter"},
      {kStageExec, "execve"},
  };
  EXPECT_EQ(names.size(), static_cast<size_t>(kStageExec));  // one per stage, none left out
  for (const auto& [stage, name] : names) EXPECT_EQ(SetupStageName(stage), name) << stage;
  for (int32_t unknown : {0, -1, kStageExec + 1, INT32_MAX}) EXPECT_STREQ(SetupStageName(unknown), "setup") << unknown;
}

TEST(LaunchSetupMessageTest, NamesTheStageTheLimitAndTheError) {
  EXPECT_EQ(SetupFailureMessage(Report{kSetupError, kStageExec, ENOENT, -1}, "/usr/bin/python3"),
            "cannot execute /usr/bin/python3 in the sandbox: No such file or directory");
  EXPECT_EQ(SetupFailureMessage(Report{kSetupError, kStageProc, EPERM, -1}, "/bin/true"),
            "sandbox setup failed while mounting /proc: Operation not permitted");
  EXPECT_EQ(SetupFailureMessage(Report{kSetupError, kStageRlimit, EPERM, RLIMIT_AS}, "/bin/true"),
            "sandbox setup failed while setting rlimits (RLIMIT_AS, from memory_bytes): Operation not permitted");
  EXPECT_EQ(SetupFailureMessage(Report{kSetupError, kStageRlimit, EINVAL, RLIMIT_CPU}, "/bin/true"),
            "sandbox setup failed while setting rlimits (RLIMIT_CPU, from cpu_seconds): Invalid argument");
  // A resource the plan never sets still gets a number, not a wrong name.
  EXPECT_EQ(SetupFailureMessage(Report{kSetupError, kStageRlimit, EPERM, RLIMIT_RTTIME}, "/bin/true"),
            "sandbox setup failed while setting rlimits (resource " + std::to_string(RLIMIT_RTTIME) +
                "): Operation not permitted");
}

TEST_F(LaunchTest, SupportIsTheStrongestModeThisMachineAllows) {
  // An independent probe: may a child make a user namespace with the others?
  const pid_t child = fork();
  if (child == 0) {
    _exit(unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS) == 0 ? 0
                                                                                                                : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  const MachineSupport& support = Support();
  if (WEXITSTATUS(status) == 0) {
    EXPECT_EQ(support.mode, IsolationMode::kUserNamespace);
    EXPECT_EQ(support.downgrade, "");
  } else {
    EXPECT_NE(support.mode, IsolationMode::kUserNamespace);
    EXPECT_NE(support.downgrade, "");
  }
  std::string error;
  EXPECT_EQ(support.seccomp, !SeccompProgram(&error).empty());
  // Probed once: the same object every time.
  EXPECT_EQ(&Support(), &support);
}

TEST_F(LaunchTest, RlimitsOnlySaysWhatItLacks) {
  ForceModeForTesting(IsolationMode::kRlimitsOnly);
  const MachineSupport& support = Support();
  EXPECT_EQ(support.mode, IsolationMode::kRlimitsOnly);
  ASSERT_TRUE(support.seccomp);
  EXPECT_EQ(support.description,
            "no namespaces: rlimits and its own session in a private host directory; rlimits (CPU, address space, "
            "processes, file size, open files); memory: RLIMIT_AS only (no cgroup); seccomp deny list");
  EXPECT_EQ(support.downgrade,
            "namespaces refused: NO network, file system or PID isolation; only rlimits, seccomp and a process group "
            "(enable user namespaces: sysctl kernel.unprivileged_userns_clone=1)");
}

TEST_F(LaunchTest, RootNamespacesSaysTheProgramRunsAsNobody) {
  if (geteuid() != 0 || !LaunchUnitHasNamespaces()) GTEST_SKIP() << "needs root and namespaces";
  ForceModeForTesting(IsolationMode::kRootNamespaces);
  const MachineSupport& support = Support();
  EXPECT_EQ(support.mode, IsolationMode::kRootNamespaces);
  EXPECT_EQ(support.description,
            "PID, network, mount, IPC and UTS namespaces, program run as nobody; read-only system directories, "
            "private tmpfs /work and /tmp, no $HOME; rlimits (CPU, address space, processes, file size, open files); "
            "memory: RLIMIT_AS only (no cgroup); seccomp deny list");
  EXPECT_EQ(support.downgrade, "user namespaces refused: namespaces without one, the program runs as uid 65534");
}

TEST_F(LaunchTest, UserNamespaceIsFullStrength) {
  if (Support().mode != IsolationMode::kUserNamespace) GTEST_SKIP() << "no user namespaces here";
  ForceModeForTesting(IsolationMode::kRlimitsOnly);
  ForceModeForTesting(IsolationMode::kUserNamespace);  // and back up again
  EXPECT_EQ(Support().description,
            "user, PID, network, mount, IPC and UTS namespaces; read-only system directories, private tmpfs /work "
            "and /tmp, no $HOME; rlimits (CPU, address space, processes, file size, open files); memory: RLIMIT_AS "
            "only (no cgroup); seccomp deny list");
  EXPECT_EQ(Support().downgrade, "");
}

// ---- what Launch refuses ----

TEST_F(LaunchTest, RefusesAProgramWithoutAnAbsolutePath) {
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{{}, {""}, {"bin/true"}, {"true"}, {"./true"}, {" /bin/true"}}) {
    const RunRequest request = LaunchUnitRequest(argv);
    Launched launched;
    std::string error;
    EXPECT_FALSE(Launch(request, true, &launched, &error)) << (argv.empty() ? "(empty)" : argv[0]);
    EXPECT_EQ(error, "argv[0] must be an absolute path");
    EXPECT_EQ(launched.pid, -1);
    EXPECT_EQ(launched.stdout_fd, -1);
  }
}

TEST_F(LaunchTest, RefusesFilePathsThatLeaveTheWorkingDirectory) {
  const std::vector<std::string> unsafe = {"",      "/etc/passwd", "..",   ".",  "../x", "a/../../x", "a/..",
                                           "a/./b", "./a",         "a//b", "a/", "//a",  "a/b/",      "x/../y"};
  for (IsolationMode mode : {original_, IsolationMode::kRlimitsOnly}) {
    ForceModeForTesting(mode);
    for (const std::string& path : unsafe) {
      RunRequest request = LaunchUnitRequest({"/bin/true"});
      request.files = {{"ok.txt", "fine"}, {path, "escape"}};
      Launched launched;
      std::string error;
      EXPECT_FALSE(Launch(request, true, &launched, &error)) << path;
      EXPECT_EQ(error, "file path must be relative and stay inside the working directory: \"" + path + "\"");
      EXPECT_EQ(launched.pid, -1);
      EXPECT_EQ(launched.host_dir, "");
    }
  }
}

TEST_F(LaunchTest, AFileThatCannotBeWrittenIsAnErrorWithoutNamespaces) {
  // "a" and "a/b": one of them cannot be written. The namespace modes fail at the
  // files stage (child_main_test.cc); without them this used to go unnoticed.
  ForceModeForTesting(IsolationMode::kRlimitsOnly);
  RunRequest request = LaunchUnitRequest({"/bin/true"});
  request.files = {{"a", "file"}, {"a/b", "under the file"}};
  Launched launched;
  std::string error;
  EXPECT_FALSE(Launch(request, true, &launched, &error));
  EXPECT_EQ(error, "cannot write the file 'a/b' for the program (a directory of that name, or no space)");
  EXPECT_EQ(launched.host_dir, "");
}

TEST_F(LaunchTest, WritesOddButSafeFilePathsInEveryMode) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"..a", "1"},  {"a..", "2"},        {".hidden", "3"}, {"d/e/f/g.txt", "4"}, {"données/é 文.txt", "5"},
      {"empty", ""}, {"d/e/sibling", "6"}};
  for (IsolationMode mode : {original_, IsolationMode::kRlimitsOnly}) {
    ForceModeForTesting(mode);
    RunRequest request = LaunchUnitRequest({"/bin/cat"});
    request.files = files;
    for (const auto& [path, content] : files) request.argv.push_back(path);
    LaunchUnitRun run;
    std::string error;
    ASSERT_TRUE(LaunchUnitRunToEnd(request, "", &run, &error)) << error;
    EXPECT_EQ(run.stdout_data,
              "12345"
              "6")
        << run.stderr_data;
    EXPECT_EQ(run.stderr_data, "");
  }
}

// ---- a launch as the caller sees it ----

TEST_F(LaunchTest, HandsBackCloexecFdsAndReportsStartExitAndPeak) {
  const RunRequest request = LaunchUnitRequest({"/bin/cat"});
  Launched launched;
  std::string error;
  ASSERT_TRUE(Launch(request, true, &launched, &error)) << error;
  EXPECT_EQ(launched.mode, Support().mode);
  EXPECT_GT(launched.pid, 0);
  EXPECT_EQ(launched.host_dir.empty(), launched.mode != IsolationMode::kRlimitsOnly) << launched.host_dir;
  for (int fd : {launched.pidfd, launched.stdin_fd, launched.stdout_fd, launched.stderr_fd, launched.report_fd}) {
    ASSERT_GE(fd, 0);
    EXPECT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC) << fd;
  }
  const std::string input(
      "\xc3\xbc"
      "ber\0line\n",
      10);
  ASSERT_EQ(send(launched.stdin_fd, input.data(), input.size(), MSG_NOSIGNAL), static_cast<ssize_t>(input.size()));
  shutdown(launched.stdin_fd, SHUT_WR);
  EXPECT_EQ(LaunchUnitReadToEof(launched.stdout_fd), input);
  bool eof = false;
  const std::vector<Report> reports = LaunchUnitParseReports(LaunchUnitReadToEof(launched.report_fd, &eof));
  EXPECT_TRUE(eof);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].kind, kStarted);
  EXPECT_GT(reports[0].value, 0);
  if (launched.mode != IsolationMode::kRlimitsOnly) {
    EXPECT_EQ(reports[0].value, 2) << "the init's first child";
  }
  EXPECT_EQ(reports[1].kind, kExited);
  EXPECT_TRUE(WIFEXITED(reports[1].value) && WEXITSTATUS(reports[1].value) == 0) << reports[1].value;
  EXPECT_EQ(reports[2].kind, kPeakMemory);
  EXPECT_GT(reports[2].value, 0);
  int status = -1;
  struct rusage usage = {};
  WaitForInit(launched, &status, &usage);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_GT(usage.ru_maxrss, 0);
  Release(&launched);
}

TEST_F(LaunchTest, ExecFailureIsReportedAsTheExecStage) {
  for (const auto& [program, expected_errno] : std::vector<std::pair<std::string, int>>{
           {"/nonexistent/program", ENOENT}, {"/", EACCES}, {"/dev/null", EACCES}}) {
    LaunchUnitRun run;
    std::string error;
    ASSERT_TRUE(LaunchUnitRunToEnd(LaunchUnitRequest({program}), "", &run, &error)) << error;
    ASSERT_EQ(run.reports.size(), 1u) << program;
    EXPECT_EQ(run.reports[0].kind, kSetupError);
    EXPECT_EQ(run.reports[0].stage, kStageExec);
    EXPECT_EQ(run.reports[0].value, expected_errno) << program << ": " << std::strerror(run.reports[0].value);
    EXPECT_TRUE(WIFEXITED(run.init_status) && WEXITSTATUS(run.init_status) == 127) << run.init_status;
    EXPECT_EQ(run.stdout_data, "");
  }
}

TEST_F(LaunchTest, RlimitsOnlyWritesTheFilesIntoAPrivateHostDirectory) {
  ForceModeForTesting(IsolationMode::kRlimitsOnly);
  RunRequest request = LaunchUnitRequest({"/bin/sh", "-c", "read line; pwd"});
  request.files = {{"sub/dir/data.txt", "payload"}, {"top.py", ""}};
  Launched launched;
  std::string error;
  ASSERT_TRUE(Launch(request, true, &launched, &error)) << error;
  EXPECT_EQ(launched.mode, IsolationMode::kRlimitsOnly);
  const std::string dir = launched.host_dir;
  EXPECT_EQ(dir.rfind("/tmp/rmg-sandbox-", 0), 0u) << dir;
  std::ifstream data(dir + "/sub/dir/data.txt");
  std::stringstream content;
  content << data.rdbuf();
  EXPECT_EQ(content.str(), "payload");
  EXPECT_TRUE(std::filesystem::is_regular_file(dir + "/top.py"));
  if (geteuid() == 0) {
    // The program runs as nobody, who must be able to work in there.
    struct stat info;
    ASSERT_EQ(stat(dir.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 07777, 01777u);
  }
  send(launched.stdin_fd, "go\n", 3, MSG_NOSIGNAL);
  shutdown(launched.stdin_fd, SHUT_WR);
  EXPECT_EQ(LaunchUnitReadToEof(launched.stdout_fd), dir + "\n");
  WaitForInit(launched, nullptr, nullptr);
  Release(&launched);
  EXPECT_EQ(launched.host_dir, "");
  std::error_code ec;
  EXPECT_FALSE(std::filesystem::exists(dir, ec)) << dir;
}

TEST_F(LaunchTest, EnvironmentIsFixedAndNothingOfTheCallersLeaks) {
  ASSERT_EQ(setenv("RMG_LAUNCH_UNIT_SECRET", "leak", 1), 0);
  for (IsolationMode mode : {original_, IsolationMode::kRlimitsOnly}) {
    ForceModeForTesting(mode);
    LaunchUnitRun run;
    std::string error;
    ASSERT_TRUE(LaunchUnitRunToEnd(LaunchUnitRequest({"/usr/bin/env"}), "", &run, &error)) << error;
    // In kRlimitsOnly the directory is gone by now; its name is in the environment.
    std::string home = "/work", tmp = "/tmp";
    if (mode == IsolationMode::kRlimitsOnly) {
      const size_t at = run.stdout_data.find("HOME=");
      ASSERT_NE(at, std::string::npos) << run.stdout_data;
      home = run.stdout_data.substr(at + 5, run.stdout_data.find('\n', at) - at - 5);
      EXPECT_EQ(home.rfind("/tmp/rmg-sandbox-", 0), 0u) << home;
      tmp = home;
    }
    EXPECT_EQ(run.stdout_data, "PATH=/usr/local/bin:/usr/bin:/bin\nHOME=" + home + "\nTMPDIR=" + tmp +
                                   "\nLANG=C.UTF-8\nPYTHONDONTWRITEBYTECODE=1\nPYTHONNOUSERSITE=1\n");
  }
  unsetenv("RMG_LAUNCH_UNIT_SECRET");
}

// "Max cpu time" -> {soft, hard} from /proc/self/limits.
std::map<std::string, std::pair<std::string, std::string>> LaunchUnitParseLimits(const std::string& text) {
  std::map<std::string, std::pair<std::string, std::string>> limits;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("Max ", 0) != 0 || line.size() < 26) continue;
    std::string name = line.substr(0, 26);
    name.erase(name.find_last_not_of(' ') + 1);
    std::istringstream values(line.substr(26));
    std::string soft, hard;
    values >> soft >> hard;
    limits[name] = {soft, hard};
  }
  return limits;
}

TEST_F(LaunchTest, RlimitsFollowTheRequest) {
  struct Case {
    double cpu_seconds;
    std::string cpu_soft, cpu_hard;
    uint64_t memory_bytes;
  };
  struct rlimit caller_as;
  ASSERT_EQ(getrlimit(RLIMIT_AS, &caller_as), 0);
  const std::string inherited_as =
      caller_as.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(caller_as.rlim_cur);
  // The CPU limit is whole seconds, at least one, rounded up; the hard one a second later.
  for (const Case& c : {Case{0.2, "1", "2", 300ull << 20}, Case{2.5, "3", "4", 123456789}, Case{0, "1", "2", 0},
                        Case{7, "7", "8", 1ull << 30}}) {
    RunRequest request = LaunchUnitRequest({"/bin/cat", "/proc/self/limits"});
    request.limits.cpu_seconds = c.cpu_seconds;
    request.limits.memory_bytes = c.memory_bytes;
    request.limits.max_processes = 33;
    request.limits.max_file_bytes = 5000;
    request.limits.max_open_files = 17;
    LaunchUnitRun run;
    std::string error;
    ASSERT_TRUE(LaunchUnitRunToEnd(request, "", &run, &error)) << error;
    auto limits = LaunchUnitParseLimits(run.stdout_data);
    using Pair = std::pair<std::string, std::string>;
    EXPECT_EQ(limits["Max cpu time"], Pair(c.cpu_soft, c.cpu_hard)) << c.cpu_seconds;
    // memory_bytes 0: no address space limit of its own.
    const std::string as = c.memory_bytes == 0 ? inherited_as : std::to_string(c.memory_bytes);
    EXPECT_EQ(limits["Max address space"].first, as);
    EXPECT_EQ(limits["Max processes"], Pair("33", "33"));
    EXPECT_EQ(limits["Max file size"], Pair("5000", "5000"));
    EXPECT_EQ(limits["Max open files"], Pair("17", "17"));
    EXPECT_EQ(limits["Max core file size"], Pair("0", "0"));
    EXPECT_EQ(limits["Max msgqueue size"], Pair("0", "0"));
    EXPECT_EQ(limits["Max locked memory"], Pair("0", "0"));
  }
}

TEST_F(LaunchTest, RootTmpfsHasRoomForTheFilesAndFourLargestFiles) {
  if (!LaunchUnitHasNamespaces()) GTEST_SKIP() << "no namespaces: no tmpfs of its own";
  const long page = sysconf(_SC_PAGESIZE);
  struct Case {
    uint64_t max_file_bytes;
    uint64_t expected;
  };
  const std::string content(10000, 'z');
  for (const Case& c : {Case{1ull << 20, 16ull << 20},             // the 16 MiB floor
                        Case{16ull << 20, 10000 + (64ull << 20)},  // files + 4 * largest
                        Case{5ull << 20, 10000 + (20ull << 20)}}) {
    RunRequest request = LaunchUnitRequest({"/usr/bin/stat", "-f", "-c", "%S %b %c", "/work"});
    request.limits.max_file_bytes = c.max_file_bytes;
    request.files = {{"data.bin", content}};
    LaunchUnitRun run;
    std::string error;
    ASSERT_TRUE(LaunchUnitRunToEnd(request, "", &run, &error)) << error;
    std::istringstream fields(run.stdout_data);
    uint64_t block = 0, blocks = 0, inodes = 0;
    fields >> block >> blocks >> inodes;
    const uint64_t rounded = (c.expected + page - 1) / page * page;  // tmpfs counts whole pages
    EXPECT_EQ(block * blocks, rounded) << run.stdout_data << run.stderr_data;
    EXPECT_EQ(inodes, 8192u) << run.stdout_data;
  }
}

// ---- the end of a sandbox ----

TEST(LaunchEndTest, ReleaseClosesEveryFdAndDeletesTheHostDirectory) {
  Launched launched;
  int a[2], b[2], c[2];
  ASSERT_EQ(pipe(a), 0);
  ASSERT_EQ(pipe(b), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, c), 0);
  launched.pid = 12345;
  launched.stdin_fd = c[0];
  launched.stdout_fd = a[0];
  launched.stderr_fd = b[0];
  launched.report_fd = c[1];
  launched.pidfd = a[1];
  char dir_template[] = "/tmp/rmg-launch-unit-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  launched.host_dir = dir_template;
  std::filesystem::create_directories(launched.host_dir + "/x/y");
  std::ofstream(launched.host_dir + "/x/y/z.txt") << "zzz";
  Release(&launched);
  for (int fd : {a[0], a[1], b[0], c[0], c[1]}) EXPECT_FALSE(LaunchUnitFdIsOpen(fd)) << fd;
  EXPECT_TRUE(LaunchUnitFdIsOpen(b[1]));  // not the sandbox's
  close(b[1]);
  EXPECT_EQ(launched.pid, -1);
  EXPECT_EQ(launched.pidfd, -1);
  EXPECT_EQ(launched.stdin_fd, -1);
  EXPECT_EQ(launched.stdout_fd, -1);
  EXPECT_EQ(launched.stderr_fd, -1);
  EXPECT_EQ(launched.report_fd, -1);
  EXPECT_EQ(launched.host_dir, "");
  std::error_code ec;
  EXPECT_FALSE(std::filesystem::exists(dir_template, ec));
  // A second Release, and one of an empty Launched, have nothing left to do.
  Release(&launched);
  Launched empty;
  Release(&empty);
  EXPECT_EQ(empty.pid, -1);
}

TEST(LaunchEndTest, WaitForInitWithoutAnInitReturnsZeros) {
  Launched launched;
  int status = 99;
  struct rusage usage;
  std::memset(&usage, 0xff, sizeof usage);
  WaitForInit(launched, &status, &usage);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(usage.ru_utime.tv_sec, 0);
  EXPECT_EQ(usage.ru_maxrss, 0);
  WaitForInit(launched, nullptr, nullptr);
}

pid_t LaunchUnitForkPauser() {
  const pid_t pid = fork();
  if (pid == 0) {
    for (;;) pause();
  }
  return pid;
}

TEST(LaunchEndTest, KillSandboxSignalsThroughThePidfdWhenThereIsOne) {
  const pid_t by_pid = LaunchUnitForkPauser();
  const pid_t by_pidfd = LaunchUnitForkPauser();
  ASSERT_GT(by_pid, 0);
  ASSERT_GT(by_pidfd, 0);
  Launched launched;
  launched.pid = by_pid;
  launched.pidfd = static_cast<int>(syscall(SYS_pidfd_open, by_pidfd, 0));
  ASSERT_GE(launched.pidfd, 0);
  launched.mode = IsolationMode::kUserNamespace;
  KillSandbox(launched, -1);
  int status = 0;
  ASSERT_EQ(waitpid(by_pidfd, &status, 0), by_pidfd);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  // The pid was not signalled: the SIGTERM sent now is what ends it.
  kill(by_pid, SIGTERM);
  ASSERT_EQ(waitpid(by_pid, &status, 0), by_pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  close(launched.pidfd);
}

// A stand-in for the init: forks a child that pauses, waits for it, and exits 7.
pid_t LaunchUnitForkReaper() {
  const pid_t pid = fork();
  if (pid == 0) {
    const pid_t child = LaunchUnitForkPauser();
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    _exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 7 : 1);
  }
  return pid;
}

TEST(LaunchEndTest, KillInitsChildrenKillsTheChildAndLeavesTheInitToReapIt) {
  const pid_t init = LaunchUnitForkReaper();
  ASSERT_GT(init, 0);
  Launched launched;
  launched.pid = init;
  launched.mode = IsolationMode::kUserNamespace;
  // The child shows in /proc once forked: try until it is listed.
  bool killed = false;
  for (int i = 0; i < 200 && !killed; i++) {
    killed = KillInitsChildren(launched);
    if (!killed) usleep(5000);
  }
  EXPECT_TRUE(killed);
  int status = 0;
  ASSERT_EQ(waitpid(init, &status, 0), init);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7) << "the init was killed, or its child was not";
  // Without a PID namespace the children are not the sandbox's to list.
  launched.mode = IsolationMode::kRlimitsOnly;
  EXPECT_FALSE(KillInitsChildren(launched));
}

TEST(LaunchEndTest, KillSandboxFallsBackToThePidAndWaitForInitReapsIt) {
  const pid_t pid = LaunchUnitForkPauser();
  ASSERT_GT(pid, 0);
  Launched launched;
  launched.pid = pid;
  launched.mode = IsolationMode::kRootNamespaces;
  KillSandbox(launched, -1);
  int status = 0;
  WaitForInit(launched, &status, nullptr);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1) << "already reaped";
}

TEST(LaunchEndTest, KillSandboxNeverSignalsItsOwnGroup) {
  // In a child with a group of its own, so that a kill(0) or kill(-0) would end only it.
  const pid_t child = fork();
  if (child == 0) {
    setpgid(0, 0);
    Launched nothing;
    nothing.mode = IsolationMode::kRlimitsOnly;
    KillSandbox(nothing, 0);
    KillSandbox(nothing, -1);
    nothing.pid = 0;
    KillSandbox(nothing, 0);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(LaunchTest, KillSandboxInRlimitsOnlyKillsTheProgramsWholeGroup) {
  ForceModeForTesting(IsolationMode::kRlimitsOnly);
  // The background sleep has no parent-death signal: only the group kill ends it.
  const RunRequest request = LaunchUnitRequest({"/bin/sh", "-c", "/bin/sleep 60 & echo $!; wait"});
  Launched launched;
  std::string error;
  ASSERT_TRUE(Launch(request, true, &launched, &error)) << error;
  Report started;
  ASSERT_TRUE(LaunchUnitNextReport(launched.report_fd, &started));
  ASSERT_EQ(started.kind, kStarted);
  const pid_t sleeper = static_cast<pid_t>(std::atol(LaunchUnitReadLine(launched.stdout_fd).c_str()));
  ASSERT_GT(sleeper, 0);
  const int sleeper_fd = static_cast<int>(syscall(SYS_pidfd_open, sleeper, 0));
  ASSERT_GE(sleeper_fd, 0) << std::strerror(errno);
  KillSandbox(launched, started.value);
  pollfd p = {sleeper_fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, kLaunchUnitWaitMs), 1) << "the program's background child survived";
  close(sleeper_fd);
  int status = 0;
  WaitForInit(launched, &status, nullptr);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  Release(&launched);
}

TEST_F(LaunchTest, KillSandboxWithNamespacesEndsEverythingInside) {
  if (!LaunchUnitHasNamespaces()) GTEST_SKIP() << "no namespaces here";
  const std::string marker = LaunchUnitMarker();
  // A grandchild in a session of its own: only the PID namespace takes it down.
  const RunRequest request = LaunchUnitRequest(
      {"/bin/sh", "-c", "setsid /bin/sh -c 'sleep 60; :' \"$0\" & echo started; sleep 60; :", marker});
  Launched launched;
  std::string error;
  ASSERT_TRUE(Launch(request, true, &launched, &error)) << error;
  ASSERT_EQ(LaunchUnitReadLine(launched.stdout_fd), "started");
  EXPECT_GE(sandbox_testing::CountProcesses(marker), 1);
  KillSandbox(launched, -1);
  int status = 0;
  WaitForInit(launched, &status, nullptr);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_EQ(sandbox_testing::CountProcesses(marker), 0);
  Release(&launched);
}

// Launches `/bin/cat` from a thread that ends once the program runs; returns the
// thread's tid, gone by the time this returns.
pid_t LaunchUnitLaunchFromThread(bool die_with_caller, Launched* launched, std::string* error, bool* ok) {
  std::atomic<pid_t> tid{0};
  std::thread thread([&] {
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    *ok = Launch(LaunchUnitRequest({"/bin/cat"}), die_with_caller, launched, error);
    Report started;
    // Past the report, the init has armed (or not) its parent-death signal.
    if (*ok && !(LaunchUnitNextReport(launched->report_fd, &started) && started.kind == kStarted)) {
      *error = "no kStarted report";
      *ok = false;
    }
  });
  thread.join();
  // join() returns before the kernel is done with the thread; its /proc entry goes last.
  const std::string task = "/proc/self/task/" + std::to_string(tid.load());
  for (int i = 0; i < 1000 && access(task.c_str(), F_OK) == 0; ++i) poll(nullptr, 0, 10);
  return tid;
}

TEST_F(LaunchTest, DiesWithTheCallingThreadWhenAsked) {
  Launched launched;
  std::string error;
  bool ok = false;
  LaunchUnitLaunchFromThread(true, &launched, &error, &ok);
  ASSERT_TRUE(ok) << error;
  pollfd p = {launched.pidfd, POLLIN, 0};
  const bool died = poll(&p, 1, kLaunchUnitWaitMs) == 1;
  EXPECT_TRUE(died) << "the init outlived the thread that launched it";
  if (!died) KillSandbox(launched, -1);
  int status = 0;
  WaitForInit(launched, &status, nullptr);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  Release(&launched);
}

// The contract without the courtesy above: the thread returns from Launch and ends at
// once, as a caller killed right after starting a sandbox would. The init must not
// outlive it (in a PID namespace it would keep the program running with no deadline).
TEST_F(LaunchTest, DiesWithACallingThreadThatEndsRightAfterLaunch) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    Launched launched;
    std::string error;
    bool ok = false;
    std::atomic<pid_t> tid{0};
    std::thread thread([&] {
      tid = static_cast<pid_t>(syscall(SYS_gettid));
      ok = Launch(LaunchUnitRequest({"/bin/cat"}), /*die_with_caller=*/true, &launched, &error);
    });
    thread.join();
    ASSERT_TRUE(ok) << error;
    const std::string task = "/proc/self/task/" + std::to_string(tid.load());
    for (int i = 0; i < 1000 && access(task.c_str(), F_OK) == 0; ++i) poll(nullptr, 0, 10);
    pollfd p = {launched.pidfd, POLLIN, 0};
    const bool died = poll(&p, 1, kLaunchUnitWaitMs) == 1;
    if (!died) KillSandbox(launched, -1);
    WaitForInit(launched, nullptr, nullptr);
    Release(&launched);
    ASSERT_TRUE(died) << "attempt " << attempt << ": the init outlived the thread that launched it";
  }
}

TEST_F(LaunchTest, OutlivesTheCallingThreadOtherwise) {
  Launched launched;
  std::string error;
  bool ok = false;
  LaunchUnitLaunchFromThread(false, &launched, &error, &ok);
  ASSERT_TRUE(ok) << error;
  pollfd p = {launched.pidfd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 0) << "the init died with the launching thread";
  ASSERT_EQ(send(launched.stdin_fd, "ping\n", 5, MSG_NOSIGNAL), 5);
  EXPECT_EQ(LaunchUnitReadLine(launched.stdout_fd), "ping");
  shutdown(launched.stdin_fd, SHUT_WR);
  int status = -1;
  WaitForInit(launched, &status, nullptr);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  Release(&launched);
}

}  // namespace
}  // namespace rmg::sandbox_internal
