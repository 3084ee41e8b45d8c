#include "bench/majority.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace rmg::bench {
namespace {

// A sample whose outputs are (content, score) pairs, all with `reference` in
// answer.label.reference and the score in answer.label.score.
DataSample Problem(const std::string& id, const std::string& reference,
                   const std::vector<std::pair<std::string, double>>& outputs) {
  DataSample sample;
  sample.unique_id = id;
  ChatMessage question;
  question.content = "problem " + id;
  sample.input.push_back(question);
  for (const auto& [content, score] : outputs) {
    DataOutput output;
    output.answer.role = "assistant";
    output.answer.content = content;
    output.answer.label = Json{{"reference", reference}, {"score", score}};
    sample.output.push_back(output);
  }
  return sample;
}

// Majority says 5 (twice) and is wrong; the reward model prefers the lone 4 and is right.
DataSample MajorityWrongRmRight() {
  return Problem("a", "4", {{"So the answer is \\boxed{5}.", 0.1}, {"We get \\boxed{5}.", 0.2}, {"Thus \\boxed{4}.", 0.9}});
}

// 0.5 and 1/2 are one answer (two votes, correct); the reward model prefers the wrong 3.
DataSample MajorityRightRmWrong() {
  return Problem("b", "\\frac{1}{2}", {{"\\boxed{0.5}", 0.3}, {"\\boxed{\\frac{1}{2}}", 0.3}, {"\\boxed{3}", 0.8}});
}

// 7 and 8 tie one vote each (the first, 7, wins); the best-scored output answers nothing.
DataSample TieAndAbstention() {
  return Problem("c", "7", {{"\\boxed{7}", 0.5}, {"\\boxed{8}", 0.5}, {"I cannot solve this problem.", 0.9}});
}

TEST(MajorityTest, VerdictsGroupEquivalentAnswers) {
  const MajorityVerdicts b = MajorityVerdictsOf(MajorityRightRmWrong(), "label.score");
  EXPECT_EQ(b.correct, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(b.group, (std::vector<int>{0, 0, 2}));
  EXPECT_EQ(b.score, (std::vector<double>{0.3, 0.3, 0.8}));
  const MajorityVerdicts c = MajorityVerdictsOf(TieAndAbstention(), "label.score");
  EXPECT_EQ(c.correct, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(c.group, (std::vector<int>{0, 1, -1}));
}

TEST(MajorityTest, MajorityWrongWhereTheRewardModelIsRight) {
  const MajorityVerdicts verdicts = MajorityVerdictsOf(MajorityWrongRmRight(), "label.score");
  const MajorityPick all = MajorityPickAt(verdicts, 3);
  EXPECT_FALSE(all.maj);
  EXPECT_TRUE(all.rm);
  EXPECT_TRUE(all.oracle);
  const MajorityPick two = MajorityPickAt(verdicts, 2);  // only the two 5s
  EXPECT_FALSE(two.maj);
  EXPECT_FALSE(two.rm);
  EXPECT_FALSE(two.oracle);
}

TEST(MajorityTest, TiesGoToTheFirstAnswerAndTheFirstTopScore) {
  const MajorityVerdicts verdicts = MajorityVerdictsOf(TieAndAbstention(), "label.score");
  const MajorityPick two = MajorityPickAt(verdicts, 2);  // 7 vs 8, scores 0.5 vs 0.5
  EXPECT_TRUE(two.maj);
  EXPECT_TRUE(two.rm);
  const MajorityPick all = MajorityPickAt(verdicts, 3);
  EXPECT_TRUE(all.maj);   // the abstaining output breaks no tie
  EXPECT_FALSE(all.rm);   // 0.9 goes to the output without an answer
}

TEST(MajorityTest, CurvesAndReportByHand) {
  // Per sample, (maj, rm, oracle) at k = 1, 2, 3, worked out by hand:
  //   a: (0,0,0) (0,0,0) (0,1,1)    b: (1,1,1) (1,1,1) (1,0,1)    c: (1,1,1) (1,1,1) (1,0,1)
  //   d (one output, wrong): (0,0,0) at k = 1 only.
  std::vector<DataSample> samples = {MajorityWrongRmRight(), MajorityRightRmWrong(), TieAndAbstention(),
                                     Problem("d", "2", {{"\\boxed{3}", 1.0}})};
  const MajorityResult result = EvaluateMajority(samples, "label.score");
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.k, 3u);
  EXPECT_EQ(result.overall.samples, 4u);
  EXPECT_DOUBLE_EQ(result.overall.maj, 2.0 / 4);     // b, c
  EXPECT_DOUBLE_EQ(result.overall.rm, 1.0 / 4);      // a
  EXPECT_DOUBLE_EQ(result.overall.oracle, 3.0 / 4);  // a, b, c
  ASSERT_EQ(result.per_k.size(), 3u);
  EXPECT_EQ(result.per_k.at(1).samples, 4u);
  EXPECT_DOUBLE_EQ(result.per_k.at(1).maj, 2.0 / 4);
  EXPECT_DOUBLE_EQ(result.per_k.at(1).rm, 2.0 / 4);
  EXPECT_DOUBLE_EQ(result.per_k.at(1).oracle, 2.0 / 4);
  EXPECT_EQ(result.per_k.at(2).samples, 3u);
  EXPECT_DOUBLE_EQ(result.per_k.at(2).maj, 2.0 / 3);
  EXPECT_DOUBLE_EQ(result.per_k.at(2).rm, 2.0 / 3);
  EXPECT_DOUBLE_EQ(result.per_k.at(2).oracle, 2.0 / 3);
  EXPECT_EQ(result.per_k.at(3).samples, 3u);
  EXPECT_DOUBLE_EQ(result.per_k.at(3).maj, 2.0 / 3);
  EXPECT_DOUBLE_EQ(result.per_k.at(3).rm, 1.0 / 3);
  EXPECT_DOUBLE_EQ(result.per_k.at(3).oracle, 1.0);

  const Json report = MajorityReport(result);
  const Json& metrics = report["metrics"];
  EXPECT_DOUBLE_EQ(metrics["maj_at_k"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(metrics["rm_at_k"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(metrics["oracle_at_k"].get<double>(), 0.75);
  EXPECT_EQ(metrics["k"], 3);
  EXPECT_EQ(metrics["samples"], 4);
  EXPECT_EQ(metrics["per_k"]["2"]["samples"], 3);
  EXPECT_DOUBLE_EQ(metrics["per_k"]["3"]["rm_at_k"].get<double>(), 1.0 / 3);
  EXPECT_TRUE(report["errors"].empty());
}

TEST(MajorityTest, BadSamplesAreListedAndLeftOut) {
  DataSample no_reference = Problem("noref", "4", {{"\\boxed{4}", 1.0}});
  no_reference.output[0].answer.label.erase("reference");
  DataSample no_score = Problem("noscore", "4", {{"\\boxed{4}", 1.0}, {"\\boxed{4}", 1.0}});
  no_score.output[1].answer.label.erase("score");
  DataSample empty = Problem("empty", "4", {});
  const MajorityResult result =
      EvaluateMajority({no_reference, MajorityWrongRmRight(), no_score, empty}, "label.score");
  EXPECT_EQ(result.overall.samples, 1u);
  EXPECT_DOUBLE_EQ(result.overall.rm, 1.0);
  ASSERT_EQ(result.errors.size(), 3u);
  EXPECT_NE(result.errors[0].find("sample noref output[0]: no answer.label.reference"), std::string::npos)
      << result.errors[0];
  EXPECT_NE(result.errors[1].find("sample noscore output[1]"), std::string::npos) << result.errors[1];
  EXPECT_NE(result.errors[1].find("label.score"), std::string::npos) << result.errors[1];
  EXPECT_NE(result.errors[2].find("sample empty: no outputs"), std::string::npos) << result.errors[2];
}

TEST(MajorityTest, OutputsPastTheCapAreIgnored) {
  // 64 wrong answers, then 10 right ones that would win the vote if they counted.
  std::vector<std::pair<std::string, double>> outputs(kMajorityMaxOutputs, {"\\boxed{1}", 0.0});
  outputs.insert(outputs.end(), 10, {"\\boxed{2}", 1.0});
  const MajorityResult result = EvaluateMajority({Problem("many", "2", outputs)}, "label.score");
  EXPECT_EQ(result.k, kMajorityMaxOutputs);
  EXPECT_EQ(result.capped_samples, 1u);
  EXPECT_DOUBLE_EQ(result.overall.oracle, 0.0);
}

}  // namespace
}  // namespace rmg::bench
