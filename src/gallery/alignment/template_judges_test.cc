// Template judges (Level 2): a prompt file registered as a reward. The prompt each
// mode renders from a sample, the verdicts read from the scripted server on
// loopback by the file's score rule, and registration and its errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "core/testing/temp_dir.h"
#include "gallery/alignment/alignment.h"
#include "llm/testing/scripted_server.h"
#include "rmg/llm_judges.h"
#include "rmg/registry.h"
#include "rmg/sample_io.h"

namespace rmg::gallery {
namespace {

const std::string kTemplateJudgesNote =
    "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n";

// A sample: a system message, then `question` with `context`; each output labelled
// with `reference` when it is not empty.
DataSample TemplateJudgesSample(const std::string& id, const std::string& question,
                                const std::vector<std::string>& answers, const std::string& context = "",
                                const std::string& reference = "") {
  Json user{{"role", "user"}, {"content", question}};
  if (!context.empty()) user["additional_kwargs"] = Json{{"context", context}};
  Json sample{{"unique_id", id},
              {"input", Json::array({Json{{"role", "system"}, {"content", "sys"}}, user})},
              {"output", Json::array()}};
  for (const std::string& answer : answers) {
    Json output{{"answer", Json{{"role", "assistant"}, {"content", answer}}}};
    if (!reference.empty()) output["answer"]["label"] = Json{{"reference", reference}};
    sample["output"].push_back(output);
  }
  return ParseDataSample(sample.dump());
}

std::vector<std::string> TemplateJudgesPrompts(const RewardModel& reward, const DataSample& sample) {
  const auto* judge = dynamic_cast<const llm::JudgeReward*>(&reward);
  EXPECT_NE(judge, nullptr);
  return judge ? judge->Prompts(sample) : std::vector<std::string>{};
}

std::vector<std::string> TemplateJudgesParamNames(const RewardSpec& spec) {
  std::vector<std::string> names;
  for (const ParamSpec& param : spec.params) names.push_back(param.name);
  return names;
}

Json TemplateJudgesField(const std::string& name, const std::string& description) {
  return Json{{"name", name}, {"description", description}};
}

class TemplateJudgesTest : public ::testing::Test {
 protected:
  void TearDown() override { server_.reset(); }

  // Writes `judge` (JSON is YAML too) to `file` and returns its path.
  std::string WriteJudge(const std::string& file, const Json& judge) const {
    const std::string path = dir_.Path(file);
    std::ofstream(path) << judge.dump(2);
    return path;
  }

  std::string Register(const std::string& file, const Json& judge) {
    const std::string path = WriteJudge(file, judge);
    RegisterTemplateJudge(registry_, path);
    return path;
  }

  void StartServer(const Json& rules) {
    server_ = llm::testing::ScriptedServer::StartWithScript(Json{{"rules", rules}});
  }

  std::unique_ptr<RewardModel> Create(const std::string& name, Json more = Json::object()) const {
    Json params{{"base_url", server_ ? server_->base_url() : "http://127.0.0.1:9/v1"},
                {"api_key", "template-judges-key"},
                {"cache", "off"},
                {"max_retries", 0},
                {"timeout_seconds", 10}};
    for (const auto& [key, value] : more.items()) params[key] = value;
    return registry_.Create(name, params);
  }

  TempTestDir dir_;
  RewardRegistry registry_;
  std::unique_ptr<llm::testing::ScriptedServer> server_;
};

const RewardDetail& TemplateJudgesDetail(const DataSample& sample, size_t output) {
  const auto& reward = sample.output.at(output).answer.reward;
  EXPECT_TRUE(reward.has_value()) << "output " << output;
  return reward->details.at(0);
}

Json TemplateJudgesRule(const std::string& match, const std::string& reply) {
  return Json{{"match", match}, {"reply", reply}};
}

// A pointwise template showing every placeholder it may use.
Json TemplateJudgesPointwise(const std::string& name = "tj_point") {
  return Json{{"name", name},
              {"mode", "pointwise"},
              {"rubrics", Json::array({"Be brief", "Be right"})},
              {"prompt", "Q={query}\nC={context}\nR={reference}\nRB:\n{rubrics}A={answer} {{literal}}\n{schema}"},
              {"fields", Json::array({TemplateJudgesField("reason", "why"), TemplateJudgesField("score", "1 to 10")})},
              {"score", Json{{"field", "score"}, {"min", 1}, {"max", 10}}}};
}

TEST_F(TemplateJudgesTest, RegistersAnLlmJudgeOfTheFilesMode) {
  const std::string point_path = Register("point.yaml", TemplateJudgesPointwise());
  const RewardSpec& point = registry_.Spec("tj_point");
  EXPECT_EQ(point.kind, "llm");
  EXPECT_EQ(point.family, RewardFamily::kPointwise);
  EXPECT_EQ(point.description, "template judge from " + point_path);
  EXPECT_EQ(point.instance_name, "tj_point");
  std::vector<std::string> expected = TemplateJudgesParamNames(JudgeRewardSpec("x", RewardFamily::kPointwise, ""));
  expected.push_back("name");
  EXPECT_EQ(TemplateJudgesParamNames(point), expected);

  Register("list.yaml", Json{{"name", "tj_list"},
                             {"mode", "listwise"},
                             {"description", "picks the best"},
                             {"prompt", "{answers}"},
                             {"fields", Json::array({TemplateJudgesField("best", "a number")})},
                             {"score", Json{{"field", "best"}}}});
  const RewardSpec& list = registry_.Spec("tj_list");
  EXPECT_EQ(list.family, RewardFamily::kListwise);
  EXPECT_EQ(list.description, "picks the best");
  expected = TemplateJudgesParamNames(JudgeRewardSpec("x", RewardFamily::kListwise, ""));
  expected.push_back("name");
  EXPECT_EQ(TemplateJudgesParamNames(list), expected);
  EXPECT_EQ(Create("tj_list")->name(), "tj_list");
  EXPECT_EQ(Create("tj_list", {{"name", "renamed"}})->name(), "renamed");
}

TEST_F(TemplateJudgesTest, PointwisePromptFillsEveryPlaceholder) {
  Register("point.yaml", TemplateJudgesPointwise());
  const DataSample sample = TemplateJudgesSample("p", "q?", {"the answer"}, "ctx", "ref");
  const std::string head =
      "Q=<system>sys</system>\n<user>q?</user>\nC=ctx\nR=ref\nRB:\n1. Be brief\n2. Be right\nA=the answer {literal}\n" +
      kTemplateJudgesNote;
  EXPECT_EQ(TemplateJudgesPrompts(*Create("tj_point"), sample),
            (std::vector<std::string>{head + "<reason>\nwhy\n</reason>\n<score>\n1 to 10\n</score>\n"}));
  EXPECT_EQ(TemplateJudgesPrompts(*Create("tj_point", {{"enable_thinking", true}}), sample),
            (std::vector<std::string>{head + "<score>\n1 to 10\n</score>\n"}));
}

TEST_F(TemplateJudgesTest, MissingContextAndReferenceRenderEmpty) {
  Register("point.yaml", TemplateJudgesPointwise());
  const DataSample sample = TemplateJudgesSample("e", "q?", {"a1", "a2"});
  const auto prompt = [](const std::string& answer) {
    return "Q=<system>sys</system>\n<user>q?</user>\nC=\nR=\nRB:\n1. Be brief\n2. Be right\nA=" + answer +
           " {literal}\n" + kTemplateJudgesNote + "<reason>\nwhy\n</reason>\n<score>\n1 to 10\n</score>\n";
  };
  EXPECT_EQ(TemplateJudgesPrompts(*Create("tj_point"), sample), (std::vector<std::string>{prompt("a1"), prompt("a2")}));
}

TEST_F(TemplateJudgesTest, ListwisePromptNumbersTheAnswers) {
  Register("list.yaml", Json{{"name", "tj_list"},
                             {"mode", "listwise"},
                             {"prompt", "{query}\n{answers}{schema}"},
                             {"fields", Json::array({TemplateJudgesField("winner", "the number")})},
                             {"score", Json{{"field", "winner"}}}});
  const DataSample sample = TemplateJudgesSample("l", "q", {"x", "y", "z"});
  EXPECT_EQ(TemplateJudgesPrompts(*Create("tj_list", {{"shuffle", false}}), sample),
            (std::vector<std::string>{"<system>sys</system>\n<user>q</user>\n## Answer 1\nx\n\n## Answer 2\ny\n\n"
                                      "## Answer 3\nz\n\n" +
                                      kTemplateJudgesNote + "<winner>\nthe number\n</winner>\n"}));
}

TEST_F(TemplateJudgesTest, PairwisePromptShowsBothOrders) {
  Register("pair.yaml", Json{{"name", "tj_pair"},
                             {"mode", "pairwise"},
                             {"prompt", "A: {answer_a}\nB: {answer_b}\nRef: {reference}"},
                             {"fields", Json::array({TemplateJudgesField("verdict", "A, B or tie")})},
                             {"score", Json{{"field", "verdict"}}}});
  const DataSample sample = TemplateJudgesSample("w", "q", {"one", "two"}, "", "gold");
  EXPECT_EQ(TemplateJudgesPrompts(*Create("tj_pair"), sample),
            (std::vector<std::string>{"A: one\nB: two\nRef: gold", "A: two\nB: one\nRef: gold"}));
  EXPECT_EQ(TemplateJudgesPrompts(*Create("tj_pair", {{"both_orders", false}}), sample),
            (std::vector<std::string>{"A: one\nB: two\nRef: gold"}));
}

TEST_F(TemplateJudgesTest, UnreadableFileNamesThePath) {
  const std::string missing = dir_.Path("missing.yaml");
  try {
    RegisterTemplateJudge(registry_, missing);
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": cannot open config file");
  }
  EXPECT_TRUE(registry_.List().empty());
}

TEST_F(TemplateJudgesTest, BadPlaceholderNamesTheFileAndField) {
  Json judge = TemplateJudgesPointwise("tj_typo");
  judge["prompt"] = "{answr}";
  const std::string path = WriteJudge("typo.yaml", judge);
  try {
    RegisterTemplateJudge(registry_, path);
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": prompt: unknown placeholder {answr}");
  }
  EXPECT_FALSE(registry_.Contains("tj_typo"));
}

TEST_F(TemplateJudgesTest, RegisteringANameTwiceFails) {
  Register("point.yaml", TemplateJudgesPointwise());
  try {
    Register("again.yaml", TemplateJudgesPointwise());
    ADD_FAILURE() << "expected an error";
  } catch (const RegistryError& e) {
    EXPECT_NE(std::string(e.what()).find("again.yaml: reward 'tj_point' is already registered"), std::string::npos)
        << e.what();
  }
}

TEST_F(TemplateJudgesTest, PointwiseScaleIsNormalisedAndBoundsAreChecked) {
  Register("point.yaml", TemplateJudgesPointwise());
  Json thinking = TemplateJudgesRule("A=quiet", "<score>**4**</score>");
  thinking["reasoning_content"] = "mulled it over";
  StartServer(Json::array({TemplateJudgesRule("A=good", "Here:\n<reason>solid</reason>\n<score>7/10</score>"),
                           TemplateJudgesRule("A=over", "<reason>wow</reason><score>11</score>"), thinking}));
  DataSample sample = TemplateJudgesSample("s", "q", {"good", "over", "quiet"});
  EvalContext context;
  context.error_score = -1;
  EXPECT_EQ(Create("tj_point")->Apply(sample, context), 1u);
  EXPECT_DOUBLE_EQ(TemplateJudgesDetail(sample, 0).score.value(), 6.0 / 9.0);
  EXPECT_EQ(TemplateJudgesDetail(sample, 0).reason, "solid");
  EXPECT_EQ(TemplateJudgesDetail(sample, 0).name, "tj_point");
  EXPECT_EQ(TemplateJudgesDetail(sample, 1).score, -1);
  EXPECT_EQ(TemplateJudgesDetail(sample, 1).reason,
            "error: unreadable reply (<score> is 11, outside 1..10) after 1 attempts; the model replied: "
            "\"<reason>wow</reason><score>11</score>\"");
  EXPECT_DOUBLE_EQ(TemplateJudgesDetail(sample, 2).score.value(), 3.0 / 9.0);
  EXPECT_EQ(TemplateJudgesDetail(sample, 2).reason, "mulled it over");
}

TEST_F(TemplateJudgesTest, PointwiseViolationRuleUsesTheFilesRubrics) {
  Register("violations.yaml", Json{{"name", "tj_viol"},
                                   {"mode", "pointwise"},
                                   {"rubrics", Json::array({"a", "b", "c", "d"})},
                                   {"prompt", "{rubrics}{answer}"},
                                   {"fields", Json::array({TemplateJudgesField("broken", "violated rubrics")})},
                                   {"score", Json{{"field", "broken"}}}});
  StartServer(Json::array(
      {TemplateJudgesRule("half", "<broken>[1, 3]</broken>"), TemplateJudgesRule("wrong", "<broken>[5]</broken>")}));
  DataSample sample = TemplateJudgesSample("v", "q", {"half", "wrong"});
  EXPECT_EQ(Create("tj_viol")->Apply(sample, EvalContext{}), 1u);
  EXPECT_DOUBLE_EQ(TemplateJudgesDetail(sample, 0).score.value(), 0.5);
  EXPECT_EQ(TemplateJudgesDetail(sample, 1).reason,
            "error: unreadable reply (<broken> names rubric 5 of 4) after 1 attempts; the model replied: "
            "\"<broken>[5]</broken>\"");
}

TEST_F(TemplateJudgesTest, ListwiseReadsItsOwnField) {
  Register("list.yaml", Json{{"name", "tj_list"},
                             {"mode", "listwise"},
                             {"prompt", "{query}{answers}"},
                             {"fields", Json::array({TemplateJudgesField("winner", "the number")})},
                             {"score", Json{{"field", "winner"}}}});
  StartServer(Json::array({TemplateJudgesRule("<user>pick</user>", "<best>1</best><winner>Answer 2</winner>"),
                           TemplateJudgesRule("<user>forgot</user>", "<best>1</best>")}));
  auto judge = Create("tj_list", {{"shuffle", false}});
  DataSample pick = TemplateJudgesSample("p", "pick", {"x", "y"});
  EXPECT_EQ(judge->Apply(pick, EvalContext{}), 0u);
  EXPECT_EQ(TemplateJudgesDetail(pick, 0).score, 0.0);
  EXPECT_EQ(TemplateJudgesDetail(pick, 1).score, 1.0);
  EXPECT_EQ(pick.input.back().additional_kwargs["tj_list"],
            (Json{{"prompt", "<system>sys</system>\n<user>pick</user>## Answer 1\nx\n\n## Answer 2\ny\n\n"}}));

  DataSample forgot = TemplateJudgesSample("f", "forgot", {"x", "y"});
  EXPECT_EQ(judge->Apply(forgot, EvalContext{}), 1u);
  EXPECT_EQ(TemplateJudgesDetail(forgot, 1).reason,
            "error: unreadable reply (reply has no <winner> tag) after 1 attempts; the model replied: "
            "\"<best>1</best>\"");
}

TEST_F(TemplateJudgesTest, PairwiseVerdictFollowsTheContentAcrossOrders) {
  Register("pair.yaml", Json{{"name", "tj_pair"},
                             {"mode", "pairwise"},
                             {"prompt", "A: {answer_a}\nB: {answer_b}"},
                             {"fields", Json::array({TemplateJudgesField("reason", "why"),
                                                     TemplateJudgesField("verdict", "A, B or tie")})},
                             {"score", Json{{"field", "verdict"}}}});
  StartServer(Json::array({TemplateJudgesRule("A: GOOD", "<reason>A is good</reason><verdict>A</verdict>"),
                           TemplateJudgesRule("B: GOOD", "<reason>B is good</reason><verdict>Response B</verdict>")}));
  DataSample sample = TemplateJudgesSample("c", "q", {"meh", "GOOD"});
  EXPECT_EQ(Create("tj_pair")->Apply(sample, EvalContext{}), 0u);
  EXPECT_EQ(TemplateJudgesDetail(sample, 0).score, 0.0);
  EXPECT_EQ(TemplateJudgesDetail(sample, 1).score, 1.0);
  EXPECT_EQ(TemplateJudgesDetail(sample, 1).reason, "[shown as A, B] B is good\n[shown as B, A] A is good");
}

}  // namespace
}  // namespace rmg::gallery
