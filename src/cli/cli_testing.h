// Test-only: a fixture that runs the real rmg binary as a subprocess, as a user
// would, with its own scratch directory and stdout/stderr captured to files (so
// they are not a terminal).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/testing/temp_dir.h"

namespace rmg::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class CommandTest : public ::testing::Test {
 protected:
  // `name` inside the test's scratch directory.
  std::string Path(const std::string& name) const { return dir_.Path(name); }

  // Writes `content` to `name` in the scratch directory and returns its path.
  std::string Write(const std::string& name, const std::string& content) const { return dir_.Write(name, content); }

  // Runs `rmg ARGS`.
  CommandResult Run(const std::string& args) const { return RunShell(std::string(RMG_BINARY) + " " + args); }

  // Runs a shell command the same way.
  CommandResult RunShell(const std::string& shell_command) const {
    const std::string command = "(" + shell_command + ") > " + Path("stdout") + " 2> " + Path("stderr");
    const int status = std::system(command.c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = ReadFile(Path("stdout"));
    result.err = ReadFile(Path("stderr"));
    return result;
  }

  TempTestDir dir_;
};

}  // namespace rmg::testing
