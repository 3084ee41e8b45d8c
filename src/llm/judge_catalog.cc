#include "llm/judge_catalog.h"

#include <map>
#include <stdexcept>
#include <string_view>

#include "llm/spec_fields.h"
#include "rmg/config.h"

// judges_data.S: the bytes of src/gallery/alignment/judges.yaml.
extern "C" {
__attribute__((visibility("hidden"))) extern const char rmg_judges_yaml[];
__attribute__((visibility("hidden"))) extern const unsigned long long rmg_judges_yaml_size;
}

namespace rmg::llm {
namespace {

constexpr const char* kOrigin = "gallery/alignment/judges.yaml";

using Descriptions = std::map<std::string, std::string>;

// The `descriptions` mapping with {prefix: KEY, text: ...} entries resolved; a
// prefix must be defined above the entry that uses it.
Descriptions ReadDescriptions(const Json& node) {
  if (!node.is_object()) throw std::runtime_error(std::string(kOrigin) + ": descriptions: expected a mapping");
  Descriptions descriptions;
  for (const auto& [key, value] : node.items()) {
    if (value.is_string()) {
      descriptions[key] = value.get<std::string>();
      continue;
    }
    const SpecFields fields(value, std::string(kOrigin) + ": descriptions: " + key, {"prefix", "text"});
    const std::string prefix = fields.String("prefix", true);
    const auto it = descriptions.find(prefix);
    if (it == descriptions.end()) fields.Fail("prefix", "no description \"" + prefix + "\" above");
    descriptions[key] = it->second + fields.String("text", true);
  }
  return descriptions;
}

struct Catalog {
  Descriptions descriptions;
  std::vector<RubricJudgeSpec> judges;
};

RubricJudgeSpec ParseSpec(const Json& node, const std::string& origin, const Descriptions& descriptions) {
  const SpecFields fields(node, origin,
                          {"name", "mode", "description", "desc", "scenario", "rubrics", "examples", "aliases"});
  RubricJudgeSpec spec;
  spec.name = fields.String("name", true);
  if (spec.name.empty()) fields.Fail("name", "must not be empty");
  spec.mode = fields.Mode();
  spec.description = fields.String("description", false);
  static const std::map<std::string, std::string> kDefaultDesc = {
      {"pointwise", "P"}, {"listwise", "L"}, {"pairwise", "PW"}};
  spec.desc = fields.String("desc", false, kDefaultDesc.at(spec.mode));
  if (const auto it = descriptions.find(spec.desc); it != descriptions.end()) spec.desc = it->second;
  spec.scenario = fields.String("scenario", false);
  spec.rubrics = fields.StringList("rubrics", true);
  spec.examples = fields.StringList("examples", false);
  spec.aliases = fields.StringList("aliases", false);
  return spec;
}

Catalog LoadCatalog() {
  const Json root = ParseYaml(std::string(rmg_judges_yaml, rmg_judges_yaml_size), kOrigin);
  const SpecFields fields(root, kOrigin, {"descriptions", "judges"});
  Catalog catalog;
  const Json* descriptions = fields.Find("descriptions");
  const Json* judges = fields.Find("judges");
  if (descriptions == nullptr || judges == nullptr || !judges->is_array()) {
    fields.Fail("judges", "expected descriptions and a list of judges");
  }
  catalog.descriptions = ReadDescriptions(*descriptions);
  for (size_t i = 0; i < judges->size(); ++i) {
    catalog.judges.push_back(
        ParseSpec((*judges)[i], std::string(kOrigin) + ": judges[" + std::to_string(i) + "]", catalog.descriptions));
  }
  return catalog;
}

const Catalog& TheCatalog() {
  // A broken embedded file is a build defect, not a user error.
  static const Catalog catalog = [] {
    try {
      return LoadCatalog();
    } catch (const std::runtime_error& e) {
      throw std::logic_error(e.what());
    }
  }();
  return catalog;
}

}  // namespace

const std::vector<RubricJudgeSpec>& BuiltinRubricJudges() { return TheCatalog().judges; }

const RubricJudgeSpec* FindBuiltinRubricJudge(const std::string& name) {
  for (const RubricJudgeSpec& spec : BuiltinRubricJudges()) {
    if (spec.name == name) return &spec;
    for (const std::string& alias : spec.aliases) {
      if (alias == name) return &spec;
    }
  }
  return nullptr;
}

const std::string& BuiltinDescription(const std::string& key) { return TheCatalog().descriptions.at(key); }

RubricJudgeSpec ParseRubricJudgeSpec(const Json& node, const std::string& origin) {
  return ParseSpec(node, origin, TheCatalog().descriptions);
}

}  // namespace rmg::llm
