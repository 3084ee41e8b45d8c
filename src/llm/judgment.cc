#include "llm/judgment.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "llm/output_schema.h"
#include "text/unicode.h"

namespace rmg::llm {
namespace {

bool IsDecoration(char c) {
  return text::IsAsciiPythonSpace(static_cast<unsigned char>(c)) || std::string_view("*_`\"'[]().:#").find(c) != std::string_view::npos;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// True when `text` starts with `word` (one or more words), ignoring ASCII case, and the
// match ends at a word's end.
bool StartsWithWordIgnoringCase(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (AsciiLower(text[i]) != AsciiLower(word[i])) return false;
  }
  return text.size() == word.size() || !IsAsciiLetter(text[word.size()]);
}

std::string_view TrimSpace(std::string_view text) { return text::StripPythonSpace(text); }

// The field's text, or an error judgment naming the missing tag.
const std::string* FindField(const ReplyTags& tags, std::string_view field, Judgment* judgment) {
  judgment->reason = ReasonText(tags);
  const auto it = tags.find(std::string(field));
  if (it == tags.end()) {
    judgment->error = "reply has no <" + std::string(field) + "> tag";
    return nullptr;
  }
  return &it->second;
}

Judgment Fail(Judgment judgment, std::string error) {
  judgment.ok = false;
  judgment.error = std::move(error);
  return judgment;
}

// Shortest round-trip text of a number: "1", "0.5", "10".
std::string ShortNumber(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

bool ParseIndex(std::string_view digits, size_t* value) {
  if (digits.empty() || digits.size() > 9) return false;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *value);
  return ec == std::errc() && end == digits.data() + digits.size();
}

// One entry of a violation list: a rubric number or a text.
struct ListItem {
  bool is_index = false;
  size_t index = 0;
  std::string text;
  bool bare = false;  // from a list without Python syntax (ParseBareItems)
};

// The index of the rubric a list entry names: the rubric's first words
// ("Inquiring"), or the rubric's title (before its ':') followed by a comment; -1
// when it names none.
int RubricNamed(std::string_view entry, const std::vector<std::string>& rubrics) {
  while (!entry.empty() && entry.back() == '.') entry.remove_suffix(1);
  if (entry.empty()) return -1;
  for (size_t i = 0; i < rubrics.size(); ++i) {
    const std::string_view rubric = rubrics[i];
    const std::string_view title = TrimSpace(rubric.substr(0, rubric.find(':')));
    if (StartsWithWordIgnoringCase(rubric, entry) || (!title.empty() && StartsWithWordIgnoringCase(entry, title))) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// A Python string literal body starting after its opening quote at text[*pos - 1];
// leaves *pos after the closing quote. Only the escapes a model is likely to write
// are decoded; others keep their backslash, as Python does for unknown escapes.
bool ReadQuoted(std::string_view text, size_t* pos, char quote, std::string* out) {
  for (size_t i = *pos; i < text.size(); ++i) {
    const char c = text[i];
    if (c == quote) {
      *pos = i + 1;
      return true;
    }
    if (c != '\\' || i + 1 == text.size()) {
      out->push_back(c);
      continue;
    }
    const char next = text[++i];
    switch (next) {
      case 'n': out->push_back('\n'); break;
      case 't': out->push_back('\t'); break;
      case '\\': case '\'': case '"': out->push_back(next); break;
      default: out->push_back('\\'); out->push_back(next);
    }
  }
  return false;
}

// Comma-separated quoted strings and integers, an optional trailing comma: the body
// of a Python list literal. False when `text` is anything else.
bool ParseLiteralItems(std::string_view text, std::vector<ListItem>* items) {
  size_t pos = 0;
  const auto skip_space = [&] {
    while (pos < text.size() && text::IsAsciiPythonSpace(static_cast<unsigned char>(text[pos]))) ++pos;
  };
  skip_space();
  while (pos < text.size()) {
    ListItem item;
    const char c = text[pos];
    if (c == '"' || c == '\'') {
      ++pos;
      if (!ReadQuoted(text, &pos, c, &item.text)) return false;
    } else {
      const size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (!ParseIndex(text.substr(start, pos - start), &item.index)) return false;
      item.is_index = true;
    }
    items->push_back(std::move(item));
    skip_space();
    if (pos == text.size()) break;
    if (text[pos] != ',') return false;
    ++pos;
    skip_space();
  }
  return true;
}

// A list a model wrote without Python syntax: one entry per line (bullets allowed),
// or comma separated on a single line. A bare number is a rubric number.
std::vector<ListItem> ParseBareItems(std::string_view text) {
  const char separator = text.find('\n') != std::string_view::npos ? '\n' : ',';
  std::vector<ListItem> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = TrimSpace(text.substr(start, end - start));
    start = end + 1;
    if (entry.size() >= 2 && (entry[0] == '-' || entry[0] == '*') && entry[1] == ' ') entry = TrimSpace(entry.substr(2));
    if (!entry.empty() && entry.back() == ',') entry = TrimSpace(entry.substr(0, entry.size() - 1));
    if (entry.size() >= 2 && (entry[0] == '"' || entry[0] == '\'') && entry.back() == entry[0]) {
      entry = entry.substr(1, entry.size() - 2);
    }
    if (entry.size() >= 2 && entry[0] == '#' && entry[1] >= '0' && entry[1] <= '9') entry.remove_prefix(1);
    if (entry.empty()) continue;
    ListItem item;
    item.bare = true;
    item.is_index = ParseIndex(entry, &item.index);
    if (!item.is_index) item.text = std::string(entry);
    items.push_back(std::move(item));
  }
  return items;
}

// `text` without Python comments: from a '#' outside quotes to the end of its line,
// unless a digit follows it ("#2" is a model's way to write rubric 2).
std::string WithoutComments(std::string_view text) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);  // an escaped quote does not end the string
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '#' && !(i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else {
      if (c == '"' || c == '\'') quote = c;
      out.push_back(c);
    }
  }
  return out;
}

// True when a list entry that names no rubric reads as Python rather than prose:
// brackets, braces, quotes, '=' or a comprehension's " for ".
bool LooksLikeCode(std::string_view entry) {
  return entry.find_first_of("[](){}='\"") != std::string_view::npos || entry.find(" for ") != std::string_view::npos;
}

struct ViolationList {
  std::vector<ListItem> items;
  // Written as a Python list, set or tuple: every entry must then be readable.
  bool bracketed = false;
};

ViolationList ParseViolationList(std::string_view body) {
  std::string_view text = TrimSpace(body);
  for (std::string_view none : {"none", "null", "n/a"}) {
    if (StartsWithWordIgnoringCase(text, none) && text.size() == none.size()) return {};
  }
  ViolationList list;
  std::string uncommented;
  if (!text.empty() && (text.front() == '[' || text.front() == '(' || text.front() == '{')) {
    uncommented = WithoutComments(text);
    text = TrimSpace(uncommented);
    const char close = text.front() == '[' ? ']' : text.front() == '(' ? ')' : '}';
    if (text.size() >= 2 && text.back() == close) {
      text = text.substr(1, text.size() - 2);
      list.bracketed = true;
    }
  }
  if (!ParseLiteralItems(text, &list.items)) {
    list.items = ParseBareItems(text);
  }
  return list;
}

}  // namespace

std::string_view NormalizeVerdict(std::string_view text) {
  while (true) {
    // A '.' before a digit is a number's (".5"), not punctuation.
    while (!text.empty() && IsDecoration(text.front()) &&
           !(text.front() == '.' && text.size() > 1 && text[1] >= '0' && text[1] <= '9')) {
      text.remove_prefix(1);
    }
    while (!text.empty() && IsDecoration(text.back())) text.remove_suffix(1);
    bool stripped = false;
    for (std::string_view word : {"answer", "response", "option", "score"}) {
      if (text.size() > word.size() && StartsWithWordIgnoringCase(text, word)) {
        text.remove_prefix(word.size());
        stripped = true;
        break;
      }
    }
    if (!stripped) return text;
  }
}

Judgment InterpretBest(const ReplyTags& tags, size_t answer_count, std::string_view field) {
  Judgment judgment;
  const std::string* body = FindField(tags, field, &judgment);
  if (body == nullptr) return judgment;
  size_t best = 0;
  if (!ParseIndex(NormalizeVerdict(*body), &best)) {
    return Fail(std::move(judgment), "<" + std::string(field) + "> is not an answer number: \"" + *body + "\"");
  }
  if (best < 1 || best > answer_count) {
    return Fail(std::move(judgment), "<" + std::string(field) + "> is " + std::to_string(best) +
                                         ", not an answer number in 1.." + std::to_string(answer_count));
  }
  judgment.ok = true;
  judgment.rank.assign(answer_count, 0.0);
  judgment.rank[best - 1] = 1.0;
  return judgment;
}

Judgment InterpretViolations(const ReplyTags& tags, const std::vector<std::string>& rubrics, std::string_view field) {
  Judgment judgment;
  const std::string* body = FindField(tags, field, &judgment);
  if (body == nullptr) return judgment;
  std::set<std::string> seen;
  ViolationList list = ParseViolationList(*body);
  for (ListItem& item : list.items) {
    int rubric = item.is_index ? -1 : RubricNamed(item.text, rubrics);
    if (item.bare && !item.is_index && rubric < 0) {
      // Prose ("None.", "[No violations]") is no violation: RM-Gallery's eval() of it
      // fails, which it reads as an empty list. Code in brackets that rmg cannot read
      // (a comprehension, a subscript, a dict) must not pass for "nothing violated".
      if (!list.bracketed || !LooksLikeCode(item.text)) continue;
      return Fail(std::move(judgment),
                  "<" + std::string(field) + "> is not a list of rubrics rmg can read: \"" + *body + "\"");
    }
    if (item.is_index) {
      if (item.index < 1 || item.index > rubrics.size()) {
        return Fail(std::move(judgment), "<" + std::string(field) + "> names rubric " + std::to_string(item.index) +
                                             " of " + std::to_string(rubrics.size()));
      }
      rubric = static_cast<int>(item.index - 1);
      item.text = rubrics[item.index - 1];
    }
    // A rubric violated is violated once, however often or in whatever words the reply
    // names it (RM-Gallery's len(violation) counts [1, 1] twice).
    const std::string key = rubric >= 0 ? rubrics[rubric] : item.text;
    if (seen.insert(key).second) judgment.violations.push_back(std::move(item.text));
  }
  const double violated = static_cast<double>(judgment.violations.size());
  if (rubrics.empty()) {
    judgment.score = violated == 0 ? 1.0 : 0.0;
  } else {
    judgment.score = std::clamp(1.0 - violated / static_cast<double>(rubrics.size()), 0.0, 1.0);
  }
  judgment.ok = true;
  return judgment;
}

Judgment InterpretPreference(const ReplyTags& tags, std::string_view field) {
  Judgment judgment;
  const std::string* body = FindField(tags, field, &judgment);
  if (body == nullptr) return judgment;
  const std::string_view choice = NormalizeVerdict(*body);
  if (choice == "A" || choice == "a") {
    judgment.rank = {1.0, 0.0};
  } else if (choice == "B" || choice == "b") {
    judgment.rank = {0.0, 1.0};
  } else if (StartsWithWordIgnoringCase(choice, "tie") && choice.size() == 3) {
    judgment.rank = {0.5, 0.5};
  } else {
    return Fail(std::move(judgment), "<" + std::string(field) + "> is not A, B or tie: \"" + *body + "\"");
  }
  judgment.ok = true;
  return judgment;
}

Judgment InterpretScale(const ReplyTags& tags, double min, double max, std::string_view field) {
  Judgment judgment;
  const std::string* body = FindField(tags, field, &judgment);
  if (body == nullptr) return judgment;
  const auto parse = [](std::string_view text, double* value) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
    return !text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(*value);
  };
  std::string_view number = NormalizeVerdict(*body);
  double denominator = 0.0;  // "n/d": n out of d, brought to the scale's max
  if (const size_t slash = number.find('/'); slash != std::string_view::npos) {
    if (!parse(NormalizeVerdict(number.substr(slash + 1)), &denominator) || denominator <= 0) {
      return Fail(std::move(judgment), "<" + std::string(field) + "> is not a number: \"" + *body + "\"");
    }
    number = NormalizeVerdict(number.substr(0, slash));
  }
  double value = 0.0;
  if (!parse(number, &value)) {
    return Fail(std::move(judgment), "<" + std::string(field) + "> is not a number: \"" + *body + "\"");
  }
  if (denominator > 0) value = value / denominator * max;
  if (value < min || value > max) {
    return Fail(std::move(judgment), "<" + std::string(field) + "> is " + ShortNumber(value) + ", outside " +
                                         ShortNumber(min) + ".." + ShortNumber(max));
  }
  judgment.score = (value - min) / (max - min);
  judgment.ok = true;
  return judgment;
}

}  // namespace rmg::llm
