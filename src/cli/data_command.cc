// rmg data --config pipeline.yaml: RM-Gallery's DataBuilder as one command. It
// loads records (optionally converting a benchmark's format), keeps the samples
// every `process:` filter passes, and exports them, optionally split into train
// and test with groups that never straddle (src/data/split.h). Counts per stage
// go to stderr. Invalid records are listed and left out; the rest is still
// processed and written, and the exit code is then 2 (as `rmg eval` does).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/converters.h"
#include "cli/commands.h"
#include "cli/config_setup.h"
#include "cli/output_file.h"
#include "cli/record_format.h"
#include "data/filters.h"
#include "data/split.h"
#include "rmg/config.h"
#include "rmg/data_loader.h"
#include "rmg/sample_io.h"

namespace rmg::cli {
namespace {

struct ExportSettings {
  std::string base;  // the output path without its extension
  std::string extension;
  bool split = false;
  SplitOptions split_options;
};

struct Pipeline {
  std::string input;
  std::string format = "none";
  LoadOptions load;
  std::vector<std::unique_ptr<SampleFilter>> filters;
  ExportSettings out;
};

// Reads the config's sections, throwing "FILE: KEY: reason" for anything wrong.
class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const std::string& key, const std::string& why) const {
    throw std::runtime_error(file_ + ": " + key + ": " + why);
  }

  const Json& Section(const Json& parent, const std::string& key, const std::string& where) const {
    const auto it = parent.find(key);
    if (it == parent.end() || !it->is_object()) Fail(where, "expected a mapping");
    return *it;
  }

  void CheckKeys(const Json& section, const std::string& where, const std::vector<std::string>& known) const {
    CheckKnownKeys(section, known, file_, where);
  }

  std::string String(const Json& section, const std::string& key, const std::string& where, const std::string& fallback,
                     bool required = false) const {
    const auto it = section.find(key);
    if (it == section.end() && !required) return fallback;
    if (it == section.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      Fail(where + key, "expected a non-empty string");
    }
    return it->get<std::string>();
  }

  uint64_t Count(const Json& section, const std::string& key, const std::string& where, uint64_t fallback) const {
    const auto it = section.find(key);
    if (it == section.end()) return fallback;
    if (!it->is_number_unsigned() && (!it->is_number_integer() || it->get<int64_t>() < 0)) {
      Fail(where + key, "expected a non-negative integer");
    }
    return it->get<uint64_t>();
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

bool KnownExtension(const std::string& extension) {
  return extension == "jsonl" || extension == "json" || extension == "parquet";
}

ExportSettings ReadExport(const ConfigReader& reader, const Json& section) {
  reader.CheckKeys(section, "export.", {"path", "format", "split"});
  const std::string path = ResolveConfigPath(reader.String(section, "path", "export.", "", true), reader.file());
  // "out/" would write the hidden file out/.jsonl, and "out/.jsonl" names no file either
  // ("out/.hidden.jsonl" does).
  const std::string file_name = std::filesystem::path(path).filename().string();
  if (file_name.empty() || file_name == "." || file_name == ".." ||
      (file_name.rfind('.') == 0 && RecordFileFormatOf("x" + file_name).has_value())) {
    reader.Fail("export.path", "expected a file name, such as out/samples.jsonl, not a directory");
  }
  ExportSettings out;
  // The path's extension names the format in any case (OUT.JSONL), and is kept as written.
  std::string path_extension = std::filesystem::path(path).extension().string();
  if (!path_extension.empty()) path_extension.erase(0, 1);
  const std::optional<RecordFileFormat> format = RecordFileFormatOf(path);
  const bool path_has_format = format.has_value();
  const std::string path_format = !format                                   ? ""
                                  : *format == RecordFileFormat::kParquet   ? "parquet"
                                  : *format == RecordFileFormat::kJsonArray ? "json"
                                                                            : "jsonl";
  out.base = path_has_format ? path.substr(0, path.size() - path_extension.size() - 1) : path;
  out.extension = reader.String(section, "format", "export.", path_has_format ? path_format : "jsonl");
  if (!KnownExtension(out.extension)) reader.Fail("export.format", "expected jsonl, json or parquet");
  if (path_has_format && out.extension != path_format) {
    reader.Fail("export.format", "'" + out.extension + "' differs from the path's extension '." + path_extension + "'");
  }
  if (path_has_format) out.extension = path_extension;
  if (!section.contains("split")) return out;
  const Json& split = reader.Section(section, "split", "export.split");
  reader.CheckKeys(split, "export.split.", {"train", "group_by", "seed"});
  out.split = true;
  if (split.contains("train")) {
    const Json& train = split["train"];
    if (!train.is_number() || !(train.get<double>() >= 0.0 && train.get<double>() <= 1.0)) {
      reader.Fail("export.split.train", "expected the train share, a number in [0, 1]");
    }
    out.split_options.train_ratio = train.get<double>();
  }
  out.split_options.group_by = reader.String(split, "group_by", "export.split.", "unique_id");
  out.split_options.seed = reader.Count(split, "seed", "export.split.", 42);
  return out;
}

Pipeline ReadPipeline(const std::string& config_path) {
  const Json config = LoadConfigFile(config_path);
  const ConfigReader reader(config_path);
  if (!config.is_object()) reader.Fail("(top level)", "expected a mapping with load, process and export");
  reader.CheckKeys(config, "", {"load", "process", "export"});
  Pipeline pipeline;
  const Json& load = reader.Section(config, "load", "load");
  reader.CheckKeys(load, "load.", {"path", "format", "limit", "seed"});
  pipeline.input = ResolveConfigPath(reader.String(load, "path", "load.", "", true), config_path);
  pipeline.format = reader.String(load, "format", "load.", "none");
  if (pipeline.format != "none" && bench::ConverterFor(pipeline.format) == nullptr) {
    std::string known = "none";
    for (const std::string& name : bench::ConverterNames()) known += ", " + name;
    reader.Fail("load.format", "unknown format '" + pipeline.format + "' (known: " + known + ")");
  }
  pipeline.load.limit = reader.Count(load, "limit", "load.", 0);
  pipeline.load.seed = reader.Count(load, "seed", "load.", 0);
  if (config.contains("process")) {
    const Json& process = config["process"];
    if (!process.is_array()) reader.Fail("process", "expected a list of steps such as {filter: text_length, ...}");
    for (size_t i = 0; i < process.size(); ++i) {
      try {
        pipeline.filters.push_back(FilterFromConfig(process[i]));
      } catch (const std::invalid_argument& e) {
        throw std::runtime_error(config_path + ": process[" + std::to_string(i) + "]." + e.what());
      }
    }
  }
  pipeline.out = ReadExport(reader, reader.Section(config, "export", "export"));
  return pipeline;
}

void Write(const std::string& path, const std::vector<Json>& records, const std::vector<size_t>& indices) {
  std::vector<Json> chosen;
  chosen.reserve(indices.size());
  for (const size_t i : indices) chosen.push_back(records[i]);
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  WriteRecords(path, chosen);
}

void RunData(const std::string& config_path) {
  const Pipeline pipeline = ReadPipeline(config_path);
  const ExportSettings& out = pipeline.out;
  if (out.split) {
    CheckOutputIsNotInput(out.base + "_train." + out.extension, pipeline.input);
    CheckOutputIsNotInput(out.base + "_test." + out.extension, pipeline.input);
  } else {
    CheckOutputIsNotInput(out.base + "." + out.extension, pipeline.input);
  }
  // A record that is not JSON is listed and left out, as one that is not a sample.
  std::vector<std::string> errors;
  LoadOptions load = pipeline.load;
  load.errors = &errors;
  std::vector<LoadedRecord> records = LoadRecords(pipeline.input, load);
  const size_t record_count = records.size() + errors.size();
  std::vector<DataSample> samples = ToDataSamples(MakeSampleMaker(RecordFormatFlags{pipeline.format, {}}), records, &errors);
  std::vector<Json> jsons;  // each sample's JSON form, what expressions and the export see
  jsons.reserve(samples.size());
  for (const DataSample& sample : samples) jsons.push_back(DataSampleToJson(sample));
  std::vector<LoadedRecord>().swap(records);  // the samples hold it all now; free a third of the memory
  std::fprintf(stderr, "rmg data: load: %zu records from %s, %zu samples\n", record_count, pipeline.input.c_str(),
               samples.size());
  std::vector<size_t> kept(samples.size());
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = i;
  for (size_t f = 0; f < pipeline.filters.size(); ++f) {
    std::vector<size_t> passed;
    for (const size_t i : kept) {
      if (pipeline.filters[f]->Keep(samples[i], jsons[i])) passed.push_back(i);
    }
    std::fprintf(stderr, "rmg data: process[%zu] %s: kept %zu of %zu\n", f, pipeline.filters[f]->name().c_str(),
                 passed.size(), kept.size());
    kept = std::move(passed);
  }
  std::vector<std::string> ungrouped;  // samples the split leaves out: not invalid, but not exported either
  if (!out.split) {
    const std::string path = out.base + "." + out.extension;
    Write(path, jsons, kept);
    std::fprintf(stderr, "rmg data: export: %zu samples to %s\n", kept.size(), path.c_str());
  } else {
    std::vector<Json> kept_jsons;
    for (const size_t i : kept) kept_jsons.push_back(jsons[i]);
    const SplitResult split = SplitByGroup(kept_jsons, out.split_options);
    for (const size_t i : split.ungrouped) {
      ungrouped.push_back("sample '" + samples[kept[i]].unique_id + "': no " + out.split_options.group_by +
                          " to group by; left out of the split");
    }
    const std::string train = out.base + "_train." + out.extension, test = out.base + "_test." + out.extension;
    Write(train, kept_jsons, split.train);
    Write(test, kept_jsons, split.test);
    std::fprintf(stderr, "rmg data: export: %zu groups by %s, %zu train samples to %s, %zu test samples to %s\n",
                 split.groups, out.split_options.group_by.c_str(), split.train.size(), train.c_str(), split.test.size(),
                 test.c_str());
  }
  for (const std::string& error : errors) std::fprintf(stderr, "rmg: %s\n", error.c_str());
  for (const std::string& sample : ungrouped) std::fprintf(stderr, "rmg: %s\n", sample.c_str());
  if (!errors.empty()) std::fprintf(stderr, "rmg data: %zu invalid records left out\n", errors.size());
  if (!ungrouped.empty()) {
    std::fprintf(stderr, "rmg data: %zu of %zu kept samples have no %s and are in neither file%s\n", ungrouped.size(),
                 kept.size(), out.split_options.group_by.c_str(),
                 ungrouped.size() == kept.size() ? " (is export.split.group_by the right path?)" : "");
  }
  if (!errors.empty() || !ungrouped.empty()) throw ExitCode{kExitBadInput};
}

}  // namespace

void AddDataCommand(CLI::App& app) {
  auto config = std::make_shared<std::string>();
  CLI::App* data = app.add_subcommand(
      "data", "Load, filter and export DataSamples (with a grouped train/test split) from a YAML pipeline");
  data->add_option("--config,-c", *config, "Pipeline YAML: load, process (filters), export")->required();
  data->callback([config] { RunData(*config); });
}

}  // namespace rmg::cli
