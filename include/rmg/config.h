// Configuration files: YAML (or JSON, which is YAML) read into the same Json model
// the rest of rmg uses.
#pragma once

#include <string>
#include <vector>

#include "rmg/schema.h"

namespace rmg {

// Reads the YAML or JSON file at `path`. Scalars become booleans, integers or
// floats where YAML 1.2's core schema says so, strings otherwise. Throws
// std::runtime_error naming the file (and the line for a syntax error or a key
// repeated in one mapping).
Json LoadConfigFile(const std::string& path);

// Parses YAML text (same conversion as LoadConfigFile). `origin` names the source in errors.
Json ParseYaml(const std::string& text, const std::string& origin = "<string>");

// A misspelt key must not be ignored silently: throws std::runtime_error
// "<origin>: <where><key>: unknown key (known: a, b, c)" for the first key of the
// mapping `section` that is not in `known`. `where` is the section's path ("llm.").
void CheckKnownKeys(const Json& section, const std::vector<std::string>& known, const std::string& origin,
                    const std::string& where = "");

}  // namespace rmg
