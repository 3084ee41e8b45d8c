// JSON text to Json through simdjson: several times faster than Json::parse on
// records that are mostly long strings (prompts, responses), with the same result,
// and in O(n log n) time for an object of n keys. Every reader of rmg::Json from
// text that may come from outside goes through here.
#pragma once

#include <simdjson.h>

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg {

namespace internal {

// Objects of up to this many keys are checked for a repeated key pair by pair:
// fewer compares than sorting, and no allocation for the small objects that
// records are made of.
inline constexpr size_t kPairwiseKeyCheck = 8;

// For an object whose keys, in text order, are `keys`: the index of the value each
// distinct key takes, in the order the keys first appear (a repeated key keeps its
// first position and takes its last value, as in Json::parse).
std::vector<size_t> DistinctKeyValues(const std::vector<std::string_view>& keys);

}  // namespace internal

// Calls fn(key, value) once per distinct key of `object`, in the order the keys
// first appear, with the key's last value: Json::parse's reading of repeated keys,
// in O(n log n) time for n keys where Json::parse takes O(n^2).
template <typename Fn>
void ForEachDistinctField(simdjson::dom::object object, Fn&& fn) {
  const size_t size = object.size();
  if (size <= internal::kPairwiseKeyCheck) {
    std::array<std::string_view, internal::kPairwiseKeyCheck> keys;
    std::array<simdjson::dom::element, internal::kPairwiseKeyCheck> values;
    size_t count = 0;
    bool repeats = false;
    for (auto field : object) {
      for (size_t i = 0; i < count; ++i) repeats |= keys[i] == field.key;
      keys[count] = field.key;
      values[count] = field.value;
      ++count;
    }
    if (!repeats) {
      for (size_t i = 0; i < count; ++i) fn(keys[i], values[i]);
      return;
    }
  }
  std::vector<std::string_view> keys;
  std::vector<simdjson::dom::element> values;
  keys.reserve(size);
  values.reserve(size);
  for (auto field : object) {
    keys.push_back(field.key);
    values.push_back(field.value);
  }
  for (size_t index : internal::DistinctKeyValues(keys)) fn(keys[index], values[index]);
}

// The Json of a parsed simdjson value (objects keep their key order; a repeated
// key keeps its first position and its last value, as Json::parse does).
Json ToJson(simdjson::dom::element value);

// The deepest nesting of arrays and objects ParseJson reads (simdjson's default).
inline constexpr int kMaxJsonNesting = 1024;

// Parses `text` as Json::parse(text, nullptr, allow_exceptions) would: the same
// value, and for invalid text the same Json::parse_error, which says where the text
// goes wrong, or with allow_exceptions false a discarded value (is_discarded()).
// Unlike Json::parse, text nested deeper than kMaxJsonNesting is invalid ("nested
// deeper than 1024 levels"): everything that walks a Json recurses once per level.
// Text that simdjson rejects but Json::parse reads (integers beyond 64 bits) takes
// the slow path. Uses a parser per thread. Takes O(n log n) time for an object of n
// keys on either path, where Json::parse takes O(n^2): a line of a few megabytes
// could hold it for minutes.
Json ParseJson(std::string_view text, bool allow_exceptions = true);

// A simdjson parser for one text of `text_bytes`: this thread's, reused, for texts up
// to 16 MB; for a larger one a parser of its own, freed with this object. A parser
// keeps the buffers of the largest text it read, and one 10 MB request body left a
// server's I/O thread holding hundreds of megabytes.
class ScopedJsonParser {
 public:
  static constexpr size_t kThreadParserBytes = 16 << 20;
  explicit ScopedJsonParser(size_t text_bytes);
  simdjson::dom::parser& get();

 private:
  std::optional<simdjson::dom::parser> own_;
};

// ParseJson, except that lone surrogate escapes ("\ud800" without its other half),
// which Python's json reads and strict readers refuse, are read as U+FFFD
// (ReplaceLoneSurrogateEscapes in json_string.h), so a record reads as it does in Python.
// Invalid text throws the error ParseJson gives for it.
Json ParseJsonAsPythonReads(std::string_view text);

// nlohmann's message for `error` without its "[json.exception...]" tag: where the text
// stopped being JSON, e.g. "parse error at line 1, column 5: syntax error ...". The
// token it quotes ("last read: '...'") is cut to its last 64 bytes, and invalid UTF-8
// in it becomes U+FFFD.
std::string JsonErrorText(const Json::exception& error);

// Rewrites `object`, built by appending fields whose keys may repeat, as Json::parse
// would have read it: each key once, at its first position, with its last value.
void MergeRepeatedKeys(Json::object_t& object);

// The depth of the deepest array or object nesting in `text` ("[]" is 1), ignoring
// brackets inside strings. Stops at the first level past `limit` and returns it, so
// a hostile text costs no more than reading it once.
int JsonNestingDepth(std::string_view text, int limit);

}  // namespace rmg
