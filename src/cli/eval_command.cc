#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/config_setup.h"
#include "rmg/composition.h"
#include "rmg/config.h"
#include "rmg/evaluator.h"
#include "rmg/record_file.h"
#include "rmg/registry.h"

namespace rmg::cli {
namespace {

struct EvalFlags {
  std::string reward;
  std::vector<std::string> params;
  std::string config;
  std::string input;
  std::string output;
  int workers = 0;
  double timeout_seconds = -1;
  double error_score = 0.0;
  bool resume = false;
  bool no_progress = false;
  bool no_cache = false;
};

// The reward described by the flags and the config file; --reward and --param win
// over the file's `reward:` and `params:`.
std::unique_ptr<RewardModel> BuildFromFlags(const EvalFlags& flags, const Json& config) {
  Json params = config.contains("params") ? config["params"] : Json::object();
  if (!params.is_object()) throw std::runtime_error(flags.config + ": params: expected a mapping");
  for (const std::string& text : flags.params) {
    auto [key, value] = SplitKeyValue(text);
    params[key] = value;
  }
  if (!flags.reward.empty()) return RewardRegistry::Global().Create(flags.reward, params);
  if (!config.contains("reward")) throw std::runtime_error("no reward given: use --reward NAME or `reward:` in --config");
  const Json& description = config["reward"];
  if (description.is_string()) return RewardRegistry::Global().Create(description.get<std::string>(), params);
  return BuildReward(description);
}

// Writes everything or throws; stdout and files alike.
class Output {
 public:
  Output(const std::string& path, bool append) {
    if (path.empty()) {
      file_ = stdout;
      return;
    }
    file_ = std::fopen(path.c_str(), append ? "ab" : "wb");
    if (file_ == nullptr) throw std::runtime_error(path + ": cannot open for writing: " + std::strerror(errno));
    owned_ = true;
    path_ = path;
  }
  ~Output() {
    if (owned_) std::fclose(file_);
  }
  void Write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      throw std::runtime_error((path_.empty() ? std::string("stdout") : path_) + ": write failed: " + std::strerror(errno));
    }
  }
  void Flush() { std::fflush(file_); }

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::string path_;
};

void DrawProgress(size_t done, size_t total, double seconds) {
  constexpr int kWidth = 30;
  const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '=');
  bar.resize(kWidth, ' ');
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  std::fprintf(stderr, "\r[%s] %zu/%zu %3.0f%% %.0f samples/s", bar.c_str(), done, total, 100 * fraction, rate);
  std::fflush(stderr);
}

void RunEval(const EvalFlags& flags) {
  const Json config = flags.config.empty() ? Json::object() : LoadConfigFile(flags.config);
  if (!config.is_object()) throw std::runtime_error(flags.config + ": expected a mapping at the top level");
  ApplyConfig(config, flags.config, flags.no_cache);
  const std::unique_ptr<RewardModel> reward = BuildFromFlags(flags, config);

  EvalOptions options;
  options.workers = flags.workers > 0 ? flags.workers : config.value("workers", 0);
  if (options.workers <= 0) options.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.timeout_seconds = flags.timeout_seconds >= 0 ? flags.timeout_seconds : config.value("timeout_seconds", 60.0);
  options.error_score = config.value("error_score", flags.error_score);

  if (flags.resume && flags.output.empty()) throw std::runtime_error("--resume needs --output FILE");
  const RecordFile input = RecordFile::Open(flags.input);
  std::unordered_set<std::string> done;
  if (flags.resume) done = PrepareResume(flags.output);
  Output output(flags.output, flags.resume);

  const bool show_progress = !flags.no_progress && isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  StreamCallbacks callbacks;
  callbacks.write = [&](std::string_view text) { output.Write(text); };
  auto last_draw = start;
  if (show_progress) {
    callbacks.progress = [&](size_t handled) {
      // Redraw at most ten times a second: a terminal is slower than the evaluator.
      const auto now = std::chrono::steady_clock::now();
      if (now - last_draw < std::chrono::milliseconds(100) && handled < input.records().size()) return;
      last_draw = now;
      DrawProgress(handled, input.records().size(), std::chrono::duration<double>(now - start).count());
    };
  }
  const EvalStats stats = EvaluateJsonRecords(*reward, input.records(), options, callbacks, flags.resume ? &done : nullptr);
  output.Flush();
  if (show_progress) std::fprintf(stderr, "\n");

  for (const RecordError& error : stats.bad_records) {
    std::fprintf(stderr, "rmg: %s:%zu: %s\n", flags.input.c_str(), error.line, error.message.c_str());
  }
  const size_t errors = stats.failed_units + stats.bad_records.size();
  const double rate = stats.seconds > 0 ? static_cast<double>(stats.samples) / stats.seconds : 0.0;
  std::fprintf(stderr, "rmg eval: %zu samples, mean score %.4f, %zu errors, %.0f samples/s (%.2f s, %d workers)",
               stats.samples, stats.MeanScore(), errors, rate, stats.seconds, options.workers);
  if (flags.resume) std::fprintf(stderr, ", %zu already done", stats.skipped);
  if (!stats.bad_records.empty()) std::fprintf(stderr, ", %zu bad records skipped", stats.bad_records.size());
  std::fprintf(stderr, "\n");
  const std::string llm = LlmSummary();
  if (!llm.empty()) std::fprintf(stderr, "rmg eval: %s\n", llm.c_str());
  if (!stats.bad_records.empty()) throw ExitCode{kExitBadInput};
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* eval = app.add_subcommand("eval", "Score a JSONL/JSON file of DataSamples with a reward");
  eval->add_option("--reward,-r", flags->reward, "Registered reward name (see `rmg list`)");
  eval->add_option("--param,-p", flags->params, "Reward parameter KEY=VALUE (repeatable)");
  eval->add_option("--config,-c", flags->config, "YAML config: reward, params, workers, timeout_seconds, llm, judges, templates");
  eval->add_option("--input,-i", flags->input, "Input file (.jsonl, or .json array)")->required();
  eval->add_option("--output,-o", flags->output, "Output JSONL file (default: stdout)");
  eval->add_option("--workers,-w", flags->workers, "Worker threads (default: number of cores)");
  eval->add_option("--timeout", flags->timeout_seconds, "Per-sample deadline in seconds (default 60; 0 = none)");
  eval->add_option("--error-score", flags->error_score, "Score of a failed or timed-out unit (default 0)");
  eval->add_flag("--resume", flags->resume, "Skip samples already in --output and append the rest");
  eval->add_flag("--no-progress", flags->no_progress, "Never draw the progress bar");
  eval->add_flag("--no-cache", flags->no_cache, "LLM rewards: neither read nor write the response cache");
  eval->callback([flags] { RunEval(*flags); });
}

}  // namespace rmg::cli
