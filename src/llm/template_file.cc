#include "llm/template_file.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "llm/rubric_prompt.h"
#include "llm/spec_fields.h"
#include "rmg/config.h"

namespace rmg::llm {
namespace {

struct PlaceholderName {
  std::string_view name;
  Placeholder placeholder;
  std::string_view mode;  // the only mode it is valid in; "" for all
};

constexpr PlaceholderName kPlaceholders[] = {
    {"query", Placeholder::kQuery, ""},          {"context", Placeholder::kContext, ""},
    {"reference", Placeholder::kReference, ""},  {"rubrics", Placeholder::kRubrics, ""},
    {"schema", Placeholder::kSchema, ""},        {"answer", Placeholder::kAnswer, "pointwise"},
    {"answers", Placeholder::kAnswers, "listwise"}, {"answer_a", Placeholder::kAnswerA, "pairwise"},
    {"answer_b", Placeholder::kAnswerB, "pairwise"},
};

// The prompt split into literal text and placeholders, checked against the mode.
std::vector<TemplatePiece> SplitPrompt(const std::string& prompt, const std::string& mode, const SpecFields& fields) {
  std::vector<TemplatePiece> pieces(1);
  std::set<Placeholder> used;
  for (size_t i = 0; i < prompt.size(); ++i) {
    const char c = prompt[i];
    if ((c == '{' || c == '}') && i + 1 < prompt.size() && prompt[i + 1] == c) {
      pieces.back().text.push_back(c);
      ++i;
      continue;
    }
    if (c == '}') fields.Fail("prompt", "single } (write }} for a literal brace)");
    if (c != '{') {
      pieces.back().text.push_back(c);
      continue;
    }
    const size_t close = prompt.find('}', i + 1);
    if (close == std::string::npos) fields.Fail("prompt", "unclosed { (write {{ for a literal brace)");
    const std::string_view name = std::string_view(prompt).substr(i + 1, close - i - 1);
    const auto* known = std::find_if(std::begin(kPlaceholders), std::end(kPlaceholders),
                                     [&](const PlaceholderName& p) { return p.name == name; });
    if (known == std::end(kPlaceholders)) fields.Fail("prompt", "unknown placeholder {" + std::string(name) + "}");
    if (!known->mode.empty() && known->mode != mode) {
      fields.Fail("prompt", "{" + std::string(name) + "} is for " + std::string(known->mode) + " templates, not " + mode);
    }
    pieces.push_back({known->placeholder, ""});
    pieces.push_back({});
    used.insert(known->placeholder);
    i = close;
  }
  const auto require = [&](Placeholder placeholder, std::string_view name) {
    if (used.count(placeholder) == 0) {
      fields.Fail("prompt", "a " + mode + " template must show the answers with {" + std::string(name) + "}");
    }
  };
  if (mode == "pointwise") require(Placeholder::kAnswer, "answer");
  if (mode == "listwise") require(Placeholder::kAnswers, "answers");
  if (mode == "pairwise") {
    require(Placeholder::kAnswerA, "answer_a");
    require(Placeholder::kAnswerB, "answer_b");
  }
  std::erase_if(pieces, [](const TemplatePiece& p) { return p.placeholder == Placeholder::kNone && p.text.empty(); });
  return pieces;
}

std::vector<OutputField> ReadOutputFields(const SpecFields& fields) {
  const Json* list = fields.Find("fields");
  if (list == nullptr || !list->is_array() || list->empty()) fields.Fail("fields", "expected a list of {name, description}");
  std::vector<OutputField> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const SpecFields field((*list)[i], fields.origin() + ": fields[" + std::to_string(i) + "]", {"name", "description"});
    OutputField output{field.String("name", true), field.String("description", true)};
    if (!IsTagName(output.name)) field.Fail("name", "\"" + output.name + "\" is not a tag name");
    if (output.description.empty()) field.Fail("description", "must not be empty");
    for (const OutputField& earlier : out) {
      if (earlier.name == output.name) field.Fail("name", "\"" + output.name + "\" is declared twice");
    }
    out.push_back(std::move(output));
  }
  return out;
}

ScoreRule ReadScoreRule(const SpecFields& fields, const std::string& mode, const std::vector<OutputField>& outputs) {
  const Json* node = fields.Find("score");
  if (node == nullptr) fields.Fail("score", "missing");
  const SpecFields score(*node, fields.origin() + ": score", {"field", "min", "max"});
  ScoreRule rule;
  rule.field = score.String("field", true);
  const auto declared = [&](const OutputField& f) { return f.name == rule.field; };
  if (std::none_of(outputs.begin(), outputs.end(), declared)) {
    score.Fail("field", "\"" + rule.field + "\" is not one of the declared fields");
  }
  const Json* min = score.Find("min");
  const Json* max = score.Find("max");
  if (min == nullptr && max == nullptr) return rule;
  if (mode != "pointwise") score.Fail("min", "only pointwise templates read a number on a scale");
  if (min == nullptr || max == nullptr) score.Fail(min == nullptr ? "min" : "max", "missing (give both min and max)");
  if (!min->is_number()) score.Fail("min", "expected a number");
  if (!max->is_number()) score.Fail("max", "expected a number");
  rule.scale = true;
  rule.min = min->get<double>();
  rule.max = max->get<double>();
  if (!(rule.min < rule.max)) score.Fail("max", "must be greater than min");
  return rule;
}

}  // namespace

JudgeTemplate ParseJudgeTemplate(const Json& node, const std::string& origin) {
  const SpecFields fields(node, origin, {"name", "mode", "description", "rubrics", "prompt", "fields", "score"});
  JudgeTemplate judge;
  judge.origin = origin;
  judge.name = fields.String("name", true);
  if (judge.name.empty()) fields.Fail("name", "must not be empty");
  judge.mode = fields.Mode();
  judge.description = fields.String("description", false);
  judge.rubrics = fields.StringList("rubrics", false);
  judge.prompt = SplitPrompt(fields.String("prompt", true), judge.mode, fields);
  judge.fields = ReadOutputFields(fields);
  judge.score = ReadScoreRule(fields, judge.mode, judge.fields);
  return judge;
}

JudgeTemplate LoadJudgeTemplate(const std::string& path) { return ParseJudgeTemplate(LoadConfigFile(path), path); }

std::string RenderTemplate(const JudgeTemplate& judge, const TemplateValues& values) {
  const size_t needed = judge.mode == "pairwise" ? 2 : judge.mode == "pointwise" ? 1 : 0;
  if (values.answers.size() < needed) {
    throw std::invalid_argument(judge.origin + ": a " + judge.mode + " prompt needs " + std::to_string(needed) +
                                " answer(s), got " + std::to_string(values.answers.size()));
  }
  std::string out;
  for (const TemplatePiece& piece : judge.prompt) {
    switch (piece.placeholder) {
      case Placeholder::kNone: out += piece.text; break;
      case Placeholder::kQuery: out += values.query; break;
      case Placeholder::kContext: out += values.context; break;
      case Placeholder::kReference: out += values.reference; break;
      case Placeholder::kRubrics: out += NumberRubrics(judge.rubrics); break;
      case Placeholder::kSchema: out += RenderOutputSchema(judge.fields, values.enable_thinking); break;
      case Placeholder::kAnswer: out += values.answers[0]; break;
      case Placeholder::kAnswers: out += NumberedAnswers(values.answers); break;
      case Placeholder::kAnswerA: out += values.answers[0]; break;
      case Placeholder::kAnswerB: out += values.answers[1]; break;
    }
  }
  return out;
}

Judgment InterpretTemplateReply(const JudgeTemplate& judge, const ReplyTags& tags, size_t answer_count) {
  const ScoreRule& rule = judge.score;
  if (judge.mode == "listwise") return InterpretBest(tags, answer_count, rule.field);
  if (judge.mode == "pairwise") return InterpretPreference(tags, rule.field);
  if (rule.scale) return InterpretScale(tags, rule.min, rule.max, rule.field);
  return InterpretViolations(tags, judge.rubrics, rule.field);
}

}  // namespace rmg::llm
