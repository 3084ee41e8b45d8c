// The sandbox against ordinary and hostile Python programs. Each hostile program
// carries a unique marker in its command line, so that "nothing is left running" is
// a scan of /proc, and every file it tries to create outside has a unique name.
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "rmg/sandbox.h"
#include "sandbox/sandbox_internal.h"
#include "sandbox/sandbox_testing.h"

namespace rmg {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlack = 2.5;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr double kSlack = 2.5;
#else
constexpr double kSlack = 0.5;
#endif
#else
constexpr double kSlack = 0.5;
#endif

constexpr const char* kPython = "/usr/bin/python3";

std::string NewMarker() {
  static std::atomic<int> counter{0};
  return "rmg_sandbox_marker_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

SandboxLimits SmallLimits() {
  SandboxLimits limits;
  limits.wall_seconds = 2;
  limits.cpu_seconds = 10;
  limits.memory_bytes = 256ull << 20;
  return limits;
}

// Runs `code` as main.py with `marker` as its argument (visible in /proc/*/cmdline).
RunResult RunPython(const std::string& code, const std::string& marker, const SandboxLimits& limits = SmallLimits(),
                    const std::string& stdin_data = "") {
  RunRequest request;
  request.argv = {kPython, "main.py", marker};
  request.files = {{"main.py", code}};
  request.stdin_data = stdin_data;
  request.limits = limits;
  return RunSandboxed(request);
}

using sandbox_testing::CountProcesses;

std::string Home() {
  const char* home = std::getenv("HOME");
  return home != nullptr && home[0] != '\0' ? home : "/root";
}

// The acceptance bound on every run: back within the wall limit plus half a second.
void ExpectWithinDeadline(const RunResult& result, const SandboxLimits& limits) {
  EXPECT_LE(result.wall_seconds, limits.wall_seconds + kSlack) << "the run overran its deadline";
}

void ExpectNothingLeft(const std::string& marker) { EXPECT_EQ(CountProcesses(marker), 0) << marker; }

// The isolation tests need the namespaces: on a machine that refuses them the sandbox
// falls back to rlimits + seccomp (and says so), and these tests would only show that
// the fallback is weaker, which DescribeSandbox already states.
#define RMG_REQUIRE_NAMESPACES()                                                           \
  if (sandbox_internal::Support().mode == sandbox_internal::IsolationMode::kRlimitsOnly) { \
    GTEST_SKIP() << "no namespaces on this machine: " << DescribeSandbox();                \
  }

std::string Describe(const RunResult& r) {
  return std::string("status=") + RunStatusName(r.status) + " exit=" + std::to_string(r.exit_code) +
         " signal=" + std::to_string(r.signal) + " message=" + r.message + "\nstdout=" + r.stdout_data.substr(0, 500) +
         "\nstderr=" + r.stderr_data.substr(0, 2000);
}

// ---- the ordinary path ----

TEST(SandboxTest, EchoesStdinToStdout) {
  const std::string marker = NewMarker();
  const RunResult r = RunPython("import sys\nsys.stdout.write(sys.stdin.read().upper())\n", marker, SmallLimits(),
                                "hello sandbox\n");
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_data, "HELLO SANDBOX\n");
  EXPECT_FALSE(r.truncated);
  ExpectNothingLeft(marker);
}

TEST(SandboxTest, LargeStdinAndStdoutBothWays) {
  const std::string input(3 << 20, 'a');  // more than any pipe buffer, both ways
  const RunResult r = RunPython("import sys\nsys.stdout.write(sys.stdin.read())\n", NewMarker(), [] {
    SandboxLimits limits = SmallLimits();
    limits.max_output_bytes = 4 << 20;
    limits.wall_seconds = 10;
    return limits;
  }(), input);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_EQ(r.stdout_data.size(), input.size());
}

TEST(SandboxTest, ExitCodeAndStderr) {
  const RunResult r = RunPython("import sys\nprint('oops', file=sys.stderr)\nsys.exit(3)\n", NewMarker());
  EXPECT_EQ(r.status, RunStatus::kRuntimeError) << Describe(r);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.stderr_data, "oops\n");
}

TEST(SandboxTest, ExceptionIsRuntimeError) {
  const RunResult r = RunPython("raise ValueError('bad')\n", NewMarker());
  EXPECT_EQ(r.status, RunStatus::kRuntimeError) << Describe(r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_data.find("ValueError: bad"), std::string::npos);
}

TEST(SandboxTest, SignalIsReported) {
  const RunResult r = RunPython("import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n", NewMarker());
  EXPECT_EQ(r.status, RunStatus::kRuntimeError) << Describe(r);
  EXPECT_EQ(r.signal, SIGTERM);
}

TEST(SandboxTest, OutputPastTheCapIsTruncated) {
  SandboxLimits limits = SmallLimits();
  limits.max_output_bytes = 1000;
  const RunResult r = RunPython("print('x' * 5000)\n", NewMarker(), limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << Describe(r);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.stdout_data, std::string(1000, 'x'));
}

TEST(SandboxTest, FilesAreWrittenIntoTheWorkingDirectory) {
  RunRequest request;
  request.argv = {kPython, "main.py"};
  request.files = {{"main.py", "import os\nprint(open('data/in.txt').read(), os.getcwd())\n"},
                   {"data/in.txt", "42"}};
  request.limits = SmallLimits();
  const RunResult r = RunSandboxed(request);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_EQ(r.stdout_data, "42 /work\n");
}

TEST(SandboxTest, RejectsFilePathsOutsideTheWorkingDirectory) {
  RunRequest request;
  request.argv = {kPython, "main.py"};
  request.files = {{"../escape.py", "print(1)"}};
  EXPECT_EQ(RunSandboxed(request).status, RunStatus::kSandboxError);
  request.files = {{"/etc/x", "print(1)"}};
  EXPECT_EQ(RunSandboxed(request).status, RunStatus::kSandboxError);
}

TEST(SandboxTest, MissingProgramIsSandboxError) {
  RunRequest request;
  request.argv = {"/nonexistent/interpreter"};
  const RunResult r = RunSandboxed(request);
  EXPECT_EQ(r.status, RunStatus::kSandboxError);
  EXPECT_NE(r.message.find("No such file"), std::string::npos) << r.message;
  request.argv = {"relative/path"};
  EXPECT_EQ(RunSandboxed(request).status, RunStatus::kSandboxError);
}

TEST(SandboxTest, CpuTimeOfABusyLoop) {
  const RunResult r = RunPython("import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n",
                                NewMarker());
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_GT(r.cpu_seconds, 0.2);
}

TEST(SandboxTest, PeakMemoryGrowsWithAllocation) {
  const RunResult small = RunPython("print(1)\n", NewMarker());
  const RunResult big = RunPython("b = b'x' * (150 << 20)\nprint(len(b))\n", NewMarker());
  EXPECT_EQ(big.status, RunStatus::kOk) << Describe(big);
  // At least the 150 MiB it held. (Not "small + 150 MiB": without a cgroup the figure
  // is ru_maxrss, which starts from the caller's resident size, see sandbox.h.)
  EXPECT_GT(big.peak_memory_kb, 150u << 10);
  EXPECT_GT(big.peak_memory_kb, small.peak_memory_kb);
  EXPECT_GT(small.peak_memory_kb, 1000u);
}

TEST(SandboxTest, CpuLimitIsTimeLimit) {
  SandboxLimits limits = SmallLimits();
  limits.cpu_seconds = 1;
  limits.wall_seconds = 6;
  const std::string marker = NewMarker();
  const RunResult r = RunPython("while True: pass\n", marker, limits);
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << Describe(r);
  EXPECT_EQ(r.signal, SIGXCPU);
  EXPECT_LT(r.wall_seconds, 4.0);
  ExpectNothingLeft(marker);
}

TEST(SandboxTest, FileSizeLimitIsOutputLimit) {
  SandboxLimits limits = SmallLimits();
  limits.max_file_bytes = 1 << 20;
  const RunResult r = RunPython("open('/tmp/big', 'wb').write(b'x' * (2 << 20))\n", NewMarker(), limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << Describe(r);
}

TEST(SandboxTest, SeesNoNetworkAndIsRootOnlyInside) {
  RMG_REQUIRE_NAMESPACES();
  const RunResult r = RunPython(
      "import os, socket\n"
      "print(os.getpid(), os.getuid(), sorted(os.listdir('/')))\n"
      "try:\n    socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nexcept OSError as e:\n    print('refused', e.errno)\n"
      "a, b = socket.socketpair()\na.send(b'hi')\nprint(b.recv(2))\n",
      NewMarker());
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_NE(r.stdout_data.find("refused 1"), std::string::npos) << r.stdout_data;
  EXPECT_NE(r.stdout_data.find("b'hi'"), std::string::npos) << r.stdout_data;
  EXPECT_EQ(r.stdout_data.find("'root'"), std::string::npos) << r.stdout_data;
  EXPECT_EQ(r.stdout_data.find("'home'"), std::string::npos) << r.stdout_data;
}

TEST(SandboxTest, DescribeSandboxSaysWhatItHas) {
  const std::string description = DescribeSandbox();
  EXPECT_NE(description.find("rlimits"), std::string::npos) << description;
}

// ---- hostile programs ----

TEST(SandboxHostileTest, ForkBomb) {
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
                                marker, limits);
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << Describe(r);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, AllocatesFourGigabytes) {
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("b = bytearray(4 << 30)\nprint('allocated')\n", marker, limits);
  EXPECT_EQ(r.status, RunStatus::kMemoryLimit) << Describe(r);
  EXPECT_EQ(r.stdout_data, "");
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, AllocatesInSmallPieces) {
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("xs = []\nwhile True:\n    xs.append(bytearray(1 << 20))\n", marker, limits);
  EXPECT_EQ(r.status, RunStatus::kMemoryLimit) << Describe(r);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, InfiniteLoop) {
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("while True:\n    pass\n", marker, limits);
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << Describe(r);
  EXPECT_GE(r.wall_seconds, limits.wall_seconds);
  EXPECT_EQ(r.signal, 0);  // the deadline's kill is not the program's signal
  // The program's CPU time is counted (it was lost when the init was killed before
  // reaping it). Without a PID namespace the init is killed first, as before.
  if (sandbox_internal::Support().mode != sandbox_internal::IsolationMode::kRlimitsOnly) {
    EXPECT_GT(r.cpu_seconds, 0.25 * limits.wall_seconds) << Describe(r);
  }
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, SleepsForever) {
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("import time\ntime.sleep(3600)\n", marker, limits);
  EXPECT_EQ(r.status, RunStatus::kTimeLimit) << Describe(r);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, GigabyteOfOutput) {
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r =
      RunPython("import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n", marker, limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << Describe(r);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.stdout_data.size(), limits.max_output_bytes);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, ConnectsToALoopbackListenerOutside) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);

  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("import socket\ns = socket.create_connection(('127.0.0.1', " + std::to_string(port) +
                                    "), timeout=1)\ns.sendall(b'leak')\nprint('connected')\n",
                                marker, limits);
  EXPECT_EQ(r.status, RunStatus::kRuntimeError) << Describe(r);
  EXPECT_EQ(r.stdout_data, "");
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
  // Nothing ever reached the listener.
  pollfd fd = {listener, POLLIN, 0};
  EXPECT_EQ(poll(&fd, 1, 100), 0);
  EXPECT_LT(accept(listener, nullptr, nullptr), 0);
  close(listener);
}

TEST(SandboxHostileTest, WritesOutsideItsDirectory) {
  RMG_REQUIRE_NAMESPACES();
  const std::string marker = NewMarker();
  const std::string in_repo = std::string(RMG_SOURCE_DIR) + "/" + marker + "_repo";
  const std::string in_tmp = "/tmp/" + marker + "_tmp";
  const std::string in_home = Home() + "/" + marker + "_home";
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("import sys\nfor path in " + std::string("['") + in_repo + "', '" + in_tmp + "', '" +
                                    in_home +
                                    "']:\n    try:\n        open(path, 'w').write('owned')\n        print('wrote', path)\n"
                                    "    except OSError as e:\n        print('refused', path, e.errno)\n",
                                marker, limits);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
  EXPECT_FALSE(std::filesystem::exists(in_repo));
  EXPECT_FALSE(std::filesystem::exists(in_tmp));
  EXPECT_FALSE(std::filesystem::exists(in_home));
  // The repository and $HOME do not exist in there; /tmp is the sandbox's own.
  EXPECT_NE(r.stdout_data.find("refused " + in_repo), std::string::npos) << r.stdout_data;
  EXPECT_NE(r.stdout_data.find("refused " + in_home), std::string::npos) << r.stdout_data;
}

TEST(SandboxHostileTest, ReadsFilesUnderHomeAndTheRepository) {
  RMG_REQUIRE_NAMESPACES();
  const std::string marker = NewMarker();
  const std::string secret = "secret_" + marker;
  const std::string in_repo = std::string(RMG_SOURCE_DIR) + "/" + marker + "_secret";
  const std::string in_home = Home() + "/" + marker + "_secret";
  std::ofstream(in_repo) << secret;
  std::ofstream(in_home) << secret;
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython(
      "import os\nfor path in ['" + in_repo + "', '" + in_home + "', '" + std::string(RMG_SOURCE_DIR) +
          "/CMakeLists.txt']:\n    try:\n        print(open(path).read())\n    except OSError as e:\n"
          "        print('refused', e.errno)\n"
          "for d in ['" + Home() + "', '" + std::string(RMG_SOURCE_DIR) + "']:\n    print(os.path.exists(d))\n",
      marker, limits);
  std::filesystem::remove(in_repo);
  std::filesystem::remove(in_home);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_EQ(r.stdout_data.find(secret), std::string::npos) << r.stdout_data;
  EXPECT_EQ(r.stdout_data.find("project("), std::string::npos) << r.stdout_data;
  EXPECT_EQ(r.stdout_data.find("True"), std::string::npos) << r.stdout_data;
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

// The init is a copy of the caller, whose command line (a trainer's, say) may hold keys.
TEST(SandboxHostileTest, ReadsTheCallersCommandLine) {
  RMG_REQUIRE_NAMESPACES();
  const std::string marker = NewMarker();
  const RunResult r = RunPython(
      "import os\nfor pid in os.listdir('/proc'):\n    if pid.isdigit():\n"
      "        try:\n            print(pid, open('/proc/%s/cmdline' % pid, 'rb').read())\n"
      "        except OSError as e:\n            print(pid, 'refused', e.errno)\n",
      marker);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_NE(r.stdout_data.find("main.py"), std::string::npos) << r.stdout_data;  // its own is there
  EXPECT_EQ(r.stdout_data.find("rmg_tests"), std::string::npos) << r.stdout_data;
  EXPECT_EQ(r.stdout_data.find("--gtest"), std::string::npos) << r.stdout_data;
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, KillsItsParentAndPidOne) {
  RMG_REQUIRE_NAMESPACES();
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython(
      "import os, signal\nfor pid in (os.getppid(), 1):\n    for sig in (signal.SIGTERM, signal.SIGKILL):\n"
      "        try:\n            os.kill(pid, sig)\n        except OSError as e:\n            print('refused', e.errno)\n"
      "print('still here')\n",
      marker, limits);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_NE(r.stdout_data.find("still here"), std::string::npos);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, DaemonizesAndSleeps) {
  RMG_REQUIRE_NAMESPACES();
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython(
      "import os, sys, time\n"
      "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(60)\n    os._exit(0)\n"
      "print('parent done')\n",
      marker, limits);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  EXPECT_EQ(r.stdout_data, "parent done\n");
  // The program ended at once: its daemon did not keep the run going either.
  EXPECT_LT(r.wall_seconds, limits.wall_seconds);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, DeepRecursion) {
  const std::string marker = NewMarker();
  // Python 3.11 keeps Python frames on the heap: the recursion ends when the memory
  // limit is reached, which at 256 MB took 2-6 s (a time limit on a loaded machine);
  // 96 MB is reached in a fraction of that.
  SandboxLimits limits = SmallLimits();
  limits.memory_bytes = 96ull << 20;
  limits.wall_seconds = 6;
  const RunResult r = RunPython("import sys\nsys.setrecursionlimit(10**8)\ndef f(n):\n    return f(n + 1) + 1\nf(0)\n",
                                marker, limits);
  EXPECT_TRUE(r.status == RunStatus::kRuntimeError || r.status == RunStatus::kMemoryLimit) << Describe(r);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, ClosesStdoutAndWritesStderrForever) {
  const std::string marker = NewMarker();
  const SandboxLimits limits = SmallLimits();
  const RunResult r = RunPython("import os, sys\nos.close(1)\nwhile True:\n    sys.stderr.write('x' * 4096)\n", marker,
                                limits);
  EXPECT_EQ(r.status, RunStatus::kOutputLimit) << Describe(r);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.stderr_data.size(), limits.max_output_bytes);
  ExpectWithinDeadline(r, limits);
  ExpectNothingLeft(marker);
}

TEST(SandboxHostileTest, TriesToEscapeThroughTheKernel) {
  const std::string marker = NewMarker();
  const RunResult r = RunPython(
      "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
      "for name, args in [('ptrace', (16, 1, 0, 0)), ('unshare', (0x10000000,)), ('mount', (b'none', b'/tmp', b'tmpfs', 0, None)),\n"
      "                   ('chroot', (b'/tmp',)), ('setns', (0, 0))]:\n"
      "    rc = getattr(libc, name)(*args)\n    print(name, rc, ctypes.get_errno())\n",
      marker);
  EXPECT_EQ(r.status, RunStatus::kOk) << Describe(r);
  for (const char* name : {"ptrace", "unshare", "mount", "chroot", "setns"}) {
    EXPECT_NE(r.stdout_data.find(std::string(name) + " -1 1\n"), std::string::npos) << name << "\n" << r.stdout_data;
  }
  ExpectNothingLeft(marker);
}

// ---- many at once ----

TEST(SandboxTest, ConcurrentRunsFromSeveralThreads) {
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &good] {
      for (int i = 0; i < 2; ++i) {
        const std::string input = "run " + std::to_string(t) + "." + std::to_string(i);
        SandboxLimits limits = SmallLimits();
        limits.wall_seconds = 20;
        const RunResult r = RunPython("import sys\nprint(sys.stdin.read()[::-1])\n", NewMarker(), limits, input);
        if (r.status == RunStatus::kOk && r.stdout_data == std::string(input.rbegin(), input.rend()) + "\n") ++good;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 8);
}

// ---- a program left running ----

std::string ReadLine(int fd) {
  std::string line;
  char c;
  while (true) {
    pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0 || read(fd, &c, 1) != 1) break;
    if (c == '\n') break;
    line += c;
  }
  return line;
}

TEST(SandboxedProcessTest, TalksThroughPipesAndDiesOnKill) {
  const std::string marker = NewMarker();
  RunRequest request;
  request.argv = {kPython, "-u", "main.py", marker};
  request.files = {{"main.py", "import sys\nfor line in sys.stdin:\n    print(line.strip()[::-1])\n"}};
  request.limits = SmallLimits();
  std::string error;
  std::unique_ptr<SandboxedProcess> process = SandboxedProcess::Start(request, &error);
  ASSERT_NE(process, nullptr) << error;
  EXPECT_TRUE(process->Alive());
  for (const std::string word : {"hello", "sandbox"}) {
    const std::string line = word + "\n";
    ASSERT_EQ(send(process->stdin_fd(), line.data(), line.size(), MSG_NOSIGNAL), static_cast<ssize_t>(line.size()));
    EXPECT_EQ(ReadLine(process->stdout_fd()), std::string(word.rbegin(), word.rend()));
  }
  EXPECT_GT(CountProcesses(marker), 0);
  process->Kill();
  EXPECT_FALSE(process->Alive());
  ExpectNothingLeft(marker);
}

TEST(SandboxedProcessTest, DestructorKillsAndStartReportsErrors) {
  const std::string marker = NewMarker();
  RunRequest request;
  request.argv = {kPython, "-c", "import time; time.sleep(60)", marker};
  request.limits = SmallLimits();
  std::string error;
  {
    std::unique_ptr<SandboxedProcess> process = SandboxedProcess::Start(request, &error);
    ASSERT_NE(process, nullptr) << error;
    EXPECT_EQ(CountProcesses(marker), 1);
  }
  ExpectNothingLeft(marker);
  request.argv = {"/nonexistent/program"};
  EXPECT_EQ(SandboxedProcess::Start(request, &error), nullptr);
  EXPECT_NE(error.find("No such file"), std::string::npos) << error;
}

TEST(SandboxedProcessTest, NoticesTheProgramEnding) {
  RunRequest request;
  request.argv = {kPython, "-c", "print('bye')"};
  request.limits = SmallLimits();
  std::string error;
  std::unique_ptr<SandboxedProcess> process = SandboxedProcess::Start(request, &error);
  ASSERT_NE(process, nullptr) << error;
  EXPECT_EQ(ReadLine(process->stdout_fd()), "bye");
  for (int i = 0; i < 200 && process->Alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(process->Alive());
}

}  // namespace
}  // namespace rmg
