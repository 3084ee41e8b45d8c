#include "bench/conflict.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bench/testing.h"
#include "cli/cli_testing.h"
#include "llm/testing/scripted_server.h"
#include "rmg/registry.h"
#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

using ::testing::HasSubstr;
using Components = std::vector<std::vector<size_t>>;

constexpr PairOutcome kFirst = PairOutcome::kFirstWins;
constexpr PairOutcome kSecond = PairOutcome::kSecondWins;
constexpr PairOutcome kTie = PairOutcome::kTie;

// A tournament in which output `winner` beats `loser` for every listed pair and
// every other pair is a tie.
Tournament Beats(std::string id, size_t outputs, const std::vector<std::pair<size_t, size_t>>& wins) {
  Tournament t{std::move(id), outputs, {}};
  for (size_t i = 0; i < outputs; ++i) {
    for (size_t j = i + 1; j < outputs; ++j) {
      PairOutcome outcome = kTie;
      for (const auto& [winner, loser] : wins) {
        if (winner == i && loser == j) outcome = kFirst;
        if (winner == j && loser == i) outcome = kSecond;
      }
      t.verdicts.push_back({i, j, outcome});
    }
  }
  return t;
}

TEST(ConflictTest, TarjanFindsComponents) {
  // 0 -> 1 -> 2 -> 0 is one component; 3 -> 4 -> 3 another; 5 alone (edge 2 -> 5).
  const Components components = StronglyConnectedComponents(6, {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 3}, {2, 5}});
  EXPECT_THAT(components, ::testing::UnorderedElementsAre(std::vector<size_t>{0, 1, 2}, std::vector<size_t>{3, 4},
                                                          std::vector<size_t>{5}));
  // A DAG has only singletons, in reverse topological order (sinks first).
  EXPECT_EQ(StronglyConnectedComponents(3, {{0, 1}, {1, 2}}), (Components{{2}, {1}, {0}}));
  EXPECT_TRUE(StronglyConnectedComponents(0, {}).empty());
}

TEST(ConflictTest, TarjanIsIterativeOnALongCycle) {
  // 200000 nodes in one cycle: a recursive Tarjan would go 200000 calls deep.
  const size_t n = 200000;
  std::vector<std::pair<size_t, size_t>> edges;
  for (size_t v = 0; v < n; ++v) edges.emplace_back(v, (v + 1) % n);
  const Components components = StronglyConnectedComponents(n, edges);
  ASSERT_EQ(components.size(), 1u);
  EXPECT_EQ(components[0].size(), n);
}

TEST(ConflictTest, TransitiveTournamentHasNoConflict) {
  // 0 > 1 > 2 > 3 and every implied pair: 6 comparisons, 0 is the Condorcet winner.
  const SampleConflicts s = AnalyzeTournament(Beats("t", 4, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
  EXPECT_EQ(s.comparisons, 6u);
  EXPECT_EQ(s.ties, 0u);
  EXPECT_TRUE(s.cycles.empty());
  EXPECT_EQ(s.condorcet_winner, 0u);
}

TEST(ConflictTest, RockPaperScissorsIsOneThreeCycle) {
  // rock 0 beats scissors 2, scissors 2 beats paper 1, paper 1 beats rock 0.
  const SampleConflicts s = AnalyzeTournament(Beats("rps", 3, {{0, 2}, {2, 1}, {1, 0}}));
  EXPECT_EQ(s.cycles, (Components{{0, 1, 2}}));
  EXPECT_EQ(s.comparisons, 3u);
  EXPECT_FALSE(s.condorcet_winner.has_value());
}

TEST(ConflictTest, TwoDisjointCycles) {
  // {0,1,2} and {3,4,5} are each rock-paper-scissors; every one of 0..2 beats every one of 3..5.
  std::vector<std::pair<size_t, size_t>> wins = {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}};
  for (size_t a = 0; a < 3; ++a) {
    for (size_t b = 3; b < 6; ++b) wins.emplace_back(a, b);
  }
  const SampleConflicts s = AnalyzeTournament(Beats("two", 6, wins));
  EXPECT_EQ(s.cycles, (Components{{0, 1, 2}, {3, 4, 5}}));
  EXPECT_EQ(s.comparisons, 15u);  // 6 * 5 / 2
  EXPECT_FALSE(s.condorcet_winner.has_value());
}

TEST(ConflictTest, TiesAddNoEdges) {
  // All ties: no cycle, no winner.
  SampleConflicts s = AnalyzeTournament(Beats("ties", 3, {}));
  EXPECT_EQ(s.ties, 3u);
  EXPECT_TRUE(s.cycles.empty());
  EXPECT_FALSE(s.condorcet_winner.has_value());
  // A 3-cycle among 0..2 while 3 ties with everyone: the cycle stays, 3 is outside it.
  s = AnalyzeTournament(Beats("cycle+tie", 4, {{0, 1}, {1, 2}, {2, 0}}));
  EXPECT_EQ(s.ties, 3u);
  EXPECT_EQ(s.cycles, (Components{{0, 1, 2}}));
  // 0 beats 1 and 2, but ties with 3: no Condorcet winner.
  s = AnalyzeTournament(Beats("tie-top", 4, {{0, 1}, {0, 2}, {3, 1}, {3, 2}, {1, 2}}));
  EXPECT_TRUE(s.cycles.empty());
  EXPECT_FALSE(s.condorcet_winner.has_value());
}

TEST(ConflictTest, MetricsOverSamples) {
  const std::vector<Tournament> tournaments = {
      Beats("transitive", 3, {{0, 1}, {0, 2}, {1, 2}}),                   // winner 0, no cycle
      Beats("rps", 3, {{0, 2}, {2, 1}, {1, 0}}),                          // 1 cycle
      Beats("tie", 2, {}),                                                // a tie
      Tournament{"single", 1, {}},                                        // skipped
      Beats("two", 6, {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}}),  // 2 cycles, 9 ties
  };
  const ConflictResult r = EvaluateConflicts(tournaments);
  // Compared: 4 samples; with cycles: rps and two (2 of 4); cycles 1 + 2 = 3;
  // comparisons 3 + 3 + 1 + 15 = 22; ties 0 + 0 + 1 + 9 = 10; winners: transitive (1 of 4).
  EXPECT_EQ(r.samples, 4u);
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(r.comparisons, 22u);
  EXPECT_EQ(r.ties, 10u);
  EXPECT_DOUBLE_EQ(r.conflict_rate, 0.5);
  EXPECT_DOUBLE_EQ(r.dominance_rate, 0.25);
  const Json report = ConflictReport(r);
  const Json& metrics = report["metrics"];
  EXPECT_EQ(metrics["cycles"], 3);
  EXPECT_EQ(metrics["comparisons"], 22);
  EXPECT_DOUBLE_EQ(metrics["conflict_rate"].get<double>(), 0.5);
  EXPECT_EQ(report["per_sample"]["two"]["cycles"], 2);
  EXPECT_EQ(report["per_sample"]["two"]["largest_cycle"], 3);
  EXPECT_EQ(report["per_sample"]["transitive"]["condorcet_winner"], 0);
  EXPECT_EQ(report["per_sample"]["rps"]["condorcet_winner"], -1);
  EXPECT_FALSE(report["per_sample"].contains("single"));
  // Failed comparisons are counted apart and add no edge.
  Tournament failed = Beats("failed", 3, {{0, 1}, {1, 2}});
  failed.verdicts[1].outcome = PairOutcome::kFailed;  // the pair (0, 2)
  const SampleConflicts f = AnalyzeTournament(failed);
  EXPECT_EQ(f.failed, 1u);
  EXPECT_EQ(f.comparisons, 2u);
  EXPECT_FALSE(f.condorcet_winner.has_value());
}

TEST(ConflictTest, BadVerdictsNameTheSample) {
  EXPECT_THAT(testing::ErrorOf([] { AnalyzeTournament({"s9", 2, {{0, 2, kFirst}}}); }), HasSubstr("'s9'"));
  EXPECT_THAT(testing::ErrorOf([] { AnalyzeTournament({"s9", 2, {{1, 1, kFirst}}}); }), HasSubstr("'s9'"));
  EXPECT_THAT(testing::ErrorOf([] {
                AnalyzeTournament({"s9", 2, {{0, 1, kFirst}, {1, 0, kSecond}}});
              }),
              HasSubstr("compared twice"));
}

// A pairwise reward playing rock-paper-scissors on the outputs' content, so the
// RewardModel path can produce a cycle.
class RockPaperScissorsReward final : public PairwiseReward {
 public:
  RockPaperScissorsReward() : PairwiseReward("rps") {}
  RankResult EvaluatePair(const DataSample&, const DataOutput& first, const DataOutput& second,
                          const Deadline&) const override {
    const std::string& a = first.answer.content;
    const std::string& b = second.answer.content;
    const bool a_wins =
        (a == "rock" && b == "scissors") || (a == "scissors" && b == "paper") || (a == "paper" && b == "rock");
    const bool b_wins =
        (b == "rock" && a == "scissors") || (b == "scissors" && a == "paper") || (b == "paper" && a == "rock");
    RankResult result;
    result.details.push_back({"rps", "", {a_wins ? 1.0 : 0.0, b_wins ? 1.0 : 0.0}});
    return result;
  }
};

DataSample WithOutputs(const std::string& id, const std::vector<std::string>& contents) {
  Json record = {{"unique_id", id}, {"input", {{{"role", "user"}, {"content", "q"}}}}, {"output", Json::array()}};
  for (const std::string& content : contents) {
    record["output"].push_back({{"answer", {{"role", "assistant"}, {"content", content}}}});
  }
  return DataSampleFromJson(record);
}

TEST(ConflictTest, PairwiseRewardProducesACycle) {
  DataSample sample = WithOutputs("game", {"rock", "paper", "scissors"});
  MutableReward(sample.output[0].answer).score = 100;  // an old score must not leak into the verdicts
  const ConflictResult r = EvaluateConflicts(RockPaperScissorsReward(), std::vector<DataSample>{sample});
  ASSERT_EQ(r.per_sample.size(), 1u);
  EXPECT_EQ(r.per_sample[0].cycles, (Components{{0, 1, 2}}));
  EXPECT_EQ(r.comparisons, 3u);
  EXPECT_DOUBLE_EQ(r.conflict_rate, 1.0);
}

TEST(ConflictTest, RegistryRewardLengthPenalty) {
  // length_penalty with min 10, max 18: 0 inside the range, else -0.01 per
  // character outside. Lengths 2, 5, 16, 20 score -0.08, -0.05, 0, -0.02:
  // ranking 16 > 20 > 5 > 2, so output 2 is the Condorcet winner.
  // Lengths 12 and 15 both score 0: a tie, and no winner.
  const auto reward = RewardRegistry::Global().Create("length_penalty", {{"min_length", 10}, {"max_length", 18}});
  const std::vector<DataSample> samples = {
      WithOutputs("ranked", {"ab", "abcde", "abcdefghijklmnop", "abcdefghijklmnopqrst"}),
      WithOutputs("tied", {"abcdefghijkl", "abcdefghijklmno"}),
      WithOutputs("alone", {"abc"}),
  };
  const ConflictResult r = EvaluateConflicts(*reward, samples);
  EXPECT_EQ(r.samples, 2u);
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_EQ(r.comparisons, 7u);  // 4 * 3 / 2 + 1
  EXPECT_EQ(r.ties, 1u);
  EXPECT_EQ(r.cycles, 0u);
  EXPECT_EQ(r.per_sample[0].condorcet_winner, 2u);
  EXPECT_FALSE(r.per_sample[1].condorcet_winner.has_value());
  EXPECT_DOUBLE_EQ(r.dominance_rate, 0.5);
  // The scored-sample path agrees once the samples carry the same scores.
  std::vector<DataSample> scored;
  for (const DataSample& sample : samples) scored.push_back(reward->Evaluate(sample));
  const ConflictResult from_scores = EvaluateConflicts(scored);
  EXPECT_EQ(ConflictReport(from_scores), ConflictReport(r));
}

// An LLM judge from the registry (base_helpfulness_pairwise, both orders) served
// by the scripted OpenAI-compatible server on loopback, scripted to play
// rock-paper-scissors: each rule matches one ordered pair as the prompt shows it.
class ConflictLlmTest : public rmg::testing::CommandTest {};

TEST_F(ConflictLlmTest, PairwiseJudgeScriptedAsRockPaperScissors) {
  const std::vector<std::pair<std::string, std::string>> beats = {
      {"rock", "scissors"}, {"scissors", "paper"}, {"paper", "rock"}};
  Json rules = Json::array();
  for (const auto& [winner, loser] : beats) {
    for (const bool winner_first : {true, false}) {
      const std::string a = winner_first ? winner : loser, b = winner_first ? loser : winner;
      rules.push_back(
          {{"match", "## Answer A\n" + a + "\n\n## Answer B\n" + b + "\n"},
           {"reply", std::string("<reason>rps</reason><preference>") + (winner_first ? "A" : "B") + "</preference>"}});
    }
  }
  const auto server =
      llm::testing::ScriptedServer::StartWithScript(Json{{"rules", rules}, {"default_reply", "no rule"}});
  const auto reward = RewardRegistry::Global().Create(
      "base_helpfulness_pairwise",
      {{"base_url", server->base_url()}, {"api_key", "k"}, {"cache", "off"}, {"max_retries", 1}});
  const ConflictResult r = EvaluateConflicts(
      *reward, {WithOutputs("rps", {"rock", "paper", "scissors"}), WithOutputs("chain", {"rock", "scissors"})});
  EXPECT_EQ(server->Requests().size(), 8u);  // (3 + 1) pairs, each shown in both orders
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.comparisons, 4u);
  EXPECT_EQ(r.per_sample[0].cycles, (Components{{0, 1, 2}}));
  EXPECT_EQ(r.per_sample[1].condorcet_winner, 0u);  // rock beats scissors
  EXPECT_DOUBLE_EQ(r.conflict_rate, 0.5);
  EXPECT_DOUBLE_EQ(r.dominance_rate, 0.5);
}

TEST(ConflictTest, ScoredSamplesWithoutScoresNameTheSample) {
  const std::vector<DataSample> samples = {WithOutputs("bare", {"a", "b"})};
  EXPECT_THAT(testing::ErrorOf([&] { EvaluateConflicts(samples); }), HasSubstr("'bare': output[0]"));
}

}  // namespace
// A 3-output sample as pair samples, scored as rock-paper-scissors would be:
// the batch path finds the same 3-cycle as a tournament fed by hand.
TEST(ConflictPairsTest, PairSamplesScoredOneByOneFormTheTournament) {
  DataSample sample;
  sample.unique_id = "rps";
  sample.output.resize(3);
  DataSample single;
  single.unique_id = "single";
  single.output.resize(1);
  std::vector<DataSample> pairs = ConflictPairSamples({sample, single});
  ASSERT_EQ(pairs.size(), 4u);
  EXPECT_EQ(pairs[0].unique_id, "rps#0-1");
  EXPECT_EQ(pairs[1].unique_id, "rps#0-2");
  EXPECT_EQ(pairs[2].unique_id, "rps#1-2");
  EXPECT_EQ(pairs[3].unique_id, "single");
  EXPECT_EQ(pairs[1].metadata[kConflictPairKey]["second"], 2);
  // 0 beats 1, 2 beats 0, 1 beats 2: each pair's winner scores 1.
  const double scores[3][2] = {{1, 0}, {0, 1}, {1, 0}};
  for (size_t p = 0; p < 3; ++p) {
    ASSERT_EQ(pairs[p].output.size(), 2u);
    for (size_t k = 0; k < 2; ++k) MutableReward(pairs[p].output[k].answer).score = scores[p][k];
  }
  const ConflictResult result = EvaluateConflictPairs(pairs);
  EXPECT_EQ(result.samples, 1u);
  EXPECT_EQ(result.skipped, 1u);
  EXPECT_EQ(result.cycles, 1u);
  EXPECT_EQ(result.comparisons, 3u);
  EXPECT_DOUBLE_EQ(result.conflict_rate, 1.0);
  ASSERT_EQ(result.per_sample.size(), 1u);
  EXPECT_EQ(result.per_sample[0].unique_id, "rps");
  EXPECT_EQ(result.per_sample[0].cycles, (std::vector<std::vector<size_t>>{{0, 1, 2}}));
}

// A pair whose evaluation failed has equal error scores: it was counted as a tie, and
// `failed` stayed 0. Marked by MarkConflictPairFailed, it is a failed comparison.
TEST(ConflictPairsTest, APairMarkedFailedIsAFailedComparisonNotATie) {
  DataSample sample;
  sample.unique_id = "three";
  sample.output.resize(3);
  std::vector<DataSample> pairs = ConflictPairSamples({sample});
  const double scores[3][2] = {{0, 0}, {1, 0}, {1, 0}};  // pair 0-1 failed: both at the error score
  for (size_t p = 0; p < 3; ++p) {
    for (size_t k = 0; k < 2; ++k) MutableReward(pairs[p].output[k].answer).score = scores[p][k];
  }
  MarkConflictPairFailed(pairs[0]);
  DataSample unmarked;
  MarkConflictPairFailed(unmarked);  // no marker: left alone
  EXPECT_TRUE(unmarked.metadata.is_null() || !unmarked.metadata.contains(kConflictPairKey));
  const ConflictResult result = EvaluateConflictPairs(pairs);
  EXPECT_EQ(result.failed, 1u);
  EXPECT_EQ(result.ties, 0u);
  EXPECT_EQ(result.comparisons, 2u);
}

}  // namespace rmg::bench
