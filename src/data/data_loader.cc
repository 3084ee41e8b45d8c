#include "rmg/data_loader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <random>
#include <set>
#include <system_error>
#include <utility>

#include "core/simd_json.h"
#include "data/parquet.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

namespace fs = std::filesystem;

// A file of any other extension is read and written as JSON lines.
RecordFileFormat FormatOf(const fs::path& path) {
  return RecordFileFormatOf(path.string()).value_or(RecordFileFormat::kJsonLines);
}

// A uniform integer in [0, n), n > 0. Written out rather than taken from
// std::uniform_int_distribution, whose results differ between standard libraries,
// so that a seed names the same subset everywhere.
uint64_t UniformBelow(std::mt19937_64& random, uint64_t n) {
  // Values below 2^64 mod n would make the low residues more likely.
  const uint64_t threshold = (0 - n) % n;
  uint64_t value;
  do {
    value = random();
  } while (value < threshold);
  return value % n;
}

// What the callback of ForEachRecord threw, carried past the loader's own handlers
// (a FileError from writing must not read as an unreadable input file).
struct CallbackFailure {
  std::exception_ptr error;
};

// Passes every record on as it comes, or keeps a uniform random `limit` of them
// (reservoir sampling, so only `limit` records are held however large the input is)
// and passes them on in file order at Finish().
class Collector {
 public:
  Collector(const LoadOptions& options, const std::function<void(LoadedRecord&&)>& sink)
      : limit_(options.limit), random_(options.seed), errors_(options.errors), sink_(sink) {}

  // A record that cannot be loaded: listed in LoadOptions::errors, else thrown.
  void Reject(std::string message) {
    if (errors_ == nullptr) throw FileError(message);
    errors_->push_back(std::move(message));
  }

  void Add(LoadedRecord&& record) {
    if (limit_ == 0) {
      Pass(std::move(record));
      return;
    }
    const size_t index = seen_++;
    if (kept_.size() < limit_) {
      kept_.emplace_back(index, std::move(record));
      return;
    }
    const uint64_t slot = UniformBelow(random_, index + 1);
    if (slot < limit_) kept_[slot] = {index, std::move(record)};
  }

  void Finish() {
    std::sort(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [index, record] : kept_) Pass(std::move(record));
    kept_.clear();
  }

 private:
  void Pass(LoadedRecord&& record) {
    try {
      sink_(std::move(record));
    } catch (...) {
      throw CallbackFailure{std::current_exception()};
    }
  }

  size_t limit_;
  std::mt19937_64 random_;
  size_t seen_ = 0;
  std::vector<std::pair<size_t, LoadedRecord>> kept_;
  std::vector<std::string>* errors_;
  const std::function<void(LoadedRecord&&)>& sink_;
};

void LoadFile(const std::string& path, Collector* collector) {
  if (RecordFileFormatOf(path) == RecordFileFormat::kParquet) {
    size_t number = 0;
    data::ReadParquet(path, [&](Json&& value) { collector->Add(LoadedRecord{std::move(value), path, ++number}); });
    return;
  }
  const RecordFile file = RecordFile::Open(path);
  for (const JsonRecord& record : file.records()) {
    LoadedRecord loaded{Json(), path, record.line};
    try {
      loaded.value = ParseJsonAsPythonReads(record.text);  // as `rmg eval` reads a record
    } catch (const Json::exception& e) {
      collector->Reject(loaded.origin() + ": invalid JSON: " + JsonErrorText(e));
      continue;
    }
    if (!loaded.value.is_object()) {
      collector->Reject(loaded.origin() + ": expected a JSON object");
      continue;
    }
    collector->Add(std::move(loaded));
  }
}

void ReadRecords(const std::string& path, Collector& collector) {
  std::error_code error;
  if (!fs::is_directory(path, error)) {
    LoadFile(path, &collector);
    return;
  }
  std::vector<std::string> files;
  // Symlinked directories are followed, each real directory once: a link back up the
  // tree (or a second link to the same data) would read the same files again and again.
  std::error_code unresolved;
  std::set<fs::path> directories_seen = {fs::canonical(path, unresolved)};
  fs::recursive_directory_iterator it(path, fs::directory_options::follow_directory_symlink, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_directory(error)) {
      const fs::path real = fs::canonical(it->path(), unresolved);
      if (unresolved || !directories_seen.insert(real).second) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error) && RecordFileFormatOf(it->path().string())) files.push_back(it->path().string());
  }
  if (error) throw FileError(path + ": cannot list the directory: " + error.message());
  if (files.empty()) throw FileError(path + ": no .jsonl, .json or .parquet file in this directory");
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    // One file that cannot be read at all (a truncated .json or .parquet) is listed like a
    // bad record: the directory's other files are still read.
    try {
      LoadFile(file, &collector);
    } catch (const FileError& e) {
      collector.Reject(e.what());
    }
  }
}

}  // namespace

void ForEachRecord(const std::string& path, const LoadOptions& options,
                   const std::function<void(LoadedRecord&&)>& record) {
  Collector collector(options, record);
  try {
    ReadRecords(path, collector);
    collector.Finish();
  } catch (const CallbackFailure& failure) {
    std::rethrow_exception(failure.error);
  }
}

std::vector<LoadedRecord> LoadRecords(const std::string& path, const LoadOptions& options) {
  std::vector<LoadedRecord> records;
  ForEachRecord(path, options, [&](LoadedRecord&& record) { records.push_back(std::move(record)); });
  return records;
}

namespace {

// The file that writing to `path` creates or replaces: a symlink is followed to its
// final target, even when that does not exist yet (a dangling link), as open(2)
// with O_CREAT follows it.
std::string LinkTarget(const std::string& path) {
  constexpr int kMaxLinks = 40;  // Linux's own limit on links followed in one lookup
  fs::path at = path;
  for (int followed = 0; followed <= kMaxLinks; ++followed) {
    std::error_code error;
    if (!fs::is_symlink(fs::symlink_status(at, error))) return at.string();
    const fs::path next = fs::read_symlink(at, error);
    if (error) throw FileError(path + ": cannot resolve the link: " + error.message());
    at = next.is_absolute() ? next : at.parent_path() / next;
  }
  throw FileError(path + ": cannot resolve the link: too many levels of symbolic links");
}

// Copies the file `from` into `to` (a device or FIFO, opened for writing as it is).
void CopyInto(const std::string& from, const std::string& to) {
  std::FILE* in = std::fopen(from.c_str(), "rb");
  if (in == nullptr) throw FileError(from + ": cannot open: " + std::strerror(errno));
  std::FILE* out = std::fopen(to.c_str(), "wb");
  if (out == nullptr) {
    const int error = errno;
    std::fclose(in);
    throw FileError(to + ": cannot open for writing: " + std::strerror(error));
  }
  char buffer[1 << 16];
  bool written = true;
  for (size_t n; written && (n = std::fread(buffer, 1, sizeof buffer, in)) > 0;) {
    written = std::fwrite(buffer, 1, n, out) == n;
  }
  const int error = errno;
  std::fclose(in);
  if (std::fclose(out) != 0 || !written)
    throw FileError(to + ": write failed: " + std::strerror(written ? errno : error));
}

}  // namespace

// JSONL and JSON go to an unnamed file (O_TMPFILE) in the target's directory, named
// `partial` only at Commit and then renamed into place: readers never see half a file,
// and a run killed half-way leaves nothing behind. For a device or FIFO the unnamed
// file is in the temporary directory and its content is copied in at Commit. Parquet
// is written by DuckDB at Commit, to `partial`. Where O_TMPFILE is not supported the
// file is `partial` from the start.
struct RecordWriter::Output {
  RecordFileFormat format = RecordFileFormat::kJsonLines;
  std::string target;  // the file renamed over, or the device or FIFO written into
  std::string partial;
  bool into_special = false;
  bool partial_exists = false;  // a file named `partial` is ours to remove
  bool committed = false;
  std::FILE* file = nullptr;                     // JSONL and JSON
  bool unnamed = false;                          // `file` is an O_TMPFILE file
  std::unique_ptr<data::ParquetWriter> parquet;  // Parquet
  std::string text;                              // one record's JSON text

  ~Output() {
    if (file != nullptr) std::fclose(file);
    parquet.reset();
    if (!committed && partial_exists) std::remove(partial.c_str());
  }

  // Opens `file` unnamed in `directory`; false where the system cannot.
  bool OpenUnnamed(const std::string& directory, mode_t mode) {
    const int fd = ::open(directory.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
    if (fd < 0) return false;
    file = fdopen(fd, "wb");
    if (file == nullptr) ::close(fd);
    unnamed = file != nullptr;
    return unnamed;
  }

  // Opens `file`: unnamed in `directory` when the system can, else named `partial`.
  void Open(const std::string& directory, const std::string& path) {
    if (!OpenUnnamed(directory, 0666)) {
      file = std::fopen(partial.c_str(), "wb");
      if (file == nullptr) throw FileError(path + ": cannot open for writing: " + std::strerror(errno));
      partial_exists = true;
    }
  }

  // Gives the unnamed file the name `partial` (replacing any file of that name).
  void Name(const std::string& path) {
    if (!unnamed) return;
    const std::string self = "/proc/self/fd/" + std::to_string(fileno(file));
    std::remove(partial.c_str());
    if (linkat(AT_FDCWD, self.c_str(), AT_FDCWD, partial.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      throw FileError(path + ": cannot name the written file " + partial + ": " + std::strerror(errno));
    }
    partial_exists = true;
  }

  void Write(const std::string& path) {
    if (std::fwrite(text.data(), 1, text.size(), file) != text.size()) {
      throw FileError(path + ": write failed: " + std::strerror(errno));
    }
  }
};

RecordWriter::RecordWriter(const std::string& path) : path_(path), output_(std::make_unique<Output>()) {
  Output& out = *output_;
  out.format = FormatOf(path);
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!error && fs::is_directory(status)) throw FileError(path + ": is a directory; name the output file");
  out.into_special = !error && fs::exists(status) && !fs::is_regular_file(status);
  out.target = out.into_special ? path : LinkTarget(path);
  if (out.into_special) {
    const std::string directory = fs::temp_directory_path(error).string();
    std::string name = directory + "/rmg_records_XXXXXX";
    if (out.format != RecordFileFormat::kParquet) {
      if (out.OpenUnnamed(directory, 0600)) return;
    }
    const int fd = mkstemp(name.data());
    if (fd < 0) throw FileError(name + ": cannot create a temporary file: " + std::strerror(errno));
    close(fd);
    out.partial = name;
    out.partial_exists = true;
  } else {
    out.partial = out.target + ".partial";
  }
  if (out.format == RecordFileFormat::kParquet) {
    out.parquet = std::make_unique<data::ParquetWriter>(out.partial);
    out.partial_exists = true;  // from Commit on
    return;
  }
  if (out.file == nullptr) {
    const fs::path parent = fs::path(out.partial).parent_path();
    out.Open(parent.empty() ? "." : parent.string(), path);
  }
}

RecordWriter::~RecordWriter() = default;

void RecordWriter::Add(const Json& record) {
  Output& out = *output_;
  try {
    if (out.parquet != nullptr) {
      out.parquet->Add(record);
    } else {
      out.text.clear();
      if (out.format == RecordFileFormat::kJsonArray) out.text = count_ == 0 ? "[\n" : ",\n";
      AppendJson(record, &out.text);
      if (out.format == RecordFileFormat::kJsonLines) out.text.push_back('\n');
      out.Write(path_);
    }
  } catch (const FileError& e) {
    // The messages name the temporary file; the caller asked for `path`.
    std::string message = e.what();
    if (message.compare(0, out.partial.size(), out.partial) == 0) message.replace(0, out.partial.size(), path_);
    throw FileError(message);
  }
  ++count_;
}

void RecordWriter::Commit() {
  Output& out = *output_;
  try {
    if (out.parquet != nullptr) {
      out.parquet->Finish();
      out.parquet.reset();
    } else {
      if (out.format == RecordFileFormat::kJsonArray) {
        out.text = count_ == 0 ? "[]\n" : "\n]\n";
        out.Write(path_);
      }
      if (std::fflush(out.file) != 0) throw FileError(path_ + ": write failed: " + std::strerror(errno));
      if (!out.into_special) out.Name(path_);
      if (out.into_special && out.unnamed) {
        CopyInto("/proc/self/fd/" + std::to_string(fileno(out.file)), path_);
        return;  // the unnamed file goes with the output
      }
      std::FILE* file = std::exchange(out.file, nullptr);
      if (std::fclose(file) != 0) throw FileError(path_ + ": write failed: " + std::strerror(errno));
    }
  } catch (const FileError& e) {
    std::string message = e.what();
    if (message.compare(0, out.partial.size(), out.partial) == 0) message.replace(0, out.partial.size(), path_);
    throw FileError(message);
  }
  if (out.into_special) {
    CopyInto(out.partial, path_);
    return;  // the temporary file is removed with the output
  }
  if (std::rename(out.partial.c_str(), out.target.c_str()) != 0) {
    throw FileError(path_ + ": cannot replace the file: " + std::strerror(errno));
  }
  out.committed = true;
}

void WriteRecords(const std::string& path, const std::vector<Json>& records) {
  RecordWriter writer(path);
  for (const Json& record : records) writer.Add(record);
  writer.Commit();
}

}  // namespace rmg
