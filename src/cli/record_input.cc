#include "cli/record_input.h"

#include <cstdio>
#include <filesystem>

#include "rmg/data_loader.h"

namespace rmg::cli {

RecordInput::RecordInput(const std::string& path) : path_(path) {
  const std::filesystem::path fs_path(path);
  if (!std::filesystem::is_directory(fs_path) && RecordFileFormatOf(path) != RecordFileFormat::kParquet) {
    file_ = std::make_unique<RecordFile>(RecordFile::Open(path));
    return;
  }
  LoadOptions options;
  options.errors = &load_errors_;
  for (LoadedRecord& loaded : LoadRecords(path, options)) {
    texts_.push_back(loaded.value.dump());
    origins_.push_back(loaded.origin());
  }
  for (size_t i = 0; i < texts_.size(); ++i) records_.push_back({i + 1, texts_[i]});
}

std::string RecordInput::Origin(size_t line) const {
  if (file_ != nullptr || line == 0 || line > origins_.size()) return path_ + ":" + std::to_string(line);
  return origins_[line - 1];
}

size_t RecordInput::ReportBadRecords(const EvalStats& stats) const {
  for (const std::string& error : load_errors_) std::fprintf(stderr, "rmg: %s\n", error.c_str());
  for (const RecordError& error : stats.bad_records) {
    std::fprintf(stderr, "rmg: %s: %s\n", Origin(error.line).c_str(), error.message.c_str());
  }
  return load_errors_.size() + stats.bad_records.size();
}

}  // namespace rmg::cli
