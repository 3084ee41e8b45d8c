#include "core/simd_json.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "core/json_string.h"
#include "text/unicode.h"

namespace rmg {
namespace internal {

std::vector<size_t> DistinctKeyValues(const std::vector<std::string_view>& keys) {
  std::vector<size_t> by_key(keys.size());
  std::iota(by_key.begin(), by_key.end(), size_t{0});
  // Stable: within a run of equal keys, indices stay ascending (first .. last).
  std::stable_sort(by_key.begin(), by_key.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  constexpr size_t kNone = SIZE_MAX;
  std::vector<size_t> value_at_first(keys.size(), kNone);
  for (size_t run = 0; run < by_key.size();) {
    size_t end = run + 1;
    while (end < by_key.size() && keys[by_key[end]] == keys[by_key[run]]) ++end;
    value_at_first[by_key[run]] = by_key[end - 1];
    run = end;
  }
  std::vector<size_t> order;
  order.reserve(keys.size());
  for (size_t value : value_at_first) {
    if (value != kNone) order.push_back(value);
  }
  return order;
}

}  // namespace internal

namespace {

// Builds a Json from nlohmann's SAX events. Json::parse's own builder inserts each
// key with a search of the object's earlier keys, which takes quadratic time in the
// number of keys; this one appends, and merges repeated keys once the object ends.
class LinearJsonBuilder {
 public:
  explicit LinearJsonBuilder(bool allow_exceptions) : allow_exceptions_(allow_exceptions) {}

  Json TakeResult() { return std::move(root_); }

  bool null() { return Put(nullptr) != nullptr; }
  bool boolean(bool value) { return Put(value) != nullptr; }
  bool number_integer(Json::number_integer_t value) { return Put(value) != nullptr; }
  bool number_unsigned(Json::number_unsigned_t value) { return Put(value) != nullptr; }
  bool number_float(Json::number_float_t value, const Json::string_t&) { return Put(value) != nullptr; }
  bool string(Json::string_t& value) { return Put(std::move(value)) != nullptr; }
  bool binary(Json::binary_t& value) { return Put(Json::binary(std::move(value))) != nullptr; }
  bool start_object(size_t) {
    open_.push_back(Put(Json::object()));
    return true;
  }
  bool key(Json::string_t& key) {
    auto& fields = open_.back()->get_ref<Json::object_t&>();
    fields.emplace_back(std::move(key), nullptr);
    value_slot_ = &fields.back().second;
    return true;
  }
  bool end_object() {
    MergeRepeatedKeys(open_.back()->get_ref<Json::object_t&>());
    open_.pop_back();
    return true;
  }
  bool start_array(size_t) {
    open_.push_back(Put(Json::array()));
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  template <typename Exception>
  bool parse_error(size_t, const std::string&, const Exception& error) {
    if (allow_exceptions_) throw error;
    return false;
  }

 private:
  // Stores `value` where the text puts it and returns where it now is.
  Json* Put(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& container = *open_.back();
    if (container.is_array()) {
      auto& items = container.get_ref<Json::array_t&>();
      items.push_back(std::move(value));
      return &items.back();
    }
    *value_slot_ = std::move(value);
    return value_slot_;
  }

  const bool allow_exceptions_;
  Json root_;
  // The arrays and objects not yet closed, outermost first. Each lives inside the
  // one before it, which grows only after it has closed, so the pointers stay valid.
  std::vector<Json*> open_;
  Json* value_slot_ = nullptr;  // the value of the object key read last
};

}  // namespace

void MergeRepeatedKeys(Json::object_t& object) {
  // ordered_map's operator[] looks a key up; these are the fields by position.
  const auto field = [&object](size_t index) -> auto& { return object.begin()[static_cast<ptrdiff_t>(index)]; };
  const size_t size = object.size();
  if (size < 2) return;
  if (size <= internal::kPairwiseKeyCheck) {
    bool repeats = false;
    for (size_t i = 1; i < size; ++i) {
      for (size_t j = 0; j < i; ++j) repeats |= field(i).first == field(j).first;
    }
    if (!repeats) return;
  }
  std::vector<std::string_view> keys;
  keys.reserve(size);
  for (const auto& [key, value] : object) keys.push_back(key);
  const std::vector<size_t> order = internal::DistinctKeyValues(keys);
  if (order.size() == size) return;
  Json::object_t merged;
  merged.reserve(order.size());
  for (size_t index : order) merged.emplace_back(field(index).first, std::move(field(index).second));
  object.swap(merged);
}

Json ToJson(simdjson::dom::element value) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::OBJECT: {
      Json object = Json::object();
      auto& fields = object.get_ref<Json::object_t&>();
      ForEachDistinctField(value.get_object().value_unsafe(), [&](std::string_view key, simdjson::dom::element field) {
        fields.emplace_back(std::string(key), ToJson(field));
      });
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

ScopedJsonParser::ScopedJsonParser(size_t text_bytes) {
  if (text_bytes > kThreadParserBytes) own_.emplace();
}

simdjson::dom::parser& ScopedJsonParser::get() {
  thread_local simdjson::dom::parser parser;
  return own_ ? *own_ : parser;
}

Json ParseJson(std::string_view text, bool allow_exceptions) {
  ScopedJsonParser scoped(text.size());
  simdjson::dom::parser& parser = scoped.get();
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS) return ToJson(root);
  // What simdjson refuses for its depth is refused here too: writing, copying and
  // comparing a Json recurse once per level, and 100,000 levels overflow the stack.
  if (JsonNestingDepth(text, kMaxJsonNesting) > kMaxJsonNesting) {
    if (!allow_exceptions) return Json(Json::value_t::discarded);
    throw Json::parse_error::create(101, 0, "nested deeper than " + std::to_string(kMaxJsonNesting) + " levels",
                                    static_cast<const Json*>(nullptr));
  }
  LinearJsonBuilder builder(allow_exceptions);
  if (!Json::sax_parse(text.begin(), text.end(), &builder)) return Json(Json::value_t::discarded);
  return builder.TakeResult();
}

Json ParseJsonAsPythonReads(std::string_view text) {
  Json value = ParseJson(text, false);
  if (!value.is_discarded()) return value;
  if (const std::optional<std::string> repaired = ReplaceLoneSurrogateEscapes(text)) {
    value = ParseJson(*repaired, false);
    if (!value.is_discarded()) return value;
  }
  return ParseJson(text);  // throws the error, which says where the text goes wrong
}

int JsonNestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
        break;
      case ']':
      case '}':
        // Unbalanced closers make the body invalid; the parser will say so.
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

std::string JsonErrorText(const Json::exception& error) {
  std::string text = error.what();
  if (text.rfind("[json.exception.", 0) == 0) {
    const size_t end = text.find("] ");
    if (end != std::string::npos) text.erase(0, end + 2);
  }
  // The parser quotes the whole token it stopped in: a string cut short quotes the
  // rest of its line, megabytes of it. Its end, where the parser stopped, is kept.
  constexpr size_t kMaxQuoted = 64;
  const std::string marker = "; last read: '";
  const size_t quoted = text.rfind(marker);
  if (quoted != std::string::npos && text.size() >= quoted + marker.size() + 1 && text.back() == '\'') {
    const size_t begin = quoted + marker.size();
    const size_t length = text.size() - 1 - begin;
    if (length > kMaxQuoted) {
      size_t keep_from = text.size() - 1 - kMaxQuoted;
      while (keep_from < text.size() - 1 && (static_cast<unsigned char>(text[keep_from]) & 0xC0) == 0x80) ++keep_from;
      text = text.substr(0, begin) + "..." + text.substr(keep_from);
    }
  }
  return text::ValidUtf8(text);  // the token's bytes are the input's, which need not be UTF-8
}

}  // namespace rmg
