// The outputs of ../shared/data/code/*.jsonl through code_execution (default
// parameters), checked against label.expected / expected_max / expected_lt.
//   CodeDataSandboxedTest.MatchesLabels  every output, in the real sandbox; skipped
//                                        while this branch links the placeholder
//   CodeDataPlainTest.MatchesLabels      with plain-process zygotes: every third
//                                        record of the large files, or every record
//                                        when the sandboxed test is skipped
// Each takes minutes, so each is a suite of its own: ctest runs a suite per process,
// and the two then run side by side (CMakeLists.txt starts them first).
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

// A record's label is a fact about its program, which each runner must reproduce; the
// runners differ only in how they start the program. So one run of every record checks
// the labels, and the other runs (plain zygotes; and both under the sanitizers, which do
// not watch the Python programs) take every third record of the two large files (MBPP
// and HumanEval) and all of the small ones: a subset that still meets every kind of test
// (asserts, stdio, calls) and of failure. On this machine a run of every record takes
// 90-200 s, most of it in fork's page faults.
constexpr size_t kSubsetStride = 3;  // in files of over 50 records
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// The list of outputs whose score disagrees with their label, one line each, over
// records first, first + stride, ... of each file of over 50 records and every record
// of the others.
std::vector<std::string> Disagreements(size_t stride, size_t first) {
  const std::vector<std::string> files = {"mbpp.jsonl", "humaneval.jsonl", "sandbox_code_contests.jsonl",
                                          "sandbox_cruxeval.jsonl", "sandbox_live_code_bench_v1.jsonl",
                                          "sandbox_mbpp.jsonl", "sandbox_mbxp_python.jsonl"};
  std::vector<Json> records;
  for (const std::string& file : files) {
    auto file_records = rmg::testing::ReadSharedJsonl("code/" + file);
    const bool large = file_records.size() > 50;
    for (size_t i = large ? first : 0; i < file_records.size(); i += large ? stride : 1) {
      records.push_back(std::move(file_records[i]));
    }
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

TEST(CodeDataSandboxedTest, MatchesLabels) {
  if (testing::SandboxIsPlaceholder()) GTEST_SKIP() << "the sandbox is not built in this branch";
  const auto wrong = kSanitized ? Disagreements(kSubsetStride, 0) : Disagreements(1, 0);
  EXPECT_TRUE(wrong.empty()) << Lines(wrong);
}

TEST(CodeDataPlainTest, MatchesLabels) {
  // Under the sanitizers the other third of the records from the sandboxed run's.
  const bool every_record = !kSanitized && testing::SandboxIsPlaceholder();
  testing::PlainRunnerScope runner;
  const auto wrong = every_record ? Disagreements(1, 0) : Disagreements(kSubsetStride, 1);
  EXPECT_TRUE(wrong.empty()) << Lines(wrong);
}

}  // namespace
}  // namespace rmg::gallery
