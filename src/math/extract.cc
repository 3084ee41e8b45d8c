#include "math/extract.h"

#include <algorithm>
#include <utility>

#include "math/extract_scan.h"

namespace rmg::math {

using extract_internal::AsPlainNumber;
using extract_internal::CleanCandidate;
using extract_internal::FindBoxes;
using extract_internal::FindMathRegions;
using extract_internal::FindNumbers;
using extract_internal::IsAlpha;
using extract_internal::IsDigit;
using extract_internal::IsSpace;
using extract_internal::MathRegion;
using extract_internal::Span;
using extract_internal::SplitSentences;
using extract_internal::Trim;
using extract_internal::ValueAfterLastEquals;

namespace {

constexpr size_t npos = std::string_view::npos;

// Collects candidates in order, dropping empty and repeated texts.
class Collector {
 public:
  void Add(std::string text, AnswerSource source) {
    if (text.empty()) return;
    for (const AnswerCandidate& have : out_) {
      if (have.text == text) return;
    }
    out_.push_back({std::move(text), source});
  }
  std::vector<AnswerCandidate> Take() { return std::move(out_); }

 private:
  std::vector<AnswerCandidate> out_;
};

// Everything the rules look at, computed once per response.
struct Document {
  std::string_view text;
  std::vector<MathRegion> regions;  // sorted, disjoint
  std::vector<MathRegion> boxes;    // sorted, disjoint
  const Deadline* deadline;
};

std::string_view Slice(std::string_view text, Span span) { return text.substr(span.begin, span.end - span.begin); }

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// True when the lower-case word `word` starts at `pos` of `lower` and is a whole word.
bool WordAt(std::string_view lower, size_t pos, std::string_view word) {
  if (!lower.substr(pos).starts_with(word)) return false;
  if (pos > 0 && IsAlpha(lower[pos - 1])) return false;
  const size_t end = pos + word.size();
  return end >= lower.size() || !IsAlpha(lower[end]);
}

// The first region that starts at or after `pos`, as an index (regions.size() if none).
size_t FirstRegionFrom(const std::vector<MathRegion>& regions, size_t pos) {
  return std::lower_bound(regions.begin(), regions.end(), pos,
                          [](const MathRegion& m, size_t p) { return m.outer.begin < p; }) -
         regions.begin();
}

// True when text[span] only joins answers together: white space, punctuation, "and",
// "or", spacing commands, \text{and}, math delimiters and "x_2 =" labels.
bool IsConnectorGap(std::string_view text, Span span) {
  if (span.end < span.begin || span.end - span.begin > 120) return false;
  const std::string lower = ToLower(Slice(text, span));
  size_t i = 0;
  while (i < lower.size()) {
    const char c = lower[i];
    if (IsSpace(c) || c == ',' || c == ';' || c == '$' || c == '&' || c == '+' || c == '.' || c == '~' ||
        c == '{' || c == '}') {
      ++i;
      continue;
    }
    if (c == '\\') {
      size_t e = i + 1;
      while (e < lower.size() && IsAlpha(lower[e])) ++e;
      const std::string_view name = std::string_view(lower).substr(i + 1, e - i - 1);
      if (name.empty()) {  // \( \) \[ \] \, \; \! "\ " and line breaks
        i += 2;
        continue;
      }
      if (name == "quad" || name == "qquad" || name == "text" || name == "mbox" || name == "mathrm" ||
          name == "textrm" || name == "hspace" || name == "hfill" || name == "enspace") {
        i = e;
        continue;
      }
      return false;
    }
    if (IsAlpha(c)) {
      size_t e = i;
      while (e < lower.size() && IsAlpha(lower[e])) ++e;
      const std::string_view word = std::string_view(lower).substr(i, e - i);
      if (word == "and" || word == "or" || word == "em" || word == "pt") {
        i = e;
        continue;
      }
      // A label: "y_2 =", "x_{2} =".
      size_t k = e;
      while (k < lower.size() && (IsAlpha(lower[k]) || IsDigit(lower[k]) || lower[k] == '_' || lower[k] == '{' ||
                                  lower[k] == '}' || lower[k] == ' ' || lower[k] == '^' || lower[k] == '\'')) {
        ++k;
      }
      if (k < lower.size() && lower[k] == '=' && k - i <= 12) {
        i = k + 1;
        continue;
      }
      return false;
    }
    return false;  // also "(": "$pq=5$ (and $r=2$)" is a remark, not a list
  }
  return true;
}

// "\text{(C)}", "(C)", "\textbf{C}" -> "C"; empty when `text` is not an option letter.
std::string OptionLetter(std::string_view text) {
  std::string letters;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
      while (i < text.size() && IsAlpha(text[i])) ++i;
      continue;
    }
    if (IsAlpha(c)) letters.push_back(c);
    else if (!(c == '(' || c == ')' || c == '{' || c == '}' || IsSpace(c) || c == '.')) return "";
    ++i;
  }
  if (letters.size() == 1 && letters[0] >= 'A' && letters[0] <= 'E') return letters;
  return "";
}

// Adds the content of a math region: the value after its last "=" first when the
// region is a derivation or an assignment ("x = 5", "a+b = 12"), then all of it.
void AddMath(std::string_view inner, AnswerSource source, Collector* out) {
  out->Add(ValueAfterLastEquals(inner), source);
  out->Add(CleanCandidate(inner), source);
}

// The chain of math regions starting with regions[first] that only connectors join
// ("$(1,1)$, $(3,2)$ and $(5,5)$"), stopping before `limit`. Returns the index past
// the chain.
size_t ChainEnd(const Document& doc, size_t first, size_t limit) {
  size_t last = first;
  while (last + 1 < doc.regions.size() && doc.regions[last + 1].outer.end <= limit &&
         IsConnectorGap(doc.text, {doc.regions[last].outer.end, doc.regions[last + 1].outer.begin})) {
    ++last;
  }
  return last + 1;
}

// True for a region that only names something ("$B$", "$A B B A$", "$(X, Y)$"): no
// digits, no relation, short. A number nearby is the better answer.
bool IsNameOnly(const Document& doc, size_t r) {
  const std::string text = CleanCandidate(Slice(doc.text, doc.regions[r].inner));
  if (text.size() > 12) return false;
  for (char c : text) {
    if (IsDigit(c) || c == '=' || c == '<' || c == '>') return false;
  }
  return true;
}

// Adds a chain of regions [first, end): one region as AddMath does; several joined
// with ", " (each by its value after "=" when it has one: "$n=5$ or $n=15$" -> "5, 15").
// The name an equation assigns to ("x" for "x_{2} = 5", "p+q" for "p+q=95"): the part
// before the first "=" without subscripts and spaces; empty when there is no "=".
std::string AssignedName(std::string_view math) {
  const size_t eq = math.find('=');
  if (eq == npos || eq == 0 || math[eq - 1] == '<' || math[eq - 1] == '>' || math[eq - 1] == '!') return "";
  std::string name;
  for (size_t i = 0; i < eq; ++i) {
    const char c = math[i];
    if (c == '_') {  // a subscript: "x_1", "x_{12}"
      if (i + 1 < eq && math[i + 1] == '{') {
        while (i < eq && math[i] != '}') ++i;
      } else {
        ++i;
      }
      continue;
    }
    if (!IsSpace(c)) name.push_back(c);
  }
  return name.empty() ? "=" : name;
}

// True for a name like "x", "x_1", "\\alpha", "AB": no operators, so "$x=1$ and $y=2$"
// assigns two unknowns rather than restating one value ("$r=47/48$, and $p+q=95$").
bool IsSimpleName(std::string_view name) {
  for (char c : name) {
    if (!(IsAlpha(c) || IsDigit(c) || c == '\\' || c == '{' || c == '}' || c == '\'')) return false;
  }
  return true;
}

// Whether regions [first, end), joined by connectors, list several answers or
// restate one. Joined by "or", they list only when they assign to one name ("$n=5$ or
// $n=15$"); otherwise they restate ("$\frac{4}{10}$ or $\frac{2}{5}$", "$3x=58$ or
// $x=\frac{58}{3}$"). Joined by "and" or commas they list ("$(0,1)$, $(1,0)$ and
// $(1,1)$", "$x=10^3$ and $y=10$") unless they assign to different expressions ("$r=47/48$,
// and $p+q=95$"). Joined by spaces only, one formula goes on ("$B=$ $2^{1009}$").
// A restatement's answer is its last region.
bool ChainIsList(const Document& doc, size_t first, size_t end) {
  bool said_or = false, said_and = false;
  for (size_t r = first + 1; r < end; ++r) {
    const std::string gap = ToLower(doc.text.substr(doc.regions[r - 1].outer.end,
                                                    doc.regions[r].outer.begin - doc.regions[r - 1].outer.end));
    for (size_t i = 0; i < gap.size(); ++i) {
      if (WordAt(gap, i, "or")) said_or = true;
      if (WordAt(gap, i, "and") || gap[i] == ',' || gap[i] == ';') said_and = true;
    }
  }
  const std::string name = AssignedName(Slice(doc.text, doc.regions[first].inner));
  bool same_names = true, simple_names = IsSimpleName(name);
  for (size_t r = first + 1; r < end; ++r) {
    const std::string other = AssignedName(Slice(doc.text, doc.regions[r].inner));
    if (other != name) same_names = false;
    if (!IsSimpleName(other)) simple_names = false;
  }
  if (said_or) return same_names && !name.empty();
  if (said_and) return same_names || simple_names;
  return false;
}

void AddChain(const Document& doc, size_t first, size_t end, AnswerSource source, Collector* out) {
  if (end - first == 1 || !ChainIsList(doc, first, end)) {
    AddMath(Slice(doc.text, doc.regions[end - 1].inner), source, out);
    if (end - first == 1) return;
  }
  std::string values, whole;
  for (size_t r = first; r < end; ++r) {
    const std::string_view inner = Slice(doc.text, doc.regions[r].inner);
    std::string value = ValueAfterLastEquals(inner);
    std::string all = CleanCandidate(inner);
    if (value.empty()) value = all;
    if (all.empty()) continue;
    if (!values.empty()) {
      values += ", ";
      whole += ", ";
    }
    values += value;
    whole += all;
  }
  out->Add(values, source);
  out->Add(whole, source);
}

// The boxed answer: the last box, joined with the boxes before it that only
// connectors separate from it.
void AddBoxed(const Document& doc, Collector* out) {
  const auto& boxes = doc.boxes;
  if (boxes.empty()) return;
  size_t first = boxes.size() - 1;
  while (first > 0 && IsConnectorGap(doc.text, {boxes[first - 1].outer.end, boxes[first].outer.begin})) --first;
  std::string joined;
  for (size_t b = first; b < boxes.size(); ++b) {
    std::string one = CleanCandidate(Slice(doc.text, boxes[b].inner));
    if (one.empty()) continue;
    if (!joined.empty()) joined += ", ";
    joined += one;
  }
  // "$\boxed{28}$ pct": a unit word just after the box belongs to the answer.
  size_t after = boxes.back().outer.end;
  while (after < doc.text.size() && (doc.text[after] == '$' || doc.text[after] == ' ' || doc.text[after] == ')' ||
                                     (doc.text[after] == '\\' && after + 1 < doc.text.size() &&
                                      (doc.text[after + 1] == ')' || doc.text[after + 1] == ']')))) {
    after += doc.text[after] == '\\' ? 2 : 1;
  }
  const std::string tail = ToLower(doc.text.substr(after, 8));
  if (!joined.empty() && IsDigit(joined.back()) &&
      (WordAt(tail, 0, "pct") || WordAt(tail, 0, "percent") || tail.starts_with("%"))) {
    joined += "\\%";
  }
  out->Add(joined, AnswerSource::kBoxed);
  const std::string last = CleanCandidate(Slice(doc.text, boxes.back().inner));
  out->Add(last, AnswerSource::kBoxed);
  out->Add(OptionLetter(last), AnswerSource::kOption);
}

// gsm8k: "#### 72" ends the solution.
void AddGsm8k(const Document& doc, Collector* out) {
  const size_t mark = doc.text.rfind("####");
  if (mark == npos) return;
  size_t b = mark + 4;
  size_t e = doc.text.find('\n', b);
  if (e == npos) e = doc.text.size();
  std::string line;
  for (char c : doc.text.substr(b, e - b)) {
    if (c != '$') line.push_back(c);
  }
  out->Add(CleanCandidate(line), AnswerSource::kGsm8kMarker);
}

// Candidates from one statement: after its last copula ("is", "are", "=", ...) the
// first chain of math regions or the first number; then its last region and its last
// number.
void AddStatement(const Document& doc, Span span, AnswerSource source, Collector* out) {
  const std::string lower = ToLower(Slice(doc.text, span));
  // The copulas outside math; the last one that something follows introduces the answer.
  std::vector<size_t> copulas;
  {
    size_t r = FirstRegionFrom(doc.regions, span.begin);
    for (size_t i = 0; i < lower.size(); ++i) {
      if (i % 4096 == 0) doc.deadline->Check();
      const size_t pos = span.begin + i;
      while (r < doc.regions.size() && doc.regions[r].outer.end <= pos) ++r;
      if (r < doc.regions.size() && doc.regions[r].outer.begin <= pos) {
        i = doc.regions[r].outer.end - span.begin - 1;
        continue;
      }
      static constexpr std::string_view kCopulas[] = {"is", "are", "be", "equals", "equal", "was", "were",
                                                      "yields", "gives", "giving", "get", "obtain", "as", "that",
                                                      // conclusions: ", so $d=\frac{49}{3}$"
                                                      "so", "hence", "thus", "therefore", "namely"};
      for (std::string_view w : kCopulas) {
        if (WordAt(lower, i, w)) copulas.push_back(span.begin + i + w.size());
      }
      if (lower[i] == '=' || lower[i] == ':') copulas.push_back(pos + 1);
    }
  }
  const size_t r_end = FirstRegionFrom(doc.regions, span.end);
  const AnswerSource number_source = source == AnswerSource::kLatexMath ? AnswerSource::kPlainNumber : source;
  // The numbers of the span once, so that trying copula after copula stays linear.
  const std::vector<extract_internal::NumberMatch> span_numbers = FindNumbers(doc.text, span, *doc.deadline);
  for (size_t c = copulas.size(); c-- > 0;) {
    const size_t copula = copulas[c];
    const size_t r = FirstRegionFrom(doc.regions, copula);
    const auto number = std::lower_bound(
        span_numbers.begin(), span_numbers.end(), copula,
        [](const extract_internal::NumberMatch& m, size_t pos) { return m.span.begin < pos; });
    const bool has_number = number != span_numbers.end();
    const bool has_region = r < r_end && doc.regions[r].outer.end <= span.end;
    if (has_region && (!has_number || (doc.regions[r].outer.begin < number->span.begin && !IsNameOnly(doc, r)))) {
      AddChain(doc, r, ChainEnd(doc, r, span.end), source, out);
      break;
    }
    if (has_number) {
      out->Add(number->value, number_source);
      break;
    }
  }
  // Then the last chain of regions ("Therefore, $n=5$ or $n=15$.").
  const size_t r_first = FirstRegionFrom(doc.regions, span.begin);
  if (r_end > r_first && doc.regions[r_end - 1].outer.end <= span.end) {
    size_t first = r_end - 1;
    while (first > r_first &&
           IsConnectorGap(doc.text, {doc.regions[first - 1].outer.end, doc.regions[first].outer.begin})) {
      --first;
    }
    const auto numbers = FindNumbers(doc.text, span, *doc.deadline);
    if (first + 1 == r_end && IsNameOnly(doc, first) && !numbers.empty()) {
      out->Add(numbers.back().value, number_source);  // "it takes him 45 minutes from $A$ to $B$"
    }
    AddChain(doc, first, r_end, source, out);
    if (first + 1 < r_end) AddMath(Slice(doc.text, doc.regions[r_end - 1].inner), source, out);
  }
  const auto numbers = FindNumbers(doc.text, span, *doc.deadline);
  if (!numbers.empty()) {
    out->Add(numbers.back().value, number_source);
  }
}

// The position of the last "answer" phrase that introduces an answer ("Final Answer:",
// "the answer is", "Answer \( 9 \)"), and where its statement starts; npos if none.
std::pair<size_t, size_t> FindAnswerPhrase(const Document& doc, const std::string& lower) {
  size_t from = lower.size();
  for (int tries = 0; tries < 64 && from > 0; ++tries) {
    const size_t pos = lower.rfind("answer", from - 1);
    if (pos == npos) break;
    from = pos;
    if (!WordAt(lower, pos, "answer")) continue;
    size_t p = pos + 6;
    bool colon = false;  // "Final Answer: <a sentence>" may be prose; "answer is" needs math
    for (;;) {
      while (p < lower.size() && (IsSpace(lower[p]) || lower[p] == '*' || lower[p] == '#')) ++p;
      if (p < lower.size() && (lower[p] == ':' || lower[p] == '=')) {
        colon = true;
        ++p;
        continue;
      }
      bool skipped = false;
      for (std::string_view w : {"is", "are", "would", "will", "should", "be", "therefore", "thus", "then",
                                 "simply", "hence", "so", "equals"}) {
        if (WordAt(lower, p, w)) {
          p += w.size();
          skipped = true;
          break;
        }
      }
      if (!skipped) break;
    }
    if (p >= lower.size()) continue;
    const bool math_next = FirstRegionFrom(doc.regions, p) < doc.regions.size() &&
                           doc.regions[FirstRegionFrom(doc.regions, p)].outer.begin == p;
    const char c = lower[p];
    // "The answer is B.": an option letter.
    const bool option = doc.text[p] >= 'A' && doc.text[p] <= 'E' && (p + 1 >= lower.size() || !IsAlpha(lower[p + 1]));
    if (colon || math_next || option || IsDigit(c) || c == '\\' || c == '-' || c == '$') return {pos, p};
  }
  return {npos, npos};
}

// The statement that starts at `begin`: up to the end of its sentence.
Span StatementFrom(const Document& doc, size_t begin) {
  const size_t limit = std::min(doc.text.size(), begin + 4000);
  const std::vector<Span> sentences = SplitSentences(doc.text, {begin, limit}, doc.regions, *doc.deadline);
  if (sentences.empty()) return {begin, begin};
  return sentences.front();
}

void AddPhrase(const Document& doc, Span statement, Collector* out) {
  const size_t r = FirstRegionFrom(doc.regions, statement.begin);
  if (r < doc.regions.size() && doc.regions[r].outer.begin == statement.begin) {
    AddChain(doc, r, ChainEnd(doc, r, statement.end), AnswerSource::kFinalAnswerPhrase, out);
    return;
  }
  std::string_view text = Slice(doc.text, statement);
  // One token ("Answer: B", "Answer: x^2+1") is the answer as written.
  if (const std::string token = CleanCandidate(text); !token.empty() && token.find(' ') == npos &&
                                                      token.find('$') == npos && token.find("**") == npos &&
                                                      std::count(token.begin(), token.end(), '{') ==
                                                          std::count(token.begin(), token.end(), '}')) {
    out->Add(token, AnswerSource::kFinalAnswerPhrase);
  }
  if (text.starts_with("**")) {
    const size_t close = text.find("**", 2);
    if (close != npos) {
      out->Add(CleanCandidate(text.substr(2, close - 2)), AnswerSource::kFinalAnswerPhrase);
      return;
    }
  }
  const std::string cleaned = CleanCandidate(text);
  if (!AsPlainNumber(cleaned).empty()) {
    out->Add(cleaned, AnswerSource::kFinalAnswerPhrase);
    return;
  }
  if (!text.empty() && (IsDigit(text[0]) || text[0] == '-' || text[0] == '.')) {
    const auto numbers = FindNumbers(doc.text, statement, *doc.deadline);
    if (!numbers.empty() && numbers.front().span.begin == statement.begin) {
      out->Add(numbers.front().value, AnswerSource::kFinalAnswerPhrase);
    }
  }
  AddStatement(doc, statement, AnswerSource::kFinalAnswerPhrase, out);
}

// A sentence that cannot hold the answer: sign-offs, image tags, remarks in
// parentheses, chat-template leftovers.
bool IsJunkSentence(const Document& doc, Span span) {
  const std::string_view text = Slice(doc.text, span);
  if (text.starts_with("(") || text.starts_with("<") || text.starts_with("~")) return true;
  const std::string lower = ToLower(text.substr(0, 40));
  if (lower.starts_with("note") || lower.starts_with("i hope") || lower.starts_with("remark")) return true;
  const size_t r = FirstRegionFrom(doc.regions, span.begin);
  if (r < doc.regions.size() && doc.regions[r].outer.begin < span.end) return false;
  for (char c : text) {
    if (IsDigit(c)) return false;
  }
  return true;
}

// The last region of the final sentences that marks its answer in bold ("$K=\mathbf{1 2 5}$").
size_t LastBoldRegion(const Document& doc, size_t from) {
  for (size_t r = doc.regions.size(); r-- > 0;) {
    if (doc.regions[r].outer.begin < from) break;
    const std::string_view inner = Slice(doc.text, doc.regions[r].inner);
    for (std::string_view cmd : {"\\mathbf{", "\\textbf{", "\\boldsymbol{"}) {
      size_t at = inner.find(cmd);
      while (at != npos) {
        // A bold answer is short: look a few characters in, not for the closing brace
        // (which keeps nested or unclosed bold linear).
        for (size_t k = at + cmd.size(); k < inner.size() && k < at + cmd.size() + 40 && inner[k] != '}'; ++k) {
          if (IsDigit(inner[k])) return r;
        }
        at = inner.find(cmd, at + 1);
      }
    }
  }
  return npos;
}

// The last markdown **bold** in the last lines, unless it is a heading.
void AddMarkdownBold(const Document& doc, Collector* out) {
  const std::string_view text = doc.text;
  const size_t close = text.rfind("**");
  if (close == npos || close < 2 || text.size() - close > 400) return;
  const size_t open = text.rfind("**", close - 1);
  if (open == npos || close - open > 200) return;
  const std::string_view body = Trim(text.substr(open + 2, close - open - 2));
  if (body.empty() || body.find('\n') != npos || body.back() == ':') return;
  if (ToLower(body).find("answer") != npos) return;
  if (std::count(body.begin(), body.end(), ' ') > 5) return;  // a heading, not an answer
  std::string stripped;
  for (char c : body) {
    if (c != '$') stripped.push_back(c);
  }
  out->Add(CleanCandidate(stripped), AnswerSource::kBold);
}

// "(C)", "option C", "choice C" in the final statement.
void AddOption(const Document& doc, Span span, Collector* out) {
  const std::string_view text = Slice(doc.text, span);
  for (size_t i = text.size(); i-- > 0;) {
    if (i + 2 < text.size() && text[i] == '(' && text[i + 1] >= 'A' && text[i + 1] <= 'E' && text[i + 2] == ')') {
      out->Add(std::string(1, text[i + 1]), AnswerSource::kOption);
      return;
    }
  }
  const std::string lower = ToLower(text);
  for (std::string_view w : {"option ", "choice "}) {
    const size_t at = lower.rfind(w);
    if (at != npos && at + w.size() < text.size()) {
      const char letter = text[at + w.size()];
      if (letter >= 'A' && letter <= 'E' && (at + w.size() + 1 == text.size() || !IsAlpha(text[at + w.size() + 1]))) {
        out->Add(std::string(1, letter), AnswerSource::kOption);
        return;
      }
    }
  }
}

// A bare answer: nothing but math, numbers, single letters and connectors outside
// the math regions and boxes ("5,15", "$(1,1)$, $(3,2)$", "\frac{10}{9}", "Even").
bool IsBare(const Document& doc) {
  const std::string_view text = doc.text;
  if (Trim(text).empty()) return false;
  size_t r = 0, b = 0;
  int words = 0;
  bool long_word = false;
  bool symbols = false;  // digits or punctuation: "**Answer:** 42" is not a word answer
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % 4096 == 0) doc.deadline->Check();
    while (r < doc.regions.size() && doc.regions[r].outer.end <= i) ++r;
    while (b < doc.boxes.size() && doc.boxes[b].outer.end <= i) ++b;
    if (r < doc.regions.size() && doc.regions[r].outer.begin == i) {
      i = doc.regions[r].outer.end - 1;
      continue;
    }
    if (b < doc.boxes.size() && doc.boxes[b].outer.begin == i) {
      i = doc.boxes[b].outer.end - 1;
      continue;
    }
    const char c = text[i];
    if (c == '\\') {  // a command: part of the math
      ++i;
      while (i + 1 < text.size() && IsAlpha(text[i + 1])) ++i;
      continue;
    }
    if (!IsAlpha(c)) {
      if (!IsSpace(c) && c != '$' && c != '{' && c != '}') symbols = true;
      if (c == '\n') {  // a blank line separates paragraphs: prose
        size_t k = i + 1;
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r')) ++k;
        if (k < text.size() && text[k] == '\n') return false;
      }
      continue;
    }
    size_t e = i;
    while (e < text.size() && IsAlpha(text[e])) ++e;
    const std::string word = ToLower(text.substr(i, e - i));
    if (word != "and" && word != "or") {
      ++words;
      if (word.size() > 1) long_word = true;
    }
    i = e - 1;
  }
  // One word alone is a word answer ("Even"); a word among math is prose.
  if (long_word) return words == 1 && !symbols && doc.regions.empty() && doc.boxes.empty() && text.size() <= 40;
  return true;
}

void AddBare(const Document& doc, Collector* out) {
  if (!doc.regions.empty()) {
    std::string joined;
    for (const MathRegion& region : doc.regions) {
      const std::string one = CleanCandidate(Slice(doc.text, region.inner));
      if (one.empty()) continue;
      if (!joined.empty()) joined += ", ";
      joined += one;
    }
    // A bare derivation over several rows ends with its answer.
    const std::string_view inner = Slice(doc.text, doc.regions[0].inner);
    const bool derivation = doc.regions.size() == 1 && inner.find("\\\\") != npos;
    if (derivation) out->Add(ValueAfterLastEquals(inner), AnswerSource::kWhole);
    out->Add(joined, AnswerSource::kWhole);
    if (doc.regions.size() == 1) out->Add(ValueAfterLastEquals(inner), AnswerSource::kWhole);
    return;
  }
  std::string whole;
  int depth = 0;
  for (char c : Trim(doc.text)) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c != '$') whole.push_back(c);
  }
  if (depth != 0) return;  // "\boxed{": a fragment, not an answer
  out->Add(CleanCandidate(whole), AnswerSource::kWhole);
}

}  // namespace

const char* AnswerSourceName(AnswerSource source) {
  switch (source) {
    case AnswerSource::kBoxed: return "boxed";
    case AnswerSource::kFinalAnswerPhrase: return "final_answer_phrase";
    case AnswerSource::kGsm8kMarker: return "gsm8k_marker";
    case AnswerSource::kBold: return "bold";
    case AnswerSource::kLatexMath: return "latex_math";
    case AnswerSource::kOption: return "option";
    case AnswerSource::kPlainNumber: return "plain_number";
    case AnswerSource::kWhole: return "whole";
  }
  return "unknown";
}

std::vector<AnswerCandidate> ExtractAnswers(std::string_view response, const Deadline& deadline) {
  Collector out;
  Document doc;
  doc.deadline = &deadline;
  doc.text = response;
  bool thinking = false;
  const size_t think_end = response.rfind("</think>");
  if (think_end != npos) {
    doc.text = response.substr(think_end + 8);
  } else if (response.find("<think>") != npos) {
    thinking = true;  // unclosed: still thinking; only a box counts
  }
  doc.boxes = FindBoxes(doc.text, deadline);
  if (thinking) {
    AddBoxed(doc, &out);
    return out.Take();
  }
  doc.regions = FindMathRegions(doc.text, deadline);

  const bool bare = IsBare(doc);
  AddBoxed(doc, &out);
  if (bare) AddBare(doc, &out);
  AddGsm8k(doc, &out);

  // The final statements: the last sentences that could hold an answer.
  const std::vector<Span> sentences = SplitSentences(doc.text, {0, doc.text.size()}, doc.regions, deadline);
  std::vector<Span> finals;
  for (size_t s = sentences.size(); s-- > 0 && finals.size() < 3;) {
    if (!IsJunkSentence(doc, sentences[s])) finals.push_back(sentences[s]);
  }

  // Answers marked as such: a phrase and a bold formula; the later one wins.
  const std::string lower = ToLower(doc.text);
  const auto [phrase, statement_begin] = FindAnswerPhrase(doc, lower);
  const size_t bold = finals.empty() ? npos : LastBoldRegion(doc, finals.back().begin);
  const bool bold_first = bold != npos && (phrase == npos || doc.regions[bold].outer.begin > phrase);
  if (bold_first) AddMath(Slice(doc.text, doc.regions[bold].inner), AnswerSource::kBold, &out);
  if (phrase != npos) AddPhrase(doc, StatementFrom(doc, statement_begin), &out);
  if (bold != npos && !bold_first) AddMath(Slice(doc.text, doc.regions[bold].inner), AnswerSource::kBold, &out);
  AddMarkdownBold(doc, &out);

  if (!sentences.empty()) AddOption(doc, sentences.back(), &out);
  for (const Span& sentence : finals) AddStatement(doc, sentence, AnswerSource::kLatexMath, &out);
  // Competition solutions often open with the result ("$E(6,2)=3$.", "The largest
  // such is $k=2$."): a weak candidate, after the final statements.
  if (sentences.size() > finals.size()) AddStatement(doc, sentences.front(), AnswerSource::kLatexMath, &out);
  if (!doc.regions.empty()) AddMath(Slice(doc.text, doc.regions.back().inner), AnswerSource::kLatexMath, &out);
  const auto numbers = FindNumbers(doc.text, {0, doc.text.size()}, deadline);
  if (!numbers.empty()) out.Add(numbers.back().value, AnswerSource::kPlainNumber);
  return out.Take();
}

}  // namespace rmg::math
