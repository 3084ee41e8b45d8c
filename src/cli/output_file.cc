#include "cli/output_file.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace rmg::cli {

OutputFile::OutputFile(const std::string& path, bool append) : name_(path.empty() ? "stdout" : path) {
  if (path.empty()) {
    file_ = stdout;
    return;
  }
  file_ = std::fopen(path.c_str(), append ? "ab" : "wb");
  if (file_ == nullptr) throw std::runtime_error(path + ": cannot open for writing: " + std::strerror(errno));
  owned_ = true;
}

OutputFile::~OutputFile() {
  if (owned_) std::fclose(file_);
}

void OutputFile::Write(std::string_view text) {
  // Callers hand over whole records (a chunk of them for fast rewards), so one
  // flush per call costs a system call per chunk, not per byte.
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0) {
    throw std::runtime_error(name_ + ": write failed: " + std::strerror(errno));
  }
}

}  // namespace rmg::cli
