// Rubric judges as data: RM-Gallery's alignment rubric rewards (the catalogue
// embedded from src/gallery/alignment/judges.yaml) and users' own rubric files
// ("Level 1": a scenario and rubrics, no prompt writing), read into one spec type.
#pragma once

#include <string>
#include <vector>

#include "rmg/schema.h"

namespace rmg::llm {

// Everything that defines a rubric judge besides the model asked.
struct RubricJudgeSpec {
  std::string name;         // registry name
  std::string mode;         // "pointwise", "listwise" or "pairwise"
  std::string description;  // one line for `rmg list`
  std::string desc;         // the prompt's task description (text, not a key)
  std::string scenario;
  std::vector<std::string> rubrics;
  std::vector<std::string> examples;
  std::vector<std::string> aliases;
};

// The built-in judges, in catalogue order: RM-Gallery's six base_* judges and its
// seventeen *_listwise_reward scenario judges. Parsed once, on first use, from the
// YAML embedded in the library; a defect in that file throws std::logic_error.
const std::vector<RubricJudgeSpec>& BuiltinRubricJudges();

// The built-in judge named `name` or having it as an alias; nullptr if none.
const RubricJudgeSpec* FindBuiltinRubricJudge(const std::string& name);

// The task description the catalogue defines under `key` ("D0".."D7", "PRE", "P",
// "L", "PW"); throws std::out_of_range for an unknown key.
const std::string& BuiltinDescription(const std::string& key);

// A rubric judge from a YAML mapping (a user's rubric file, or a catalogue entry):
//   name: str (required)          mode: pointwise | listwise | pairwise (required)
//   rubrics: [str] (required)     scenario: str = ""
//   examples: [str] = []          description: str = ""        aliases: [str] = []
//   desc: str = the mode's default (P, L or PW); a value that is exactly a key of
//         the catalogue's descriptions ("D2") stands for that description.
// Unknown keys are errors, so a misspelt one is not silently ignored. Throws
// std::runtime_error "<origin>: <field>: <problem>", e.g.
// "my_rubric.yaml: rubrics: expected a list of strings".
RubricJudgeSpec ParseRubricJudgeSpec(const Json& node, const std::string& origin);

}  // namespace rmg::llm
