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
  // Each record is kept as text only: its JSON tree would take several times as much.
  ForEachRecord(path, options, [&](LoadedRecord&& loaded) {
    texts_.push_back(loaded.value.dump());
    if (files_.empty() || files_.back() != loaded.file) files_.push_back(std::move(loaded.file));
    sources_.push_back({files_.size() - 1, loaded.number});
  });
  for (size_t i = 0; i < texts_.size(); ++i) records_.push_back({i + 1, texts_[i]});
}

std::string RecordInput::Origin(size_t line) const {
  if (file_ != nullptr || line == 0 || line > sources_.size()) return path_ + ":" + std::to_string(line);
  const Source& source = sources_[line - 1];
  return files_[source.file] + ":" + std::to_string(source.number);
}

size_t RecordInput::ReportBadRecords(const EvalStats& stats) const {
  for (const std::string& error : load_errors_) std::fprintf(stderr, "rmg: %s\n", error.c_str());
  for (const RecordError& error : stats.bad_records) {
    std::fprintf(stderr, "rmg: %s: %s\n", Origin(error.line).c_str(), error.message.c_str());
  }
  return load_errors_.size() + stats.bad_records.size();
}

}  // namespace rmg::cli
