#include "rmg/reward.h"

#include <gtest/gtest.h>

#include <thread>

#include "rmg/sample_io.h"

namespace rmg {
namespace {

DataSample ThreeOutputs() {
  return ParseDataSample(
      R"({"unique_id":"t","input":[{"role":"user","content":"q"}],"output":[{"answer":{"content":"a"}},{"answer":{"content":"bb"}},{"answer":{"content":"ccc"}}]})");
}

// Scores an output by its length; throws on "bb" when asked to.
class LengthReward final : public PointwiseReward {
 public:
  explicit LengthReward(bool fail_on_bb = false) : PointwiseReward("len"), fail_on_bb_(fail_on_bb) {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    if (fail_on_bb_ && output.answer.content == "bb") throw std::runtime_error("cannot score bb");
    RewardResult result;
    result.details.push_back({name(), static_cast<double>(output.answer.content.size()), "length", nullptr});
    result.extra_data = {{"chars", output.answer.content.size()}};
    return result;
  }

 private:
  bool fail_on_bb_;
};

// Records every pair it sees; the first output of a pair wins.
class FirstWinsPairwise final : public PairwiseReward {
 public:
  FirstWinsPairwise() : PairwiseReward("first_wins") {}
  mutable std::vector<std::pair<std::string, std::string>> pairs;
  RankResult EvaluatePair(const DataSample&, const DataOutput& a, const DataOutput& b, const Deadline&) const override {
    pairs.emplace_back(a.answer.content, b.answer.content);
    RankResult result;
    result.details.push_back({name(), "first wins", {1.0, 0.0}});
    return result;
  }
};

class PickLongestListwise final : public ListwiseReward {
 public:
  PickLongestListwise() : ListwiseReward("longest") {}
  RankResult EvaluateList(const DataSample& sample, const Deadline&) const override {
    RankResult result;
    RankDetail detail{name(), "longest wins", std::vector<double>(sample.output.size(), 0.0)};
    size_t best = 0;
    for (size_t i = 0; i < sample.output.size(); ++i) {
      if (sample.output[i].answer.content.size() > sample.output[best].answer.content.size()) best = i;
    }
    detail.rank[best] = 1.0;
    result.details.push_back(detail);
    result.extra_data = {{"best", best}};
    return result;
  }
};

class StepLength final : public StepwiseReward {
 public:
  StepLength() : StepwiseReward("step_len") {}
  RewardResult EvaluateStep(const DataSample&, const DataOutput&, const Step& step, const Deadline&) const override {
    RewardResult result;
    result.details.push_back({name(), static_cast<double>(step.content.size()), "", nullptr});
    return result;
  }
};

class SlowReward final : public PointwiseReward {
 public:
  SlowReward() : PointwiseReward("slow") {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput&, const Deadline& deadline) const override {
    while (true) {
      deadline.Check();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
};

TEST(RewardTest, PointwiseScoresEachOutputAndStoresExtraData) {
  const DataSample sample = ThreeOutputs();
  const DataSample scored = LengthReward().Evaluate(sample);
  for (size_t i = 0; i < 3; ++i) {
    const Step& answer = scored.output[i].answer;
    ASSERT_TRUE(answer.reward.has_value());
    EXPECT_DOUBLE_EQ(answer.reward->score, static_cast<double>(i + 1));
    ASSERT_EQ(answer.reward->details.size(), 1u);
    EXPECT_EQ(answer.reward->details[0].name, "len");
    EXPECT_EQ(answer.additional_kwargs["len"]["chars"], i + 1);
  }
  // The caller's sample is untouched.
  EXPECT_FALSE(sample.output[0].answer.reward.has_value());
}

TEST(RewardTest, ScoreIsMeanOfAllDetailsIncludingEarlierOnes) {
  DataSample sample = ThreeOutputs();
  MutableReward(sample.output[0].answer).details.push_back({"earlier", 3.0, "", nullptr});
  const DataSample scored = LengthReward().Evaluate(sample);
  EXPECT_DOUBLE_EQ(scored.output[0].answer.reward->score, 2.0);  // (3 + 1) / 2
}

TEST(RewardTest, FailingUnitGetsErrorDetailAndOthersAreScored) {
  EvalContext context;
  context.error_score = -1.0;
  DataSample sample = ThreeOutputs();
  const size_t failures = LengthReward(/*fail_on_bb=*/true).Apply(sample, context);
  EXPECT_EQ(failures, 1u);
  EXPECT_DOUBLE_EQ(sample.output[0].answer.reward->score, 1.0);
  EXPECT_DOUBLE_EQ(sample.output[1].answer.reward->score, -1.0);
  EXPECT_EQ(sample.output[1].answer.reward->details[0].reason, "error: cannot score bb");
  // Where its extra data goes, the failed unit says what went wrong (as the LLM judges do),
  // so a reader of the sample can tell an error_score from a verdict.
  EXPECT_EQ(sample.output[1].answer.additional_kwargs, Json({{"len", {{"error", "cannot score bb"}}}}));
  EXPECT_DOUBLE_EQ(sample.output[2].answer.reward->score, 3.0);
}

TEST(RewardTest, PairwiseComparesEachPairOnceNeverWithItself) {
  FirstWinsPairwise reward;
  const DataSample scored = reward.Evaluate(ThreeOutputs());
  const std::vector<std::pair<std::string, std::string>> expected = {{"a", "bb"}, {"a", "ccc"}, {"bb", "ccc"}};
  EXPECT_EQ(reward.pairs, expected);
  // a wins both of its pairs, bb one of two, ccc none.
  EXPECT_DOUBLE_EQ(scored.output[0].answer.reward->score, 1.0);
  EXPECT_DOUBLE_EQ(scored.output[1].answer.reward->score, 0.5);
  EXPECT_DOUBLE_EQ(scored.output[2].answer.reward->score, 0.0);
  EXPECT_EQ(scored.output[1].answer.reward->details.size(), 2u);
}

TEST(RewardTest, ListwiseRanksAllOutputsAndStoresExtraOnLastInput) {
  const DataSample scored = PickLongestListwise().Evaluate(ThreeOutputs());
  EXPECT_DOUBLE_EQ(scored.output[0].answer.reward->score, 0.0);
  EXPECT_DOUBLE_EQ(scored.output[2].answer.reward->score, 1.0);
  EXPECT_EQ(scored.input.back().additional_kwargs["longest"]["best"], 2);
}

TEST(RewardTest, StepwiseScoresStepsAndLeavesAnswerAlone) {
  const DataSample sample = ParseDataSample(
      R"({"unique_id":"s","output":[{"answer":{"content":"final"},"steps":[{"content":"ab"},{"content":"abcd"}]}]})");
  const DataSample scored = StepLength().Evaluate(sample);
  EXPECT_FALSE(scored.output[0].answer.reward.has_value());
  EXPECT_DOUBLE_EQ((*scored.output[0].steps)[0].reward->score, 2.0);
  EXPECT_DOUBLE_EQ((*scored.output[0].steps)[1].reward->score, 4.0);
}

TEST(RewardTest, StepwiseOutputWithoutStepsIsAnErrorForThatOutput) {
  DataSample sample = ThreeOutputs();
  EXPECT_EQ(StepLength().Apply(sample, EvalContext{}), 3u);
  EXPECT_NE(sample.output[0].answer.reward->details[0].reason.find("no steps"), std::string::npos);
}

TEST(RewardTest, DeadlineStopsASlowUnit) {
  EvalContext context;
  context.deadline = Deadline::After(0.05);
  DataSample sample = ThreeOutputs();
  EXPECT_EQ(SlowReward().Apply(sample, context), 3u);
  EXPECT_EQ(sample.output[0].answer.reward->details[0].reason, "timed out: the 0.05 s deadline passed");
  EXPECT_EQ(sample.output[0].answer.additional_kwargs["slow"]["error"], "timed out: the 0.05 s deadline passed");
  EXPECT_DOUBLE_EQ(sample.output[2].answer.reward->score, 0.0);
}

}  // namespace
}  // namespace rmg
