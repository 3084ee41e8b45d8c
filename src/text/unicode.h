// UTF-8 helpers shared by the tokenizers and text rewards. Python semantics are the
// reference (RM-Gallery is Python): "whitespace" is what str.split() splits at and
// "lower" is str.lower().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rmg::text {

// The code point replacing invalid UTF-8.
inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at text[*pos] and advances *pos past it. An
// invalid or truncated sequence yields U+FFFD and advances by one byte.
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// True for the characters Python's str.isspace() accepts (and str.split() splits at).
bool IsPythonSpace(char32_t cp);

// IsPythonSpace() for an ASCII byte, inline for the scanning loops.
inline bool IsAsciiPythonSpace(unsigned char byte) {
  return byte == ' ' || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F);
}

// 0-9 only (not the Unicode digits str.isdigit() accepts).
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Python's str.lower(): full Unicode lower-casing, with an ASCII fast path.
std::string LowerUtf8(std::string_view text);

// `text` with only A-Z lower-cased, every other byte kept: for names, schemes and
// keywords that are ASCII by definition (a URL scheme, a model name, a LaTeX word).
std::string LowerAscii(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD (DecodeUtf8's
// reading): program output is arbitrary bytes, and JSON text must be UTF-8.
std::string ValidUtf8(std::string_view text);

// `text` fit for a one-line message: line breaks become spaces; whole when it has at
// most `max_bytes` bytes, else its first `max_bytes` or fewer (never half a UTF-8
// character) and "... (N bytes)".
std::string Excerpt(std::string_view text, size_t max_bytes = 80);

// Python's str.strip() with no argument.
std::string_view StripPythonSpace(std::string_view text);

// Python's str.split() with no argument.
std::vector<std::string_view> SplitPythonSpace(std::string_view text);

// Python's text.lower().split(): writes the lower-cased text to *lower and its parts,
// as views into *lower, to *tokens (both overwritten; their capacity is reused). ASCII
// text takes a vectorised path, 16 bytes at a time, that tokenisers call on every
// response.
void LowerSplitPythonSpace(std::string_view text, std::string* lower, std::vector<std::string_view>* tokens);

}  // namespace rmg::text
