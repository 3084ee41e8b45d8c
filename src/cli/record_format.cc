#include "cli/record_format.h"

#include <memory>
#include <stdexcept>

#include "bench/converters.h"
#include "bench/generic_converter.h"
#include "rmg/sample_io.h"

namespace rmg::cli {

void AddRecordFormatFlags(CLI::App& command, RecordFormatFlags& flags) {
  command.add_option("--from", flags.from,
                     "Layout of the input records: none (DataSamples, the default), generic (with --map) or a "
                     "dataset converter (rewardbench, helpsteer3, chat_message, ...; an unknown name lists them)");
  command.add_option("--map", flags.maps,
                     "With --from generic: TARGET=PATH, TARGET one of input, output, id, label.KEY and PATH a "
                     "dotted path into the record (e.g. answers.0.text); repeatable");
}

SampleMaker MakeSampleMaker(const RecordFormatFlags& flags) {
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

bool AppendDataSamples(const SampleMaker& make, const LoadedRecord& record, std::vector<DataSample>* samples,
                       std::vector<std::string>* errors) {
  try {
    for (DataSample& sample : make(record.value)) samples->push_back(std::move(sample));
    return true;
  } catch (const std::exception& e) {  // SchemaError, or anything else one record causes
    errors->push_back(record.origin() + ": " + e.what());
    return false;
  }
}

std::vector<DataSample> ToDataSamples(const SampleMaker& make, const std::vector<LoadedRecord>& records,
                                      std::vector<std::string>* errors, std::vector<std::string>* origins) {
  std::vector<DataSample> samples;
  samples.reserve(records.size());
  for (const LoadedRecord& record : records) {
    AppendDataSamples(make, record, &samples, errors);
    if (origins != nullptr) origins->resize(samples.size(), record.origin());
  }
  return samples;
}

}  // namespace rmg::cli
