#include "llm/rubric_prompt.h"

#include <stdexcept>

#include "llm/judgment.h"
#include "rmg/sample_io.h"

namespace rmg::llm {
namespace {

// RM-Gallery's optional sections: `heading + text + "\n"` when text is non-empty.
std::string Section(std::string_view heading, const std::string& text) {
  return text.empty() ? std::string() : std::string(heading) + text + "\n";
}

std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += "\n";
    out += items[i];
  }
  return out;
}

constexpr std::string_view kResult = "[RESULT]";

// The text after the last "[RESULT]" up to the end of its line; nullopt without one.
std::optional<std::string_view> LastResult(std::string_view text) {
  const size_t at = text.rfind(kResult);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + kResult.size());
  return rest.substr(0, rest.find('\n'));
}

}  // namespace

std::string FormatMessages(const std::vector<ChatMessage>& messages) {
  std::string out;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) out += "\n";
    const std::string& role = messages[i].role;
    out += "<" + role + ">" + messages[i].content + "</" + role + ">";
  }
  return out;
}

std::string NumberRubrics(const std::vector<std::string>& rubrics) {
  std::string out;
  for (size_t i = 0; i < rubrics.size(); ++i) out += std::to_string(i + 1) + ". " + rubrics[i] + "\n";
  return out;
}

std::string NumberedAnswers(const std::vector<std::string>& answers) {
  std::string out;
  for (size_t i = 0; i < answers.size(); ++i) out += "## Answer " + std::to_string(i + 1) + "\n" + answers[i] + "\n\n";
  return out;
}

std::vector<OutputField> PointwiseFields() { return {ReasonField(), {"violation", "a list of violated rubrics"}}; }

std::vector<OutputField> ListwiseFields() {
  return {ReasonField(), {"best", "which answer is the best? just give the number here!!!"}};
}

std::vector<OutputField> PairwiseFields() {
  return {ReasonField(), {"preference", "which answer is better? just give A, B or tie here!!!"}};
}

std::string RenderRubricPointwise(const RubricPromptInput& input, bool enable_thinking) {
  const std::string answer = input.answers.empty() ? std::string() : input.answers.front();
  return "# Task Description\n" + input.desc + "\n" + Section("\n# Scenario\n", input.scenario) +
         "\n\n# Rubrics\n" + NumberRubrics(input.rubrics) + "\n" +
         Section("\n# Examples\n", JoinLines(input.examples)) + "\n\n# Query\n" + input.query + "\n" +
         Section("\n# Context\n", input.context) + "\n\n# Answer\n" + answer + "\n\n# Output Requirement\n" +
         RenderOutputSchema(PointwiseFields(), enable_thinking) + "\n";
}

std::string RenderRubricListwise(const RubricPromptInput& input, bool enable_thinking) {
  return "# Task Description\n" + input.desc + "\n" + Section("\n# Scenario\n", input.scenario) + "\n\n" +
         Section("# Rubrics\n", NumberRubrics(input.rubrics)) + "\n" +
         Section("# Examples\n", JoinLines(input.examples)) + "\n\n# Query\n" + input.query + "\n" +
         Section("\n# Context\n", input.context) + "\n\n# Answers\n" + NumberedAnswers(input.answers) + "\n\n# Output Requirement\n" +
         RenderOutputSchema(ListwiseFields(), enable_thinking) + "\n";
}

std::string RenderRubricPairwise(const RubricPromptInput& input, bool enable_thinking) {
  if (input.answers.size() != 2) {
    throw std::invalid_argument("a pairwise prompt needs exactly 2 answers, got " +
                                std::to_string(input.answers.size()));
  }
  // The listwise layout without RM-Gallery's stray blank lines: every section is
  // "# Heading\ntext\n" followed by one blank line; optional ones are left out when empty.
  std::string out;
  const auto add = [&out](std::string_view heading, std::string_view text, bool optional = true) {
    if (optional && text.empty()) return;
    out.append(heading).append(text).append("\n\n");
  };
  std::string rubrics = NumberRubrics(input.rubrics);
  if (!rubrics.empty()) rubrics.pop_back();
  add("# Task Description\n", input.desc, false);
  add("# Scenario\n", input.scenario);
  add("# Rubrics\n", rubrics);
  add("# Examples\n", JoinLines(input.examples));
  add("# Query\n", input.query, false);
  add("# Context\n", input.context);
  add("# Reference\n", input.reference);
  out += "# Answers\n## Answer A\n" + input.answers[0] + "\n\n## Answer B\n" + input.answers[1] + "\n\n";
  out += "# Output Requirement\n" + RenderOutputSchema(PairwiseFields(), enable_thinking);
  return out;
}

std::string RenderPrometheusAbsolute(std::string_view instruction, std::string_view response,
                                     std::string_view reference, const ScoreRubric& rubric) {
  const bool has_reference = !reference.empty();
  std::string out =
      "###Task Description:\n"
      "You are given an instruction (which may contain an input), a response to evaluate";
  out += has_reference ? ", a reference answer that would receive a score of 5," : "";
  out +=
      " and a score rubric that states the evaluation criterion.\n"
      "1. Write detailed feedback that judges the response strictly by the score rubric, not by general "
      "impressions.\n"
      "2. After the feedback, give a score: an integer from 1 to 5, chosen by the score rubric.\n"
      "3. Write your output in exactly this form: \"Feedback: (your feedback on the criterion) [RESULT] (an "
      "integer from 1 to 5)\"\n"
      "4. Write nothing else: no greeting, no closing remarks, no further explanation.\n\n"
      "###The instruction to evaluate:\n";
  out += std::string(instruction) + "\n\n###Response to evaluate:\n" + std::string(response) + "\n\n";
  if (has_reference) out += "###Reference Answer (Score 5):\n" + std::string(reference) + "\n\n";
  out += "###Score Rubrics:\n[" + rubric.criteria + "]\n";
  for (size_t i = 0; i < rubric.score_descriptions.size(); ++i) {
    out += "Score " + std::to_string(i + 1) + ": " + rubric.score_descriptions[i] + "\n";
  }
  out += "\n###Feedback:";
  return out;
}

std::string RenderPrometheusRelative(std::string_view instruction, std::string_view response_a,
                                     std::string_view response_b, std::string_view reference,
                                     std::string_view rubric) {
  const bool has_reference = !reference.empty();
  std::string out =
      "###Task Description:\n"
      "You are given an instruction (which may contain an input), two responses to evaluate (A and B)";
  out += has_reference ? ", a reference answer" : "";
  out +=
      " and a rubric that states the evaluation criterion.\n"
      "1. Write detailed feedback that compares the two responses strictly by the rubric, not by general "
      "impressions.\n"
      "2. After the feedback, name the better response: A or B.\n"
      "3. Write your output in exactly this form: \"Feedback: (your feedback comparing A and B) [RESULT] (A or "
      "B)\"\n"
      "4. Write nothing else: no greeting, no closing remarks, no further explanation.\n\n"
      "###Instruction:\n";
  out += std::string(instruction) + "\n\n###Response A:\n" + std::string(response_a) + "\n\n###Response B:\n" +
         std::string(response_b) + "\n\n";
  if (has_reference) out += "###Reference Answer:\n" + std::string(reference) + "\n\n";
  out += "###Score Rubric:\n" + std::string(rubric) + "\n\n###Feedback:";
  return out;
}

std::optional<int> ParsePrometheusScore(std::string_view text) {
  const std::optional<std::string_view> result = LastResult(text);
  if (!result) return std::nullopt;
  std::string_view rest = *result;
  // "4/5" is read as 4; the denominator, if any, must be 5.
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    if (NormalizeVerdict(rest.substr(slash + 1)) != "5") return std::nullopt;
    rest = rest.substr(0, slash);
  }
  const std::string_view score = NormalizeVerdict(rest);
  if (score.size() != 1 || score[0] < '1' || score[0] > '5') return std::nullopt;
  return score[0] - '0';
}

std::optional<char> ParsePrometheusPreference(std::string_view text) {
  const std::optional<std::string_view> result = LastResult(text);
  if (!result) return std::nullopt;
  const std::string_view choice = NormalizeVerdict(*result);
  if (choice == "A" || choice == "a") return 'A';
  if (choice == "B" || choice == "b") return 'B';
  return std::nullopt;
}

}  // namespace rmg::llm
