#include "bench/judgebench.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/testing.h"
#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

using V = PairVerdict;

TEST(JudgeBenchCorrect, SignOfTheGamesSum) {
  auto correct = [](V label, std::vector<V> games) { return JudgeBenchCorrect({"s", label, std::move(games)}); };
  EXPECT_TRUE(correct(V::kAWins, {V::kAWins, V::kAWins}));
  EXPECT_TRUE(correct(V::kAWins, {V::kAWins, V::kTie}));  // one right, one tie
  EXPECT_TRUE(correct(V::kBWins, {V::kTie, V::kBWins}));
  EXPECT_FALSE(correct(V::kAWins, {V::kAWins, V::kBWins}));  // inconsistent: position bias
  EXPECT_FALSE(correct(V::kAWins, {V::kTie, V::kTie}));
  EXPECT_FALSE(correct(V::kAWins, {V::kBWins, V::kTie}));
  EXPECT_FALSE(correct(V::kBWins, {V::kAWins}));
  EXPECT_TRUE(correct(V::kBWins, {V::kBWins}));
  EXPECT_FALSE(correct(V::kAWins, {}));
  // A tied label ("A=B"): a tie verdict agrees and no verdict contradicts.
  EXPECT_TRUE(correct(V::kTie, {V::kTie, V::kAWins}));
  EXPECT_TRUE(correct(V::kTie, {V::kBWins, V::kTie}));
  EXPECT_FALSE(correct(V::kTie, {V::kAWins, V::kBWins}));
  EXPECT_FALSE(correct(V::kTie, {V::kAWins}));
}

TEST(JudgeBenchCategory, JudgeBenchsFourCategories) {
  EXPECT_EQ(JudgeBenchCategory("mmlu-pro-computer science"), "knowledge");
  EXPECT_EQ(JudgeBenchCategory("livebench-reasoning"), "reasoning");
  EXPECT_EQ(JudgeBenchCategory("livebench-math"), "math");
  EXPECT_EQ(JudgeBenchCategory("livecodebench"), "coding");
  EXPECT_EQ(JudgeBenchCategory("other"), "other");
}

// The first `n` samples of judgebench_claude.jsonl with hand-set scores
// (score_A, score_B).
std::vector<DataSample> WithScores(const std::vector<std::pair<double, double>>& scores) {
  const auto records = rmg::testing::ReadSharedJsonl("preference/judgebench_claude.jsonl");
  std::vector<DataSample> samples;
  for (size_t k = 0; k < scores.size() && k < records.size(); ++k) {
    DataSample sample = ParseDataSample(records[k].dump());
    MutableReward(sample.output[0].answer).score = scores[k].first;
    MutableReward(sample.output[1].answer).score = scores[k].second;
    samples.push_back(std::move(sample));
  }
  return samples;
}

TEST(EvaluateJudgeBench, HandComputedFixture) {
  // The first six pairs of the file: labels A>B, B>A, B>A, A>B, A>B, B>A, all
  // from mmlu-pro-health.
  const std::vector<DataSample> samples = WithScores({
      {0.9, 0.1},   // A>B, A scores higher: right
      {0.5, 0.5},   // B>A, tie: a reward model's tie is B>A (right); a judge's is wrong
      {0.7, 0.2},   // B>A, A higher: wrong
      {0.5, 0.5},   // A>B, tie: wrong for both
      {0.4, 0.6},   // A>B, B higher: wrong
      {-1.0, 2.0},  // B>A, B higher: right
  });
  ASSERT_EQ(samples.size(), 6u) << "judgebench_claude.jsonl missing";
  const JudgeBenchResult reward_model = EvaluateJudgeBench(samples, JudgeBenchMode::kRewardModel);
  EXPECT_EQ(reward_model.overall.pairs, 6u);
  EXPECT_EQ(reward_model.overall.correct, 3u);
  EXPECT_DOUBLE_EQ(reward_model.overall.accuracy(), 0.5);
  EXPECT_DOUBLE_EQ(reward_model.per_source.at("mmlu-pro-health").accuracy(), 0.5);
  EXPECT_DOUBLE_EQ(reward_model.per_category.at("knowledge").accuracy(), 0.5);

  const JudgeBenchResult judge = EvaluateJudgeBench(samples, JudgeBenchMode::kJudge);
  EXPECT_EQ(judge.overall.correct, 2u);
  EXPECT_DOUBLE_EQ(judge.overall.accuracy(), 2.0 / 6);

  const Json report = JudgeBenchReport(reward_model);
  EXPECT_EQ(report["metrics"]["overall"], 0.5);
  EXPECT_EQ(report["metrics"]["pairs"], 6);
  EXPECT_EQ(report["metrics"]["per_source"]["mmlu-pro-health"], 0.5);
  EXPECT_EQ(report["metrics"]["per_category"]["knowledge"], 0.5);
}

TEST(JudgeBenchPairOf, PositionAndScorePath) {
  // Output order B, A: the label positions say which is which.
  const DataSample sample = ParseDataSample(R"({"unique_id": "p", "metadata": {"source": "livecodebench"},
    "output": [
      {"answer": {"role": "assistant", "content": "b", "label": {"preference": "rejected", "position": "B", "s": 1}}},
      {"answer": {"role": "assistant", "content": "a", "label": {"preference": "chosen", "position": "A", "s": 2}}}]})");
  const JudgeBenchPair pair = JudgeBenchPairOf(sample, JudgeBenchMode::kRewardModel, "label.s");
  EXPECT_EQ(pair.source, "livecodebench");
  EXPECT_EQ(pair.label, PairVerdict::kAWins);
  EXPECT_EQ(pair.games, std::vector<PairVerdict>{PairVerdict::kAWins});
}

TEST(JudgeBenchPairOf, WithoutPositionsOutputZeroIsA) {
  const DataSample sample = ParseDataSample(R"({"unique_id": "p", "source": "src",
    "output": [
      {"answer": {"role": "assistant", "content": "a", "label": {"preference": "rejected"}, "reward": {"score": 1}}},
      {"answer": {"role": "assistant", "content": "b", "label": {"preference": "chosen"}, "reward": {"score": 3}}}]})");
  const JudgeBenchPair pair = JudgeBenchPairOf(sample, JudgeBenchMode::kJudge, "");
  EXPECT_EQ(pair.source, "src");
  EXPECT_EQ(pair.label, PairVerdict::kBWins);
  EXPECT_EQ(pair.games, std::vector<PairVerdict>{PairVerdict::kBWins});
}

TEST(JudgeBenchPairOf, ErrorsNameSampleAndField) {
  auto error = [](const char* json) {
    return testing::ErrorOf([&] { JudgeBenchPairOf(ParseDataSample(json), JudgeBenchMode::kRewardModel, ""); });
  };
  EXPECT_NE(
      error(R"({"unique_id": "one", "output": [{"answer": {"content": "a"}}]})").find("'one': output: expected 2"),
      std::string::npos);
  EXPECT_NE(error(R"({"unique_id": "both", "output": [
      {"answer": {"content": "a", "label": {"preference": "chosen"}, "reward": {"score": 1}}},
      {"answer": {"content": "b", "label": {"preference": "chosen"}, "reward": {"score": 1}}}]})")
                .find("'both': output[*].answer.label.preference"),
            std::string::npos);
  EXPECT_NE(error(R"({"unique_id": "pos", "output": [
      {"answer": {"content": "a", "label": {"preference": "chosen", "position": "A"}}},
      {"answer": {"content": "b", "label": {"preference": "rejected", "position": "A"}}}]})")
                .find("'pos': output[*].answer.label.position"),
            std::string::npos);
  EXPECT_NE(error(R"({"unique_id": "unscored", "output": [
      {"answer": {"content": "a", "label": {"preference": "chosen"}}},
      {"answer": {"content": "b", "label": {"preference": "rejected"}}}]})")
                .find("'unscored': score 'reward.score'"),
            std::string::npos);
}

TEST(EvaluateJudgeBench, SharedDataScoredByLengthMatchesAnIndependentLoop) {
  const auto data = testing::LoadLengthScored("judgebench_claude.jsonl");
  ASSERT_EQ(data.samples.size(), 270u) << "judgebench_claude.jsonl missing or changed";
  // Independently, from the raw lines: the longer response wins, a tie goes to B,
  // and the upstream label in metadata is the truth.
  size_t correct = 0;
  std::map<std::string, std::pair<size_t, size_t>> per_source;  // correct, pairs
  for (const nlohmann::json& record : data.raw) {
    const size_t length_a = testing::CharacterCount(record["output"][0]["answer"]["content"].get<std::string>());
    const size_t length_b = testing::CharacterCount(record["output"][1]["answer"]["content"].get<std::string>());
    const std::string decision = length_a > length_b ? "A>B" : "B>A";
    const bool right = decision == record["metadata"]["label"];
    correct += right;
    auto& [source_correct, source_pairs] = per_source[record["metadata"]["source"].get<std::string>()];
    source_correct += right;
    ++source_pairs;
  }
  const JudgeBenchResult result = EvaluateJudgeBench(data.samples, JudgeBenchMode::kRewardModel);
  EXPECT_EQ(result.overall.pairs, 270u);
  EXPECT_EQ(result.overall.correct, correct);
  // Counted once with a separate Python script over the file.
  EXPECT_EQ(result.overall.correct, 120u);
  ASSERT_EQ(result.per_source.size(), per_source.size());
  for (const auto& [source, counts] : per_source) {
    EXPECT_EQ(result.per_source.at(source).correct, counts.first) << source;
    EXPECT_EQ(result.per_source.at(source).pairs, counts.second) << source;
  }
}

}  // namespace
}  // namespace rmg::bench
