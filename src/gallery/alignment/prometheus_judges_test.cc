// Prometheus-style graders: their registry entries and parameters, the prompts
// they build from a sample, and how "[RESULT] …" replies from the scripted server on
// loopback become scores.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "gallery/alignment/alignment.h"
#include "llm/rubric_prompt.h"
#include "llm/testing/scripted_server.h"
#include "rmg/registry.h"
#include "rmg/sample_io.h"

namespace rmg::gallery {
namespace {

const std::string kPrometheusJudgesCriteria =
    "Is the response helpful, accurate and relevant to the instruction, and free of harmful content?";
const std::vector<std::string> kPrometheusJudgesScores = {
    "The response is irrelevant, wrong or harmful.",
    "The response addresses the instruction only in part and contains significant errors.",
    "The response addresses the instruction but has noticeable errors or omissions.",
    "The response is accurate and helpful with minor shortcomings.",
    "The response is accurate, complete and as helpful as possible.",
};

llm::ScoreRubric PrometheusJudgesRubric(const std::string& criteria, const std::vector<std::string>& descriptions) {
  llm::ScoreRubric rubric;
  rubric.criteria = criteria;
  for (size_t i = 0; i < 5; ++i) rubric.score_descriptions[i] = descriptions.at(i);
  return rubric;
}

DataSample PrometheusJudgesSample(const std::string& id, const Json& input, const std::vector<std::string>& answers,
                                  const std::string& reference = "") {
  Json sample{{"unique_id", id}, {"input", input}, {"output", Json::array()}};
  for (const std::string& answer : answers) {
    Json output{{"answer", Json{{"role", "assistant"}, {"content", answer}}}};
    if (!reference.empty()) output["answer"]["label"] = Json{{"reference", reference}};
    sample["output"].push_back(output);
  }
  return ParseDataSample(sample.dump());
}

Json PrometheusJudgesMessage(const std::string& role, const std::string& content) {
  return Json{{"role", role}, {"content", content}};
}

Json PrometheusJudgesAsk(const std::string& question) {
  return Json::array({PrometheusJudgesMessage("user", question)});
}

std::vector<std::string> PrometheusJudgesPrompts(const RewardModel& reward, const DataSample& sample) {
  const auto* judge = dynamic_cast<const llm::JudgeReward*>(&reward);
  EXPECT_NE(judge, nullptr);
  return judge ? judge->Prompts(sample) : std::vector<std::string>{};
}

const ParamSpec* PrometheusJudgesParam(const RewardSpec& spec, const std::string& name) {
  for (const ParamSpec& param : spec.params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

class PrometheusJudgesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (RewardSpec& spec : PrometheusSpecs()) registry_.Register(std::move(spec));
  }
  void TearDown() override { server_.reset(); }

  void StartServer(const Json& rules) {
    server_ = llm::testing::ScriptedServer::StartWithScript(Json{{"rules", rules}});
  }

  std::unique_ptr<RewardModel> Create(const std::string& name, Json more = Json::object()) const {
    Json params{{"base_url", server_ ? server_->base_url() : "http://127.0.0.1:9/v1"},
                {"api_key", "prometheus-judges-key"},
                {"cache", "off"},
                {"max_retries", 0},
                {"timeout_seconds", 10}};
    for (const auto& [key, value] : more.items()) params[key] = value;
    return registry_.Create(name, params);
  }

  RewardRegistry registry_;
  std::unique_ptr<llm::testing::ScriptedServer> server_;
};

const RewardDetail& PrometheusJudgesDetail(const DataSample& sample, size_t output, size_t index = 0) {
  const auto& reward = sample.output.at(output).answer.reward;
  EXPECT_TRUE(reward.has_value()) << "output " << output;
  return reward->details.at(index);
}

Json PrometheusJudgesRule(const std::string& match, const std::string& reply) {
  return Json{{"match", match}, {"reply", reply}};
}

TEST_F(PrometheusJudgesTest, AbsoluteIsPointwiseWithADefaultFivePointRubric) {
  const RewardSpec& spec = registry_.Spec("prometheus_absolute");
  EXPECT_EQ(spec.kind, "llm");
  EXPECT_EQ(spec.family, RewardFamily::kPointwise);
  EXPECT_EQ(spec.description, "Prometheus-style absolute grading: 1-5 on a score rubric, mapped to (n-1)/4");
  ASSERT_NE(PrometheusJudgesParam(spec, "criteria"), nullptr);
  EXPECT_EQ(PrometheusJudgesParam(spec, "criteria")->default_value, Json(kPrometheusJudgesCriteria));
  ASSERT_NE(PrometheusJudgesParam(spec, "score_descriptions"), nullptr);
  EXPECT_EQ(PrometheusJudgesParam(spec, "score_descriptions")->type, ParamType::kStringList);
  EXPECT_EQ(PrometheusJudgesParam(spec, "score_descriptions")->default_value, Json(kPrometheusJudgesScores));
  EXPECT_EQ(PrometheusJudgesParam(spec, "both_orders"), nullptr);
  EXPECT_EQ(PrometheusJudgesParam(spec, "shuffle"), nullptr);
  EXPECT_NE(PrometheusJudgesParam(spec, "max_retries"), nullptr);
}

TEST_F(PrometheusJudgesTest, RelativeIsPairwiseWithCriteriaAndBothOrders) {
  const RewardSpec& spec = registry_.Spec("prometheus_relative");
  EXPECT_EQ(spec.kind, "llm");
  EXPECT_EQ(spec.family, RewardFamily::kPairwise);
  EXPECT_EQ(spec.description, "Prometheus-style relative grading: which of two responses is better ([RESULT] A or B)");
  ASSERT_NE(PrometheusJudgesParam(spec, "criteria"), nullptr);
  EXPECT_EQ(PrometheusJudgesParam(spec, "criteria")->default_value, Json(kPrometheusJudgesCriteria));
  ASSERT_NE(PrometheusJudgesParam(spec, "both_orders"), nullptr);
  EXPECT_EQ(PrometheusJudgesParam(spec, "both_orders")->default_value, Json(true));
  EXPECT_EQ(PrometheusJudgesParam(spec, "score_descriptions"), nullptr);
}

TEST_F(PrometheusJudgesTest, AbsolutePromptGradesTheLastUserInstruction) {
  const DataSample sample = PrometheusJudgesSample(
      "a",
      Json::array({PrometheusJudgesMessage("system", "sys"), PrometheusJudgesMessage("user", "first"),
                   PrometheusJudgesMessage("assistant", "reply"), PrometheusJudgesMessage("user", "second")}),
      {"resp"}, "gold");
  const std::vector<std::string> prompts = PrometheusJudgesPrompts(*Create("prometheus_absolute"), sample);
  ASSERT_EQ(prompts.size(), 1u);
  EXPECT_EQ(prompts[0],
            llm::RenderPrometheusAbsolute("second", "resp", "gold",
                                          PrometheusJudgesRubric(kPrometheusJudgesCriteria, kPrometheusJudgesScores)));
  const std::string tail =
      "###The instruction to evaluate:\nsecond\n\n###Response to evaluate:\nresp\n\n"
      "###Reference Answer (Score 5):\ngold\n\n###Score Rubrics:\n[" +
      kPrometheusJudgesCriteria +
      "]\n"
      "Score 1: " +
      kPrometheusJudgesScores[0] + "\nScore 2: " + kPrometheusJudgesScores[1] +
      "\nScore 3: " + kPrometheusJudgesScores[2] + "\nScore 4: " + kPrometheusJudgesScores[3] +
      "\nScore 5: " + kPrometheusJudgesScores[4] + "\n\n###Feedback:";
  ASSERT_GE(prompts[0].size(), tail.size());
  EXPECT_EQ(prompts[0].substr(prompts[0].size() - tail.size()), tail);
  // Thinking mode changes nothing: the grader's format has no <reason> field.
  EXPECT_EQ(PrometheusJudgesPrompts(*Create("prometheus_absolute", {{"enable_thinking", true}}), sample), prompts);
}

TEST_F(PrometheusJudgesTest, InstructionFallsBackToTheLastMessage) {
  const auto instruction_of = [&](const Json& input) {
    const std::vector<std::string> prompts =
        PrometheusJudgesPrompts(*Create("prometheus_absolute"), PrometheusJudgesSample("i", input, {"r"}));
    const std::string prompt = prompts.empty() ? "" : prompts[0];
    const std::string before = "###The instruction to evaluate:\n";
    const size_t start = prompt.find(before);
    const size_t end = prompt.find("\n\n###Response to evaluate:");
    return start == std::string::npos || end == std::string::npos
               ? std::string("<none>")
               : prompt.substr(start + before.size(), end - start - before.size());
  };
  EXPECT_EQ(instruction_of(Json::array({PrometheusJudgesMessage("system", "only system")})), "only system");
  EXPECT_EQ(
      instruction_of(Json::array({PrometheusJudgesMessage("user", "u"), PrometheusJudgesMessage("assistant", "a")})),
      "u");
  EXPECT_EQ(instruction_of(Json::array()), "");
}

// An OpenAI-style message whose content is a list of parts: the rubric judges show
// its text parts (FormatMessages), so the graders must not see an empty instruction.
TEST_F(PrometheusJudgesTest, InstructionGivenAsContentPartsIsItsText) {
  const Json parts = Json::array({Json{{"type", "text"}, {"text", "Explain tides."}},
                                  Json{{"type", "image_url"}, {"image_url", Json{{"url", "http://x/y.png"}}}},
                                  Json{{"type", "text"}, {"text", "Briefly."}}});
  const DataSample sample = PrometheusJudgesSample("parts", Json::array({Json{{"role", "user"}, {"content", parts}}}),
                                                   {"The moon pulls the sea."});
  ASSERT_EQ(ReadJudgeSampleText(sample).query, "<user>Explain tides.\nBriefly.</user>");
  EXPECT_EQ(PrometheusJudgesPrompts(*Create("prometheus_absolute"), sample),
            (std::vector<std::string>{llm::RenderPrometheusAbsolute(
                "Explain tides.\nBriefly.", "The moon pulls the sea.", "",
                PrometheusJudgesRubric(kPrometheusJudgesCriteria, kPrometheusJudgesScores))}));
}

TEST_F(PrometheusJudgesTest, AnswerGivenAsContentPartsIsItsText) {
  Json sample = Json::parse(R"({"unique_id": "answer-parts", "input": [{"role": "user", "content": "Explain tides."}],
      "output": [{"answer": {"role": "assistant", "content": [{"type": "text", "text": "The moon"},
                                                              {"type": "text", "text": "pulls the sea."}]}}]})");
  EXPECT_EQ(PrometheusJudgesPrompts(*Create("prometheus_absolute"), ParseDataSample(sample.dump())),
            (std::vector<std::string>{llm::RenderPrometheusAbsolute(
                "Explain tides.", "The moon\npulls the sea.", "",
                PrometheusJudgesRubric(kPrometheusJudgesCriteria, kPrometheusJudgesScores))}));
}

TEST_F(PrometheusJudgesTest, AbsoluteRubricComesFromTheParameters) {
  const std::vector<std::string> descriptions = {"s1", "s2", "s3", "s4", "\u00e9l\u00e9gant"};
  auto reward = Create("prometheus_absolute", {{"criteria", "Is it short?"}, {"score_descriptions", descriptions}});
  const DataSample sample = PrometheusJudgesSample("c", PrometheusJudgesAsk("q"), {"r"});
  EXPECT_EQ(PrometheusJudgesPrompts(*reward, sample),
            (std::vector<std::string>{
                llm::RenderPrometheusAbsolute("q", "r", "", PrometheusJudgesRubric("Is it short?", descriptions))}));
  const std::string prompt = PrometheusJudgesPrompts(*reward, sample).at(0);
  EXPECT_NE(prompt.find("###Score Rubrics:\n[Is it short?]\nScore 1: s1\nScore 2: s2\nScore 3: s3\nScore 4: s4\n"
                        "Score 5: \u00e9l\u00e9gant\n\n###Feedback:"),
            std::string::npos)
      << prompt;
  EXPECT_EQ(prompt.find("###Reference Answer"), std::string::npos);
}

TEST_F(PrometheusJudgesTest, ScoreDescriptionsMustBeFive) {
  for (size_t count : {0u, 4u, 6u}) {
    try {
      Create("prometheus_absolute", {{"score_descriptions", std::vector<std::string>(count, "d")}});
      ADD_FAILURE() << "no error for " << count << " entries";
    } catch (const RegistryError& e) {
      EXPECT_EQ(std::string(e.what()),
                "parameter 'score_descriptions' of reward 'prometheus_absolute': expected 5 entries, got " +
                    std::to_string(count));
    }
  }
}

TEST_F(PrometheusJudgesTest, RelativePromptShowsBothOrdersWithTheCriteria) {
  const DataSample sample = PrometheusJudgesSample("r", PrometheusJudgesAsk("Explain."), {"one", "two"}, "ref");
  EXPECT_EQ(PrometheusJudgesPrompts(*Create("prometheus_relative", {{"criteria", "Be terse."}}), sample),
            (std::vector<std::string>{llm::RenderPrometheusRelative("Explain.", "one", "two", "ref", "Be terse."),
                                      llm::RenderPrometheusRelative("Explain.", "two", "one", "ref", "Be terse.")}));
  const std::vector<std::string> defaults =
      PrometheusJudgesPrompts(*Create("prometheus_relative", {{"both_orders", false}}), sample);
  ASSERT_EQ(defaults.size(), 1u);
  const std::string tail =
      "###Instruction:\nExplain.\n\n###Response A:\none\n\n###Response B:\ntwo\n\n"
      "###Reference Answer:\nref\n\n###Score Rubric:\n" +
      kPrometheusJudgesCriteria + "\n\n###Feedback:";
  ASSERT_GE(defaults[0].size(), tail.size());
  EXPECT_EQ(defaults[0].substr(defaults[0].size() - tail.size()), tail);
}

TEST_F(PrometheusJudgesTest, AbsoluteMapsOneToFiveOntoZeroToOne) {
  StartServer(Json::array({PrometheusJudgesRule("evaluate:\nr1\n", "Feedback: poor [RESULT] 1"),
                           PrometheusJudgesRule("evaluate:\nr3\n", "  Feedback: ok\n[RESULT]: 3\n"),
                           PrometheusJudgesRule("evaluate:\nr4\n", "[RESULT] 4/5"),
                           PrometheusJudgesRule("evaluate:\nr5\n", "Feedback: great [RESULT] **5**")}));
  DataSample sample = PrometheusJudgesSample("m", PrometheusJudgesAsk("q"), {"r1", "r3", "r4", "r5"});
  EXPECT_EQ(Create("prometheus_absolute")->Apply(sample, EvalContext{}), 0u);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 0).score, 0.0);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 0).reason, "Feedback: poor");
  EXPECT_EQ(PrometheusJudgesDetail(sample, 0).name, "prometheus_absolute");
  EXPECT_EQ(PrometheusJudgesDetail(sample, 1).score, 0.5);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 1).reason, "Feedback: ok");
  EXPECT_EQ(PrometheusJudgesDetail(sample, 2).score, 0.75);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 2).reason, "");
  EXPECT_EQ(PrometheusJudgesDetail(sample, 3).score, 1.0);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 3).reason, "Feedback: great");
}

TEST_F(PrometheusJudgesTest, AbsoluteUnreadableVerdictsSayWhatWasExpected) {
  StartServer(Json::array({PrometheusJudgesRule("evaluate:\nsix\n", "Feedback: [RESULT] 6"),
                           PrometheusJudgesRule("evaluate:\nnone\n", "Feedback: good, 4 out of 5"),
                           PrometheusJudgesRule("evaluate:\nlast\n", "[RESULT] 4 ... on reflection [RESULT] four"),
                           PrometheusJudgesRule("evaluate:\nten\n", "[RESULT] 4/10")}));
  DataSample sample = PrometheusJudgesSample("u", PrometheusJudgesAsk("q"), {"six", "none", "last", "ten"});
  EvalContext context;
  context.error_score = -1;
  EXPECT_EQ(Create("prometheus_absolute")->Apply(sample, context), 4u);
  const std::vector<std::string> replies = {"Feedback: [RESULT] 6", "Feedback: good, 4 out of 5",
                                            "[RESULT] 4 ... on reflection [RESULT] four", "[RESULT] 4/10"};
  for (size_t i = 0; i < replies.size(); ++i) {
    EXPECT_EQ(PrometheusJudgesDetail(sample, i).score, -1) << i;
    EXPECT_EQ(PrometheusJudgesDetail(sample, i).reason,
              "error: unreadable reply (reply has no \"[RESULT] n\" with n in 1..5) after 1 attempts; the model "
              "replied: \"" +
                  replies[i] + "\"")
        << i;
  }
}

TEST_F(PrometheusJudgesTest, AbsoluteThinkingIsNotTheVerdict) {
  StartServer(Json::array(
      {PrometheusJudgesRule("evaluate:\nr\n", "<think>maybe [RESULT] 1</think>\nFeedback: fine [RESULT] 5")}));
  DataSample sample = PrometheusJudgesSample("t", PrometheusJudgesAsk("q"), {"r"});
  EXPECT_EQ(Create("prometheus_absolute")->Apply(sample, EvalContext{}), 0u);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 0).score, 1.0);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 0).reason, "Feedback: fine");
}

TEST_F(PrometheusJudgesTest, RelativeVerdictIsMappedBackFromEachOrder) {
  StartServer(Json::array({PrometheusJudgesRule("###Response A:\nGOOD", "Feedback: A wins [RESULT] A"),
                           PrometheusJudgesRule("###Response B:\nGOOD", "Feedback: B wins\n[RESULT] Response B")}));
  DataSample sample = PrometheusJudgesSample("rel", PrometheusJudgesAsk("q"), {"meh", "GOOD"});
  EXPECT_EQ(Create("prometheus_relative")->Apply(sample, EvalContext{}), 0u);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 0).score, 0.0);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 1).score, 1.0);
  EXPECT_EQ(PrometheusJudgesDetail(sample, 1).name, "prometheus_relative");
  EXPECT_EQ(PrometheusJudgesDetail(sample, 1).reason,
            "[shown as A, B] Feedback: B wins\n[shown as B, A] Feedback: A wins");
}

TEST_F(PrometheusJudgesTest, RelativeTieIsUnreadable) {
  StartServer(Json::array({PrometheusJudgesRule("###Response A:", "Feedback: equal [RESULT] tie")}));
  DataSample sample = PrometheusJudgesSample("tie", PrometheusJudgesAsk("q"), {"x", "y"});
  EvalContext context;
  context.error_score = -1;
  EXPECT_EQ(Create("prometheus_relative", {{"both_orders", false}})->Apply(sample, context), 1u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(PrometheusJudgesDetail(sample, i).score, -1);
    EXPECT_EQ(PrometheusJudgesDetail(sample, i).reason,
              "error: unreadable reply (reply has no \"[RESULT] A\" or \"[RESULT] B\") after 1 attempts; the model "
              "replied: \"Feedback: equal [RESULT] tie\"");
  }
}

}  // namespace
}  // namespace rmg::gallery
