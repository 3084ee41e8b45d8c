// number_accuracy: the numbers of the response against those of the reference,
// position by position (RM-Gallery's regex -?\d+\.?\d*, so "1,000" is 1 and 0).
#include <unicode/uchar.h>

#include <array>
#include <bit>
#include <cmath>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "gallery/general/general.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

// Decimal digit value of the character at text[*pos] (any Unicode Nd digit, as
// Python's \d), advancing *pos past it; -1 (and *pos unchanged) for anything else.
int TakeDigit(std::string_view text, size_t* pos) {
  const unsigned char byte = static_cast<unsigned char>(text[*pos]);
  if (byte < 0x80) {
    if (byte < '0' || byte > '9') return -1;
    ++*pos;
    return byte - '0';
  }
  size_t next = *pos;
  const auto cp = static_cast<UChar32>(text::DecodeUtf8(text, &next));
  if (u_charType(cp) != U_DECIMAL_DIGIT_NUMBER) return -1;
  *pos = next;
  return u_charDigitValue(cp);
}

// The ASCII digits of a text as one bit per byte (byte i is bit i % 64 of word i / 64),
// so that finding a number and the end of its digits are a count of zero bits, not
// a byte loop (numbers are dense: one every 24 bytes in the workload). There is one
// more word than the text needs, so a lookup at text.size() is in range and finds no
// digit there.
struct DigitMap {
  std::vector<uint64_t> digits;  // '0'-'9'
  bool all_ascii = true;         // no byte >= 0x80, so no non-ASCII digit either
};

// The digits (low half) and bytes >= 0x80 (high half) among the 16 bytes at `bytes`.
uint32_t ClassifySixteen(const char* bytes) {
#if defined(__SSE2__)
  const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  // Signed compares: bytes >= 0x80 are negative, so they are not digits.
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(chunk, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(chunk, _mm_set1_epi8('9' + 1)));
  // movemask of the chunk itself is the high bit of every byte: the bytes >= 0x80.
  return static_cast<uint32_t>(_mm_movemask_epi8(digit)) | static_cast<uint32_t>(_mm_movemask_epi8(chunk)) << 16;
#else
  uint32_t classes = 0;
  for (int i = 0; i < 16; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    classes |= static_cast<uint32_t>(byte >= '0' && byte <= '9') << i | static_cast<uint32_t>(byte >= 0x80) << (16 + i);
  }
  return classes;
#endif
}

// Fills word `word` of `map` from the 64 bytes at `bytes`.
void MapSixtyFour(const char* bytes, size_t word, DigitMap* map) {
  uint64_t digits = 0;
  uint32_t non_ascii = 0;
  for (int part = 0; part < 4; ++part) {
    const uint32_t classes = ClassifySixteen(bytes + part * 16);
    digits |= static_cast<uint64_t>(classes & 0xFFFF) << (part * 16);
    non_ascii |= classes >> 16;
  }
  map->digits[word] = digits;
  if (non_ascii != 0) map->all_ascii = false;
}

// The DigitMap of `text`, classified 16 bytes at a time.
DigitMap MapDigits(std::string_view text) {
  DigitMap map{std::vector<uint64_t>(text.size() / 64 + 1)};
  const size_t whole_words = text.size() / 64;
  for (size_t word = 0; word < whole_words; ++word) MapSixtyFour(text.data() + word * 64, word, &map);
  if (text.size() % 64 != 0) {  // the last, partial word is read from a zero-padded copy
    char padded[64] = {};
    std::memcpy(padded, text.data() + whole_words * 64, text.size() % 64);
    MapSixtyFour(padded, whole_words, &map);
  }
  return map;
}

// The first position >= pos whose bit is clear in `bits` (pos <= text size, whose bit is clear).
size_t NextClear(const std::vector<uint64_t>& bits, size_t pos) {
  size_t word = pos / 64;
  uint64_t rest = ~bits[word] >> (pos % 64) << (pos % 64);
  while (rest == 0) rest = ~bits[++word];
  return word * 64 + static_cast<size_t>(std::countr_zero(rest));
}

// The positions in word `word` where a run of set bits starts.
uint64_t RunStarts(const std::vector<uint64_t>& bits, size_t word) {
  const uint64_t set_before = bits[word] << 1 | (word > 0 ? bits[word - 1] >> 63 : 0);
  return bits[word] & ~set_before;
}

// 10^0 ... 10^15: the powers of ten a mantissa of at most 15 digits needs.
constexpr std::array<uint64_t, 16> kPowersOfTen = [] {
  std::array<uint64_t, 16> powers{};
  uint64_t power = 1;
  for (uint64_t& entry : powers) entry = std::exchange(power, power * 10);
  return powers;
}();

// Python's float() of the match text[begin, end), which is -?\d+\.?\d* with
// possibly non-ASCII digits: spelled in ASCII, then parsed.
double ParseMatch(std::string_view text, size_t begin, size_t end) {
  std::string ascii;
  for (size_t pos = begin; pos < end;) {
    const int digit = TakeDigit(text, &pos);
    if (digit >= 0) {
      ascii.push_back(static_cast<char>('0' + digit));
    } else {
      ascii.push_back(text[pos++]);  // '-' or '.'
    }
  }
  double value = 0.0;
  const auto parsed = std::from_chars(ascii.data(), ascii.data() + ascii.size(), value);
  // Out of double's range, Python's float() gives inf (or 0): so does strtod.
  if (parsed.ec == std::errc::result_out_of_range) value = std::strtod(ascii.c_str(), nullptr);
  return value;
}

// The match text[begin, end) as Python's float() reads it, given its sign and its
// digits (`mantissa` is all of them without the point; it is only used when there
// are at most 15, so it may be anything otherwise).
double MatchValue(std::string_view text, size_t begin, size_t end, bool negative, uint64_t mantissa,
                  size_t integer_digits, size_t fraction_digits) {
  static constexpr double kExactPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (integer_digits + fraction_digits > 15) return ParseMatch(text, begin, end);
  // Clinger's fast path: mantissa and power of ten are exact doubles, so one
  // correctly rounded division gives what Python's float() gives. Integers, most
  // numbers, need no division (whose latency is most of the cost of a number).
  double magnitude = static_cast<double>(mantissa);
  if (fraction_digits > 0) magnitude /= kExactPowersOfTen[fraction_digits];
  // The sign bit set without a branch: a minus sign is too irregular to predict.
  return std::bit_cast<double>(std::bit_cast<uint64_t>(magnitude) | static_cast<uint64_t>(negative) << 63);
}

// Reads the digits starting at text[*pos] into *mantissa (wrapping past 19 digits,
// when the caller no longer uses it); returns how many there were.
size_t TakeDigits(std::string_view text, size_t* pos, uint64_t* mantissa) {
  size_t digits = 0;
  for (int d; *pos < text.size() && (d = TakeDigit(text, pos)) >= 0; ++digits) {
    *mantissa = *mantissa * 10 + static_cast<uint64_t>(d);
  }
  return digits;
}

// The regex scanner at text[pos], a byte that may start a match, with any Unicode
// digits: appends the match there, if any, to *numbers; returns where to look next.
size_t ScanAt(std::string_view text, size_t pos, std::vector<double>* numbers) {
  const bool negative = text[pos] == '-';
  size_t cursor = pos + (negative ? 1 : 0);
  uint64_t mantissa = 0;
  const size_t integer_digits = TakeDigits(text, &cursor, &mantissa);
  if (integer_digits == 0) {
    // No match here: step one character, as the regex scanner does.
    text::DecodeUtf8(text, &pos);
    return pos;
  }
  size_t fraction_digits = 0;
  if (cursor < text.size() && text[cursor] == '.') {
    ++cursor;
    fraction_digits = TakeDigits(text, &cursor, &mantissa);
  }
  numbers->push_back(MatchValue(text, pos, cursor, negative, mantissa, integer_digits, fraction_digits));
  return cursor;
}

// Every match in a text with bytes >= 0x80, which may be digits: ScanAt at every
// byte that may start one, as the regex scanner steps.
std::vector<double> ExtractNumbersScanning(std::string_view text) {
  std::vector<double> numbers;
  for (size_t pos = 0; pos < text.size();) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 0x80 || byte == '-' || (byte >= '0' && byte <= '9')) {
      pos = ScanAt(text, pos, &numbers);
    } else {
      ++pos;
    }
  }
  return numbers;
}

// The eight bytes at text[pos] (pos <= text.size()) as a little-endian word (first
// byte lowest), zeros past the end.
uint64_t LoadEight(std::string_view text, size_t pos) {
  static_assert(std::endian::native == std::endian::little, "the digit arithmetic below reads words little-endian");
  uint64_t word = 0;
  if (pos + 8 <= text.size()) {
    std::memcpy(&word, text.data() + pos, 8);
  } else {
    std::memcpy(&word, text.data() + pos, text.size() - pos);
  }
  return word;
}

// The value of the `count` (1 to 8) ASCII digits at text[pos], computed without a
// branch on the count (which the branch predictor cannot guess).
uint64_t UpToEightDigitsValue(std::string_view text, size_t pos, size_t count) {
  // Shifting the digits to the top of the word leaves leading zeros below them; then
  // neighbouring bytes, pairs and quadruples are merged, the earlier one times 10,
  // 100 and 10^4.
  uint64_t word = LoadEight(text, pos) << (8 * (8 - count)) & 0x0F0F0F0F0F0F0F0Full;
  word = (word * (10 * 256 + 1)) >> 8 & 0x00FF00FF00FF00FFull;
  word = (word * (100 * 65536 + 1)) >> 16 & 0x0000FFFF0000FFFFull;
  return (word * (10000 * (uint64_t{1} << 32) + 1)) >> 32;
}

// The value of the `count` (1 to 15) ASCII digits at text[pos].
uint64_t AsciiDigitsValue(std::string_view text, size_t pos, size_t count) {
  if (count <= 8) return UpToEightDigitsValue(text, pos, count);
  return UpToEightDigitsValue(text, pos, 8) * kPowersOfTen[count - 8] + UpToEightDigitsValue(text, pos + 8, count - 8);
}

// Every match in an all-ASCII text. There every run of digits that is not the
// fraction of the match before is one match: the run, a '-' just before it, and a
// '.' with the run after it. The runs are taken from the digit map a word at a time,
// so finding the next one does not wait for the end of the last one.
std::vector<double> ExtractAsciiNumbers(std::string_view text, const std::vector<uint64_t>& digits) {
  std::vector<double> numbers;
  numbers.reserve(text.size() / 16);
  size_t resume = 0;  // where the last match with a '.' ended
  for (size_t word = 0; word < digits.size(); ++word) {
    for (uint64_t starts = RunStarts(digits, word); starts != 0; starts &= starts - 1) {
      const size_t integer_begin = word * 64 + static_cast<size_t>(std::countr_zero(starts));
      if (integer_begin < resume) continue;  // the fraction of the match before
      const bool negative = integer_begin > 0 && text[integer_begin - 1] == '-';
      const size_t integer_end = NextClear(digits, integer_begin);
      size_t end = integer_end;
      if (integer_end < text.size() && text[integer_end] == '.') {
        end = NextClear(digits, integer_end + 1);
        resume = end;
      }
      const size_t integer_digits = integer_end - integer_begin;
      const size_t fraction_digits = end > integer_end ? end - integer_end - 1 : 0;
      uint64_t mantissa = 0;  // MatchValue uses it only up to 15 digits
      if (integer_digits + fraction_digits <= 15) {
        mantissa = AsciiDigitsValue(text, integer_begin, integer_digits);
        // Most numbers have no fraction (the branch is predicted), and skipping its
        // arithmetic shortens the chain each number waits on (measured: a quarter faster).
        if (fraction_digits > 0) {
          const uint64_t fraction = AsciiDigitsValue(text, end - fraction_digits, fraction_digits);
          mantissa = mantissa * kPowersOfTen[fraction_digits] + fraction;
        }
      }
      numbers.push_back(MatchValue(text, integer_begin - (negative ? 1 : 0), end, negative, mantissa,
                                   integer_digits, fraction_digits));
    }
  }
  return numbers;
}

// Every match of -?\d+\.?\d* in `text`, as Python's float() reads it.
std::vector<double> ExtractNumbers(std::string_view text) {
  const DigitMap map = MapDigits(text);
  return map.all_ascii ? ExtractAsciiNumbers(text, map.digits) : ExtractNumbersScanning(text);
}

class NumberAccuracyReward final : public PointwiseReward {
 public:
  explicit NumberAccuracyReward(const Params& params)
      : PointwiseReward(params.GetString("name")), tolerance_(params.GetDouble("tolerance")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    const std::vector<double> generated = ExtractNumbers(output.answer.content);
    std::string scratch;  // holds a non-string reference as JSON text
    const std::vector<double> reference = ExtractNumbers(LabelReference(output.answer, &scratch));
    RewardResult result;
    if (reference.empty() || generated.empty()) {
      result.details.push_back({name(), 0.0,
                                reference.empty() ? "No reference numbers to compare"
                                                  : "No numbers found in generated content",
                                nullptr});
      result.extra_data = JsonObjectBuilder(2)
                                  .Add("generated_numbers", generated)
                                  .Add("reference_numbers", reference)
                                  .Build();
      return result;
    }
    size_t correct = 0;
    for (size_t i = 0; i < std::min(generated.size(), reference.size()); ++i) {
      if (std::fabs(generated[i] - reference[i]) <= tolerance_) ++correct;
    }
    const double accuracy = static_cast<double>(correct) / static_cast<double>(reference.size());
    result.details.push_back({name(), accuracy,
                              "Number accuracy: " + std::to_string(correct) + "/" + std::to_string(reference.size()) +
                                  " numbers correct",
                              nullptr});
    result.extra_data = JsonObjectBuilder(5)
                                .Add("accuracy", accuracy)
                                .Add("correct_numbers", correct)
                                .Add("total_reference_numbers", reference.size())
                                .Add("generated_numbers", generated)
                                .Add("reference_numbers", reference)
                                .Build();
    return result;
  }

 private:
  double tolerance_;
};

}  // namespace

RewardSpec NumberAccuracySpec() {
  RewardSpec spec;
  spec.name = "number_accuracy";
  spec.description = "Share of label.reference's numbers matched, in order, by the response's numbers";
  spec.params = {{"tolerance", ParamType::kDouble, 1e-6, "largest accepted absolute difference", {}}};
  spec.factory = [](const Params& p) { return std::make_unique<NumberAccuracyReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
