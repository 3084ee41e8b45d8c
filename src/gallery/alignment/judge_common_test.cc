// What every judge shares: the text read from a sample, verdicts from judgments,
// references, the judge parameters and their defaults, and MakeLlmJudge (checked
// against the scripted OpenAI-compatible server on loopback where it sends).
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gallery/alignment/alignment.h"
#include "llm/output_schema.h"
#include "llm/testing/scripted_server.h"
#include "rmg/llm_judge.h"
#include "rmg/sample_io.h"

namespace rmg::gallery {
namespace {

DataSample JudgeCommonSample(const std::string& id, const Json& input, const std::vector<std::string>& answers) {
  Json sample{{"unique_id", id}, {"input", input}, {"output", Json::array()}};
  for (const std::string& answer : answers) {
    sample["output"].push_back(Json{{"answer", Json{{"role", "assistant"}, {"content", answer}}}});
  }
  return ParseDataSample(sample.dump());
}

Json JudgeCommonUser(const std::string& content) { return Json{{"role", "user"}, {"content", content}}; }

// Shows the answers as "[a][b]..." after the query; reads <score> on a 0..10 scale.
class JudgeCommonFormat final : public llm::JudgeFormat {
 public:
  explicit JudgeCommonFormat(RewardFamily family) : family_(family) {}
  RewardFamily family() const override { return family_; }
  std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>& shown, bool) const override {
    std::string prompt = "common " + ReadJudgeSampleText(sample).query + ":";
    for (const std::string& answer : ShownAnswers(shown)) prompt += "[" + answer + "]";
    return prompt;
  }
  std::optional<std::string> Read(const llm::JudgeReply& reply, size_t, llm::Verdict* verdict) const override {
    return ToVerdict(llm::InterpretScale(llm::ParseOutputTags(reply.answer), 0, 10), family_, reply, verdict);
  }

 private:
  RewardFamily family_;
};

std::vector<std::string> JudgeCommonParamNames(const std::vector<ParamSpec>& specs) {
  std::vector<std::string> names;
  for (const ParamSpec& spec : specs) names.push_back(spec.name);
  return names;
}

const ParamSpec* JudgeCommonFindParam(const std::vector<ParamSpec>& specs, const std::string& name) {
  for (const ParamSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// Parameters that never reach the network or the default cache file.
Json JudgeCommonOffline(Json more = Json::object()) {
  Json params{{"base_url", "http://127.0.0.1:9/v1"}, {"api_key", "judge-common-key"}, {"cache", "off"}};
  for (const auto& [key, value] : more.items()) params[key] = value;
  return params;
}

std::vector<std::string> JudgeCommonPrompts(const RewardModel& reward, const DataSample& sample) {
  const auto* judge = dynamic_cast<const llm::JudgeReward*>(&reward);
  EXPECT_NE(judge, nullptr);
  return judge ? judge->Prompts(sample) : std::vector<std::string>{};
}

TEST(JudgeCommonTest, QueryFormatsEveryMessageAndContextComesFromTheLast) {
  Json last = JudgeCommonUser("And now?");
  last["additional_kwargs"] = Json{{"context", "the passage"}};
  const DataSample sample =
      JudgeCommonSample("q",
                        Json::array({Json{{"role", "system"}, {"content", "Be kind."}}, JudgeCommonUser("Hi"),
                                     Json{{"role", "assistant"}, {"content", "Hello"}}, last}),
                        {"a"});
  const JudgeSampleText text = ReadJudgeSampleText(sample);
  EXPECT_EQ(text.query,
            "<system>Be kind.</system>\n<user>Hi</user>\n<assistant>Hello</assistant>\n<user>And now?</user>");
  EXPECT_EQ(text.context, "the passage");
}

TEST(JudgeCommonTest, ContextIsOnlyAStringOnTheLastMessage) {
  Json first = JudgeCommonUser("first");
  first["additional_kwargs"] = Json{{"context", "too early"}};
  EXPECT_EQ(ReadJudgeSampleText(JudgeCommonSample("c1", Json::array({first, JudgeCommonUser("second")}), {})).context,
            "");

  Json null_context = JudgeCommonUser("q");
  null_context["additional_kwargs"] = Json{{"context", nullptr}};
  EXPECT_EQ(ReadJudgeSampleText(JudgeCommonSample("c2", Json::array({null_context}), {})).context, "");

  Json other_key = JudgeCommonUser("q");
  other_key["additional_kwargs"] = Json{{"contexts", "plural"}};
  EXPECT_EQ(ReadJudgeSampleText(JudgeCommonSample("c3", Json::array({other_key}), {})).context, "");
}

// A context the judge cannot show (passages as a list, a number) is an error, never left out.
TEST(JudgeCommonTest, ContextThatIsNotAStringIsAnError) {
  for (const Json& context : {Json(42), Json::array({"c1", "c2"}), Json{{"text", "c"}}, Json(true)}) {
    Json message = JudgeCommonUser("q");
    message["additional_kwargs"] = Json{{"context", context}};
    try {
      ReadJudgeSampleText(JudgeCommonSample("c", Json::array({message}), {}));
      ADD_FAILURE() << "accepted context " << context.dump();
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()),
                "input[-1].additional_kwargs.context must be a string, not " + std::string(context.type_name()));
    }
  }
}

TEST(JudgeCommonTest, EmptyInputHasNoQueryAndNoContext) {
  const JudgeSampleText text = ReadJudgeSampleText(JudgeCommonSample("e", Json::array(), {"a"}));
  EXPECT_EQ(text.query, "");
  EXPECT_EQ(text.context, "");
}

TEST(JudgeCommonTest, QueryKeepsNonAsciiText) {
  Json message = JudgeCommonUser("\u00bfQu\u00e9 es \u03c0?");
  message["additional_kwargs"] = Json{{"context", "\u5186\u5468\u7387"}};
  const JudgeSampleText text = ReadJudgeSampleText(JudgeCommonSample("u", Json::array({message}), {}));
  EXPECT_EQ(text.query, "<user>\u00bfQu\u00e9 es \u03c0?</user>");
  EXPECT_EQ(text.context, "\u5186\u5468\u7387");
}

TEST(JudgeCommonTest, ShownAnswersFollowTheShownOrder) {
  const DataSample sample = JudgeCommonSample("s", Json::array({JudgeCommonUser("q")}), {"zero", "one", "two"});
  EXPECT_EQ(ShownAnswers({&sample.output[2], &sample.output[0]}), (std::vector<std::string>{"two", "zero"}));
  EXPECT_TRUE(ShownAnswers({}).empty());
}

TEST(JudgeCommonTest, FailedJudgmentGivesItsErrorAndLeavesTheVerdict) {
  llm::Judgment judgment;
  judgment.ok = false;
  judgment.error = "reply has no <best> tag";
  judgment.reason = "partial";
  llm::Verdict verdict{{0.25}, "before"};
  EXPECT_EQ(ToVerdict(judgment, RewardFamily::kListwise, llm::JudgeReply{}, &verdict),
            std::optional<std::string>("reply has no <best> tag"));
  EXPECT_EQ(verdict.scores, (std::vector<double>{0.25}));
  EXPECT_EQ(verdict.reason, "before");
}

TEST(JudgeCommonTest, VerdictIsTheScorePointwiseAndTheRankOtherwise) {
  llm::Judgment judgment;
  judgment.ok = true;
  judgment.score = 0.75;
  judgment.rank = {0.0, 1.0, 0.0};
  judgment.reason = "said so";
  llm::JudgeReply reply;
  reply.thinking = "unused";

  llm::Verdict pointwise;
  EXPECT_EQ(ToVerdict(judgment, RewardFamily::kPointwise, reply, &pointwise), std::nullopt);
  EXPECT_EQ(pointwise.scores, (std::vector<double>{0.75}));
  EXPECT_EQ(pointwise.reason, "said so");

  for (RewardFamily family : {RewardFamily::kListwise, RewardFamily::kPairwise}) {
    llm::Verdict ranked;
    EXPECT_EQ(ToVerdict(judgment, family, reply, &ranked), std::nullopt);
    EXPECT_EQ(ranked.scores, (std::vector<double>{0.0, 1.0, 0.0}));
    EXPECT_EQ(ranked.reason, "said so");
  }
}

TEST(JudgeCommonTest, ThinkingStandsInForAMissingReason) {
  llm::Judgment judgment;
  judgment.ok = true;
  judgment.score = 1.0;
  llm::JudgeReply reply;
  reply.thinking = "weighed both sides";
  llm::Verdict verdict;
  EXPECT_EQ(ToVerdict(judgment, RewardFamily::kPointwise, reply, &verdict), std::nullopt);
  EXPECT_EQ(verdict.reason, "weighed both sides");

  reply.thinking.clear();
  EXPECT_EQ(ToVerdict(judgment, RewardFamily::kPointwise, reply, &verdict), std::nullopt);
  EXPECT_EQ(verdict.reason, "");
}

TEST(JudgeCommonTest, ReferenceIsOnlyAStringReferenceOfTheLabel) {
  DataOutput output;
  EXPECT_EQ(ReferenceOf(output), "");
  output.answer.label = Json{{"reference", "Paris"}};
  EXPECT_EQ(ReferenceOf(output), "Paris");
  output.answer.label = Json{{"reference", "\u5df4\u9ece"}};
  EXPECT_EQ(ReferenceOf(output), "\u5df4\u9ece");
  output.answer.label = Json{{"reference", 42}};
  EXPECT_EQ(ReferenceOf(output), "");
  output.answer.label = Json{{"reference", Json::array({"a"})}};
  EXPECT_EQ(ReferenceOf(output), "");
  output.answer.label = "reference";
  EXPECT_EQ(ReferenceOf(output), "");
  output.answer.label = Json{{"answer", "Paris"}};
  EXPECT_EQ(ReferenceOf(output), "");
}

TEST(JudgeCommonTest, ParamsAreTheLlmOnesPlusTheFamilysOwn) {
  const std::vector<std::string> llm_names = {
      "model",           "base_url",    "api_key",       "temperature", "max_tokens",
      "enable_thinking", "extra_body",  "system_prompt", "concurrency", "rps",
      "timeout_seconds", "max_retries", "cache"};
  EXPECT_EQ(JudgeCommonParamNames(JudgeParamSpecs(RewardFamily::kPointwise)), llm_names);
  EXPECT_EQ(JudgeCommonParamNames(JudgeParamSpecs(RewardFamily::kStepwise)), llm_names);

  std::vector<std::string> listwise = llm_names;
  listwise.insert(listwise.end(), {"shuffle", "seed"});
  const std::vector<ParamSpec> listwise_specs = JudgeParamSpecs(RewardFamily::kListwise);
  EXPECT_EQ(JudgeCommonParamNames(listwise_specs), listwise);
  const ParamSpec* shuffle = JudgeCommonFindParam(listwise_specs, "shuffle");
  ASSERT_NE(shuffle, nullptr);
  EXPECT_EQ(shuffle->type, ParamType::kBool);
  EXPECT_EQ(shuffle->default_value, Json(true));
  const ParamSpec* seed = JudgeCommonFindParam(listwise_specs, "seed");
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(seed->type, ParamType::kInt);
  EXPECT_EQ(seed->default_value, Json(42));

  std::vector<std::string> pairwise = llm_names;
  pairwise.push_back("both_orders");
  const std::vector<ParamSpec> pairwise_specs = JudgeParamSpecs(RewardFamily::kPairwise);
  EXPECT_EQ(JudgeCommonParamNames(pairwise_specs), pairwise);
  const ParamSpec* both_orders = JudgeCommonFindParam(pairwise_specs, "both_orders");
  ASSERT_NE(both_orders, nullptr);
  EXPECT_EQ(both_orders->type, ParamType::kBool);
  EXPECT_EQ(both_orders->default_value, Json(true));
}

TEST(JudgeCommonTest, LlmParamDefaults) {
  const std::vector<ParamSpec> specs = JudgeParamSpecs(RewardFamily::kPointwise);
  const auto default_of = [&](const std::string& name) {
    const ParamSpec* spec = JudgeCommonFindParam(specs, name);
    return spec ? spec->default_value : Json("<missing>");
  };
  EXPECT_EQ(default_of("temperature"), Json(0.0));
  EXPECT_EQ(default_of("max_tokens"), Json(8192));
  EXPECT_EQ(default_of("system_prompt"), Json("You are a helpful assistant."));
  EXPECT_EQ(default_of("max_retries"), Json(3));
  EXPECT_EQ(default_of("timeout_seconds"), Json(60.0));
  EXPECT_EQ(default_of("concurrency"), Json(64));
  EXPECT_EQ(default_of("cache"), Json("auto"));
  EXPECT_EQ(default_of("enable_thinking"), Json(false));
}

TEST(JudgeCommonTest, RewardSpecIsAnLlmEntryWithoutAFactory) {
  const RewardSpec spec = JudgeRewardSpec("my_judge", RewardFamily::kPairwise, "compares two");
  EXPECT_EQ(spec.name, "my_judge");
  EXPECT_EQ(spec.kind, "llm");
  EXPECT_EQ(spec.family, RewardFamily::kPairwise);
  EXPECT_EQ(spec.description, "compares two");
  EXPECT_EQ(spec.instance_name, "my_judge");
  EXPECT_EQ(JudgeCommonParamNames(spec.params), JudgeCommonParamNames(JudgeParamSpecs(RewardFamily::kPairwise)));
  EXPECT_FALSE(static_cast<bool>(spec.factory));
}

TEST(JudgeCommonTest, FamilyFromModeNamesTheOriginOnError) {
  EXPECT_EQ(JudgeFamily("pointwise", "f.yaml"), RewardFamily::kPointwise);
  EXPECT_EQ(JudgeFamily("listwise", "f.yaml"), RewardFamily::kListwise);
  EXPECT_EQ(JudgeFamily("pairwise", "f.yaml"), RewardFamily::kPairwise);
  for (const std::string mode : {"Pointwise", "stepwise", ""}) {
    try {
      JudgeFamily(mode, "judges/f.yaml");
      ADD_FAILURE() << "no error for '" << mode << "'";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()),
                "judges/f.yaml: mode: expected pointwise, listwise or pairwise, got '" + mode + "'");
    }
  }
}

TEST(JudgeCommonTest, MakeJudgeRewardTakesTheNameAndFamilyOptions) {
  RewardRegistry registry;
  registry.Register(JudgeRewardSpec("listy", RewardFamily::kListwise, ""));
  const Json resolved = registry.ResolveParams("listy", JudgeCommonOffline({{"name", "renamed"}, {"shuffle", false}}));
  auto reward = MakeJudgeReward(Params(resolved), std::make_unique<JudgeCommonFormat>(RewardFamily::kListwise));
  EXPECT_EQ(reward->name(), "renamed");
  EXPECT_EQ(reward->family(), RewardFamily::kListwise);
  EXPECT_TRUE(reward->is_async());
  const DataSample sample =
      JudgeCommonSample("shuffle-golden", Json::array({JudgeCommonUser("q")}), {"a", "b", "c", "d", "e"});
  EXPECT_EQ(JudgeCommonPrompts(*reward, sample), (std::vector<std::string>{"common <user>q</user>:[a][b][c][d][e]"}));
}

// The seeded order for this id and seed 42 (and 7) is fixed: see judge_reward_test.cc.
TEST(JudgeCommonTest, MakeLlmJudgeListwiseDefaultsShuffleWithSeed42) {
  const DataSample sample =
      JudgeCommonSample("shuffle-golden", Json::array({JudgeCommonUser("q")}), {"a", "b", "c", "d", "e"});
  auto by_default =
      MakeLlmJudge("lw", std::make_unique<JudgeCommonFormat>(RewardFamily::kListwise), JudgeCommonOffline());
  EXPECT_EQ(by_default->name(), "lw");
  EXPECT_EQ(JudgeCommonPrompts(*by_default, sample),
            (std::vector<std::string>{"common <user>q</user>:[c][a][d][e][b]"}));
  auto seven = MakeLlmJudge("lw", std::make_unique<JudgeCommonFormat>(RewardFamily::kListwise),
                            JudgeCommonOffline({{"seed", 7}}));
  EXPECT_EQ(JudgeCommonPrompts(*seven, sample), (std::vector<std::string>{"common <user>q</user>:[e][b][c][d][a]"}));
  auto in_order = MakeLlmJudge("lw", std::make_unique<JudgeCommonFormat>(RewardFamily::kListwise),
                               JudgeCommonOffline({{"shuffle", "false"}}));
  EXPECT_EQ(JudgeCommonPrompts(*in_order, sample), (std::vector<std::string>{"common <user>q</user>:[a][b][c][d][e]"}));
}

TEST(JudgeCommonTest, MakeLlmJudgePairwiseDefaultsToBothOrders) {
  const DataSample sample = JudgeCommonSample("pw", Json::array({JudgeCommonUser("q")}), {"a", "b"});
  auto both = MakeLlmJudge("pw", std::make_unique<JudgeCommonFormat>(RewardFamily::kPairwise), JudgeCommonOffline());
  EXPECT_EQ(JudgeCommonPrompts(*both, sample),
            (std::vector<std::string>{"common <user>q</user>:[a][b]", "common <user>q</user>:[b][a]"}));
  auto one = MakeLlmJudge("pw", std::make_unique<JudgeCommonFormat>(RewardFamily::kPairwise),
                          JudgeCommonOffline({{"both_orders", false}}));
  EXPECT_EQ(JudgeCommonPrompts(*one, sample), (std::vector<std::string>{"common <user>q</user>:[a][b]"}));
}

TEST(JudgeCommonTest, MakeLlmJudgeRejectsParametersOfAnotherFamily) {
  try {
    MakeLlmJudge("pt", std::make_unique<JudgeCommonFormat>(RewardFamily::kPointwise),
                 JudgeCommonOffline({{"shuffle", true}}));
    ADD_FAILURE() << "expected an error";
  } catch (const RegistryError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unknown parameter 'shuffle' for reward 'pt'", 0), 0u) << e.what();
  }
  try {
    MakeLlmJudge("lw", std::make_unique<JudgeCommonFormat>(RewardFamily::kListwise),
                 JudgeCommonOffline({{"both_orders", true}}));
    ADD_FAILURE() << "expected an error";
  } catch (const RegistryError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unknown parameter 'both_orders' for reward 'lw'", 0), 0u) << e.what();
  }
}

TEST(JudgeCommonTest, MakeLlmJudgeNamesABadValue) {
  try {
    MakeLlmJudge("lw", std::make_unique<JudgeCommonFormat>(RewardFamily::kListwise),
                 JudgeCommonOffline({{"seed", "many"}}));
    ADD_FAILURE() << "expected an error";
  } catch (const RegistryError& e) {
    EXPECT_NE(std::string(e.what()).find("parameter 'seed' of reward 'lw'"), std::string::npos) << e.what();
  }
  try {
    MakeLlmJudge("pt", std::make_unique<JudgeCommonFormat>(RewardFamily::kPointwise),
                 JudgeCommonOffline({{"timeout_seconds", 0}}));
    ADD_FAILURE() << "expected an error";
  } catch (const RegistryError& e) {
    EXPECT_EQ(std::string(e.what()), "parameter 'timeout_seconds': must be positive");
  }
  try {
    MakeLlmJudge("pt", std::make_unique<JudgeCommonFormat>(RewardFamily::kPointwise),
                 JudgeCommonOffline({{"extra_body", Json::array({1})}}));
    ADD_FAILURE() << "expected an error";
  } catch (const RegistryError& e) {
    EXPECT_EQ(std::string(e.what()), "parameter 'extra_body': expected a JSON object");
  }
}

// A null value passes the registry's type check; the judge must then still say which
// parameter is wrong (or use the default), not report a bare JSON type error.
TEST(JudgeCommonTest, MakeLlmJudgeRefusesAStepwiseFormat) {
  try {
    MakeLlmJudge("steps", std::make_unique<JudgeCommonFormat>(RewardFamily::kStepwise), JudgeCommonOffline({}));
    FAIL() << "a stepwise judge format was accepted";
  } catch (const RegistryError& e) {
    EXPECT_STREQ(e.what(), "judge 'steps': a judge format is pointwise, pairwise or listwise");
  }
}

TEST(JudgeCommonTest, MakeLlmJudgeNullFamilyParameterIsNamed) {
  for (const std::string param : {"shuffle", "seed"}) {
    try {
      auto reward = MakeLlmJudge("lw", std::make_unique<JudgeCommonFormat>(RewardFamily::kListwise),
                                 JudgeCommonOffline({{param, nullptr}}));
      EXPECT_EQ(reward->name(), "lw");  // null taken as "the default" is fine too
    } catch (const RegistryError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + param + "'"), std::string::npos) << e.what();
    }
  }
}

TEST(JudgeCommonTest, MakeLlmJudgeWithoutAKeyNamesTheVariables) {
  const char* saved = std::getenv("OPENAI_API_KEY");
  const std::string saved_value = saved ? saved : "";
  unsetenv("OPENAI_API_KEY");
  Json params = JudgeCommonOffline();
  params.erase("api_key");
  std::string message;
  try {
    MakeLlmJudge("pt", std::make_unique<JudgeCommonFormat>(RewardFamily::kPointwise), params);
  } catch (const RegistryError& e) {
    message = e.what();
  }
  if (saved) setenv("OPENAI_API_KEY", saved_value.c_str(), 1);
  EXPECT_NE(message.find("OPENAI_API_KEY"), std::string::npos) << message;
  EXPECT_NE(message.find("BASE_URL"), std::string::npos) << message;
}

class JudgeCommonServerTest : public ::testing::Test {
 protected:
  void TearDown() override { server_.reset(); }
  void StartServer(const Json& script) { server_ = llm::testing::ScriptedServer::StartWithScript(script); }
  std::unique_ptr<llm::testing::ScriptedServer> server_;
};

TEST_F(JudgeCommonServerTest, MakeLlmJudgeSendsItsParametersAndScores) {
  StartServer(
      {{"rules",
        Json::array({Json{{"match", "[fine]"}, {"reply", "<reason>ok</reason><score>7.5</score>"}},
                     Json{{"match", "[odd]"}, {"reply", "<score>11</score>"}, {"reasoning_content", "too high"}}})}});
  auto reward = MakeLlmJudge("scaled", std::make_unique<JudgeCommonFormat>(RewardFamily::kPointwise),
                             Json{{"base_url", server_->base_url()},
                                  {"api_key", "judge-common-key"},
                                  {"cache", "off"},
                                  {"model", "common-model"},
                                  {"system_prompt", ""},
                                  {"temperature", 0.25},
                                  {"max_tokens", 16},
                                  {"max_retries", 0},
                                  {"extra_body", Json{{"seed", 5}}}});
  DataSample sample = JudgeCommonSample("m", Json::array({JudgeCommonUser("q")}), {"fine", "odd"});
  EXPECT_EQ(reward->Apply(sample, EvalContext{}), 1u);
  ASSERT_TRUE(sample.output[0].answer.reward.has_value());
  EXPECT_EQ(sample.output[0].answer.reward->details.at(0).name, "scaled");
  EXPECT_DOUBLE_EQ(sample.output[0].answer.reward->score, 0.75);
  EXPECT_EQ(sample.output[0].answer.reward->details.at(0).reason, "ok");
  EXPECT_EQ(sample.output[1].answer.reward->details.at(0).reason,
            "error: unreadable reply (<score> is 11, outside 0..10) after 1 attempts; the model replied: "
            "\"<score>11</score>\"");

  const std::vector<Json> requests = server_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const Json& request : requests) {
    const std::string prompt = request["messages"][0]["content"];
    EXPECT_EQ(request, (Json{{"model", "common-model"},
                             {"messages", Json::array({Json{{"role", "user"}, {"content", prompt}}})},
                             {"temperature", 0.25},
                             {"max_tokens", 16},
                             {"seed", 5}}));
    EXPECT_TRUE(prompt == "common <user>q</user>:[fine]" || prompt == "common <user>q</user>:[odd]") << prompt;
  }
}

}  // namespace
}  // namespace rmg::gallery
