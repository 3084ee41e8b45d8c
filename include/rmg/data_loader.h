// Data files as JSON records: reading JSONL, JSON and Parquet files (or a directory
// of them) into JSON objects that remember where they came from, and writing
// records back in any of the three formats.
//
// Formats are chosen by extension: ".parquet" is Parquet (read and written through
// DuckDB's C API), ".json" is one JSON array of records (or, when reading, one
// object), anything else is JSONL (one record per line; blank lines are skipped).
//
// Parquet layout written by WriteRecords: one column per top-level key, named after
// the key, in the order the keys first appear across the records; each cell holds
// the JSON text of that key's value, with DuckDB's JSON type (Parquet: a UTF-8 string
// column annotated as JSON); a record without the key has SQL NULL there. Storing
// JSON text rather than inferred STRUCTs keeps every record exactly as it was:
// objects whose keys vary between records, mixed types and unknown fields all
// survive, while other tools still see one named column per field. What is not kept
// is each record's own key order: keys come back in column order (DataSamples, whose
// keys are always written in one order, come back byte for byte).
//
// Reading Parquet accepts any file DuckDB reads: each row becomes one JSON object
// with a key per column; nested types become JSON (LIST -> array, STRUCT and MAP ->
// object), dates and the like become DuckDB's text for them. SQL NULL becomes JSON
// null, except in a JSON-typed column, where it means "no such key" (the layout
// above), so the key is left out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rmg/record_file.h"
#include "rmg/schema.h"

namespace rmg {

// One record and where it came from.
struct LoadedRecord {
  Json value;         // always a JSON object
  std::string file;   // the file it was read from
  size_t number = 0;  // JSONL: its 1-based line; JSON array and Parquet: its 1-based position

  // "file:number", the prefix of every message about this record.
  std::string origin() const { return file + ":" + std::to_string(number); }
};

struct LoadOptions {
  // Keep at most this many records; 0 keeps them all.
  size_t limit = 0;
  // With a limit below the number of records: the seed of the random choice. Every
  // subset of `limit` records is equally likely; the same files, limit and seed
  // always give the same records.
  uint64_t seed = 0;
  // When set, a record that is not valid JSON or not a JSON object is listed here
  // as "file:number: reason" and skipped, so the rest of the file still loads;
  // when null, it is thrown as FileError. Files that cannot be read always throw.
  std::vector<std::string>* errors = nullptr;
};

// Calls `record` with each record of `path`: one file, or a directory searched
// recursively for .jsonl, .json and .parquet files (other files are ignored), read
// in the order of their sorted paths. Records come in file order, including a
// random subset chosen by `options`. Without a limit each record is passed on as
// it is read, so a file of any size is read in bounded memory (JSONL files are
// memory-mapped); with one, the chosen records are gathered first. Throws FileError
// (a std::runtime_error) naming the file, and the line or record when it is one
// record's fault, for a missing or unreadable file, invalid JSON, a record that is
// not a JSON object, or a directory with no data file in it. What `record` throws
// is passed on as it is.
void ForEachRecord(const std::string& path, const LoadOptions& options,
                   const std::function<void(LoadedRecord&&)>& record);

// The records ForEachRecord gives, all in memory.
std::vector<LoadedRecord> LoadRecords(const std::string& path, const LoadOptions& options = {});

// Writes records to `path` one at a time, in the format its extension names,
// holding none of them. The file is replaced only by Commit(), once complete; a
// writer destroyed before that leaves the old file as it was. A symlink is written
// through: its target is replaced (or, for a dangling link, created), never the link.
// A device or FIFO (/dev/stdout) is written into, never replaced.
class RecordWriter {
 public:
  // Throws FileError naming the file when it cannot be written.
  explicit RecordWriter(const std::string& path);
  ~RecordWriter();
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;

  // Adds one record. Throws FileError naming the file when it cannot be written, and
  // naming the 1-based record when one is not an object (Parquet only: JSONL and
  // JSON take any JSON value); after that the writer can only be destroyed.
  void Add(const Json& record);

  // Finishes the file and puts it in place. Throws FileError naming the file.
  void Commit();

  // The records added so far.
  size_t count() const { return count_; }

 private:
  struct Output;
  std::string path_;
  size_t count_ = 0;
  std::unique_ptr<Output> output_;
};

// Writes `records` with a RecordWriter.
void WriteRecords(const std::string& path, const std::vector<Json>& records);

}  // namespace rmg
