// The benchmarks `rmg bench` knows, by name: what each expects of its samples and
// how it turns scored samples into a report (see report_render.h for the shape).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::bench {

// How the samples handed to a benchmark were scored.
struct BenchmarkScores {
  // Where each output's score is (AnswerScore in answer_score.h); "" = answer.reward.score.
  std::string score_path;
  // The scores come from a pairwise reward (e.g. an LLM judge that played both
  // orders) rather than from a reward model scoring each output on its own.
  bool pairwise = false;
};

struct Benchmark {
  std::string name;
  std::string description;
  // The converter (converters.h) of the benchmark's published record format,
  // suggested when the input does not fit.
  std::string published_format;
  // When set and a reward does the scoring: the samples as the reward should see
  // them (e.g. one sample per pair of outputs); `evaluate` then gets these, scored.
  std::function<std::vector<DataSample>(const std::vector<DataSample>&)> expand;
  // When set: called on each scored sample one of whose units failed, before it is
  // written, to mark it for `evaluate` (whose error scores alone would read as a tie).
  // When not set, such a sample gets kFailedUnitsKey (rmg/record_file.h: how many of its
  // units failed, whose error scores are no judgement of the outputs) and is left out of
  // the figures, in this run and when resuming from the file.
  std::function<void(DataSample&)> mark_failed;
  // Scored samples -> report. Throws std::invalid_argument naming the sample that
  // does not fit the benchmark.
  std::function<Json(const std::vector<DataSample>&, const BenchmarkScores&)> evaluate;
};

// The benchmark called `name`, or nullptr.
const Benchmark* FindBenchmark(std::string_view name);

// Every benchmark, sorted by name.
const std::vector<Benchmark>& Benchmarks();

}  // namespace rmg::bench
