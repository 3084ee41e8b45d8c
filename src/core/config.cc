#include "rmg/config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace rmg {
namespace {

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
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

Json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& item : node) object[item.first.as<std::string>()] = ToJson(item.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) array.push_back(ToJson(item));
      return array;
    }
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    default:
      return nullptr;
  }
}

}  // namespace

Json ParseYaml(const std::string& text, const std::string& origin) {
  try {
    return ToJson(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(origin + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
}

Json LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open config file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseYaml(buffer.str(), path);
}

}  // namespace rmg
