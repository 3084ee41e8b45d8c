// number_accuracy: the numbers of the response against those of the reference,
// position by position (RM-Gallery's regex -?\d+\.?\d*, so "1,000" is 1 and 0).
#include <unicode/uchar.h>

#include <cmath>
#include <cstdlib>

#include "gallery/general/general.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

// Decimal digit value of `cp` (any Unicode Nd digit, as Python's \d), or -1.
int DigitValue(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp < 0x80) return -1;
  return u_charType(static_cast<UChar32>(cp)) == U_DECIMAL_DIGIT_NUMBER ? u_charDigitValue(static_cast<UChar32>(cp))
                                                                        : -1;
}

// Every match of -?\d+\.?\d* in `text`, as Python's float() reads it.
std::vector<double> ExtractNumbers(std::string_view text) {
  std::vector<double> numbers;
  size_t pos = 0;
  std::string ascii;
  while (pos < text.size()) {
    size_t cursor = pos;
    ascii.clear();
    if (text[cursor] == '-') {
      ascii.push_back('-');
      ++cursor;
    }
    size_t digits = 0;
    while (cursor < text.size()) {
      size_t next = cursor;
      const int d = DigitValue(text::DecodeUtf8(text, &next));
      if (d < 0) break;
      ascii.push_back(static_cast<char>('0' + d));
      cursor = next;
      ++digits;
    }
    if (digits == 0) {
      // No match here: step one code point, as the regex scanner does.
      text::DecodeUtf8(text, &pos);
      continue;
    }
    if (cursor < text.size() && text[cursor] == '.') {
      ascii.push_back('.');
      ++cursor;
      while (cursor < text.size()) {
        size_t next = cursor;
        const int d = DigitValue(text::DecodeUtf8(text, &next));
        if (d < 0) break;
        ascii.push_back(static_cast<char>('0' + d));
        cursor = next;
      }
    }
    numbers.push_back(std::strtod(ascii.c_str(), nullptr));
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
