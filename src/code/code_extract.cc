#include "code/code_extract.h"

#include <vector>

namespace rmg::code {
namespace {

struct Fence {
  std::string_view tag;   // the text after the opening ``` up to the newline, trimmed
  std::string_view body;  // between the tag line and the closing fence
  bool closed = true;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool IsPythonTag(std::string_view tag) {
  return tag == "python" || tag == "py" || tag == "python3" || tag == "Python";
}

// Fences are paired in order of appearance: opening, closing, opening, ...
std::vector<Fence> FindFences(std::string_view text) {
  std::vector<Fence> fences;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("```", pos);
    if (open == std::string_view::npos) break;
    const size_t tag_start = open + 3;
    const size_t line_end = text.find('\n', tag_start);
    if (line_end == std::string_view::npos) break;  // a fence with no body
    Fence fence;
    fence.tag = Trim(text.substr(tag_start, line_end - tag_start));
    const size_t body_start = line_end + 1;
    const size_t close = text.find("```", body_start);
    if (close == std::string_view::npos) {
      fence.body = text.substr(body_start);
      fence.closed = false;
      fences.push_back(fence);
      break;
    }
    fence.body = text.substr(body_start, close - body_start);
    fences.push_back(fence);
    pos = close + 3;
  }
  return fences;
}

std::string WithoutTrailingNewline(std::string_view body) {
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
  return std::string(body);
}

}  // namespace

std::string ExtractSolutionCode(std::string_view text) {
  const std::vector<Fence> fences = FindFences(text);
  for (size_t i = fences.size(); i-- > 0;) {
    if (IsPythonTag(fences[i].tag)) return WithoutTrailingNewline(fences[i].body);
  }
  // Only a closed fence of another language counts: an unclosed one is more likely
  // prose that happens to contain ```.
  for (size_t i = fences.size(); i-- > 0;) {
    if (fences[i].closed) return WithoutTrailingNewline(fences[i].body);
  }
  return std::string(text);
}

}  // namespace rmg::code
