#include "math/extract.h"

#include <algorithm>
#include <utility>

#include "math/extract_scan.h"
#include "math/extract_statement.h"

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

using extract_internal::AddChain;
using extract_internal::AddMath;
using extract_internal::AddStatement;
using extract_internal::ChainEnd;
using extract_internal::Collector;
using extract_internal::Document;
using extract_internal::FirstRegionFrom;
using extract_internal::IsConnectorGap;
using extract_internal::Slice;
using extract_internal::WordAt;

namespace {

constexpr size_t npos = std::string_view::npos;

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
  const std::string tail = text::LowerAscii(doc.text.substr(after, 8));
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
  const std::string lower = text::LowerAscii(text.substr(0, 40));
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
  if (text::LowerAscii(body).find("answer") != npos) return;
  if (std::count(body.begin(), body.end(), ' ') > 5) return;  // a heading, not an answer
  std::string stripped;
  for (char c : body) {
    if (c != '$') stripped.push_back(c);
  }
  out->Add(CleanCandidate(stripped), AnswerSource::kBold);
}

// True when text[at] starts an option "(A)".."(E)".
bool IsOptionAt(std::string_view text, size_t at) {
  return at + 2 < text.size() && text[at] == '(' && text[at + 1] >= 'A' && text[at + 1] <= 'E' && text[at + 2] == ')';
}

// "(C)", "option C", "choice C" in the final statement; none for "(A) or (C)", two
// guesses of which a reward would credit the last.
void AddOption(const Document& doc, Span span, Collector* out) {
  const std::string_view text = Slice(doc.text, span);
  for (size_t i = text.size(); i-- > 0;) {
    if (IsOptionAt(text, i)) {
      std::string_view before = Trim(text.substr(0, i));
      if (before.ends_with("/") ||
          (before.ends_with("or") && (before.size() == 2 || !IsAlpha(before[before.size() - 3])))) {
        before = Trim(before.substr(0, before.size() - (before.ends_with("/") ? 1 : 2)));
        if (before.size() >= 3 && IsOptionAt(before, before.size() - 3)) return;
      }
      out->Add(std::string(1, text[i + 1]), AnswerSource::kOption);
      return;
    }
  }
  const std::string lower = text::LowerAscii(text);
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
    const std::string word = text::LowerAscii(text.substr(i, e - i));
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
  const std::string lower = text::LowerAscii(doc.text);
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
