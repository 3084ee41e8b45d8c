#include "data/field_path.h"

#include <charconv>

namespace rmg {

std::vector<std::string> SplitFieldPath(std::string_view path) {
  std::vector<std::string> parts;
  while (true) {
    const size_t dot = path.find('.');
    parts.emplace_back(path.substr(0, dot));
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  return parts;
}

const Json* FindFieldPart(const Json& node, std::string_view part) {
  if (node.is_object()) {
    const auto it = node.find(part);
    return it == node.end() ? nullptr : &*it;
  }
  if (!node.is_array()) return nullptr;
  size_t index = 0;
  const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), index);
  if (error != std::errc() || end != part.data() + part.size() || index >= node.size()) return nullptr;
  return &node[index];
}

const Json* FindField(const Json& record, const std::vector<std::string>& parts) {
  const Json* node = &record;
  for (const std::string& part : parts) {
    node = FindFieldPart(*node, part);
    if (node == nullptr) return nullptr;
  }
  return node;
}

}  // namespace rmg
