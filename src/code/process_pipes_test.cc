// The pipe helpers against real pipes and real /usr/bin/python3 children started by
// the test-only plain starter (code/testing_runner.h): deadlines, writes to full,
// non-blocking and orphaned pipes, reads that stop at a line, a byte count, EOF or
// the deadline while stderr is drained, and the ready handshake.
#include "code/process_pipes.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <thread>

#include "code/testing_runner.h"

namespace rmg::code {
namespace {

constexpr const char* kPipesPython = "/usr/bin/python3";

// A child running `script` under python3, stdio on pipes.
std::unique_ptr<SandboxedProcess> PipesStartPython(const std::string& script) {
  RunRequest request;
  request.argv = {kPipesPython, "-c", script};
  std::string error;
  std::unique_ptr<SandboxedProcess> process = testing::PlainProcess::Start(request, &error);
  EXPECT_NE(process, nullptr) << error;
  return process;
}

// Waits for the "up" line a child writes once it runs: PlainProcess puts the child
// in its own process group from inside the child, and a Kill() before that misses
// the group and waits for the child's exit.
void PipesAwaitUp(SandboxedProcess& process) {
  std::string line, stderr_tail;
  ASSERT_EQ(ReadUntil(process, line, kReadLine, DeadlineIn(20), stderr_tail), ReadOutcome::kOk) << stderr_tail;
  ASSERT_EQ(line, "up\n");
}

constexpr const char* kPipesUpThenSleep = "import os, time\nos.write(1, b'up\\n')\ntime.sleep(60)";

// `count` bytes that are not all alike, NULs included, so a lost or reordered
// chunk shows.
std::string PipesPattern(size_t count) {
  std::string data(count, '\0');
  for (size_t i = 0; i < count; ++i) data[i] = static_cast<char>((i * 7 + i / 251) % 256);
  return data;
}

// Reads `fd` to EOF.
std::string PipesDrain(int fd) {
  std::string data;
  char chunk[4096];
  while (true) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return data;
    data.append(chunk, static_cast<size_t>(n));
  }
}

// A process whose stderr the owner does not see (stderr_fd() is -1).
class PipesNoStderrProcess final : public SandboxedProcess {
 public:
  explicit PipesNoStderrProcess(std::unique_ptr<SandboxedProcess> inner) : inner_(std::move(inner)) {}
  int stdin_fd() const override { return inner_->stdin_fd(); }
  int stdout_fd() const override { return inner_->stdout_fd(); }
  int stderr_fd() const override { return -1; }
  bool Alive() override { return inner_->Alive(); }
  void Kill() override { inner_->Kill(); }

 private:
  std::unique_ptr<SandboxedProcess> inner_;
};

// ---- DeadlineIn ----

TEST(ProcessPipesTest, DeadlineInIsThatManySecondsFromNow) {
  const auto before = PipeClock::now();
  const auto deadline = DeadlineIn(0.25);
  const auto after = PipeClock::now();
  EXPECT_GE(deadline - before, std::chrono::milliseconds(250));
  EXPECT_LE(deadline - after, std::chrono::milliseconds(250));
}

TEST(ProcessPipesTest, DeadlineInIsNeverInThePast) {
  for (double seconds : {0.0, -1.0, -1e300, -std::numeric_limits<double>::infinity()}) {
    const auto before = PipeClock::now();
    const auto deadline = DeadlineIn(seconds);
    const auto after = PipeClock::now();
    EXPECT_GE(deadline, before) << seconds;
    EXPECT_LE(deadline, after) << seconds;
  }
}

// "Forever" (a huge or infinite timeout) must not overflow the clock into the past.
TEST(ProcessPipesTest, DeadlineInIsCappedAtOneHundredMillionSeconds) {
  for (double seconds : {1e8, 1e9, 1e300, std::numeric_limits<double>::infinity()}) {
    const auto before = PipeClock::now();
    const auto deadline = DeadlineIn(seconds);
    const auto after = PipeClock::now();
    EXPECT_GE(deadline - before, std::chrono::seconds(100000000)) << seconds;
    EXPECT_LE(deadline - after, std::chrono::seconds(100000000)) << seconds;
  }
}

// A NaN timeout (0.0 / 0.0 from a caller's arithmetic) is no reason for a deadline
// far in the past, which would fail every read at once.
TEST(ProcessPipesTest, DeadlineInOfNaNIsNotInThePast) {
  const auto before = PipeClock::now();
  const auto deadline = DeadlineIn(std::numeric_limits<double>::quiet_NaN());
  EXPECT_GE(deadline, before);
}

// ---- WriteAll ----

TEST(ProcessPipesTest, WriteAllDeliversMoreThanAPipeHolds) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string data = PipesPattern((1 << 20) + 13);
  std::string received;
  std::thread reader([&] { received = PipesDrain(fds[0]); });
  EXPECT_TRUE(WriteAll(fds[1], data));
  close(fds[1]);
  reader.join();
  close(fds[0]);
  EXPECT_EQ(received.size(), data.size());
  EXPECT_TRUE(received == data);
}

// A non-blocking write end fills up and reports EAGAIN; WriteAll waits and goes on.
TEST(ProcessPipesTest, WriteAllWaitsOnAFullNonBlockingPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK), 0);
  const std::string data = PipesPattern(3 << 19);
  std::string received;
  std::thread reader([&] { received = PipesDrain(fds[0]); });
  EXPECT_TRUE(WriteAll(fds[1], data));
  close(fds[1]);
  reader.join();
  close(fds[0]);
  EXPECT_EQ(received.size(), data.size());
  EXPECT_TRUE(received == data);
}

TEST(ProcessPipesTest, WriteAllOfNothingWritesNothing) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_TRUE(WriteAll(fds[1], ""));
  close(fds[1]);
  EXPECT_EQ(PipesDrain(fds[0]), "");
  close(fds[0]);
}

TEST(ProcessPipesTest, WriteAllFailsWhenTheReaderIsGone) {
  IgnoreSigpipeOnce();  // else the write below would end this test binary
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  EXPECT_FALSE(WriteAll(fds[1], "nobody reads this"));
  close(fds[1]);
}

TEST(ProcessPipesTest, WriteAllFailsOnABadDescriptor) { EXPECT_FALSE(WriteAll(-1, "x")); }

// The owner's real case: the process died, its stdin with it.
TEST(ProcessPipesTest, WriteAllFailsOnTheStdinOfAKilledProcess) {
  IgnoreSigpipeOnce();
  auto process = PipesStartPython(kPipesUpThenSleep);
  ASSERT_NE(process, nullptr);
  PipesAwaitUp(*process);
  EXPECT_TRUE(WriteAll(process->stdin_fd(), "while alive\n"));
  process->Kill();
  EXPECT_FALSE(process->Alive());
  EXPECT_FALSE(WriteAll(process->stdin_fd(), "after death\n"));
}

// ---- ReadUntil ----

TEST(ProcessPipesTest, ReadUntilStopsAtALineAndKeepsWhatFollows) {
  // One write of less than PIPE_BUF arrives whole.
  auto process = PipesStartPython("import os, time\nos.write(1, b'first\\nsecond\\nthi')\ntime.sleep(60)");
  ASSERT_NE(process, nullptr);
  std::string buffer, stderr_tail;
  EXPECT_EQ(ReadUntil(*process, buffer, kReadLine, DeadlineIn(20), stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(buffer, "first\nsecond\nthi");
  EXPECT_EQ(stderr_tail, "");
}

TEST(ProcessPipesTest, ReadUntilAppendsToWhatTheBufferHeld) {
  auto process = PipesStartPython("import os, time\nos.write(1, b'tail\\n')\ntime.sleep(60)");
  ASSERT_NE(process, nullptr);
  std::string buffer = "head ", stderr_tail;
  EXPECT_EQ(ReadUntil(*process, buffer, kReadLine, DeadlineIn(20), stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(buffer, "head tail\n");
}

// What is already buffered answers without waiting, even past the deadline.
TEST(ProcessPipesTest, ReadUntilIsSatisfiedByTheBufferAlone) {
  auto process = PipesStartPython(kPipesUpThenSleep);
  ASSERT_NE(process, nullptr);
  PipesAwaitUp(*process);
  const auto past = PipeClock::now() - std::chrono::seconds(1);
  std::string buffer = "line\nmore", stderr_tail;
  EXPECT_EQ(ReadUntil(*process, buffer, kReadLine, past, stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(buffer, "line\nmore");
  EXPECT_EQ(ReadUntil(*process, buffer, 9, past, stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(ReadUntil(*process, buffer, 0, past, stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(ReadUntil(*process, buffer, 10, past, stderr_tail), ReadOutcome::kTimeout);
  EXPECT_EQ(buffer, "line\nmore");
}

TEST(ProcessPipesTest, ReadUntilTimesOutOnASilentProcess) {
  auto process = PipesStartPython(kPipesUpThenSleep);
  ASSERT_NE(process, nullptr);
  PipesAwaitUp(*process);
  std::string buffer = "no newline yet", stderr_tail;
  EXPECT_EQ(ReadUntil(*process, buffer, kReadLine, DeadlineIn(0.05), stderr_tail), ReadOutcome::kTimeout);
  EXPECT_EQ(buffer, "no newline yet");
  EXPECT_TRUE(process->Alive());
}

TEST(ProcessPipesTest, ReadUntilReportsEofWithThePartialBytes) {
  auto process = PipesStartPython("import os\nos.write(1, b'partial')");
  ASSERT_NE(process, nullptr);
  std::string buffer, stderr_tail;
  EXPECT_EQ(ReadUntil(*process, buffer, kReadLine, DeadlineIn(20), stderr_tail), ReadOutcome::kEof);
  EXPECT_EQ(buffer, "partial");
}

TEST(ProcessPipesTest, ReadUntilReportsEofBeforeTheCount) {
  auto process = PipesStartPython("import os\nos.write(1, b'12345')");
  ASSERT_NE(process, nullptr);
  std::string buffer, stderr_tail;
  EXPECT_EQ(ReadUntil(*process, buffer, 6, DeadlineIn(20), stderr_tail), ReadOutcome::kEof);
  EXPECT_EQ(buffer, "12345");
}

// A byte count over several pipe-fulls, binary and with newlines inside, as the
// pool reads a reply's stdout and stderr.
TEST(ProcessPipesTest, ReadUntilReadsAnExactByteCount) {
  const size_t size = 300000;
  auto process = PipesStartPython(
      "import os, sys, time\n"
      "d = bytes(((i * 7 + i // 251) % 256) for i in range(" +
      std::to_string(size) +
      "))\n"
      "while d:\n    d = d[os.write(1, d):]\n"
      "time.sleep(60)");
  ASSERT_NE(process, nullptr);
  std::string buffer, stderr_tail;
  EXPECT_EQ(ReadUntil(*process, buffer, size, DeadlineIn(30), stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(buffer.size(), size);
  EXPECT_TRUE(buffer == PipesPattern(size));
}

// A child that fills its stderr pipe before answering would never answer unless the
// reader drains stderr too; the last 4 KiB of it are kept for messages.
TEST(ProcessPipesTest, ReadUntilDrainsStderrAndKeepsItsLast4KiB) {
  auto process = PipesStartPython(
      "import os, time\n"
      "d = b''.join(b'%07d\\n' % i for i in range(25000))\n"
      "while d:\n    d = d[os.write(2, d):]\n"
      "os.write(1, b'answer\\n')\n"
      "time.sleep(60)");
  ASSERT_NE(process, nullptr);
  std::string written;
  for (int i = 0; i < 25000; ++i) {
    char line[16];
    std::snprintf(line, sizeof line, "%07d\n", i);
    written += line;
  }
  std::string buffer, stderr_tail = "earlier";
  EXPECT_EQ(ReadUntil(*process, buffer, kReadLine, DeadlineIn(30), stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(buffer, "answer\n");
  ASSERT_EQ(stderr_tail.size(), 4096u);
  EXPECT_EQ(stderr_tail, written.substr(written.size() - 4096));
}

// A short stderr is appended whole to what the caller's tail held.
TEST(ProcessPipesTest, ReadUntilAppendsShortStderrToTheTail) {
  auto process =
      PipesStartPython("import os, time\nos.write(2, b'warning: x\\n')\nos.write(1, b'ok\\n')\ntime.sleep(60)");
  ASSERT_NE(process, nullptr);
  std::string buffer, stderr_tail = "earlier; ";
  EXPECT_EQ(ReadUntil(*process, buffer, kReadLine, DeadlineIn(20), stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(buffer, "ok\n");
  EXPECT_EQ(stderr_tail, "earlier; warning: x\n");
}

TEST(ProcessPipesTest, ReadUntilWorksWithoutAStderrPipe) {
  auto inner = PipesStartPython("import os, time\nos.write(1, b'only stdout\\n')\ntime.sleep(60)");
  ASSERT_NE(inner, nullptr);
  PipesNoStderrProcess process(std::move(inner));
  std::string buffer, stderr_tail = "untouched";
  EXPECT_EQ(ReadUntil(process, buffer, kReadLine, DeadlineIn(20), stderr_tail), ReadOutcome::kOk);
  EXPECT_EQ(buffer, "only stdout\n");
  EXPECT_EQ(stderr_tail, "untouched");
}

// ---- StartAndAwaitReady ----

// A starter running `script` under python3 that remembers the request it was given.
ProcessStarter PipesPythonStarter(const std::string& script, RunRequest* seen = nullptr) {
  return [script, seen](const RunRequest& request, std::string* error) {
    if (seen != nullptr) *seen = request;
    RunRequest actual = request;
    actual.argv = {kPipesPython, "-c", script};
    return testing::PlainProcess::Start(actual, error);
  };
}

TEST(ProcessPipesTest, StartAndAwaitReadyKeepsTheBytesAfterTheReadyLine) {
  RunRequest request;
  request.argv = {"/usr/bin/python3", "worker.py"};
  RunRequest seen;
  std::string buffer = "stale", error;
  auto process = StartAndAwaitReady(
      PipesPythonStarter("import os, time\nos.write(1, b'{\"ready\": true}\\nearly reply')\ntime.sleep(60)", &seen),
      request, &buffer, &error);
  ASSERT_NE(process, nullptr) << error;
  EXPECT_EQ(seen.argv, request.argv);
  EXPECT_EQ(buffer, "early reply");
  EXPECT_EQ(error, "");
  EXPECT_TRUE(process->Alive());
}

TEST(ProcessPipesTest, StartAndAwaitReadyClearsAStaleBuffer) {
  std::string buffer = "left from the last worker", error;
  auto process =
      StartAndAwaitReady(PipesPythonStarter("import os, time\nos.write(1, b'{\"ready\": true}\\n')\ntime.sleep(60)"),
                         RunRequest{}, &buffer, &error);
  ASSERT_NE(process, nullptr) << error;
  EXPECT_EQ(buffer, "");
}

// The ready line is matched exactly: other spellings of the same JSON, or anything
// printed before it, mean a worker that is not ours or not well.
TEST(ProcessPipesTest, StartAndAwaitReadyRejectsAnyOtherFirstLine) {
  for (const char* first :
       {"{\"ready\":true}\\n", "{\"ready\": false}\\n", "{\"ready\": true} \\n", "hello\\n{\"ready\": true}\\n"}) {
    std::string buffer = "stale", error;
    auto process = StartAndAwaitReady(
        PipesPythonStarter(std::string("import os, time\nos.write(1, b'") + first + "')\ntime.sleep(60)"), RunRequest{},
        &buffer, &error);
    EXPECT_EQ(process, nullptr) << first;
    EXPECT_EQ(error, "the Python worker did not start: no output") << first;
    EXPECT_EQ(buffer, "") << first;
  }
}

TEST(ProcessPipesTest, StartAndAwaitReadyReportsTheStderrOfAWorkerThatDies) {
  std::string buffer, error;
  auto process = StartAndAwaitReady(
      PipesPythonStarter("import os, sys\nos.write(2, b'ImportError: no module named zygote\\n')\nsys.exit(1)"),
      RunRequest{}, &buffer, &error);
  EXPECT_EQ(process, nullptr);
  EXPECT_EQ(error, "the Python worker did not start: ImportError: no module named zygote\n");
  EXPECT_EQ(buffer, "");
}

TEST(ProcessPipesTest, StartAndAwaitReadyReportsAWorkerThatExitsSilently) {
  std::string buffer, error;
  auto process = StartAndAwaitReady(PipesPythonStarter("pass"), RunRequest{}, &buffer, &error);
  EXPECT_EQ(process, nullptr);
  EXPECT_EQ(error, "the Python worker did not start: no output");
}

TEST(ProcessPipesTest, StartAndAwaitReadyPassesOnTheStartersError) {
  std::string buffer = "stale", error;
  int calls = 0;
  auto process = StartAndAwaitReady(
      [&calls](const RunRequest&, std::string* why) -> std::unique_ptr<SandboxedProcess> {
        ++calls;
        *why = "clone: Operation not permitted";
        return nullptr;
      },
      RunRequest{}, &buffer, &error);
  EXPECT_EQ(process, nullptr);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(error, "clone: Operation not permitted");
  EXPECT_EQ(buffer, "");
}

}  // namespace
}  // namespace rmg::code
