// code_style: per Python block, half a point for consistent indentation and half
// for the share of names in snake_case; the score is the mean over blocks.
#include <re2/re2.h>

#include "gallery/code/code.h"
#include "gallery/code/code_blocks.h"
#include "gallery/python_format.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

// Indented lines all start with spaces, or all with tabs. A line of whitespace alone
// (stray spaces on a blank line, common in generated code) is blank, not indented.
bool ConsistentIndentation(std::string_view code) {
  bool spaces = false, tabs = false;
  size_t start = 0;
  while (start <= code.size()) {
    const size_t end = std::min(code.find('\n', start), code.size());
    if (end > start && !text::StripPythonSpace(code.substr(start, end - start)).empty()) {
      if (code[start] == ' ') spaces = true;
      if (code[start] == '\t') tabs = true;
    }
    start = end + 1;
  }
  return !(spaces && tabs);
}

bool IsSnakeCase(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Python's \s on text: every character for which str.isspace() is true. RE2's \s is
// only [\t\n\f\r ].
constexpr std::string_view kPythonSpace =
    R"([\t\n\v\f\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}])";

// Names RM-Gallery checks: def NAME( and NAME = (any identifier followed by '=').
std::vector<std::string_view> DefinedNames(std::string_view code) {
  static const std::string space(kPythonSpace);
  static const RE2 def_pattern("def" + space + "+([a-zA-Z_][a-zA-Z0-9_]*)" + space + R"(*\()");
  static const RE2 assign_pattern("([a-zA-Z_][a-zA-Z0-9_]*)" + space + "*=");
  std::vector<std::string_view> names;
  for (const RE2* pattern : {&def_pattern, &assign_pattern}) {
    re2::StringPiece input(code.data(), code.size());
    re2::StringPiece name;
    while (RE2::FindAndConsume(&input, *pattern, &name)) names.emplace_back(name.data(), name.size());
  }
  return names;
}

class CodeStyleReward final : public PointwiseReward {
 public:
  explicit CodeStyleReward(const Params& params) : PointwiseReward(params.GetString("name")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    RewardResult result;
    const std::vector<std::string_view> blocks = PythonCodeBlocks(output.answer.content);
    if (blocks.empty()) {
      result.details.push_back({name(), 0.0, "No code blocks found to check style", nullptr});
      result.extra_data = JsonObjectBuilder(1)
                                  .Add("code_blocks", Json::array())
                                  .Build();
      return result;
    }
    double total = 0.0;
    std::vector<std::string> details;
    for (size_t i = 0; i < blocks.size(); ++i) {
      const bool consistent = ConsistentIndentation(blocks[i]);
      const std::vector<std::string_view> names = DefinedNames(blocks[i]);
      size_t good = 0;
      for (std::string_view n : names) good += IsSnakeCase(n);
      const double naming = names.empty() ? 1.0 : static_cast<double>(good) / static_cast<double>(names.size());
      total += (consistent ? 0.5 : 0.0) + 0.5 * naming;
      details.push_back("Block " + std::to_string(i) + ": " +
                        (consistent ? "Consistent indentation" : "Mixed indentation types (spaces and tabs)"));
      details.push_back("Block " + std::to_string(i) + ": " +
                        (names.empty() ? std::string("No names to check")
                                       : "Naming convention: " + std::to_string(good) + "/" +
                                             std::to_string(names.size()) + " names follow snake_case"));
    }
    const double average = total / static_cast<double>(blocks.size());
    std::string reason = "Code style score: " + FormatFixed(average, 3) + "; ";
    for (size_t i = 0; i < details.size(); ++i) reason += (i ? "; " : "") + details[i];
    result.details.push_back({name(), average, std::move(reason), nullptr});
    result.extra_data = JsonObjectBuilder(3)
                                .Add("average_score", average)
                                .Add("code_blocks_count", blocks.size())
                                .Add("details", details)
                                .Build();
    return result;
  }
};

}  // namespace

RewardSpec CodeStyleSpec() {
  RewardSpec spec;
  spec.name = "code_style";
  spec.description = "Style of the response's Python blocks: consistent indentation and snake_case names";
  spec.factory = [](const Params& p) { return std::make_unique<CodeStyleReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
