// Parsing the JSON body of a request that anyone may have sent. nlohmann's parser
// recurses once per nesting level, so a body of a million '[' would overflow the
// stack: the nesting is bounded by a cheap scan before parsing. Objects are parsed
// into nlohmann::json (a std::map), not rmg::Json, whose insertion-ordered objects
// find a key by linear search and would make a body with many keys quadratic.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rmg::server {

// HTTP statuses of RequestError: a body that cannot be read as JSON, and a body
// that can but breaks the protocol's schema (FastAPI's convention, which the
// Python servers of these protocols follow).
inline constexpr int kBadRequest = 400;
inline constexpr int kUnprocessable = 422;

// The deepest nesting a request body may have; the protocols need 3.
inline constexpr int kMaxJsonDepth = 64;

// Parses `body` as one JSON object. Throws RequestError 400 with field "body" when it
// nests deeper than kMaxJsonDepth, is not JSON (invalid UTF-8 inside a string and
// numbers beyond a double's range included) or is not an object.
nlohmann::json ParseJsonObjectBody(std::string_view body);

// Throws RequestError 422 for `field`: the body is JSON but breaks the protocol here.
[[noreturn]] void RejectField(std::string field, const std::string& message);

// "a string", "a number", "null", ... for messages such as "expected a string, got null".
std::string JsonTypeName(const nlohmann::json& value);

// "<what>[<index>]", e.g. IndexedField("query", 7) == "query[7]".
std::string IndexedField(std::string_view what, size_t index);

// "<what>[\"<key>\"]" with the key as a JSON string, e.g. files["a.txt"].
std::string KeyedField(std::string_view what, const std::string& key);

}  // namespace rmg::server
