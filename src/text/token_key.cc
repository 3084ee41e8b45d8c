#include "text/token_key.h"

namespace rmg::text {

void TokenKeys(const std::vector<std::string_view>& tokens, std::string_view text, std::vector<uint64_t>* keys,
               std::vector<uint32_t>* long_tokens) {
  keys->resize(tokens.size());
  long_tokens->resize(tokens.size());
  const auto begin = reinterpret_cast<uintptr_t>(text.data());
  const uintptr_t end = begin + text.size();
  // Every token gets its short key, and the long ones are listed (written in any
  // case, kept by advancing the count); then the long ones get their hashes.
  size_t long_count = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    (*keys)[i] = ShortTokenKey(tokens[i], begin, end);
    (*long_tokens)[long_count] = static_cast<uint32_t>(i);
    long_count += tokens[i].size() >= 8;
  }
  for (size_t k = 0; k < long_count; ++k) {
    const std::string_view token = tokens[(*long_tokens)[k]];
    (*keys)[(*long_tokens)[k]] = internal::HashLongToken(token.data(), token.size()) | kLongKeyBit;
  }
}

}  // namespace rmg::text
