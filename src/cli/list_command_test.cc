// `rmg list`: runs the real rmg binary as a subprocess, as a user would.
#include <gtest/gtest.h>

#include <string>

#include "cli/cli_testing.h"
#include "rmg/schema.h"

namespace rmg {
namespace {

using testing::CommandResult;
using testing::ReadFile;

class ListCommandTest : public testing::CommandTest {};

TEST_F(ListCommandTest, ListShowsRewards) {
  const CommandResult r = Run("list");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("length_penalty"), std::string::npos);
  EXPECT_NE(r.out.find("alias of reasoning_format"), std::string::npos);
}

// The judges a config registers from its files are listed with the built-in rewards.
TEST_F(ListCommandTest, ListsTheJudgesOfAConfig) {
  Write("mine.yaml", "name: my_rubric_judge\nmode: pointwise\nrubrics: [Be brief.]\n");
  const std::string config = Write("c.yaml", "judges: [mine.yaml]\nreward: my_rubric_judge\n");
  const CommandResult r = Run("list --config " + config);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("my_rubric_judge"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("length_penalty"), std::string::npos);
  EXPECT_EQ(Run("list").out.find("my_rubric_judge"), std::string::npos);
  const CommandResult missing = Run("list --config " + Path("none.yaml"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.yaml"), std::string::npos) << missing.err;
}

// A misspelt key (`judge:`) listed nothing and said nothing, where `rmg eval` refused
// the same file; a serve config's keys are known too.
TEST_F(ListCommandTest, AConfigKeyNeitherEvalNorServeReadsIsRefused) {
  Write("mine.yaml", "name: my_rubric_judge\nmode: pointwise\nrubrics: [Be brief.]\n");
  const CommandResult typo = Run("list --config " + Write("typo.yaml", "judge: [mine.yaml]\n"));
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("typo.yaml: judge: unknown key (known: reward, params, "), std::string::npos) << typo.err;
  const CommandResult serve =
      Run("list --config " + Write("serve.yaml", "port: 8000\nrewards: {a: accuracy}\njudges: [mine.yaml]\n"));
  EXPECT_EQ(serve.exit_code, 0) << serve.err;
  EXPECT_NE(serve.out.find("my_rubric_judge"), std::string::npos) << serve.out;
}

// Nothing written (a full disk) passed for a listing.
TEST_F(ListCommandTest, AListThatCannotBeWrittenFails) {
  for (const std::string flags : {"", " --json", " --markdown"}) {
    const CommandResult r = RunShell(std::string(RMG_BINARY) + " list" + flags + " > /dev/full");
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_NE(r.err.find("stdout: write failed: No space left on device"), std::string::npos) << r.err;
  }
}

TEST_F(ListCommandTest, ListJsonHasParametersAndDefaults) {
  const CommandResult r = Run("list --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json rows = Json::parse(r.out);
  bool found = false;
  for (const Json& row : rows) {
    if (row["name"] != "length_penalty") continue;
    found = true;
    EXPECT_EQ(row["kind"], "rule");
    EXPECT_EQ(row["family"], "pointwise");
    EXPECT_EQ(row["parameters"][0]["name"], "min_length");
    EXPECT_EQ(row["parameters"][0]["default"], 10);
    EXPECT_EQ(row["parameters"][0]["type"], "int");
  }
  EXPECT_TRUE(found);
}

TEST_F(ListCommandTest, ReadmeRewardTableIsCurrent) {
  const CommandResult r = Run("list --markdown");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string readme = ReadFile(std::string(RMG_SOURCE_DIR) + "/README.md");
  EXPECT_NE(readme.find(r.out), std::string::npos)
      << "README.md's reward table is out of date; regenerate it with `rmg list --markdown`:\n"
      << r.out;
}

TEST_F(ListCommandTest, JsonShowsParameterRangesAndChoices) {
  const CommandResult r = Run("list --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool found = false;
  for (const Json& row : Json::parse(r.out)) {
    if (row["name"] != "bleu") continue;
    found = true;
    size_t checked = 0;
    for (const Json& param : row["parameters"]) {
      if (param["name"] == "max_ngram_order") {
        EXPECT_EQ(param["min"], 1);
        EXPECT_EQ(param["max"], 64);
        ++checked;
      } else if (param["name"] == "tokenize") {
        EXPECT_EQ(param["choices"], Json::array({"13a", "none", "intl", "char", "zh"}));
        EXPECT_FALSE(param.contains("min"));
        ++checked;
      }
    }
    EXPECT_EQ(checked, 2u);
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace rmg
