#include "bench/answer_score.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

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

}  // namespace
}  // namespace rmg::bench
