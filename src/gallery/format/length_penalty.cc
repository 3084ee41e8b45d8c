// length_penalty: penalises responses shorter than min_length or longer than
// max_length characters (code points, as Python's len()).
#include "gallery/format/format.h"

namespace rmg::gallery {
namespace {

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// a - b as Python computes it (exact integers, then one rounding to a float): in int64_t
// it overflows when a bound is near the type's end.
double Difference(int64_t a, int64_t b) { return static_cast<double>(static_cast<__int128>(a) - b); }

class LengthPenaltyReward final : public PointwiseReward {
 public:
  explicit LengthPenaltyReward(const Params& params)
      : PointwiseReward(params.GetString("name")),
        min_length_(params.GetInt("min_length")),
        max_length_(params.GetInt("max_length")),
        penalty_rate_(params.GetDouble("penalty_rate")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    const auto length = static_cast<int64_t>(CountCodePoints(output.answer.content));
    double penalty = 0.0;
    std::string reason;
    if (length < min_length_) {
      penalty = -Difference(min_length_, length) * penalty_rate_;
      reason = "Too short: " + std::to_string(length) + " < " + std::to_string(min_length_);
    } else if (length > max_length_) {
      penalty = -Difference(length, max_length_) * penalty_rate_;
      reason = "Too long: " + std::to_string(length) + " > " + std::to_string(max_length_);
    } else {
      reason = "Length acceptable: " + std::to_string(min_length_) + " <= " + std::to_string(length) +
               " <= " + std::to_string(max_length_);
    }
    RewardResult result;
    result.details.push_back({name(), penalty, std::move(reason), nullptr});
    result.extra_data = JsonObjectBuilder(4)
                            .Add("length", length)
                            .Add("min_length", min_length_)
                            .Add("max_length", max_length_)
                            .Add("penalty", penalty)
                            .Build();
    return result;
  }

 private:
  int64_t min_length_;
  int64_t max_length_;
  double penalty_rate_;
};

}  // namespace

RewardSpec LengthPenaltySpec() {
  RewardSpec spec;
  spec.name = "length_penalty";
  spec.description = "Negative score for responses shorter than min_length or longer than max_length characters";
  spec.params = {{"min_length", ParamType::kInt, 10, "shortest length without penalty", {}},
                 {"max_length", ParamType::kInt, 1000, "longest length without penalty", {}},
                 {"penalty_rate", ParamType::kDouble, 0.01, "penalty per character outside the range", {}}};
  spec.factory = [](const Params& p) { return std::make_unique<LengthPenaltyReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
