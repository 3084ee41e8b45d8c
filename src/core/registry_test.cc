#include "rmg/registry.h"

#include <gtest/gtest.h>

#include <string>

namespace rmg {
namespace {

std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const RegistryError& e) {
    return e.what();
  }
  return "";
}

TEST(RegistryTest, ListsBuiltinRewardsWithParameters) {
  const RewardRegistry& registry = RewardRegistry::Global();
  const RewardSpec& spec = registry.Spec("length_penalty");
  EXPECT_EQ(spec.kind, "rule");
  EXPECT_EQ(spec.family, RewardFamily::kPointwise);
  ASSERT_GE(spec.params.size(), 4u);
  EXPECT_EQ(spec.params[0].name, "min_length");
  EXPECT_EQ(spec.params[0].default_value, 10);
  EXPECT_EQ(spec.params.back().name, "name");
  EXPECT_EQ(spec.params.back().default_value, "length_penalty");
}

TEST(RegistryTest, AliasesResolveToTheirReward) {
  const RewardRegistry& registry = RewardRegistry::Global();
  EXPECT_EQ(&registry.Spec("length_reward"), &registry.Spec("length_penalty"));
  bool listed = false;
  for (const RegistryEntry& entry : registry.List()) {
    if (entry.name == "format_reward") {
      listed = true;
      EXPECT_EQ(entry.alias_of, "reasoning_format");
    }
  }
  EXPECT_TRUE(listed);
}

TEST(RegistryTest, UnknownRewardNamesTheClosest) {
  const std::string error = ErrorOf([] { RewardRegistry::Global().Spec("lenght_penalty"); });
  EXPECT_NE(error.find("unknown reward 'lenght_penalty'"), std::string::npos) << error;
  EXPECT_NE(error.find("did you mean: length_penalty"), std::string::npos) << error;
}

TEST(RegistryTest, InstanceNameDefaultsToRmGallerys) {
  auto reward = RewardRegistry::Global().Create("reasoning_format");
  EXPECT_EQ(reward->name(), "format_reward");
  auto renamed = RewardRegistry::Global().Create("reasoning_format", Json{{"name", "fmt"}});
  EXPECT_EQ(renamed->name(), "fmt");
}

TEST(RegistryTest, StringParametersAreConvertedToTheDeclaredType) {
  const Json params = RewardRegistry::Global().ResolveParams(
      "ngram_repetition_penalty", Json{{"n", "2"}, {"use_soft_penalty", "true"}, {"penalty_rate", "0.5"}});
  EXPECT_EQ(params["n"], 2);
  EXPECT_EQ(params["use_soft_penalty"], true);
  EXPECT_DOUBLE_EQ(params["penalty_rate"].get<double>(), 0.5);
  EXPECT_EQ(params["analyze_scope"], "full");  // default filled in
}

// RM-Gallery's parameters are pydantic fields, and pydantic reads 0/1 and these words
// (any case) as bools: F1ScoreReward(chinese_only=1) is valid there.
TEST(RegistryTest, BoolsAreReadAsPydanticReadsThem) {
  const auto soft = [](const Json& value) {
    return RewardRegistry::Global().ResolveParams("ngram_repetition_penalty",
                                                  Json{{"use_soft_penalty", value}})["use_soft_penalty"];
  };
  for (const Json& yes :
       {Json(true), Json(1), Json(1.0), Json("1"), Json("on"), Json("T"), Json("True"), Json("y"), Json("YES")}) {
    EXPECT_EQ(soft(yes), true) << yes.dump();
  }
  for (const Json& no :
       {Json(false), Json(0), Json("0"), Json("off"), Json("f"), Json("FALSE"), Json("n"), Json("No")}) {
    EXPECT_EQ(soft(no), false) << no.dump();
  }
  for (const Json& neither : {Json(2), Json(0.5), Json("maybe"), Json(""), Json::array()}) {
    EXPECT_THROW(soft(neither), RegistryError) << neither.dump();
  }
}

TEST(RegistryTest, BadParameterValueNamesParameterAndType) {
  const std::string error =
      ErrorOf([] { RewardRegistry::Global().Create("length_penalty", Json{{"min_length", "ten"}}); });
  EXPECT_EQ(error, "parameter 'min_length' of reward 'length_penalty': expected int, got 'ten'");
}

// `-p n=1e1` was refused where JSON's 1e1 was read as 10: text reads as the number it spells.
TEST(RegistryTest, AWholeNumberInTextIsAnInt) {
  const auto min_length = [](Json value) {
    return RewardRegistry::Global().Create("length_penalty", Json{{"min_length", value}, {"max_length", 1000}});
  };
  EXPECT_NO_THROW(min_length("1e1"));
  EXPECT_NO_THROW(min_length("5.0"));
  EXPECT_NO_THROW(min_length(1e1));
  EXPECT_THROW(min_length("5.5"), RegistryError);
  EXPECT_THROW(min_length("1e300"), RegistryError);
  EXPECT_THROW(min_length("0x10"), RegistryError);
}

TEST(RegistryTest, AHugeBadValueIsCutInTheMessage) {
  const std::string value = "\xC3\xA9" + std::string(1000, '7') + "x";  // starts with é (2 bytes)
  const std::string error = ErrorOf([&] { RewardRegistry::Global().Create("length_penalty", Json{{"min_length", value}}); });
  const std::string prefix = "parameter 'min_length' of reward 'length_penalty': expected int, got '\xC3\xA9";
  EXPECT_EQ(error, prefix + std::string(77, '7') + "... (1005 bytes)");
  // Cut inside a character, it keeps the character whole or leaves it out.
  const std::string wide = ErrorOf([] {
    RewardRegistry::Global().Create("length_penalty", Json{{"min_length", std::string(78, 'a') + "\xC3\xA9xyz"}});
  });
  EXPECT_NE(wide.find("got '" + std::string(78, 'a') + "... (85 bytes)"), std::string::npos) << wide;
}

TEST(RegistryTest, UnknownParameterListsTheValidOnes) {
  const std::string error = ErrorOf([] { RewardRegistry::Global().Create("length_penalty", Json{{"min_len", 3}}); });
  EXPECT_NE(error.find("unknown parameter 'min_len' for reward 'length_penalty'"), std::string::npos) << error;
  EXPECT_NE(error.find("min_length, max_length, penalty_rate, name"), std::string::npos) << error;
}

TEST(RegistryTest, ChoicesAreEnforced) {
  const std::string error =
      ErrorOf([] { RewardRegistry::Global().Create("ngram_repetition_penalty", Json{{"analyze_scope", "all"}}); });
  EXPECT_NE(error.find("'all' is not one of full, thought"), std::string::npos) << error;
}

// Declared ranges keep the work per sample bounded: an order of a billion made
// bleu and chrf loop for minutes, and an int past int64 used to wrap.
TEST(RegistryTest, RangesAreEnforced) {
  const auto create = [](const char* reward, Json params) {
    return ErrorOf([&] { RewardRegistry::Global().Create(reward, params); });
  };
  EXPECT_EQ(create("bleu", Json{{"max_ngram_order", "1000000000"}}),
            "parameter 'max_ngram_order' of reward 'bleu' must be in [1, 64], got 1000000000");
  EXPECT_EQ(create("chrf", Json{{"word_order", -1}}),
            "parameter 'word_order' of reward 'chrf' must be in [0, 64], got -1");
  EXPECT_EQ(create("chrf", Json{{"beta", 1e308}}),
            "parameter 'beta' of reward 'chrf' must be in [0, 1000], got 1e+308");
  EXPECT_EQ(create("code_execution", Json{{"timeout", 0}}),
            "parameter 'timeout' of reward 'code_execution' must be in [0.001, 86400], got 0.0");
  EXPECT_EQ(create("ngram_repetition_penalty", Json{{"n", 0}}),
            "parameter 'n' of reward 'ngram_repetition_penalty' must be at least 1, got 0");
  EXPECT_EQ(create("code_execution", Json{{"memory_mb", 1e13}}),
            "parameter 'memory_mb' of reward 'code_execution' must be in [16, 1048576], got 10000000000000");
  EXPECT_EQ(create("length_penalty", Json{{"min_length", 1e300}}),
            "parameter 'min_length' of reward 'length_penalty': expected int, got 1e+300");
  EXPECT_EQ(create("length_penalty", Json{{"min_length", 18446744073709551615ull}}),
            "parameter 'min_length' of reward 'length_penalty': expected int, got 18446744073709551615");
  EXPECT_EQ(create("number_accuracy", Json{{"tolerance", "inf"}}),
            "parameter 'tolerance' of reward 'number_accuracy': expected float, got 'inf'");
  // The ends of a range are accepted.
  EXPECT_EQ(create("bleu", Json{{"max_ngram_order", 64}}), "");
  EXPECT_EQ(create("chrf", Json{{"word_order", "0"}, {"beta", 0}}), "");
}

TEST(RegistryTest, NullUnsetsOnlyAParameterWithoutADefault) {
  RewardRegistry registry;
  RewardSpec spec;
  spec.name = "nullable";
  spec.params = {{"flag", ParamType::kBool, true, "", {}}, {"value", ParamType::kDouble, nullptr, "", {}}};
  spec.factory = [](const Params&) -> std::unique_ptr<RewardModel> { return nullptr; };
  registry.Register(spec);
  EXPECT_TRUE(registry.ResolveParams("nullable", Json{{"value", nullptr}})["value"].is_null());
  try {
    registry.ResolveParams("nullable", Json{{"flag", nullptr}});
    FAIL() << "null accepted for a bool with a default";
  } catch (const RegistryError& e) {
    EXPECT_NE(std::string(e.what()).find("'flag'"), std::string::npos) << e.what();
  }
}

TEST(RegistryTest, DuplicateRegistrationIsRejected) {
  RewardRegistry registry;
  RewardSpec spec;
  spec.name = "x";
  spec.factory = [](const Params&) -> std::unique_ptr<RewardModel> { return nullptr; };
  registry.Register(spec);
  EXPECT_THROW(registry.Register(spec), RegistryError);
  EXPECT_THROW(registry.RegisterAlias("y", "missing"), RegistryError);
}

TEST(RegistryTest, SplitKeyValue) {
  EXPECT_EQ(SplitKeyValue("a=b=c"), (std::pair<std::string, std::string>{"a", "b=c"}));
  EXPECT_EQ(SplitKeyValue("empty="), (std::pair<std::string, std::string>{"empty", ""}));
  EXPECT_THROW(SplitKeyValue("novalue"), RegistryError);
  EXPECT_THROW(SplitKeyValue("=x"), RegistryError);
}

TEST(RegistryTest, StringListAcceptsJsonOrCommas) {
  RewardRegistry registry;
  RewardSpec spec;
  spec.name = "lists";
  spec.params = {{"words", ParamType::kStringList, Json::array(), "", {}}};
  spec.factory = [](const Params&) -> std::unique_ptr<RewardModel> { return nullptr; };
  registry.Register(spec);
  EXPECT_EQ(registry.ResolveParams("lists", Json{{"words", "a,b"}})["words"], Json::array({"a", "b"}));
  EXPECT_EQ(registry.ResolveParams("lists", Json{{"words", R"(["x, y"])"}})["words"], Json::array({"x, y"}));
}

}  // namespace
}  // namespace rmg
