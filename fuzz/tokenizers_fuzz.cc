// libFuzzer target: the tokenizers and TokenSet on arbitrary bytes. Besides crashes
// and sanitizer reports, it checks that the vectorised lower-case-and-split equals
// the plain one (SplitPythonSpace of LowerUtf8) and that a TokenSet holds each token
// exactly once; a difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/tokenizer.h"
#include "text/token_set.h"
#include "text/unicode.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string lower;
  std::vector<std::string_view> tokens;
  rmg::text::LowerSplitPythonSpace(text, &lower, &tokens);
  const std::string expected_lower = rmg::text::LowerUtf8(text);
  Check(lower == expected_lower);
  Check(tokens == rmg::text::SplitPythonSpace(expected_lower));

  std::vector<uint32_t> ids;
  rmg::text::TokenSet set;
  set.Assign(tokens, lower, &ids);
  Check(ids.size() == tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    Check(set.Contains(tokens[i]));
    Check(ids[i] < set.id_limit());
    for (size_t j = 0; j < i; ++j) Check((ids[i] == ids[j]) == (tokens[i] == tokens[j]));
  }
  for (size_t i = 0; i < set.size(); ++i) {
    for (size_t j = i + 1; j < set.size(); ++j) Check(set.items()[i] != set.items()[j]);
  }
  Check(set.CountShared(set) == set.size());

  for (const std::string& name : rmg::TokenizerNames()) {
    const auto tokenizer = rmg::GetTokenizer(name);
    std::string storage;
    std::vector<std::string_view> views;
    tokenizer->TokenizeViews(text, &storage, &views);
    const std::vector<std::string> owned = tokenizer->Tokenize(text);
    Check(views.size() == owned.size());
    for (size_t i = 0; i < views.size(); ++i) Check(views[i] == owned[i]);
  }
  return 0;
}
