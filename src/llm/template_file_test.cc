#include "llm/template_file.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "rmg/config.h"

namespace rmg::llm {
namespace {

constexpr const char* kPointwise = R"(
name: concise_judge
mode: pointwise
rubrics: [Be brief, Be right]
prompt: "Q: {query}\n{{ctx: {context}}}\nRubrics:\n{rubrics}Answer: {answer}\nRef: {reference}\n{schema}"
fields:
  - {name: reason, description: your reasoning trace}
  - {name: score, description: a number from 1 to 10}
score: {field: score, min: 1, max: 10}
)";

JudgeTemplate Parse(const std::string& yaml) { return ParseJudgeTemplate(ParseYaml(yaml), "judge.yaml"); }

std::string Error(const std::string& yaml) {
  try {
    Parse(yaml);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

// kPointwise with one line replaced.
std::string With(const std::string& from, const std::string& to) {
  std::string yaml = kPointwise;
  const size_t at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return yaml.replace(at, from.size(), to);
}

TEST(TemplateFileTest, RendersPlaceholdersAndEscapes) {
  const JudgeTemplate judge = Parse(kPointwise);
  EXPECT_EQ(judge.name, "concise_judge");
  TemplateValues values{"<user>hi</user>", "c", "r", {"hello"}, true};
  EXPECT_EQ(RenderTemplate(judge, values),
            "Q: <user>hi</user>\n{ctx: c}\nRubrics:\n1. Be brief\n2. Be right\nAnswer: hello\nRef: r\n"
            "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
            "<score>\na number from 1 to 10\n</score>\n");
  values.answers.clear();
  EXPECT_THROW(RenderTemplate(judge, values), std::invalid_argument);
}

TEST(TemplateFileTest, ScoreRulesByMode) {
  const JudgeTemplate scale = Parse(kPointwise);
  EXPECT_DOUBLE_EQ(InterpretTemplateReply(scale, {{"score", "10"}}, 1).score, 1.0);
  EXPECT_FALSE(InterpretTemplateReply(scale, {{"score", "11"}}, 1).ok);

  const JudgeTemplate violations =
      Parse(With("score: {field: score, min: 1, max: 10}", "score: {field: score}"));
  EXPECT_DOUBLE_EQ(InterpretTemplateReply(violations, {{"score", "[1]"}}, 1).score, 0.5);

  const JudgeTemplate listwise = Parse(R"(
name: pick
mode: listwise
prompt: "{answers}{schema}"
fields: [{name: best, description: the number}]
score: {field: best}
)");
  EXPECT_EQ(RenderTemplate(listwise, {"", "", "", {"x", "y"}, false}),
            "## Answer 1\nx\n\n## Answer 2\ny\n\n"
            "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
            "<best>\nthe number\n</best>\n");
  EXPECT_EQ(InterpretTemplateReply(listwise, {{"best", "2"}}, 2).rank, (std::vector<double>{0, 1}));

  const JudgeTemplate pairwise = Parse(R"(
name: duel
mode: pairwise
prompt: "A: {answer_a} B: {answer_b}"
fields: [{name: winner, description: "A, B or tie"}]
score: {field: winner}
)");
  EXPECT_EQ(RenderTemplate(pairwise, {"", "", "", {"x", "y"}, false}), "A: x B: y");
  EXPECT_EQ(InterpretTemplateReply(pairwise, {{"winner", "tie"}}, 2).rank, (std::vector<double>{0.5, 0.5}));
}

TEST(TemplateFileTest, PromptErrorsNameFileAndPlaceholder) {
  EXPECT_EQ(Error(With("Answer: {answer}", "Answer: {answr} {answer}")),
            "judge.yaml: prompt: unknown placeholder {answr}");
  EXPECT_EQ(Error(With("Answer: {answer}", "Answer: {answers}")),
            "judge.yaml: prompt: {answers} is for listwise templates, not pointwise");
  EXPECT_EQ(Error(With("Answer: {answer}", "Answer:")),
            "judge.yaml: prompt: a pointwise template must show the answers with {answer}");
  EXPECT_EQ(Error(With("{{ctx: {context}}}", "{ctx: {context}}")), "judge.yaml: prompt: unknown placeholder {ctx: {context}");
  EXPECT_EQ(Error(With("{{ctx: {context}}}", "ctx: {context}}")),
            "judge.yaml: prompt: single } (write }} for a literal brace)");
  EXPECT_EQ(Error(With("{schema}\"", "{schema\"")), "judge.yaml: prompt: unclosed { (write {{ for a literal brace)");
}

TEST(TemplateFileTest, FieldAndScoreErrors) {
  EXPECT_EQ(Error(With("score: {field: score, min: 1, max: 10}", "score: {field: rating}")),
            "judge.yaml: score: field: \"rating\" is not one of the declared fields");
  EXPECT_EQ(Error(With("min: 1, max: 10", "min: 10, max: 1")), "judge.yaml: score: max: must be greater than min");
  EXPECT_EQ(Error(With("min: 1, max: 10", "min: 1")), "judge.yaml: score: max: missing (give both min and max)");
  EXPECT_EQ(Error(With("min: 1, max: 10", "min: low, max: 10")), "judge.yaml: score: min: expected a number");
  EXPECT_EQ(Error(With("score: {field: score, min: 1, max: 10}", "")), "judge.yaml: score: missing");
  EXPECT_EQ(Error(With("{name: score, description: a number from 1 to 10}", "{name: 'my score', description: d}")),
            "judge.yaml: fields[1]: name: \"my score\" is not a tag name");
  EXPECT_EQ(Error(With("{name: score, description: a number from 1 to 10}", "{name: reason, description: d}")),
            "judge.yaml: fields[1]: name: \"reason\" is declared twice");
  EXPECT_EQ(Error(With("{name: score, description: a number from 1 to 10}", "{name: score}")),
            "judge.yaml: fields[1]: description: missing");
  EXPECT_EQ(Error(With("mode: pointwise", "mode: listwise")),
            "judge.yaml: prompt: {answer} is for pointwise templates, not listwise");
  EXPECT_EQ(Error(With("name: concise_judge", "name: concise_judge\nprompts: x")), "judge.yaml: prompts: unknown field");
}

TEST(TemplateFileTest, LoadNamesTheFile) {
  EXPECT_THROW(LoadJudgeTemplate("/nonexistent/judge.yaml"), std::runtime_error);
}

}  // namespace
}  // namespace rmg::llm
