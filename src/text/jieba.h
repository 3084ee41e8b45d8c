// jieba's Chinese word segmentation, as RM-Gallery's "jieba" tokenizer calls it:
// jieba.cut(text) in its default mode (accurate, with the HMM for unknown words),
// over the dictionary and model of Debian's python3-jieba 0.42.1, embedded in librmg.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"
#include "text/jieba_finalseg.h"

namespace rmg::text {

class JiebaSegmenter {
 public:
  // Builds the prefix dictionary from the text of jieba's dict.txt ("word frequency
  // [tag]" per line). Throws std::runtime_error naming the line of a malformed entry.
  JiebaSegmenter(std::string_view dictionary, JiebaFinalseg finalseg);

  // Appends the pieces of jieba.cut(text) to `*pieces`, in order, as views into
  // `text`, which must be valid UTF-8. The pieces cover the text: every character
  // outside the dictionary's alphabet (CJK ideographs, ASCII letters and digits,
  // "+#&._%-") is a piece of its own, whitespace included, except that "\r\n" is one.
  // Time is linear in the text: no word is longer than the dictionary's longest.
  // Throws DeadlineExceeded once `deadline` has passed (checked every 64K characters).
  void Cut(std::string_view text, std::vector<std::string_view>* pieces,
           const Deadline& deadline = Deadline::Never()) const;

  // The segmenter over the embedded python3-jieba data, built on first use (about a
  // tenth of a second) and shared by all threads.
  static const JiebaSegmenter& Embedded();

 private:
  static constexpr uint32_t kNoNode = 0xFFFFFFFF;
  // The root's edges by the Basic Multilingual Plane's characters are an array: every
  // walk starts with one.
  static constexpr char32_t kRootTableSize = 0x10000;

  // The node reached from `node` by `character`, or kNoNode.
  uint32_t Child(uint32_t node, char32_t character) const;
  // Building: adds the edge from `node` by `character` (absent so far) to `child`.
  void AddEdge(uint32_t node, char32_t character, uint32_t child);
  // Building: moves the edges to a table of `slots` slots.
  void GrowEdges(size_t slots);

  struct Edge {
    uint64_t key = 0;  // EdgeKey(node, character); 0: free slot
    uint32_t child = kNoNode;
  };
  // Building: puts `edge` (absent so far) in its slot.
  void InsertEdge(const Edge& edge);

  void CutBlock(std::string_view block, std::vector<std::string_view>* pieces, const Deadline& deadline) const;
  void CutSingles(std::string_view singles, size_t characters, bool is_word, std::vector<std::string_view>* pieces,
                  const Deadline& deadline) const;

  // The dictionary as a trie over code points, node 0 its root: each node is a prefix
  // of some word, which jieba's prefix dictionary also holds, with its frequency as a
  // word (0 when it is only a prefix). Edges live in one open-addressing table keyed
  // by (node, character), so a walk costs one probe per character.
  std::vector<uint64_t> frequency_;      // by node
  std::vector<double> weight_;           // by node: log(frequency) - log(total), as jieba's route sums it
  std::vector<uint32_t> root_children_;  // by character below kRootTableSize
  std::vector<Edge> edges_;              // the other edges, by open addressing
  size_t edge_count_ = 0;
  int edge_shift_ = 0;
  double log_total_ = 0;
  JiebaFinalseg finalseg_;
};

}  // namespace rmg::text
