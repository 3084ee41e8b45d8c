#include "server/sandbox_fusion.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "rmg/sandbox.h"
#include "text/base64.h"
#include "server/json_body.h"
#include "text/unicode.h"

namespace rmg::server {
namespace {

using nlohmann::json;

constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kBash = "/bin/bash";
constexpr const char* kShell = "/bin/sh";
constexpr const char* kCompiler = "/usr/bin/g++";

// Names of the program's own files in its working directory; a request's files
// may not take them.
constexpr const char* kReservedNames[] = {"main.py", "main.sh", "main.cpp", "main", "main.bin"};

// The compiler needs far more address space than a typical program, and its output
// (the binary) comes back through stdout.
constexpr uint64_t kCompileMemoryBytes = 2ull << 30;
constexpr uint64_t kMaxBinaryBytes = 64ull << 20;

// The value of `key`, or nullptr when it is absent or null (both mean "default").
const json* Optional(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string RequiredString(const json& request, const char* key) {
  const json* value = Optional(request, key);
  if (value == nullptr) RejectField(key, "missing");
  if (!value->is_string()) RejectField(key, "expected a string, got " + JsonTypeName(*value));
  return value->get<std::string>();
}

double NumberOr(const json& request, const char* key, double fallback) {
  const json* value = Optional(request, key);
  if (value == nullptr) return fallback;
  if (!value->is_number()) RejectField(key, "expected a number, got " + JsonTypeName(*value));
  return value->get<double>();
}

double Timeout(const json& request, const char* key) {
  const double seconds = NumberOr(request, key, 10);
  if (!(seconds > 0 && seconds <= kMaxTimeoutSeconds)) {
    RejectField(key, "expected seconds in (0, " + std::to_string(static_cast<int>(kMaxTimeoutSeconds)) + "], got " +
                         json(seconds).dump());
  }
  return seconds;
}

CodeLanguage ParseLanguage(const std::string& name) {
  if (name == "python" || name == "python3") return CodeLanguage::kPython;
  if (name == "bash") return CodeLanguage::kBash;
  if (name == "cpp") return CodeLanguage::kCpp;
  RejectField("language", "unsupported language " + json(name).dump() + "; supported: python, python3, bash, cpp");
}

// Why `path` cannot name a file inside the working directory, or "" when it can.
// The sandbox refuses such paths too, but as a SandboxError; here the client learns
// which field to fix.
std::string PathProblem(std::string_view path) {
  if (path.empty()) return "empty path";
  if (path.front() == '/') return "absolute path";
  if (path.find('\0') != std::string_view::npos) return "NUL in path";
  std::string_view rest = path;
  bool first = true;
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (part.empty() || part == "." || part == "..") return "path must stay inside the working directory";
    if (first && std::find(std::begin(kReservedNames), std::end(kReservedNames), part) != std::end(kReservedNames)) {
      return "\"" + std::string(part) + "\" is reserved for the program";
    }
    first = false;
    if (slash == std::string_view::npos) return "";
    rest.remove_prefix(slash + 1);
  }
}

std::vector<std::pair<std::string, std::string>> ParseFiles(const json& request) {
  std::vector<std::pair<std::string, std::string>> files;
  const json* value = Optional(request, "files");
  if (value == nullptr) return files;
  if (!value->is_object()) RejectField("files", "expected an object of path: base64, got " + JsonTypeName(*value));
  if (value->size() > kMaxRequestFiles) {
    RejectField("files", "more than " + std::to_string(kMaxRequestFiles) + " files");
  }
  for (const auto& [path, content] : value->items()) {
    const std::string field = KeyedField("files", path);
    if (const std::string problem = PathProblem(path); !problem.empty()) RejectField(field, problem);
    // SandboxFusion's schema allows null contents: there is no file to write then.
    if (content.is_null()) continue;
    if (!content.is_string()) RejectField(field, "expected a base64 string, got " + JsonTypeName(content));
    std::optional<std::string> bytes = text::DecodeBase64(content.get_ref<const std::string&>());
    if (!bytes) RejectField(field, "not base64");
    files.emplace_back(path, std::move(*bytes));
  }
  return files;
}

std::vector<std::string> ParseFetchFiles(const json& request) {
  std::vector<std::string> paths;
  const json* value = Optional(request, "fetch_files");
  if (value == nullptr) return paths;
  if (!value->is_array()) RejectField("fetch_files", "expected a list of paths, got " + JsonTypeName(*value));
  for (size_t i = 0; i < value->size(); ++i) {
    const json& path = (*value)[i];
    const std::string field = IndexedField("fetch_files", i);
    if (!path.is_string()) RejectField(field, "expected a string, got " + JsonTypeName(path));
    // The program's own files may be fetched; only the shape of the path matters.
    const std::string& text = path.get_ref<const std::string&>();
    if (text.empty() || text.front() == '/' || text.find('\0') != std::string::npos) {
      RejectField(field, "not a relative path");
    }
    paths.push_back(text);
  }
  // Answering {"files": {}} would look like files that were never written.
  if (!paths.empty()) {
    RejectField("fetch_files", "not supported: rmg's sandbox returns no files (send [] or leave it out)");
  }
  return paths;
}

// SandboxFusion's CommandRunResult. `stdout_shown` is false for the compile step,
// whose stdout carries the binary rather than anything the compiler said.
Json CommandRunResult(const RunResult& result, bool stdout_shown = true) {
  const char* status = "Error";
  if (result.status == RunStatus::kOk || result.status == RunStatus::kRuntimeError) status = "Finished";
  if (result.status == RunStatus::kTimeLimit) status = "TimeLimitExceeded";
  Json return_code = nullptr;
  if (result.status != RunStatus::kTimeLimit && result.status != RunStatus::kSandboxError) {
    return_code = result.signal != 0 ? -result.signal : result.exit_code;
  }
  JsonObjectBuilder out(5);
  out.Add("status", status)
      .Add("execution_time", result.wall_seconds)
      .Add("return_code", std::move(return_code))
      .Add("stdout", stdout_shown ? text::ValidUtf8(result.stdout_data) : "")
      .Add("stderr", text::ValidUtf8(result.stderr_data));
  return out.Build();
}

bool Succeeded(const RunResult& result) { return result.status == RunStatus::kOk; }

// Why the run did not succeed, for the answer's "message".
std::string FailureMessage(const RunResult& result) {
  switch (result.status) {
    case RunStatus::kOk: return "";
    case RunStatus::kRuntimeError:
      return result.signal != 0 ? "killed by signal " + std::to_string(result.signal)
                                : "exited with code " + std::to_string(result.exit_code);
    case RunStatus::kTimeLimit: return "time limit exceeded";
    case RunStatus::kMemoryLimit: return "memory limit exceeded";
    case RunStatus::kOutputLimit: return "output limit exceeded";
    case RunStatus::kSandboxError: return result.message;
  }
  return "";
}

Json Response(const char* status, const std::string& message, Json compile_result, Json run_result) {
  JsonObjectBuilder out(6);
  out.Add("status", status)
      .Add("message", text::ValidUtf8(message))
      .Add("compile_result", std::move(compile_result))
      .Add("run_result", std::move(run_result))
      .Add("executor_pod_name", nullptr)
      .Add("files", Json::object());
  return out.Build();
}

SandboxLimits Limits(double seconds, double memory_limit_mb) {
  SandboxLimits limits;
  limits.wall_seconds = seconds;
  limits.cpu_seconds = seconds;
  if (memory_limit_mb > 0) limits.memory_bytes = static_cast<uint64_t>(memory_limit_mb * (1 << 20));
  return limits;
}

// The answer for a program that ran (after a compile that worked, if any).
Json Finish(const RunResult& run, Json compile_result) {
  if (run.status == RunStatus::kSandboxError) {
    return Response("SandboxError", run.message, std::move(compile_result), CommandRunResult(run));
  }
  return Response(Succeeded(run) ? "Success" : "Failed", FailureMessage(run), std::move(compile_result),
                  CommandRunResult(run));
}

// The program's own file, then the request's.
std::vector<std::pair<std::string, std::string>> FilesWith(std::string name, std::string content,
                                                           const RunCodeRequest& request) {
  std::vector<std::pair<std::string, std::string>> files;
  files.reserve(request.files.size() + 1);
  files.emplace_back(std::move(name), std::move(content));
  files.insert(files.end(), request.files.begin(), request.files.end());
  return files;
}

Json RunInterpreted(const RunCodeRequest& request, const char* interpreter, const char* file_name) {
  RunRequest run;
  run.argv = {interpreter, file_name};
  run.stdin_data = request.stdin_data;
  run.files = FilesWith(file_name, request.code, request);
  run.limits = Limits(request.run_timeout, request.memory_limit_mb);
  run.cancelled = request.cancelled;
  return Finish(RunSandboxed(run), nullptr);
}

// Two sandboxes, as each has a private directory that is gone when it ends: the
// first compiles and writes the binary to stdout, the second receives it as a file.
// Files are written without the executable bit, and under root the program runs as
// nobody and may not chmod a file it does not own, so it copies the binary first.
Json RunCpp(const RunCodeRequest& request) {
  if (access(kCompiler, X_OK) != 0) {
    return Response("SandboxError", std::string("cpp needs ") + kCompiler + ", which is not installed", nullptr,
                    nullptr);
  }
  RunRequest compile;
  compile.argv = {kShell, "-c", std::string(kCompiler) + " -O2 -std=c++17 main.cpp -o main >&2 && exec /bin/cat main"};
  compile.files = FilesWith("main.cpp", request.code, request);
  compile.limits = Limits(request.compile_timeout, request.memory_limit_mb);
  compile.limits.memory_bytes = std::max(compile.limits.memory_bytes, kCompileMemoryBytes);
  compile.limits.max_output_bytes = kMaxBinaryBytes;
  compile.limits.max_file_bytes = kMaxBinaryBytes;
  compile.cancelled = request.cancelled;
  RunResult compiled = RunSandboxed(compile);
  Json compile_result = CommandRunResult(compiled, /*stdout_shown=*/false);
  if (compiled.status == RunStatus::kSandboxError) {
    return Response("SandboxError", compiled.message, std::move(compile_result), nullptr);
  }
  if (!Succeeded(compiled)) {
    return Response("Failed", "compilation failed: " + FailureMessage(compiled), std::move(compile_result), nullptr);
  }

  RunRequest run;
  run.argv = {kShell, "-c", "/bin/cp main.bin main && /bin/chmod 755 main && exec ./main"};
  run.stdin_data = request.stdin_data;
  run.files = FilesWith("main.bin", std::move(compiled.stdout_data), request);
  run.limits = Limits(request.run_timeout, request.memory_limit_mb);
  // The copy is a file the program writes.
  run.limits.max_file_bytes = std::max<uint64_t>(run.limits.max_file_bytes, run.files[0].second.size());
  run.cancelled = request.cancelled;
  return Finish(RunSandboxed(run), std::move(compile_result));
}

}  // namespace

RunCodeRequest ParseRunCodeRequest(std::string_view body) {
  const json request = ParseJsonObjectBody(body);
  RunCodeRequest out;
  out.code = RequiredString(request, "code");
  out.language = ParseLanguage(RequiredString(request, "language"));
  if (const json* stdin_value = Optional(request, "stdin")) {
    if (!stdin_value->is_string()) RejectField("stdin", "expected a string or null, got " + JsonTypeName(*stdin_value));
    out.stdin_data = stdin_value->get<std::string>();
  }
  out.run_timeout = Timeout(request, "run_timeout");
  out.compile_timeout = Timeout(request, "compile_timeout");
  out.memory_limit_mb = NumberOr(request, "memory_limit_MB", -1);
  // Below a few MiB not even the dynamic loader starts, which would look like a
  // sandbox failure rather than the client's limit.
  const double mb = out.memory_limit_mb;
  if (mb > 0 && !(mb >= kMinMemoryLimitMb && mb <= kMaxMemoryLimitMb)) {
    RejectField("memory_limit_MB", "expected " + std::to_string(static_cast<int>(kMinMemoryLimitMb)) + " to " +
                                       std::to_string(static_cast<int>(kMaxMemoryLimitMb)) +
                                       " MB, or -1 for the default");
  }
  out.files = ParseFiles(request);
  out.fetch_files = ParseFetchFiles(request);
  return out;
}

Json RunCode(const RunCodeRequest& request) {
  switch (request.language) {
    case CodeLanguage::kPython: return RunInterpreted(request, kPython, "main.py");
    case CodeLanguage::kBash: return RunInterpreted(request, kBash, "main.sh");
    case CodeLanguage::kCpp: return RunCpp(request);
  }
  return Response("SandboxError", "unknown language", nullptr, nullptr);
}

}  // namespace rmg::server
