#include "rmg/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "core/simd_json.h"
#include "rmg/string_hash.h"

namespace rmg {
namespace {

// True if `text` is a float of YAML 1.2's core schema,
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?. A plain scan: std::regex
// recursed once per character and overflowed the stack on a long run of digits.
bool IsYamlFloat(std::string_view text) {
  size_t i = 0;
  const auto sign = [&] {
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  };
  const auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  sign();
  const size_t whole = digits();
  size_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole == 0 && fraction == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    sign();
    if (digits() == 0) return false;
  }
  return i == text.size();
}

Json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  // Quoted scalars ("1", 'true') stay strings, as YAML says.
  if (node.Tag() == "!") return text;
  if (text == "null" || text == "Null" || text == "NULL" || text == "~" || text.empty()) return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  int64_t integer = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (ec == std::errc() && end == text.data() + text.size()) return integer;
  uint64_t large = 0;  // 2^63 to 2^64-1: JSON's integers reach that far (a uint64 seed, say)
  auto [large_end, large_ec] = std::from_chars(text.data(), text.data() + text.size(), large);
  if (large_ec == std::errc() && large_end == text.data() + text.size()) return large;
  // A float beyond a double's range stays text: as inf it would become JSON null, and a
  // parameter error would then read "got null" instead of naming the value.
  if (IsYamlFloat(text)) {
    const double value = std::strtod(text.c_str(), nullptr);
    if (std::isfinite(value)) return value;
  }
  return text;
}

// YAML aliases repeat the node they name without repeating its text, so nine lines of
// nested aliases expand to 9^9 values (the "billion laughs"): 13 GB and over a minute
// before this budget. Beyond what the text itself could spell out, an expansion may
// add a million values and 64 MiB of scalars.
class YamlToJson {
 public:
  YamlToJson(size_t text_size, const std::string& origin)
      : values_left_(text_size + 1'000'000), bytes_left_(text_size + (64u << 20)), origin_(origin) {}

  Json Convert(const YAML::Node& node, int depth = 0) {
    if (values_left_ == 0) TooLarge();
    --values_left_;
    // An alias inside the node it names (`x: &a [*a]`) makes the tree endless.
    if (depth > kMaxJsonNesting) {
      throw std::runtime_error(origin_ + ":" + std::to_string(node.Mark().line + 1) + ": nested deeper than " +
                               std::to_string(kMaxJsonNesting) + " levels (an alias inside the node it names?)");
    }
    switch (node.Type()) {
      case YAML::NodeType::Map: {
        Json object = Json::object();
        auto& fields = object.get_ref<Json::object_t&>();
        StringSet keys;
        for (const auto& item : node) {
          std::string key = item.first.as<std::string>();
          Spend(key.size());
          // YAML wants keys unique; a repeated one (`min_length: 5` ... `min_length: 6`)
          // is a mistake that reading the last would hide.
          if (!keys.insert(key).second) {
            throw std::runtime_error(origin_ + ":" + std::to_string(item.first.Mark().line + 1) + ": the key '" + key +
                                     "' appears twice in one mapping");
          }
          fields.emplace_back(std::move(key),
                              Convert(item.second, depth + 1));  // appending: object[key] walks the keys
        }
        return object;
      }
      case YAML::NodeType::Sequence: {
        Json array = Json::array();
        for (const auto& item : node) array.push_back(Convert(item, depth + 1));
        return array;
      }
      case YAML::NodeType::Scalar:
        Spend(node.Scalar().size());
        return ScalarToJson(node);
      default:
        return nullptr;
    }
  }

 private:
  void Spend(size_t bytes) {
    if (bytes > bytes_left_) TooLarge();
    bytes_left_ -= bytes;
  }

  [[noreturn]] void TooLarge() const {
    throw std::runtime_error(origin_ + ": the YAML is too large once its aliases (*name) are expanded");
  }

  size_t values_left_;
  size_t bytes_left_;
  const std::string& origin_;
};

}  // namespace

Json ParseYaml(const std::string& text, const std::string& origin) {
  try {
    return YamlToJson(text.size(), origin).Convert(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(origin + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
}

void CheckKnownKeys(const Json& section, const std::vector<std::string>& known, const std::string& origin,
                    const std::string& where) {
  for (const auto& [key, value] : section.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string names;
    for (const std::string& name : known) names += (names.empty() ? "" : ", ") + name;
    throw std::runtime_error(origin + ": " + where + key + ": unknown key (known: " + names + ")");
  }
}

Json LoadConfigFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    throw std::runtime_error(path + ": is a directory, not a config file");
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open config file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseYaml(buffer.str(), path);
}

}  // namespace rmg
