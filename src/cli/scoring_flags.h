// The flags of every command that scores samples with a reward (eval, bench, ...):
// --reward, --param, --config, --no-cache, --workers, --timeout and --error-score,
// and how they become a reward and the evaluator's options.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rmg/evaluator.h"
#include "rmg/reward.h"
#include "rmg/schema.h"
#include "rmg/string_hash.h"

namespace rmg::cli {

struct ScoringFlags {
  std::string reward;
  std::vector<std::string> params;
  std::string config;
  bool no_cache = false;
  // Unset: the config's value, else the default (one worker per core, 60 s, 0).
  std::optional<int> workers;  // 0: one per core
  std::optional<double> timeout_seconds;  // 0: no deadline
  std::optional<double> error_score;
};

// The most worker threads a command starts.
inline constexpr int kMaxWorkers = 1024;

// Registers the flags on `command`; `flags` must outlive the parse.
void AddScoringFlags(CLI::App& command, ScoringFlags& flags);

// The top-level keys of an `rmg eval` (or best-of-n, refine, bench) config.
const std::vector<std::string>& EvalConfigKeys();

// The config file named by --config (an empty mapping without one), with its
// llm:, judges: and templates: sections applied. Throws std::runtime_error naming
// the file.
Json LoadCommandConfig(const ScoringFlags& flags);

// The reward the flags and `config` describe: --reward and --param win over the
// file's `reward:` (a name or a composition) and `params:`. Throws naming the
// flag or config key at fault.
std::unique_ptr<RewardModel> BuildRewardFromFlags(const ScoringFlags& flags, const Json& config);

// The evaluator's options: the flags, else the config's `workers`,
// `timeout_seconds` and `error_score`, else one worker per core and 60 s. Throws
// std::runtime_error naming the flag or the config key whose value is out of range:
// workers in [0, kMaxWorkers], a timeout of 0 or more seconds, a finite error score.
EvalOptions EvalOptionsFromFlags(const ScoringFlags& flags, const Json& config);

// What a run scores with, as JSON: the reward and parameters the flags give, the
// error score, the SHA-256 of the config (which may hold an API key, so only its
// digest is kept) and of the judge and template files it names, and, when `reward`
// asks an LLM, the environment that picks the model and the endpoint.
Json ScoringIdentity(const ScoringFlags& flags, const Json& config, const RewardModel& reward);

// A resumed run must score with what wrote `output`, or the file would mix two
// rewards. A fresh run records `identity` in `output` + ".run"; a resumed one
// compares it with the record there and throws std::runtime_error naming both
// when they differ (no record, as from an older rmg or a file copied alone: accepted
// with a warning, and recorded). Outputs that are not files of their own (a pipe, a
// device, a name under /dev or /proc such as /dev/stdout) are left alone.
void CheckResumeIdentity(const std::string& output, bool resume, const Json& identity);

// Readies `output` ("" = stdout) of a command that scores `input` into JSON lines
// and may resume (eval, best-of-n, refine): --resume needs a file (not a pipe or a
// device), the file must be JSON lines and neither the input nor the `config` file,
// and CheckResumeIdentity. Returns, when resuming, PrepareResume's fingerprints of the
// samples already there (`stored_fingerprints`: the ones the records store), else an
// empty map. With `failed_removed`, a resumed output first loses the records of failed
// samples (RemoveFailedRecords), whose number is stored there. Throws
// std::runtime_error.
StringMap<std::vector<size_t>> PrepareScoredOutput(const std::string& output, const std::string& input,
                                                   const std::string& config, bool resume, const Json& identity,
                                                   bool stored_fingerprints = false, size_t* failed_removed = nullptr);

// Ends a scoring command (`command`: "eval", "best-of-n") with kExitRunFailed, saying
// so on stderr, when it scored samples and every one of them has a unit that failed:
// scores of nothing but failures (a wrong API key, an endpoint down) must not pass for
// results in a script. The samples have been written by then.
void ExitIfEverySampleFailed(const char* command, const EvalStats& stats);

}  // namespace rmg::cli
