#include "bench/rmbench.h"

#include <stdexcept>

#include "bench/answer_score.h"

namespace rmg::bench {
namespace {

constexpr std::string_view kRmBench = "RM-Bench";

Json MatrixJson(const RmBenchMatrix& matrix) {
  Json rows = Json::array();
  for (const auto& row : matrix) rows.push_back(Json(std::vector<double>(row.begin(), row.end())));
  return rows;
}

Json AccuracyJson(const RmBenchAccuracy& accuracy) {
  return JsonObjectBuilder(5)
      .Add("hard_acc", accuracy.hard_acc)
      .Add("normal_acc", accuracy.normal_acc)
      .Add("easy_acc", accuracy.easy_acc)
      .Add("total_avg_acc", accuracy.total_avg_acc)
      .Add("prompts", accuracy.prompts)
      .Build();
}

}  // namespace

RmBenchAccuracy RmBenchAccuracyOfMatrix(const RmBenchMatrix& matrix, size_t prompts) {
  RmBenchAccuracy accuracy;
  accuracy.prompts = prompts;
  accuracy.matrix = matrix;
  double upper = 0.0, diagonal = 0.0, lower = 0.0;
  for (size_t i = 0; i < kRmBenchStyles; ++i) {
    for (size_t j = 0; j < kRmBenchStyles; ++j) {
      (i < j ? upper : i == j ? diagonal : lower) += matrix[i][j];
    }
  }
  constexpr double kTriangle = kRmBenchStyles * (kRmBenchStyles - 1) / 2.0;
  accuracy.hard_acc = upper / kTriangle;
  accuracy.normal_acc = diagonal / kRmBenchStyles;
  accuracy.easy_acc = lower / kTriangle;
  accuracy.total_avg_acc = (upper + diagonal + lower) / (kRmBenchStyles * kRmBenchStyles);
  return accuracy;
}

RmBenchAccuracy RmBenchAccuracyOf(std::span<const RmBenchScores> prompts) {
  RmBenchMatrix matrix{};
  if (prompts.empty()) return RmBenchAccuracyOfMatrix(matrix, 0);
  for (const RmBenchScores& scores : prompts) {
    for (size_t i = 0; i < kRmBenchStyles; ++i) {
      for (size_t j = 0; j < kRmBenchStyles; ++j) {
        // Strictly greater, as the official compute_accuracy: a tie is a miss.
        if (scores.chosen[i] > scores.rejected[j]) matrix[i][j] += 1.0;
      }
    }
  }
  for (auto& row : matrix) {
    for (double& cell : row) cell /= static_cast<double>(prompts.size());
  }
  return RmBenchAccuracyOfMatrix(matrix, prompts.size());
}

std::string RmBenchDomain(const DataSample& sample) {
  std::string domain = SampleGroup(sample, "domain");
  if (domain.empty()) {
    ThrowBadSample(kRmBench, sample, "no metadata.domain and the unique_id is not rmbench/<domain>/<id>");
  }
  if (domain.starts_with("safety-")) return "safety";
  return domain;
}

RmBenchScores RmBenchScoresOf(const DataSample& sample, std::string_view score_path) {
  RmBenchScores scores;
  std::array<bool, kRmBenchStyles> seen_chosen{}, seen_rejected{};
  for (size_t k = 0; k < sample.output.size(); ++k) {
    const Step& answer = sample.output[k].answer;
    const std::string where = "output[" + std::to_string(k) + "].answer.label";
    if (!answer.label.is_object()) ThrowBadSample(kRmBench, sample, where + ": missing");
    const auto preference = answer.label.find("preference");
    const auto style = answer.label.find("style_index");
    if (preference == answer.label.end() || !preference->is_string()) {
      ThrowBadSample(kRmBench, sample, where + ".preference: expected \"chosen\" or \"rejected\"");
    }
    if (style == answer.label.end() || !style->is_number_integer() || style->get<int64_t>() < 0 ||
        style->get<int64_t>() >= static_cast<int64_t>(kRmBenchStyles)) {
      ThrowBadSample(kRmBench, sample, where + ".style_index: expected 0, 1 or 2");
    }
    const size_t s = style->get<size_t>();
    const bool chosen = *preference == "chosen";
    if (!chosen && *preference != "rejected") {
      ThrowBadSample(kRmBench, sample, where + ".preference: expected \"chosen\" or \"rejected\"");
    }
    bool& seen = chosen ? seen_chosen[s] : seen_rejected[s];
    if (seen) {
      ThrowBadSample(
          kRmBench, sample,
          where + ": a second " + preference->get<std::string>() + " response of style " + std::to_string(s));
    }
    seen = true;
    double score = 0.0;
    try {
      score = AnswerScore(answer, score_path);
    } catch (const std::invalid_argument& e) {
      ThrowBadSample(kRmBench, sample, "output[" + std::to_string(k) + "]: " + e.what());
    }
    (chosen ? scores.chosen : scores.rejected)[s] = score;
  }
  for (size_t s = 0; s < kRmBenchStyles; ++s) {
    if (!seen_chosen[s] || !seen_rejected[s]) {
      ThrowBadSample(
          kRmBench, sample,
          "no " + std::string(seen_chosen[s] ? "rejected" : "chosen") + " response of style " + std::to_string(s));
    }
  }
  return scores;
}

RmBenchResult EvaluateRmBench(const std::vector<DataSample>& samples, std::string_view score_path) {
  std::map<std::string, std::vector<RmBenchScores>> by_domain;
  for (const DataSample& sample : samples) {
    by_domain[RmBenchDomain(sample)].push_back(RmBenchScoresOf(sample, score_path));
  }
  RmBenchResult result;
  RmBenchMatrix mean{};
  for (const auto& [domain, scores] : by_domain) {
    const RmBenchAccuracy& accuracy = result.per_domain[domain] = RmBenchAccuracyOf(scores);
    for (size_t i = 0; i < kRmBenchStyles; ++i) {
      for (size_t j = 0; j < kRmBenchStyles; ++j) {
        mean[i][j] += accuracy.matrix[i][j] / static_cast<double>(by_domain.size());
      }
    }
  }
  // Every accuracy is linear in the matrix, so reading them off the mean matrix
  // gives the mean of the domains' accuracies.
  result.overall = RmBenchAccuracyOfMatrix(mean, samples.size());
  return result;
}

Json RmBenchReport(const RmBenchResult& result) {
  Json metrics = AccuracyJson(result.overall);
  Json per_domain = Json::object();
  for (const auto& [domain, accuracy] : result.per_domain) {
    Json entry = AccuracyJson(accuracy);
    entry["matrix"] = MatrixJson(accuracy.matrix);
    per_domain[domain] = std::move(entry);
  }
  metrics["per_domain"] = std::move(per_domain);
  return JsonObjectBuilder(2)
      .Add("metrics", std::move(metrics))
      .Add("matrix", MatrixJson(result.overall.matrix))
      .Build();
}

}  // namespace rmg::bench
