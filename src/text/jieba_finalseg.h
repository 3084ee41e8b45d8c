// jieba's "finalseg": the hidden Markov model that cuts the runs of characters its
// dictionary does not know into words (jieba/finalseg/__init__.py's cut(), which
// jieba.cut() calls with HMM=True, its default).
#pragma once

#include <array>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::text {

class JiebaFinalseg {
 public:
  // Builds the model from the text of finalseg's prob_start.py, prob_trans.py and
  // prob_emit.py, each of which assigns one Python dict literal to `P`. Throws
  // std::runtime_error naming the file and byte offset of anything else.
  JiebaFinalseg(std::string_view prob_start, std::string_view prob_trans, std::string_view prob_emit);

  // The model built from python3-jieba's files embedded in librmg.
  static JiebaFinalseg Embedded();

  // Appends the pieces of finalseg.cut(text) to `*pieces`, in order, as views into
  // `text`: each run of U+4E00..U+9FD5 cut along the model's most probable B/M/E/S
  // labelling; elsewhere each ASCII word or number ("abc", "3.5%") is a piece, and so
  // is each stretch between them. `text` is valid UTF-8 holding only the characters
  // jieba's dictionary cut hands over (those ideographs, ASCII letters and digits, and
  // "+#&._%-"); a Unicode digit elsewhere would not continue a number as in Python.
  // Throws DeadlineExceeded once `deadline` has passed (checked every 64K characters).
  void Cut(std::string_view text, std::vector<std::string_view>* pieces,
           const Deadline& deadline = Deadline::Never()) const;

 private:
  // States in the order of their indices: B(egin), M(iddle), E(nd), S(ingle).
  using StateProbabilities = std::array<double, 4>;

  void CutHanRun(std::string_view run, std::vector<std::string_view>* pieces, const Deadline& deadline) const;
  const StateProbabilities& Emission(char32_t character) const;

  StateProbabilities start_;
  std::array<StateProbabilities, 4> transition_;  // [from][to]
  std::unordered_map<char32_t, StateProbabilities> emission_;
};

}  // namespace rmg::text
