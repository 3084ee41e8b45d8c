// A file of DataSample records: JSONL (one per line) or JSON (an array of them).
// Files are memory-mapped and records are views into them, so opening a large file
// costs no copy.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/evaluator.h"
#include "rmg/string_hash.h"

namespace rmg {

// A file that cannot be opened or is not JSONL/JSON; what() names the file.
class FileError : public std::runtime_error {
 public:
  explicit FileError(const std::string& what) : std::runtime_error(what) {}
};

// The layouts of record files, named by their extension.
enum class RecordFileFormat { kJsonLines, kJsonArray, kParquet };

// The format `path`'s extension names: .jsonl, .json or .parquet, in any case
// (DATA.JSONL, as tools on Windows name files, is JSON lines); nullopt for any other.
std::optional<RecordFileFormat> RecordFileFormatOf(std::string_view path);

class RecordFile {
 public:
  // Opens `path`: a .json file must hold one JSON array (or one object), anything
  // else is read as JSONL. Blank lines and a UTF-8 byte-order mark are skipped. A
  // pipe or device (/dev/stdin) is read to its end. Throws FileError; in a JSON
  // array, only for what hides where its values begin and end (an unclosed string
  // or bracket, a missing value), naming the line: a value that is not a valid
  // record is that record's error when it is parsed, as a bad line is in JSONL.
  static RecordFile Open(const std::string& path);

  RecordFile(RecordFile&&) noexcept;
  RecordFile& operator=(RecordFile&&) noexcept;
  ~RecordFile();

  // The records, each with its line (JSONL) or 1-based position in the array (JSON).
  const std::vector<JsonRecord>& records() const { return records_; }

 private:
  RecordFile();

  struct Storage;
  std::unique_ptr<Storage> storage_;
  std::vector<JsonRecord> records_;
};

}  // namespace rmg

namespace rmg {

// What scoring reads of `sample`, as a hash that tells whether a sample already in an
// output is the same one: the sample without what scoring writes — its rewards, its
// messages' additional_kwargs, and the metadata keys named rmg_* (rmg bench's marks).
// The same in every process (StableStringHash), so an output file may store it.
size_t ResumeFingerprint(const DataSample& sample);

// The metadata key where commands that change a sample's outputs (best-of-n keeps
// some, refine adds some) store the ResumeFingerprint of the sample they read, as
// 16 hex digits: the record they write can no longer tell it.
inline constexpr const char* kInputFingerprintKey = "rmg_input_fingerprint";

// Stores ResumeFingerprint(sample) in sample.metadata[kInputFingerprintKey].
void StoreInputFingerprint(DataSample& sample);

// Prepares `path` (a JSONL output file) for resuming an interrupted run: a last
// line cut short by the interruption is removed, and for each unique_id of the
// complete records, their ResumeFingerprints in file order are returned, or with
// `stored_fingerprints` the ones StoreInputFingerprint stored in them (a record
// without one is an error naming its line). A missing file gives an empty map.
StringMap<std::vector<size_t>> PrepareResume(const std::string& path, bool stored_fingerprints = false);

// The metadata key where `rmg eval` and `rmg bench` store how many of a scored
// sample's units failed or timed out (only when some did): its score is no verdict,
// and a resumed run can tell it.
inline constexpr const char* kFailedUnitsKey = "rmg_failed_units";

// Stores `failed_units` in sample.metadata[kFailedUnitsKey], or removes the key when
// it is 0 (a mark from an earlier run, in a scored file read again, is no failure of
// this one).
void StoreFailedUnits(DataSample& sample, size_t failed_units);

// Removes from `path` (a JSONL output) the records StoreFailedUnits marked, so that
// a resumed run scores those samples again, and a last line cut short by an
// interruption; the other lines stay as they are. Rewrites the file (a new file
// renamed over it) only when something is removed. Returns the records removed; a
// missing file gives 0. Throws FileError.
size_t RemoveFailedRecords(const std::string& path);

// Rewrites `path` (the JSONL output of `rmg eval` over `records`) with its records in
// the order of the samples they score: a resumed run that scored failed samples again
// appended them at the end. A record is matched to a sample by unique_id and
// ResumeFingerprint; records that match none stay after the others, in their order.
// Leaves a file already in order untouched. Throws FileError.
void RestoreInputOrder(const std::string& path, const std::vector<JsonRecord>& records);

}  // namespace rmg
