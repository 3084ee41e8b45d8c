#include "core/simd_json.h"

#include <cstdint>
#include <string>

namespace rmg {

Json ToJson(simdjson::dom::element value) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::OBJECT: {
      Json object = Json::object();
      const simdjson::dom::object fields = value.get_object().value_unsafe();
      object.get_ref<Json::object_t&>().reserve(fields.size());
      for (auto field : fields) object[std::string(field.key)] = ToJson(field.value);
      return object;
    }
    case element_type::ARRAY: {
      Json array = Json::array();
      const simdjson::dom::array items = value.get_array().value_unsafe();
      array.get_ref<Json::array_t&>().reserve(items.size());
      for (simdjson::dom::element item : items) array.push_back(ToJson(item));
      return array;
    }
    case element_type::STRING:
      return std::string(value.get_string().value_unsafe());
    case element_type::INT64: {
      // Json::parse stores integers >= 0 as unsigned; so does this, for the same value.
      const int64_t integer = value.get_int64().value_unsafe();
      if (integer >= 0) return static_cast<uint64_t>(integer);
      return integer;
    }
    case element_type::UINT64:
      return value.get_uint64().value_unsafe();
    case element_type::DOUBLE:
      return value.get_double().value_unsafe();
    case element_type::BOOL:
      return value.get_bool().value_unsafe();
    case element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

Json ParseJson(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return Json::parse(text);
  return ToJson(root);
}

}  // namespace rmg
