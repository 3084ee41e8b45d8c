// JSON text to Json through simdjson: several times faster than Json::parse on
// records that are mostly long strings (prompts, responses), with the same result.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "rmg/schema.h"

namespace rmg {

// The Json of a parsed simdjson value (objects keep their key order; a repeated
// key keeps its first position and its last value, as Json::parse does).
Json ToJson(simdjson::dom::element value);

// Parses `text` as Json::parse(text) would: the same value, and for invalid text
// the same Json::parse_error, which says where the text goes wrong. Text that
// simdjson rejects but Json::parse reads (integers beyond 64 bits) takes the
// slow path. Uses a parser per thread.
Json ParseJson(std::string_view text);

}  // namespace rmg
