// rmg convert: reads DataSamples from JSONL, JSON or Parquet (a file or a directory)
// and writes them in the format the output's extension names.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "rmg/data_loader.h"
#include "rmg/sample_io.h"

namespace rmg::cli {
namespace {

struct ConvertFlags {
  std::string input;
  std::string output;
  std::string from = "none";
  size_t limit = 0;
  uint64_t seed = 0;
};

// The extension point for --from: a benchmark converter (src/data/converters*) maps
// its own record layout to DataSamples, gets its name accepted here and its case in
// ToDataSamples. "none" means the records are DataSamples already.
void CheckFormat(const std::string& from) {
  if (from != "none") throw std::runtime_error("--from: unknown format '" + from + "' (known: none)");
}

// Turns the input's records into DataSamples, appending "file:record: reason" to
// `errors` for each record that cannot be one.
std::vector<DataSample> ToDataSamples(const std::string& from, const std::vector<LoadedRecord>& records,
                                      std::vector<std::string>* errors) {
  CheckFormat(from);
  std::vector<DataSample> samples;
  samples.reserve(records.size());
  for (const LoadedRecord& record : records) {
    try {
      samples.push_back(DataSampleFromJson(record.value));
    } catch (const std::exception& e) {  // SchemaError, or anything else one record causes
      errors->push_back(record.origin() + ": " + e.what());
    }
  }
  return samples;
}

void RunConvert(const ConvertFlags& flags) {
  // Checked before reading, so a typo does not cost a pass over a large input.
  CheckFormat(flags.from);
  const std::vector<LoadedRecord> records = LoadRecords(flags.input, LoadOptions{flags.limit, flags.seed});
  std::vector<std::string> errors;
  const std::vector<DataSample> samples = ToDataSamples(flags.from, records, &errors);
  // A converted file missing some samples would look complete, so nothing is
  // written unless every record is a DataSample.
  if (!errors.empty()) {
    for (const std::string& error : errors) std::fprintf(stderr, "rmg: %s\n", error.c_str());
    std::fprintf(stderr, "rmg convert: %zu of %zu records are not DataSamples; %s not written\n", errors.size(),
                 records.size(), flags.output.c_str());
    throw ExitCode{kExitBadInput};
  }
  std::vector<Json> out;
  out.reserve(samples.size());
  for (const DataSample& sample : samples) out.push_back(DataSampleToJson(sample));
  WriteRecords(flags.output, out);
  std::fprintf(stderr, "rmg convert: wrote %zu samples to %s\n", samples.size(), flags.output.c_str());
}

}  // namespace

void AddConvertCommand(CLI::App& app) {
  auto flags = std::make_shared<ConvertFlags>();
  CLI::App* convert = app.add_subcommand(
      "convert", "Convert DataSamples between JSONL, JSON and Parquet (formats by file extension)");
  convert->add_option("--input,-i", flags->input, "Input file or directory (.jsonl, .json, .parquet)")->required();
  convert->add_option("--output,-o", flags->output, "Output file: .parquet, .json (an array) or anything else for JSONL")
      ->required();
  convert->add_option("--from", flags->from, "Layout of the input records (default: none, i.e. DataSamples)");
  convert->add_option("--limit", flags->limit, "Keep a random subset of this many samples, in input order (0 = all)");
  convert->add_option("--seed", flags->seed, "Seed of the --limit subset (default 0)");
  convert->callback([flags] { RunConvert(*flags); });
}

}  // namespace rmg::cli
