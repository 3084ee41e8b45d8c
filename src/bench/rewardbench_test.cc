#include "bench/rewardbench.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/converters.h"
#include "bench/testing.h"

namespace rmg::bench {
namespace {


// A converted RewardBench record of `subset` whose chosen response scores
// `chosen` and rejected response `rejected`.
DataSample Prompt(const std::string& subset, int id, double chosen, double rejected) {
  const Json record = {{"prompt", "p"}, {"chosen", "c"}, {"rejected", "r"}, {"subset", subset}, {"id", id}};
  return testing::Scored(FromRewardBench(record), {chosen, rejected});
}

TEST(RewardBenchSection, OfficialMapping) {
  EXPECT_EQ(RewardBenchSection("alpacaeval-length"), "Chat");
  EXPECT_EQ(RewardBenchSection("mt-bench-hard"), "Chat Hard");
  EXPECT_EQ(RewardBenchSection("xstest-should-respond"), "Safety");
  EXPECT_EQ(RewardBenchSection("hep-rust"), "Reasoning");
  EXPECT_EQ(RewardBenchSection("anthropic_helpful"), "");
  EXPECT_EQ(RewardBenchWeight("anthropic_helpful"), 0u);
  // math-prm weighs as much as the six code subsets together: 6 * 164 = 984.
  size_t code = 0;
  for (const char* language : {"cpp", "go", "java", "js", "python", "rust"}) {
    code += RewardBenchWeight(std::string("hep-") + language);
  }
  EXPECT_EQ(code, 984u);
  EXPECT_EQ(RewardBenchWeight("math-prm"), code);
  // Section totals from the counts in the brief: Chat 100+95+95+28+40,
  // Safety 100+100+154+250+136.
  size_t chat = 0, safety = 0;
  for (const char* subset :
       {"alpacaeval-easy", "alpacaeval-length", "alpacaeval-hard", "mt-bench-easy", "mt-bench-med"}) {
    chat += RewardBenchWeight(subset);
  }
  for (const char* subset :
       {"refusals-dangerous", "refusals-offensive", "xstest-should-refuse", "xstest-should-respond", "donotanswer"}) {
    safety += RewardBenchWeight(subset);
  }
  EXPECT_EQ(chat, 358u);
  EXPECT_EQ(safety, 740u);
}

TEST(EvaluateRewardBench, HandComputedSectionsWeightedByOfficialCounts) {
  const std::vector<DataSample> samples = {
      Prompt("alpacaeval-easy", 1, 0.9, 0.1),    // right
      Prompt("alpacaeval-easy", 2, 0.5, 0.5),    // tie: a miss
      Prompt("mt-bench-easy", 3, 2.0, -1.0),     // right
      Prompt("math-prm", 4, 1.0, 0.0),           // right
      Prompt("math-prm", 5, 3.0, 2.0),           // right
      Prompt("hep-go", 6, 0.0, 1.0),             // wrong
      Prompt("anthropic_helpful", 7, 1.0, 0.0),  // right, in no section
  };
  const RewardBenchResult result = EvaluateRewardBench(samples);
  EXPECT_EQ(result.prompts, 7u);
  ASSERT_EQ(result.per_subset.size(), 5u);
  EXPECT_EQ(result.per_subset.at("alpacaeval-easy").prompts, 2u);
  EXPECT_EQ(result.per_subset.at("alpacaeval-easy").accuracy(), 0.5);
  EXPECT_EQ(result.per_subset.at("anthropic_helpful").accuracy(), 1.0);
  // Chat = (0.5 * 100 + 1.0 * 28) / (100 + 28) = 78 / 128.
  // Reasoning = (1.0 * 984 + 0.0 * 164) / (984 + 164) = 6 / 7, not the 2 / 3 that
  // weighing by the prompts in the data would give.
  ASSERT_EQ(result.per_section.size(), 2u);
  EXPECT_NEAR(result.per_section.at("Chat"), 78.0 / 128, testing::kEps);
  EXPECT_NEAR(result.per_section.at("Reasoning"), 6.0 / 7, testing::kEps);
  EXPECT_NEAR(result.score, (78.0 / 128 + 6.0 / 7) / 2, testing::kEps);

  const Json report = RewardBenchReport(result);
  const Json& metrics = report["metrics"];
  EXPECT_NEAR(metrics["score"].get<double>(), (78.0 / 128 + 6.0 / 7) / 2, testing::kEps);
  EXPECT_EQ(metrics["prompts"], 7);
  EXPECT_NEAR(metrics["per_section"]["Chat"].get<double>(), 78.0 / 128, testing::kEps);
  EXPECT_FALSE(metrics["per_section"].contains("Safety"));
  EXPECT_EQ(metrics["per_subset"]["alpacaeval-easy"], Json({{"accuracy", 0.5}, {"prompts", 2}}));
  EXPECT_EQ(metrics["per_subset"]["hep-go"]["accuracy"], 0.0);
}

TEST(EvaluateRewardBench, SubsetFromUniqueIdWhenMetadataLacksIt) {
  DataSample sample = Prompt("llmbar-natural", 1, 1.0, 0.0);
  sample.metadata = Json();
  const RewardBenchResult result = EvaluateRewardBench({sample});
  EXPECT_EQ(result.per_subset.at("llmbar-natural").accuracy(), 1.0);
  EXPECT_EQ(result.per_section.at("Chat Hard"), 1.0);
}

TEST(EvaluateRewardBench, ErrorsNameSampleAndField) {
  DataSample two_chosen = Prompt("hep-go", 1, 1.0, 0.0);
  two_chosen.output[1].answer.label["preference"] = "chosen";
  EXPECT_NE(testing::ErrorOf([&] {
              EvaluateRewardBench({two_chosen});
            }).find("RewardBench sample 'rewardbench/hep-go/1': output: expected one chosen and one rejected"),
            std::string::npos);
  DataSample unscored =
      FromRewardBench(Json{{"prompt", "p"}, {"chosen", "c"}, {"rejected", "r"}, {"subset", "hep-go"}, {"id", 2}});
  EXPECT_NE(testing::ErrorOf([&] {
              EvaluateRewardBench({unscored});
            }).find("'rewardbench/hep-go/2': output[0]: score 'reward.score'"),
            std::string::npos);
  DataSample no_subset = Prompt("hep-go", 3, 1.0, 0.0);
  no_subset.metadata = Json();
  no_subset.unique_id = "x";
  EXPECT_NE(testing::ErrorOf([&] { EvaluateRewardBench({no_subset}); }).find("'x': no metadata.subset"),
            std::string::npos);
  DataSample bad_label = Prompt("hep-go", 4, 1.0, 0.0);
  bad_label.output[0].answer.label = Json();
  EXPECT_NE(testing::ErrorOf([&] {
              EvaluateRewardBench({bad_label});
            }).find("output[0].answer.label.preference: expected \"chosen\" or \"rejected\""),
            std::string::npos);
}

TEST(EvaluateRewardBench, NoSamples) {
  const RewardBenchResult result = EvaluateRewardBench({});
  EXPECT_EQ(result.prompts, 0u);
  EXPECT_EQ(result.score, 0.0);
  EXPECT_TRUE(RewardBenchReport(result)["metrics"]["per_section"].empty());
}

}  // namespace
}  // namespace rmg::bench
