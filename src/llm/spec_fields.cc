#include "llm/spec_fields.h"

#include <algorithm>
#include <stdexcept>

namespace rmg::llm {

SpecFields::SpecFields(const Json& node, std::string origin, std::initializer_list<std::string_view> known)
    : node_(node), origin_(std::move(origin)) {
  if (!node_.is_object()) throw std::runtime_error(origin_ + ": expected a mapping of fields");
  for (const auto& [key, value] : node_.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) Fail(key, "unknown field");
  }
}

const Json* SpecFields::Find(std::string_view key) const {
  const auto it = node_.find(std::string(key));
  return it == node_.end() || it->is_null() ? nullptr : &*it;
}

std::string SpecFields::String(std::string_view key, bool required, std::string fallback) const {
  const Json* value = Find(key);
  if (value == nullptr) {
    if (required) Fail(key, "missing");
    return fallback;
  }
  if (!value->is_string()) Fail(key, "expected a string");
  return value->get<std::string>();
}

std::vector<std::string> SpecFields::StringList(std::string_view key, bool required) const {
  const Json* value = Find(key);
  if (value == nullptr) {
    if (required) Fail(key, "missing");
    return {};
  }
  const auto is_string = [](const Json& item) { return item.is_string(); };
  if (!value->is_array() || !std::all_of(value->begin(), value->end(), is_string)) {
    Fail(key, "expected a list of strings");
  }
  return value->get<std::vector<std::string>>();
}

std::string SpecFields::Mode() const {
  std::string mode = String("mode", true);
  if (mode != "pointwise" && mode != "listwise" && mode != "pairwise") {
    Fail("mode", "expected pointwise, listwise or pairwise, got \"" + mode + "\"");
  }
  return mode;
}

void SpecFields::Fail(std::string_view field, std::string_view problem) const {
  throw std::runtime_error(origin_ + ": " + std::string(field) + ": " + std::string(problem));
}

}  // namespace rmg::llm
