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
