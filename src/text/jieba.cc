#include "text/jieba.h"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "text/tokenizers_impl.h"
#include "text/unicode.h"

// python3-jieba's dict.txt, embedded by jieba_data.S; the size excludes the NUL after it.
extern "C" {
__attribute__((visibility("hidden"))) extern const char rmg_jieba_dict[];
__attribute__((visibility("hidden"))) extern const unsigned long long rmg_jieba_dict_size;
}

namespace rmg::text {
namespace {

// The characters of jieba's re_han_default, which the dictionary cut handles; every
// other character is a piece of its own.
bool IsDictionaryAlphabet(char32_t c) {
  if (c >= 0x4E00 && c <= 0x9FD5) return true;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c == '+' || c == '#' || c == '&' || c == '.' || c == '_' || c == '%' || c == '-';
}

// Python's bytes.strip(): ASCII whitespace at both ends.
std::string_view StripAsciiSpace(std::string_view line) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!line.empty() && space(line.front())) line.remove_prefix(1);
  while (!line.empty() && space(line.back())) line.remove_suffix(1);
  return line;
}

}  // namespace

// jieba's gen_pfdict(): each word with its frequency (a repeated word keeps its last
// one; the total counts every line), and each of its prefixes with frequency 0 unless
// it is a word itself.
JiebaSegmenter::JiebaSegmenter(std::string_view dictionary, JiebaFinalseg finalseg) : finalseg_(std::move(finalseg)) {
  uint64_t total = 0;
  size_t line_number = 0;
  for (size_t pos = 0; pos < dictionary.size();) {
    size_t end = dictionary.find('\n', pos);
    if (end == std::string_view::npos) end = dictionary.size();
    const std::string_view line = StripAsciiSpace(dictionary.substr(pos, end - pos));
    pos = end + 1;
    ++line_number;
    const size_t word_end = line.find(' ');
    const std::string_view word = line.substr(0, word_end);
    const std::string_view rest = word_end == std::string_view::npos ? "" : line.substr(word_end + 1);
    const std::string_view count = rest.substr(0, rest.find(' '));
    uint64_t frequency = 0;
    const auto [count_end, error] = std::from_chars(count.data(), count.data() + count.size(), frequency);
    if (word.empty() || count.empty() || error != std::errc() || count_end != count.data() + count.size() ||
        ValidUtf8(word) != word) {
      throw std::runtime_error("invalid jieba dictionary entry at line " + std::to_string(line_number) + ": " +
                               Excerpt(line));
    }
    words_[word].frequency = frequency;
    total += frequency;
    for (size_t prefix_end = 0; prefix_end < word.size();) {
      DecodeUtf8(word, &prefix_end);
      words_.try_emplace(word.substr(0, prefix_end));
    }
  }
  log_total_ = std::log(static_cast<double>(total));
  for (auto& [word, entry] : words_) {
    if (entry.frequency > 0) entry.weight = std::log(static_cast<double>(entry.frequency)) - log_total_;
  }
}

const JiebaSegmenter& JiebaSegmenter::Embedded() {
  static const JiebaSegmenter segmenter(std::string_view(rmg_jieba_dict, rmg_jieba_dict_size),
                                        JiebaFinalseg::Embedded());
  return segmenter;
}

uint64_t JiebaSegmenter::Frequency(std::string_view word) const {
  const auto found = words_.find(word);
  return found == words_.end() ? 0 : found->second.frequency;
}

// jieba's Tokenizer.cut(): runs of the dictionary's alphabet go to the dictionary
// cut; re_skip_default splits the rest into whitespace ("\r\n" whole) and single
// characters.
void JiebaSegmenter::Cut(std::string_view text, std::vector<std::string_view>* pieces) const {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    if (IsDictionaryAlphabet(DecodeUtf8(text, &pos))) {
      while (pos < text.size()) {
        size_t next = pos;
        if (!IsDictionaryAlphabet(DecodeUtf8(text, &next))) break;
        pos = next;
      }
      CutBlock(text.substr(start, pos - start), pieces);
    } else {
      if (text[start] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      pieces->push_back(text.substr(start, pos - start));
    }
  }
}

// jieba's __cut_DAG(): the most probable route through the dictionary's words (a
// character no word starts with is a word of frequency 1), then the runs of
// single-character steps go to CutSingles().
void JiebaSegmenter::CutBlock(std::string_view block, std::vector<std::string_view>* pieces) const {
  struct Scratch {
    std::vector<size_t> offsets;  // where each character starts, then block.size()
    std::vector<double> route_weight;
    std::vector<size_t> route_end;  // the last character of the route's first word from here
  };
  thread_local Scratch scratch;
  std::vector<size_t>& offsets = scratch.offsets;
  offsets.clear();
  for (size_t pos = 0; pos < block.size(); DecodeUtf8(block, &pos)) offsets.push_back(pos);
  offsets.push_back(block.size());
  const size_t n = offsets.size() - 1;
  scratch.route_weight.assign(n + 1, 0.0);
  scratch.route_end.assign(n + 1, 0);
  const auto word = [&](size_t first, size_t last) {
    return block.substr(offsets[first], offsets[last + 1] - offsets[first]);
  };
  // Python takes max() of (weight, end) tuples: equal weights go to the longer word.
  for (size_t k = n; k-- > 0;) {
    bool found = false;
    double best_weight = 0;
    size_t best_end = k;
    for (size_t i = k; i < n; ++i) {
      const auto entry = words_.find(word(k, i));
      if (entry == words_.end()) break;
      if (entry->second.frequency == 0) continue;
      const double weight = entry->second.weight + scratch.route_weight[i + 1];
      if (!found || weight >= best_weight) {
        found = true;
        best_weight = weight;
        best_end = i;
      }
    }
    if (!found) best_weight = (std::log(1.0) - log_total_) + scratch.route_weight[k + 1];
    scratch.route_weight[k] = best_weight;
    scratch.route_end[k] = best_end;
  }
  size_t singles_begin = n;  // n: no run of single characters open
  for (size_t x = 0; x < n;) {
    const size_t last = scratch.route_end[x];
    if (last == x) {
      if (singles_begin == n) singles_begin = x;
    } else {
      if (singles_begin != n) CutSingles(word(singles_begin, x - 1), x - singles_begin, pieces);
      singles_begin = n;
      pieces->push_back(word(x, last));
    }
    x = last + 1;
  }
  if (singles_begin != n) CutSingles(word(singles_begin, n - 1), n - singles_begin, pieces);
}

// A run of `characters` single-character steps: one character stays; a run that is not
// a word goes to the HMM, which may join its characters; a word is split into them.
void JiebaSegmenter::CutSingles(std::string_view singles, size_t characters,
                                std::vector<std::string_view>* pieces) const {
  if (characters == 1) {
    pieces->push_back(singles);
  } else if (Frequency(singles) == 0) {
    finalseg_.Cut(singles, pieces);
  } else {
    for (size_t pos = 0; pos < singles.size();) {
      const size_t start = pos;
      DecodeUtf8(singles, &pos);
      pieces->push_back(singles.substr(start, pos - start));
    }
  }
}

namespace {

// RM-Gallery's JiebaTokenizer: the pieces of jieba.cut(), whitespace pieces included;
// with chinese_only, of the text's U+4E00..U+9FFF characters alone, joined.
class JiebaTokenizer final : public Tokenizer {
 public:
  explicit JiebaTokenizer(bool chinese_only) : chinese_only_(chinese_only) {}

  std::string_view name() const override { return "jieba"; }

  std::vector<std::string> Tokenize(std::string_view text) const override {
    std::string storage;
    std::vector<std::string_view> views;
    TokenizeViews(text, &storage, &views);
    return {views.begin(), views.end()};
  }

  void TokenizeViews(std::string_view text, std::string* storage,
                     std::vector<std::string_view>* tokens) const override {
    if (chinese_only_) {
      storage->clear();
      for (size_t pos = 0; pos < text.size();) {
        const char32_t c = DecodeUtf8(text, &pos);
        if (c >= 0x4E00 && c <= 0x9FFF) AppendUtf8(c, storage);
      }
    } else {
      *storage = ValidUtf8(text);
    }
    tokens->clear();
    JiebaSegmenter::Embedded().Cut(*storage, tokens);
  }

 private:
  bool chinese_only_;
};

}  // namespace

std::shared_ptr<const Tokenizer> JiebaTokenizerInstance(bool chinese_only) {
  static const auto all_text = std::make_shared<JiebaTokenizer>(false);
  static const auto chinese = std::make_shared<JiebaTokenizer>(true);
  return chinese_only ? chinese : all_text;
}

}  // namespace rmg::text
