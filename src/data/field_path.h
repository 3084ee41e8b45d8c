// Dotted field paths into JSON records, e.g. "metadata.prompt_id" or
// "output.0.answer.label.score": each part is an object key, or an array index
// when the value there is an array. Used by the data pipeline's filters and its
// grouped split, which address fields of a DataSample's JSON form, and by
// `rmg bench --scores-from`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg {

// The parts of `path` split at every '.'; "" gives one empty part.
std::vector<std::string> SplitFieldPath(std::string_view path);

// The value that one part of a path names inside `node`: a key of an object, an
// index into an array; nullptr when there is none or `node` is a scalar.
const Json* FindFieldPart(const Json& node, std::string_view part);

// The value at `parts` inside `record`, or nullptr when a key is missing, an
// index is not a number or out of range, or a part goes into a scalar. Time is
// linear in the path and the sizes of the objects it passes through.
const Json* FindField(const Json& record, const std::vector<std::string>& parts);

}  // namespace rmg
