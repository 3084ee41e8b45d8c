// `rmg run-code`: runs one program in the sandbox and prints one JSON object saying
// how it ended. A thin layer over RunSandboxed: the exit code is 0 whenever the
// sandbox itself worked, whatever the program did.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>

#include "cli/commands.h"
#include "rmg/sandbox.h"
#include "rmg/schema.h"

namespace rmg::cli {
namespace {

// Debian's interpreter: the sandbox only shows the system directories, so an
// interpreter under $HOME (pyenv) would not be visible anyway.
constexpr const char* kPython = "/usr/bin/python3";
// 1 TiB: more than any machine here, and far from overflowing when turned into bytes.
constexpr uint64_t kMaxMemoryMb = uint64_t{1} << 20;

struct RunCodeFlags {
  std::string language = "python";
  double timeout_seconds = 10;
  uint64_t memory_mb = 512;
  std::string stdin_file;
  std::string file;
  bool explain = false;
};

// The whole of `path` ("-" is our own stdin); throws with a one-line message.
std::string ReadAll(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  // An ifstream opens a directory and reads nothing: it would run an empty program.
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw std::runtime_error(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Json ResultToJson(const RunResult& result) {
  Json json = {{"status", RunStatusName(result.status)},
               {"exit_code", result.exit_code},
               {"signal", result.signal},
               {"stdout", result.stdout_data},
               {"stderr", result.stderr_data},
               {"wall_time", result.wall_seconds},
               {"cpu_time", result.cpu_seconds},
               {"peak_memory_kb", result.peak_memory_kb},
               {"truncated", result.truncated}};
  if (!result.message.empty()) json["message"] = result.message;
  return json;
}

void RunCode(const RunCodeFlags& flags) {
  if (flags.explain) {
    std::printf("%s\n", DescribeSandbox().c_str());
    return;
  }
  if (flags.language != "python") throw std::runtime_error("--language: only \"python\" is supported");
  if (flags.file.empty()) throw std::runtime_error("no program given: FILE or - (stdin)");
  if (!(flags.timeout_seconds > 0) || !std::isfinite(flags.timeout_seconds)) {
    throw std::runtime_error("--timeout must be a positive number of seconds");
  }
  if (flags.file == "-" && flags.stdin_file == "-") throw std::runtime_error("the program and --stdin cannot both be -");

  RunRequest request;
  request.files.emplace_back("main.py", ReadAll(flags.file));
  if (!flags.stdin_file.empty()) request.stdin_data = ReadAll(flags.stdin_file);
  request.argv = {kPython, "main.py"};
  request.limits.wall_seconds = flags.timeout_seconds;
  request.limits.cpu_seconds = flags.timeout_seconds;
  request.limits.memory_bytes = flags.memory_mb << 20;

  const RunResult result = RunSandboxed(request);
  // Program output need not be UTF-8: invalid bytes become U+FFFD rather than an error.
  std::printf("%s\n", ResultToJson(result).dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  std::fflush(stdout);
  if (result.status == RunStatus::kSandboxError) throw ExitCode{kExitRunFailed};
}

}  // namespace

void AddRunCodeCommand(CLI::App& app) {
  CLI::App* run = app.add_subcommand("run-code", "Run one program in the sandbox and print how it ended as JSON");
  auto flags = std::make_shared<RunCodeFlags>();
  run->add_option("--language", flags->language, "Language of the program (python)");
  run->add_option("--timeout", flags->timeout_seconds, "Wall-clock and CPU limit in seconds (default 10)");
  run->add_option("--memory-mb", flags->memory_mb, "Memory limit in MiB (default 512)")
      ->check(WholeNumber(1, kMaxMemoryMb));
  run->add_option("--stdin", flags->stdin_file, "File given to the program as its stdin (- for ours)");
  run->add_flag("--explain", flags->explain, "Print which isolation this machine allows and exit");
  run->add_option("file", flags->file, "The program's source file, or - to read it from stdin");
  run->callback([flags] { RunCode(*flags); });
}

}  // namespace rmg::cli
