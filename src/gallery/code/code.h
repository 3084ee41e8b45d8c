// Rule rewards over code in responses (RM-Gallery's gallery/rm/code/code.py).
#pragma once

#include "rmg/registry.h"

namespace rmg::gallery {

RewardSpec CodeStyleSpec();         // code_style: indentation and snake_case names
RewardSpec PatchSimilaritySpec();   // code_patch_similarity: difflib ratio to the reference
RewardSpec SyntaxCheckSpec();       // code_syntax_check: CPython's ast.parse on every block
RewardSpec CodeExecutionSpec();     // code_execution: the response's program against the tests
RewardSpec CodeQualitySpec();       // code_quality_reward: weighted syntax + style + execution

}  // namespace rmg::gallery
