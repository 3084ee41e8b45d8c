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
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rmg_cli_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `name` inside the test's scratch directory.
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes `content` to `name` in the scratch directory and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(Path(name), std::ios::binary) << content;
    return Path(name);
  }

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

  std::filesystem::path dir_;
};

}  // namespace rmg::testing
