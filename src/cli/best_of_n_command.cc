// rmg best-of-n: score every sample of a file with a reward and keep each sample's
// K best outputs (RM-Gallery's best_of_n over a file), streamed through the batch
// evaluator so a large file never sits in memory.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/config_setup.h"
#include "cli/output_file.h"
#include "cli/record_input.h"
#include "cli/scoring_flags.h"
#include "rmg/best_of_n.h"
#include "rmg/evaluator.h"
#include "rmg/record_file.h"

namespace rmg::cli {
namespace {

struct BestOfNFlags {
  ScoringFlags scoring;
  std::string input;
  std::string output;
  int keep = 1;
  bool resume = false;
};

void RunBestOfN(const BestOfNFlags& flags) {
  if (flags.keep < 0) throw std::runtime_error("-n: must be 0 (keep all) or more");
  const Json config = LoadCommandConfig(flags.scoring);
  const std::unique_ptr<RewardModel> reward = BuildRewardFromFlags(flags.scoring, config);
  const EvalOptions options = EvalOptionsFromFlags(flags.scoring, config);

  const RecordInput input(flags.input);
  Json identity = ScoringIdentity(flags.scoring, config, *reward);
  identity["keep"] = flags.keep;
  // The outputs a record keeps no longer tell which sample it was: it carries its input's fingerprint.
  const StringMap<std::vector<size_t>> done =
      PrepareScoredOutput(flags.output, flags.input, flags.scoring.config, flags.resume, identity,
                          /*stored_fingerprints=*/true);
  OutputFile output(flags.output, flags.resume);
  StreamCallbacks callbacks;
  callbacks.write = [&](std::string_view text) { output.Write(text); };
  callbacks.origin = [&input](size_t line) { return input.Origin(line); };
  const size_t keep = static_cast<size_t>(flags.keep);
  callbacks.transform = [keep](DataSample& sample, size_t) {
    StoreInputFingerprint(sample);
    KeepTopOutputs(sample, keep);
  };
  const EvalStats stats =
      EvaluateJsonRecords(*reward, input.records(), options, callbacks, flags.resume ? &done : nullptr);

  const size_t bad_records = input.ReportBadRecords(stats);
  std::fprintf(stderr, "rmg best-of-n: %zu samples, %zu outputs scored (mean %.4f), kept %s each, %zu failed units",
               stats.samples, stats.outputs, stats.MeanScore(),
               keep == 0 ? "all" : ("the best " + std::to_string(keep)).c_str(), stats.failed_units);
  if (flags.resume) std::fprintf(stderr, ", %zu already done", stats.skipped);
  if (bad_records > 0) std::fprintf(stderr, ", %zu bad records skipped", bad_records);
  std::fprintf(stderr, " (%.2f s)\n", stats.seconds);
  const std::string llm = LlmSummary();
  if (!llm.empty()) std::fprintf(stderr, "rmg best-of-n: %s\n", llm.c_str());
  if (bad_records > 0) throw ExitCode{kExitBadInput};
  ExitIfEverySampleFailed("best-of-n", stats);
}

}  // namespace

void AddBestOfNCommand(CLI::App& app) {
  auto flags = std::make_shared<BestOfNFlags>();
  CLI::App* command = app.add_subcommand("best-of-n", "Score samples with a reward and keep each sample's K best outputs");
  AddScoringFlags(*command, flags->scoring);
  command->add_option("--input,-i", flags->input, "Input: .jsonl, .json (an array), .parquet, or a directory of them")->required();
  command->add_option("--output,-o", flags->output, "Output JSONL file (default: stdout)");
  command->add_option("-n", flags->keep,
                      "Outputs to keep per sample, ascending by score (best last); 0 keeps all (default 1, as "
                      "RM-Gallery's best_of_n)");
  command->add_flag("--resume", flags->resume, "Skip samples already in --output and append the rest");
  command->callback([flags] { RunBestOfN(*flags); });
}

}  // namespace rmg::cli
