// Where a command writes its records: a file (replaced, or appended to when
// resuming) or stdout. Every write either completes or throws naming the file,
// and is handed to the system before Write returns: a run that is killed keeps
// every record written so far, which is what --resume builds on.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace rmg::cli {

// Throws std::runtime_error when writing `output` would destroy `input` while it is
// read: the same file (by device and inode, so links and other spellings count), or a
// file inside `input` when it is a directory. Either path may not exist yet. `role`
// names what `input` is in the message ("input", "config").
void CheckOutputIsNotInput(const std::string& output, const std::string& input, const std::string& role = "input");

// Throws std::runtime_error when `path` names a JSON array or a Parquet file (.json,
// .parquet): the records written through OutputFile are JSON lines, and a file named
// otherwise would be read back, by rmg too, in the format its name says.
void CheckOutputIsJsonLines(const std::string& path);

class OutputFile {
 public:
  // Opens `path` for writing (appending when `append`); an empty path is stdout.
  // Throws std::runtime_error naming the file.
  OutputFile(const std::string& path, bool append);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Writes all of `text` and flushes it, or throws std::runtime_error naming the file.
  void Write(std::string_view text);

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::string name_;
};

}  // namespace rmg::cli
