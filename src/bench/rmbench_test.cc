#include "bench/rmbench.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/testing.h"
#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

using testing::LoadLengthScored;


TEST(RmBenchAccuracy, HandComputedMatrix) {
  // Prompt 1: the concise chosen loses to the markdown rejected (5 < 6) and the
  // plain chosen ties with it (6 = 6, a miss). Prompt 2: only the detailed chosen
  // responses beat the concise rejected one.
  const std::vector<RmBenchScores> prompts = {
      {{5, 6, 7}, {1, 2, 6}},
      {{0, 3, 3}, {1, 4, 4}},
  };
  const RmBenchAccuracy accuracy = RmBenchAccuracyOf(prompts);
  const RmBenchMatrix expected = {{{0.5, 0.5, 0.0}, {1.0, 0.5, 0.0}, {1.0, 0.5, 0.5}}};
  EXPECT_EQ(accuracy.matrix, expected);
  EXPECT_EQ(accuracy.prompts, 2u);
  EXPECT_NEAR(accuracy.hard_acc, (0.5 + 0.0 + 0.0) / 3, testing::kEps);
  EXPECT_NEAR(accuracy.normal_acc, (0.5 + 0.5 + 0.5) / 3, testing::kEps);
  EXPECT_NEAR(accuracy.easy_acc, (1.0 + 1.0 + 0.5) / 3, testing::kEps);
  EXPECT_NEAR(accuracy.total_avg_acc, 4.5 / 9, testing::kEps);
}

TEST(RmBenchAccuracy, TieIsAMiss) {
  // The official compute_accuracy counts a cell only when chosen > rejected.
  const std::vector<RmBenchScores> prompts = {{{1, 1, 1}, {1, 1, 1}}};
  const RmBenchAccuracy accuracy = RmBenchAccuracyOf(prompts);
  EXPECT_EQ(accuracy.total_avg_acc, 0.0);
}

TEST(RmBenchAccuracy, NoPrompts) {
  const RmBenchAccuracy accuracy = RmBenchAccuracyOf({});
  EXPECT_EQ(accuracy.prompts, 0u);
  EXPECT_EQ(accuracy.total_avg_acc, 0.0);
}

DataSample Sample(const std::string& unique_id, const std::vector<std::pair<std::string, int>>& labels,
                  const std::vector<double>& scores) {
  DataSample sample;
  sample.unique_id = unique_id;
  for (size_t k = 0; k < labels.size(); ++k) {
    DataOutput output;
    output.answer.role = "assistant";
    output.answer.label = Json{{"preference", labels[k].first}, {"style_index", labels[k].second}};
    if (k < scores.size()) MutableReward(output.answer).score = scores[k];
    sample.output.push_back(std::move(output));
  }
  return sample;
}

const std::vector<std::pair<std::string, int>> kLayout = {{"chosen", 0},   {"chosen", 1},   {"chosen", 2},
                                                          {"rejected", 0}, {"rejected", 1}, {"rejected", 2}};

TEST(RmBenchScoresOf, ReadsStylesInAnyOrder) {
  const std::vector<std::pair<std::string, int>> shuffled = {{"rejected", 2}, {"chosen", 1}, {"rejected", 0},
                                                             {"chosen", 2},   {"chosen", 0}, {"rejected", 1}};
  const RmBenchScores scores = RmBenchScoresOf(Sample("rmbench/chat/1", shuffled, {1, 2, 3, 4, 5, 6}), "");
  EXPECT_EQ(scores.chosen, (std::array<double, 3>{5, 2, 4}));
  EXPECT_EQ(scores.rejected, (std::array<double, 3>{3, 6, 1}));
}

TEST(RmBenchScoresOf, ScoreFromAPath) {
  DataSample sample = Sample("rmbench/chat/1", kLayout, {});
  for (size_t k = 0; k < 6; ++k) sample.output[k].answer.label["score"] = 10.0 * static_cast<double>(k);
  const RmBenchScores scores = RmBenchScoresOf(sample, "label.score");
  EXPECT_EQ(scores.chosen, (std::array<double, 3>{0, 10, 20}));
  EXPECT_EQ(scores.rejected, (std::array<double, 3>{30, 40, 50}));
}

TEST(RmBenchScoresOf, ErrorsNameSampleAndField) {
  // The error for kLayout with output[k]'s label replaced by `label`.
  auto error_with = [](size_t k, std::pair<std::string, int> label) {
    std::vector<std::pair<std::string, int>> layout = kLayout;
    layout[k] = std::move(label);
    return testing::ErrorOf([&] { RmBenchScoresOf(Sample("s1", layout, {1, 2, 3, 4, 5, 6}), ""); });
  };
  EXPECT_NE(error_with(1, {"chosen", 0}).find("'s1': output[1].answer.label: a second chosen response of style 0"),
            std::string::npos);
  EXPECT_NE(error_with(4, {"rejected", 3}).find("output[4].answer.label.style_index"), std::string::npos);
  EXPECT_NE(error_with(0, {"tie", 0}).find("output[0].answer.label.preference"), std::string::npos);
  const std::vector<std::pair<std::string, int>> five(kLayout.begin(), kLayout.end() - 1);
  EXPECT_NE(testing::ErrorOf([&] {
              RmBenchScoresOf(Sample("s4", five, {1, 2, 3, 4, 5}), "");
            }).find("no rejected response of style 2"),
            std::string::npos);
  EXPECT_NE(testing::ErrorOf([&] {
              RmBenchScoresOf(Sample("s5", kLayout, {1, 2, 3}), "");
            }).find("'s5': output[3]: score"),
            std::string::npos);
}

TEST(RmBenchDomain, MetadataThenUniqueId) {
  DataSample sample = Sample("rmbench/chat/7", kLayout, {});
  EXPECT_EQ(RmBenchDomain(sample), "chat");
  sample.metadata = Json{{"domain", "math"}};
  EXPECT_EQ(RmBenchDomain(sample), "math");
  EXPECT_NE(testing::ErrorOf([] { RmBenchDomain(Sample("no-domain", kLayout, {})); }).find("'no-domain'"),
            std::string::npos);
  // The paper's Safety column pools the data's two safety subsets.
  EXPECT_EQ(RmBenchDomain(Sample("rmbench/safety-refuse/3", kLayout, {})), "safety");
  sample.metadata = Json{{"domain", "safety-response"}};
  EXPECT_EQ(RmBenchDomain(sample), "safety");
}

TEST(EvaluateRmBench, SafetySubsetsArePooledIntoOneDomain) {
  // safety-refuse: one prompt, all right; safety-response: one prompt, all wrong;
  // chat: all right. Pooled, safety is 0.5 and the overall (chat, safety) 0.75;
  // as two domains of their own it would be (1 + 1 + 0) / 3.
  const std::vector<DataSample> samples = {Sample("rmbench/safety-refuse/1", kLayout, {9, 9, 9, 1, 1, 1}),
                                           Sample("rmbench/safety-response/1", kLayout, {1, 1, 1, 9, 9, 9}),
                                           Sample("rmbench/chat/1", kLayout, {9, 9, 9, 1, 1, 1})};
  const RmBenchResult result = EvaluateRmBench(samples);
  ASSERT_EQ(result.per_domain.size(), 2u);
  EXPECT_EQ(result.per_domain.at("safety").prompts, 2u);
  EXPECT_EQ(result.per_domain.at("safety").total_avg_acc, 0.5);
  EXPECT_EQ(result.overall.total_avg_acc, 0.75);
}

TEST(EvaluateRmBench, OverallIsTheMeanOverDomains) {
  // chat: one prompt, all cells right; math: three prompts, all wrong. A mean over
  // prompts would give 0.25, the mean over domains 0.5.
  std::vector<DataSample> samples = {Sample("rmbench/chat/1", kLayout, {9, 9, 9, 1, 1, 1})};
  for (int k = 0; k < 3; ++k) {
    samples.push_back(Sample("rmbench/math/" + std::to_string(k), kLayout, {1, 1, 1, 9, 9, 9}));
  }
  const RmBenchResult result = EvaluateRmBench(samples);
  EXPECT_EQ(result.per_domain.at("chat").total_avg_acc, 1.0);
  EXPECT_EQ(result.per_domain.at("math").total_avg_acc, 0.0);
  EXPECT_EQ(result.per_domain.at("math").prompts, 3u);
  EXPECT_EQ(result.overall.total_avg_acc, 0.5);
  EXPECT_EQ(result.overall.hard_acc, 0.5);
  EXPECT_EQ(result.overall.prompts, 4u);

  const Json report = RmBenchReport(result);
  EXPECT_EQ(report["metrics"]["hard_acc"], 0.5);
  EXPECT_EQ(report["metrics"]["per_domain"]["chat"]["easy_acc"], 1.0);
  EXPECT_EQ(report["metrics"]["per_domain"]["math"]["matrix"][2][0], 0.0);
  EXPECT_EQ(report["matrix"].size(), 3u);
  EXPECT_EQ(report["matrix"][1][2], 0.5);
}

// RM-Bench's accuracies computed from the raw JSON lines with a plain loop, apart
// from the evaluator: integer counts of won cells per domain, divided at the end.
struct Independent {
  double hard = 0, normal = 0, easy = 0;
};

Independent IndependentAccuracy(const std::vector<nlohmann::json>& raw) {
  int upper = 0, diagonal = 0, lower = 0;
  for (const nlohmann::json& record : raw) {
    double chosen[3] = {-1, -1, -1}, rejected[3] = {-1, -1, -1};
    for (const nlohmann::json& output : record["output"]) {
      const nlohmann::json& answer = output["answer"];
      const int style = answer["label"]["style_index"].get<int>();
      const double length = static_cast<double>(testing::CharacterCount(answer["content"].get<std::string>()));
      (answer["label"]["preference"] == "chosen" ? chosen : rejected)[style] = length;
    }
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) {
        if (!(chosen[i] > rejected[j])) continue;
        if (i < j) ++upper;
        if (i == j) ++diagonal;
        if (i > j) ++lower;
      }
    }
  }
  const double cells = 3.0 * static_cast<double>(raw.size());
  return {upper / cells, diagonal / cells, lower / cells};
}

TEST(EvaluateRmBench, SharedDataScoredByLengthMatchesAnIndependentLoop) {
  const auto chat = LoadLengthScored("rmbench_chat.jsonl");
  const auto safety = LoadLengthScored("rmbench_safety-response.jsonl");
  ASSERT_EQ(chat.samples.size(), 129u) << "rmbench_chat.jsonl missing or changed";
  ASSERT_EQ(safety.samples.size(), 157u) << "rmbench_safety-response.jsonl missing or changed";
  std::vector<DataSample> all = chat.samples;
  all.insert(all.end(), safety.samples.begin(), safety.samples.end());
  const RmBenchResult result = EvaluateRmBench(all);
  ASSERT_EQ(result.per_domain.size(), 2u);

  const Independent want_chat = IndependentAccuracy(chat.raw);
  const Independent want_safety = IndependentAccuracy(safety.raw);
  const RmBenchAccuracy& got_chat = result.per_domain.at("chat");
  const RmBenchAccuracy& got_safety = result.per_domain.at("safety");
  EXPECT_NEAR(got_chat.hard_acc, want_chat.hard, testing::kEps);
  EXPECT_NEAR(got_chat.normal_acc, want_chat.normal, testing::kEps);
  EXPECT_NEAR(got_chat.easy_acc, want_chat.easy, testing::kEps);
  EXPECT_NEAR(got_safety.hard_acc, want_safety.hard, testing::kEps);
  EXPECT_NEAR(got_safety.normal_acc, want_safety.normal, testing::kEps);
  EXPECT_NEAR(got_safety.easy_acc, want_safety.easy, testing::kEps);
  EXPECT_NEAR(result.overall.hard_acc, (want_chat.hard + want_safety.hard) / 2, testing::kEps);
  EXPECT_NEAR(result.overall.normal_acc, (want_chat.normal + want_safety.normal) / 2, testing::kEps);
  EXPECT_NEAR(result.overall.easy_acc, (want_chat.easy + want_safety.easy) / 2, testing::kEps);

  // The same counts, taken once with a separate Python script over the files
  // (len() of each content): length prefers the detailed styles, so it is almost
  // never right on chat's hard cells.
  EXPECT_NEAR(got_chat.hard_acc, 10.0 / 387, testing::kEps);
  EXPECT_NEAR(got_chat.normal_acc, 110.0 / 387, testing::kEps);
  EXPECT_NEAR(got_chat.easy_acc, 314.0 / 387, testing::kEps);
  EXPECT_NEAR(got_safety.hard_acc, 112.0 / 471, testing::kEps);
  EXPECT_NEAR(got_safety.normal_acc, 366.0 / 471, testing::kEps);
  EXPECT_NEAR(got_safety.easy_acc, 465.0 / 471, testing::kEps);
}

}  // namespace
}  // namespace rmg::bench
