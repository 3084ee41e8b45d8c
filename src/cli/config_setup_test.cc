#include "cli/config_setup.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "core/testing/temp_dir.h"
#include "rmg/chat_client.h"
#include "rmg/registry.h"
#include "rmg/response_cache.h"

namespace rmg::cli {
namespace {

// Judges stay registered for the life of the process, so every test registers
// names no other test (or repetition of the same test) has used.
std::string ConfigSetupUniqueName(const std::string& stem) {
  static std::atomic<int> counter{0};
  return "config_setup_" + stem + "_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
}

class ConfigSetupTest : public ::testing::Test {
 protected:
  void TearDown() override {
    // The `llm:` defaults are process-wide; leave none behind for other tests.
    RewardRegistry::Global().SetKindParams("llm", Json::object(), Json::object());
  }

  std::string Put(const std::string& name, const std::string& content) const { return dir_.Write(name, content); }
  std::string ConfigPath() const { return dir_.Path("run.yaml"); }

  // The message of what ApplyConfig throws, or "" when it does not.
  std::string ApplyError(const Json& config, bool no_cache = false) const {
    try {
      ApplyConfig(config, ConfigPath(), no_cache);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }

  TempTestDir dir_;
};

TEST(ConfigSetupPathTest, RelativePathsAreRelativeToTheConfigsDirectory) {
  EXPECT_EQ(ResolveConfigPath("judges/a.yaml", "/etc/rmg/run.yaml"), "/etc/rmg/judges/a.yaml");
  EXPECT_EQ(ResolveConfigPath("../shared/a.yaml", "conf/run.yaml"), "conf/../shared/a.yaml");
  EXPECT_EQ(ResolveConfigPath("/abs/a.yaml", "conf/run.yaml"), "/abs/a.yaml");
  // A config in the working directory: the path stays as written.
  EXPECT_EQ(ResolveConfigPath("a.yaml", "run.yaml"), "a.yaml");
  // No config file (a built-in default): nothing to be relative to.
  EXPECT_EQ(ResolveConfigPath("a.yaml", ""), "a.yaml");
  EXPECT_EQ(ResolveConfigPath("d/é 中.yaml", "c/run.yaml"), "c/d/é 中.yaml");
}

TEST_F(ConfigSetupTest, RubricJudgesFromFilesAndInlineAreRegistered) {
  const std::string from_file = ConfigSetupUniqueName("file");
  const std::string inline_judge = ConfigSetupUniqueName("inline");
  Put("judges/brief.yaml", "name: " + from_file + "\nmode: pairwise\nrubrics: [Be brief.]\n");
  const Json config = {{"judges", Json::array({"judges/brief.yaml", Json{{"name", inline_judge},
                                                                         {"mode", "listwise"},
                                                                         {"rubrics", Json::array({"Be kind."})}}})}};
  ApplyConfig(config, ConfigPath(), false);
  const RewardRegistry& registry = RewardRegistry::Global();
  ASSERT_TRUE(registry.Contains(from_file));
  ASSERT_TRUE(registry.Contains(inline_judge));
  EXPECT_EQ(registry.Spec(from_file).kind, "llm");
  EXPECT_EQ(registry.Spec(from_file).family, RewardFamily::kPairwise);
  EXPECT_EQ(registry.Spec(inline_judge).family, RewardFamily::kListwise);
}

TEST_F(ConfigSetupTest, TemplateJudgesAreRegisteredFromFilesNextToTheConfig) {
  const std::string name = ConfigSetupUniqueName("template");
  Put("judges/grade.yaml", "name: " + name +
                               "\nmode: pointwise\nprompt: \"Grade {answer}\\n{schema}\"\n"
                               "fields:\n  - {name: score, description: a number from 1 to 10}\n"
                               "score: {field: score, min: 1, max: 10}\n");
  ApplyConfig(Json{{"templates", Json::array({"judges/grade.yaml"})}}, ConfigPath(), false);
  ASSERT_TRUE(RewardRegistry::Global().Contains(name));
  EXPECT_EQ(RewardRegistry::Global().Spec(name).kind, "llm");
  EXPECT_EQ(RewardRegistry::Global().Spec(name).family, RewardFamily::kPointwise);
}

TEST_F(ConfigSetupTest, LlmSectionBecomesTheDefaultsCallersStillOverride) {
  ApplyConfig(Json{{"llm", {{"model", "config-model"}, {"temperature", 0.25}}}}, ConfigPath(), false);
  const RewardRegistry& registry = RewardRegistry::Global();
  const Json defaults = registry.ResolveParams("helpfulness_listwise_reward", Json::object());
  EXPECT_EQ(defaults["model"], "config-model");
  EXPECT_EQ(defaults["temperature"], 0.25);
  const Json given = registry.ResolveParams("helpfulness_listwise_reward", Json{{"model", "mine"}});
  EXPECT_EQ(given["model"], "mine");
  // Rule rewards do not take LLM settings.
  EXPECT_FALSE(registry.ResolveParams("length_penalty", Json::object()).contains("model"));
}

TEST_F(ConfigSetupTest, NoCacheWinsOverTheConfigAndTheCaller) {
  ApplyConfig(Json{{"llm", {{"cache", "auto"}}}}, ConfigPath(), /*no_cache=*/true);
  const RewardRegistry& registry = RewardRegistry::Global();
  EXPECT_EQ(registry.ResolveParams("helpfulness_listwise_reward", Json::object())["cache"], "off");
  EXPECT_EQ(registry.ResolveParams("helpfulness_listwise_reward", Json{{"cache", "auto"}})["cache"], "off");
  // Applying a config without --no-cache lifts it again.
  ApplyConfig(Json::object(), ConfigPath(), false);
  EXPECT_EQ(registry.ResolveParams("helpfulness_listwise_reward", Json{{"cache", "auto"}})["cache"], "auto");
}

TEST_F(ConfigSetupTest, SectionsOfTheWrongShapeNameFileAndKey) {
  const std::string path = ConfigPath();
  EXPECT_EQ(ApplyError(Json{{"judges", "judges/brief.yaml"}}), path + ": judges: expected a list");
  EXPECT_EQ(ApplyError(Json{{"templates", Json{{"a", "b"}}}}), path + ": templates: expected a list");
  EXPECT_EQ(ApplyError(Json{{"templates", Json::array({3})}}), path + ": templates[0]: expected a file path");
  EXPECT_EQ(ApplyError(Json{{"llm", "gpt-4o"}}), path + ": llm: expected a mapping of LLM settings");
  EXPECT_EQ(ApplyError(Json{{"llm", Json::array()}}), path + ": llm: expected a mapping of LLM settings");
}

TEST_F(ConfigSetupTest, MisspeltLlmSettingListsTheKnownOnesSorted) {
  const std::string message = ApplyError(Json{{"llm", {{"model", "m"}, {"modle", "m"}}}});
  const std::string prefix = ConfigPath() + ": llm.modle: unknown key (known: ";
  ASSERT_EQ(message.rfind(prefix, 0), 0u) << message;
  ASSERT_EQ(message.back(), ')') << message;
  std::vector<std::string> names;
  const std::string list = message.substr(prefix.size(), message.size() - prefix.size() - 1);
  for (size_t start = 0; start <= list.size();) {
    const size_t comma = list.find(", ", start);
    names.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << list;
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << list;
  // Settings of every judge family: shared ones, listwise-only and pairwise-only.
  for (const char* expected : {"model", "base_url", "cache", "concurrency", "shuffle", "seed", "both_orders"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected << " missing from " << list;
  }
  // Family-specific settings are accepted too.
  EXPECT_EQ(ApplyError(Json{{"llm", {{"shuffle", false}, {"both_orders", false}}}}), "");
}

TEST_F(ConfigSetupTest, MissingJudgeFileIsNamedByItsResolvedPath) {
  const std::string message = ApplyError(Json{{"judges", Json::array({"judges/none.yaml"})}});
  const std::string resolved = dir_.Path("judges/none.yaml");
  EXPECT_EQ(message.rfind(resolved + ": ", 0), 0u) << message;
  const std::string missing_template = ApplyError(Json{{"templates", Json::array({"judges/none.yaml"})}});
  EXPECT_NE(missing_template.find(resolved), std::string::npos) << missing_template;
}

TEST_F(ConfigSetupTest, BadInlineJudgeIsNamedByItsPositionInTheConfig) {
  const std::string good = ConfigSetupUniqueName("good");
  const Json config = {{"judges", Json::array({Json{{"name", good}, {"mode", "pointwise"}, {"rubrics", {"r"}}},
                                               Json{{"mode", "pointwise"}, {"rubrics", {"r"}}}})}};
  const std::string message = ApplyError(config);
  EXPECT_EQ(message.rfind(ConfigPath() + ": judges[1]", 0), 0u) << message;
  EXPECT_NE(message.find("name"), std::string::npos) << message;
  const std::string scalar = ApplyError(Json{{"judges", Json::array({7})}});
  EXPECT_EQ(scalar.rfind(ConfigPath() + ": judges[0]", 0), 0u) << scalar;
}

TEST_F(ConfigSetupTest, JudgeNamesMustNotBeTaken) {
  const std::string message = ApplyError(
      Json{{"judges", Json::array({Json{{"name", "length_penalty"}, {"mode", "pointwise"}, {"rubrics", {"r"}}}})}});
  EXPECT_NE(message.find("length_penalty"), std::string::npos) << message;
  EXPECT_EQ(RewardRegistry::Global().Spec("length_penalty").kind, "rule") << "the built-in reward was replaced";
}

TEST_F(ConfigSetupTest, LlmSummaryReportsTheProcessTotals) {
  // Other tests in this process may have used an LLM or a cache; the summary is
  // judged against the totals, after this test has made sure there is traffic.
  const std::shared_ptr<ResponseCache> cache = ResponseCache::Open(dir_.Path("cache.sqlite"));
  EXPECT_FALSE(cache->Get("no such key").has_value());
  const ChatClientStats chat = ChatClient::ProcessTotals();
  const CacheStats totals = ResponseCache::ProcessTotals();
  ASSERT_GE(totals.misses, 1u);
  EXPECT_EQ(LlmSummary(), "LLM " + std::to_string(chat.requests) + " requests (" + std::to_string(chat.attempts) +
                              " HTTP attempts, " + std::to_string(chat.retries) + " retries, " +
                              std::to_string(chat.failed) + " failed); cache " + std::to_string(totals.hits) +
                              " hits, " + std::to_string(totals.misses) + " misses" +
                              (totals.write_errors > 0 ? ", " + std::to_string(totals.write_errors) + " not stored"
                                                       : std::string()));
}

}  // namespace
}  // namespace rmg::cli
