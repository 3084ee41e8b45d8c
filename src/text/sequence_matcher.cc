#include "text/sequence_matcher.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "core/thread_scratch.h"
#include "text/unicode.h"

namespace rmg::text {

namespace {

// Units of inner-loop work (rows plus candidate positions) between two reads of the
// clock: a few tens of microseconds, so a deadline is overshot by little while the
// clock costs nothing measurable.
constexpr size_t kWorkPerDeadlineCheck = size_t{1} << 14;

}  // namespace

std::string_view OpcodeTagName(Opcode::Tag tag) {
  switch (tag) {
    case Opcode::Tag::kReplace:
      return "replace";
    case Opcode::Tag::kDelete:
      return "delete";
    case Opcode::Tag::kInsert:
      return "insert";
    case Opcode::Tag::kEqual:
      return "equal";
  }
  return "?";
}

SequenceMatcher::SequenceMatcher(std::u32string_view a, std::u32string_view b, bool autojunk) {
  SetSequences(a, b, autojunk);
}

void SequenceMatcher::SetSequences(std::u32string_view a, std::u32string_view b, bool autojunk) {
  // Positions, lengths and row stamps are 32-bit to halve the memory traffic of
  // the inner loop; no reward compares texts anywhere near 4G characters.
  if (a.size() >= UINT32_MAX / 2 || b.size() >= UINT32_MAX / 2) {
    throw std::length_error("SequenceMatcher: sequence too long");
  }
  a_ = a;
  b_ = b;
  autojunk_ = autojunk;
  blocks_ready_ = false;
  blocks_.clear();
  if (cells_.size() < b_.size() + 1) cells_.resize(b_.size() + 1, Cell{0, 0});
  IndexB();
}

uint32_t SequenceMatcher::LookupId(char32_t cp) const {
  if (cp < 128) return ascii_ids_[cp];
  if (wide_ids_.empty()) return kNoId;
  const size_t mask = wide_ids_.size() - 1;
  size_t slot = (static_cast<uint32_t>(cp) * 0x9E3779B1u) >> wide_shift_;
  while (wide_ids_[slot] != kNoId) {
    if (wide_keys_[slot] == cp) return wide_ids_[slot];
    slot = (slot + 1) & mask;
  }
  return kNoId;
}

void SequenceMatcher::IndexB() {
  std::fill(std::begin(ascii_ids_), std::end(ascii_ids_), kNoId);

  // Size the table for the worst case (every non-ASCII element distinct) so that it
  // never needs to grow; it stays at most half full, which keeps probes short.
  size_t wide_count = 0;
  for (char32_t cp : b_) wide_count += cp >= 128;
  wide_ids_.clear();
  wide_keys_.clear();
  if (wide_count > 0) {
    const size_t capacity = std::bit_ceil(std::max<size_t>(16, 2 * wide_count));
    wide_shift_ = 32 - std::countr_zero(capacity);
    wide_ids_.assign(capacity, kNoId);
    wide_keys_.assign(capacity, 0);
  }

  // First pass: dense ids in order of first occurrence, and how often each occurs.
  b_ids_.resize(b_.size());
  offsets_.clear();
  offsets_.push_back(0);
  uint32_t next_id = 0;
  for (size_t j = 0; j < b_.size(); ++j) {
    const char32_t cp = b_[j];
    uint32_t id;
    if (cp < 128) {
      id = ascii_ids_[cp];
      if (id == kNoId) id = ascii_ids_[cp] = next_id++;
    } else {
      const size_t mask = wide_ids_.size() - 1;
      size_t slot = (static_cast<uint32_t>(cp) * 0x9E3779B1u) >> wide_shift_;
      while (wide_ids_[slot] != kNoId && wide_keys_[slot] != cp) slot = (slot + 1) & mask;
      if (wide_ids_[slot] == kNoId) {
        wide_keys_[slot] = cp;
        wide_ids_[slot] = next_id++;
      }
      id = wide_ids_[slot];
    }
    if (id + 1 >= offsets_.size()) offsets_.push_back(0);
    ++offsets_[id + 1];
    b_ids_[j] = id;
  }

  // Second pass: counts -> CSR offsets, then positions in ascending order per id
  // (difflib's b2j lists are built by appending, so they are ascending too).
  for (size_t k = 1; k < offsets_.size(); ++k) offsets_[k] += offsets_[k - 1];
  positions_.resize(b_.size());
  {
    // offsets_[id] is used as the fill cursor of id, which shifts the table down
    // by one id; shifting it back afterwards avoids a second cursor array.
    for (size_t j = 0; j < b_.size(); ++j) positions_[offsets_[b_ids_[j]]++] = static_cast<uint32_t>(j);
    for (size_t k = offsets_.size() - 1; k > 0; --k) offsets_[k] = offsets_[k - 1];
    offsets_[0] = 0;
  }

  // difflib drops popular elements from b2j only when autojunk is on and len(b) >=
  // 200. Here they keep their positions but can no longer seed a match from a.
  size_t popular_threshold = SIZE_MAX;
  if (autojunk_ && b_.size() >= 200) popular_threshold = b_.size() / 100 + 1;
  a_ids_.resize(a_.size());
  for (size_t i = 0; i < a_.size(); ++i) {
    uint32_t id = LookupId(a_[i]);
    if (id != kNoId && offsets_[id + 1] - offsets_[id] > popular_threshold) id = kNoId;
    a_ids_[i] = id;
  }
}

void SequenceMatcher::ChargeWork(size_t units, const Deadline& deadline) {
  work_since_check_ += units;
  if (work_since_check_ < kWorkPerDeadlineCheck) return;
  work_since_check_ = 0;
  deadline.Check();
}

MatchingBlock SequenceMatcher::FindLongestMatch(size_t alo, size_t ahi, size_t blo, size_t bhi,
                                                const Deadline& deadline) {
  if (alo > ahi || ahi > a_.size() || blo > bhi || bhi > b_.size()) {
    throw std::out_of_range("SequenceMatcher::FindLongestMatch: range out of bounds");
  }
  const bool bounded = !deadline.Unbounded();
  size_t best_i = alo;
  size_t best_j = blo;
  size_t best_size = 0;

  // Each row gets a fresh stamp, plus one unused stamp per call so that the first
  // row never sees the last row of the previous call as its predecessor.
  if (UINT32_MAX - stamp_ < (ahi - alo) + 2) {
    std::fill(cells_.begin(), cells_.end(), Cell{0, 0});
    stamp_ = 0;
  }
  ++stamp_;

  Cell* const cells = cells_.data();
  const uint32_t* const positions = positions_.data();
  const uint32_t* const offsets = offsets_.data();
  for (size_t i = alo; i < ahi; ++i) {
    const uint32_t row = ++stamp_;
    const uint32_t id = a_ids_[i];
    if (id == kNoId) {
      if (bounded) ChargeWork(1, deadline);
      continue;
    }
    const uint32_t* first = positions + offsets[id];
    const uint32_t* last = positions + offsets[id + 1];
    // Python skips the positions below blo one by one and stops at bhi; binary
    // search gives the same range.
    if (blo > 0) first = std::lower_bound(first, last, static_cast<uint32_t>(blo));
    if (bhi < b_.size()) last = std::lower_bound(first, last, static_cast<uint32_t>(bhi));
    if (bounded) ChargeWork(1 + static_cast<size_t>(last - first), deadline);

    // Walking the positions backwards lets one array hold both the previous row
    // (read at j) and this one (written at j + 1). Python walks forwards and keeps
    // the first j reaching a new best, i.e. the smallest j of the row's longest
    // match; ">=" while walking backwards selects the same one.
    uint32_t row_size = 0;
    uint32_t row_j = 0;
    const uint32_t previous_row = row - 1;
    for (const uint32_t* p = last; p != first;) {
      const uint32_t j = *--p;
      const Cell before = cells[j];
      const uint32_t k = (before.stamp == previous_row ? before.length : 0) + 1;
      cells[j + 1] = Cell{row, k};
      if (k >= row_size) {
        row_size = k;
        row_j = j;
      }
    }
    if (row_size > best_size) {
      best_i = i + 1 - row_size;
      best_j = static_cast<size_t>(row_j) + 1 - row_size;
      best_size = row_size;
    }
  }

  // Popular elements cannot seed a match but may extend one, exactly as in difflib.
  // (Its two extra loops over junk elements do nothing without an isjunk function.)
  while (best_i > alo && best_j > blo && a_[best_i - 1] == b_[best_j - 1]) {
    --best_i;
    --best_j;
    ++best_size;
  }
  while (best_i + best_size < ahi && best_j + best_size < bhi &&
         a_[best_i + best_size] == b_[best_j + best_size]) {
    ++best_size;
  }
  return MatchingBlock{best_i, best_j, best_size};
}

const std::vector<MatchingBlock>& SequenceMatcher::MatchingBlocks(const Deadline& deadline) {
  if (blocks_ready_) return blocks_;
  // Checked up front so that an expired deadline fails the same way on any input.
  deadline.Check();
  work_since_check_ = 0;

  const size_t la = a_.size();
  const size_t lb = b_.size();
  raw_blocks_.clear();
  queue_.clear();
  queue_.push_back(Range{0, la, 0, lb});
  // difflib's explicit stack, popped from the back. The order does not change the
  // result (the ranges are disjoint and the blocks are sorted afterwards), but
  // keeping it makes the two easy to compare step by step.
  while (!queue_.empty()) {
    const Range r = queue_.back();
    queue_.pop_back();
    const MatchingBlock m = FindLongestMatch(r.alo, r.ahi, r.blo, r.bhi, deadline);
    if (m.size == 0) continue;
    raw_blocks_.push_back(m);
    if (r.alo < m.a && r.blo < m.b) queue_.push_back(Range{r.alo, m.a, r.blo, m.b});
    if (m.a + m.size < r.ahi && m.b + m.size < r.bhi) {
      queue_.push_back(Range{m.a + m.size, r.ahi, m.b + m.size, r.bhi});
    }
  }
  std::sort(raw_blocks_.begin(), raw_blocks_.end(), [](const MatchingBlock& x, const MatchingBlock& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    return x.size < y.size;
  });

  // Blocks found in different subproblems can touch end to start; difflib merges
  // them so that each block is maximal.
  blocks_.clear();
  MatchingBlock current{0, 0, 0};
  for (const MatchingBlock& m : raw_blocks_) {
    if (current.a + current.size == m.a && current.b + current.size == m.b) {
      current.size += m.size;
    } else {
      if (current.size > 0) blocks_.push_back(current);
      current = m;
    }
  }
  if (current.size > 0) blocks_.push_back(current);
  blocks_.push_back(MatchingBlock{la, lb, 0});
  blocks_ready_ = true;
  return blocks_;
}

std::vector<Opcode> SequenceMatcher::Opcodes(const Deadline& deadline) {
  const std::vector<MatchingBlock>& blocks = MatchingBlocks(deadline);
  std::vector<Opcode> opcodes;
  opcodes.reserve(2 * blocks.size());
  size_t i = 0;
  size_t j = 0;
  for (const MatchingBlock& m : blocks) {
    if (i < m.a && j < m.b) {
      opcodes.push_back(Opcode{Opcode::Tag::kReplace, i, m.a, j, m.b});
    } else if (i < m.a) {
      opcodes.push_back(Opcode{Opcode::Tag::kDelete, i, m.a, j, m.b});
    } else if (j < m.b) {
      opcodes.push_back(Opcode{Opcode::Tag::kInsert, i, m.a, j, m.b});
    }
    i = m.a + m.size;
    j = m.b + m.size;
    if (m.size > 0) opcodes.push_back(Opcode{Opcode::Tag::kEqual, m.a, i, m.b, j});
  }
  return opcodes;
}

double SequenceMatcher::Ratio(const Deadline& deadline) {
  size_t matches = 0;
  for (const MatchingBlock& m : MatchingBlocks(deadline)) matches += m.size;
  const size_t length = a_.size() + b_.size();
  if (length == 0) return 1.0;
  // Same operations in the same order as difflib's 2.0 * matches / length, so the
  // double is bit-identical.
  return 2.0 * static_cast<double>(matches) / static_cast<double>(length);
}

void DecodeUtf8To(std::string_view utf8, std::u32string* out) {
  // No more code points than bytes: write through a pointer into room made up
  // front, then trim, because push_back's capacity check dominated decoding.
  const size_t old_size = out->size();
  out->resize(old_size + utf8.size());
  char32_t* const begin = out->data() + old_size;
  char32_t* dst = begin;
  size_t pos = 0;
  while (pos < utf8.size()) {
    const auto byte = static_cast<unsigned char>(utf8[pos]);
    if (byte < 0x80) {
      *dst++ = byte;
      ++pos;
    } else {
      *dst++ = DecodeUtf8(utf8, &pos);
    }
  }
  out->resize(old_size + static_cast<size_t>(dst - begin));
}

double SequenceRatio(std::string_view utf8_a, std::string_view utf8_b, const Deadline& deadline) {
  struct Scratch {
    std::u32string a;
    std::u32string b;
    SequenceMatcher matcher;
  };
  thread_local Scratch scratch;
  const ScratchReset reset(scratch, utf8_a.size() + utf8_b.size());
  scratch.a.clear();
  scratch.b.clear();
  DecodeUtf8To(utf8_a, &scratch.a);
  DecodeUtf8To(utf8_b, &scratch.b);
  scratch.matcher.SetSequences(scratch.a, scratch.b);
  return scratch.matcher.Ratio(deadline);
}

}  // namespace rmg::text
