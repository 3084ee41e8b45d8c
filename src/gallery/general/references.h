// Ground-truth references of an answer for the translation-style metrics.
#pragma once

#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::gallery {

// `label.references` (a list of strings) when present, else `label.reference` as a
// one-element list; views valid while `answer` is. Throws std::invalid_argument when
// the answer has neither, or when either has another type than that.
std::vector<std::string_view> LabelReferences(const Step& answer);

}  // namespace rmg::gallery
