#include "code/syntax_checker.h"

#include <algorithm>
#include <thread>

#include "code/python_harness.h"

namespace rmg::code {

struct SyntaxChecker::Server {
  std::unique_ptr<SandboxedProcess> process;
  std::string buffer;   // bytes read past the last reply (none while the protocol is kept)
  size_t requests = 0;  // answered so far
};

namespace {

std::string ErrorText(RunStatus status, const std::string& why) {
  return std::string(RunStatusName(status)) + ": " + why;
}

// A verdict of _check: null, or an object (the reward reads its fields).
bool IsVerdictList(const Json& reply, size_t blocks) {
  if (!reply.is_array() || reply.size() != blocks) return false;
  return std::all_of(reply.begin(), reply.end(), [](const Json& v) { return v.is_null() || v.is_object(); });
}

}  // namespace

std::string MemoryLimitError(const Json& verdicts, uint64_t memory_bytes) {
  for (size_t i = 0; i < verdicts.size(); ++i) {
    if (verdicts[i].is_object() && verdicts[i].contains("memory_limit")) {
      return ErrorText(RunStatus::kMemoryLimit, "parsing block " + std::to_string(i) + " needs more than the " +
                                                    std::to_string(memory_bytes >> 20) +
                                                    " MiB of address space the syntax checker has");
    }
  }
  return "";
}

SyntaxChecker::SyntaxChecker(SyntaxCheckerOptions options) : options_(std::move(options)) {
  IgnoreSigpipeOnce();
  if (options_.max_idle == 0) options_.max_idle = 2 * std::max(1u, std::thread::hardware_concurrency());
  if (!options_.starter) {
    options_.starter = [](const RunRequest& request, std::string* error) {
      return SandboxedProcess::Start(request, error);
    };
  }
}

SyntaxChecker::~SyntaxChecker() {
  for (auto& server : idle_) server->process->Kill();
}

SyntaxChecker& SyntaxChecker::Shared() {
  static SyntaxChecker* checker = new SyntaxChecker();  // never destroyed: used until exit
  return *checker;
}

size_t SyntaxChecker::starts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return starts_;
}

std::unique_ptr<SyntaxChecker::Server> SyntaxChecker::TakeServer(std::string* error) {
  std::unique_ptr<Server> server;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      server = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (server && server->process->Alive()) return server;
  if (server) server->process->Kill();
  RunRequest request;
  request.argv = {options_.python, "-I", "syntax_check_loop.py"};
  request.files.emplace_back("syntax_check_loop.py", SyntaxCheckLoopSource());
  request.limits.wall_seconds = 1e9;  // enforced per request by Check
  request.limits.cpu_seconds = 1e9;   // a lifetime limit: the per-request wall deadline bounds time instead
  request.limits.memory_bytes = options_.memory_bytes;
  request.limits.max_processes = 8;
  request.limits.max_output_bytes = 1ull << 40;  // the pipes are read here, not by the sandbox
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++starts_;
  }
  server = std::make_unique<Server>();
  server->process = StartAndAwaitReady(options_.starter, request, &server->buffer, error);
  if (!server->process) return nullptr;
  return server;
}

void SyntaxChecker::ReturnServer(std::unique_ptr<Server> server) {
  if (server->requests < options_.requests_per_process) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < options_.max_idle) {
      idle_.push_back(std::move(server));
      return;
    }
  }
  server->process->Kill();
}

SyntaxCheckResult SyntaxChecker::Check(const Json& blocks, double timeout_seconds) {
  SyntaxCheckResult result;
  const std::string line = blocks.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  if (line.size() - 1 > options_.max_request_bytes) {
    result.error = ErrorText(RunStatus::kMemoryLimit, "the blocks take " + std::to_string(line.size() - 1) +
                                                          " bytes as JSON, more than the syntax checker accepts (" +
                                                          std::to_string(options_.max_request_bytes) + ")");
    return result;
  }
  std::string error;
  std::unique_ptr<Server> server = TakeServer(&error);
  if (!server) {
    result.started = false;
    result.error = ErrorText(RunStatus::kSandboxError, error);
    return result;
  }
  auto fail = [&](RunStatus status, const std::string& why) {
    server->process->Kill();  // a new process is started on next use
    result.verdicts = Json();
    result.error = ErrorText(status, why);
    return result;
  };
  const PipeClock::time_point deadline = DeadlineIn(timeout_seconds);
  if (!WriteAll(server->process->stdin_fd(), line)) {
    return fail(RunStatus::kRuntimeError, "the syntax checker process is gone");
  }
  std::string stderr_tail;
  switch (ReadUntil(*server->process, server->buffer, kReadLine, deadline, stderr_tail)) {
    case ReadOutcome::kOk:
      break;
    case ReadOutcome::kTimeout:
    case ReadOutcome::kCancelled:  // not asked for: the checker answers within its short timeout
      return fail(RunStatus::kTimeLimit, "no reply from the syntax checker within the timeout: process killed");
    case ReadOutcome::kEof:
      return fail(RunStatus::kRuntimeError, "the syntax checker process died" +
                                                (stderr_tail.empty() ? std::string() : ": " + stderr_tail));
  }
  const size_t newline = server->buffer.find('\n');
  result.verdicts = Json::parse(server->buffer.begin(), server->buffer.begin() + static_cast<ptrdiff_t>(newline),
                                nullptr, /*allow_exceptions=*/false);
  // Anything after the reply line breaks the one-line-per-request protocol too.
  if (newline + 1 != server->buffer.size() || !IsVerdictList(result.verdicts, blocks.size())) {
    return fail(RunStatus::kSandboxError, "unreadable reply from the syntax checker");
  }
  // The process that ran out of memory keeps what it grew to: it is replaced.
  if (std::string error = MemoryLimitError(result.verdicts, options_.memory_bytes); !error.empty()) {
    server->process->Kill();
    result.verdicts = Json();
    result.error = std::move(error);
    return result;
  }
  server->buffer.clear();
  ++server->requests;
  ReturnServer(std::move(server));
  return result;
}

}  // namespace rmg::code
