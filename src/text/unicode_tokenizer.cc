// The "unicode" tokenizer: rouge-score's tokenizer generalised beyond ASCII.
//
// Tokens are maximal runs of letters (\p{L}) and numbers (\p{N}) of the lower-cased
// text; every other character separates. On ASCII this is exactly rouge-score's
// "lower-case, [^a-z0-9] separates". Scripts written without spaces would otherwise
// come out as one token per sentence, so Han ideographs, Hiragana, Katakana and
// Hangul syllables are tokens of one character each.
//
// Combining marks (Mn, Mc, Me) belong to the token they follow: Devanagari vowel
// signs and viramas, Thai vowels and tone marks, or a decomposed accent are parts of
// their word, not separators, so "हिन्दी" and "e\u0301te" stay whole. A mark that
// follows a separator belongs to the separator's grapheme and separates as well
// (e.g. the emoji variation selector U+FE0F after "❤", which is Mn). Format
// characters such as ZWJ/ZWNJ separate.
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "text/tokenizers_impl.h"
#include "text/unicode.h"

namespace rmg::text {
namespace {

enum class Kind {
  kSeparator,
  kWord,       // Letter or number that joins its neighbours.
  kSolo,       // Letter that is a token by itself (Han, kana, Hangul syllable).
  kMark,       // Combining mark: joins the token before it.
};

bool IsSoloScript(UChar32 c) {
  if (c >= 0xAC00 && c <= 0xD7A3) return true;  // Precomposed Hangul syllables.
  // Script_Extensions rather than Script, so that the characters kana share
  // ("ー", the half-width voicing marks) count as kana.
  return uscript_hasScript(c, USCRIPT_HAN) || uscript_hasScript(c, USCRIPT_HIRAGANA) ||
         uscript_hasScript(c, USCRIPT_KATAKANA);
}

Kind Classify(char32_t cp) {
  if (cp < 0x80) {
    const bool alnum = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return alnum ? Kind::kWord : Kind::kSeparator;
  }
  const auto c = static_cast<UChar32>(cp);
  const uint32_t mask = U_GET_GC_MASK(c);
  if (mask & U_GC_M_MASK) return Kind::kMark;
  if (mask & (U_GC_L_MASK | U_GC_N_MASK)) return IsSoloScript(c) ? Kind::kSolo : Kind::kWord;
  return Kind::kSeparator;
}

class UnicodeTokenizer final : public Tokenizer {
 public:
  std::string_view name() const override { return "unicode"; }
  bool lower_cases() const override { return true; }

  std::vector<std::string> Tokenize(std::string_view text, const Deadline& deadline) const override {
    deadline.Check();
    const std::string lower = LowerUtf8(text);
    const std::string_view view(lower);
    std::vector<std::string> tokens;
    size_t start = 0;
    bool in_token = false;
    bool solo = false;  // The open token is a solo character (plus its marks).
    const auto close = [&](size_t end) {
      if (in_token) tokens.emplace_back(view.substr(start, end - start));
      in_token = false;
    };
    size_t pos = 0;
    size_t next_check = 0;  // a character is classified in nanoseconds: the clock is read once per 64 KB
    while (pos < view.size()) {
      if (pos >= next_check) {
        deadline.Check();
        next_check = pos + (size_t{1} << 16);
      }
      const size_t here = pos;
      const Kind kind = Classify(DecodeUtf8(view, &pos));
      switch (kind) {
        case Kind::kSeparator:
          close(here);
          break;
        case Kind::kMark:
          break;  // Extends the open token, if any.
        case Kind::kWord:
          if (in_token && solo) close(here);
          if (!in_token) {
            start = here;
            in_token = true;
            solo = false;
          }
          break;
        case Kind::kSolo:
          close(here);
          start = here;
          in_token = true;
          solo = true;
          break;
      }
    }
    close(view.size());
    deadline.Check();
    return tokens;
  }
};

}  // namespace

std::shared_ptr<const Tokenizer> UnicodeTokenizerInstance() {
  static const auto instance = std::make_shared<UnicodeTokenizer>();
  return instance;
}

}  // namespace rmg::text
