// Writing text as a JSON string literal, the one escaper of rmg's JSON writers
// (records, the Python package's model dumps).
#pragma once

#include <string>
#include <string_view>

namespace rmg {

// Appends `text` to `out` as a JSON string in double quotes, escaped as Python's
// json.dumps(ensure_ascii=False) escapes it: '"', '\\' and the bytes below 0x20
// (\n \r \t \b \f by name, the others as \u00XX, lower-case hex). Every other byte is
// copied as it is, except that invalid UTF-8 is written as U+FFFD (text::ValidUtf8):
// the output is always UTF-8, which JSON readers such as Python's json.loads require
// of a whole file.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace rmg
