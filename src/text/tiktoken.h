// cl100k_base byte-level BPE, token for token what OpenAI's tiktoken produces with
// encode_ordinary() (special tokens such as <|endoftext|> are plain text here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::text {

// Splits `text` into the pieces that cl100k_base's pre-tokenizer regex matches
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//   ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// with the semantics of tiktoken's regex engine (leftmost-first alternation, \s =
// Unicode White_Space). Pieces are views into `text` and concatenate to it. A byte
// that is not valid UTF-8 counts as U+FFFD but stays in its piece unchanged.
std::vector<std::string_view> Cl100kPieces(std::string_view text);

// Appends to `out` the text Python gets from bytes.decode("utf-8", errors="replace"):
// one U+FFFD per maximal invalid subpart.
void AppendUtf8Replacing(std::string_view bytes, std::string* out);

class Cl100kEncoding {
 public:
  using Rank = uint32_t;
  static constexpr Rank kNoRank = UINT32_MAX;

  // The vocabulary embedded in the library, parsed on first use (thread-safe).
  static const Cl100kEncoding& Get();

  // Parses a vocabulary in tiktoken's file format ("base64(bytes) rank" lines; ranks
  // 0..n-1, every single byte among the tokens). Throws std::runtime_error if it is
  // malformed. Get() uses the embedded cl100k_base file; tests may use small ones.
  explicit Cl100kEncoding(std::string_view tiktoken_file);

  Cl100kEncoding(const Cl100kEncoding&) = delete;
  Cl100kEncoding& operator=(const Cl100kEncoding&) = delete;

  // tiktoken's encode_ordinary(): the token ranks of `text`. Throws DeadlineExceeded
  // once `deadline` has passed (checked every kWorkPerDeadlineCheck bytes or merges).
  std::vector<Rank> Encode(std::string_view text, const Deadline& deadline = Deadline::Never()) const;

  // Appends the ranks of one pre-tokenizer piece; `deadline` as for Encode.
  void EncodePiece(std::string_view piece, std::vector<Rank>* out, const Deadline& deadline = Deadline::Never()) const;

  // The rank of exactly these bytes, or kNoRank.
  Rank Lookup(std::string_view bytes) const;

  // The bytes of token `rank` (< vocab_size()).
  std::string_view TokenBytes(Rank rank) const;

  // tiktoken's decode([rank]): the token's bytes as text, invalid UTF-8 replaced.
  std::string DecodeAlone(Rank rank) const;

  size_t vocab_size() const;

  // The two merge strategies EncodePiece() chooses between by piece length, exposed
  // so that tests can check they agree: tiktoken's own quadratic scan, which is the
  // fastest for short pieces, and a heap over a linked list for long ones.
  void MergeByScan(std::string_view piece, std::vector<Rank>* out) const;
  void MergeByHeap(std::string_view piece, std::vector<Rank>* out, const Deadline& deadline = Deadline::Never()) const;

  // A clock read costs about 25 ns; a check per 64 KiB is noise beside the encoding.
  static constexpr size_t kWorkPerDeadlineCheck = size_t{1} << 16;

 private:
  // One slot of the open-addressing table from token bytes to rank.
  struct Slot {
    Rank rank = kNoRank;
    uint32_t tag = 0;  // High half of the key's hash, to skip most byte compares.
  };

  void Insert(Rank rank);

  std::string bytes_;              // Every token's bytes, in rank order.
  std::vector<uint32_t> offsets_;  // Token r is bytes_[offsets_[r], offsets_[r + 1]).
  std::vector<bool> valid_utf8_;   // Whether token r decodes without replacement.
  std::vector<Slot> slots_;        // Size is a power of two.
  size_t slot_mask_ = 0;
  Rank byte_rank_[256];            // The token of each single byte.
};

}  // namespace rmg::text
