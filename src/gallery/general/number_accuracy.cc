// number_accuracy: the numbers of the response against those of the reference,
// position by position (RM-Gallery's regex -?\d+\.?\d*, so "1,000" is 1 and 0).
#include <unicode/uchar.h>

#include <array>
#include <cmath>
#include <charconv>
#include <cstdlib>
#include <cstring>

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

// The bytes that can start a match or a multi-byte character (which may be a digit).
constexpr std::array<bool, 256> kMayStartNumber = [] {
  std::array<bool, 256> table{};
  for (int byte = 0; byte < 256; ++byte) table[byte] = byte >= 0x80 || byte == '-' || (byte >= '0' && byte <= '9');
  return table;
}();

// True when one of the eight bytes of `word` is in kMayStartNumber, tested all at once.
bool MayStartNumberIn(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  if (word & kHigh) return true;
  // Every byte is below 0x80 now, so adding 0x80 - c sets a byte's high bit exactly
  // when the byte is >= c, and no carry crosses into the next byte.
  const uint64_t at_least_zero = word + kOnes * (0x80 - '0');
  const uint64_t above_nine = word + kOnes * (0x80 - '9' - 1);
  const uint64_t dash_xor = word ^ (kOnes * '-');  // a zero byte where a '-' is
  const uint64_t has_dash = (dash_xor - kOnes) & ~dash_xor & kHigh;
  return ((at_least_zero & ~above_nine & kHigh) | has_dash) != 0;
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

// Reads the digits starting at text[*pos] into *mantissa (wrapping past 19 digits,
// when the caller no longer uses it); returns how many there were.
size_t TakeDigits(std::string_view text, size_t* pos, uint64_t* mantissa) {
  size_t digits = 0;
  for (int d; *pos < text.size() && (d = TakeDigit(text, pos)) >= 0; ++digits) {
    *mantissa = *mantissa * 10 + static_cast<uint64_t>(d);
  }
  return digits;
}

// Every match of -?\d+\.?\d* in `text`, as Python's float() reads it.
std::vector<double> ExtractNumbers(std::string_view text) {
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::vector<double> numbers;
  numbers.reserve(text.size() / 16);
  size_t pos = 0;
  while (pos < text.size()) {
    // Most of a response is ASCII that can start no number: skip it eight bytes at a
    // time, then byte by byte.
    for (uint64_t word; pos + 8 <= text.size(); pos += 8) {
      std::memcpy(&word, text.data() + pos, 8);
      if (MayStartNumberIn(word)) break;
    }
    while (pos < text.size() && !kMayStartNumber[static_cast<unsigned char>(text[pos])]) ++pos;
    if (pos == text.size()) break;
    const bool negative = text[pos] == '-';
    size_t cursor = pos + (negative ? 1 : 0);
    uint64_t mantissa = 0;  // all digits, without the point
    const size_t integer_digits = TakeDigits(text, &cursor, &mantissa);
    if (integer_digits == 0) {
      // No match here: step one character, as the regex scanner does.
      if (static_cast<unsigned char>(text[pos]) < 0x80) {
        ++pos;
      } else {
        text::DecodeUtf8(text, &pos);
      }
      continue;
    }
    size_t fraction_digits = 0;
    if (cursor < text.size() && text[cursor] == '.') {
      ++cursor;
      fraction_digits = TakeDigits(text, &cursor, &mantissa);
    }
    if (integer_digits + fraction_digits <= 15) {
      // Clinger's fast path: mantissa and power of ten are exact doubles, so one
      // correctly rounded division gives what Python's float() gives.
      double magnitude = static_cast<double>(mantissa);
      if (fraction_digits > 0) magnitude /= kPowersOfTen[fraction_digits];  // integers need no division
      numbers.push_back(negative ? -magnitude : magnitude);
    } else {
      numbers.push_back(ParseMatch(text, pos, cursor));
    }
    pos = cursor;
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
