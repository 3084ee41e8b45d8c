// number_accuracy: the numbers of the response against those of the reference,
// position by position (RM-Gallery's regex -?\d+\.?\d*, so "1,000" is 1 and 0).
#include <unicode/uchar.h>

#include <cmath>
#include <charconv>
#include <cstdlib>

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

// Every match of -?\d+\.?\d* in `text`, as Python's float() reads it.
std::vector<double> ExtractNumbers(std::string_view text) {
  std::vector<double> numbers;
  std::string ascii;
  size_t pos = 0;
  while (pos < text.size()) {
    // Most of a response is ASCII that can start no number: skip it in a tight loop.
    while (pos < text.size()) {
      const unsigned char byte = static_cast<unsigned char>(text[pos]);
      if (byte >= 0x80 || byte == '-' || (byte >= '0' && byte <= '9')) break;
      ++pos;
    }
    if (pos == text.size()) break;
    size_t cursor = pos;
    ascii.clear();
    if (text[cursor] == '-') {
      ascii.push_back('-');
      ++cursor;
    }
    size_t digits = 0;
    for (int d; cursor < text.size() && (d = TakeDigit(text, &cursor)) >= 0; ++digits) {
      ascii.push_back(static_cast<char>('0' + d));
    }
    if (digits == 0) {
      // No match here: step one character, as the regex scanner does.
      const bool ascii_byte = static_cast<unsigned char>(text[pos]) < 0x80;
      if (ascii_byte) {
        ++pos;
      } else {
        text::DecodeUtf8(text, &pos);
      }
      continue;
    }
    if (cursor < text.size() && text[cursor] == '.') {
      ascii.push_back('.');
      ++cursor;
      for (int d; cursor < text.size() && (d = TakeDigit(text, &cursor)) >= 0;) ascii.push_back(static_cast<char>('0' + d));
    }
    double value = 0.0;
    const auto parsed = std::from_chars(ascii.data(), ascii.data() + ascii.size(), value);
    // Out of double's range, Python's float() gives inf (or 0): so does strtod.
    if (parsed.ec == std::errc::result_out_of_range) value = std::strtod(ascii.c_str(), nullptr);
    numbers.push_back(value);
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
