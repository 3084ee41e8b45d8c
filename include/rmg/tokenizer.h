// Tokenizers: turn text into the token strings that text metrics (F1, ROUGE,
// n-gram repetition) count. One instance is immutable and safe to share between
// threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Name under which GetTokenizer() finds this tokenizer.
  virtual std::string_view name() const = 0;

  // Splits `text` (UTF-8) into tokens, in order. Never throws on any byte input:
  // invalid UTF-8 is treated as U+FFFD. Throws DeadlineExceeded once `deadline` has
  // passed: tiktoken checks it as it goes (a 10 MB word takes seconds), the linear
  // tokenizers before and after their pass.
  virtual std::vector<std::string> Tokenize(std::string_view text,
                                            const Deadline& deadline = Deadline::Never()) const = 0;

  // True when Tokenize() lower-cases its input first (as Python's str.lower()), so a
  // caller that wants the tokens of the lower-cased text can pass the text unchanged.
  virtual bool lower_cases() const { return false; }

  // The same tokens as Tokenize(), as views into `*storage`, which this call
  // overwrites and which must outlive the views. Saves an allocation per token
  // where the tokenizer can (simple, rouge_score).
  virtual void TokenizeViews(std::string_view text, std::string* storage, std::vector<std::string_view>* tokens,
                             const Deadline& deadline = Deadline::Never()) const;
};

// Returns the shared tokenizer registered as `name`:
//   "simple"      - lower-cased, split at Python str.split() whitespace (RM-Gallery's fallback).
//   "unicode"     - lower-cased, split at every character that is not a Unicode letter or
//                   digit; CJK ideographs, kana and hangul syllables become one token each.
//   "rouge_score" - Google rouge-score's tokenizer: lower-case, non-[a-z0-9] -> space.
//   "tiktoken"    - cl100k_base byte-level BPE; each token decoded alone (invalid UTF-8
//                   pieces become U+FFFD, as tiktoken's decode does).
//   "jieba"       - Chinese words as jieba.cut() cuts them (python3-jieba's dictionary and
//                   HMM); other characters one piece each, whitespace included. Does not
//                   lower-case.
// Throws std::invalid_argument naming the valid names for anything else.
std::shared_ptr<const Tokenizer> GetTokenizer(std::string_view name);

// Names accepted by GetTokenizer(), for error messages and `rmg list`.
const std::vector<std::string>& TokenizerNames();

}  // namespace rmg
