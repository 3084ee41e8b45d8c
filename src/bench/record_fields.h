// Reading the fields of a dataset's own JSON record, for the converters
// (converters.h): every accessor throws SchemaError (rmg/sample_io.h) whose message
// starts with the field it could not read, e.g. "context[1].role: expected a string",
// so that `rmg convert` can report "file:record: field: reason".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::bench {

// Throws SchemaError "<field>: <why>".
[[noreturn]] void BadField(std::string_view field, std::string_view why);

// Throws unless `record` is a JSON object ("record: expected a JSON object").
void CheckObject(const Json& record);

// The value of `field`; throws "<field>: missing" when there is none.
const Json& Field(const Json& record, const char* field);

// The string value of `field`.
std::string StringField(const Json& record, const char* field);

// An id as text: upstream ids are numbers in some files and strings in others.
std::string IdField(const Json& record, const char* field);

// The integer value of `field`, which must lie in [low, high]; 3.0 counts as 3.
int64_t IntField(const Json& record, const char* field, int64_t low, int64_t high);

// Chat messages in OpenAI's layout, [{role, content, name?, tool_calls?, ...}]:
// content may be a string, null ("") or anything else (kept as raw_content); keys
// the message does not know go to its extra. Errors name `path`, e.g. "context[2].role".
std::vector<ChatMessage> MessagesOf(const Json& messages, const std::string& path);

// Every field of `record` but the ones the sample holds elsewhere.
Json MetadataOf(const Json& record, std::initializer_list<std::string_view> moved);

// A record key made of its content, for datasets without ids: 16 hex digits of a
// 64-bit FNV-1a hash of `parts`, the same on every platform and run.
std::string ContentKey(std::initializer_list<std::string_view> parts);

// A sample with one user message and task_category "preference".
DataSample NewSample(std::string unique_id, std::string prompt, std::string source);

// Appends an output whose answer is an assistant message with `label`.
void AddAnswer(DataSample& sample, std::string content, Json label);

}  // namespace rmg::bench
