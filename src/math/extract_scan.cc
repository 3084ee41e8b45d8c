#include "math/extract_scan.h"

#include <algorithm>
#include <utility>

namespace rmg::math::extract_internal {

namespace {

// Deadline checks every this many loop steps: cheap enough, fine-grained enough.
constexpr size_t kCheckEvery = 4096;

bool StartsWith(std::string_view text, size_t pos, std::string_view prefix) {
  return pos <= text.size() && text.substr(pos).starts_with(prefix);
}

// A "$" that opens a digit and then talks in words ("$5 and $6"), or whose partner
// opens another amount ("$2 = $18"), is money, not math: math has no bare words of two
// letters or more outside braces and commands.
bool LooksLikeCurrency(std::string_view text, size_t begin, size_t end) {
  if (begin >= end || !IsDigit(text[begin])) return false;
  // "9 * $2 = $18": the closing "$" opens the next amount.
  if (end + 1 < text.size() && IsDigit(text[end + 1])) return true;
  int depth = 0;
  for (size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
      while (i + 1 < end && IsAlpha(text[i + 1])) ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      --depth;
    } else if (depth == 0 && c == ' ' && i + 2 < end && IsAlpha(text[i + 1]) && IsAlpha(text[i + 2])) {
      return true;
    }
  }
  return false;
}

// Environments that are display math when they appear in prose.
bool IsDisplayEnvironment(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "equation", "equation*", "align", "align*", "gather", "gather*", "multline",
      "multline*", "eqnarray", "eqnarray*", "displaymath", "aligned", "gathered", "array"};
  for (std::string_view known : kNames) {
    if (name == known) return true;
  }
  return false;
}

// True when a blank line starts at the '\n' at `pos`.
bool BlankLineAt(std::string_view text, size_t pos) {
  size_t k = pos + 1;
  while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r')) ++k;
  return k < text.size() && text[k] == '\n';
}

// Appends the bold argument `body`, closing the spaces that typesetting put between
// bold digits ("1 0 9" -> "109", "1 0 2 , 0 1 8" -> "102,018", "2 2 . 5" -> "22.5").
void AppendBoldBody(std::string_view body, std::string* out) {
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == ' ' && !out->empty() && (IsDigit(out->back()) || out->back() == ',' || out->back() == '.')) {
      size_t k = i;
      while (k < body.size() && body[k] == ' ') ++k;
      if (k < body.size() && (IsDigit(body[k]) || body[k] == ',' || body[k] == '.')) {
        i = k - 1;
        continue;
      }
    }
    out->push_back(body[i]);
  }
}

// `text` without the units that end it: "\frac{41}{12} \mathrm{~km}" and
// "166 \mathrm{~cm}^{2}" and "15\mbox{ cm}^2" keep the number; a unit is a \mathrm,
// \text or \mbox group whose content starts with a space or "~", and what follows
// it is only more such groups, powers, "/" and spaces.
std::string StripTrailingUnits(const std::string& text) {
  // Units are short: only the tail is looked at, which keeps this linear.
  for (size_t at = text.size() > 80 ? text.size() - 80 : 0; at < text.size(); ++at) {
    if (text[at] != '\\') continue;
    size_t e = at + 1;
    while (e < text.size() && IsAlpha(text[e])) ++e;
    const std::string_view name = std::string_view(text).substr(at + 1, e - at - 1);
    if (name != "mathrm" && name != "text" && name != "mbox" && name != "textrm") {
      at = e - 1;
      continue;
    }
    size_t open = e;
    while (open < text.size() && text[open] == ' ') ++open;
    if (open + 1 >= text.size() || text[open] != '{' || (text[open + 1] != '~' && text[open + 1] != ' ')) continue;
    // "6 \text{ and } 8" joins answers: connectors are not units.
    const size_t close = MatchBrace(text, open);
    if (close == std::string_view::npos) return text;
    const std::string_view word = Trim(std::string_view(text).substr(open + 1, close - open - 2));
    if (word == "and" || word == "or" || word == "~and~" || word == "~or~") continue;
    // Everything after must be unit material; digits only as powers ("^{2}", "^2").
    bool units_only = true;
    char prev = ' ';
    for (size_t k = open; k < text.size() && units_only; ++k) {
      const char c = text[k];
      if (IsDigit(c) && prev != '^' && prev != '{' && !IsDigit(prev)) units_only = false;
      if (!IsSpace(c)) prev = c;
      if (c == '\\') {
        size_t m = k + 1;
        while (m < text.size() && IsAlpha(text[m])) ++m;
        const std::string_view cmd = std::string_view(text).substr(k + 1, m - k - 1);
        if (cmd != "mathrm" && cmd != "text" && cmd != "mbox" && cmd != "textrm" && cmd != "cdot") units_only = false;
        k = m - 1;
      } else if (!(IsAlpha(c) || IsDigit(c) || c == '{' || c == '}' || c == '~' || c == ' ' || c == '^' || c == '/' ||
                   c == '.' || c == '-')) {
        units_only = false;
      }
    }
    const std::string_view before = Trim(std::string_view(text).substr(0, at));
    if (units_only && !before.empty()) return std::string(before);
    return text;
  }
  return text;
}

// True for "{. }" and " {,}": a brace group of sentence punctuation only.
bool IsPunctuationGroup(std::string_view text) {
  text = Trim(text);
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
  for (char c : text.substr(1, text.size() - 2)) {
    if (!(IsSpace(c) || c == '.' || c == ',' || c == ';')) return false;
  }
  return true;
}

// Typeset minus signs in prose, in UTF-8.
constexpr std::string_view kMinusSign = "\u2212";
constexpr std::string_view kEnDash = "\u2013";

// The bytes of a U+2212 or U+2013 that ends just before text[i], or 0.
size_t MinusSignBefore(std::string_view text, size_t i) {
  if (i < 3) return 0;
  const std::string_view before = text.substr(i - 3, 3);
  return before == kMinusSign || before == kEnDash ? 3 : 0;
}

}  // namespace

std::string_view Trim(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && IsSpace(text[b])) ++b;
  while (e > b && IsSpace(text[e - 1])) --e;
  return text.substr(b, e - b);
}

size_t MatchBrace(std::string_view text, size_t open) {
  size_t depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

std::vector<MathRegion> FindMathRegions(std::string_view text, const Deadline& deadline) {
  std::vector<MathRegion> out;
  const size_t n = text.size();
  // Once a closer is missing from some point on, it is missing from every later point
  // too: remembering that keeps the scan linear on unclosed delimiters.
  bool no_double_dollar = false, no_paren = false, no_bracket = false;
  std::vector<std::string> unclosed_environments;
  size_t steps = 0;
  size_t i = 0;
  while (i < n) {
    if (++steps % kCheckEvery == 0) deadline.Check();
    const char c = text[i];
    if (c == '\\' && i + 1 < n) {
      const char d = text[i + 1];
      if ((d == '(' && !no_paren) || (d == '[' && !no_bracket)) {
        const size_t close = text.find(d == '(' ? "\\)" : "\\]", i + 2);
        if (close == std::string_view::npos) {
          (d == '(' ? no_paren : no_bracket) = true;
        } else {
          out.push_back({{i, close + 2}, {i + 2, close}});
          i = close + 2;
          continue;
        }
      } else if (StartsWith(text, i, "\\begin{")) {
        const size_t name_end = text.find('}', i + 7);
        if (name_end != std::string_view::npos && name_end - i < 40) {
          const std::string name(text.substr(i + 7, name_end - i - 7));
          if (IsDisplayEnvironment(name) &&
              std::find(unclosed_environments.begin(), unclosed_environments.end(), name) ==
                  unclosed_environments.end()) {
            const std::string closer = "\\end{" + name + "}";
            const size_t close = text.find(closer, name_end + 1);
            if (close == std::string_view::npos) {
              unclosed_environments.push_back(name);
            } else {
              // "aligned" and "array" need their \begin to be parsed; equation-like
              // wrappers are only delimiters.
              const bool keep = name == "aligned" || name == "gathered" || name == "array";
              const Span inner = keep ? Span{i, close + closer.size()} : Span{name_end + 1, close};
              out.push_back({{i, close + closer.size()}, inner});
              i = close + closer.size();
              continue;
            }
          }
        }
      }
      i += 2;  // an escaped character (\$, \\) or a command's first letter
      continue;
    }
    if (c != '$') {
      ++i;
      continue;
    }
    if (i + 1 < n && text[i + 1] == '$') {
      if (!no_double_dollar) {
        const size_t close = text.find("$$", i + 2);
        if (close == std::string_view::npos) {
          no_double_dollar = true;
        } else {
          out.push_back({{i, close + 2}, {i + 2, close}});
          i = close + 2;
          continue;
        }
      }
      i += 2;
      continue;
    }
    // Inline math: up to the next unescaped "$", within the paragraph.
    size_t j = i + 1;
    bool closed = false;
    while (j < n) {
      if (++steps % kCheckEvery == 0) deadline.Check();
      if (text[j] == '\\') {
        j += 2;
        continue;
      }
      if (text[j] == '$') {
        closed = true;
        break;
      }
      if (text[j] == '\n' && BlankLineAt(text, j)) break;
      ++j;
    }
    if (closed && !LooksLikeCurrency(text, i + 1, j)) {
      out.push_back({{i, j + 1}, {i + 1, j}});
      i = j + 1;
      continue;
    }
    ++i;
  }
  return out;
}

std::vector<MathRegion> FindBoxes(std::string_view text, const Deadline& deadline) {
  std::vector<MathRegion> out;
  const size_t n = text.size();
  // Closing positions of every '{', computed once with a stack so that unclosed and
  // deeply nested boxes cost linear time in total.
  std::vector<std::pair<size_t, size_t>> pairs;  // (open, past-close)
  {
    std::vector<size_t> stack;
    for (size_t i = 0; i < n; ++i) {
      if (i % kCheckEvery == 0) deadline.Check();
      const char c = text[i];
      if (c == '\\') {
        ++i;
      } else if (c == '{') {
        stack.push_back(i);
      } else if (c == '}' && !stack.empty()) {
        pairs.emplace_back(stack.back(), i + 1);
        stack.pop_back();
      }
    }
    std::sort(pairs.begin(), pairs.end());
  }
  auto close_of = [&](size_t open) -> size_t {
    auto it = std::lower_bound(pairs.begin(), pairs.end(), std::make_pair(open, size_t{0}));
    return it != pairs.end() && it->first == open ? it->second : std::string_view::npos;
  };
  size_t i = 0;
  size_t steps = 0;
  while (i < n) {
    if (++steps % kCheckEvery == 0) deadline.Check();
    const size_t slash = text.find('\\', i);
    if (slash == std::string_view::npos) break;
    size_t p;
    if (StartsWith(text, slash + 1, "boxed")) {
      p = slash + 6;
    } else if (StartsWith(text, slash + 1, "fbox")) {
      p = slash + 5;
    } else {
      i = slash + 1;
      continue;
    }
    if (p < n && IsAlpha(text[p])) {  // \boxedsomething is another command
      i = p;
      continue;
    }
    const size_t name_end = p;
    while (p < n && text[p] == ' ') ++p;
    if (p < n && text[p] == '{') {
      const size_t close = close_of(p);
      if (close == std::string_view::npos) {  // unclosed: a truncated answer, ignored
        i = p + 1;
        continue;
      }
      out.push_back({{slash, close}, {p + 1, close - 1}});
      i = close;
      continue;
    }
    // "\boxed 5": the argument is the next token.
    size_t e = p;
    while (e < n && !IsSpace(text[e]) && text[e] != '$' && text[e] != '\\') ++e;
    if (e > p && p > name_end) out.push_back({{slash, e}, {p, e}});
    i = std::max(e, slash + 1);
  }
  return out;
}

std::vector<NumberMatch> FindNumbers(std::string_view text, Span range, const Deadline& deadline) {
  std::vector<NumberMatch> out;
  const size_t end = std::min(range.end, text.size());
  auto digit_at = [&](size_t k) { return k < end && IsDigit(text[k]); };
  size_t i = range.begin;
  size_t steps = 0;
  while (i < end) {
    if (++steps % kCheckEvery == 0) deadline.Check();
    const char c = text[i];
    if (!IsDigit(c) && !(c == '.' && digit_at(i + 1))) {
      ++i;
      continue;
    }
    const char prev = i > 0 ? text[i - 1] : ' ';
    if (IsAlpha(prev) || prev == '_' || prev == '^' || prev == '\\' || IsDigit(prev)) {
      // Part of a word or a name ("AZYUK2A", "x_12"): skip the whole token.
      while (i < end && (IsDigit(text[i]) || IsAlpha(text[i]) || text[i] == '.')) ++i;
      continue;
    }
    size_t start = i;
    std::string value;
    // A sign: '-', or the minus sign U+2212 or en dash U+2013 of typeset prose ("is −5"),
    // not preceded by what it would subtract from.
    const size_t sign_bytes = prev == '-' ? 1 : MinusSignBefore(text, i);
    if (sign_bytes > 0) {
      const size_t before = i - sign_bytes;
      if (before == 0 || !(IsDigit(text[before - 1]) || IsAlpha(text[before - 1]) || text[before - 1] == ')')) {
        value = "-";
        start = before;
      }
    }
    size_t j = i;
    while (digit_at(j)) value.push_back(text[j++]);
    const size_t int_digits = j - i;
    bool grouped = false;
    if (int_digits >= 1 && int_digits <= 3) {
      for (;;) {
        size_t sep = 0;
        if (j < end && text[j] == ',') sep = 1;
        else if (StartsWith(text, j, "{,}")) sep = 3;
        else if (j < end && text[j] == ' ' && !grouped) sep = 1;
        else if (j < end && text[j] == ' ' && grouped && text[j - 4] == ' ') sep = 1;
        if (sep == 0) break;
        const size_t g = j + sep;
        if (!(digit_at(g) && digit_at(g + 1) && digit_at(g + 2) && !digit_at(g + 3))) break;
        // "1,000,000" or "1 000": mixing the two is not a number.
        if (sep == 1 && text[j] == ' ' && grouped && text[j - 4] != ' ') break;
        value.append(text.substr(g, 3));
        j = g + 3;
        grouped = true;
      }
    }
    if (j < end && text[j] == '.' && digit_at(j + 1)) {
      value.push_back('.');
      ++j;
      while (digit_at(j)) value.push_back(text[j++]);
    } else if (!grouped && int_digits > 0 && j < end && text[j] == ',' && digit_at(j + 1)) {
      // A decimal comma ("2,74") unless it is a list ("1,2,3", "(1,2)").
      size_t k = j + 1;
      while (digit_at(k)) ++k;
      const size_t frac = k - j - 1;
      const bool list_like =
          (k < end && text[k] == ',') || prev == '(' || prev == '[' || prev == '{' || prev == ',';
      if (frac != 3 && !list_like) {
        value.push_back('.');
        value.append(text.substr(j + 1, frac));
        j = k;
      }
    }
    if (value.empty() || value == "-") {
      i = j + 1;
      continue;
    }
    // Percent suffixes.
    size_t k = j;
    while (k < end && text[k] == ' ') ++k;
    size_t after = j;
    if (k < end && text[k] == '%') {
      after = k + 1;
    } else if (StartsWith(text, k, "\\%")) {
      after = k + 2;
    } else if ((StartsWith(text, k, "percent") && !(k + 7 < end && IsAlpha(text[k + 7]))) ||
               (StartsWith(text, k, "pct") && !(k + 3 < end && IsAlpha(text[k + 3])))) {
      after = k + (text[k + 1] == 'e' ? 7 : 3);
    }
    if (after != j) value.append("\\%");
    out.push_back({{start, after}, std::move(value)});
    i = after > j ? after : j;
  }
  return out;
}

std::string AsPlainNumber(std::string_view text) {
  text = Trim(text);
  std::string value;
  size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    value.push_back(text[i++]);
  } else if (text.starts_with(kMinusSign) || text.starts_with(kEnDash)) {
    value.push_back('-');
    i = 3;
  }
  const size_t digits_begin = i;
  while (i < text.size() && IsDigit(text[i])) value.push_back(text[i++]);
  const size_t int_digits = i - digits_begin;
  if (int_digits == 0) return "";
  while (int_digits <= 3 && i < text.size()) {
    static constexpr std::string_view kSeparators[] = {",\\!", "{,}", "\\,", "\\!", "\\ ", ",", " "};
    size_t sep = 0;
    for (std::string_view s : kSeparators) {
      if (StartsWith(text, i, s)) {
        sep = s.size();
        break;
      }
    }
    if (sep == 0) break;
    size_t g = i + sep;
    // "11,\! 111": typeset spacing may be followed by a space; "99, 503" is a list.
    if (text.substr(i, sep).find('\\') != std::string_view::npos) {
      while (g < text.size() && text[g] == ' ') ++g;
    }
    if (!(g + 3 <= text.size() && IsDigit(text[g]) && IsDigit(text[g + 1]) && IsDigit(text[g + 2]) &&
          (g + 3 == text.size() || !IsDigit(text[g + 3])))) {
      return "";
    }
    value.append(text.substr(g, 3));
    i = g + 3;
  }
  if (i < text.size() && text[i] == '.') {
    value.push_back('.');
    ++i;
    const size_t frac_begin = i;
    while (i < text.size() && IsDigit(text[i])) value.push_back(text[i++]);
    if (i == frac_begin) return "";
  }
  if (StartsWith(text, i, "\\%")) {
    value.append("\\%");
    i += 2;
  }
  return i == text.size() ? value : "";
}

std::vector<Span> SplitSentences(std::string_view text, Span range, const std::vector<MathRegion>& regions,
                                 const Deadline& deadline) {
  std::vector<Span> out;
  const size_t end = std::min(range.end, text.size());
  auto emit = [&](size_t b, size_t e) {
    const std::string_view piece = Trim(text.substr(b, e - b));
    if (!piece.empty()) {
      const size_t pb = static_cast<size_t>(piece.data() - text.data());
      out.push_back({pb, pb + piece.size()});
    }
  };
  size_t r = std::lower_bound(regions.begin(), regions.end(), range.begin,
                              [](const MathRegion& m, size_t pos) { return m.outer.end <= pos; }) -
             regions.begin();
  size_t sentence_begin = range.begin;
  size_t i = range.begin;
  size_t steps = 0;
  while (i < end) {
    if (++steps % kCheckEvery == 0) deadline.Check();
    while (r < regions.size() && regions[r].outer.end <= i) ++r;
    if (r < regions.size() && regions[r].outer.begin == i) {
      i = regions[r].outer.end;
      continue;
    }
    const char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && (i + 1 >= end || IsSpace(text[i + 1]))) {
      emit(sentence_begin, i + 1);
      sentence_begin = i + 1;
    } else if (c == '\n' && BlankLineAt(text, i)) {
      size_t k = i + 1;
      while (k < end && IsSpace(text[k])) ++k;
      const bool display_follows = r < regions.size() && regions[r].outer.begin == k &&
                                   (text[k] != '$' || (k + 1 < end && text[k + 1] == '$'));
      // A display formula after a blank line continues the sentence that introduced
      // it ("so the probability is\n\n$$...$$").
      if (!display_follows) {
        emit(sentence_begin, i);
        sentence_begin = i;
      }
      i = k;
      continue;
    }
    ++i;
  }
  emit(sentence_begin, end);
  return out;
}

std::string CleanCandidate(std::string_view text) {
  text = Trim(text);
  std::string out;
  out.reserve(text.size());
  bool bold_unclosed = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    size_t name_end = i + 1;
    while (name_end < text.size() && IsAlpha(text[name_end])) ++name_end;
    const std::string_view name = text.substr(i + 1, name_end - i - 1);
    if ((name == "mathbf" || name == "textbf" || name == "boldsymbol" || name == "bm") &&
        name_end < text.size() && text[name_end] == '{' && !bold_unclosed) {
      const size_t close = MatchBrace(text, name_end);
      // One unclosed bold means the rest is unbalanced: stop unwrapping (linear time).
      bold_unclosed = close == std::string_view::npos;
      if (close != std::string_view::npos) {
        AppendBoldBody(text.substr(name_end + 1, close - name_end - 2), &out);
        i = close - 1;
        continue;
      }
    }
    if (name.empty() && i + 1 < text.size() && (text[i + 1] == '$' || text[i + 1] == '!')) {
      ++i;  // "\$" (currency) and "\!" (negative thin space) carry no math
      // "11,\! 111": the typeset thousands separator, closed up.
      if (text[i] == '!' && !out.empty() && out.back() == ',') {
        while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
      }
      continue;
    }
    out.push_back('\\');
    if (name.empty() && i + 1 < text.size()) out.push_back(text[++i]);
  }
  // Trailing punctuation and spacing belong to the sentence, not to the answer. The
  // view shrinks and the text is copied once: a degenerate answer ending in 100,000
  // dots or "\\" must not be copied once per piece.
  std::string_view view = out;
  for (;;) {
    view = Trim(view);
    if (view.empty()) return "";
    const char last = view.back();
    if (last == '.' || last == ',' || last == ';' || last == ':') {
      view.remove_suffix(1);
    } else if (view.ends_with("\\quad")) {
      view.remove_suffix(5);
    } else if (view.ends_with("\\\\")) {
      view.remove_suffix(2);
    } else if (const size_t at = last == '}' ? view.rfind("\\text") : std::string_view::npos;
               at != std::string_view::npos && IsPunctuationGroup(view.substr(at + 5))) {
      view = view.substr(0, at);  // "k=10 \text {. }"
    } else {
      break;
    }
  }
  out = std::string(view);
  for (std::string_view word : {std::string_view(" percent"), std::string_view(" pct"), std::string_view("percent")}) {
    if (out.ends_with(word) && out.size() > word.size()) {
      const std::string_view head = Trim(std::string_view(out).substr(0, out.size() - word.size()));
      if (!head.empty() && (IsDigit(head.back()) || head.back() == '}')) {
        out = std::string(Trim(std::string_view(out).substr(0, out.size() - word.size()))) + "\\%";
        break;
      }
    }
  }
  out = StripTrailingUnits(out);
  const std::string number = AsPlainNumber(out);
  if (!number.empty()) return number;
  // "(385)" is 385, but a comma in parentheses separates ("(2,251,252)" is a triple, as
  // the lexer reads it), so it is left to the parser.
  if (out.size() > 2 && out.front() == '(' && out.back() == ')' && out.find(',') == std::string::npos) {
    const std::string inner = AsPlainNumber(std::string_view(out).substr(1, out.size() - 2));
    if (!inner.empty()) return inner;
  }
  return out;
}

std::string ValueAfterLastEquals(std::string_view math) {
  int depth = 0;
  size_t last = std::string_view::npos, last_len = 0;
  for (size_t i = 0; i < math.size(); ++i) {
    const char c = math[i];
    if (c == '\\') {
      if (depth == 0 && StartsWith(math, i, "\\approx")) {
        last = i;
        last_len = 7;
      } else if (depth == 0 && StartsWith(math, i, "\\in") && !(i + 3 < math.size() && IsAlpha(math[i + 3]))) {
        last = i;
        last_len = 3;
      }
      ++i;
    } else if (c == '{' || c == '(' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ')' || c == ']') {
      --depth;
    } else if (c == ':' && depth == 0 && Trim(math.substr(0, i)).ends_with(")")) {
      last = i;  // "(x, y):(0,2),(4,23)"
      last_len = 1;
    } else if (c == '=' && depth == 0) {
      const char before = i > 0 ? math[i - 1] : ' ';
      const char after = i + 1 < math.size() ? math[i + 1] : ' ';
      if (before != '<' && before != '>' && before != '!' && after != '=') {
        last = i;
        last_len = 1;
      }
    }
  }
  if (last == std::string_view::npos) return "";
  std::string_view rhs = Trim(math.substr(last + last_len));
  // Leftovers of an aligned environment: the end marker and alignment points.
  for (;;) {
    if (rhs.ends_with("}") && rhs.rfind("\\end{") != std::string_view::npos &&
        rhs.find('}', rhs.rfind("\\end{")) == rhs.size() - 1) {
      rhs = Trim(rhs.substr(0, rhs.rfind("\\end{")));
    } else if (rhs.ends_with("\\\\")) {
      rhs = Trim(rhs.substr(0, rhs.size() - 2));
    } else {
      break;
    }
  }
  while (!rhs.empty() && rhs.front() == '&') rhs = Trim(rhs.substr(1));
  return CleanCandidate(rhs);
}

}  // namespace rmg::math::extract_internal
