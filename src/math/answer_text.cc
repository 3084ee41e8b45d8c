#include "math/answer_text.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "math/latex_lexer.h"
#include "text/unicode.h"

namespace rmg::math {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// If `s` is exactly `\command{content}` for one of `commands`, its content.
std::optional<std::string_view> WholeCommand(std::string_view s,
                                             std::initializer_list<std::string_view> commands) {
  for (std::string_view command : commands) {
    if (!StartsWith(s, command)) continue;
    size_t i = command.size();
    if (i < s.size() && IsLetter(s[i])) continue;  // \textbf is not \text
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size() || s[i] != '{') continue;
    int level = 0;
    for (size_t j = i; j < s.size(); ++j) {
      if (s[j] == '\\') {
        ++j;
        continue;
      }
      if (s[j] == '{') ++level;
      if (s[j] == '}' && --level == 0) {
        if (j + 1 != s.size()) return std::nullopt;
        return s.substr(i + 1, j - i - 1);
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Lower-cased with runs of whitespace made one space.
std::string Normalize(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : Trim(s)) {
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// A letter of a script LaTeX does not write math in (北, д, é): Greek letters and
// letter-like symbols (π, ℝ) are math.
bool IsTextLetter(char32_t cp) {
  if (cp < 0x80 || !u_isalpha(static_cast<UChar32>(cp))) return false;
  const UBlockCode block = ublock_getCode(static_cast<UChar32>(cp));
  return block != UBLOCK_GREEK && block != UBLOCK_GREEK_EXTENDED && block != UBLOCK_LETTERLIKE_SYMBOLS &&
         block != UBLOCK_MATHEMATICAL_ALPHANUMERIC_SYMBOLS;
}

bool IsMathWord(std::string_view lower) {
  return IsFunctionName(lower) || lower == "sqrt" || lower == "frac" || lower == "infty" ||
         lower == "infinity" || lower == "percent" || lower == "degrees" || lower == "degree";
}

}  // namespace

std::string_view StripAnswerDelimiters(std::string_view answer) {
  for (;;) {
    const std::string_view before = answer;
    answer = Trim(answer);
    while (!answer.empty() && (answer.back() == '.' || answer.back() == ',') &&
           !(answer.size() >= 2 && answer[answer.size() - 2] == '\\')) {
      answer = Trim(answer.substr(0, answer.size() - 1));
    }
    if (answer.size() >= 4 && StartsWith(answer, "$$") && EndsWith(answer, "$$")) {
      answer = answer.substr(2, answer.size() - 4);
    } else if (answer.size() >= 2 && answer.front() == '$' && answer.back() == '$') {
      answer = answer.substr(1, answer.size() - 2);
    } else if (answer.size() >= 4 && ((StartsWith(answer, "\\(") && EndsWith(answer, "\\)")) ||
                                      (StartsWith(answer, "\\[") && EndsWith(answer, "\\]")))) {
      answer = answer.substr(2, answer.size() - 4);
    } else if (std::optional<std::string_view> boxed =
                   WholeCommand(answer, {"\\boxed", "\\fbox", "\\framebox"})) {
      answer = *boxed;
    }
    if (answer == before) return answer;
  }
}

std::optional<std::string> WholeAnswerText(std::string_view answer) {
  if (std::optional<std::string_view> content =
          WholeCommand(answer, {"\\text", "\\mbox", "\\textrm", "\\textnormal"})) {
    std::string text = text::LowerUtf8(Normalize(*content));
    if (!text.empty()) return text;
    return std::nullopt;
  }
  if (std::optional<std::string_view> content =
          WholeCommand(answer, {"\\textbf", "\\textit", "\\emph", "\\textsf", "\\texttt"})) {
    answer = *content;  // words only, checked below; \textbf{73} is math
  }
  bool words_only = !answer.empty();
  bool other_script = false;  // 北京 is a word, whatever its length
  for (size_t i = 0; i < answer.size() && words_only;) {
    const char c = answer[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      other_script = IsTextLetter(text::DecodeUtf8(answer, &i));
      words_only = other_script;
      continue;
    }
    if (!IsLetter(c) && !IsSpace(c) && c != '-' && c != '\'') words_only = false;
    ++i;
  }
  if (!words_only) return std::nullopt;
  const std::string text = text::LowerUtf8(Normalize(answer));
  if (other_script) return text;
  static const char* const kShortAnswers[] = {"yes", "no", "odd", "all", "not", "neither",
                                              "both", "up", "down", "cw", "ccw", "nil"};
  if (std::find(std::begin(kShortAnswers), std::end(kShortAnswers), text) != std::end(kShortAnswers)) {
    return text;
  }
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(" -'", start);
    if (end == std::string::npos) end = text.size();
    const std::string_view word = std::string_view(text).substr(start, end - start);
    if (word.size() >= 4 && !IsMathWord(word)) return text;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace rmg::math
