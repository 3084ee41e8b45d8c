// Reading judge definition files (rubric files, template files): typed fields of a
// YAML mapping, with errors that name the file and the field.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::llm {

// The fields of one YAML mapping. Errors are std::runtime_error
// "<origin>: <field>: <problem>" so that a user can find the line to fix.
class SpecFields {
 public:
  // Throws unless `node` is a mapping whose keys are all in `known`.
  SpecFields(const Json& node, std::string origin, std::initializer_list<std::string_view> known);

  // The value at `key`, or nullptr when absent (a null value counts as absent).
  const Json* Find(std::string_view key) const;

  // A string field; absent -> `fallback`, or an error when `required`.
  std::string String(std::string_view key, bool required, std::string fallback = "") const;

  // A list of strings; absent -> {}, or an error when `required`.
  std::vector<std::string> StringList(std::string_view key, bool required) const;

  // The judge mode at "mode": "pointwise", "listwise" or "pairwise" (required).
  std::string Mode() const;

  // Throws "<origin>: <field>: <problem>".
  [[noreturn]] void Fail(std::string_view field, std::string_view problem) const;

  const std::string& origin() const { return origin_; }

 private:
  const Json& node_;
  std::string origin_;
};

}  // namespace rmg::llm
