// Writing text as a JSON string literal, the one escaper of rmg's JSON writers
// (records, the Python package's model dumps).
#pragma once

#include <string>
#include <string_view>

namespace rmg {

// Appends `text` to `out` as a JSON string in double quotes, escaped as Python's
// json.dumps(ensure_ascii=False) escapes it: '"', '\\' and the bytes below 0x20
// (\n \r \t \b \f by name, the others as \u00XX, lower-case hex). Every other byte,
// UTF-8 or not, is copied as it is.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace rmg
