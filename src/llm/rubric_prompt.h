// The prompts of rubric judges (RM-Gallery's RubricPointWiseTemplate and
// RubricListWiseTemplate, byte for byte, plus a pairwise one in the same style) and of
// Prometheus-style graders, with the readers of Prometheus verdicts.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/output_schema.h"
#include "rmg/schema.h"

namespace rmg::llm {

// format_messages(): "<role>content</role>" per message, joined by "\n" — the
// "# Query" of every rubric prompt. Roles are the plain strings ("user"), which is
// what RM-Gallery renders on Python 3.10; on Python >= 3.11 its f-string renders the
// enum as "MessageRole.USER" (its bug 3), which we do not reproduce. A message whose
// content was a list of parts contributes `content`, the text its reader took from them.
std::string FormatMessages(const std::vector<ChatMessage>& messages);

// Everything a rubric prompt is made of. `desc` is the task description, `rubrics`
// are numbered "1. ...", `examples` are joined by "\n". Pointwise prompts show
// answers[0], listwise ones every answer, pairwise ones answers[0] and answers[1].
struct RubricPromptInput {
  std::string desc;
  std::string scenario;
  std::vector<std::string> rubrics;
  std::vector<std::string> examples;
  std::string query;
  std::string context;
  std::vector<std::string> answers;
  std::string reference;  // pairwise only (RM-Gallery's rubric prompts have none)
};

// "".join(f"{i+1}. {r}\n" for i, r in enumerate(rubrics)).
std::string NumberRubrics(const std::vector<std::string>& rubrics);

// "".join(f"## Answer {i+1}\n{a}\n\n" for i, a in enumerate(answers)): the answers
// of a listwise prompt.
std::string NumberedAnswers(const std::vector<std::string>& answers);

// The output fields of each prompt family: reason first, then the verdict field
// (violation, best or preference).
std::vector<OutputField> PointwiseFields();
std::vector<OutputField> ListwiseFields();
std::vector<OutputField> PairwiseFields();

// RubricPointWiseTemplate.format(): the prompt asking which rubrics answers[0]
// violates ("" when there is no answer). `enable_thinking` drops <reason> from the
// schema, as RM-Gallery does for thinking models.
std::string RenderRubricPointwise(const RubricPromptInput& input, bool enable_thinking);

// RubricListWiseTemplate.format(): the prompt asking which of the answers, shown as
// "## Answer 1" ..., is best.
std::string RenderRubricListwise(const RubricPromptInput& input, bool enable_thinking);

// rmg's pairwise rubric prompt (RM-Gallery has none): the same sections as the
// listwise one, the answers as "## Answer A" and "## Answer B", an optional
// "# Reference", and a <preference> field (A, B or tie). Throws
// std::invalid_argument unless there are exactly two answers.
std::string RenderRubricPairwise(const RubricPromptInput& input, bool enable_thinking);

// A Prometheus score rubric: what is judged and what each score 1..5 means.
struct ScoreRubric {
  std::string criteria;
  std::array<std::string, 5> score_descriptions;  // [0] is score 1
};

// A Prometheus-style absolute grading prompt: instruction, response, the reference
// answer when non-empty, the score rubric; the grader writes feedback, then
// "[RESULT] n" with n in 1..5.
std::string RenderPrometheusAbsolute(std::string_view instruction, std::string_view response,
                                     std::string_view reference, const ScoreRubric& rubric);

// A Prometheus-style relative grading prompt: instruction, responses A and B, the
// reference answer when non-empty, a rubric (criteria text); the grader writes
// feedback, then "[RESULT] A" or "[RESULT] B".
std::string RenderPrometheusRelative(std::string_view instruction, std::string_view response_a,
                                     std::string_view response_b, std::string_view reference,
                                     std::string_view rubric);

// The score after the last "[RESULT]" of a grader's reply, when it is an integer in
// 1..5 ("[RESULT] 4", "[RESULT]: 4", "[RESULT] 4/5", "[RESULT] **4**"); nullopt when
// there is no "[RESULT]" or the last one is not followed by such a score. Only the
// last marker counts: a final verdict that cannot be read is not replaced by a
// score quoted earlier in the feedback.
std::optional<int> ParsePrometheusScore(std::string_view text);

// 'A' or 'B' after the last "[RESULT]" ("[RESULT] A", "[RESULT]: Response B",
// "[RESULT] [[A]]"); nullopt otherwise.
std::optional<char> ParsePrometheusPreference(std::string_view text);

}  // namespace rmg::llm
