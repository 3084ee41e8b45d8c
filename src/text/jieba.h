// jieba's Chinese word segmentation, as RM-Gallery's "jieba" tokenizer calls it:
// jieba.cut(text) in its default mode (accurate, with the HMM for unknown words),
// over the dictionary and model of Debian's python3-jieba 0.42.1, embedded in librmg.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rmg/string_hash.h"
#include "text/jieba_finalseg.h"

namespace rmg::text {

class JiebaSegmenter {
 public:
  // Builds the prefix dictionary from the text of jieba's dict.txt ("word frequency
  // [tag]" per line), which must outlive the segmenter. Throws std::runtime_error
  // naming the line of a malformed entry.
  JiebaSegmenter(std::string_view dictionary, JiebaFinalseg finalseg);

  // Appends the pieces of jieba.cut(text) to `*pieces`, in order, as views into
  // `text`, which must be valid UTF-8. The pieces cover the text: every character
  // outside the dictionary's alphabet (CJK ideographs, ASCII letters and digits,
  // "+#&._%-") is a piece of its own, whitespace included, except that "\r\n" is one.
  // Time is linear in the text: no word is longer than the dictionary's longest.
  void Cut(std::string_view text, std::vector<std::string_view>* pieces) const;

  // The segmenter over the embedded python3-jieba data, built on first use (about a
  // tenth of a second) and shared by all threads.
  static const JiebaSegmenter& Embedded();

 private:
  struct Entry {
    uint64_t frequency = 0;  // 0: only a prefix of longer words
    double weight = 0;       // log(frequency) - log(total), as jieba's route sums it
  };

  void CutBlock(std::string_view block, std::vector<std::string_view>* pieces) const;
  void CutSingles(std::string_view singles, size_t characters, std::vector<std::string_view>* pieces) const;
  uint64_t Frequency(std::string_view word) const;

  std::unordered_map<std::string_view, Entry, SeededStringHash, std::equal_to<>> words_;
  double log_total_ = 0;
  JiebaFinalseg finalseg_;
};

}  // namespace rmg::text
