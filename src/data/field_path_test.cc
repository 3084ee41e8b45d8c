#include "data/field_path.h"

#include <gtest/gtest.h>

namespace rmg {
namespace {

TEST(FieldPathTest, SplitsAtEveryDot) {
  EXPECT_EQ(SplitFieldPath("metadata.prompt_id"), (std::vector<std::string>{"metadata", "prompt_id"}));
  EXPECT_EQ(SplitFieldPath("unique_id"), (std::vector<std::string>{"unique_id"}));
  EXPECT_EQ(SplitFieldPath("a..b"), (std::vector<std::string>{"a", "", "b"}));
}

TEST(FieldPathTest, FindsKeysAndIndices) {
  const Json record = Json::parse(R"({"output": [{"answer": {"label": {"score": 3}}}, {"answer": {}}],
                                      "metadata": {"subset": "chat", "0": "key zero"}})");
  const Json* score = FindField(record, SplitFieldPath("output.0.answer.label.score"));
  ASSERT_NE(score, nullptr);
  EXPECT_EQ(*score, 3);
  // In an object a digit part is a key, not an index.
  ASSERT_NE(FindField(record, SplitFieldPath("metadata.0")), nullptr);
  EXPECT_EQ(*FindField(record, SplitFieldPath("metadata.0")), "key zero");
  EXPECT_EQ(FindField(record, SplitFieldPath("output.2.answer")), nullptr);
  EXPECT_EQ(FindField(record, SplitFieldPath("output.x")), nullptr);
  EXPECT_EQ(FindField(record, SplitFieldPath("output.-1")), nullptr);
  EXPECT_EQ(FindField(record, SplitFieldPath("metadata.subset.more")), nullptr);
  EXPECT_EQ(FindField(record, SplitFieldPath("missing")), nullptr);
}

}  // namespace
}  // namespace rmg
