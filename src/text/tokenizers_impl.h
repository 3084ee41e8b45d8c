// The tokenizers that need tables of their own, each in its own file.
#pragma once

#include <memory>

#include "rmg/tokenizer.h"

namespace rmg::text {

// Shared instance of the "unicode" tokenizer (unicode_tokenizer.cc).
std::shared_ptr<const Tokenizer> UnicodeTokenizerInstance();

// Shared instance of the cl100k_base tokenizer (tiktoken.cc).
std::shared_ptr<const Tokenizer> TiktokenInstance();

}  // namespace rmg::text
