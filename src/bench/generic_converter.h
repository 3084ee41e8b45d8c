// The generic converter behind `rmg convert --from generic --map TARGET=PATH ...`:
// maps a record of any layout to one DataSample by naming, for each part of the
// sample, where in the record it is.
//
// PATH is a dotted path into the record: each segment is an object key, or, on an
// array, a 0-based index ("answers.0.text"). TARGETs:
//   input=PATH        required; a string (one user message) or a list of
//                     {role, content} messages
//   output=PATH       required; a string (one output) or a list of strings (one
//                     output each), answered by the assistant
//   id=PATH           a string or integer; unique_id is "generic/<id>", or without
//                     it "generic/<ContentKey of the record's JSON text>"
//   label.KEY=PATH    copies the value (any JSON) into every output's answer.label.KEY
// Top-level fields that no PATH starts with go to metadata.
//
// Errors name the path, e.g. "answers.0.text: missing".
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rmg/schema.h"

namespace rmg::bench {

class FieldMapping {
 public:
  // Parses the TARGET=PATH entries. Throws std::invalid_argument naming the entry
  // for an unknown target, an empty path, a target given twice, or a missing
  // input or output.
  static FieldMapping Parse(const std::vector<std::string>& entries);

  // The sample of `record`. Throws SchemaError naming the path that does not fit.
  DataSample Convert(const Json& record) const;

 private:
  using Path = std::vector<std::string>;

  Path input_;
  Path output_;
  Path id_;                                           // empty: no id mapping
  std::vector<std::pair<std::string, Path>> labels_;  // KEY, PATH
  std::vector<std::string> mapped_fields_;            // first segments, kept out of metadata
};

}  // namespace rmg::bench
