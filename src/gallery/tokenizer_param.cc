#include "gallery/tokenizer_param.h"

#include "text/tokenizers_impl.h"
#include "text/unicode.h"

namespace rmg::gallery {

std::vector<ParamSpec> TokenizerParams(const std::string& default_name) {
  return {
      {"tokenizer", ParamType::kString, default_name, "tokenizer: simple, unicode, rouge_score, tiktoken or jieba",
       TokenizerNames()},
      {"tokenizer_type", ParamType::kString, nullptr, "RM-Gallery's name for `tokenizer` (wins when set)",
       TokenizerNames()},
      {"encoding_name",
       ParamType::kString,
       "cl100k_base",
       "tiktoken encoding: cl100k_base (the others ignore it, as in RM-Gallery)",
       {}},
      {"chinese_only",
       ParamType::kBool,
       false,
       "jieba: keep only the text's U+4E00-U+9FFF characters (the other tokenizers ignore it, as in RM-Gallery)",
       {}},
  };
}

std::shared_ptr<const Tokenizer> SelectedTokenizer(const Params& params) {
  const std::string type = params.GetString("tokenizer_type");
  const std::string name = type.empty() ? params.GetString("tokenizer") : type;
  if (name == "jieba" && params.GetBool("chinese_only")) return text::JiebaTokenizerInstance(true);
  // RM-Gallery hands encoding_name to tiktoken alone, so only tiktoken checks it.
  const std::string encoding = params.GetString("encoding_name");
  if (name == "tiktoken" && encoding != "cl100k_base") {
    throw RegistryError("parameter 'encoding_name' of reward '" + params.GetString("name") + "': '" + encoding +
                        "' is not one of cl100k_base");
  }
  return GetTokenizer(name);
}

void TokenizeStripped(const Tokenizer& tokenizer, std::string_view text, std::string* storage,
                      std::vector<std::string_view>* tokens, const Deadline& deadline) {
  tokenizer.TokenizeViews(text::StripPythonSpace(text), storage, tokens, deadline);
}

void TokenizeStrippedLower(const Tokenizer& tokenizer, std::string_view text, std::string* storage,
                           std::vector<std::string_view>* tokens, const Deadline& deadline) {
  text = text::StripPythonSpace(text);
  if (tokenizer.lower_cases()) {
    tokenizer.TokenizeViews(text, storage, tokens, deadline);
  } else {
    tokenizer.TokenizeViews(text::LowerUtf8(text), storage, tokens, deadline);
  }
}

}  // namespace rmg::gallery
