// Judge template files ("Level 2"): a user's own prompt text with placeholders,
// the tags the judge must answer with, and how to turn them into a score. Checked
// completely when loaded, so a typo fails before any model is called.
//
//   name: concise_judge
//   mode: pointwise                  # pointwise | listwise | pairwise
//   description: one line for `rmg list`   (optional)
//   rubrics: [Be brief, Be right]    # optional, rendered by {rubrics}
//   prompt: |
//     Rate the answer to {query} against:
//     {rubrics}
//     Answer: {answer}
//     {schema}
//   fields:                          # the output tags, in schema order
//     - {name: reason, description: your reasoning trace}
//     - {name: score, description: a number from 1 to 10}
//   score: {field: score, min: 1, max: 10}
//
// Placeholders: {query}, {context}, {reference}, {rubrics} (numbered "1. ..."),
// {schema} (the fields as RM-Gallery's output schema), and by mode {answer}
// (pointwise), {answers} (listwise: "## Answer 1" ... blocks) or {answer_a} and
// {answer_b} (pairwise); the mode's answer placeholders are required. "{{" and "}}"
// are literal braces. `score` reads: pointwise {field, min, max} as a number
// normalised to [0, 1], or {field} alone as a list of violated rubrics; listwise
// {field} as the best answer's number; pairwise {field} as A, B or tie.
#pragma once

#include <string>
#include <vector>

#include "llm/judgment.h"
#include "llm/output_schema.h"
#include "rmg/schema.h"

namespace rmg::llm {

enum class Placeholder { kNone, kQuery, kContext, kReference, kRubrics, kSchema, kAnswer, kAnswers, kAnswerA, kAnswerB };

// A run of literal text, or one placeholder (then `text` is empty).
struct TemplatePiece {
  Placeholder placeholder = Placeholder::kNone;
  std::string text;
};

// How a reply becomes a score.
struct ScoreRule {
  std::string field;       // the output tag to read
  bool scale = false;      // pointwise: a number in [min, max] (else a violation list)
  double min = 0.0;
  double max = 0.0;
};

struct JudgeTemplate {
  std::string origin;  // the file, for messages
  std::string name;
  std::string mode;    // "pointwise", "listwise" or "pairwise"
  std::string description;
  std::vector<std::string> rubrics;
  std::vector<OutputField> fields;
  ScoreRule score;
  std::vector<TemplatePiece> prompt;  // the prompt text split at placeholders
};

// What a rendered prompt is filled with. `answers` holds the one (pointwise), all
// (listwise) or two (pairwise) answers.
struct TemplateValues {
  std::string query;
  std::string context;
  std::string reference;
  std::vector<std::string> answers;
  bool enable_thinking = false;  // leaves the "reason" field out of {schema}
};

// A template from its YAML mapping. Throws std::runtime_error
// "<origin>: <field>: <problem>", e.g. "judge.yaml: prompt: unknown placeholder {answr}".
JudgeTemplate ParseJudgeTemplate(const Json& node, const std::string& origin);

// ParseJudgeTemplate() of the YAML file at `path`.
JudgeTemplate LoadJudgeTemplate(const std::string& path);

// The prompt with its placeholders filled in. Throws std::invalid_argument when
// `values` has too few answers for the mode (one pointwise, two pairwise).
std::string RenderTemplate(const JudgeTemplate& judge, const TemplateValues& values);

// The reply's verdict by the template's score rule; `answer_count` is the number of
// answers shown (listwise).
Judgment InterpretTemplateReply(const JudgeTemplate& judge, const ReplyTags& tags, size_t answer_count);

}  // namespace rmg::llm
