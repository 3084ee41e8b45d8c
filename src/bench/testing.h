// Test-only: the benchmark files in ../shared/data/preference, scored by a
// deterministic stand-in for a reward model (the length of each response).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/sample_io.h"
#include "rmg/schema.h"
#include "testing/shared_data.h"

namespace rmg::bench::testing {

// Tolerance for metrics that are exact fractions computed in doubles.
constexpr double kEps = 1e-12;

// Length in characters (Unicode code points) of UTF-8 text: every byte that
// does not continue a multi-byte sequence starts a character.
inline size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char byte : text) count += (byte & 0xC0) != 0x80;
  return count;
}

// The records of a preference file as raw JSON (for independent loops over it)
// and as DataSamples whose outputs are scored by CharacterCount of their content.
struct LengthScored {
  std::vector<nlohmann::json> raw;
  std::vector<DataSample> samples;
};

// The message of the std::invalid_argument `f` throws, or "" when it throws none.
template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// The message of the SchemaError `f` throws, or "" when it throws none.
template <typename F>
std::string SchemaErrorOf(F f) {
  try {
    f();
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "";
}

// `sample` with output[k]'s answer.reward.score set to scores[k], for each k.
inline DataSample Scored(DataSample sample, const std::vector<double>& scores) {
  for (size_t k = 0; k < scores.size() && k < sample.output.size(); ++k) {
    MutableReward(sample.output[k].answer).score = scores[k];
  }
  return sample;
}

inline LengthScored LoadLengthScored(const std::string& file) {
  LengthScored data;
  data.raw = rmg::testing::ReadSharedJsonl("preference/" + file);
  for (const nlohmann::json& record : data.raw) {
    DataSample sample = ParseDataSample(record.dump());
    for (DataOutput& output : sample.output) {
      MutableReward(output.answer).score = static_cast<double>(CharacterCount(output.answer.content));
    }
    data.samples.push_back(std::move(sample));
  }
  return data;
}

}  // namespace rmg::bench::testing
