#include "math/extract_statement.h"

#include <algorithm>
#include <utility>

namespace rmg::math::extract_internal {

namespace {

constexpr size_t npos = std::string_view::npos;

}  // namespace

bool IsConnectorGap(std::string_view text, Span span) {
  if (span.end < span.begin || span.end - span.begin > 120) return false;
  const std::string lower = text::LowerAscii(Slice(text, span));
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
      if (name == "hspace") {  // its length, "{1em}" or "*{0.5cm}", says nothing
        if (e < lower.size() && lower[e] == '*') ++e;
        const size_t close = e < lower.size() && lower[e] == '{' ? lower.find('}', e) : std::string::npos;
        i = close != std::string::npos && close - e <= 16 ? close + 1 : e;
        continue;
      }
      if (name == "quad" || name == "qquad" || name == "text" || name == "mbox" || name == "mathrm" ||
          name == "textrm" || name == "hfill" || name == "enspace") {
        i = e;
        continue;
      }
      return false;
    }
    if (IsAlpha(c)) {
      size_t e = i;
      while (e < lower.size() && IsAlpha(lower[e])) ++e;
      const std::string_view word = std::string_view(lower).substr(i, e - i);
      if (word == "and" || word == "or") {
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

namespace {

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
    const std::string gap = text::LowerAscii(
        doc.text.substr(doc.regions[r - 1].outer.end, doc.regions[r].outer.begin - doc.regions[r - 1].outer.end));
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

}  // namespace

// One region as AddMath does; several joined with ", " (each by its value after "="
// when it has one: "$n=5$ or $n=15$" -> "5, 15").
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

// Candidates from one statement: after its last copula ("is", "are", "=", ...) the
// first chain of math regions or the first number; then its last region and its last
// number.
void AddStatement(const Document& doc, Span span, AnswerSource source, Collector* out) {
  const std::string lower = text::LowerAscii(Slice(doc.text, span));
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

}  // namespace rmg::math::extract_internal
