// libFuzzer target: the tokenizers, token keys, TokenSet and NgramCounter on
// arbitrary bytes. Besides crashes and sanitizer reports, it checks that the
// vectorised lower-case-and-split equals the plain one (SplitPythonSpace of
// LowerUtf8), that keys read in bulk equal keys read one by one, that a TokenSet
// holds each token exactly once, and that n-gram counts equal a naive count; a
// difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/tokenizer.h"
#include "text/ngram_counter.h"
#include "text/token_key.h"
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

  rmg::text::TokenSet set;
  set.Assign(tokens, lower);
  for (const std::string_view token : tokens) Check(set.Contains(token));
  for (size_t i = 0; i < set.size(); ++i) {
    for (size_t j = i + 1; j < set.size(); ++j) Check(set.items()[i] != set.items()[j]);
  }
  Check(set.CountShared(set) == set.size());

  std::vector<uint64_t> keys;
  std::vector<uint32_t> long_tokens;
  rmg::text::TokenKeys(tokens, lower, &keys, &long_tokens);
  for (size_t i = 0; i < tokens.size(); ++i) Check(keys[i] == rmg::text::TokenKey(tokens[i]));

  rmg::text::NgramCounter counter;
  for (size_t n = 1; n <= 3; ++n) {
    std::map<std::vector<std::string_view>, std::pair<size_t, size_t>> naive;  // count, first
    for (size_t i = 0; i + n <= tokens.size(); ++i) {
      auto [it, inserted] =
          naive.try_emplace(std::vector<std::string_view>(tokens.begin() + i, tokens.begin() + i + n), 0, i);
      ++it->second.first;
    }
    const std::vector<rmg::text::NgramCount>& counts = counter.Count(tokens, lower, n);
    Check(counts.size() == naive.size());
    for (const rmg::text::NgramCount& c : counts) {
      const auto it = naive.find(std::vector<std::string_view>(tokens.begin() + c.first, tokens.begin() + c.first + n));
      Check(it != naive.end() && it->second == std::make_pair(c.count, c.first));
    }
  }

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
