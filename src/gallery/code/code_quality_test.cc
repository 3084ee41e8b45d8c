// code_quality_reward: the weighted composition of syntax_check, code_style and
// code_execution.
#include <gtest/gtest.h>

#include "gallery/code/code_testing.h"
#include "gallery/testing.h"
#include "rmg/registry.h"

namespace rmg::gallery {
namespace {

DataSample Doubling(const std::string& content) {
  Json answer = testing::AnswerJson(content);
  answer["label"] = {{"inputs_outputs", {{"inputs", {"1", "2"}}, {"outputs", {"2", "4"}}}}};
  return testing::SampleWithAnswers({answer});
}

TEST(CodeQualityRewardTest, WeightedMeanOfTheThree) {
  testing::PlainRunnerScope runner;
  const auto reward = RewardRegistry::Global().Create("code_quality_reward");
  EXPECT_EQ(reward->family(), RewardFamily::kComposite);
  // Valid syntax (1), camelCase name (style 0.5), half the tests pass (0.5).
  const auto r = testing::ScoredOutput(*reward, reward->Evaluate(Doubling("```python\nmyN = int(input())\nprint(4)\n```")));
  ASSERT_EQ(r.details.size(), 3u);
  EXPECT_EQ(r.details[0].name, "syntax_check");
  EXPECT_EQ(r.details[1].name, "code_style");
  EXPECT_EQ(r.details[2].name, "code_execution");
  EXPECT_DOUBLE_EQ(r.score, 0.2 * 1.0 + 0.2 * 0.5 + 0.6 * 0.5);
}

TEST(CodeQualityRewardTest, WeightsAreParameters) {
  testing::PlainRunnerScope runner;
  const auto reward = RewardRegistry::Global().Create(
      "code_quality_reward", {{"syntax_weight", 0.0}, {"style_weight", 0.0}, {"execution_weight", 1.0}});
  const auto r = testing::ScoredOutput(*reward, reward->Evaluate(Doubling("```python\nprint(int(input())*2)\n```")));
  EXPECT_EQ(r.score, 1.0);
}

TEST(CodeQualityRewardTest, RegisteredWithItsWeightsDocumented) {
  const RewardSpec& spec = RewardRegistry::Global().Spec("code_quality_reward");
  EXPECT_NE(spec.description.find("0.2 syntax_check + 0.2 code_style + 0.6 code_execution"), std::string::npos);
}

}  // namespace
}  // namespace rmg::gallery
