// The input of a scoring command (eval, best-of-n, refine): DataSample records as
// JSON text for the batch evaluator, from any file or directory the data loader
// reads, each record remembering where it came from.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rmg/evaluator.h"
#include "rmg/record_file.h"

namespace rmg::cli {

class RecordInput {
 public:
  // Opens `path`. A JSONL or JSON file is memory-mapped and parsed once, by the
  // evaluator; a Parquet file or a directory goes through the data loader
  // (data_loader.h) and its records are handed on as JSON text. A bad record
  // does not stop either: it is reported by ReportBadRecords. Throws FileError
  // naming the file when a file cannot be read.
  explicit RecordInput(const std::string& path);

  const std::vector<JsonRecord>& records() const { return file_ != nullptr ? file_->records() : records_; }

  // "file:line" of the record numbered `line` in records().
  std::string Origin(size_t line) const;

  // Prints every bad record to stderr as "rmg: file:line: reason": those the data
  // loader skipped (a directory or Parquet input) and those the evaluator refused,
  // `stats.bad_records`. Returns how many there were.
  size_t ReportBadRecords(const EvalStats& stats) const;

 private:
  std::string path_;
  std::unique_ptr<RecordFile> file_;
  std::vector<std::string> texts_;
  // Where records()[i] came from: files_[sources_[i].file], at line or position `number`.
  struct Source {
    size_t file;
    size_t number;
  };
  std::vector<std::string> files_;
  std::vector<Source> sources_;
  std::vector<std::string> load_errors_;  // "file:line: reason" of records the loader skipped
  std::vector<JsonRecord> records_;
};

}  // namespace rmg::cli
