// The rouge, bleu and chrf rewards against the published expectations of Google's
// rouge-score and of sacreBLEU (../shared/data/text, see its README).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "rmg/registry.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

std::vector<std::string> ReadLines(const std::string& name) {
  std::ifstream in(std::string(RMG_SHARED_DATA_DIR) + "/text/" + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST(TextMetricsDataTest, RougeMatchesRougeScore) {
  const auto lines = ReadLines("rouge_cases.jsonl");
  ASSERT_EQ(lines.size(), 24u);
  size_t checked = 0;
  for (const std::string& line : lines) {
    const DataSample sample = ParseDataSample(line);
    const Json& metadata = sample.metadata;
    for (const auto& [variant, expected] : metadata["expected"].items()) {
      const auto reward = RewardRegistry::Global().Create(
          "rouge", Json{{"variant", variant}, {"use_stemmer", metadata["use_stemmer"]}, {"tokenizer", "rouge_score"}});
      const DataSample scored = reward->Evaluate(sample);
      const Step& answer = scored.output[0].answer;
      const Json& extra = answer.additional_kwargs["rouge"];
      const double actual[3] = {extra["precision"].get<double>(), extra["recall"].get<double>(),
                                answer.reward->details[0].score.value()};
      const char* fields[3] = {"precision", "recall", "fmeasure"};
      for (int f = 0; f < 3; ++f) {
        const int places = metadata["places"][fields[f]].get<int>();
        // assertAlmostEqual's rule, and never looser than 1e-5 where the test is that strict.
        const double tolerance = places >= 5 ? 1e-5 : 0.5 * std::pow(10.0, -places);
        EXPECT_NEAR(actual[f], expected[fields[f]].get<double>(), tolerance)
            << sample.unique_id << " " << variant << " " << fields[f];
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 25u);
}

// sacreBLEU option names of the data file -> the reward's parameters.
Json BleuParams(const Json& options) {
  Json params = Json::object();
  for (const char* key : {"tokenize", "smooth_method", "lowercase", "use_effective_order", "max_ngram_order"}) {
    if (options.contains(key) && !options[key].is_null()) params[key] = options[key];
  }
  if (options.contains("smooth_value") && !options["smooth_value"].is_null()) params["smooth_value"] = options["smooth_value"];
  return params;
}

Json ChrfParams(const Json& options) {
  Json params = Json::object();
  for (const char* key : {"char_order", "word_order", "beta", "lowercase", "eps_smoothing"}) {
    if (options.contains(key) && !options[key].is_null()) params[key] = options[key];
  }
  if (options.contains("remove_whitespace")) params["whitespace"] = !options["remove_whitespace"].get<bool>();
  return params;
}

TEST(TextMetricsDataTest, BleuAndChrfMatchSacreBleu) {
  size_t bleu_checked = 0, chrf_checked = 0;
  for (const std::string& line : ReadLines("bleu_cases.jsonl")) {
    const DataSample sample = ParseDataSample(line);
    const Json& m = sample.metadata;
    const std::string comparison = m["comparison"];
    if (comparison == "stats_equal") continue;  // statistics only; covered by the engine's tests
    const bool is_bleu = m["metric"] == "BLEU";
    const bool corpus = m["level"] == "corpus";
    const std::string reward_name = std::string(corpus ? "corpus_" : "") + (is_bleu ? "bleu" : "chrf");
    const Json params = is_bleu ? BleuParams(m["options"]) : ChrfParams(m["options"]);
    const auto reward = RewardRegistry::Global().Create(reward_name, params);
    const DataSample scored = reward->Evaluate(sample);
    const double score = scored.output[0].answer.reward->details[0].score.value();
    ASSERT_EQ(scored.output[0].answer.reward->details[0].reason.rfind("error", 0), std::string::npos)
        << sample.unique_id << ": " << scored.output[0].answer.reward->details[0].reason;
    const bool unit_scale = m["expected_scale"].get<std::string>().rfind("0-1 ", 0) == 0;
    const double actual = unit_scale ? score : 100.0 * score;
    if (comparison == "format_2dp_equal") {
      char got[32], want[32];
      std::snprintf(got, sizeof got, "%.2f", actual);
      std::snprintf(want, sizeof want, "%.2f", m["expected"].get<double>());
      EXPECT_STREQ(got, want) << sample.unique_id;
    } else {
      // The reward divides by 100, which may cost one ulp; allow for that only.
      const double tolerance = m["tolerance"].get<double>() + 1e-12;
      EXPECT_NEAR(actual, m["expected"].get<double>(), tolerance) << sample.unique_id;
    }
    (is_bleu ? bleu_checked : chrf_checked) += 1;
  }
  EXPECT_EQ(bleu_checked, 38u);
  EXPECT_EQ(chrf_checked, 25u);
}

}  // namespace
}  // namespace rmg
