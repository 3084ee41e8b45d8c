// schema.cc: LabelReference (every JSON type a reference may have, and where the
// returned view points), RecomputeScore, MutableReward, JsonObjectBuilder, and the
// defaults the data model promises for absent fields.
#include "rmg/schema.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace rmg {
namespace {

Step SchemaStepWithLabel(Json label) {
  Step step;
  step.label = std::move(label);
  return step;
}

RewardDetail SchemaDetail(const std::string& name, double score) {
  RewardDetail detail;
  detail.name = name;
  detail.score = score;
  return detail;
}

TEST(SchemaTest, DefaultsOfAbsentFields) {
  const Step step;
  EXPECT_EQ(step.role, "user");
  EXPECT_EQ(step.content, "");
  EXPECT_TRUE(step.raw_content.is_null());
  EXPECT_FALSE(step.name.has_value());
  EXPECT_TRUE(step.tool_calls.is_null());
  EXPECT_TRUE(step.additional_kwargs.is_null());
  EXPECT_TRUE(step.extra.is_null());
  EXPECT_TRUE(step.label.is_null());
  EXPECT_FALSE(step.reward.has_value());
  const RewardDetail detail;
  EXPECT_FALSE(detail.score.has_value());
  EXPECT_TRUE(detail.extra.is_null());
  const DataSample sample;
  EXPECT_TRUE(sample.metadata.is_null());
  EXPECT_FALSE(sample.task_category.has_value());
  EXPECT_FALSE(sample.source.has_value());
  EXPECT_FALSE(sample.created_at.has_value());
  const DataOutput output;
  EXPECT_FALSE(output.steps.has_value());
}

TEST(SchemaTest, LabelReferenceIsEmptyWithoutAReference) {
  std::string scratch = "untouched";
  for (const Json& label : {Json(), Json::array({"reference"}), Json("reference"), Json(42), Json::object(),
                            Json{{"answer", "5"}}, Json{{"reference", nullptr}}}) {
    const Step step = SchemaStepWithLabel(label);
    EXPECT_EQ(LabelReference(step, &scratch), "") << label.dump();
  }
  EXPECT_EQ(scratch, "untouched");
}

TEST(SchemaTest, LabelReferenceStringIsAViewIntoTheLabel) {
  std::string scratch = "untouched";
  const Step step = SchemaStepWithLabel(Json{{"reference", "\xcf\x80 \xe2\x89\x88 3.14"}});  // "π ≈ 3.14"
  const std::string_view reference = LabelReference(step, &scratch);
  EXPECT_EQ(reference, "\xcf\x80 \xe2\x89\x88 3.14");
  EXPECT_EQ(reference.data(), step.label["reference"].get_ref<const std::string&>().data());
  EXPECT_EQ(scratch, "untouched");
  // An empty string is a reference that is empty, still without the scratch.
  const Step empty = SchemaStepWithLabel(Json{{"reference", ""}});
  EXPECT_EQ(LabelReference(empty, &scratch), "");
  EXPECT_EQ(scratch, "untouched");
  // Embedded NULs survive.
  const Step with_nul = SchemaStepWithLabel(Json{{"reference", std::string("a\0b", 3)}});
  EXPECT_EQ(LabelReference(with_nul, &scratch), std::string_view("a\0b", 3));
}

TEST(SchemaTest, LabelReferenceOfOtherTypesIsTheirJsonText) {
  const std::pair<Json, std::string> cases[] = {
      {Json(42), "42"},
      {Json(-7), "-7"},
      {Json(0.5), "0.5"},
      {Json(true), "true"},
      {Json(false), "false"},
      {Json::array({1, "two"}), "[1,\"two\"]"},
      {Json{{"b", 1}, {"a", 2}}, "{\"b\":1,\"a\":2}"},  // insertion order kept
      {Json(18446744073709551615ULL), "18446744073709551615"},
  };
  for (const auto& [value, text] : cases) {
    std::string scratch;
    const Step step = SchemaStepWithLabel(Json{{"other", 1}, {"reference", value}});
    const std::string_view reference = LabelReference(step, &scratch);
    EXPECT_EQ(reference, text);
    EXPECT_EQ(scratch, text);
    EXPECT_EQ(reference.data(), scratch.data());  // valid while the scratch is
  }
}

TEST(SchemaTest, LabelReferenceOverwritesAReusedScratch) {
  std::string scratch;
  const Step number = SchemaStepWithLabel(Json{{"reference", 12345}});
  const Step smaller = SchemaStepWithLabel(Json{{"reference", 7}});
  EXPECT_EQ(LabelReference(number, &scratch), "12345");
  EXPECT_EQ(LabelReference(smaller, &scratch), "7");
  EXPECT_EQ(scratch, "7");
}

TEST(SchemaTest, RecomputeScoreIsTheMeanOfTheDetails) {
  Reward reward;
  reward.score = 0.7;
  RecomputeScore(reward);
  EXPECT_EQ(reward.score, 0.7);  // no details: unchanged
  reward.details.push_back(SchemaDetail("a", 0.25));
  RecomputeScore(reward);
  EXPECT_EQ(reward.score, 0.25);
  reward.details.push_back(SchemaDetail("b", 1.0));
  reward.details.push_back(SchemaDetail("c", -0.5));
  reward.details.push_back(SchemaDetail("d", 0.25));
  RecomputeScore(reward);
  EXPECT_EQ(reward.score, 0.25);  // (0.25 + 1 - 0.5 + 0.25) / 4
  reward.details.push_back(RewardDetail{"rank", std::nullopt, "a listwise rank read from the input", nullptr});
  RecomputeScore(reward);
  EXPECT_EQ(reward.score, 0.25);  // a detail without a score is not in the mean
  reward.details.clear();
  RecomputeScore(reward);
  EXPECT_EQ(reward.score, 0.25);  // emptied: the last score stays
}

TEST(SchemaTest, RecomputeScoreWithNonFiniteDetails) {
  Reward reward;
  reward.details = {SchemaDetail("a", 1.0), SchemaDetail("b", std::numeric_limits<double>::quiet_NaN())};
  RecomputeScore(reward);
  EXPECT_TRUE(std::isnan(reward.score));
  reward.details = {SchemaDetail("a", 1.0), SchemaDetail("b", std::numeric_limits<double>::infinity())};
  RecomputeScore(reward);
  EXPECT_EQ(reward.score, std::numeric_limits<double>::infinity());
}

TEST(SchemaTest, MutableRewardCreatesOnceAndKeeps) {
  Step step;
  Reward& created = MutableReward(step);
  ASSERT_TRUE(step.reward.has_value());
  EXPECT_EQ(&created, &*step.reward);
  EXPECT_EQ(created.score, 0.0);
  EXPECT_TRUE(created.details.empty());
  EXPECT_TRUE(created.extra.is_null());
  created.score = 0.5;
  created.details.push_back(SchemaDetail("x", 0.5));
  Reward& again = MutableReward(step);
  EXPECT_EQ(&again, &created);
  EXPECT_EQ(again.score, 0.5);
  EXPECT_EQ(again.details.size(), 1u);
}

TEST(SchemaTest, JsonObjectBuilderKeepsInsertionOrder) {
  const Json built = JsonObjectBuilder(3).Add("zeta", 1).Add("alpha", Json::array({1, 2})).Add("mid", nullptr).Build();
  ASSERT_TRUE(built.is_object());
  EXPECT_EQ(built.dump(), "{\"zeta\":1,\"alpha\":[1,2],\"mid\":null}");
  EXPECT_EQ(built.at("alpha"), Json::array({1, 2}));
}

TEST(SchemaTest, JsonObjectBuilderSizeIsOnlyAHint) {
  const Json empty = JsonObjectBuilder(0).Build();
  EXPECT_TRUE(empty.is_object());
  EXPECT_EQ(empty.dump(), "{}");
  JsonObjectBuilder builder(1);
  for (int i = 0; i < 50; ++i) builder.Add("k" + std::to_string(i), i);
  const Json many = builder.Build();
  ASSERT_EQ(many.size(), 50u);
  EXPECT_EQ(many.at("k49"), 49);
  EXPECT_EQ(many.begin().key(), "k0");
  // Keys are copied, not viewed: a temporary key outlives its string.
  std::string key = "temporary";
  JsonObjectBuilder copy(1);
  copy.Add(key, "v");
  key.assign("changed");
  EXPECT_EQ(copy.Build().dump(), "{\"temporary\":\"v\"}");
}

}  // namespace
}  // namespace rmg
