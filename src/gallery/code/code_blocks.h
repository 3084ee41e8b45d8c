// Code blocks in a model response.
#pragma once

#include <string_view>
#include <vector>

namespace rmg::gallery {

// re.findall(r"```(?:python)?\n(.*?)\n```", text, re.DOTALL): the bodies of fenced
// blocks that are untagged or tagged `python`.
std::vector<std::string_view> PythonCodeBlocks(std::string_view text);

}  // namespace rmg::gallery
