// number_accuracy: the numbers of the response against those of the reference,
// position by position (RM-Gallery's regex -?\d+\.?\d*, so "1,000" is 1 and 0).
#include <unicode/uchar.h>

#include <bit>
#include <cmath>
#include <charconv>
#include <cstdlib>
#include <cstring>
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

// One bit per byte of a text (byte i is bit i % 64 of word i / 64) for the two
// classes of byte the scan asks about, so that finding the next number and the end
// of a digit run are a count of zero bits instead of a byte loop whose exit the
// branch predictor misses (numbers are dense: one every 24 bytes in the workload).
struct ByteMaps {
  std::vector<uint64_t> ascii_digits;  // '0'-'9'
  std::vector<uint64_t> may_start;     // '0'-'9', '-' and every byte >= 0x80 (maybe in a non-ASCII digit)
};

// The ByteMaps bits of the 16 bytes at `bytes`: ascii_digits in the low half, may_start in the high half.
uint32_t ClassifySixteen(const char* bytes) {
#if defined(__SSE2__)
  const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  // Signed compares: bytes >= 0x80 are negative, so they are neither digits nor '-'.
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(chunk, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(chunk, _mm_set1_epi8('9' + 1)));
  const __m128i dash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8('-'));
  const auto digits = static_cast<uint32_t>(_mm_movemask_epi8(digit));
  // movemask of the chunk itself is the high bit of every byte: the bytes >= 0x80.
  const auto starts = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(digit, dash), chunk)));
#else
  uint32_t digits = 0, starts = 0;
  for (int i = 0; i < 16; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    const bool digit = byte >= '0' && byte <= '9';
    digits |= static_cast<uint32_t>(digit) << i;
    starts |= static_cast<uint32_t>(digit || byte == '-' || byte >= 0x80) << i;
  }
#endif
  return digits | starts << 16;
}

// The ByteMaps of `text`, with one more word than the text needs so that a lookup
// at text.size() is in range (and finds no digit there).
ByteMaps MapBytes(std::string_view text) {
  const size_t words = text.size() / 64 + 1;
  ByteMaps maps{std::vector<uint64_t>(words), std::vector<uint64_t>(words)};
  for (size_t word = 0; word * 64 < text.size(); ++word) {
    const char* bytes = text.data() + word * 64;
    char padded[64] = {};  // the last, partial word is read from a zero-padded copy
    if (text.size() - word * 64 < 64) {
      std::memcpy(padded, bytes, text.size() - word * 64);
      bytes = padded;
    }
    uint64_t digits = 0, starts = 0;
    for (int part = 0; part < 4; ++part) {
      const uint32_t classes = ClassifySixteen(bytes + part * 16);
      digits |= static_cast<uint64_t>(classes & 0xFFFF) << (part * 16);
      starts |= static_cast<uint64_t>(classes >> 16) << (part * 16);
    }
    maps.ascii_digits[word] = digits;
    maps.may_start[word] = starts;
  }
  return maps;
}

// The first position >= pos whose bit is set in `bits`, or `limit` when none is.
size_t NextSet(const std::vector<uint64_t>& bits, size_t pos, size_t limit) {
  size_t word = pos / 64;
  uint64_t rest = bits[word] >> (pos % 64) << (pos % 64);
  while (rest == 0) {
    if (++word == bits.size()) return limit;
    rest = bits[word];
  }
  return std::min(limit, word * 64 + static_cast<size_t>(std::countr_zero(rest)));
}

// The first position >= pos whose bit is clear in `bits` (pos <= text size, whose bit is clear).
size_t NextClear(const std::vector<uint64_t>& bits, size_t pos) {
  size_t word = pos / 64;
  uint64_t rest = ~bits[word] >> (pos % 64) << (pos % 64);
  while (rest == 0) rest = ~bits[++word];
  return word * 64 + static_cast<size_t>(std::countr_zero(rest));
}

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
// are at most 15, so it may have wrapped otherwise).
double MatchValue(std::string_view text, size_t begin, size_t end, bool negative, uint64_t mantissa,
                  size_t integer_digits, size_t fraction_digits) {
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (integer_digits + fraction_digits > 15) return ParseMatch(text, begin, end);
  // Clinger's fast path: mantissa and power of ten are exact doubles, so one
  // correctly rounded division gives what Python's float() gives.
  double magnitude = static_cast<double>(mantissa);
  if (fraction_digits > 0) magnitude /= kPowersOfTen[fraction_digits];  // integers need no division
  return negative ? -magnitude : magnitude;
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

// The value of the ASCII digits text[begin, end), wrapping past 19 digits.
uint64_t AsciiDigitsValue(std::string_view text, size_t begin, size_t end, uint64_t mantissa) {
  for (size_t pos = begin; pos < end; ++pos) mantissa = mantissa * 10 + static_cast<uint64_t>(text[pos] - '0');
  return mantissa;
}

// Every match of -?\d+\.?\d* in `text`, as Python's float() reads it.
std::vector<double> ExtractNumbers(std::string_view text) {
  const ByteMaps maps = MapBytes(text);
  const auto at = [&](size_t pos) { return pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0; };
  std::vector<double> numbers;
  numbers.reserve(text.size() / 16);
  for (size_t pos = NextSet(maps.may_start, 0, text.size()); pos < text.size();
       pos = NextSet(maps.may_start, pos, text.size())) {
    // The ASCII matches are read from the maps; a byte >= 0x80 where the match
    // starts or could go on may be a non-ASCII digit, and that match is left to ScanAt.
    const bool negative = text[pos] == '-';
    const size_t integer_begin = pos + (negative ? 1 : 0);
    if (at(pos) >= 0x80 || at(integer_begin) >= 0x80) {
      pos = ScanAt(text, pos, &numbers);
      continue;
    }
    const size_t integer_end = NextClear(maps.ascii_digits, integer_begin);
    if (integer_end == integer_begin) {
      ++pos;  // a '-' with no digit after it
      continue;
    }
    size_t end = integer_end;
    if (at(end) == '.') end = NextClear(maps.ascii_digits, end + 1);
    if (at(end) >= 0x80) {  // the match may go on with a non-ASCII digit
      pos = ScanAt(text, pos, &numbers);
      continue;
    }
    const size_t fraction_digits = end > integer_end ? end - integer_end - 1 : 0;
    uint64_t mantissa = AsciiDigitsValue(text, integer_begin, integer_end, 0);
    mantissa = AsciiDigitsValue(text, integer_end + 1, end, mantissa);
    numbers.push_back(
        MatchValue(text, pos, end, negative, mantissa, integer_end - integer_begin, fraction_digits));
    pos = end;
  }
  return numbers;
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
