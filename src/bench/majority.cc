#include "bench/majority.h"

#include <algorithm>
#include <stdexcept>

#include "bench/answer_score.h"
#include "text/unicode.h"

namespace rmg::bench {
namespace {

// Adds one sample's pick to the running sums of `accuracy` (shares are divided out later).
void Count(const MajorityPick& pick, MajorityAccuracy& accuracy) {
  accuracy.samples += 1;
  accuracy.maj += pick.maj ? 1.0 : 0.0;
  accuracy.rm += pick.rm ? 1.0 : 0.0;
  accuracy.oracle += pick.oracle ? 1.0 : 0.0;
}

void DivideOut(MajorityAccuracy& accuracy) {
  if (accuracy.samples == 0) return;
  const double n = static_cast<double>(accuracy.samples);
  accuracy.maj /= n;
  accuracy.rm /= n;
  accuracy.oracle /= n;
}

Json AccuracyJson(const MajorityAccuracy& accuracy) {
  return Json{{"maj_at_k", accuracy.maj}, {"rm_at_k", accuracy.rm}, {"oracle_at_k", accuracy.oracle},
              {"samples", accuracy.samples}};
}

}  // namespace

MajorityVerdicts MajorityVerdictsOf(const DataSample& sample, std::string_view score_path,
                                    const MathVerifyOptions& options) {
  if (sample.output.empty()) throw std::invalid_argument("sample " + sample.unique_id + ": no outputs");
  const size_t count = std::min(sample.output.size(), kMajorityMaxOutputs);
  MajorityVerdicts verdicts;
  std::vector<std::string> extracted(count);  // each output's final answer as the verifier read it
  std::vector<size_t> representatives;        // first output of each group, in order of appearance
  for (size_t i = 0; i < count; ++i) {
    const Step& answer = sample.output[i].answer;
    const std::string where = "sample " + sample.unique_id + " output[" + std::to_string(i) + "]";
    std::string scratch;
    const std::string_view reference = text::StripPythonSpace(LabelReference(answer, &scratch));
    if (reference.empty()) throw std::invalid_argument(where + ": no answer.label.reference");
    try {
      verdicts.score.push_back(AnswerScore(answer, score_path));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(where + ": " + e.what());
    }
    const std::string_view content = text::StripPythonSpace(answer.content);
    const MathVerifyResult check = VerifyMath(reference, content, options);
    verdicts.correct.push_back(check.equal);
    extracted[i] = check.prediction_extracted;
    int group = -1;
    if (!extracted[i].empty()) {
      for (size_t first : representatives) {
        if (extracted[first] == extracted[i] ||
            VerifyMath(text::StripPythonSpace(sample.output[first].answer.content), content, options).equal) {
          group = static_cast<int>(first);
          break;
        }
      }
      if (group < 0) {
        group = static_cast<int>(i);
        representatives.push_back(i);
      }
    }
    verdicts.group.push_back(group);
  }
  return verdicts;
}

MajorityPick MajorityPickAt(const MajorityVerdicts& verdicts, size_t k) {
  MajorityPick pick;
  std::vector<size_t> votes(k, 0);  // by the group's first output
  size_t best_scored = 0;
  for (size_t i = 0; i < k; ++i) {
    pick.oracle = pick.oracle || verdicts.correct[i];
    if (verdicts.group[i] >= 0) votes[static_cast<size_t>(verdicts.group[i])] += 1;
    if (verdicts.score[i] > verdicts.score[best_scored]) best_scored = i;
  }
  pick.rm = verdicts.correct[best_scored];
  size_t winner = k;  // none yet
  for (size_t first = 0; first < k; ++first) {
    // Strictly more votes: a later group never wins a tie.
    if (votes[first] > 0 && (winner == k || votes[first] > votes[winner])) winner = first;
  }
  pick.maj = winner < k && verdicts.correct[winner];
  return pick;
}

MajorityResult EvaluateMajority(const std::vector<DataSample>& samples, std::string_view score_path,
                                const MathVerifyOptions& options) {
  MajorityResult result;
  for (const DataSample& sample : samples) {
    MajorityVerdicts verdicts;
    try {
      verdicts = MajorityVerdictsOf(sample, score_path, options);
    } catch (const std::invalid_argument& e) {
      result.errors.push_back(e.what());
      continue;
    }
    if (sample.output.size() > kMajorityMaxOutputs) result.capped_samples += 1;
    const size_t outputs = verdicts.correct.size();
    result.k = std::max(result.k, outputs);
    for (size_t k = 1; k <= outputs; ++k) Count(MajorityPickAt(verdicts, k), result.per_k[k]);
    Count(MajorityPickAt(verdicts, outputs), result.overall);
  }
  DivideOut(result.overall);
  for (auto& [k, accuracy] : result.per_k) DivideOut(accuracy);
  return result;
}

Json MajorityReport(const MajorityResult& result) {
  Json per_k = Json::object();
  for (const auto& [k, accuracy] : result.per_k) per_k[std::to_string(k)] = AccuracyJson(accuracy);
  Json metrics = Json::object();
  metrics["maj_at_k"] = result.overall.maj;
  metrics["rm_at_k"] = result.overall.rm;
  metrics["oracle_at_k"] = result.overall.oracle;
  metrics["k"] = result.k;
  metrics["samples"] = result.overall.samples;
  metrics["capped_samples"] = result.capped_samples;
  metrics["per_k"] = std::move(per_k);
  return Json{{"metrics", std::move(metrics)}, {"errors", result.errors}};
}

}  // namespace rmg::bench
