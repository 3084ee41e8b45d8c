// The program to test, taken from a model response.
#pragma once

#include <string>
#include <string_view>

namespace rmg::code {

// The code of the last ```python fence (also ```py, ```python3; an unclosed python
// fence at the end runs to the end of the text), else of the last fence of any
// language, else the whole text. Fence bodies start after the tag line and end
// before the closing fence; the result has no trailing newline.
std::string ExtractSolutionCode(std::string_view text);

}  // namespace rmg::code
