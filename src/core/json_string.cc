#include "core/json_string.h"

#include <simdjson.h>

#include <bit>
#include <cstring>

#include "text/unicode.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rmg {
namespace {

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The letter of a two-byte escape (\n for '\n'), or 0 for a \u00XX one.
char ShortEscape(unsigned char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    case '\b': return 'b';
    case '\f': return 'f';
    default: return 0;
  }
}

#if defined(__SSE2__)
// Bit k is set when bytes[k] needs an escape.
unsigned EscapeMask16(__m128i bytes) {
  // An unsigned byte is below 0x20 exactly when its maximum with 0x1F is 0x1F.
  const __m128i below_space = _mm_set1_epi8(0x1F);
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, below_space), below_space);
  const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))));
}
#endif

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  // Prompts and responses are most of the bytes rmg writes, so this is written for
  // speed. Room is made up front for two output bytes per input byte (a short escape
  // takes two) and the quotes, and bytes are stored through a pointer: runs without
  // an escape 16 at a time, each escape in place. A \u00XX escape makes room for its
  // other four bytes.
  const size_t start = out->size();
  out->resize(start + 2 * text.size() + 2);
  char* w = out->data() + start;
  *w++ = '"';
  const char* p = text.data();
  const char* const end = p + text.size();
  unsigned non_ascii = 0;  // nonzero once a byte of 0x80 or more was copied
  while (p < end) {
#if defined(__SSE2__)
    if (end - p >= 16) {  // copy the block; keep the bytes before its first escape
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w), bytes);
      non_ascii |= static_cast<unsigned>(_mm_movemask_epi8(bytes));
      const unsigned mask = EscapeMask16(bytes);
      const int plain = mask == 0 ? 16 : std::countr_zero(mask);
      w += plain;
      p += plain;
      if (plain == 16) continue;
    }
#endif
    const unsigned char c = static_cast<unsigned char>(*p++);
    non_ascii |= c & 0x80u;
    if (!NeedsEscape(c)) {
      *w++ = static_cast<char>(c);
      continue;
    }
    *w++ = '\\';
    if (const char letter = ShortEscape(c); letter != 0) {
      *w++ = letter;
      continue;
    }
    const size_t at = static_cast<size_t>(w - out->data());
    out->resize(out->size() + 4);
    w = out->data() + at;
    static const char kHex[] = "0123456789abcdef";
    const char digits[] = {'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
    std::memcpy(w, digits, sizeof digits);
    w += sizeof digits;
  }
  *w++ = '"';
  out->resize(static_cast<size_t>(w - out->data()));
  // Text read from JSON is valid UTF-8 already; text a reward or a program made may
  // not be. Only text with non-ASCII bytes is checked, at several bytes per
  // nanosecond, and rewritten in the rare case it fails.
  if (non_ascii != 0 && !simdjson::validate_utf8(text)) {
    out->resize(start);
    AppendJsonString(text::ValidUtf8(text), out);
  }
}

}  // namespace rmg

namespace rmg {
namespace {

// The code unit of the escape "\uXXXX" at text[pos] (pos at the backslash), or -1.
int EscapedCodeUnit(std::string_view text, size_t pos) {
  if (pos + 6 > text.size() || text[pos] != '\\' || text[pos + 1] != 'u') return -1;
  int unit = 0;
  for (size_t i = pos + 2; i < pos + 6; ++i) {
    const char c = text[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

bool IsHighSurrogate(int unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool IsLowSurrogate(int unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

}  // namespace

std::optional<std::string> ReplaceLoneSurrogateEscapes(std::string_view json_text) {
  std::string out;
  size_t copied = 0;  // json_text[0, copied) is in `out` (once a replacement was made)
  bool replaced = false;
  for (size_t pos = json_text.find('\\'); pos != std::string_view::npos; pos = json_text.find('\\', pos)) {
    const int unit = EscapedCodeUnit(json_text, pos);
    if (unit < 0) {
      pos += 2;  // a two-character escape such as \\ or \"
      continue;
    }
    if (IsHighSurrogate(unit) && IsLowSurrogate(EscapedCodeUnit(json_text, pos + 6))) {
      pos += 12;  // a pair
      continue;
    }
    if (IsHighSurrogate(unit) || IsLowSurrogate(unit)) {
      out.append(json_text.substr(copied, pos - copied));
      out.append("\\ufffd");
      copied = pos + 6;
      replaced = true;
    }
    pos += 6;
  }
  if (!replaced) return std::nullopt;
  out.append(json_text.substr(copied));
  return out;
}

}  // namespace rmg
