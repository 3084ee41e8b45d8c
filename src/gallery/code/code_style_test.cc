// code_style: RM-Gallery's CodeStyleReward (rm_gallery_api.md §11.3). Names and
// reasons were computed once in CPython 3.11 with the documented regexes.
#include <gtest/gtest.h>

#include "gallery/testing.h"
#include "rmg/registry.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::SortedKeys;

constexpr const char* kCodeStyleReward = "code_style";

TEST(CodeStyleRewardTest, NoCodeBlock) {
  const auto r = Score(kCodeStyleReward, "def f(): pass");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No code blocks found to check style");
  EXPECT_EQ(r.extra, Json::parse(R"({"code_blocks": []})"));
}

TEST(CodeStyleRewardTest, CleanBlockScoresOne) {
  const auto r = Score(kCodeStyleReward, "Here:\n```python\ndef my_func(x):\n    y = x\n    return y\n```");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(),
            "Code style score: 1.000; Block 0: Consistent indentation; "
            "Block 0: Naming convention: 2/2 names follow snake_case");
}

TEST(CodeStyleRewardTest, MixedIndentationLosesHalf) {
  const auto r = Score(kCodeStyleReward, "```python\ndef f():\n    a = 1\n\tb = 2\n```");
  EXPECT_EQ(r.score, 0.5);
  EXPECT_EQ(r.reason(),
            "Code style score: 0.500; Block 0: Mixed indentation types (spaces and tabs); "
            "Block 0: Naming convention: 3/3 names follow snake_case");
}

TEST(CodeStyleRewardTest, TabsOnlyIsConsistent) {
  EXPECT_EQ(Score(kCodeStyleReward, "```python\ndef f():\n\ta = 1\n\tif a:\n\t\treturn a\n```").score, 1.0);
}

// A blank line holding stray spaces in tab-indented code is not an indented line.
TEST(CodeStyleRewardTest, WhitespaceOnlyLinesAreBlank) {
  EXPECT_EQ(Score(kCodeStyleReward, "```python\ndef f():\n\tx = 1\n    \n\treturn x\n```").score, 1.0);
}

TEST(CodeStyleRewardTest, CamelCaseNamesLoseTheNamingHalf) {
  const auto r = Score(kCodeStyleReward, "```python\ndef myFunc():\n    myVar = 1\n```");
  EXPECT_EQ(r.score, 0.5);
  EXPECT_EQ(r.reason(),
            "Code style score: 0.500; Block 0: Consistent indentation; "
            "Block 0: Naming convention: 0/2 names follow snake_case");
}

TEST(CodeStyleRewardTest, NamingShareIsProportional) {
  const auto r = Score(kCodeStyleReward, "```python\ndef good_name():\n    badName = 1\n    other_name = 2\n```");
  EXPECT_DOUBLE_EQ(r.score, 0.5 + 0.5 * 2.0 / 3.0);
  EXPECT_EQ(r.reason(),
            "Code style score: 0.833; Block 0: Consistent indentation; "
            "Block 0: Naming convention: 2/3 names follow snake_case");
}

TEST(CodeStyleRewardTest, BlockWithoutNames) {
  const auto r = Score(kCodeStyleReward, "```\nprint(1)\n```");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "Code style score: 1.000; Block 0: Consistent indentation; Block 0: No names to check");
}

TEST(CodeStyleRewardTest, AnyIdentifierBeforeAnEqualsSignIsAName) {
  // `fooBar ==`, keyword arguments and constants all count; `x +=` does not.
  EXPECT_EQ(Score(kCodeStyleReward, "```python\nif fooBar == 1:\n    pass\n```").reason(),
            "Code style score: 0.500; Block 0: Consistent indentation; "
            "Block 0: Naming convention: 0/1 names follow snake_case");
  EXPECT_EQ(Score(kCodeStyleReward, "```python\nf(keyWord=1)\nCONSTANT = 2\n```").reason(),
            "Code style score: 0.500; Block 0: Consistent indentation; "
            "Block 0: Naming convention: 0/2 names follow snake_case");
  EXPECT_EQ(Score(kCodeStyleReward, "```python\nx += 1\n```").reason(),
            "Code style score: 1.000; Block 0: Consistent indentation; Block 0: No names to check");
}

// The patterns' \s is Python's: any character for which str.isspace() is true. Found
// with re.findall in CPython 3.11: ['myFunc'] and ['x', 'y', 'z'].
TEST(CodeStyleRewardTest, NamesAreFoundAcrossPythonsWhitespace) {
  EXPECT_EQ(
      Score(kCodeStyleReward, "```python\ndef\u00a0myFunc():\n    x\u3000= 1\n    y\v= 2\n    z\x1c= 3\n```").reason(),
      "Code style score: 0.875; Block 0: Consistent indentation; "
      "Block 0: Naming convention: 3/4 names follow snake_case");
}

TEST(CodeStyleRewardTest, ScoreIsTheMeanOverBlocks) {
  const auto r = Score(kCodeStyleReward, "```python\nx = 1\n```\nand\n```python\nbadName = 1\n```");
  EXPECT_EQ(r.score, 0.75);
  EXPECT_EQ(r.reason(),
            "Code style score: 0.750; Block 0: Consistent indentation; "
            "Block 0: Naming convention: 1/1 names follow snake_case; Block 1: Consistent indentation; "
            "Block 1: Naming convention: 0/1 names follow snake_case");
}

TEST(CodeStyleRewardTest, ExtraData) {
  const auto r = Score(kCodeStyleReward, "```python\nx = 1\n```\n```\n\tbadName = 1\n```");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"average_score", "code_blocks_count", "details"}));
  EXPECT_EQ(r.extra.at("average_score"), 0.75);
  EXPECT_EQ(r.extra.at("code_blocks_count"), 2);
  EXPECT_EQ(r.extra.at("details"), Json::parse(R"([
    "Block 0: Consistent indentation", "Block 0: Naming convention: 1/1 names follow snake_case",
    "Block 1: Consistent indentation", "Block 1: Naming convention: 0/1 names follow snake_case"])"));
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "code_style");
}

TEST(CodeStyleRewardTest, AliasBuildsCodeStyle) {
  EXPECT_EQ(RewardRegistry::Global().Spec("code_style_reward").name, "code_style");
  // code_quality_reward is a composition of its own now (code_quality.cc).
  EXPECT_EQ(RewardRegistry::Global().Spec("code_quality_reward").name, "code_quality_reward");
}

}  // namespace
}  // namespace rmg::gallery
