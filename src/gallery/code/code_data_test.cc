// Every output of ../shared/data/code/*.jsonl through code_execution (default
// parameters), checked against label.expected / expected_max / expected_lt.
//   CodeDataTest.SandboxedMatchesLabels  the real sandbox; skipped while this
//                                        branch links the placeholder
//   CodeDataTest.PlainMatchesLabels      the same with plain-process zygotes
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "gallery/code/code_testing.h"
#include "gallery/testing.h"
#include "rmg/registry.h"
#include "rmg/sample_io.h"
#include "testing/shared_data.h"

namespace rmg::gallery {
namespace {

// The list of outputs whose score disagrees with their label, one line each.
std::vector<std::string> Disagreements() {
  const std::vector<std::string> files = {"mbpp.jsonl", "humaneval.jsonl", "sandbox_code_contests.jsonl",
                                          "sandbox_cruxeval.jsonl", "sandbox_live_code_bench_v1.jsonl",
                                          "sandbox_mbpp.jsonl", "sandbox_mbxp_python.jsonl"};
  std::vector<Json> records;
  for (const std::string& file : files) {
    for (auto& record : rmg::testing::ReadSharedJsonl("code/" + file)) records.push_back(std::move(record));
  }
  const auto reward = RewardRegistry::Global().Create("code_execution");
  // Two threads, as the evaluator would score samples in parallel.
  std::vector<std::string> found[2];
  auto work = [&](size_t first) {
    for (size_t r = first; r < records.size(); r += 2) {
      const DataSample scored = reward->Evaluate(ParseDataSample(records[r].dump()));
      for (size_t i = 0; i < scored.output.size(); ++i) {
        const Json& label = scored.output[i].answer.label;
        const auto result = testing::ScoredOutput(*reward, scored, i);
        bool ok = true;
        if (label.contains("expected")) ok = ok && std::fabs(result.score - label["expected"].get<double>()) < 1e-9;
        if (label.contains("expected_max")) ok = ok && result.score <= label["expected_max"].get<double>();
        if (label.contains("expected_lt")) ok = ok && result.score < label["expected_lt"].get<double>();
        if (!ok) {
          found[first].push_back(scored.unique_id + "#" + std::to_string(i) + " scored " +
                                 std::to_string(result.score) + " (" + result.reason() + "; " +
                                 result.extra.value("test_results", Json()).dump().substr(0, 300) + "), label " +
                                 label.dump().substr(0, 200));
        }
      }
    }
  };
  std::thread second(work, 1);
  work(0);
  second.join();
  std::vector<std::string> wrong = found[0];
  wrong.insert(wrong.end(), found[1].begin(), found[1].end());
  return wrong;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(CodeDataTest, SandboxedMatchesLabels) {
  if (testing::SandboxIsPlaceholder()) GTEST_SKIP() << "the sandbox is not built in this branch";
  const auto wrong = Disagreements();
  EXPECT_TRUE(wrong.empty()) << Lines(wrong);
}

TEST(CodeDataTest, PlainMatchesLabels) {
  testing::PlainRunnerScope runner;
  const auto wrong = Disagreements();
  EXPECT_TRUE(wrong.empty()) << Lines(wrong);
}

}  // namespace
}  // namespace rmg::gallery
