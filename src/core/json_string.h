// Writing text as a JSON string literal, the one escaper of rmg's JSON writers
// (records, the Python package's model dumps).
#pragma once

#include <optional>
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

// JSON text whose lone surrogate escapes ("\ud800" not followed by a low surrogate's,
// or a low one alone) are written as "\ufffd"; nullopt when it has none. Python's
// json.loads accepts such escapes and strict readers refuse the whole record, so a
// record is read as Python reads it, the lone half becoming U+FFFD.
std::optional<std::string> ReplaceLoneSurrogateEscapes(std::string_view json_text);

}  // namespace rmg
