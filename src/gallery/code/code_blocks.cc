#include "gallery/code/code_blocks.h"

namespace rmg::gallery {

std::vector<std::string_view> PythonCodeBlocks(std::string_view text) {
  std::vector<std::string_view> blocks;
  constexpr std::string_view kFence = "```";
  size_t pos = 0;
  while (true) {
    const size_t fence = text.find(kFence, pos);
    if (fence == std::string_view::npos) break;
    size_t body = fence + kFence.size();
    // The regex tries "python\n" first and falls back to a bare "\n".
    if (text.substr(body, 7) == "python\n") {
      body += 7;
    } else if (text.substr(body, 1) == "\n") {
      body += 1;
    } else {
      pos = fence + 1;
      continue;
    }
    // (.*?)\n``` is lazy: the body ends at the first "\n```" after its start.
    const size_t end = text.find("\n```", body);
    // No later fence has a body that starts before this one's, so none can close
    // either; trying each of them would make 200,000 unclosed fences quadratic.
    if (end == std::string_view::npos) break;
    blocks.push_back(text.substr(body, end - body));
    pos = end + 4;
  }
  return blocks;
}

}  // namespace rmg::gallery
