// main.cc: the command dispatch, through the real rmg binary.
#include <gtest/gtest.h>

#include <string>

#include "cli/cli_testing.h"

namespace rmg {
namespace {

using testing::CommandResult;

class MainCommandTest : public testing::CommandTest {};

TEST_F(MainCommandTest, VersionIsOneLine) {
  const CommandResult r = Run("--version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("rmg ", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;
}

TEST_F(MainCommandTest, AnUnknownCommandIsNamedWithTheKnownOnes) {
  const CommandResult r = Run("evl --reward accuracy");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "rmg: error: unknown command 'evl' (commands: list, eval, run-code, serve, convert, bench, data, "
            "best-of-n, refine)\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(MainCommandTest, NoCommandAsksForOne) {
  const CommandResult r = Run("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "rmg: error: A subcommand is required (see rmg --help)\n");
}

TEST_F(MainCommandTest, HelpListsEveryCommand) {
  const CommandResult r = Run("--help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* command : {"list", "eval", "run-code", "serve", "convert", "bench", "data", "best-of-n", "refine"}) {
    EXPECT_NE(r.out.find(std::string("  ") + command), std::string::npos) << command << " missing from:\n" << r.out;
  }
}

TEST_F(MainCommandTest, AnUnknownFlagIsAnErrorWithExitCodeTwo) {
  const CommandResult r = Run("list --no-such-flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rmg
