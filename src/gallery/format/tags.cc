#include "gallery/format/tags.h"

#include "text/unicode.h"

namespace rmg::gallery {

bool HasTagPair(std::string_view text, std::string_view open, std::string_view close) {
  const size_t start = text.find(open);
  return start != std::string_view::npos && text.find(close, start + open.size()) != std::string_view::npos;
}

std::vector<std::string_view> TagBodies(std::string_view text, std::string_view open, std::string_view close) {
  std::vector<std::string_view> bodies;
  size_t pos = 0;
  while (true) {
    const size_t start = text.find(open, pos);
    if (start == std::string_view::npos) break;
    const size_t body = start + open.size();
    const size_t end = text.find(close, body);
    if (end == std::string_view::npos) break;
    bodies.push_back(text.substr(body, end - body));
    pos = end + close.size();
  }
  return bodies;
}

size_t CountOccurrences(std::string_view text, std::string_view needle) {
  if (needle.empty()) return 0;
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

bool IsAllSpace(std::string_view text) { return text::StripPythonSpace(text).empty(); }

}  // namespace rmg::gallery
