#include "server/json_body.h"

#include <utility>

#include "core/simd_json.h"
#include "server/request_error.h"

namespace rmg::server {

nlohmann::json ParseJsonObjectBody(std::string_view body) {
  if (JsonNestingDepth(body, kMaxJsonDepth) > kMaxJsonDepth) {
    throw RequestError(kBadRequest, "body", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::exception& e) {
    throw RequestError(kBadRequest, "body", "not valid JSON: " + JsonErrorText(e));
  }
  if (!json.is_object()) throw RequestError(kBadRequest, "body", "expected a JSON object, got " + JsonTypeName(json));
  return json;
}

void RejectField(std::string field, const std::string& message) {
  throw RequestError(kUnprocessable, std::move(field), message);
}

std::string JsonTypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "a list";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

std::string IndexedField(std::string_view what, size_t index) {
  return std::string(what) + "[" + std::to_string(index) + "]";
}

std::string KeyedField(std::string_view what, const std::string& key) {
  // The key came from a parsed body, so it is valid UTF-8 and dump cannot throw.
  return std::string(what) + "[" + nlohmann::json(key).dump() + "]";
}

}  // namespace rmg::server
