#include "rmg/data_loader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <set>
#include <system_error>
#include <utility>

#include "core/json_string.h"
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

// Keeps all records, or a uniform random `limit` of them (reservoir sampling, so
// only `limit` records are held however large the input is).
class Collector {
 public:
  explicit Collector(const LoadOptions& options)
      : limit_(options.limit), random_(options.seed), errors_(options.errors) {}

  // A record that cannot be loaded: listed in LoadOptions::errors, else thrown.
  void Reject(std::string message) {
    if (errors_ == nullptr) throw FileError(message);
    errors_->push_back(std::move(message));
  }

  void Add(LoadedRecord&& record) {
    const size_t index = seen_++;
    if (limit_ == 0 || kept_.size() < limit_) {
      kept_.emplace_back(index, std::move(record));
      return;
    }
    const uint64_t slot = UniformBelow(random_, index + 1);
    if (slot < limit_) kept_[slot] = {index, std::move(record)};
  }

  std::vector<LoadedRecord> Take() {
    std::sort(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<LoadedRecord> records;
    records.reserve(kept_.size());
    for (auto& [index, record] : kept_) records.push_back(std::move(record));
    return records;
  }

 private:
  size_t limit_;
  std::mt19937_64 random_;
  size_t seen_ = 0;
  std::vector<std::pair<size_t, LoadedRecord>> kept_;
  std::vector<std::string>* errors_;
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
      loaded.value = ParseJson(record.text);
    } catch (const Json::exception& e) {
      // A lone surrogate escape, which Python's json reads: read it as `rmg eval` does.
      const std::optional<std::string> repaired = ReplaceLoneSurrogateEscapes(record.text);
      Json value = repaired ? ParseJson(*repaired, false) : Json(Json::value_t::discarded);
      if (value.is_discarded()) {
        collector->Reject(loaded.origin() + ": invalid JSON: " + e.what());
        continue;
      }
      loaded.value = std::move(value);
    }
    if (!loaded.value.is_object()) {
      collector->Reject(loaded.origin() + ": expected a JSON object");
      continue;
    }
    collector->Add(std::move(loaded));
  }
}

}  // namespace

std::vector<LoadedRecord> LoadRecords(const std::string& path, const LoadOptions& options) {
  Collector collector(options);
  std::error_code error;
  if (!fs::is_directory(path, error)) {
    LoadFile(path, &collector);
    return collector.Take();
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
  return collector.Take();
}

namespace {

void WriteText(const std::string& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw FileError(path + ": cannot open for writing: " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int saved_errno = errno;
  if (std::fclose(file) != 0 || !written) {
    throw FileError(path + ": write failed: " + std::strerror(written ? errno : saved_errno));
  }
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

void WriteRecords(const std::string& path, const std::vector<Json>& records) {
  // Written beside the target and renamed, so readers never see half a file and a
  // failed write leaves the old file as it was. A symlink is written through (its
  // target is replaced, not the link), and a device or FIFO (/dev/stdout) is written
  // into, never replaced: the records go to a temporary file first, then into it.
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  const bool into_special = !error && fs::exists(status) && !fs::is_regular_file(status);
  std::string target = path;
  if (!into_special && fs::is_symlink(fs::symlink_status(path, error))) {
    target = fs::weakly_canonical(path, error).string();
    if (error) throw FileError(path + ": cannot resolve the link: " + error.message());
  }
  std::string partial = target + ".partial";
  if (into_special) {
    std::string name = (fs::temp_directory_path(error) / "rmg_records_XXXXXX").string();
    const int fd = mkstemp(name.data());
    if (fd < 0) throw FileError(name + ": cannot create a temporary file: " + std::strerror(errno));
    close(fd);
    partial = name;
  }
  try {
    switch (FormatOf(path)) {
      case RecordFileFormat::kParquet:
        data::WriteParquet(partial, records);
        break;
      case RecordFileFormat::kJsonArray: {
        std::string text = "[";
        for (size_t i = 0; i < records.size(); ++i) {
          text += i == 0 ? "\n" : ",\n";
          AppendJson(records[i], &text);
        }
        text += records.empty() ? "]\n" : "\n]\n";
        WriteText(partial, text);
        break;
      }
      case RecordFileFormat::kJsonLines: {
        std::string text;
        for (const Json& record : records) {
          AppendJson(record, &text);
          text.push_back('\n');
        }
        WriteText(partial, text);
        break;
      }
    }
  } catch (const FileError& e) {
    std::remove(partial.c_str());
    // The messages name the temporary file; the caller asked for `path`.
    std::string message = e.what();
    if (message.compare(0, partial.size(), partial) == 0) message.replace(0, partial.size(), path);
    throw FileError(message);
  }
  if (into_special) {
    try {
      CopyInto(partial, path);
    } catch (const FileError&) {
      std::remove(partial.c_str());
      throw;
    }
    std::remove(partial.c_str());
    return;
  }
  if (std::rename(partial.c_str(), target.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(partial.c_str());
    throw FileError(path + ": cannot replace the file: " + reason);
  }
}

}  // namespace rmg
