// How a command turns input records into DataSamples: --from names the records'
// layout — none (DataSamples already), generic (with --map) or a dataset's
// published format (bench/converters.h) — shared by convert and bench.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "rmg/data_loader.h"
#include "rmg/schema.h"

namespace rmg::cli {

struct RecordFormatFlags {
  std::string from = "none";
  std::vector<std::string> maps;  // --from generic: TARGET=PATH entries
};

// Registers --from and --map on `command`; `flags` must outlive the parse.
void AddRecordFormatFlags(CLI::App& command, RecordFormatFlags& flags);

// Makes the samples of one input record; throws SchemaError naming the field.
using SampleMaker = std::function<std::vector<DataSample>(const Json&)>;

// The SampleMaker the flags name. Throws std::runtime_error for an unknown
// format, listing the known ones, and for a bad or misplaced --map.
SampleMaker MakeSampleMaker(const RecordFormatFlags& flags);

// Appends the DataSamples of `record` to `samples`; when it cannot be converted,
// appends "file:record: field: reason" to `errors` instead and returns false.
bool AppendDataSamples(const SampleMaker& make, const LoadedRecord& record, std::vector<DataSample>* samples,
                       std::vector<std::string>* errors);

// Turns `records` into DataSamples with AppendDataSamples (the records that cannot
// be converted are listed in `errors`, the rest kept). When `origins` is given, it
// receives the "file:line" of each sample's record, one per sample.
std::vector<DataSample> ToDataSamples(const SampleMaker& make, const std::vector<LoadedRecord>& records,
                                      std::vector<std::string>* errors, std::vector<std::string>* origins = nullptr);

}  // namespace rmg::cli
