// LLM judges beyond the built-in ones. Level 1: a rubric judge described as data —
// name, mode (pointwise | listwise | pairwise), scenario, rubrics, examples — gets
// RM-Gallery's rubric prompts. Level 2: a prompt template file with placeholders and
// declared output fields. Both register a reward of kind "llm" with the shared LLM
// parameters (model, base_url, temperature, concurrency, cache, ...; `rmg list`).
// Level 3 is C++: see examples/custom_judge.cc.
#pragma once

#include <string>

#include "rmg/registry.h"
#include "rmg/schema.h"

namespace rmg {

// Registers the rubric judge described by `description` (a YAML/JSON mapping with
// name, mode, scenario, rubrics, examples, desc, description, aliases). `origin`
// names the source in errors. Throws std::runtime_error / RegistryError.
void RegisterRubricJudge(RewardRegistry& registry, const Json& description, const std::string& origin);

// Registers the judge defined by the template file at `path`. Throws
// std::runtime_error naming the file and field.
void RegisterTemplateJudge(RewardRegistry& registry, const std::string& path);

}  // namespace rmg
