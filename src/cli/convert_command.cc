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

#include "bench/converters.h"
#include "bench/generic_converter.h"
#include "cli/commands.h"
#include "rmg/data_loader.h"
#include "rmg/sample_io.h"

namespace rmg::cli {
namespace {

struct ConvertFlags {
  std::string input;
  std::string output;
  std::string from = "none";
  std::vector<std::string> maps;  // --from generic: TARGET=PATH entries
  size_t limit = 0;
  uint64_t seed = 0;
};

// Makes the samples of one input record; throws SchemaError naming the field.
using SampleMaker = std::function<std::vector<DataSample>(const Json&)>;

// The SampleMaker --from names: "none" (the records are DataSamples already),
// "generic" (with --map, bench/generic_converter.h) or a converter of
// bench/converters.h. Throws for an unknown name, listing the known ones, and for
// a bad --map.
SampleMaker MakerFor(const ConvertFlags& flags) {
  if (flags.from != "generic" && !flags.maps.empty()) {
    throw std::runtime_error("--map: only used with --from generic");
  }
  if (flags.from == "none") {
    return [](const Json& record) { return std::vector<DataSample>{DataSampleFromJson(record)}; };
  }
  if (flags.from == "generic") {
    try {
      auto mapping = std::make_shared<const bench::FieldMapping>(bench::FieldMapping::Parse(flags.maps));
      return [mapping](const Json& record) { return std::vector<DataSample>{mapping->Convert(record)}; };
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(e.what());
    }
  }
  if (const bench::Converter converter = bench::ConverterFor(flags.from)) return converter;
  std::string known = "none, generic";
  for (const std::string& name : bench::ConverterNames()) known += ", " + name;
  throw std::runtime_error("--from: unknown format '" + flags.from + "' (known: " + known + ")");
}

// Turns the input's records into DataSamples, appending "file:record: field: reason"
// to `errors` for each record that cannot be converted.
std::vector<DataSample> ToDataSamples(const SampleMaker& make, const std::vector<LoadedRecord>& records,
                                      std::vector<std::string>* errors) {
  std::vector<DataSample> samples;
  samples.reserve(records.size());
  for (const LoadedRecord& record : records) {
    try {
      for (DataSample& sample : make(record.value)) samples.push_back(std::move(sample));
    } catch (const std::exception& e) {  // SchemaError, or anything else one record causes
      errors->push_back(record.origin() + ": " + e.what());
    }
  }
  return samples;
}

void RunConvert(const ConvertFlags& flags) {
  // Made before reading, so a typo does not cost a pass over a large input.
  const SampleMaker make = MakerFor(flags);
  const std::vector<LoadedRecord> records = LoadRecords(flags.input, LoadOptions{flags.limit, flags.seed});
  std::vector<std::string> errors;
  const std::vector<DataSample> samples = ToDataSamples(make, records, &errors);
  // A converted file missing some samples would look complete, so nothing is
  // written unless every record converts.
  if (!errors.empty()) {
    for (const std::string& error : errors) std::fprintf(stderr, "rmg: %s\n", error.c_str());
    std::fprintf(stderr, "rmg convert: %zu of %zu records cannot be converted; %s not written\n", errors.size(),
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
      "convert", "Convert DataSamples, or a dataset's records (--from), between JSONL, JSON and Parquet (formats by "
                 "file extension)");
  convert->add_option("--input,-i", flags->input, "Input file or directory (.jsonl, .json, .parquet)")->required();
  convert->add_option("--output,-o", flags->output, "Output file: .parquet, .json (an array) or anything else for JSONL")
      ->required();
  convert->add_option("--from", flags->from,
                      "Layout of the input records: none (DataSamples, the default), generic (with --map) or a "
                      "dataset converter (rewardbench, helpsteer3, chat_message, ...; an unknown name lists them)");
  convert->add_option("--map", flags->maps,
                      "With --from generic: TARGET=PATH, TARGET one of input, output, id, label.KEY and PATH a "
                      "dotted path into the record (e.g. answers.0.text); repeatable");
  convert->add_option("--limit", flags->limit, "Keep a random subset of this many samples, in input order (0 = all)");
  convert->add_option("--seed", flags->seed, "Seed of the --limit subset (default 0)");
  convert->callback([flags] { RunConvert(*flags); });
}

}  // namespace rmg::cli
