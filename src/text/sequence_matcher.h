// SequenceMatcher: CPython 3.11's difflib.SequenceMatcher over code points, with
// isjunk=None. RM-Gallery's code_patch_similarity reward is
// SequenceMatcher(None, generated, reference).ratio(), so results here must be
// identical to Python's for every input: the same longest-match tie-breaking, the
// same "popular element" heuristic (autojunk), the same block merging. Offsets are
// code-point offsets, as Python's str indices are.
//
// A SequenceMatcher is not thread-safe (it caches results and keeps scratch
// buffers); use one per thread. SequenceRatio() does that for you.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::text {

// difflib's Match(a, b, size): a[a:a+size] == b[b:b+size].
struct MatchingBlock {
  size_t a = 0;
  size_t b = 0;
  size_t size = 0;

  friend bool operator==(const MatchingBlock&, const MatchingBlock&) = default;
};

// One tuple of difflib's get_opcodes(): how to turn a[i1:i2] into b[j1:j2].
struct Opcode {
  enum class Tag { kReplace, kDelete, kInsert, kEqual };

  Tag tag = Tag::kEqual;
  size_t i1 = 0;
  size_t i2 = 0;
  size_t j1 = 0;
  size_t j2 = 0;

  friend bool operator==(const Opcode&, const Opcode&) = default;
};

// Python's spelling of `tag`: "replace", "delete", "insert" or "equal".
std::string_view OpcodeTagName(Opcode::Tag tag);

class SequenceMatcher {
 public:
  // Compares `a` with `b`. Only the views are kept: both strings must outlive the
  // matcher (or the next SetSequences()). `autojunk` is difflib's flag of that name:
  // when b has at least 200 elements, elements occurring more than 1 + len(b)/100
  // times are not used to seed matches (they can still extend one).
  SequenceMatcher(std::u32string_view a, std::u32string_view b, bool autojunk = true);

  // An empty matcher (comparing "" with ""), meant to be reused via SetSequences().
  SequenceMatcher() : SequenceMatcher({}, {}) {}

  SequenceMatcher(const SequenceMatcher&) = delete;
  SequenceMatcher& operator=(const SequenceMatcher&) = delete;
  // Moves keep the views of the compared sequences (their owner must outlive both).
  SequenceMatcher(SequenceMatcher&&) = default;
  SequenceMatcher& operator=(SequenceMatcher&&) = default;

  // Starts over on a new pair, keeping the allocated buffers so that a matcher
  // reused across many pairs allocates nothing in steady state.
  void SetSequences(std::u32string_view a, std::u32string_view b, bool autojunk = true);

  // difflib's find_longest_match(alo, ahi, blo, bhi): the longest matching block
  // within a[alo:ahi] and b[blo:bhi]; among equally long ones the one starting
  // earliest in a, then earliest in b (before extension over popular elements).
  // size == 0 (at (alo, blo)) when there is none. Throws std::out_of_range unless
  // alo <= ahi <= len(a) and blo <= bhi <= len(b), and DeadlineExceeded if
  // `deadline` passes meanwhile.
  MatchingBlock FindLongestMatch(size_t alo, size_t ahi, size_t blo, size_t bhi,
                                 const Deadline& deadline);

  // difflib's get_matching_blocks(): non-adjacent matching blocks in increasing
  // order of a (and b), followed by the sentinel {len(a), len(b), 0}. The result is
  // cached; the reference stays valid until SetSequences() or destruction. Throws
  // DeadlineExceeded if `deadline` passes first (nothing is cached then).
  const std::vector<MatchingBlock>& MatchingBlocks(const Deadline& deadline);

  // difflib's get_opcodes(). Throws DeadlineExceeded like MatchingBlocks().
  std::vector<Opcode> Opcodes(const Deadline& deadline);

  // difflib's ratio(): 2*M/T, M = matched elements, T = len(a) + len(b); 1.0 when
  // both are empty. Throws DeadlineExceeded like MatchingBlocks().
  double Ratio(const Deadline& deadline);

 private:
  friend class SequenceMatcherTestPeer;

  // Marks an element of a that never occurs (usefully) in b.
  static constexpr uint32_t kNoId = UINT32_MAX;

  // Cell of the find_longest_match dynamic programme: `length` is the length of the
  // match ending at b[j-1] found in row `stamp`.
  struct Cell {
    uint32_t stamp;
    uint32_t length;
  };

  void IndexB();
  uint32_t LookupId(char32_t cp) const;
  void ChargeWork(size_t units, const Deadline& deadline);

  std::u32string_view a_;
  std::u32string_view b_;
  bool autojunk_ = true;

  // difflib's b2j in CSR form: distinct elements of b get dense ids; the positions
  // of id k in b are positions_[offsets_[k] .. offsets_[k+1]), ascending. Popular
  // elements keep their positions; a_ids_ is what drops them. ascii_ids_ covers
  // ASCII directly; other code points go through an open-addressing table
  // (wide_keys_/wide_ids_), so no per-pair table scales with the alphabet.
  uint32_t ascii_ids_[128] = {};
  std::vector<char32_t> wide_keys_;
  std::vector<uint32_t> wide_ids_;  // kNoId marks a free slot
  int wide_shift_ = 32;             // 32 - log2(table size)
  std::vector<uint32_t> b_ids_;     // id of each element of b; scratch of IndexB()
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> positions_;
  // a_ids_[i] is the id of a[i], or kNoId if a[i] cannot seed a match.
  std::vector<uint32_t> a_ids_;

  // j2len of find_longest_match, as one array indexed by j + 1 whose entries are
  // valid only if stamped with the previous row; this replaces Python's two dicts
  // with no clearing between rows or calls.
  std::vector<Cell> cells_;
  uint32_t stamp_ = 0;

  // Work done since the clock was last read; reading it per row would cost more
  // than the row.
  size_t work_since_check_ = 0;

  bool blocks_ready_ = false;
  std::vector<MatchingBlock> blocks_;
  std::vector<MatchingBlock> raw_blocks_;
  struct Range {
    size_t alo, ahi, blo, bhi;
  };
  std::vector<Range> queue_;
};

// difflib.SequenceMatcher(None, a, b).ratio() with a and b decoded from UTF-8
// (invalid bytes become U+FFFD). Reuses per-thread buffers. Throws
// DeadlineExceeded if `deadline` passes first.
double SequenceRatio(std::string_view utf8_a, std::string_view utf8_b, const Deadline& deadline);

// Appends the code points of `utf8` to `out` (invalid bytes become U+FFFD).
void DecodeUtf8To(std::string_view utf8, std::u32string* out);

}  // namespace rmg::text
