#include "bench/judgebench.h"

#include <stdexcept>

#include "bench/answer_score.h"

namespace rmg::bench {
namespace {

constexpr std::string_view kJudgeBench = "JudgeBench";

void Count(JudgeBenchAccuracy& accuracy, bool correct) {
  ++accuracy.pairs;
  if (correct) ++accuracy.correct;
}

Json AccuracyMap(const std::map<std::string, JudgeBenchAccuracy>& accuracies) {
  Json json = Json::object();
  for (const auto& [name, accuracy] : accuracies) json[name] = accuracy.accuracy();
  return json;
}

// The position ("A" or "B") that answer.label gives, or "" when it gives none.
std::string LabelPosition(const Step& answer) {
  if (!answer.label.is_object()) return "";
  const auto it = answer.label.find("position");
  return it != answer.label.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

bool JudgeBenchCorrect(const JudgeBenchPair& pair) {
  int sum = 0;
  for (PairVerdict game : pair.games) {
    if (game == pair.label) {
      ++sum;
    } else if (game != PairVerdict::kTie && pair.label != PairVerdict::kTie) {
      --sum;  // the opposite verdict; a tie label has none
    }
  }
  return sum > 0;
}

std::string JudgeBenchCategory(std::string_view source) {
  if (source.starts_with("mmlu-pro")) return "knowledge";
  if (source == "livebench-reasoning") return "reasoning";
  if (source == "livebench-math") return "math";
  if (source == "livecodebench") return "coding";
  return std::string(source);
}

JudgeBenchResult ScoreJudgeBenchPairs(const std::vector<JudgeBenchPair>& pairs) {
  JudgeBenchResult result;
  for (const JudgeBenchPair& pair : pairs) {
    const bool correct = JudgeBenchCorrect(pair);
    Count(result.overall, correct);
    Count(result.per_source[pair.source], correct);
    Count(result.per_category[JudgeBenchCategory(pair.source)], correct);
  }
  return result;
}

JudgeBenchPair JudgeBenchPairOf(const DataSample& sample, JudgeBenchMode mode, std::string_view score_path) {
  if (sample.output.size() != 2) {
    ThrowBadSample(kJudgeBench, sample, "output: expected 2 responses, got " + std::to_string(sample.output.size()));
  }
  size_t a = 0;
  const std::string first = LabelPosition(sample.output[0].answer);
  const std::string second = LabelPosition(sample.output[1].answer);
  if (!first.empty() || !second.empty()) {
    if (first == "A" && second == "B") {
      a = 0;
    } else if (first == "B" && second == "A") {
      a = 1;
    } else {
      ThrowBadSample(kJudgeBench, sample, "output[*].answer.label.position: expected one \"A\" and one \"B\"");
    }
  }
  const Step& answer_a = sample.output[a].answer;
  const Step& answer_b = sample.output[1 - a].answer;
  auto preference = [&](const Step& answer) -> std::string {
    if (!answer.label.is_object()) return "";
    const auto it = answer.label.find("preference");
    return it != answer.label.end() && it->is_string() ? it->get<std::string>() : "";
  };
  const std::string preference_a = preference(answer_a), preference_b = preference(answer_b);
  JudgeBenchPair pair;
  if (preference_a == "tie" && preference_b == "tie") {
    pair.label = PairVerdict::kTie;
  } else if ((preference_a == "chosen") != (preference_b == "chosen")) {
    pair.label = preference_a == "chosen" ? PairVerdict::kAWins : PairVerdict::kBWins;
  } else {
    ThrowBadSample(kJudgeBench, sample,
                   "output[*].answer.label.preference: expected exactly one \"chosen\" response, or two \"tie\"");
  }
  pair.source = MetadataString(sample, "source");
  if (pair.source.empty() && sample.source) pair.source = *sample.source;
  double score_a = 0.0, score_b = 0.0;
  try {
    score_a = AnswerScore(answer_a, score_path);
    score_b = AnswerScore(answer_b, score_path);
  } catch (const std::invalid_argument& e) {
    ThrowBadSample(kJudgeBench, sample, e.what());
  }
  if (score_a > score_b) {
    pair.games = {PairVerdict::kAWins};
  } else if (score_a < score_b || mode == JudgeBenchMode::kRewardModel) {
    pair.games = {PairVerdict::kBWins};
  } else {
    pair.games = {PairVerdict::kTie};
  }
  return pair;
}

JudgeBenchResult EvaluateJudgeBench(const std::vector<DataSample>& samples, JudgeBenchMode mode,
                                    std::string_view score_path) {
  std::vector<JudgeBenchPair> pairs;
  pairs.reserve(samples.size());
  for (const DataSample& sample : samples) pairs.push_back(JudgeBenchPairOf(sample, mode, score_path));
  return ScoreJudgeBenchPairs(pairs);
}

Json JudgeBenchReport(const JudgeBenchResult& result) {
  Json metrics = JsonObjectBuilder(4)
                     .Add("overall", result.overall.accuracy())
                     .Add("pairs", result.overall.pairs)
                     .Add("per_source", AccuracyMap(result.per_source))
                     .Add("per_category", AccuracyMap(result.per_category))
                     .Build();
  return JsonObjectBuilder(1).Add("metrics", std::move(metrics)).Build();
}

}  // namespace rmg::bench
