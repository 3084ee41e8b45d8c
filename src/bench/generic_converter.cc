#include "bench/generic_converter.h"

#include <algorithm>
#include <stdexcept>

#include "bench/record_fields.h"

namespace rmg::bench {
namespace {

std::vector<std::string> SplitPath(const std::string& text) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    segments.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return segments;
    start = dot + 1;
  }
}

// The first `count` segments of `path`, joined by dots.
std::string JoinPath(const std::vector<std::string>& path, size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += (i == 0 ? "" : ".") + path[i];
  return text;
}

std::string JoinPath(const std::vector<std::string>& path) { return JoinPath(path, path.size()); }

bool IsIndex(const std::string& segment) {
  return !segment.empty() && segment.size() < 10 &&
         std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The value at `path` in `record`; the error names the path up to the segment
// that could not be followed.
const Json& Lookup(const Json& record, const std::vector<std::string>& path) {
  const Json* value = &record;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = path[i];
    const Json* next = nullptr;
    std::string why = "missing";
    if (value->is_array() && IsIndex(segment)) {
      const size_t index = std::stoul(segment);
      if (index < value->size()) next = &(*value)[index];
      why += " (the array has " + std::to_string(value->size()) + " items)";
    } else if (value->is_object()) {
      const auto it = value->find(segment);
      if (it != value->end()) next = &*it;
    } else if (value->is_array()) {
      why += " (" + JoinPath(path, i) + " is an array, and '" + segment + "' is not a 0-based index)";
    } else {
      why += " (" + JoinPath(path, i) + " is not an object" + (IsIndex(segment) ? " or array)" : ")");
    }
    if (next == nullptr) BadField(JoinPath(path, i + 1), why);
    value = next;
  }
  return *value;
}

}  // namespace

FieldMapping FieldMapping::Parse(const std::vector<std::string>& entries) {
  FieldMapping mapping;
  std::vector<std::string> targets;
  for (const std::string& entry : entries) {
    const size_t equals = entry.find('=');
    const std::string target = entry.substr(0, equals);
    const std::string path = equals == std::string::npos ? "" : entry.substr(equals + 1);
    if (equals == std::string::npos || path.empty()) {
      throw std::invalid_argument("--map " + entry + ": expected TARGET=PATH");
    }
    if (std::find(targets.begin(), targets.end(), target) != targets.end()) {
      throw std::invalid_argument("--map " + entry + ": " + target + " is mapped twice");
    }
    targets.push_back(target);
    Path segments = SplitPath(path);
    if (std::find(segments.begin(), segments.end(), "") != segments.end()) {
      throw std::invalid_argument("--map " + entry + ": empty segment in the path");
    }
    mapping.mapped_fields_.push_back(segments[0]);
    if (target == "input") {
      mapping.input_ = std::move(segments);
    } else if (target == "output") {
      mapping.output_ = std::move(segments);
    } else if (target == "id") {
      mapping.id_ = std::move(segments);
    } else if (target.rfind("label.", 0) == 0 && target.size() > 6) {
      mapping.labels_.emplace_back(target.substr(6), std::move(segments));
    } else {
      throw std::invalid_argument("--map " + entry + ": unknown target '" + target +
                                  "' (known: input, output, id, label.KEY)");
    }
  }
  if (mapping.input_.empty()) throw std::invalid_argument("--map: input=PATH is required");
  if (mapping.output_.empty()) throw std::invalid_argument("--map: output=PATH is required");
  return mapping;
}

DataSample FieldMapping::Convert(const Json& record) const {
  CheckObject(record);
  DataSample sample;
  if (id_.empty()) {
    sample.unique_id = "generic/" + ContentKey({record.dump()});
  } else {
    const Json& id = Lookup(record, id_);
    if (!id.is_string() && !id.is_number_integer()) BadField(JoinPath(id_), "expected a string or an integer");
    sample.unique_id = "generic/" + (id.is_string() ? id.get<std::string>() : id.dump());
  }
  const Json& input = Lookup(record, input_);
  if (input.is_string()) {
    sample.input.emplace_back().content = input.get<std::string>();
  } else if (input.is_array()) {
    sample.input = MessagesOf(input, JoinPath(input_));
  } else {
    BadField(JoinPath(input_), "expected a string or a list of messages");
  }
  Json label = Json::object();
  for (const auto& [key, path] : labels_) label[key] = Lookup(record, path);
  const Json& output = Lookup(record, output_);
  const bool one = output.is_string();
  if (!one && !output.is_array()) BadField(JoinPath(output_), "expected a string or a list of strings");
  for (size_t i = 0; i < (one ? 1 : output.size()); ++i) {
    const Json& text = one ? output : output[i];
    if (!text.is_string()) BadField(JoinPath(output_) + "." + std::to_string(i), "expected a string");
    AddAnswer(sample, text.get<std::string>(), label.empty() ? Json() : label);
  }
  Json metadata = Json::object();
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (std::find(mapped_fields_.begin(), mapped_fields_.end(), it.key()) == mapped_fields_.end()) {
      metadata[it.key()] = *it;
    }
  }
  sample.metadata = std::move(metadata);
  return sample;
}

}  // namespace rmg::bench
