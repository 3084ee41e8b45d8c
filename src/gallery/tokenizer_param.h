// The tokenizer parameter shared by the token-based rewards. The issue tracker and
// rmg call it `tokenizer`; RM-Gallery calls it `tokenizer_type`; both are accepted
// and `tokenizer_type` wins when given.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rmg/registry.h"
#include "rmg/tokenizer.h"

namespace rmg::gallery {

// The parameter specs: tokenizer (default `default_name`), tokenizer_type, encoding_name,
// chinese_only.
std::vector<ParamSpec> TokenizerParams(const std::string& default_name);

// The tokenizer the parameters select. Throws RegistryError for an encoding_name other
// than cl100k_base when that tokenizer is tiktoken.
std::shared_ptr<const Tokenizer> SelectedTokenizer(const Params& params);

// The tokens of Python's text.strip(), as views into `*storage` (see
// Tokenizer::TokenizeViews, which throws DeadlineExceeded once `deadline` has passed).
void TokenizeStripped(const Tokenizer& tokenizer, std::string_view text, std::string* storage,
                      std::vector<std::string_view>* tokens, const Deadline& deadline = Deadline::Never());

// The tokens of Python's text.strip().lower(), as RM-Gallery's F1 and n-gram rewards
// tokenize, as views into `*storage` (see Tokenizer::TokenizeViews).
void TokenizeStrippedLower(const Tokenizer& tokenizer, std::string_view text, std::string* storage,
                           std::vector<std::string_view>* tokens, const Deadline& deadline = Deadline::Never());

}  // namespace rmg::gallery
