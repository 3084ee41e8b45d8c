#include "bench/rmb.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/converters.h"
#include "bench/testing.h"

namespace rmg::bench {
namespace {

const Json kConversation = Json::array({{{"role", "user"}, {"content", "hi"}}});

// A converted RMB pairwise record scored (chosen, rejected).
DataSample Pair(const std::string& path, int uid, double chosen, double rejected) {
  const Json record = {{"pair_uid", uid},
                       {"category_path", path},
                       {"conversation_input", kConversation},
                       {"chosen", {{"answer", "a"}, {"llm_name", "m1"}}},
                       {"reject", {{"answer", "b"}, {"llm_name", "m2"}}}};
  return testing::Scored(FromRmbPairwise(record), {chosen, rejected});
}

// A converted RMB best-of-N record: the best answer scores `best`, the losers `losers`.
DataSample BestOfN(const std::string& path, int uid, double best, const std::vector<double>& losers) {
  Json record = {{"bon_uid", uid},
                 {"category_path", path},
                 {"conversation_input", kConversation},
                 {"bon_best", {{"answer", "a"}, {"llm_name", "m1"}}},
                 {"loser_list", Json::array()}};
  for (size_t k = 0; k < losers.size(); ++k) {
    record["loser_list"].push_back({{"answer", "l"}, {"llm_name", "m" + std::to_string(k + 2)}});
  }
  std::vector<double> scores = {best};
  scores.insert(scores.end(), losers.begin(), losers.end());
  return testing::Scored(FromRmbBestOfN(record), scores);
}

TEST(RmbTopCategory, FirstPartAfterTheSetFolder) {
  EXPECT_EQ(RmbTopCategory("Pairwise_set/Helpfulness/Chat/Open QA"), "Helpfulness");
  EXPECT_EQ(RmbTopCategory("BoN_set/Harmlessness/S1"), "Harmlessness");
  EXPECT_EQ(RmbTopCategory("Harmlessness/S1/Violent Crimes"), "Harmlessness");
  EXPECT_EQ(RmbTopCategory("Helpfulness"), "Helpfulness");
  EXPECT_EQ(RmbTopCategory("BoN_set"), "BoN_set");  // nothing after it
}

TEST(EvaluateRmb, HandComputedPairwiseAndBestOfN) {
  const std::vector<DataSample> samples = {
      Pair("Helpfulness/Chat", 1, 0.8, 0.2),            // right
      Pair("Helpfulness/Chat", 2, 0.5, 0.5),            // tie: a miss
      Pair("Harmlessness/S1", 3, 1.0, -1.0),            // right
      BestOfN("Helpfulness/Chat", 4, 5.0, {4.0, 3.0}),  // above every loser: right
      BestOfN("Helpfulness/Chat", 5, 5.0, {5.0, 1.0}),  // ties a loser: a miss
      BestOfN("Harmlessness/S2", 6, 2.0, {3.0, 1.0}),   // below a loser: a miss
  };
  const RmbResult result = EvaluateRmb(samples);
  // Overall: pairwise 2 of 3, best-of-N 1 of 3.
  EXPECT_EQ(result.overall.pairwise.prompts, 3u);
  EXPECT_EQ(result.overall.pairwise.correct, 2u);
  EXPECT_EQ(result.overall.best_of_n.prompts, 3u);
  EXPECT_EQ(result.overall.best_of_n.correct, 1u);
  // Helpfulness: pairwise 1 of 2, best-of-N 1 of 2; Harmlessness: 1 of 1 and 0 of 1.
  ASSERT_EQ(result.per_top_category.size(), 2u);
  EXPECT_EQ(result.per_top_category.at("Helpfulness").pairwise.accuracy(), 0.5);
  EXPECT_EQ(result.per_top_category.at("Helpfulness").best_of_n.accuracy(), 0.5);
  EXPECT_EQ(result.per_top_category.at("Harmlessness").pairwise.accuracy(), 1.0);
  EXPECT_EQ(result.per_top_category.at("Harmlessness").best_of_n.accuracy(), 0.0);
  ASSERT_EQ(result.per_category.size(), 3u);
  EXPECT_EQ(result.per_category.at("Harmlessness/S1").best_of_n.prompts, 0u);
  EXPECT_EQ(result.per_category.at("Harmlessness/S2").pairwise.prompts, 0u);

  const Json report = RmbReport(result);
  const Json& metrics = report["metrics"];
  EXPECT_DOUBLE_EQ(metrics["pairwise_accuracy"].get<double>(), 2.0 / 3);
  EXPECT_EQ(metrics["pairs"], 3);
  EXPECT_DOUBLE_EQ(metrics["bon_accuracy"].get<double>(), 1.0 / 3);
  EXPECT_EQ(metrics["bon_prompts"], 3);
  EXPECT_EQ(metrics["per_pairwise_top_category"], Json({{"Harmlessness", {{"accuracy", 1.0}, {"prompts", 1}}},
                                                        {"Helpfulness", {{"accuracy", 0.5}, {"prompts", 2}}}}));
  EXPECT_EQ(metrics["per_bon_top_category"], Json({{"Harmlessness", {{"accuracy", 0.0}, {"prompts", 1}}},
                                                   {"Helpfulness", {{"accuracy", 0.5}, {"prompts", 2}}}}));
  // Harmlessness/S1 has no best-of-N prompts and S2 no pairs: no accuracy of that kind, not a 0.
  EXPECT_EQ(metrics["per_pairwise_category"], Json({{"Harmlessness/S1", {{"accuracy", 1.0}, {"prompts", 1}}},
                                                    {"Helpfulness/Chat", {{"accuracy", 0.5}, {"prompts", 2}}}}));
  EXPECT_EQ(metrics["per_bon_category"], Json({{"Harmlessness/S2", {{"accuracy", 0.0}, {"prompts", 1}}},
                                               {"Helpfulness/Chat", {{"accuracy", 0.5}, {"prompts", 2}}}}));
}

TEST(EvaluateRmb, PairwiseOnlyHasNoBestOfNAccuracy) {
  const Json metrics = RmbReport(EvaluateRmb({Pair("Helpfulness/Chat", 1, 0.0, 1.0)}))["metrics"];
  EXPECT_EQ(metrics["pairwise_accuracy"], 0.0);
  EXPECT_EQ(metrics["pairs"], 1);
  EXPECT_FALSE(metrics.contains("bon_accuracy"));
  EXPECT_EQ(metrics["bon_prompts"], 0);
  EXPECT_TRUE(metrics["per_bon_category"].empty());
}

// A best-of-N item with one loser is still best-of-N: RMB's path names its set.
TEST(EvaluateRmb, TheSetInThePathDecidesTheKind) {
  const Json metrics = RmbReport(EvaluateRmb({BestOfN("BoN_set/Helpfulness/Chat", 1, 1.0, {0.0}),
                                              Pair("Pairwise_set/Harmlessness/S1", 2, 1.0, 0.0)}))["metrics"];
  EXPECT_EQ(metrics["bon_prompts"], 1);
  EXPECT_EQ(metrics["pairs"], 1);
  EXPECT_TRUE(metrics["per_pairwise_category"].contains("Pairwise_set/Harmlessness/S1"));
  EXPECT_FALSE(metrics["per_pairwise_category"].contains("BoN_set/Helpfulness/Chat"));
}

TEST(EvaluateRmb, ErrorsNameSampleAndField) {
  DataSample no_path = Pair("Helpfulness/Chat", 1, 1.0, 0.0);
  no_path.metadata.erase("category_path");
  EXPECT_NE(
      testing::ErrorOf([&] { EvaluateRmb({no_path}); }).find("RMB sample 'rmb/pairwise/1': metadata.category_path"),
      std::string::npos);
  DataSample two_best = BestOfN("Helpfulness/Chat", 2, 1.0, {0.0, 0.0});
  two_best.output[2].answer.label["preference"] = "chosen";
  EXPECT_NE(testing::ErrorOf([&] {
              EvaluateRmb({two_best});
            }).find("'rmb/bestofn/2': output: expected one chosen and at least one rejected response, got 2 chosen"),
            std::string::npos);
  DataSample unscored = Pair("Helpfulness/Chat", 3, 1.0, 0.0);
  unscored.output[1].answer.reward.reset();
  EXPECT_NE(testing::ErrorOf([&] { EvaluateRmb({unscored}); }).find("'rmb/pairwise/3': output[1]: score"),
            std::string::npos);
}

}  // namespace
}  // namespace rmg::bench
