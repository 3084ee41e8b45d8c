// ParseServerConfig: values out of range are refused with the file and the key.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "rmg/server.h"

namespace rmg {
namespace {

std::string ErrorOf(const Json& config) {
  try {
    ParseServerConfig(config, "serve.yaml");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(ServerConfigTest, ReadsTheSettings) {
  const ServerConfig config = ParseServerConfig(
      Json{{"port", 9000}, {"workers", 8}, {"request_timeout_seconds", 2.5}, {"get_reward", "accuracy"}}, "x");
  EXPECT_EQ(config.port, 9000);
  EXPECT_EQ(config.workers, 8);
  EXPECT_DOUBLE_EQ(config.request_timeout_seconds, 2.5);
  ASSERT_TRUE(config.get_reward.has_value());
  EXPECT_EQ(config.get_reward->reward, "accuracy");
  EXPECT_TRUE(config.client_llm_endpoints);
  EXPECT_FALSE(ParseServerConfig(Json{{"client_llm_endpoints", false}}, "x").client_llm_endpoints);
  EXPECT_EQ(ErrorOf(Json{{"client_llm_endpoints", "no"}}), "serve.yaml: client_llm_endpoints: expected true or false");
  EXPECT_EQ(config.error_score, 0.0);
  EXPECT_EQ(ParseServerConfig(Json{{"error_score", -1}}, "x").error_score, -1.0);
  EXPECT_EQ(ErrorOf(Json{{"error_score", "low"}}), "serve.yaml: error_score: expected a number");
}

TEST(ServerConfigTest, ACompositionIsKeptForTheServerToBuild) {
  const ServerConfig config = ParseServerConfig(
      Json::parse(
          R"({"rewards": {"mix": {"compose": "weighted", "name": "m", "concurrency": 4, "rewards": {"a": "accuracy"}}}})"),
      "x");
  const ServedReward& mix = config.rewards.at("mix");
  EXPECT_EQ(mix.reward, "m");
  EXPECT_EQ(mix.concurrency, 4);
  EXPECT_EQ(mix.composition, Json::parse(R"({"compose": "weighted", "name": "m", "rewards": {"a": "accuracy"}})"));
  EXPECT_EQ(ErrorOf(Json::parse(R"({"get_reward": {"router": "source", "concurrency": 0}})")),
            "serve.yaml: get_reward.concurrency: must be at least 1");
  EXPECT_EQ(ErrorOf(Json::parse(R"({"get_reward": {"compose": "weighted", "name": 5}})")),
            "serve.yaml: get_reward.name: expected a string");
}

// A million workers used to start a million threads; a port past 2^32 wrapped.
TEST(ServerConfigTest, OutOfRangeValuesNameTheKey) {
  EXPECT_EQ(ErrorOf(Json{{"workers", 1000000}}), "serve.yaml: workers: must be at most 1024");
  EXPECT_EQ(ErrorOf(Json{{"io_threads", 5000}}), "serve.yaml: io_threads: must be at most 1024");
  EXPECT_EQ(ErrorOf(Json{{"port", 4294967296 + 80}}), "serve.yaml: port: must be at most 65535");
  EXPECT_EQ(ErrorOf(Json{{"port", 18446744073709551615ull}}), "serve.yaml: port: must be at most 65535");
  EXPECT_EQ(ErrorOf(Json{{"workers", -1}}), "serve.yaml: workers: must be at least 0");
  EXPECT_EQ(ErrorOf(Json{{"request_timeout_seconds", std::nan("")}}),
            "serve.yaml: request_timeout_seconds: must be at least 0.001000");
  EXPECT_EQ(ErrorOf(Json{{"rewards", {{"a", {{"reward", "accuracy"}, {"concurrency", 3000000000}}}}}}),
            "serve.yaml: rewards.a.concurrency: must be at most 2147483647");
  EXPECT_EQ(ErrorOf(Json{{"workers", "8"}}), "serve.yaml: workers: expected a whole number");
}

}  // namespace
}  // namespace rmg
