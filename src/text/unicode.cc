#include "text/unicode.h"

#include <simdjson.h>

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace rmg::text {

char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const size_t i = *pos;
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  int length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return kReplacementChar;
  }
  if (i + length > text.size()) {
    *pos = i + 1;
    return kReplacementChar;
  }
  for (int k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      *pos = i + 1;
      return kReplacementChar;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kReplacementChar;
  }
  *pos = i + length;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsPythonSpace(char32_t cp) {
  if (cp < 0x80) return IsAsciiPythonSpace(static_cast<unsigned char>(cp));
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

namespace {

// Length of the run of ASCII bytes starting at text[pos], read eight bytes at a time.
size_t AsciiRunLength(std::string_view text, size_t pos) {
  const size_t start = pos;
  while (pos + 8 <= text.size()) {
    uint64_t word;
    std::memcpy(&word, text.data() + pos, 8);
    if (word & 0x8080808080808080ull) break;
    pos += 8;
  }
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) < 0x80) ++pos;
  return pos - start;
}

}  // namespace

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string LowerUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t run = AsciiRunLength(text, pos);
    if (run > 0) {
      const size_t old_size = out.size();
      out.resize(old_size + run);
      char* dest = out.data() + old_size;
      for (size_t k = 0; k < run; ++k) {
        const char c = text[pos + k];
        dest[k] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      }
      pos += run;
      continue;
    }
    const char32_t cp = DecodeUtf8(text, &pos);  // invalid bytes become U+FFFD, as with ICU
    if (cp == 0x03A3) {
      // Capital sigma lowers to final or medial sigma depending on its neighbours:
      // let ICU apply the full context rules to the whole text.
      icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
          icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
      unicode.toLower(icu::Locale::getRoot());
      out.clear();
      unicode.toUTF8String(out);
      return out;
    }
    if (cp == 0x0130) {
      out.append("i\xCC\x87");  // İ -> i + combining dot above (SpecialCasing.txt)
    } else {
      AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), &out);
    }
  }
  return out;
}

std::string ValidUtf8(std::string_view text) {
  // Program output is mostly valid: a vectorised check, and a copy, is all it needs.
  if (simdjson::validate_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) AppendUtf8(DecodeUtf8(text, &pos), &out);
  return out;
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  size_t cut = text.size();
  if (cut > max_bytes) {
    cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a continuation byte
  }
  std::string excerpt(text.substr(0, cut));
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (cut < text.size()) excerpt += "... (" + std::to_string(text.size()) + " bytes)";
  return excerpt;
}

std::string_view StripPythonSpace(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t next = begin;
    if (!IsPythonSpace(DecodeUtf8(text, &next))) break;
    begin = next;
  }
  size_t end = text.size();
  while (end > begin) {
    // Step back to the start of the last code point.
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    size_t next = start;
    if (!IsPythonSpace(DecodeUtf8(text, &next)) || next != end) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

std::vector<std::string_view> SplitPythonSpace(std::string_view text) {
  std::vector<std::string_view> parts;
  parts.reserve(text.size() / 6 + 1);  // typical English: one token per five or six bytes
  size_t pos = 0;
  size_t token_start = std::string_view::npos;
  while (pos < text.size()) {
    const size_t here = pos;
    const unsigned char byte = static_cast<unsigned char>(text[pos]);
    // ASCII needs no decoding; only multi-byte characters go through DecodeUtf8.
    const bool space = byte < 0x80 ? (++pos, IsAsciiPythonSpace(byte)) : IsPythonSpace(DecodeUtf8(text, &pos));
    if (space) {
      if (token_start != std::string_view::npos) {
        parts.push_back(text.substr(token_start, here - token_start));
        token_start = std::string_view::npos;
      }
    } else if (token_start == std::string_view::npos) {
      token_start = here;
    }
  }
  if (token_start != std::string_view::npos) parts.push_back(text.substr(token_start));
  return parts;
}

namespace {

// Lower-cases the 16 ASCII bytes at `in` into `out` and returns the mask of those
// that are Python whitespace (bit k for in[k]).
uint64_t LowerBlock16(const char* in, char* out) {
#if defined(__SSE2__)
  const auto in_range = [](__m128i bytes, char low, char high) {
    return _mm_and_si128(_mm_cmpgt_epi8(bytes, _mm_set1_epi8(static_cast<char>(low - 1))),
                         _mm_cmplt_epi8(bytes, _mm_set1_epi8(static_cast<char>(high + 1))));
  };
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  const __m128i upper = in_range(bytes, 'A', 'Z');
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_add_epi8(bytes, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
  const __m128i space = _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(' ')),
                                     _mm_or_si128(in_range(bytes, 0x09, 0x0D), in_range(bytes, 0x1C, 0x1F)));
  return static_cast<uint32_t>(_mm_movemask_epi8(space));
#else
  uint64_t mask = 0;
  for (int k = 0; k < 16; ++k) {
    const char c = in[k];
    out[k] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    if (IsAsciiPythonSpace(static_cast<unsigned char>(c))) mask |= uint64_t{1} << k;
  }
  return mask;
#endif
}

// Lower-cases 64 ASCII bytes and returns their whitespace mask.
uint64_t LowerBlock64(const char* in, char* out) {
  uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) mask |= LowerBlock16(in + 16 * k, out + 16 * k) << (16 * k);
  return mask;
}

}  // namespace

void LowerSplitPythonSpace(std::string_view text, std::string* lower, std::vector<std::string_view>* tokens) {
  tokens->clear();
  if (AsciiRunLength(text, 0) != text.size()) {
    *lower = LowerUtf8(text);
    for (std::string_view part : SplitPythonSpace(*lower)) tokens->push_back(part);
    return;
  }
  const size_t size = text.size();
  lower->resize(size);
  char* out = lower->data();
  // Token boundaries come from each 64-byte block's whitespace mask: a token starts
  // where a non-space follows a space and ends where a space follows a non-space.
  // Walking those bits keeps per-byte branches out of the loop.
  bool in_token = false;
  size_t token_start = 0;
  const auto take_boundaries = [&](uint64_t space, size_t base) {
    const uint64_t previous_space = (space << 1) | (in_token ? 0 : 1);
    uint64_t boundaries = space ^ previous_space;
    while (boundaries != 0) {
      const size_t at = base + static_cast<size_t>(std::countr_zero(boundaries));
      boundaries &= boundaries - 1;
      if (in_token) {
        tokens->emplace_back(out + token_start, at - token_start);
      } else {
        token_start = at;
      }
      in_token = !in_token;
    }
  };
  size_t base = 0;
  for (; base + 64 <= size; base += 64) take_boundaries(LowerBlock64(text.data() + base, out + base), base);
  if (base < size) {
    // The tail goes through a buffer padded with spaces, which also ends a last token.
    char padded_in[64], padded_out[64];
    std::memset(padded_in, ' ', sizeof padded_in);
    std::memcpy(padded_in, text.data() + base, size - base);
    take_boundaries(LowerBlock64(padded_in, padded_out), base);
    std::memcpy(out + base, padded_out, size - base);
  }
  if (in_token) tokens->emplace_back(out + token_start, size - token_start);
}

}  // namespace rmg::text
