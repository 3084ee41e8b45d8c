#include "text/tiktoken.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <queue>
#include <stdexcept>
#include <utility>

#include "text/base64.h"
#include "text/tokenizers_impl.h"
#include "text/unicode.h"

// Bounds of the embedded cl100k_base.tiktoken (cl100k_vocab.S).
extern "C" {
__attribute__((visibility("hidden"))) extern const char rmg_cl100k_vocab_begin[];
__attribute__((visibility("hidden"))) extern const char rmg_cl100k_vocab_end[];
}

namespace rmg::text {
namespace {

// ---------------------------------------------------------------------------
// Pre-tokenizer

// The character classes the cl100k regex distinguishes.
enum CharClass : uint8_t {
  kLetter,   // \p{L}
  kNumber,   // \p{N}
  kNewline,  // \r or \n (also \s)
  kSpace,    // any other \s, i.e. Unicode White_Space as in Rust's regex crate
  kOther,    // everything else, including bytes that are not valid UTF-8
};

struct ClassTable {
  CharClass ascii[128];
  constexpr ClassTable() : ascii() {
    for (int c = 0; c < 128; ++c) {
      CharClass cls = kOther;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        cls = kLetter;
      } else if (c >= '0' && c <= '9') {
        cls = kNumber;
      } else if (c == '\r' || c == '\n') {
        cls = kNewline;
      } else if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
        cls = kSpace;  // Not 0x1C-0x1F: Python counts them as space, White_Space does not.
      }
      ascii[c] = cls;
    }
  }
};
constexpr ClassTable kClasses;

CharClass ClassifyNonAscii(char32_t cp) {
  const uint32_t mask = U_GET_GC_MASK(static_cast<UChar32>(cp));
  if (mask & U_GC_L_MASK) return kLetter;
  if (mask & U_GC_N_MASK) return kNumber;
  if (u_isUWhiteSpace(static_cast<UChar32>(cp))) return kSpace;
  return kOther;
}

// Finds the pieces of cl100k's pattern by hand, one alternative after the other in
// the regex's order; each branch below notes the alternative it stands for.
class PieceScanner {
 public:
  explicit PieceScanner(std::string_view text) : text_(text) {}

  // The end of the piece that starts at `begin` (< text size).
  size_t PieceEnd(size_t begin) const {
    if (text_[begin] == '\'') {
      // (?i:'s|'t|'re|'ve|'m|'ll|'d)
      const size_t length = ContractionLength(begin);
      if (length > 0) return begin + length;
    }
    size_t next = begin;
    const CharClass first = Next(&next);
    switch (first) {
      case kLetter:
        // [^\r\n\p{L}\p{N}]?\p{L}+ without the optional prefix.
        return Skip(next, kLetter);
      case kNumber:
        // \p{N}{1,3}
        for (int count = 1; count < 3 && next < text_.size(); ++count) {
          size_t after = next;
          if (Next(&after) != kNumber) break;
          next = after;
        }
        return next;
      case kOther:
      case kSpace: {
        if (next < text_.size()) {
          size_t after = next;
          const CharClass second = Next(&after);
          // [^\r\n\p{L}\p{N}]?\p{L}+ with the prefix.
          if (second == kLetter) return Skip(after, kLetter);
          // ' ?[^\s\p{L}\p{N}]+[\r\n]*' with the space.
          if (text_[begin] == ' ' && second == kOther) return SkipNewlines(Skip(after, kOther));
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*' without it.
        if (first == kOther) return SkipNewlines(Skip(next, kOther));
        return WhitespaceEnd(begin);
      }
      case kNewline:
        return WhitespaceEnd(begin);
    }
    return next;  // Not reached: the switch covers every class.
  }

 private:
  // Classifies the character at *pos and advances past it; an invalid byte counts as
  // U+FFFD (kOther) one byte long.
  CharClass Next(size_t* pos) const {
    const unsigned char byte = static_cast<unsigned char>(text_[*pos]);
    if (byte < 0x80) {
      ++*pos;
      return kClasses.ascii[byte];
    }
    return ClassifyNonAscii(DecodeUtf8(text_, pos));
  }

  size_t Skip(size_t pos, CharClass cls) const {
    while (pos < text_.size()) {
      size_t after = pos;
      if (Next(&after) != cls) break;
      pos = after;
    }
    return pos;
  }

  size_t SkipNewlines(size_t pos) const {
    while (pos < text_.size() && (text_[pos] == '\r' || text_[pos] == '\n')) ++pos;
    return pos;
  }

  size_t ContractionLength(size_t quote) const {
    const auto lower = [&](size_t offset) -> char {
      if (quote + offset >= text_.size()) return '\0';
      const char c = text_[quote + offset];
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    switch (lower(1)) {
      case 's': case 't': case 'm': case 'd':
        return 2;
      case 'r':
        return lower(2) == 'e' ? 3 : 0;
      case 'v':
        return lower(2) == 'e' ? 3 : 0;
      case 'l':
        return lower(2) == 'l' ? 3 : 0;
      case '\xC5':
        // U+017F LATIN SMALL LETTER LONG S case-folds to 's', and tiktoken's
        // case-insensitive match uses Unicode simple case folding.
        return lower(2) == '\xBF' ? 3 : 0;
      default:
        return 0;
    }
  }

  // The whitespace alternatives, tried in order on the run of \s starting at `begin`:
  //   \s*[\r\n]+   up to the run's last newline, if it has one;
  //   \s+(?!\S)    the whole run at the end of the text, else all of it but the last
  //                character, which then prefixes the next word or symbol;
  //   \s+          a single whitespace character before a non-space.
  size_t WhitespaceEnd(size_t begin) const {
    size_t pos = begin;
    size_t last_start = begin;
    size_t newline_end = std::string_view::npos;
    while (pos < text_.size()) {
      size_t after = pos;
      const CharClass cls = Next(&after);
      if (cls != kSpace && cls != kNewline) break;
      if (cls == kNewline) newline_end = after;
      last_start = pos;
      pos = after;
    }
    if (newline_end != std::string_view::npos) return newline_end;
    if (pos == text_.size() || last_start == begin) return pos;
    return last_start;
  }

  const std::string_view text_;
};

template <typename Fn>
void ForEachPiece(std::string_view text, Fn&& fn) {
  const PieceScanner scanner(text);
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t end = scanner.PieceEnd(begin);
    fn(text.substr(begin, end - begin));
    begin = end;
  }
}

// ---------------------------------------------------------------------------
// UTF-8 validation with Python's error ranges

// Returns the length of the well-formed UTF-8 sequence at s[pos], or 0 if there is
// none; then *invalid is the length of the maximal subpart (the start byte and the
// continuation bytes that could still have completed it), at least 1. This is the
// range Python's decoder replaces with one U+FFFD.
size_t WellFormedLength(std::string_view s, size_t pos, size_t* invalid) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) return 1;
  size_t trailing = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    trailing = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    trailing = 2;
    if (b0 == 0xE0) low = 0xA0;   // Shorter forms are overlong.
    if (b0 == 0xED) high = 0x9F;  // Surrogates.
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    trailing = 3;
    if (b0 == 0xF0) low = 0x90;   // Overlong.
    if (b0 == 0xF4) high = 0x8F;  // Beyond U+10FFFF.
  } else {
    *invalid = 1;
    return 0;
  }
  size_t k = 1;
  for (; k <= trailing; ++k) {
    if (pos + k >= s.size()) break;
    const unsigned char b = byte(pos + k);
    if (b < low || b > high) break;
    low = 0x80;
    high = 0xBF;
  }
  if (k > trailing) return trailing + 1;
  *invalid = k;
  return 0;
}

bool IsWellFormed(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t invalid = 0;
    const size_t length = WellFormedLength(s, pos, &invalid);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Vocabulary parsing

[[noreturn]] void Corrupt(const std::string& why) {
  throw std::runtime_error("malformed tiktoken vocabulary: " + why);
}

// Keys are short (most tokens are under 8 bytes), so a multiply-xorshift mix per 8
// bytes hashes them in one or two rounds; the table is fixed, so no seeding needed.
inline uint64_t Mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ULL;
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ULL;
  x ^= x >> 32;
  return x;
}

inline uint64_t HashBytes(std::string_view bytes) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = 0x9E3779B97F4A7C15ULL * (n + 1);
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = Mix(h ^ word);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (size_t k = 0; k < n; ++k) tail |= static_cast<uint64_t>(static_cast<unsigned char>(p[k])) << (8 * k);
  return Mix(h ^ tail ^ 0xA5A5A5A5ULL);
}

// Pieces up to this length are merged by tiktoken's quadratic scan over an array on
// the stack; longer ones by the heap, whose O(n log n) keeps e.g. a 100k-letter run fast.
constexpr size_t kScanMaxLength = 128;

}  // namespace

// ---------------------------------------------------------------------------

std::vector<std::string_view> Cl100kPieces(std::string_view text) {
  std::vector<std::string_view> pieces;
  ForEachPiece(text, [&](std::string_view piece) { pieces.push_back(piece); });
  return pieces;
}

void AppendUtf8Replacing(std::string_view bytes, std::string* out) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t invalid = 0;
    const size_t length = WellFormedLength(bytes, pos, &invalid);
    if (length > 0) {
      out->append(bytes.data() + pos, length);
      pos += length;
    } else {
      AppendUtf8(kReplacementChar, out);
      pos += invalid;
    }
  }
}

Cl100kEncoding::Cl100kEncoding(std::string_view file) {
  std::vector<std::pair<Rank, std::string>> entries;
  size_t pos = 0;
  while (pos < file.size()) {
    size_t eol = file.find('\n', pos);
    if (eol == std::string_view::npos) eol = file.size();
    const std::string_view line = file.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) Corrupt("line without rank: " + std::string(line));
    std::optional<std::string> token = DecodeBase64(line.substr(0, space));
    if (!token || token->empty()) Corrupt("bad base64: " + std::string(line));
    const std::string_view digits = line.substr(space + 1);
    if (digits.empty() || digits.size() > 9) Corrupt("bad rank: " + std::string(line));
    Rank rank = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') Corrupt("bad rank: " + std::string(line));
      rank = rank * 10 + static_cast<Rank>(c - '0');
    }
    entries.emplace_back(rank, std::move(*token));
  }
  if (entries.empty()) Corrupt("no tokens");
  std::sort(entries.begin(), entries.end());
  offsets_.reserve(entries.size() + 1);
  for (size_t r = 0; r < entries.size(); ++r) {
    if (entries[r].first != r) Corrupt("ranks are not 0.." + std::to_string(entries.size() - 1));
    offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
    bytes_ += entries[r].second;
  }
  offsets_.push_back(static_cast<uint32_t>(bytes_.size()));

  size_t capacity = 1024;
  while (capacity < entries.size() * 5 / 2) capacity *= 2;  // Load factor under 0.4.
  slots_.assign(capacity, Slot{});
  slot_mask_ = capacity - 1;
  valid_utf8_.resize(entries.size());
  for (Rank r = 0; r < entries.size(); ++r) {
    if (Lookup(TokenBytes(r)) != kNoRank) Corrupt("duplicate token for rank " + std::to_string(r));
    Insert(r);
    valid_utf8_[r] = IsWellFormed(TokenBytes(r));
  }
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    byte_rank_[b] = Lookup(std::string_view(&c, 1));
    if (byte_rank_[b] == kNoRank) Corrupt("no token for byte " + std::to_string(b));
  }
}

const Cl100kEncoding& Cl100kEncoding::Get() {
  // Never destroyed, so threads still tokenizing during exit stay safe.
  static const Cl100kEncoding* const encoding = [] {
    const auto begin = reinterpret_cast<uintptr_t>(rmg_cl100k_vocab_begin);
    const auto end = reinterpret_cast<uintptr_t>(rmg_cl100k_vocab_end);
    return new Cl100kEncoding(std::string_view(rmg_cl100k_vocab_begin, end - begin));
  }();
  return *encoding;
}

void Cl100kEncoding::Insert(Rank rank) {
  const uint64_t hash = HashBytes(TokenBytes(rank));
  size_t i = hash & slot_mask_;
  while (slots_[i].rank != kNoRank) i = (i + 1) & slot_mask_;
  slots_[i].rank = rank;
  slots_[i].tag = static_cast<uint32_t>(hash >> 32);
}

Cl100kEncoding::Rank Cl100kEncoding::Lookup(std::string_view bytes) const {
  const uint64_t hash = HashBytes(bytes);
  const auto tag = static_cast<uint32_t>(hash >> 32);
  for (size_t i = hash & slot_mask_;; i = (i + 1) & slot_mask_) {
    const Slot& slot = slots_[i];
    if (slot.rank == kNoRank) return kNoRank;
    if (slot.tag == tag && TokenBytes(slot.rank) == bytes) return slot.rank;
  }
}

std::string_view Cl100kEncoding::TokenBytes(Rank rank) const {
  return std::string_view(bytes_).substr(offsets_[rank], offsets_[rank + 1] - offsets_[rank]);
}

std::string Cl100kEncoding::DecodeAlone(Rank rank) const {
  const std::string_view bytes = TokenBytes(rank);
  if (valid_utf8_[rank]) return std::string(bytes);
  std::string text;
  AppendUtf8Replacing(bytes, &text);
  return text;
}

size_t Cl100kEncoding::vocab_size() const { return offsets_.size() - 1; }

std::vector<Cl100kEncoding::Rank> Cl100kEncoding::Encode(std::string_view text, const Deadline& deadline) const {
  std::vector<Rank> ranks;
  ranks.reserve(text.size() / 4 + 1);
  size_t unchecked = 0;  // bytes encoded since the deadline was last checked
  ForEachPiece(text, [&](std::string_view piece) {
    EncodePiece(piece, &ranks, deadline);
    unchecked += piece.size();
    if (unchecked >= kWorkPerDeadlineCheck) {
      deadline.Check();
      unchecked = 0;
    }
  });
  return ranks;
}

void Cl100kEncoding::EncodePiece(std::string_view piece, std::vector<Rank>* out, const Deadline& deadline) const {
  if (piece.size() == 1) {
    out->push_back(byte_rank_[static_cast<unsigned char>(piece[0])]);
    return;
  }
  // As tiktoken: a piece that is a token is that token, merges or not.
  const Rank whole = Lookup(piece);
  if (whole != kNoRank) {
    out->push_back(whole);
  } else if (piece.size() <= kScanMaxLength) {
    MergeByScan(piece, out);
  } else {
    MergeByHeap(piece, out, deadline);
  }
}

// tiktoken's byte_pair_merge: part i starts at parts[i].start and, merged with part
// i + 1, would form token parts[i].pair (kNoRank if that is no token). The pair of
// lowest rank, leftmost among equals, is merged until none is left.
void Cl100kEncoding::MergeByScan(std::string_view piece, std::vector<Rank>* out) const {
  struct Part {
    uint32_t start;
    Rank token;
    Rank pair;
  };
  std::vector<Part> heap_parts;
  Part stack_parts[kScanMaxLength + 1];
  Part* parts = stack_parts;
  if (piece.size() > kScanMaxLength) {
    heap_parts.resize(piece.size() + 1);
    parts = heap_parts.data();
  }
  const size_t n = piece.size();
  for (size_t i = 0; i < n; ++i) {
    parts[i].start = static_cast<uint32_t>(i);
    parts[i].token = byte_rank_[static_cast<unsigned char>(piece[i])];
    parts[i].pair = i + 1 < n ? Lookup(piece.substr(i, 2)) : kNoRank;
  }
  parts[n] = Part{static_cast<uint32_t>(n), kNoRank, kNoRank};
  size_t count = n + 1;  // Including the end marker.

  const auto pair_rank = [&](size_t i) {
    // Part i merged with part i + 1 ends where part i + 2 starts (the end marker
    // included); past that there is nothing to merge with.
    if (i + 2 >= count) return kNoRank;
    return Lookup(piece.substr(parts[i].start, parts[i + 2].start - parts[i].start));
  };
  for (;;) {
    Rank min_rank = kNoRank;
    size_t min_index = 0;
    for (size_t i = 0; i + 1 < count; ++i) {
      if (parts[i].pair < min_rank) {
        min_rank = parts[i].pair;
        min_index = i;
      }
    }
    if (min_rank == kNoRank) break;
    const size_t i = min_index;
    parts[i].token = min_rank;
    std::memmove(&parts[i + 1], &parts[i + 2], (count - i - 2) * sizeof(Part));
    --count;
    parts[i].pair = pair_rank(i);
    if (i > 0) parts[i - 1].pair = pair_rank(i - 1);
  }
  for (size_t i = 0; i + 1 < count; ++i) out->push_back(parts[i].token);
}

// The same merges in the same order: the heap yields the pair of lowest (rank,
// start), exactly the scan's choice. Entries are not removed when a merge changes a
// neighbour's pair; a popped entry counts only if it still is its part's current pair
// (the same rank starting at the same live part means the same bytes).
void Cl100kEncoding::MergeByHeap(std::string_view piece, std::vector<Rank>* out, const Deadline& deadline) const {
  constexpr uint32_t kNone = UINT32_MAX;
  struct Node {
    uint32_t prev;
    uint32_t next;  // kNone after the last part.
    Rank token;
    Rank pair;
    bool alive;
  };
  // A piece of megabytes (one run of letters) takes seconds to set up, not only to
  // merge: the deadline is checked in each pass.
  const size_t n = piece.size();
  std::vector<Node> nodes;
  nodes.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if ((i + 1) % kWorkPerDeadlineCheck == 0) deadline.Check();
    nodes.push_back(Node{i == 0 ? kNone : static_cast<uint32_t>(i - 1),
                         i + 1 < n ? static_cast<uint32_t>(i + 1) : kNone,
                         byte_rank_[static_cast<unsigned char>(piece[i])], kNoRank, true});
  }
  const auto end_of = [&](uint32_t i) { return nodes[i].next == kNone ? n : nodes[i].next; };
  const auto pair_rank = [&](uint32_t i) {
    const uint32_t next = nodes[i].next;
    if (next == kNone) return kNoRank;
    return Lookup(piece.substr(i, end_of(next) - i));
  };

  using Entry = uint64_t;  // rank << 32 | start, so that ordering is (rank, start).
  std::vector<Entry> storage;
  storage.reserve(n);
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap(std::greater<Entry>(),
                                                                           std::move(storage));
  for (uint32_t i = 0; i + 1 < n; ++i) {
    if ((i + 1) % kWorkPerDeadlineCheck == 0) deadline.Check();
    nodes[i].pair = pair_rank(i);
    if (nodes[i].pair != kNoRank) heap.push(static_cast<Entry>(nodes[i].pair) << 32 | i);
  }
  for (size_t popped = 1; !heap.empty(); ++popped) {
    if (popped % kWorkPerDeadlineCheck == 0) deadline.Check();
    const Entry entry = heap.top();
    heap.pop();
    const auto rank = static_cast<Rank>(entry >> 32);
    const auto i = static_cast<uint32_t>(entry & 0xFFFFFFFFu);
    if (!nodes[i].alive || nodes[i].pair != rank) continue;
    const uint32_t right = nodes[i].next;
    nodes[right].alive = false;
    nodes[i].token = rank;
    nodes[i].next = nodes[right].next;
    if (nodes[i].next != kNone) nodes[nodes[i].next].prev = i;
    nodes[i].pair = pair_rank(i);
    if (nodes[i].pair != kNoRank) heap.push(static_cast<Entry>(nodes[i].pair) << 32 | i);
    const uint32_t left = nodes[i].prev;
    if (left != kNone) {
      nodes[left].pair = pair_rank(left);
      if (nodes[left].pair != kNoRank) heap.push(static_cast<Entry>(nodes[left].pair) << 32 | left);
    }
  }
  for (uint32_t i = 0; i != kNone; i = nodes[i].next) out->push_back(nodes[i].token);
}

// ---------------------------------------------------------------------------

namespace {

// True when `text` holds one of cl100k_base's special tokens as text. One pass for
// their common "<|", then the names.
bool HoldsASpecialToken(std::string_view text) {
  for (size_t at = text.find("<|"); at != std::string_view::npos; at = text.find("<|", at + 2)) {
    const std::string_view rest = text.substr(at + 2);
    for (std::string_view name : {"endoftext|>", "fim_prefix|>", "fim_middle|>", "fim_suffix|>", "endofprompt|>"}) {
      if (rest.starts_with(name)) return true;
    }
  }
  return false;
}

class TiktokenTokenizer final : public Tokenizer {
  // Decoding a token is a few nanoseconds: the clock is read once per this many.
  static constexpr size_t kTokensPerDeadlineCheck = size_t{1} << 16;

 public:
  std::string_view name() const override { return "tiktoken"; }

  // RM-Gallery decodes every token id on its own, so a character split across
  // tokens shows up as U+FFFD in each of them, exactly as in Python.
  std::vector<std::string> Tokenize(std::string_view text, const Deadline& deadline) const override {
    // tiktoken's encode() refuses text holding a special token's text, and RM-Gallery's
    // tokenizer then falls back to str.split(): rollouts often end in <|endoftext|>.
    if (HoldsASpecialToken(text)) {
      const std::vector<std::string_view> parts = SplitPythonSpace(text);
      return std::vector<std::string>(parts.begin(), parts.end());
    }
    const Cl100kEncoding& encoding = Cl100kEncoding::Get();
    const std::vector<Cl100kEncoding::Rank> ranks = encoding.Encode(text, deadline);
    std::vector<std::string> tokens;
    tokens.reserve(ranks.size());
    for (size_t begin = 0; begin < ranks.size(); begin += kTokensPerDeadlineCheck) {
      deadline.Check();
      const size_t end = std::min(ranks.size(), begin + kTokensPerDeadlineCheck);
      for (size_t i = begin; i < end; ++i) tokens.push_back(encoding.DecodeAlone(ranks[i]));
    }
    return tokens;
  }
};

}  // namespace

std::shared_ptr<const Tokenizer> TiktokenInstance() {
  static const auto instance = std::make_shared<TiktokenTokenizer>();
  return instance;
}

}  // namespace rmg::text
