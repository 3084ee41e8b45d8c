// What a config file says beyond the reward itself, applied before any reward is
// built: `llm:` (settings shared by every LLM reward), `judges:` (rubric files or
// inline rubric judges to register, Level 1) and `templates:` (prompt template
// files to register, Level 2). Paths are relative to the config file.
#pragma once

#include <string>

#include "rmg/schema.h"

namespace rmg::cli {

// Registers the config's judges and templates in the global registry and sets its
// `llm:` section as the LLM rewards' defaults; `no_cache` turns their cache off.
// Throws std::runtime_error naming the config file and key.
void ApplyConfig(const Json& config, const std::string& config_path, bool no_cache);

// `path` as written in the config file at `config_path`: a relative path is
// relative to the config's directory.
std::string ResolveConfigPath(const std::string& path, const std::string& config_path);

// One line about the LLM traffic and cache of this process, or "" when there was none.
std::string LlmSummary();

}  // namespace rmg::cli
