// builtin.cc: the one list of built-in rewards and aliases, checked on a fresh registry.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "rmg/registry.h"

namespace rmg {
namespace {

RewardRegistry& BuiltinRegistry() {
  static RewardRegistry* registry = [] {
    auto* fresh = new RewardRegistry;
    RegisterBuiltinRewards(*fresh);
    return fresh;
  }();
  return *registry;
}

TEST(BuiltinRewardsTest, EveryRuleRewardOfRmGalleryIsRegistered) {
  // RM-Gallery's registry names of its rule rewards (rm_gallery_api.md §11.0), with the
  // detail name each writes. detoxify_reward needs a downloaded model: not here.
  const std::pair<const char*, const char*> rewards[] = {
      {"accuracy", "accuracy"},
      {"f1_score", "f1_score"},
      {"rouge", "rouge"},
      {"number_accuracy", "number_accuracy"},
      {"reasoning_format", "format_reward"},
      {"reasoning_tool_call_format", "tool_call_format"},
      {"length_penalty", "length_penalty"},
      {"ngram_repetition_penalty", "ngram_repetition_penalty"},
      {"privacy_leakage", "privacy_leakage"},
      {"code_syntax_check", "syntax_check"},
      {"code_style", "code_style"},
      {"code_patch_similarity", "patch_similarity"},
      {"code_execution", "code_execution"},
      {"math_verify_reward", "math_verify"},
  };
  for (const auto& [name, detail] : rewards) {
    ASSERT_TRUE(BuiltinRegistry().Contains(name)) << name;
    const RewardSpec& spec = BuiltinRegistry().Spec(name);
    EXPECT_EQ(spec.name, name);
    EXPECT_EQ(spec.kind, "rule") << name;
    EXPECT_EQ(BuiltinRegistry().ResolveParams(name, Json::object())["name"], detail) << name;
  }
}

TEST(BuiltinRewardsTest, AliasesOfRmGallerysDocsResolveToTheirRewards) {
  const std::pair<const char*, const char*> aliases[] = {
      {"accuracy_reward", "accuracy"},
      {"f1_reward", "f1_score"},
      {"rouge_reward", "rouge"},
      {"bleu_reward", "bleu"},
      {"length_reward", "length_penalty"},
      {"repetition_reward", "ngram_repetition_penalty"},
      {"privacy_reward", "privacy_leakage"},
      {"format_reward", "reasoning_format"},
  };
  for (const auto& [alias, target] : aliases) {
    ASSERT_TRUE(BuiltinRegistry().Contains(alias)) << alias;
    EXPECT_EQ(&BuiltinRegistry().Spec(alias), &BuiltinRegistry().Spec(target)) << alias;
  }
}

TEST(BuiltinRewardsTest, EveryRewardsDefaultsPassItsOwnChecks) {
  // A declared default outside its own range or choices would make the reward
  // unusable without parameters.
  size_t rewards = 0;
  for (const RegistryEntry& entry : BuiltinRegistry().List()) {
    if (!entry.alias_of.empty()) continue;
    ++rewards;
    EXPECT_NO_THROW(BuiltinRegistry().ResolveParams(entry.name, Json::object())) << entry.name;
    EXPECT_FALSE(entry.spec->description.empty()) << entry.name;
    std::set<std::string> names;
    for (const ParamSpec& param : entry.spec->params) {
      EXPECT_TRUE(names.insert(param.name).second) << entry.name << ": '" << param.name << "' declared twice";
    }
  }
  EXPECT_GE(rewards, 14u + 6u + 17u);  // the rule rewards, 6 base_* and 17 listwise judges
}

TEST(BuiltinRewardsTest, RuleRewardsBuildWithTheirDefaults) {
  for (const RegistryEntry& entry : BuiltinRegistry().List()) {
    if (!entry.alias_of.empty() || entry.spec->kind != "rule") continue;
    const std::unique_ptr<RewardModel> reward = BuiltinRegistry().Create(entry.name);
    ASSERT_NE(reward, nullptr) << entry.name;
  }
}

}  // namespace
}  // namespace rmg
