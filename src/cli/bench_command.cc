// rmg bench: scores a benchmark's samples with a reward (or takes the scores
// already in them) and reports the benchmark's own metrics as JSON, Markdown and
// SVG. Scored samples stream to a JSONL file as they finish, so an interrupted
// run resumes with --resume and redoes nothing.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/benchmarks.h"
#include "bench/report_render.h"
#include "cli/commands.h"
#include "cli/config_setup.h"
#include "cli/output_file.h"
#include "cli/progress_bar.h"
#include "cli/record_format.h"
#include "cli/scoring_flags.h"
#include "rmg/data_loader.h"
#include "rmg/evaluator.h"
#include "rmg/record_file.h"
#include "rmg/sample_io.h"
#include "rmg/string_hash.h"

namespace rmg::cli {
namespace {

struct BenchFlags {
  std::string benchmark;
  ScoringFlags scoring;
  std::string input;
  RecordFormatFlags format;
  std::string scores_from;
  std::string output;
  std::string report;
  bool resume = false;
  bool no_progress = false;
  size_t limit = 0;
  uint64_t seed = 0;
};

// The input's records as DataSamples (converted from a published format when
// --from names one), with the "file:line" each came from in *origins; records that
// cannot be one are reported and left out.
std::vector<DataSample> LoadSamples(const BenchFlags& flags, size_t* bad_records, std::vector<std::string>* origins) {
  const SampleMaker make = MakeSampleMaker(flags.format);
  std::vector<std::string> errors;
  const std::vector<LoadedRecord> records = LoadRecords(flags.input, LoadOptions{flags.limit, flags.seed, &errors});
  std::vector<DataSample> samples = ToDataSamples(make, records, &errors, origins);
  for (const std::string& error : errors) std::fprintf(stderr, "rmg: %s\n", error.c_str());
  *bad_records = errors.size();
  // Scored samples are read back by unique_id, so two samples sharing one would
  // be scored as one: refuse rather than report wrong numbers.
  std::unordered_map<std::string_view, size_t, SeededStringHash> uses;
  for (const DataSample& sample : samples) ++uses[sample.unique_id];
  for (const DataSample& sample : samples) {
    if (const size_t count = uses[sample.unique_id]; count > 1) {
      std::string hint;
      if (std::filesystem::is_directory(flags.input)) {
        hint = " (is an earlier run's .scored.jsonl inside the input directory? write the report elsewhere)";
      }
      throw std::runtime_error(flags.input + ": unique_id '" + sample.unique_id + "' is used by " +
                               std::to_string(count) + " samples; a benchmark needs one sample per id" + hint);
    }
  }
  return samples;
}

// `samples` less those that do not fit `benchmark` (a missing or wrong label), each
// reported and counted in *bad_records. Each is checked alone, before anything is
// scored: it is evaluated as if every output had scored 0 (or, with --scores-from, as
// it is), so one bad sample neither stops the run nor wastes a judge's calls.
std::vector<DataSample> SamplesThatFit(const bench::Benchmark& benchmark, const BenchFlags& flags,
                                       std::vector<DataSample> samples, const std::vector<std::string>& origins,
                                       size_t* bad_records) {
  const bool scored_by_reward = flags.scores_from.empty();
  bench::BenchmarkScores scores;
  scores.score_path = flags.scores_from;
  std::vector<DataSample> fitting;
  fitting.reserve(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    DataSample& sample = samples[i];
    std::vector<DataSample> probe = {sample};
    if (scored_by_reward && benchmark.expand) probe = benchmark.expand(probe);
    if (scored_by_reward) {
      for (DataSample& each : probe) {
        for (DataOutput& output : each.output) output.answer.reward = Reward{};
      }
    }
    try {
      benchmark.evaluate(probe, scores);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "rmg: %s: %s\n", origins[i].c_str(), e.what());
      ++*bad_records;
      continue;
    }
    fitting.push_back(std::move(sample));
  }
  return fitting;
}

// Where the scored samples go: --output, else beside the report, else nowhere
// (kept in memory only, so that run cannot be resumed).
std::string ScoredPath(const BenchFlags& flags) {
  if (!flags.output.empty()) return flags.output;
  if (flags.report.empty()) return "";
  return std::filesystem::path(flags.report).replace_extension(".scored.jsonl").string();
}

// `samples` scored by the reward of the flags, in input order. Samples whose
// unique_id is already in the scored file are read from it when resuming.
std::vector<DataSample> ScoreSamples(const BenchFlags& flags, const bench::Benchmark& benchmark,
                                     const RewardModel& reward, const EvalOptions& options, const Json& identity,
                                     const std::vector<DataSample>& samples, EvalStats* stats) {
  const std::string scored_path = ScoredPath(flags);
  if (flags.resume && scored_path.empty()) throw std::runtime_error("--resume needs --output FILE or --report FILE");
  if (!scored_path.empty()) CheckResumeIdentity(scored_path, flags.resume, identity);
  StringMap<std::vector<size_t>> done;
  if (flags.resume) done = PrepareResume(scored_path);

  std::vector<std::string> texts;
  texts.reserve(samples.size());
  std::vector<JsonRecord> records;
  records.reserve(samples.size());
  for (const DataSample& sample : samples) {
    // A marker from an earlier run (a scored file given as input) is no failure of this one.
    const DataSample* to_score = &sample;
    DataSample unmarked;
    if (sample.metadata.is_object() && sample.metadata.contains(kFailedUnitsKey)) {
      unmarked = sample;
      unmarked.metadata.erase(kFailedUnitsKey);
      to_score = &unmarked;
    }
    AppendDataSampleJson(*to_score, &texts.emplace_back());
  }
  // No line numbers: the samples are the input's after conversion, selection and expansion.
  for (const std::string& text : texts) records.push_back({0, text});

  std::unique_ptr<OutputFile> file;
  if (!scored_path.empty()) file = std::make_unique<OutputFile>(scored_path, flags.resume);
  std::string scored_text;  // without a file, the scored JSONL stays here
  ProgressBar progress(records.size(), !flags.no_progress);
  StreamCallbacks callbacks;
  callbacks.any_order = true;  // read back by unique_id below
  callbacks.transform = [&benchmark](DataSample& sample, size_t failed_units) {
    if (failed_units == 0) return;
    if (benchmark.mark_failed) {
      benchmark.mark_failed(sample);
      return;
    }
    StoreFailedUnits(sample, failed_units);
  };
  callbacks.write = [&](std::string_view jsonl) {
    if (file != nullptr) {
      file->Write(jsonl);
    } else {
      scored_text += jsonl;
    }
  };
  if (progress.enabled()) callbacks.progress = [&](size_t handled) { progress.Update(handled); };
  *stats = EvaluateJsonRecords(reward, records, options, callbacks, flags.resume ? &done : nullptr);
  progress.Finish();
  file.reset();

  // Every scored sample by unique_id: this run's and, when resuming, earlier runs'.
  StringMap<DataSample> scored;
  if (!scored_path.empty()) {
    const RecordFile file = RecordFile::Open(scored_path);
    for (const JsonRecord& record : file.records()) {
      DataSample sample;
      try {
        sample = ParseDataSample(record.text);
      } catch (const std::exception& e) {
        throw std::runtime_error(scored_path + ":" + std::to_string(record.line) + ": " + e.what());
      }
      std::string id = sample.unique_id;
      scored.insert_or_assign(std::move(id), std::move(sample));
    }
  } else {
    size_t start = 0;
    while (start < scored_text.size()) {
      size_t end = scored_text.find('\n', start);
      if (end == std::string::npos) end = scored_text.size();
      DataSample sample = ParseDataSample(std::string_view(scored_text).substr(start, end - start));
      std::string id = sample.unique_id;
      scored.insert_or_assign(std::move(id), std::move(sample));
      start = end + 1;
    }
  }
  std::vector<DataSample> ordered;
  ordered.reserve(samples.size());
  for (const DataSample& sample : samples) {
    auto it = scored.find(sample.unique_id);
    if (it == scored.end()) throw std::runtime_error("sample " + sample.unique_id + " was not scored");
    ordered.push_back(it->second);
  }
  return ordered;
}

// `samples` without those some of whose units failed (kFailedUnitsKey), each
// listed on stderr.
std::vector<DataSample> WithoutFailedSamples(std::vector<DataSample> samples, const std::string& input,
                                             size_t* left_out) {
  std::vector<DataSample> kept;
  kept.reserve(samples.size());
  for (DataSample& sample : samples) {
    const Json& metadata = sample.metadata;
    if (metadata.is_object() && metadata.contains(kFailedUnitsKey)) {
      std::fprintf(stderr, "rmg: %s: sample %s: %s of its units failed; left out of the figures\n", input.c_str(),
                   sample.unique_id.c_str(), metadata[kFailedUnitsKey].dump().c_str());
      ++*left_out;
      continue;
    }
    kept.push_back(std::move(sample));
  }
  return kept;
}

// `path` with its extension replaced (or appended when it has none).
std::string Sibling(const std::string& path, const char* extension) {
  return std::filesystem::path(path).replace_extension(extension).string();
}

void WriteText(const std::string& path, const std::string& text) {
  OutputFile file(path, false);
  file.Write(text);
}

void RunBench(const BenchFlags& flags) {
  const bench::Benchmark* benchmark = bench::FindBenchmark(flags.benchmark);
  if (benchmark == nullptr) {
    std::string known;
    for (const bench::Benchmark& b : bench::Benchmarks()) known += (known.empty() ? "" : ", ") + b.name;
    throw std::runtime_error("unknown benchmark '" + flags.benchmark + "' (known: " + known + ")");
  }
  const bool has_reward = !flags.scoring.reward.empty() || !flags.scoring.config.empty();
  if (has_reward == !flags.scores_from.empty()) {
    throw std::runtime_error("give exactly one of --reward NAME (or --config) and --scores-from PATH");
  }
  // The .md and .svg reports are written beside the JSON one, named by its extension.
  const std::string report_extension = std::filesystem::path(flags.report).extension().string();
  if (report_extension == ".md" || report_extension == ".svg") {
    throw std::runtime_error("--report " + flags.report +
                             ": name the JSON report (e.g. report.json); its .md and .svg are written beside it");
  }
  const std::string scored_path = ScoredPath(flags);
  std::vector<std::string> written = {scored_path};
  if (!flags.report.empty()) {
    for (const std::string& report_file : {flags.report, Sibling(flags.report, ".md"), Sibling(flags.report, ".svg")}) {
      if (std::filesystem::weakly_canonical(report_file) == std::filesystem::weakly_canonical(scored_path)) {
        throw std::runtime_error("--output " + scored_path + " is also a report file (" + report_file + ")");
      }
      written.push_back(report_file);
    }
  }
  // Nothing this run writes may be a file it reads.
  for (const std::string& path : written) {
    CheckOutputIsNotInput(path, flags.input);
    CheckOutputIsNotInput(path, flags.scoring.config, "config");
    CheckOutputIsNotInput(path, flags.scores_from, "--scores-from");
  }
  CheckOutputIsJsonLines(scored_path);

  size_t bad_records = 0;
  std::vector<std::string> origins;
  std::vector<DataSample> samples = LoadSamples(flags, &bad_records, &origins);
  if (samples.empty() && bad_records > 0) {
    std::string hint;
    if (flags.format.from == "none") {
      hint = " (records in the benchmark's published format need --from " + benchmark->published_format + ")";
    }
    throw std::runtime_error(flags.input + ": no record could be read" + hint);
  }
  const size_t loaded = samples.size();
  samples = SamplesThatFit(*benchmark, flags, std::move(samples), origins, &bad_records);
  if (samples.empty() && loaded > 0) {
    throw std::runtime_error(flags.input + ": no sample fits the " + benchmark->name + " benchmark (see above)");
  }
  Json report = Json::object();
  report["benchmark"] = benchmark->name;
  report["input"] = flags.input;
  report["samples"] = samples.size();
  bench::BenchmarkScores scores;
  EvalStats stats;
  if (has_reward) {
    const Json config = LoadCommandConfig(flags.scoring);
    const std::unique_ptr<RewardModel> reward = BuildRewardFromFlags(flags.scoring, config);
    const EvalOptions options = EvalOptionsFromFlags(flags.scoring, config);
    if (benchmark->expand) samples = benchmark->expand(samples);
    samples = ScoreSamples(flags, *benchmark, *reward, options, ScoringIdentity(flags.scoring, config, *reward),
                           samples, &stats);
    scores.pairwise = reward->compares_outputs();
    report["reward"] = reward->name();
  } else {
    scores.score_path = flags.scores_from;
    report["scores_from"] = flags.scores_from;
  }
  report["failed_units"] = stats.failed_units;
  report["bad_records"] = bad_records;
  size_t failed_samples = 0;
  if (!benchmark->mark_failed) samples = WithoutFailedSamples(std::move(samples), flags.input, &failed_samples);
  report["failed_samples"] = failed_samples;
  if (samples.empty() && failed_samples > 0) {
    throw std::runtime_error(flags.input + ": every sample has failed units (listed above): nothing to report");
  }

  Json evaluated;
  try {
    evaluated = benchmark->evaluate(samples, scores);
  } catch (const std::invalid_argument& e) {
    // The samples did load as DataSamples, so --from is not what is missing here.
    throw std::runtime_error(flags.input + ": " + e.what());
  }
  for (auto& [key, value] : evaluated.items()) report[key] = std::move(value);
  // Samples a benchmark left out of its figures itself (majority lists them in "errors")
  // are bad records too: listed, and the exit code says so.
  size_t left_out = 0;
  if (report.contains("errors") && report["errors"].is_array()) {
    for (const Json& error : report["errors"]) {
      std::fprintf(stderr, "rmg: %s: %s\n", flags.input.c_str(),
                   error.is_string() ? error.get<std::string>().c_str() : error.dump().c_str());
      ++left_out;
    }
    bad_records += left_out;
    report["bad_records"] = bad_records;
  }
  // Figures over no sample would read as a model that is always wrong.
  if (!samples.empty() && left_out == samples.size()) {
    throw std::runtime_error(flags.input + ": no sample could be used (see above): nothing to report");
  }

  const std::string markdown = bench::ReportMarkdown(benchmark->name, report);
  std::fputs(markdown.c_str(), stdout);
  if (!flags.report.empty()) {
    WriteText(flags.report, report.dump(2) + "\n");
    WriteText(Sibling(flags.report, ".md"), markdown);
    WriteText(Sibling(flags.report, ".svg"), bench::ReportSvg(benchmark->name, report));
    std::fprintf(stderr, "rmg bench: wrote %s (and .md, .svg)\n", flags.report.c_str());
  }
  std::fprintf(stderr, "rmg bench %s: %zu samples, %zu failed units", benchmark->name.c_str(),
               report["samples"].get<size_t>(), stats.failed_units);
  if (failed_samples > 0) std::fprintf(stderr, " (%zu samples left out of the figures)", failed_samples);
  if (flags.resume) std::fprintf(stderr, ", %zu already scored", stats.skipped);
  std::fprintf(stderr, "\n");
  const std::string llm = LlmSummary();
  if (!llm.empty()) std::fprintf(stderr, "rmg bench: %s\n", llm.c_str());
  if (bad_records > 0) {
    std::fprintf(stderr, "rmg bench: %zu bad records skipped\n", bad_records);
    throw ExitCode{kExitBadInput};
  }
}

}  // namespace

void AddBenchCommand(CLI::App& app) {
  auto flags = std::make_shared<BenchFlags>();
  CLI::App* bench = app.add_subcommand("bench", "Evaluate a reward on a benchmark (rmbench, judgebench, ...)");
  std::string names = "Benchmark:";
  for (const bench::Benchmark& b : bench::Benchmarks()) names += "\n  " + b.name + ": " + b.description;
  bench->add_option("benchmark", flags->benchmark, names)->required();
  AddScoringFlags(*bench, flags->scoring);
  bench->add_option("--input,-i", flags->input, "Benchmark data: file or directory (.jsonl, .json, .parquet)")
      ->required();
  AddRecordFormatFlags(*bench, flags->format);
  bench->add_option("--scores-from", flags->scores_from,
                    "Use scores already in the data: dotted path in each output's answer, e.g. label.score");
  bench->add_option("--output,-o", flags->output, "Scored samples (JSONL; default: beside --report)");
  bench->add_option("--report", flags->report, "Report JSON; the Markdown and SVG are written beside it");
  bench->add_flag("--resume", flags->resume, "Keep the samples already scored in the output and score the rest");
  bench->add_flag("--no-progress", flags->no_progress, "Never draw the progress bar");
  bench->add_option("--limit", flags->limit, "Evaluate a random subset of this many records (0 = all)")
      ->check(WholeNumber(0, SIZE_MAX));
  bench->add_option("--seed", flags->seed, "Seed of the --limit subset (default 0)")->check(WholeNumber(0, UINT64_MAX));
  bench->callback([flags] { RunBench(*flags); });
}

}  // namespace rmg::cli
