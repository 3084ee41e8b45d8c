
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "cli/config_setup.h"
#include "cli/output_file.h"
#include "cli/progress_bar.h"
#include "cli/record_input.h"
#include "cli/scoring_flags.h"
#include "rmg/evaluator.h"
#include "rmg/record_file.h"

namespace rmg::cli {
namespace {

struct EvalFlags {
  ScoringFlags scoring;
  std::string input;
  std::string output;
  bool resume = false;
  bool retry_failed = false;  // implies resume
  bool no_progress = false;
};

void RunEval(const EvalFlags& flags) {
  const Json config = LoadCommandConfig(flags.scoring);
  const std::unique_ptr<RewardModel> reward = BuildRewardFromFlags(flags.scoring, config);
  const EvalOptions options = EvalOptionsFromFlags(flags.scoring, config);

  const RecordInput input(flags.input);
  const bool resume = flags.resume || flags.retry_failed;
  if (flags.retry_failed && flags.output.empty()) throw std::runtime_error("--retry-failed needs --output FILE");
  size_t failed_removed = 0;
  const StringMap<std::vector<size_t>> done = PrepareScoredOutput(
      flags.output, flags.input, flags.scoring.config, resume, ScoringIdentity(flags.scoring, config, *reward), false,
      flags.retry_failed ? &failed_removed : nullptr);
  OutputFile output(flags.output, resume);

  ProgressBar progress(input.records().size(), !flags.no_progress);
  StreamCallbacks callbacks;
  callbacks.write = [&](std::string_view text) { output.Write(text); };
  callbacks.origin = [&input](size_t line) { return input.Origin(line); };
  if (progress.enabled()) callbacks.progress = [&](size_t handled) { progress.Update(handled); };
  // The mark lets --retry-failed find these samples again.
  callbacks.transform = [](DataSample& sample, size_t failed_units) { StoreFailedUnits(sample, failed_units); };
  const EvalStats stats = EvaluateJsonRecords(*reward, input.records(), options, callbacks, resume ? &done : nullptr);
  progress.Finish();
  if (resume) {
    // The samples scored again by --retry-failed were appended after the others; so were
    // those of a retry interrupted, which a plain --resume then finishes.
    RestoreInputOrder(flags.output, input.records());
  }

  const size_t bad_records = input.ReportBadRecords(stats);
  const size_t errors = stats.failed_units + bad_records;
  const double rate = stats.seconds > 0 ? static_cast<double>(stats.samples) / stats.seconds : 0.0;
  std::fprintf(stderr, "rmg eval: %zu samples, mean score %.4f, %zu errors, %.0f samples/s (%.2f s, %d workers)",
               stats.samples, stats.MeanScore(), errors, rate, stats.seconds, options.workers);
  if (resume) std::fprintf(stderr, ", %zu already done", stats.skipped);
  if (flags.retry_failed) std::fprintf(stderr, ", %zu failed ones scored again", failed_removed);
  if (bad_records > 0) std::fprintf(stderr, ", %zu bad records skipped", bad_records);
  std::fprintf(stderr, "\n");
  const std::string llm = LlmSummary();
  if (!llm.empty()) std::fprintf(stderr, "rmg eval: %s\n", llm.c_str());
  if (bad_records > 0) throw ExitCode{kExitBadInput};
  ExitIfEverySampleFailed("eval", stats);
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* eval = app.add_subcommand("eval", "Score a JSONL/JSON file of DataSamples with a reward");
  AddScoringFlags(*eval, flags->scoring);
  eval->add_option("--input,-i", flags->input, "Input: .jsonl, .json (an array), .parquet, or a directory of them")->required();
  eval->add_option("--output,-o", flags->output, "Output JSONL file (default: stdout)");
  eval->add_flag("--resume", flags->resume, "Skip samples already in --output and append the rest");
  eval->add_flag("--retry-failed", flags->retry_failed,
                 "Resume, and score again the samples of --output whose reward failed or timed out");
  eval->add_flag("--no-progress", flags->no_progress, "Never draw the progress bar");
  eval->callback([flags] { RunEval(*flags); });
}

}  // namespace rmg::cli
