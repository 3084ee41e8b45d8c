// `rmg run-code` as a user runs it: the real binary, its JSON line and exit code.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli_testing.h"
#include "rmg/schema.h"

namespace rmg {
namespace {

using testing::CommandResult;

class RunCodeTest : public testing::CommandTest {
 protected:
  // Runs `rmg run-code ARGS` (after `prefix`, e.g. a pipe).
  CommandResult RunCode(const std::string& args, const std::string& prefix = "") const {
    return RunShell(prefix + std::string(RMG_BINARY) + " run-code " + args);
  }
};

TEST_F(RunCodeTest, PrintsOneJsonObject) {
  const CommandResult r = RunCode(Write("p.py", "import sys\nprint('hi', sys.stdin.read())\nprint('err', file=sys.stderr)\n") +
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
  const CommandResult r = RunCode("--timeout 1 -", "printf 'import sys\\nsys.exit(4)\\n' | ");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json json = Json::parse(r.out);
  EXPECT_EQ(json["status"], "runtime_error");
  EXPECT_EQ(json["exit_code"], 4);
}

TEST_F(RunCodeTest, TimeoutAndMemoryLimit) {
  CommandResult r = RunCode("--timeout 1 " + Write("loop.py", "while True: pass\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["status"], "time_limit");
  r = RunCode("--memory-mb 200 " + Write("big.py", "b = bytearray(1 << 30)\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["status"], "memory_limit");
}

TEST_F(RunCodeTest, InvalidUtf8OutputIsStillJson) {
  const CommandResult r = RunCode(Write("bytes.py", "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe ok')\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["status"], "ok");
}

TEST_F(RunCodeTest, BadArgumentsExitTwo) {
  EXPECT_EQ(RunCode(Path("missing.py")).exit_code, 2);
  EXPECT_EQ(RunCode("--language ruby " + Write("a.py", "print(1)")).exit_code, 2);
  EXPECT_EQ(RunCode("--timeout -1 " + Write("b.py", "print(1)")).exit_code, 2);
  EXPECT_EQ(RunCode("").exit_code, 2);
  // CLI11 read -1 into the unsigned limit as 2^64 - 1: the program ran with no memory limit.
  for (const std::string memory : {"-1", "0", "99999999999", "1.5"}) {
    const CommandResult r = RunCode("--memory-mb " + memory + " " + Write("m.py", "print(1)"));
    EXPECT_EQ(r.exit_code, 2) << memory;
    EXPECT_NE(r.err.find("--memory-mb: expected a whole number from 1 to 1048576, got '" + memory + "'"),
              std::string::npos)
        << r.err;
  }
  // A directory opened as a stream reads as empty: it ran as an empty program, "ok".
  const CommandResult directory = RunCode(Path(""));
  EXPECT_EQ(directory.exit_code, 2);
  EXPECT_NE(directory.err.find(": is a directory, not a file"), std::string::npos) << directory.err;
  EXPECT_EQ(RunCode("--stdin " + Path("") + " " + Write("c.py", "print(1)")).exit_code, 2);
}

TEST_F(RunCodeTest, ExplainDescribesTheSandbox) {
  const CommandResult r = RunCode("--explain");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rlimits"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rmg
