// rmg convert: reads records from JSONL, JSON or Parquet (a file or a directory),
// converts them to DataSamples (--from: a dataset's own layout, or DataSamples
// already) and writes them in the format the output's extension names.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/record_format.h"
#include "rmg/data_loader.h"
#include "rmg/sample_io.h"

namespace rmg::cli {
namespace {

struct ConvertFlags {
  std::string input;
  std::string output;
  RecordFormatFlags format;
  size_t limit = 0;
  uint64_t seed = 0;
};

void RunConvert(const ConvertFlags& flags) {
  // Made before reading, so a typo does not cost a pass over a large input.
  const SampleMaker make = MakeSampleMaker(flags.format);
  CheckOutputIsNotInput(flags.output, flags.input);
  // The file written is named OUTPUT.partial before it replaces OUTPUT.
  CheckOutputIsNotInput(flags.output + ".partial", flags.input);
  std::vector<std::string> errors;
  RecordWriter writer(flags.output);
  size_t records = 0;
  size_t unconvertible = 0;
  std::vector<DataSample> samples;
  // Records stream from the input to the output, so memory does not grow with the input.
  ForEachRecord(flags.input, LoadOptions{flags.limit, flags.seed, &errors}, [&](LoadedRecord&& record) {
    ++records;
    samples.clear();
    if (!AppendDataSamples(make, record, &samples, &errors)) ++unconvertible;
    // A converted file missing some samples would look complete, so after the first
    // error nothing more is written (and nothing is committed); the rest of the input
    // is still read, to list every error.
    if (!errors.empty()) return;
    try {
      for (const DataSample& sample : samples) writer.Add(DataSampleToJson(sample));
    } catch (const FileError& e) {  // a key Parquet cannot take, say: listed like a bad record
      errors.push_back(record.origin() + ": " + e.what());
      ++unconvertible;
    }
  });
  if (!errors.empty()) {
    for (const std::string& error : errors) std::fprintf(stderr, "rmg: %s\n", error.c_str());
    const size_t unreadable = errors.size() - unconvertible;
    std::fprintf(stderr, "rmg convert: %zu of %zu records cannot be converted; %s not written\n", errors.size(),
                 records + unreadable, flags.output.c_str());
    throw ExitCode{kExitBadInput};
  }
  writer.Commit();
  std::fprintf(stderr, "rmg convert: wrote %zu samples to %s\n", writer.count(), flags.output.c_str());
}

}  // namespace

void AddConvertCommand(CLI::App& app) {
  auto flags = std::make_shared<ConvertFlags>();
  CLI::App* convert = app.add_subcommand(
      "convert", "Convert DataSamples, or a dataset's records (--from), between JSONL, JSON and Parquet (formats by "
                 "file extension)");
  convert->add_option("--input,-i", flags->input, "Input file or directory (.jsonl, .json, .parquet)")->required();
  convert->add_option("--output,-o", flags->output, "Output file: .parquet, .json (an array) or anything else for JSONL")
      ->required();
  AddRecordFormatFlags(*convert, flags->format);
  convert
      ->add_option("--limit", flags->limit,
                   "Keep a random subset of this many records, in input order (0 = all; a --from format may make "
                   "several samples of one)")
      ->check(WholeNumber(0, SIZE_MAX));
  convert->add_option("--seed", flags->seed, "Seed of the --limit subset (default 0)")
      ->check(WholeNumber(0, UINT64_MAX));
  convert->callback([flags] { RunConvert(*flags); });
}

}  // namespace rmg::cli
