#include "bench/record_fields.h"

#include <utility>

#include "rmg/sample_io.h"

namespace rmg::bench {

void BadField(std::string_view field, std::string_view why) {
  throw SchemaError(std::string(field) + ": " + std::string(why));
}

void CheckObject(const Json& record) {
  if (!record.is_object()) BadField("record", "expected a JSON object");
}

const Json& Field(const Json& record, const char* field) {
  const auto it = record.find(field);
  if (it == record.end()) BadField(field, "missing");
  return *it;
}

std::string StringField(const Json& record, const char* field) {
  const Json& value = Field(record, field);
  if (!value.is_string()) BadField(field, "expected a string");
  return value.get<std::string>();
}

std::string IdField(const Json& record, const char* field) {
  const Json& value = Field(record, field);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  BadField(field, "expected a string or an integer");
}

int64_t IntField(const Json& record, const char* field, int64_t low, int64_t high) {
  const Json& value = Field(record, field);
  const std::string range = "an integer from " + std::to_string(low) + " to " + std::to_string(high);
  // Parquet and pandas exports turn integer columns with gaps into doubles.
  const double number = value.is_number() ? value.get<double>() : 0.5;
  const auto integer = static_cast<int64_t>(number);
  if (!value.is_number() || static_cast<double>(integer) != number || integer < low || integer > high) {
    BadField(field, "expected " + range + ", got " + value.dump());
  }
  return integer;
}

std::vector<ChatMessage> MessagesOf(const Json& messages, const std::string& path) {
  if (!messages.is_array()) BadField(path, "expected an array of messages");
  std::vector<ChatMessage> result;
  result.reserve(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    const Json& message = messages[i];
    if (!message.is_object()) BadField(at, "expected an object with role and content");
    ChatMessage& out = result.emplace_back();
    for (auto it = message.begin(); it != message.end(); ++it) {
      const std::string& key = it.key();
      const Json& value = *it;
      if (key == "role") {
        if (!value.is_string()) BadField(at + ".role", "expected a string");
        out.role = value.get<std::string>();
      } else if (key == "content") {
        if (value.is_string()) {
          out.content = value.get<std::string>();
        } else if (value.is_array()) {
          out.raw_content = value;
          out.content = ContentPartsText(value);
        } else if (!value.is_null()) {
          BadField(at + ".content",
                   std::string("expected a string, a list of content parts or null, got ") + value.type_name());
        }
      } else if (key == "name" && value.is_string()) {
        out.name = value.get<std::string>();
      } else if (key == "tool_calls") {
        out.tool_calls = value;
      } else {
        if (out.extra.is_null()) out.extra = Json::object();
        out.extra[key] = value;
      }
    }
    if (!message.contains("role")) BadField(at + ".role", "missing");
  }
  return result;
}

Json MetadataOf(const Json& record, std::initializer_list<std::string_view> moved) {
  Json metadata = Json::object();
  for (auto it = record.begin(); it != record.end(); ++it) {
    bool skip = false;
    for (std::string_view name : moved) skip = skip || it.key() == name;
    if (!skip) metadata[it.key()] = *it;
  }
  return metadata;
}

std::string ContentKey(std::initializer_list<std::string_view> parts) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::string_view part : parts) {
    for (unsigned char byte : part) hash = (hash ^ byte) * 0x100000001b3ULL;
    hash = hash * 0x100000001b3ULL;  // a 0 byte between parts: ("ab", "c") differs from ("a", "bc")
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) key[i] = kHex[hash & 15];
  return key;
}

DataSample NewSample(std::string unique_id, std::string prompt, std::string source) {
  DataSample sample;
  sample.unique_id = std::move(unique_id);
  ChatMessage message;
  message.role = "user";
  message.content = std::move(prompt);
  sample.input.push_back(std::move(message));
  sample.source = std::move(source);
  sample.task_category = "preference";
  return sample;
}

void AddAnswer(DataSample& sample, std::string content, Json label) {
  DataOutput output;
  output.answer.role = "assistant";
  output.answer.content = std::move(content);
  output.answer.label = std::move(label);
  sample.output.push_back(std::move(output));
}

}  // namespace rmg::bench
