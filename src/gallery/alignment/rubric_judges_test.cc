// Rubric judges: the prompts they render from a sample (RM-Gallery's rubric
// templates, api doc §5.4, §6, §11.6), how they read <violation>, <best> and
// <preference> replies from the scripted server on loopback, their registration
// (catalogue, aliases, rmg's pairwise forms, users' rubric files) and parameters.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gallery/alignment/alignment.h"
#include "llm/judge_catalog.h"
#include "llm/testing/scripted_server.h"
#include "rmg/llm_judges.h"
#include "rmg/registry.h"
#include "rmg/sample_io.h"

namespace rmg::gallery {
namespace {

const std::string kRubricJudgesNote =
    "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n";
const std::string kRubricJudgesReason = "<reason>\nyour reasoning trace\n</reason>\n";
const std::string kRubricJudgesViolation = "<violation>\na list of violated rubrics\n</violation>\n";
const std::string kRubricJudgesBest = "<best>\nwhich answer is the best? just give the number here!!!\n</best>\n";
const std::string kRubricJudgesPreference =
    "<preference>\nwhich answer is better? just give A, B or tie here!!!\n</preference>\n";

// BasePointWiseRubricReward's default desc (text P of the api doc).
const std::string kRubricJudgesDescP =
    "Please act as an unbiased and impartial evaluator tasked with assessing the quality of the responses provided "
    "below.\nYou should critically and accurately assess the assistant\u2019s answer with the key rubrics without any "
    "potential bias.\nDo not allow the length of the responses to influence your evaluation.\nBe as goal as possible.";

// D3 = PRE + "".
const std::string kRubricJudgesDescD3 =
    "\nYour role is that of a professional evaluation expert. I will provide you with a question and several "
    "candidate answers. Your task is to select the single best answer from the candidates.\n";

// A user's rubric judge with every section.
Json RubricJudgesPointSpec() {
  return Json{{"name", "rj_point"},
              {"mode", "pointwise"},
              {"desc", "Judge it."},
              {"scenario", "Chats"},
              {"rubrics", Json::array({"Be brief.", "Be right."})},
              {"examples", Json::array({"ex one", "ex two"})},
              {"aliases", Json::array({"rj_point_alias"})}};
}

Json RubricJudgesPairSpec() {
  return Json{{"name", "rj_pair"},
              {"mode", "pairwise"},
              {"desc", "Compare."},
              {"scenario", "S"},
              {"rubrics", Json::array({"R1", "R2"})},
              {"examples", Json::array({"E1"})}};
}

// A sample whose last input message is `question` with `context` (when not empty) and
// whose outputs are `answers`, each labelled with `reference` (when not empty).
DataSample RubricJudgesSample(const std::string& id, const std::string& question,
                              const std::vector<std::string>& answers, const std::string& context = "",
                              const std::string& reference = "") {
  Json message{{"role", "user"}, {"content", question}};
  if (!context.empty()) message["additional_kwargs"] = Json{{"context", context}};
  Json sample{{"unique_id", id}, {"input", Json::array({message})}, {"output", Json::array()}};
  for (const std::string& answer : answers) {
    Json output{{"answer", Json{{"role", "assistant"}, {"content", answer}}}};
    if (!reference.empty()) output["answer"]["label"] = Json{{"reference", reference}};
    sample["output"].push_back(output);
  }
  return ParseDataSample(sample.dump());
}

Json RubricJudgesParams(const std::string& base_url, Json more = Json::object()) {
  Json params{{"base_url", base_url},
              {"api_key", "rubric-judges-key"},
              {"cache", "off"},
              {"max_retries", 0},
              {"timeout_seconds", 10}};
  for (const auto& [key, value] : more.items()) params[key] = value;
  return params;
}

std::vector<std::string> RubricJudgesPrompts(const RewardModel& reward, const DataSample& sample) {
  const auto* judge = dynamic_cast<const llm::JudgeReward*>(&reward);
  EXPECT_NE(judge, nullptr);
  return judge ? judge->Prompts(sample) : std::vector<std::string>{};
}

const ParamSpec* RubricJudgesParam(const RewardSpec& spec, const std::string& name) {
  for (const ParamSpec& param : spec.params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

class RubricJudgesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterAlignmentJudges(registry_);
    RegisterRubricJudge(registry_, RubricJudgesPointSpec(), "point.yaml");
    RegisterRubricJudge(registry_, RubricJudgesPairSpec(), "pair.yaml");
  }

  std::unique_ptr<RewardModel> Offline(const std::string& name, Json more = Json::object()) const {
    return registry_.Create(name, RubricJudgesParams("http://127.0.0.1:9/v1", std::move(more)));
  }

  RewardRegistry registry_;
};

// RubricPointWiseTemplate.format with every optional section present.
TEST_F(RubricJudgesTest, PointwisePromptHasEverySectionInOrder) {
  const DataSample sample = RubricJudgesSample("p", "Hi?", {"Hello."}, "ctx");
  const std::string expected = "# Task Description\nJudge it.\n" + std::string("\n# Scenario\nChats\n") +
                               "\n\n# Rubrics\n1. Be brief.\n2. Be right.\n" + "\n" + "\n# Examples\nex one\nex two\n" +
                               "\n\n# Query\n<user>Hi?</user>" + "\n" + "\n# Context\nctx\n" + "\n\n# Answer\nHello." +
                               "\n\n# Output Requirement\n" + kRubricJudgesNote + kRubricJudgesReason +
                               kRubricJudgesViolation + "\n";
  EXPECT_EQ(RubricJudgesPrompts(*Offline("rj_point"), sample), (std::vector<std::string>{expected}));
}

TEST_F(RubricJudgesTest, PointwiseDefaultsToDescPAndDropsEmptySections) {
  RegisterRubricJudge(registry_, Json{{"name", "rj_min"}, {"mode", "pointwise"}, {"rubrics", Json::array({"Only."})}},
                      "min.yaml");
  const DataSample sample = RubricJudgesSample("m", "q", {"A"});
  const std::string head = "# Task Description\n" + kRubricJudgesDescP + "\n" + "\n\n# Rubrics\n1. Only.\n" + "\n" +
                           "\n\n# Query\n<user>q</user>\n" + "\n\n# Answer\nA\n\n# Output Requirement\n" +
                           kRubricJudgesNote;
  EXPECT_EQ(RubricJudgesPrompts(*Offline("rj_min"), sample),
            (std::vector<std::string>{head + kRubricJudgesReason + kRubricJudgesViolation + "\n"}));
  // A thinking model reasons in its own channel: the schema leaves <reason> out.
  EXPECT_EQ(RubricJudgesPrompts(*Offline("rj_min", {{"enable_thinking", true}}), sample),
            (std::vector<std::string>{head + kRubricJudgesViolation + "\n"}));
}

// RubricListWiseTemplate.format drops the "# Rubrics" heading when there are none.
TEST_F(RubricJudgesTest, ListwiseWithoutRubricsDropsTheRubricsHeading) {
  const DataSample sample = RubricJudgesSample("l", "Which class?", {"spam", "ham"});
  const std::string scenario =
      "Classification: Entails assigning predefined categories or labels to text based on its content.";
  const std::string expected = "# Task Description\n" + kRubricJudgesDescD3 + "\n" + "\n# Scenario\n" + scenario +
                               "\n" + "\n\n" + "" + "\n" + "" + "\n\n# Query\n<user>Which class?</user>\n" + "" +
                               "\n\n# Answers\n## Answer 1\nspam\n\n## Answer 2\nham\n\n" +
                               "\n\n# Output Requirement\n" + kRubricJudgesNote + kRubricJudgesReason +
                               kRubricJudgesBest + "\n";
  EXPECT_EQ(RubricJudgesPrompts(*Offline("classification_listwise_reward", {{"shuffle", false}}), sample),
            (std::vector<std::string>{expected}));
}

// RM-Gallery's rubric judges read input[-1]: with no input there is nothing to judge by,
// and a context that cannot be shown is not silently left out.
TEST_F(RubricJudgesTest, NoInputOrAContextThatIsNotAStringBuildsNoPrompt) {
  DataSample no_input = RubricJudgesSample("n", "q", {"a", "b"});
  no_input.input.clear();
  DataSample listed_context = RubricJudgesSample("c", "q", {"a", "b"});
  listed_context.input.back().additional_kwargs = Json{{"context", Json::array({"p1", "p2"})}};
  for (const char* name : {"rj_point", "base_helpfulness_listwise", "base_helpfulness_pairwise"}) {
    const std::unique_ptr<RewardModel> judge = Offline(name);
    EXPECT_THROW(RubricJudgesPrompts(*judge, no_input), std::invalid_argument) << name;
    EXPECT_THROW(RubricJudgesPrompts(*judge, listed_context), std::invalid_argument) << name;
  }
  // Through Apply: every unit fails, saying why, and nothing is sent (the endpoint is a closed port).
  EvalContext context;
  context.error_score = -1;
  EXPECT_EQ(Offline("rj_point")->Apply(no_input, context), 2u);
  EXPECT_EQ(no_input.output[1].answer.reward->details.at(0).score, -1);
  EXPECT_EQ(no_input.output[1].answer.reward->details.at(0).reason,
            "error: cannot build the prompt: the sample has no input messages: no query to judge by");
  EXPECT_EQ(Offline("base_helpfulness_listwise")->Apply(listed_context, context), 1u);
  EXPECT_EQ(listed_context.output[0].answer.reward->details.at(0).reason,
            "error: cannot build the prompt: input[-1].additional_kwargs.context must be a string, not array");
}

TEST_F(RubricJudgesTest, PairwisePromptShowsAThenBWithContextAndReference) {
  const DataSample sample = RubricJudgesSample("pp", "q", {"first", "second"}, "c", "ref");
  const auto prompt = [](const std::string& a, const std::string& b) {
    return "# Task Description\nCompare.\n\n# Scenario\nS\n\n# Rubrics\n1. R1\n2. R2\n\n# Examples\nE1\n\n"
           "# Query\n<user>q</user>\n\n# Context\nc\n\n# Reference\nref\n\n"
           "# Answers\n## Answer A\n" +
           a + "\n\n## Answer B\n" + b + "\n\n# Output Requirement\n" + kRubricJudgesNote + kRubricJudgesReason +
           kRubricJudgesPreference;
  };
  EXPECT_EQ(RubricJudgesPrompts(*Offline("rj_pair"), sample),
            (std::vector<std::string>{prompt("first", "second"), prompt("second", "first")}));
}

TEST_F(RubricJudgesTest, PairwisePromptLeavesOutEmptyOptionalSections) {
  RegisterRubricJudge(registry_, Json{{"name", "rj_bare_pair"}, {"mode", "pairwise"}, {"rubrics", Json::array()}},
                      "bare.yaml");
  const DataSample sample = RubricJudgesSample("pb", "q", {"x", "y"});
  EXPECT_EQ(RubricJudgesPrompts(*Offline("rj_bare_pair", {{"both_orders", false}}), sample),
            (std::vector<std::string>{"# Task Description\n" + llm::BuiltinDescription("PW") +
                                      "\n\n# Query\n<user>q</user>\n\n# Answers\n## Answer A\nx\n\n## Answer B\ny\n\n"
                                      "# Output Requirement\n" +
                                      kRubricJudgesNote + kRubricJudgesReason + kRubricJudgesPreference}));
}

TEST_F(RubricJudgesTest, ParametersOverrideTheJudgesTexts) {
  const RewardSpec& spec = registry_.Spec("rj_point");
  ASSERT_NE(RubricJudgesParam(spec, "scenario"), nullptr);
  EXPECT_EQ(RubricJudgesParam(spec, "scenario")->default_value, Json("Chats"));
  EXPECT_EQ(RubricJudgesParam(spec, "rubrics")->default_value, Json::array({"Be brief.", "Be right."}));
  EXPECT_EQ(RubricJudgesParam(spec, "rubrics")->type, ParamType::kStringList);
  EXPECT_EQ(RubricJudgesParam(spec, "examples")->default_value, Json::array({"ex one", "ex two"}));
  EXPECT_EQ(RubricJudgesParam(spec, "desc")->default_value, Json("Judge it."));

  const DataSample sample = RubricJudgesSample("o", "q", {"A"});
  auto reward = Offline("rj_point", {{"desc", "New desc."},
                                     {"scenario", ""},
                                     {"rubrics", Json::array({"X", "Y", "Z"})},
                                     {"examples", Json::array()}});
  EXPECT_EQ(RubricJudgesPrompts(*reward, sample),
            (std::vector<std::string>{"# Task Description\nNew desc.\n\n\n# Rubrics\n1. X\n2. Y\n3. Z\n\n\n\n# Query\n"
                                      "<user>q</user>\n\n\n# Answer\nA\n\n# Output Requirement\n" +
                                      kRubricJudgesNote + kRubricJudgesReason + kRubricJudgesViolation + "\n"}));
}

TEST_F(RubricJudgesTest, CatalogueJudgesAreRegisteredWithTheirAliases) {
  for (const llm::RubricJudgeSpec& judge : llm::BuiltinRubricJudges()) {
    ASSERT_TRUE(registry_.Contains(judge.name)) << judge.name;
    const RewardSpec& spec = registry_.Spec(judge.name);
    EXPECT_EQ(spec.kind, "llm") << judge.name;
    EXPECT_EQ(spec.family, JudgeFamily(judge.mode, "test")) << judge.name;
    EXPECT_EQ(spec.instance_name, judge.name);
    EXPECT_EQ(RubricJudgesParam(spec, "scenario")->default_value, Json(judge.scenario)) << judge.name;
    EXPECT_EQ(RubricJudgesParam(spec, "desc")->default_value, Json(judge.desc)) << judge.name;
    for (const std::string& alias : judge.aliases) EXPECT_EQ(registry_.Spec(alias).name, judge.name) << alias;
  }
  EXPECT_TRUE(registry_.Contains("prometheus_absolute"));
  EXPECT_TRUE(registry_.Contains("prometheus_relative"));
}

TEST_F(RubricJudgesTest, BaseListwiseJudgesGetAPairwiseForm) {
  std::set<std::string> pairwise_forms;
  for (const RegistryEntry& entry : registry_.List()) {
    if (entry.alias_of.empty() && entry.spec->family == RewardFamily::kPairwise && entry.name.rfind("base_", 0) == 0) {
      pairwise_forms.insert(entry.name);
    }
  }
  EXPECT_EQ(pairwise_forms, (std::set<std::string>{"base_harmlessness_pairwise", "base_helpfulness_pairwise",
                                                   "base_honesty_pairwise"}));
  const RewardSpec& pairwise = registry_.Spec("base_helpfulness_pairwise");
  const llm::RubricJudgeSpec* listwise = llm::FindBuiltinRubricJudge("base_helpfulness_listwise");
  ASSERT_NE(listwise, nullptr);
  EXPECT_EQ(pairwise.kind, "llm");
  EXPECT_EQ(pairwise.description, "rmg's pairwise form of base_helpfulness_listwise: A, B or tie per pair");
  EXPECT_EQ(RubricJudgesParam(pairwise, "desc")->default_value, Json(llm::BuiltinDescription("PW")));
  EXPECT_EQ(RubricJudgesParam(pairwise, "scenario")->default_value, Json(listwise->scenario));
  EXPECT_EQ(RubricJudgesParam(pairwise, "rubrics")->default_value, Json(listwise->rubrics));
  ASSERT_NE(RubricJudgesParam(pairwise, "both_orders"), nullptr);
  EXPECT_EQ(RubricJudgesParam(pairwise, "shuffle"), nullptr);
  // The listwise judge's aliases stay with it.
  for (const std::string& alias : listwise->aliases) EXPECT_EQ(registry_.Spec(alias).name, listwise->name);
}

TEST_F(RubricJudgesTest, UserJudgeHasADefaultDescriptionAndItsAliases) {
  EXPECT_EQ(registry_.Spec("rj_point").description, "rubric judge (pointwise)");
  EXPECT_EQ(registry_.Spec("rj_point").kind, "llm");
  EXPECT_EQ(registry_.Spec("rj_point_alias").name, "rj_point");
  EXPECT_EQ(Offline("rj_point_alias")->name(), "rj_point");
  EXPECT_EQ(registry_.Spec("rj_pair").family, RewardFamily::kPairwise);

  RegisterRubricJudge(registry_,
                      Json{{"name", "rj_described"},
                           {"mode", "listwise"},
                           {"rubrics", Json::array({"r"})},
                           {"description", "my own words"}},
                      "d.yaml");
  EXPECT_EQ(registry_.Spec("rj_described").description, "my own words");
  EXPECT_EQ(registry_.Spec("rj_described").family, RewardFamily::kListwise);
}

TEST_F(RubricJudgesTest, RegisteringANameTwiceFails) {
  try {
    RegisterRubricJudge(registry_, RubricJudgesPointSpec(), "again.yaml");
    ADD_FAILURE() << "expected an error";
  } catch (const RegistryError& e) {
    EXPECT_EQ(std::string(e.what()), "again.yaml: reward 'rj_point' is already registered");
  }
}

TEST_F(RubricJudgesTest, BadRubricFileNamesTheOriginAndField) {
  Json spec = RubricJudgesPointSpec();
  spec["name"] = "rj_bad";
  spec["mode"] = "ranking";
  try {
    RegisterRubricJudge(registry_, spec, "rubrics/bad.yaml");
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "rubrics/bad.yaml: mode: expected pointwise, listwise or pairwise, got \"ranking\"");
  }
  EXPECT_FALSE(registry_.Contains("rj_bad"));
}

class RubricJudgesServerTest : public RubricJudgesTest {
 protected:
  void TearDown() override { server_.reset(); }

  // Each rule: {match, reply} plus optional reasoning_content.
  void StartServer(const Json& rules) {
    server_ = llm::testing::ScriptedServer::StartWithScript(Json{{"rules", rules}});
  }

  std::unique_ptr<RewardModel> Judge(const std::string& name, Json more = Json::object()) const {
    return registry_.Create(name, RubricJudgesParams(server_->base_url(), std::move(more)));
  }

  std::unique_ptr<llm::testing::ScriptedServer> server_;
};

Json RubricJudgesRule(const std::string& match, const std::string& reply) {
  return Json{{"match", match}, {"reply", reply}};
}

const RewardDetail& RubricJudgesDetail(const DataSample& sample, size_t output, size_t index = 0) {
  const auto& reward = sample.output.at(output).answer.reward;
  EXPECT_TRUE(reward.has_value()) << "output " << output;
  return reward->details.at(index);
}

TEST_F(RubricJudgesServerTest, PointwiseCountsEachViolatedRubricOnce) {
  StartServer(Json::array({RubricJudgesRule("# Answer\ntwice", "<reason>r</reason><violation>[1, 1]</violation>"),
                           RubricJudgesRule("# Answer\nclean", "<reason>fine</reason>\n<violation>none</violation>"),
                           RubricJudgesRule("# Answer\nnamed", "<violation>[\"Be right.\", 2]</violation>")}));
  DataSample sample = RubricJudgesSample("v", "q", {"twice", "clean", "named"});
  EXPECT_EQ(Judge("rj_point")->Apply(sample, EvalContext{}), 0u);
  EXPECT_DOUBLE_EQ(RubricJudgesDetail(sample, 0).score.value(), 0.5);
  EXPECT_EQ(RubricJudgesDetail(sample, 0).reason, "r");
  EXPECT_DOUBLE_EQ(RubricJudgesDetail(sample, 1).score.value(), 1.0);
  EXPECT_EQ(RubricJudgesDetail(sample, 1).reason, "fine");
  EXPECT_DOUBLE_EQ(RubricJudgesDetail(sample, 2).score.value(), 0.5);  // rubric 2 by text and by number
  EXPECT_EQ(RubricJudgesDetail(sample, 2).name, "rj_point");
}

TEST_F(RubricJudgesServerTest, PointwiseUnreadableVerdictsSayWhy) {
  StartServer(Json::array({RubricJudgesRule("# Answer\nbeyond", "<reason>r</reason><violation>[3]</violation>"),
                           RubricJudgesRule("# Answer\nuntagged", "<reason>only reasoning</reason>")}));
  DataSample sample = RubricJudgesSample("u", "q", {"beyond", "untagged"});
  EvalContext context;
  context.error_score = -1;
  EXPECT_EQ(Judge("rj_point")->Apply(sample, context), 2u);
  EXPECT_EQ(RubricJudgesDetail(sample, 0).score, -1);
  EXPECT_EQ(RubricJudgesDetail(sample, 0).reason,
            "error: unreadable reply (<violation> names rubric 3 of 2) after 1 attempts; the model replied: "
            "\"<reason>r</reason><violation>[3]</violation>\"");
  EXPECT_EQ(RubricJudgesDetail(sample, 1).reason,
            "error: unreadable reply (reply has no <violation> tag) after 1 attempts; the model replied: "
            "\"<reason>only reasoning</reason>\"");
}

TEST_F(RubricJudgesServerTest, ThinkingIsNotReadAsTheVerdictButStandsInForTheReason) {
  Json channel = RubricJudgesRule("# Answer\nchannel", "<violation>[2]</violation>");
  channel["reasoning_content"] = "thought in the channel";
  StartServer(Json::array({RubricJudgesRule("# Answer\ninline",
                                            "<think>draft <violation>[1, 2]</violation></think>\n"
                                            "<violation>[]</violation>"),
                           channel}));
  DataSample sample = RubricJudgesSample("t", "q", {"inline", "channel"});
  EXPECT_EQ(Judge("rj_point")->Apply(sample, EvalContext{}), 0u);
  EXPECT_DOUBLE_EQ(RubricJudgesDetail(sample, 0).score.value(), 1.0);
  EXPECT_EQ(RubricJudgesDetail(sample, 0).reason, "draft <violation>[1, 2]</violation>");
  EXPECT_DOUBLE_EQ(RubricJudgesDetail(sample, 1).score.value(), 0.5);
  EXPECT_EQ(RubricJudgesDetail(sample, 1).reason, "thought in the channel");
}

TEST_F(RubricJudgesServerTest, ListwiseReadsADecoratedNumberAmidJunk) {
  StartServer(Json::array({RubricJudgesRule("<user>decorated</user>",
                                            "Sure, here it is:\n<reason>second is right</reason>\n"
                                            "<best>**Answer 2**</best>\nHope this helps!"),
                           RubricJudgesRule("<user>beyond</user>", "<best>3</best>")}));
  DataSample decorated = RubricJudgesSample("d", "decorated", {"x", "y"});
  auto listwise = Judge("base_helpfulness_listwise", {{"shuffle", false}});
  EXPECT_EQ(listwise->Apply(decorated, EvalContext{}), 0u);
  EXPECT_EQ(RubricJudgesDetail(decorated, 0).score, 0.0);
  EXPECT_EQ(RubricJudgesDetail(decorated, 1).score, 1.0);
  EXPECT_EQ(RubricJudgesDetail(decorated, 1).reason, "second is right");

  DataSample beyond = RubricJudgesSample("b", "beyond", {"x", "y"});
  EXPECT_EQ(listwise->Apply(beyond, EvalContext{}), 1u);
  EXPECT_EQ(RubricJudgesDetail(beyond, 0).reason,
            "error: unreadable reply (<best> is 3, not an answer number in 1..2) after 1 attempts; the model "
            "replied: \"<best>3</best>\"");
  EXPECT_EQ("error: " + beyond.input.back().additional_kwargs["base_helpfulness_listwise"]["error"].get<std::string>(),
            RubricJudgesDetail(beyond, 0).reason);
}

TEST_F(RubricJudgesServerTest, PairwiseReadsTieAndTheLastPreference) {
  StartServer(Json::array(
      {RubricJudgesRule("<user>even</user>", "<reason>same</reason><preference>Tie</preference>"),
       RubricJudgesRule("<user>changed</user>", "<preference>A</preference> no, wait: <preference>[[B]]</preference>"),
       RubricJudgesRule("<user>neither</user>", "<preference>C</preference>")}));
  auto judge = Judge("rj_pair");
  DataSample even = RubricJudgesSample("e", "even", {"x", "y"});
  EXPECT_EQ(judge->Apply(even, EvalContext{}), 0u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(RubricJudgesDetail(even, i).score, 0.5);
    EXPECT_EQ(RubricJudgesDetail(even, i).reason, "[shown as A, B] same\n[shown as B, A] same");
  }

  // A model that corrects itself is read by its last word.
  DataSample changed = RubricJudgesSample("c", "changed", {"x", "y"});
  EXPECT_EQ(Judge("rj_pair", {{"both_orders", false}})->Apply(changed, EvalContext{}), 0u);
  EXPECT_EQ(RubricJudgesDetail(changed, 0).score, 0.0);
  EXPECT_EQ(RubricJudgesDetail(changed, 1).score, 1.0);

  DataSample neither = RubricJudgesSample("n", "neither", {"x", "y"});
  EXPECT_EQ(judge->Apply(neither, EvalContext{}), 1u);
  EXPECT_EQ(RubricJudgesDetail(neither, 0).reason,
            "error: unreadable reply (<preference> is not A, B or tie: \"C\") after 1 attempts; the model replied: "
            "\"<preference>C</preference>\"");
}

}  // namespace
}  // namespace rmg::gallery
