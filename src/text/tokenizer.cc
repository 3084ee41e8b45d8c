#include "rmg/tokenizer.h"

#include <stdexcept>

#include "text/tokenizers_impl.h"
#include "text/unicode.h"

namespace rmg {
namespace {

class SimpleTokenizer final : public Tokenizer {
 public:
  bool lower_cases() const override { return true; }
  std::string_view name() const override { return "simple"; }
  std::vector<std::string> Tokenize(std::string_view text, const Deadline& deadline) const override {
    deadline.Check();
    const std::string lower = text::LowerUtf8(text);
    std::vector<std::string> tokens;
    for (std::string_view part : text::SplitPythonSpace(lower)) tokens.emplace_back(part);
    deadline.Check();
    return tokens;
  }
  void TokenizeViews(std::string_view text, std::string* storage, std::vector<std::string_view>* tokens,
                     const Deadline& deadline) const override {
    deadline.Check();
    text::LowerSplitPythonSpace(text, storage, tokens);
    deadline.Check();
  }
};

// rouge-score's tokenize(): Python's lower(), then every character outside [a-z0-9]
// separates tokens (lower-casing first matters: "İ" becomes "i̇", keeping the "i").
class RougeScoreTokenizer final : public Tokenizer {
 public:
  bool lower_cases() const override { return true; }
  std::string_view name() const override { return "rouge_score"; }
  std::vector<std::string> Tokenize(std::string_view text, const Deadline& deadline) const override {
    deadline.Check();
    const std::string lower = text::LowerUtf8(text);
    std::vector<std::string> tokens;
    std::string current;
    for (char c : lower) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        current.push_back(c);
      } else if (!current.empty()) {
        tokens.push_back(std::move(current));
        current.clear();
      }
    }
    if (!current.empty()) tokens.push_back(std::move(current));
    deadline.Check();
    return tokens;
  }
};

}  // namespace

void Tokenizer::TokenizeViews(std::string_view text, std::string* storage, std::vector<std::string_view>* tokens,
                              const Deadline& deadline) const {
  const std::vector<std::string> owned = Tokenize(text, deadline);
  storage->clear();
  for (const std::string& token : owned) storage->append(token);
  tokens->clear();
  size_t offset = 0;
  for (const std::string& token : owned) {
    tokens->emplace_back(storage->data() + offset, token.size());
    offset += token.size();
  }
}

const std::vector<std::string>& TokenizerNames() {
  static const std::vector<std::string> names = {"simple", "unicode", "rouge_score", "tiktoken", "jieba"};
  return names;
}

std::shared_ptr<const Tokenizer> GetTokenizer(std::string_view name) {
  static const auto simple = std::make_shared<SimpleTokenizer>();
  static const auto rouge_score = std::make_shared<RougeScoreTokenizer>();
  if (name == "simple") return simple;
  if (name == "rouge_score") return rouge_score;
  if (name == "unicode") return text::UnicodeTokenizerInstance();
  if (name == "tiktoken") return text::TiktokenInstance();
  if (name == "jieba") return text::JiebaTokenizerInstance(false);
  std::string valid;
  for (const std::string& n : TokenizerNames()) valid += (valid.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown tokenizer '" + std::string(name) + "' (valid: " + valid + ")");
}

}  // namespace rmg
