#include "text/jieba.h"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/thread_scratch.h"
#include "text/tokenizers_impl.h"
#include "text/unicode.h"
#include "text/word_table.h"

// python3-jieba's dict.txt, embedded by jieba_data.S; the size excludes the NUL after it.
extern "C" {
__attribute__((visibility("hidden"))) extern const char rmg_jieba_dict[];
__attribute__((visibility("hidden"))) extern const unsigned long long rmg_jieba_dict_size;
}

namespace rmg::text {
namespace {

// A character is segmented in tens of nanoseconds: the clock is read once per this many.
constexpr size_t kCharactersPerDeadlineCheck = size_t{1} << 16;

// The key of the trie edge from `node` by `character` (21 bits): never 0, the free slot.
uint64_t EdgeKey(uint32_t node, char32_t character) { return (uint64_t{node} + 1) << 21 | character; }

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
  struct Line {
    std::string_view word;
    uint64_t frequency;
  };
  std::vector<Line> lines;
  for (size_t pos = 0; pos < dictionary.size();) {
    size_t end = dictionary.find('\n', pos);
    if (end == std::string_view::npos) end = dictionary.size();
    const std::string_view line = StripAsciiSpace(dictionary.substr(pos, end - pos));
    pos = end + 1;
    const size_t word_end = line.find(' ');
    const std::string_view word = line.substr(0, word_end);
    const std::string_view rest = word_end == std::string_view::npos ? "" : line.substr(word_end + 1);
    const std::string_view count = rest.substr(0, rest.find(' '));
    uint64_t frequency = 0;
    const auto [count_end, error] = std::from_chars(count.data(), count.data() + count.size(), frequency);
    if (word.empty() || count.empty() || error != std::errc() || count_end != count.data() + count.size() ||
        ValidUtf8(word) != word) {
      throw std::runtime_error("invalid jieba dictionary entry at line " + std::to_string(lines.size() + 1) + ": " +
                               Excerpt(line));
    }
    lines.push_back({word, frequency});
  }

  root_children_.assign(kRootTableSize, kNoNode);
  GrowEdges(SlotCount(lines.size()));
  frequency_.assign(1, 0);
  uint64_t total = 0;
  for (const Line& line : lines) {
    uint32_t node = 0;
    for (size_t pos = 0; pos < line.word.size();) {
      const char32_t character = DecodeUtf8(line.word, &pos);
      uint32_t child = Child(node, character);
      if (child == kNoNode) {
        child = static_cast<uint32_t>(frequency_.size());
        frequency_.push_back(0);
        AddEdge(node, character, child);
      }
      node = child;
    }
    frequency_[node] = line.frequency;
    total += line.frequency;
  }
  log_total_ = std::log(static_cast<double>(total));
  weight_.resize(frequency_.size());
  for (size_t node = 0; node < frequency_.size(); ++node) {
    if (frequency_[node] > 0) weight_[node] = std::log(static_cast<double>(frequency_[node])) - log_total_;
  }
}

const JiebaSegmenter& JiebaSegmenter::Embedded() {
  static const JiebaSegmenter segmenter(std::string_view(rmg_jieba_dict, rmg_jieba_dict_size),
                                        JiebaFinalseg::Embedded());
  return segmenter;
}

uint32_t JiebaSegmenter::Child(uint32_t node, char32_t character) const {
  if (node == 0 && character < kRootTableSize) return root_children_[character];
  const uint64_t key = EdgeKey(node, character);
  const size_t mask = edges_.size() - 1;
  for (size_t slot = HomeSlot(key, edge_shift_);; slot = (slot + 1) & mask) {
    if (edges_[slot].key == key) return edges_[slot].child;
    if (edges_[slot].key == 0) return kNoNode;
  }
}

void JiebaSegmenter::AddEdge(uint32_t node, char32_t character, uint32_t child) {
  if (node == 0 && character < kRootTableSize) {
    root_children_[character] = child;
    return;
  }
  if (2 * (edge_count_ + 1) > edges_.size()) GrowEdges(2 * edges_.size());
  InsertEdge({EdgeKey(node, character), child});
  ++edge_count_;
}

void JiebaSegmenter::InsertEdge(const Edge& edge) {
  const size_t mask = edges_.size() - 1;
  size_t slot = HomeSlot(edge.key, edge_shift_);
  while (edges_[slot].key != 0) slot = (slot + 1) & mask;
  edges_[slot] = edge;
}

void JiebaSegmenter::GrowEdges(size_t slots) {
  std::vector<Edge> old = std::move(edges_);
  edges_.assign(slots, Edge{});
  edge_shift_ = SlotShift(slots);
  for (const Edge& edge : old) {
    if (edge.key != 0) InsertEdge(edge);
  }
}

// jieba's Tokenizer.cut(): runs of the dictionary's alphabet go to the dictionary
// cut; re_skip_default splits the rest into whitespace ("\r\n" whole) and single
// characters.
void JiebaSegmenter::Cut(std::string_view text, std::vector<std::string_view>* pieces, const Deadline& deadline) const {
  size_t pos = 0;
  size_t next_check = 0;  // in bytes, which are at least as many as the characters
  while (pos < text.size()) {
    if (pos >= next_check) {
      deadline.Check();
      next_check = pos + kCharactersPerDeadlineCheck;
    }
    const size_t start = pos;
    if (IsDictionaryAlphabet(DecodeUtf8(text, &pos))) {
      while (pos < text.size()) {
        size_t next = pos;
        if (!IsDictionaryAlphabet(DecodeUtf8(text, &next))) break;
        pos = next;
      }
      CutBlock(text.substr(start, pos - start), pieces, deadline);
    } else {
      if (text[start] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      pieces->push_back(text.substr(start, pos - start));
    }
  }
}

// jieba's __cut_DAG(): the most probable route through the dictionary's words (a
// character no word starts with is a word of frequency 1), then the runs of
// single-character steps go to CutSingles().
void JiebaSegmenter::CutBlock(std::string_view block, std::vector<std::string_view>* pieces,
                              const Deadline& deadline) const {
  struct Scratch {
    std::vector<size_t> offsets;  // where each character starts, then block.size()
    std::vector<char32_t> characters;
    std::vector<double> route_weight;
    std::vector<size_t> route_end;  // the last character of the route's first word from here
  };
  thread_local Scratch scratch;
  const ScratchReset reset(scratch, block.size());
  std::vector<size_t>& offsets = scratch.offsets;
  std::vector<char32_t>& characters = scratch.characters;
  offsets.clear();
  characters.clear();
  for (size_t pos = 0; pos < block.size();) {
    offsets.push_back(pos);
    characters.push_back(DecodeUtf8(block, &pos));
  }
  offsets.push_back(block.size());
  const size_t n = characters.size();
  scratch.route_weight.assign(n + 1, 0.0);
  scratch.route_end.assign(n + 1, 0);
  deadline.Check();
  const auto word = [&](size_t first, size_t last) {
    return block.substr(offsets[first], offsets[last + 1] - offsets[first]);
  };
  // Python takes max() of (weight, end) tuples: equal weights go to the longer word.
  for (size_t k = n; k-- > 0;) {
    if (k % kCharactersPerDeadlineCheck == 0) deadline.Check();
    bool found = false;
    double best_weight = 0;
    size_t best_end = k;
    uint32_t node = 0;
    for (size_t i = k; i < n; ++i) {
      node = Child(node, characters[i]);
      if (node == kNoNode) break;
      if (frequency_[node] == 0) continue;
      const double weight = weight_[node] + scratch.route_weight[i + 1];
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
  const auto cut_singles = [&](size_t end) {
    // A run that is a word of the dictionary is split into its characters; jieba asks
    // the HMM only about runs it does not know.
    uint32_t node = 0;
    for (size_t i = singles_begin; i < end && node != kNoNode; ++i) node = Child(node, characters[i]);
    CutSingles(word(singles_begin, end - 1), end - singles_begin, node != kNoNode && frequency_[node] > 0, pieces,
               deadline);
    singles_begin = n;
  };
  for (size_t x = 0; x < n;) {
    const size_t last = scratch.route_end[x];
    if (last == x) {
      if (singles_begin == n) singles_begin = x;
    } else {
      if (singles_begin != n) cut_singles(x);
      pieces->push_back(word(x, last));
    }
    x = last + 1;
  }
  if (singles_begin != n) cut_singles(n);
}

// A run of `characters` single-character steps: one character stays; a run that is not
// a word goes to the HMM, which may join its characters; a word is split into them.
void JiebaSegmenter::CutSingles(std::string_view singles, size_t characters, bool is_word,
                                std::vector<std::string_view>* pieces, const Deadline& deadline) const {
  if (characters == 1) {
    pieces->push_back(singles);
  } else if (!is_word) {
    finalseg_.Cut(singles, pieces, deadline);
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

  std::vector<std::string> Tokenize(std::string_view text, const Deadline& deadline) const override {
    std::string storage;
    std::vector<std::string_view> views;
    TokenizeViews(text, &storage, &views, deadline);
    return {views.begin(), views.end()};
  }

  void TokenizeViews(std::string_view text, std::string* storage, std::vector<std::string_view>* tokens,
                     const Deadline& deadline) const override {
    deadline.Check();
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
    deadline.Check();
    JiebaSegmenter::Embedded().Cut(*storage, tokens, deadline);
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
