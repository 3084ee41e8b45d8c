// TEST-ONLY stand-ins for the sandbox (include from *_test.cc only): plain
// fork/exec with pipes, a private temporary directory, rlimits and a wall-clock
// kill — no namespaces, no seccomp, no isolation worth the name. They let the code
// runner's tests use real /usr/bin/python3 processes before the sandbox is merged.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "rmg/sandbox.h"

namespace rmg::code::testing {

// A fresh directory under $TMPDIR (or /tmp) holding `files`.
inline std::string MakeWorkDir(const RunRequest& request) {
  std::string pattern = (std::filesystem::temp_directory_path() / "rmg-code-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return "";
  for (const auto& [path, text] : request.files) {
    const std::filesystem::path full = std::filesystem::path(pattern) / path;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << text;
  }
  return pattern;
}

inline void SetLimit(int resource, uint64_t value) {
  rlimit limit{value, value};
  setrlimit(resource, &limit);
}

// Forks `request.argv` in `dir` with its stdio on the given pipe ends, in its own
// process group. Returns the pid (-1 on failure).
inline pid_t Spawn(const RunRequest& request, const std::string& dir, int in[2], int out[2], int err[2]) {
  std::vector<char*> argv;
  for (const std::string& arg : request.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid > 0) setpgid(pid, pid);  // here too, so a Kill() right after the fork finds the group
  if (pid != 0) return pid;
  setpgid(0, 0);
  if (chdir(dir.c_str()) != 0) _exit(127);
  dup2(in[0], 0);
  dup2(out[1], 1);
  dup2(err[1], 2);
  for (int fd = 3; fd < 1024; ++fd) close(fd);
  const SandboxLimits& l = request.limits;
  const uint64_t cpu = static_cast<uint64_t>(l.cpu_seconds + 0.999);
  rlimit cpu_limit{cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
  SetLimit(RLIMIT_AS, l.memory_bytes);
  SetLimit(RLIMIT_FSIZE, l.max_file_bytes);
  SetLimit(RLIMIT_CORE, 0);
  execv(argv[0], argv.data());
  _exit(127);
}

// RunSandboxed without the sandbox.
inline RunResult RunPlainProcess(const RunRequest& request) {
  signal(SIGPIPE, SIG_IGN);  // a child that exits before reading its stdin
  RunResult result;
  const std::string dir = MakeWorkDir(request);
  int in[2], out[2], err[2];
  if (dir.empty() || pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) {
    result.message = "test runner: cannot make a directory or pipes";
    return result;
  }
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = Spawn(request, dir, in, out, err);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (request.stdin_data.empty()) {
    close(in[1]);
    in[1] = -1;
  }
  bool timed_out = false;
  int open_streams = 2;
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(request.limits.wall_seconds));
  char chunk[65536];
  while (open_streams > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (poll(fds, in[1] >= 0 ? 3 : 2, static_cast<int>(left)) <= 0) continue;
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[k].fd, chunk, sizeof chunk);
      if (n <= 0) {
        close(fds[k].fd);
        (k == 0 ? out[0] : err[0]) = -1;
        --open_streams;
        continue;
      }
      std::string& sink = k == 0 ? result.stdout_data : result.stderr_data;
      if (sink.size() < request.limits.max_output_bytes) {
        sink.append(chunk, std::min<size_t>(static_cast<size_t>(n), request.limits.max_output_bytes - sink.size()));
      } else {
        result.truncated = true;
      }
    }
    if (in[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = write(in[1], request.stdin_data.data() + written, request.stdin_data.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == request.stdin_data.size()) {
        close(in[1]);
        in[1] = -1;
      }
    }
  }
  for (int fd : {in[1], out[0], err[0]}) {
    if (fd >= 0) close(fd);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  kill(-pid, SIGKILL);
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  result.peak_memory_kb = static_cast<uint64_t>(usage.ru_maxrss);
  std::filesystem::remove_all(dir);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (timed_out || result.signal == SIGXCPU) {
    result.status = RunStatus::kTimeLimit;
  } else if (result.truncated || result.signal == SIGXFSZ) {
    result.status = RunStatus::kOutputLimit;
  } else if (result.exit_code == 0) {
    result.status = RunStatus::kOk;
  } else if (result.stderr_data.find("\nMemoryError") != std::string::npos ||
             result.stderr_data.rfind("MemoryError", 0) == 0) {
    result.status = RunStatus::kMemoryLimit;
  } else {
    result.status = RunStatus::kRuntimeError;
  }
  return result;
}

// SandboxedProcess without the sandbox: a plain child with pipes in a temporary
// directory, killed (with its process group) by Kill() and the destructor.
class PlainProcess final : public SandboxedProcess {
 public:
  static std::unique_ptr<SandboxedProcess> Start(const RunRequest& request, std::string* error) {
    auto process = std::unique_ptr<PlainProcess>(new PlainProcess);
    process->dir_ = MakeWorkDir(request);
    int in[2], out[2], err[2];
    if (process->dir_.empty() || pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) {
      *error = "test starter: cannot make a directory or pipes";
      return nullptr;
    }
    // Only the wall limit is the owner's; the others bound the whole process.
    process->pid_ = Spawn(request, process->dir_, in, out, err);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    for (int fd : {in[1], out[0], err[0]}) fcntl(fd, F_SETFD, FD_CLOEXEC);
    process->in_ = in[1];
    process->out_ = out[0];
    process->err_ = err[0];
    return process;
  }

  ~PlainProcess() override {
    Kill();
    for (int fd : {in_, out_, err_}) {
      if (fd >= 0) close(fd);
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  int stdin_fd() const override { return in_; }
  int stdout_fd() const override { return out_; }
  int stderr_fd() const override { return err_; }

  bool Alive() override {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == 0) return true;
    kill(-pid_, SIGKILL);
    pid_ = -1;
    return false;
  }

  void Kill() override {
    if (pid_ <= 0) return;
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  pid_t pid() const { return pid_; }

 private:
  PlainProcess() = default;
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string dir_;
};

}  // namespace rmg::code::testing
