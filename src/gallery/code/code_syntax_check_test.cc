// code_syntax_check: RM-Gallery's SyntaxCheckReward (rm_gallery_api.md §11.3).
// Error texts are CPython 3.11's (ast.parse), the interpreter the checker runs.
#include <gtest/gtest.h>

#include "code/program_runner.h"
#include "gallery/code/code_testing.h"
#include "gallery/testing.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::SortedKeys;

constexpr const char* kCodeSyntaxCheckReward = "code_syntax_check";

class CodeSyntaxCheckRewardTest : public ::testing::Test {
 protected:
  testing::PlainRunnerScope runner_;
};

TEST_F(CodeSyntaxCheckRewardTest, NoBlocks) {
  const auto r = Score(kCodeSyntaxCheckReward, "just prose");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "No code blocks found to check");
  EXPECT_EQ(r.extra, Json::parse(R"({"code_blocks": [], "syntax_errors": []})"));
}

TEST_F(CodeSyntaxCheckRewardTest, ValidBlocks) {
  const auto r = Score(kCodeSyntaxCheckReward, "```python\ndef f(x):\n    return x\n```\n```\nprint(1)\n```");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "Syntax check: 2/2 blocks valid, 0 errors");
  EXPECT_EQ(r.details[0].name, "syntax_check");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"code_blocks", "syntax_errors", "total_blocks", "valid_blocks"}));
  EXPECT_EQ(r.extra["code_blocks"][1], "print(1)");
}

TEST_F(CodeSyntaxCheckRewardTest, InvalidBlockCostsHalfAPoint) {
  const auto r = Score(kCodeSyntaxCheckReward, "```python\nx = 1\n```\n```python\ndef f(:\n  pass\n```");
  EXPECT_EQ(r.score, 0.0);  // 1/2 - 0.5
  EXPECT_EQ(r.reason(), "Syntax check: 1/2 blocks valid, 1 errors");
  EXPECT_EQ(r.extra["syntax_errors"],
            Json::parse(R"j([{"block": 1, "error": "invalid syntax (<unknown>, line 1)", "line": 1, "offset": 7}])j"));
}

TEST_F(CodeSyntaxCheckRewardTest, CPythonWording) {
  const auto r = Score(kCodeSyntaxCheckReward, "```python\nif x:\nreturn\n```");
  EXPECT_EQ(r.score, -0.5);
  EXPECT_EQ(r.extra["syntax_errors"][0]["error"],
            "expected an indented block after 'if' statement on line 1 (<unknown>, line 2)");
  EXPECT_EQ(Score(kCodeSyntaxCheckReward, "```python\nprint \"a\"\n```").extra["syntax_errors"][0]["error"],
            "Missing parentheses in call to 'print'. Did you mean print(...)? (<unknown>, line 1)");
}

TEST_F(CodeSyntaxCheckRewardTest, OnlyUntaggedAndPythonFences) {
  // RM-Gallery's regex: ```(?:python)?\n — a ```cpp fence is not a block.
  EXPECT_EQ(Score(kCodeSyntaxCheckReward, "```cpp\nint x;\n```").reason(), "No code blocks found to check");
}

TEST_F(CodeSyntaxCheckRewardTest, LongLivedAndOneShotCheckersAgree) {
  // use_pool=true: the long-lived checker processes; use_pool=false: one run per response.
  const std::vector<std::string> responses = {
      "```python\ndef f(x):\n    return x\n```\n```python\nx = 1\ndef g(:\n```",
      std::string("```python\na = 1\0b\n```", 21),
      "```python\n1" + std::string(200000, '+') + "1\n```",
  };
  for (const std::string& response : responses) {
    const auto pooled = testing::ScoreWith(kCodeSyntaxCheckReward, Json::parse(R"({"use_pool": true})"), response);
    const auto one_shot = testing::ScoreWith(kCodeSyntaxCheckReward, Json::parse(R"({"use_pool": false})"), response);
    EXPECT_EQ(pooled.reason().rfind("Syntax check: ", 0), 0u) << pooled.reason();
    EXPECT_EQ(pooled.score, one_shot.score);
    EXPECT_EQ(pooled.reason(), one_shot.reason());
    EXPECT_EQ(pooled.extra, one_shot.extra);
  }
}

TEST_F(CodeSyntaxCheckRewardTest, ATimeoutFailsTheUnitAndTheNextResponseIsScored) {
  std::string slow = "```python\n";
  for (int i = 0; i < 100000; ++i) slow += "x = 1\n";  // a few hundred ms of ast.parse
  slow += "```";
  const auto timed_out = testing::ScoreWith(kCodeSyntaxCheckReward, Json::parse(R"({"timeout": 0.001})"), slow);
  EXPECT_EQ(timed_out.score, 0.0);
  EXPECT_EQ(timed_out.reason().rfind("error: time_limit: ", 0), 0u) << timed_out.reason();
  EXPECT_EQ(timed_out.extra, Json({{"error", timed_out.reason().substr(std::string_view("error: ").size())}}));
  EXPECT_EQ(Score(kCodeSyntaxCheckReward, "```python\nx = 1\n```").reason(), "Syntax check: 1/1 blocks valid, 0 errors");
}

TEST_F(CodeSyntaxCheckRewardTest, ABlockTooBigToParseInTheMemoryLimitFailsTheUnit) {
  // Valid Python whose syntax tree needs more than the checkers' 512 MiB (about 900
  // bytes per byte of "a;"): running out of memory says nothing about the code.
  std::string big = "```python\n";
  for (int i = 0; i < 400000; ++i) big += "a;";
  big += "\n```";
  for (const char* params : {R"({"use_pool": true})", R"({"use_pool": false})"}) {
    const auto r = testing::ScoreWith(kCodeSyntaxCheckReward, Json::parse(params), big);
    EXPECT_EQ(r.score, 0.0) << params;
    EXPECT_EQ(
        r.reason(),
        "error: memory_limit: parsing block 0 needs more than the 512 MiB of address space the syntax checker has")
        << params;
    EXPECT_EQ(r.extra, Json({{"error", r.reason().substr(std::string_view("error: ").size())}})) << params;
  }
  // Nesting too deep for CPython's parser is a MemoryError too, and a verdict, also
  // after code whose syntax tree takes tens of MiB.
  std::string code_then_deep;
  for (int i = 0; i < 20000; ++i) code_then_deep += "a;";
  code_then_deep += "\n" + std::string(7000, '-') + "1";
  for (const std::string& block : {std::string(100000, '-') + "1", code_then_deep}) {
    const auto deep = Score(kCodeSyntaxCheckReward, "```python\n" + block + "\n```");
    EXPECT_EQ(deep.score, -0.5) << deep.reason();
    EXPECT_EQ(deep.extra["syntax_errors"][0]["error"], "too deeply nested for CPython's parser (MemoryError)");
  }
}

TEST_F(CodeSyntaxCheckRewardTest, TheSamplesDeadlineCutsTheCheckersTimeShort) {
  // The one-shot checker is given the time left to the sample, not its own 10 s.
  double wall_limit = -1;
  code::SetProgramRunnerOverrideForTesting([&wall_limit](const RunRequest& request) {
    wall_limit = request.limits.wall_seconds;
    RunResult result;
    result.status = RunStatus::kOk;
    result.stdout_data = "[null]";
    return result;
  });
  const auto reward = RewardRegistry::Global().Create(kCodeSyntaxCheckReward, {{"use_pool", false}});
  EvalContext context;
  context.deadline = Deadline::After(2);
  const auto r = testing::ScoredOutput(*reward, reward->Evaluate(testing::OneResponse("```\nx = 1\n```"), context));
  EXPECT_EQ(r.reason(), "Syntax check: 1/1 blocks valid, 0 errors");
  EXPECT_GT(wall_limit, 0.0);
  EXPECT_LE(wall_limit, 2.0);
  // Without a sample deadline the reward's own limit applies.
  reward->Evaluate(testing::OneResponse("```\nx = 1\n```"));
  EXPECT_EQ(wall_limit, 10.0);
}

}  // namespace
}  // namespace rmg::gallery
