// Reading and writing DataSamples as JSON.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "rmg/schema.h"

namespace rmg {

// A record that is not a valid DataSample. what() names the field path, e.g.
// "output[0].answer.content: expected a string".
class SchemaError : public std::runtime_error {
 public:
  explicit SchemaError(const std::string& what) : std::runtime_error(what) {}
};

// Parses one DataSample from JSON text. Throws SchemaError on invalid JSON (or JSON
// nested deeper than 1024 levels), a missing unique_id, or a known field of the wrong
// type. An integer beyond 64 bits is read as a double, as Json::parse reads it.
DataSample ParseDataSample(std::string_view json_text);

// Converts a JSON object into a DataSample (same rules as ParseDataSample).
DataSample DataSampleFromJson(const Json& json);

// The JSON object of `sample`: known fields in RM-Gallery's order, then unknown ones.
Json DataSampleToJson(const DataSample& sample);

// Appends `sample` as one line of compact JSON (no trailing newline). Non-ASCII
// text is written as UTF-8; doubles use the shortest text that reads back exactly.
void AppendDataSampleJson(const DataSample& sample, std::string* out);

// Appends any JSON value in the same compact form as AppendDataSampleJson.
void AppendJson(const Json& value, std::string* out);

// The text of a message content given as OpenAI-style parts: the "text" of each
// {"type": "text", "text": ...} part, one per line (images and other parts have none).
std::string ContentPartsText(const Json& parts);

}  // namespace rmg
