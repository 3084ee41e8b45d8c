#include "bench/answer_score.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "bench/testing.h"
#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

Step AnswerFrom(const char* json) {
  const std::string sample = std::string(R"({"unique_id": "x", "output": [{"answer": )") + json + "}]}";
  return ParseDataSample(sample).output[0].answer;
}

TEST(AnswerScore, DefaultIsTheRewardScore) {
  const Step answer = AnswerFrom(R"({"role": "assistant", "content": "a", "reward": {"score": 0.25, "details": []}})");
  EXPECT_EQ(AnswerScore(answer, ""), 0.25);
  EXPECT_EQ(AnswerScore(answer, "reward.score"), 0.25);
}

TEST(AnswerScore, UnscoredOutputIsAnErrorNotZero) {
  const Step answer = AnswerFrom(R"({"role": "assistant", "content": "a"})");
  EXPECT_NE(testing::ErrorOf([&] { AnswerScore(answer, ""); }).find("reward.score"), std::string::npos);
}

TEST(AnswerScore, DottedPathsIntoTheAnswer) {
  const Step answer = AnswerFrom(
      R"({"role": "assistant", "content": "a", "label": {"score": -3},
          "additional_kwargs": {"rm": {"scores": [1.5, 2.5]}}, "my_field": {"s": 7}})");
  EXPECT_EQ(AnswerScore(answer, "label.score"), -3.0);
  EXPECT_EQ(AnswerScore(answer, "additional_kwargs.rm.scores.1"), 2.5);
  EXPECT_EQ(AnswerScore(answer, "my_field.s"), 7.0);
}

TEST(AnswerScore, ErrorsNameThePath) {
  const Step answer = AnswerFrom(R"({"role": "assistant", "content": "a", "label": {"score": "high", "list": [1]}})");
  EXPECT_NE(testing::ErrorOf([&] { AnswerScore(answer, "label.score"); }).find("'label.score': not a number"),
            std::string::npos);
  EXPECT_NE(testing::ErrorOf([&] { AnswerScore(answer, "label.missing"); }).find("nothing at 'missing'"),
            std::string::npos);
  EXPECT_NE(testing::ErrorOf([&] { AnswerScore(answer, "label.list.1"); }).find("nothing at '1'"), std::string::npos);
  EXPECT_NE(testing::ErrorOf([&] { AnswerScore(answer, "nofield.x"); }).find("no field 'nofield'"), std::string::npos);
  EXPECT_NE(testing::ErrorOf([&] { AnswerScore(answer, "reward.details"); }).find("reward.score"), std::string::npos);
}

TEST(MetadataString, OnlyStrings) {
  const DataSample sample = ParseDataSample(R"({"unique_id": "x", "metadata": {"domain": "chat", "id": 3}})");
  EXPECT_EQ(MetadataString(sample, "domain"), "chat");
  EXPECT_EQ(MetadataString(sample, "id"), "");
  EXPECT_EQ(MetadataString(sample, "absent"), "");
  EXPECT_EQ(MetadataString(ParseDataSample(R"({"unique_id": "y"})"), "domain"), "");
}

TEST(SampleGroup, MetadataThenUniqueId) {
  EXPECT_EQ(SampleGroup(ParseDataSample(R"({"unique_id": "b/chat/7", "metadata": {"subset": "math"}})"), "subset"),
            "math");
  EXPECT_EQ(SampleGroup(ParseDataSample(R"({"unique_id": "b/chat/7", "metadata": {"subset": ""}})"), "subset"), "chat");
  EXPECT_EQ(SampleGroup(ParseDataSample(R"({"unique_id": "rewardbench2/Ties/ref:1"})"), "subset"), "Ties");
  EXPECT_EQ(SampleGroup(ParseDataSample(R"({"unique_id": "b/chat"})"), "subset"), "");
  EXPECT_EQ(SampleGroup(ParseDataSample(R"({"unique_id": "b//7"})"), "subset"), "");
}

TEST(PreferenceScoresOf, SplitsByPreferenceInOutputOrder) {
  const DataSample sample = ParseDataSample(R"({"unique_id": "s1", "output": [
      {"answer": {"content": "a", "label": {"preference": "rejected"}, "reward": {"score": 1}}},
      {"answer": {"content": "b", "label": {"preference": "chosen"}, "reward": {"score": 2}}},
      {"answer": {"content": "c", "label": {"preference": "rejected", "s": 9}, "reward": {"score": 3}}}]})");
  const PreferenceScores scores = PreferenceScoresOf(sample, "", "X");
  EXPECT_EQ(scores.chosen, (std::vector<double>{2}));
  EXPECT_EQ(scores.rejected, (std::vector<double>{1, 3}));
  EXPECT_NE(testing::ErrorOf([&] {
              PreferenceScoresOf(sample, "label.s", "X");
            }).find("X sample 's1': output[0]: score 'label.s'"),
            std::string::npos);
  const DataSample tie = ParseDataSample(R"({"unique_id": "s2", "output": [
      {"answer": {"content": "a", "label": {"preference": "tie"}, "reward": {"score": 1}}}]})");
  EXPECT_EQ(testing::ErrorOf([&] { PreferenceScoresOf(tie, "", "X"); }),
            "X sample 's2': output[0].answer.label.preference: expected \"chosen\" or \"rejected\"");
}

}  // namespace
}  // namespace rmg::bench
