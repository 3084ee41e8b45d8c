#include "rmg/config.h"

#include <gtest/gtest.h>

namespace rmg {
namespace {

TEST(ConfigTest, YamlScalarsGetTheirTypes) {
  const Json config = ParseYaml(R"(
reward: rouge
workers: 2
timeout_seconds: 1.5
flag: true
quoted: "2"
empty:
list: [a, 1]
)");
  EXPECT_EQ(config["reward"], "rouge");
  EXPECT_EQ(config["workers"], 2);
  EXPECT_DOUBLE_EQ(config["timeout_seconds"].get<double>(), 1.5);
  EXPECT_EQ(config["flag"], true);
  EXPECT_EQ(config["quoted"], "2");
  EXPECT_TRUE(config["empty"].is_null());
  EXPECT_EQ(config["list"], Json::array({"a", 1}));
}

TEST(ConfigTest, SyntaxErrorNamesOriginAndLine) {
  try {
    ParseYaml("a: 1\nb: [unclosed\n", "cfg.yaml");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cfg.yaml:", 0), 0u) << e.what();
  }
}

TEST(ConfigTest, MissingFileIsNamed) {
  try {
    LoadConfigFile("/nonexistent/rmg.yaml");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/rmg.yaml"), std::string::npos);
  }
}

}  // namespace
}  // namespace rmg
