#include "cli/output_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "rmg/record_file.h"

namespace rmg::cli {

void CheckOutputIsNotInput(const std::string& output, const std::string& input, const std::string& role) {
  if (output.empty() || input.empty()) return;
  struct stat in_stat {};
  if (stat(input.c_str(), &in_stat) != 0) return;  // the reader names a missing input
  struct stat out_stat {};
  if (stat(output.c_str(), &out_stat) == 0 && out_stat.st_dev == in_stat.st_dev && out_stat.st_ino == in_stat.st_ino) {
    throw std::runtime_error(output + ": is the " + role + " file; write the output to another file");
  }
  if (!S_ISDIR(in_stat.st_mode)) return;
  // A file inside the input directory: compare the directories that would hold it.
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(output, error);
  if (error) return;
  const std::filesystem::path parent = std::filesystem::weakly_canonical(absolute.parent_path(), error);
  if (error) return;
  const std::filesystem::path directory = std::filesystem::canonical(input, error);
  if (error) return;
  for (std::filesystem::path at = parent; !at.empty(); at = at.parent_path()) {
    if (at == directory)
      throw std::runtime_error(output + ": is inside the " + role + " directory " + input +
                               "; write the output elsewhere");
    if (at == at.parent_path()) break;
  }
}

void CheckOutputIsJsonLines(const std::string& path) {
  const std::optional<RecordFileFormat> format = RecordFileFormatOf(path);
  if (!format || *format == RecordFileFormat::kJsonLines) return;
  throw std::runtime_error("--output " + path + ": the records are written as JSON lines; name a .jsonl file " +
                           "(rmg convert turns it into " +
                           (*format == RecordFileFormat::kParquet ? "Parquet" : "a JSON array") + ")");
}

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
