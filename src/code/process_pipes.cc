#include "code/process_pipes.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

namespace rmg::code {
namespace {

constexpr double kStartupSeconds = 15.0;  // time a new process has to say it is ready

}  // namespace

PipeClock::time_point DeadlineIn(double seconds) {
  if (!(seconds > 0)) seconds = 0;   // negative or NaN: now
  seconds = std::min(seconds, 1e8);  // "forever" must not overflow the clock
  return PipeClock::now() + std::chrono::duration_cast<PipeClock::duration>(std::chrono::duration<double>(seconds));
}

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        pollfd p{fd, POLLOUT, 0};
        poll(&p, 1, 100);
        continue;
      }
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

ReadOutcome ReadUntil(SandboxedProcess& process, std::string& buffer, size_t want, PipeClock::time_point deadline,
                      std::string& stderr_tail, const std::atomic<bool>* cancelled) {
  char chunk[65536];
  // Nothing wakes poll when the flag is set: a cancellable read polls in short slices.
  const long long slice_ms = cancelled != nullptr ? 50 : 1000;  // milliseconds
  while (true) {
    if (want == kReadLine ? buffer.find('\n') != std::string::npos : buffer.size() >= want) return ReadOutcome::kOk;
    if (cancelled != nullptr && cancelled->load()) return ReadOutcome::kCancelled;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - PipeClock::now()).count();
    if (left <= 0) return ReadOutcome::kTimeout;  // rounded up: a deadline under 1 ms away still gets a poll
    pollfd fds[2] = {{process.stdout_fd(), POLLIN, 0}, {process.stderr_fd(), POLLIN, 0}};
    const int ready =
        poll(fds, process.stderr_fd() >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left, slice_ms)));
    if (ready < 0 && errno != EINTR) return ReadOutcome::kEof;
    if (ready <= 0) continue;
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      const ssize_t n = read(fds[1].fd, chunk, sizeof chunk);
      if (n > 0) {
        stderr_tail.append(chunk, static_cast<size_t>(n));
        if (stderr_tail.size() > 4096) stderr_tail.erase(0, stderr_tail.size() - 4096);
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = read(fds[0].fd, chunk, sizeof chunk);
      if (n == 0) return ReadOutcome::kEof;
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return ReadOutcome::kEof;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
  }
}

std::unique_ptr<SandboxedProcess> StartAndAwaitReady(const ProcessStarter& starter, const RunRequest& request,
                                                     std::string* buffer, std::string* error) {
  buffer->clear();
  std::unique_ptr<SandboxedProcess> process = starter(request, error);
  if (!process) return nullptr;
  std::string stderr_tail;
  if (ReadUntil(*process, *buffer, kReadLine, DeadlineIn(kStartupSeconds), stderr_tail) != ReadOutcome::kOk ||
      buffer->rfind("{\"ready\": true}\n", 0) != 0) {
    *error = "the Python worker did not start: " + (stderr_tail.empty() ? std::string("no output") : stderr_tail);
    process->Kill();
    buffer->clear();
    return nullptr;
  }
  buffer->erase(0, buffer->find('\n') + 1);
  return process;
}

}  // namespace rmg::code
