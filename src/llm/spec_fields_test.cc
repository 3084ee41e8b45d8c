#include "llm/spec_fields.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rmg::llm {
namespace {

TEST(JudgeSpecFieldsTest, ReadsTypedFieldsWithDefaults) {
  const Json node = Json::parse(R"({"name": "j", "mode": "listwise", "list": ["a", "b"], "gone": null})");
  const SpecFields fields(node, "f.yaml", {"name", "mode", "list", "gone", "other"});
  EXPECT_EQ(fields.String("name", true), "j");
  EXPECT_EQ(fields.String("other", false, "dflt"), "dflt");
  EXPECT_EQ(fields.String("gone", false, "dflt"), "dflt");
  EXPECT_EQ(fields.StringList("list", true), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(fields.StringList("other", false).empty());
  EXPECT_EQ(fields.Mode(), "listwise");
}

TEST(JudgeSpecFieldsTest, ErrorsNameOriginAndField) {
  const Json node = Json::parse(R"({"name": 3, "list": "a"})");
  const SpecFields fields(node, "f.yaml", {"name", "list"});
  EXPECT_THROW(
      {
        try {
          fields.String("name", true);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "f.yaml: name: expected a string");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_THROW(fields.StringList("list", true), std::runtime_error);
  EXPECT_THROW(fields.Mode(), std::runtime_error);
  EXPECT_THROW(SpecFields(node, "f.yaml", {"name"}), std::runtime_error);
  EXPECT_THROW(SpecFields(Json::array(), "f.yaml", {}), std::runtime_error);
}

}  // namespace
}  // namespace rmg::llm
