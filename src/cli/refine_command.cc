// rmg refine: RM-Gallery's LLMRefinement over a file. Each sample gets
// --max-iterations new answers, each written by the LLM from the reward's feedback
// (rmg/refinement.h). The LLM is the one of the config's `llm:` section and the
// environment (OPENAI_API_KEY, BASE_URL, OPENAI_MODEL), as for LLM judges.
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/config_setup.h"
#include "cli/output_file.h"
#include "cli/record_input.h"
#include "cli/scoring_flags.h"
#include "llm/llm_settings.h"
#include "rmg/evaluator.h"
#include "rmg/record_file.h"
#include "rmg/refinement.h"
#include "rmg/registry.h"

namespace rmg::cli {
namespace {

struct RefineFlags {
  ScoringFlags scoring;
  std::string input;
  std::string output;
  int max_iterations = 3;
  bool resume = false;
};

// An LLM call waits on the network, not a core: more samples at once than cores.
constexpr int kDefaultRefineWorkers = 8;

// The refining LLM's settings: the config's `llm:` section over the defaults of
// every LLM reward, then the environment (llm_settings.h). A private registry
// entry reuses the registry's checking and type conversion of those settings.
llm::LlmSettings RefinerSettings(const Json& config) {
  RewardRegistry registry;
  RewardSpec spec;
  spec.name = "refinement LLM";
  spec.kind = "llm";
  spec.params = llm::LlmParamSpecs();
  registry.Register(std::move(spec));
  registry.SetKindParams("llm", config.contains("llm") ? config["llm"] : Json::object());
  return llm::ResolveLlmSettings(Params(registry.ResolveParams("refinement LLM", Json::object())));
}

// Refinement seen as a reward by the batch evaluator, which brings the workers,
// the input order, streaming and per-record errors: Apply replaces the sample by
// its refinement. A sample whose LLM call failed is written with the answers made
// so far and `refinement_error`, counted as one failed unit and listed.
class RefineEachSample final : public RewardModel {
 public:
  RefineEachSample(const RewardModel& reward, std::shared_ptr<ChatClient> client, RefinementOptions options)
      : RewardModel("refine"), reward_(reward), client_(std::move(client)), options_(std::move(options)) {}

  RewardFamily family() const override { return RewardFamily::kComposite; }

  size_t Apply(DataSample& sample, const EvalContext&) const override {
    // The answers added hide which sample this was: it carries its input's fingerprint.
    StoreInputFingerprint(sample);
    RefinementResult result = Refine(reward_, *client_, sample, options_);
    sample = std::move(result.sample);
    if (result.ok()) return 0;
    if (!sample.extra.is_object()) sample.extra = Json::object();
    sample.extra["refinement_error"] = result.error;
    std::lock_guard lock(mutex_);
    failures_.push_back(sample.unique_id + ": " + result.error);
    return 1;
  }

  std::vector<std::string> failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
  }

 private:
  const RewardModel& reward_;
  std::shared_ptr<ChatClient> client_;
  RefinementOptions options_;
  mutable std::mutex mutex_;
  mutable std::vector<std::string> failures_;
};

void RunRefine(const RefineFlags& flags) {
  if (flags.max_iterations < 0) throw std::runtime_error("--max-iterations: must be 0 or more");
  const Json config = LoadCommandConfig(flags.scoring);
  const std::unique_ptr<RewardModel> reward = BuildRewardFromFlags(flags.scoring, config);
  const llm::LlmSettings settings = RefinerSettings(config);

  RefinementOptions options;
  options.max_iterations = flags.max_iterations;
  options.request_fields = llm::ChatRequestBody(settings, "");
  options.request_fields.erase("messages");
  options.system_prompt = settings.system_prompt;
  ScoringFlags scoring = flags.scoring;
  if (!scoring.workers && !config.contains("workers")) scoring.workers = kDefaultRefineWorkers;
  const EvalOptions command_options = EvalOptionsFromFlags(scoring, config);
  options.reward_timeout_seconds = command_options.timeout_seconds;
  options.error_score = command_options.error_score;
  const RefineEachSample refine(*reward, llm::SharedChatClient(settings.client), options);

  // The deadline is the reward's, per evaluation; a refinement as a whole has none.
  EvalOptions batch_options;
  batch_options.workers = command_options.workers;
  batch_options.chunk_records = 1;
  const RecordInput input(flags.input);
  Json identity = ScoringIdentity(flags.scoring, config, *reward);
  identity["max_iterations"] = flags.max_iterations;
  identity["refiner"] = Json{{"model", settings.model}, {"base_url", settings.client.base_url}};
  const StringMap<std::vector<size_t>> done =
      PrepareScoredOutput(flags.output, flags.input, flags.scoring.config, flags.resume, identity,
                          /*stored_fingerprints=*/true);
  OutputFile output(flags.output, flags.resume);
  StreamCallbacks callbacks;
  callbacks.write = [&](std::string_view text) { output.Write(text); };
  callbacks.origin = [&input](size_t line) { return input.Origin(line); };
  const EvalStats stats =
      EvaluateJsonRecords(refine, input.records(), batch_options, callbacks, flags.resume ? &done : nullptr);

  const size_t bad_records = input.ReportBadRecords(stats);
  const std::vector<std::string> failures = refine.failures();
  for (const std::string& failure : failures) std::fprintf(stderr, "rmg refine: %s\n", failure.c_str());
  std::fprintf(stderr, "rmg refine: %zu samples, %zu refined, %zu failed", stats.samples,
               stats.samples - failures.size(), failures.size());
  if (flags.resume) std::fprintf(stderr, ", %zu already done", stats.skipped);
  if (bad_records > 0) std::fprintf(stderr, ", %zu bad records skipped", bad_records);
  std::fprintf(stderr, " (%.2f s)\n", stats.seconds);
  const std::string llm = LlmSummary();
  if (!llm.empty()) std::fprintf(stderr, "rmg refine: %s\n", llm.c_str());
  if (bad_records > 0) throw ExitCode{kExitBadInput};
  if (!failures.empty()) throw ExitCode{kExitRunFailed};
}

}  // namespace

void AddRefineCommand(CLI::App& app) {
  auto flags = std::make_shared<RefineFlags>();
  CLI::App* command = app.add_subcommand("refine", "Let an LLM rewrite each sample's answer from a reward's feedback");
  AddScoringFlags(*command, flags->scoring);
  // Refinement's own meaning of two shared flags.
  command->get_option("--workers")->description("Samples refined at once (default 8)");
  command->get_option("--timeout")->description("Deadline of each reward evaluation in seconds (default 60; 0 = none)");
  command->add_option("--input,-i", flags->input, "Input: .jsonl, .json (an array), .parquet, or a directory of them")->required();
  command->add_option("--output,-o", flags->output, "Output JSONL file (default: stdout)");
  command->add_option("--max-iterations", flags->max_iterations, "New answers per sample (default 3)");
  command->add_flag("--resume", flags->resume,
                    "Skip samples already in --output (refined or failed) and append the rest");
  command->callback([flags] { RunRefine(*flags); });
}

}  // namespace rmg::cli
