#include "text/unicode.h"

#include <cstdint>
#include <cstring>

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

}  // namespace rmg::text
