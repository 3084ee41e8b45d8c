// Rule rewards over code in responses (RM-Gallery's gallery/rm/code/code.py).
#pragma once

#include "rmg/registry.h"

namespace rmg::gallery {

RewardSpec CodeStyleSpec();         // code_style: indentation and snake_case names
RewardSpec PatchSimilaritySpec();   // code_patch_similarity: difflib ratio to the reference

}  // namespace rmg::gallery
