// Configuration files: YAML (or JSON, which is YAML) read into the same Json model
// the rest of rmg uses.
#pragma once

#include <string>

#include "rmg/schema.h"

namespace rmg {

// Reads the YAML or JSON file at `path`. Scalars become booleans, integers or
// floats where YAML 1.2's core schema says so, strings otherwise. Throws
// std::runtime_error naming the file (and line for syntax errors).
Json LoadConfigFile(const std::string& path);

// Parses YAML text (same conversion as LoadConfigFile). `origin` names the source in errors.
Json ParseYaml(const std::string& text, const std::string& origin = "<string>");

}  // namespace rmg
