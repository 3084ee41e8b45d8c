#include "llm/output_schema.h"

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/token_key.h"
#include "text/unicode.h"

namespace rmg::llm {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

// A tag at text[pos] == '<': its name, whether it closes, and where it ends.
struct TagAt {
  std::string_view name;
  bool closing = false;
  size_t end = 0;  // one past '>'
};

bool ReadTag(std::string_view text, size_t pos, TagAt* tag) {
  size_t i = pos + 1;
  tag->closing = i < text.size() && text[i] == '/';
  if (tag->closing) ++i;
  const size_t name_start = i;
  if (i >= text.size() || !IsNameStart(text[i])) return false;
  while (i < text.size() && IsNameChar(text[i])) ++i;
  if (i >= text.size() || text[i] != '>') return false;
  tag->name = text.substr(name_start, i - name_start);
  tag->end = i + 1;
  return true;
}

}  // namespace

bool IsTagName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

OutputField ReasonField() { return {"reason", "your reasoning trace"}; }

std::string RenderOutputSchema(const std::vector<OutputField>& fields, bool enable_thinking) {
  std::string out = "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n";
  for (const OutputField& field : fields) {
    if (enable_thinking && field.name == "reason") continue;
    out += "<" + field.name + ">\n" + field.description + "\n</" + field.name + ">\n";
  }
  return out;
}

std::map<std::string, std::string> ParseOutputTags(std::string_view text) {
  // Every complete pair, a close tag taking the nearest open tag of its name before it.
  // The names come from a model's output, hence the seeded hash.
  struct Pair {
    std::string_view name;
    size_t body = 0;   // one past the open tag's '>'
    size_t close = 0;  // the close tag's '<'
  };
  std::unordered_map<std::string_view, std::vector<size_t>, text::TokenHash> open;  // bodies not yet closed
  std::vector<Pair> pairs;
  size_t pos = text.find('<');
  while (pos != std::string_view::npos) {
    TagAt tag;
    if (!ReadTag(text, pos, &tag)) {
      pos = text.find('<', pos + 1);
      continue;
    }
    if (!tag.closing) {
      open[tag.name].push_back(tag.end);
    } else if (auto it = open.find(tag.name); it != open.end() && !it->second.empty()) {
      pairs.push_back({tag.name, it->second.back(), pos});
      it->second.pop_back();
    }
    pos = text.find('<', tag.end);
  }
  // A pair inside a <reason> or <think> body is what the reasoning quotes ("my draft said
  // <best>1</best>"), not a field of the reply; inside any other tag (an <answer>
  // wrapper, say) it is one. In the order the pairs open, one that closes before a
  // reasoning pair opened earlier closes lies inside it. Of the rest, the pair of each
  // name that closes last wins.
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.body < b.body; });
  std::unordered_map<std::string_view, const Pair*, text::TokenHash> last;
  size_t reasoning_reach = 0;  // the furthest close of the reasoning pairs opened so far
  for (const Pair& pair : pairs) {
    if (pair.close < reasoning_reach) continue;
    if (pair.name == "reason" || pair.name == "think") reasoning_reach = pair.close;
    const Pair*& kept = last[pair.name];
    if (kept == nullptr || kept->close < pair.close) kept = &pair;
  }
  std::map<std::string, std::string> tags;
  for (const auto& [name, pair] : last) {
    tags.emplace(std::string(name),
                 std::string(text::StripPythonSpace(text.substr(pair->body, pair->close - pair->body))));
  }
  return tags;
}

std::string ReasonText(const std::map<std::string, std::string>& tags) {
  if (auto it = tags.find("think"); it != tags.end() && !it->second.empty()) return it->second;
  if (auto it = tags.find("reason"); it != tags.end()) return it->second;
  return "";
}

ThinkingSplit SplitThinking(std::string_view content) {
  constexpr std::string_view kOpen = "<think>";
  constexpr std::string_view kClose = "</think>";
  size_t start = 0;
  while (start < content.size() && text::IsAsciiPythonSpace(static_cast<unsigned char>(content[start]))) ++start;
  if (content.substr(start, kOpen.size()) == kOpen) {
    const size_t body = start + kOpen.size();
    const size_t close = content.find(kClose, body);
    if (close == std::string_view::npos) return {content.substr(body), {}};
    return {content.substr(body, close - body), content.substr(close + kClose.size())};
  }
  const size_t close = content.find(kClose);
  if (close != std::string_view::npos && content.substr(0, close).find(kOpen) == std::string_view::npos) {
    return {content.substr(0, close), content.substr(close + kClose.size())};
  }
  return {{}, content};
}

}  // namespace rmg::llm
