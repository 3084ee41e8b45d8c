// Test-only: tokens as a tokenizer gives them, views into one buffer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rmg::testing {

// `words` written into one buffer, each followed by a space, and views of them.
struct TokenizedText {
  explicit TokenizedText(const std::vector<std::string>& words) {
    for (const std::string& word : words) buffer += word + " ";
    size_t at = 0;
    for (const std::string& word : words) {
      tokens.push_back(std::string_view(buffer).substr(at, word.size()));
      at += word.size() + 1;
    }
  }
  std::string buffer;
  std::vector<std::string_view> tokens;
};

}  // namespace rmg::testing
