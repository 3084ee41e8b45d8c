// The tokenizers that need tables of their own, each in its own file.
#pragma once

#include <memory>

#include "rmg/tokenizer.h"

namespace rmg::text {

// Shared instance of the "unicode" tokenizer (unicode_tokenizer.cc).
std::shared_ptr<const Tokenizer> UnicodeTokenizerInstance();

// Shared instance of the cl100k_base tokenizer (tiktoken.cc).
std::shared_ptr<const Tokenizer> TiktokenInstance();

// Shared instance of the "jieba" tokenizer (jieba.cc); with `chinese_only`, the one that
// first keeps only the text's U+4E00..U+9FFF characters, as RM-Gallery's option does.
std::shared_ptr<const Tokenizer> JiebaTokenizerInstance(bool chinese_only);

}  // namespace rmg::text
