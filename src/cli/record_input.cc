#include "cli/record_input.h"

#include <filesystem>

#include "rmg/data_loader.h"

namespace rmg::cli {

RecordInput::RecordInput(const std::string& path) : path_(path) {
  const std::filesystem::path fs_path(path);
  if (!std::filesystem::is_directory(fs_path) && fs_path.extension() != ".parquet") {
    file_ = std::make_unique<RecordFile>(RecordFile::Open(path));
    return;
  }
  for (LoadedRecord& loaded : LoadRecords(path)) {
    texts_.push_back(loaded.value.dump());
    origins_.push_back(loaded.origin());
  }
  for (size_t i = 0; i < texts_.size(); ++i) records_.push_back({i + 1, texts_[i]});
}

std::string RecordInput::Origin(size_t line) const {
  if (file_ != nullptr || line == 0 || line > origins_.size()) return path_ + ":" + std::to_string(line);
  return origins_[line - 1];
}

}  // namespace rmg::cli
