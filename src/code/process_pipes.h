// Speaking to a long-lived sandboxed process over its stdin/stdout pipes: the
// helpers PythonPool (python_pool.h) and SyntaxChecker (syntax_checker.h) share —
// starting one that announces itself with a ready line, writing a request, and
// reading a reply with a deadline while its stderr is drained.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "rmg/sandbox.h"

namespace rmg::code {

// Starts one long-lived process; the SandboxedProcess::Start signature.
using ProcessStarter = std::function<std::unique_ptr<SandboxedProcess>(const RunRequest&, std::string*)>;

using PipeClock = std::chrono::steady_clock;

// The time point `seconds` from now (at most 1e8 s, never in the past).
PipeClock::time_point DeadlineIn(double seconds);

// Makes a write to a pipe whose reader is gone fail with EPIPE instead of ending the
// process (SIGPIPE ignored, unless the program has set a handler of its own).
void IgnoreSigpipeOnce();

// Writes all of `data` to `fd`; false when the reader is gone (or another error).
bool WriteAll(int fd, std::string_view data);

enum class ReadOutcome { kOk, kEof, kTimeout, kCancelled };

// `want` for ReadUntil: up to and including the next newline.
inline constexpr size_t kReadLine = static_cast<size_t>(-1);

// Reads the process's stdout into `buffer` until it holds `want` bytes, or a newline
// when `want` is kReadLine, or `deadline` passes (kTimeout), or stdout closes (kEof), or
// `*cancelled` is set (kCancelled, seen within about 50 ms; null: never).
// The process's stderr is drained meanwhile, its last 4 KiB kept in `stderr_tail` for
// messages (a process blocked on a full stderr pipe would never answer).
ReadOutcome ReadUntil(SandboxedProcess& process, std::string& buffer, size_t want, PipeClock::time_point deadline,
                      std::string& stderr_tail, const std::atomic<bool>* cancelled = nullptr);

// Starts `request` with `starter` and waits (up to 15 s) for its first stdout line,
// which must be {"ready": true}. nullptr and *error set otherwise (the process, if
// any, killed). Bytes it wrote after that line are left in *buffer.
std::unique_ptr<SandboxedProcess> StartAndAwaitReady(const ProcessStarter& starter, const RunRequest& request,
                                                     std::string* buffer, std::string* error);

}  // namespace rmg::code
