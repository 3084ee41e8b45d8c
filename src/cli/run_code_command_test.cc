// `rmg run-code` as a user runs it: the real binary, its JSON line and exit code.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rmg/schema.h"

namespace rmg {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class RunCodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rmg_run_code_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(Path(name), std::ios::binary) << content;
    return Path(name);
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  // Runs `rmg run-code ARGS` (after `prefix`, e.g. a pipe) with its output in files.
  CommandResult Run(const std::string& args, const std::string& prefix = "") const {
    const std::string command = "(" + prefix + std::string(RMG_BINARY) + " run-code " + args + ") > " +
                                Path("stdout") + " 2> " + Path("stderr");
    const int status = std::system(command.c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = ReadFile(Path("stdout"));
    result.err = ReadFile(Path("stderr"));
    return result;
  }

  std::filesystem::path dir_;
};

TEST_F(RunCodeTest, PrintsOneJsonObject) {
  const CommandResult r = Run(Write("p.py", "import sys\nprint('hi', sys.stdin.read())\nprint('err', file=sys.stderr)\n") +
                              " --stdin " + Write("in.txt", "there"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json json = Json::parse(r.out);
  EXPECT_EQ(json["status"], "ok");
  EXPECT_EQ(json["exit_code"], 0);
  EXPECT_EQ(json["signal"], 0);
  EXPECT_EQ(json["stdout"], "hi there\n");
  EXPECT_EQ(json["stderr"], "err\n");
  EXPECT_EQ(json["truncated"], false);
  for (const char* key : {"wall_time", "cpu_time", "peak_memory_kb"}) EXPECT_TRUE(json[key].is_number()) << key;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
}

TEST_F(RunCodeTest, ProgramFromStdinAndItsFailureIsStillExitZero) {
  const CommandResult r = Run("--timeout 1 -", "printf 'import sys\\nsys.exit(4)\\n' | ");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json json = Json::parse(r.out);
  EXPECT_EQ(json["status"], "runtime_error");
  EXPECT_EQ(json["exit_code"], 4);
}

TEST_F(RunCodeTest, TimeoutAndMemoryLimit) {
  CommandResult r = Run("--timeout 1 " + Write("loop.py", "while True: pass\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["status"], "time_limit");
  r = Run("--memory-mb 200 " + Write("big.py", "b = bytearray(1 << 30)\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["status"], "memory_limit");
}

TEST_F(RunCodeTest, InvalidUtf8OutputIsStillJson) {
  const CommandResult r = Run(Write("bytes.py", "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe ok')\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["status"], "ok");
}

TEST_F(RunCodeTest, BadArgumentsExitTwo) {
  EXPECT_EQ(Run(Path("missing.py")).exit_code, 2);
  EXPECT_EQ(Run("--language ruby " + Write("a.py", "print(1)")).exit_code, 2);
  EXPECT_EQ(Run("--timeout -1 " + Write("b.py", "print(1)")).exit_code, 2);
  EXPECT_EQ(Run("").exit_code, 2);
}

TEST_F(RunCodeTest, ExplainDescribesTheSandbox) {
  const CommandResult r = Run("--explain");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rlimits"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rmg
