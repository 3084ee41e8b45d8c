#include "rmg/record_file.h"

#include <fcntl.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/simd_json.h"
#include "rmg/sample_io.h"

namespace rmg {

struct RecordFile::Storage {
  void* map = nullptr;
  size_t map_size = 0;
  std::string read;                // the content of a pipe or device, which cannot be mapped

  ~Storage() {
    if (map != nullptr) munmap(map, map_size);
  }
};

RecordFile::RecordFile() : storage_(std::make_unique<Storage>()) {}
RecordFile::RecordFile(RecordFile&&) noexcept = default;
RecordFile& RecordFile::operator=(RecordFile&&) noexcept = default;
RecordFile::~RecordFile() = default;

std::optional<RecordFileFormat> RecordFileFormatOf(std::string_view path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  if (strcasecmp(extension.c_str(), ".jsonl") == 0) return RecordFileFormat::kJsonLines;
  if (strcasecmp(extension.c_str(), ".json") == 0) return RecordFileFormat::kJsonArray;
  if (strcasecmp(extension.c_str(), ".parquet") == 0) return RecordFileFormat::kParquet;
  return std::nullopt;
}

namespace {

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimJsonSpace(std::string_view text) {
  while (!text.empty() && IsJsonSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsJsonSpace(text.back())) text.remove_suffix(1);
  return text;
}

// The offset just past the string whose opening quote is at `quote`, or npos when it
// is not closed.
size_t EndOfString(std::string_view content, size_t quote) {
  for (size_t i = quote + 1; i < content.size(); ++i) {
    if (content[i] == '\\') {
      ++i;
    } else if (content[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The values of the JSON array that is the whole of `content` (a .json file), as views
// into it, in order; a file holding one object gives that object. Only what bounds the
// values is read here: brackets, strings and the commas between values, so the file
// is never held twice. What is wrong inside a value (`{"a":1,}`, a bare word) is that
// record's fault, found when it is parsed, and the other records are still read, as
// in a JSONL file. What leaves the bounds unknown throws FileError naming the line.
std::vector<std::string_view> SplitJsonArray(std::string_view content, const std::string& path) {
  auto error = [&](size_t offset, const std::string& what) {
    const size_t line = 1 + std::count(content.begin(), content.begin() + std::min(offset, content.size()), '\n');
    return FileError(path + ":" + std::to_string(line) + ": invalid JSON: " + what);
  };
  const std::string_view trimmed = TrimJsonSpace(content);
  if (trimmed.empty())
    throw FileError(path + ": invalid JSON: the file is empty; expected a JSON array of DataSamples");
  if (trimmed.front() == '{') return {trimmed};
  if (trimmed.front() != '[') throw FileError(path + ": expected a JSON array of DataSamples");
  const size_t n = content.size();
  size_t i = static_cast<size_t>(trimmed.data() - content.data()) + 1;
  auto skip_space = [&] {
    while (i < n && IsJsonSpace(content[i])) ++i;
  };
  std::vector<std::string_view> values;
  skip_space();
  if (i < n && content[i] == ']') {
    ++i;
  } else {
    std::string open;  // the brackets open inside the value being read, innermost last
    while (true) {
      skip_space();
      if (i == n) throw error(n, "the array is not closed");
      if (content[i] == ',' || content[i] == ']') {
        throw error(i, std::string("a value is missing before '") + content[i] + "'");
      }
      const size_t start = i;
      open.clear();
      for (; i < n; ++i) {
        const char c = content[i];
        if (c == '"') {
          const size_t end = EndOfString(content, i);
          if (end == std::string_view::npos) throw error(i, "a string is not closed");
          i = end - 1;
        } else if (c == '{' || c == '[') {
          open.push_back(c);
        } else if (c == '}' || c == ']') {
          if (open.empty()) {
            if (c == ']') break;
            throw error(i, "'}' closes no '{'");
          }
          if ((c == '}') != (open.back() == '{'))
            throw error(i, std::string("'") + c + "' closes '" + open.back() + "'");
          open.pop_back();
        } else if (c == ',' && open.empty()) {
          break;
        }
      }
      if (i == n && open.empty()) throw error(n, "the array is not closed");
      if (i == n) throw error(start, "this value's brackets are not all closed");
      values.push_back(TrimJsonSpace(content.substr(start, i - start)));
      if (content[i++] == ']') break;
    }
  }
  skip_space();
  if (i != n) throw error(i, "text after the array");
  return values;
}

}  // namespace

RecordFile RecordFile::Open(const std::string& path) {
  RecordFile file;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FileError(path + ": cannot open: " + std::strerror(errno));
  struct stat info {};
  if (fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
    ::close(fd);
    throw FileError(path + ": not a regular file");
  }
  const size_t size = static_cast<size_t>(info.st_size);
  std::string_view content;
  if (!S_ISREG(info.st_mode)) {
    // A pipe, FIFO or /dev/stdin: its size says nothing, so it is read to its end.
    char buffer[1 << 16];
    while (true) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::close(fd);
        throw FileError(path + ": cannot read: " + std::strerror(error));
      }
      file.storage_->read.append(buffer, static_cast<size_t>(n));
    }
    content = file.storage_->read;
  } else if (size > 0) {
    void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      ::close(fd);
      throw FileError(path + ": cannot map: " + std::strerror(errno));
    }
    madvise(map, size, MADV_SEQUENTIAL);
    file.storage_->map = map;
    file.storage_->map_size = size;
    content = std::string_view(static_cast<const char*>(map), size);
  }
  ::close(fd);
  // A byte-order mark (Windows tools, Python's "utf-8-sig") is not part of the first record.
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);

  if (RecordFileFormatOf(path) == RecordFileFormat::kJsonArray) {
    size_t position = 0;
    for (std::string_view value : SplitJsonArray(content, path)) file.records_.push_back(JsonRecord{++position, value});
    return file;
  }

  size_t line = 0;
  size_t start = 0;
  while (start < content.size()) {
    const void* newline = std::memchr(content.data() + start, '\n', content.size() - start);
    const size_t end = newline ? static_cast<size_t>(static_cast<const char*>(newline) - content.data()) : content.size();
    ++line;
    std::string_view text = content.substr(start, end - start);
    if (!IsBlank(text)) file.records_.push_back(JsonRecord{line, text});
    start = end + 1;
  }
  return file;
}

}  // namespace rmg

namespace rmg {

size_t ResumeFingerprint(const DataSample& sample) {
  DataSample scored_content = sample;
  if (scored_content.metadata.is_object()) {
    Json& metadata = scored_content.metadata;
    for (auto it = metadata.begin(); it != metadata.end();) {
      it = it.key().rfind("rmg_", 0) == 0 ? metadata.erase(it) : std::next(it);
    }
    if (metadata.empty()) metadata = nullptr;  // {} with only rmg's keys was no metadata
  }
  auto clear = [](ChatMessage& message) { message.additional_kwargs = nullptr; };
  for (ChatMessage& message : scored_content.input) clear(message);
  for (DataOutput& output : scored_content.output) {
    clear(output.answer);
    output.answer.reward.reset();
    if (!output.steps) continue;
    for (Step& step : *output.steps) {
      clear(step);
      step.reward.reset();
    }
  }
  std::string text;
  AppendDataSampleJson(scored_content, &text);
  return static_cast<size_t>(StableStringHash(text));
}

void StoreInputFingerprint(DataSample& sample) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, static_cast<uint64_t>(ResumeFingerprint(sample)));
  if (!sample.metadata.is_object()) sample.metadata = Json::object();
  sample.metadata[kInputFingerprintKey] = std::string(hex);
}

namespace {

// The fingerprint StoreInputFingerprint stored in `sample`, or nullopt.
std::optional<size_t> StoredInputFingerprint(const DataSample& sample) {
  if (!sample.metadata.is_object()) return std::nullopt;
  const auto found = sample.metadata.find(kInputFingerprintKey);
  if (found == sample.metadata.end() || !found->is_string()) return std::nullopt;
  const std::string& hex = found->get_ref<const std::string&>();
  if (hex.size() != 16 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) return std::nullopt;
  return static_cast<size_t>(std::strtoull(hex.c_str(), nullptr, 16));
}

// Where one line of a file is, without its newline.
struct LineSpan {
  size_t offset = 0;
  size_t size = 0;
};

// Calls `fn(span, text)` for each complete line of `path` (one that ends with a
// newline: a last line without one is what an interruption left). False when the
// file cannot be opened.
template <typename Fn>
bool ForEachCompleteLine(const std::string& path, Fn&& fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string line;
  size_t offset = 0;
  while (std::getline(in, line)) {
    if (in.eof()) break;
    fn(LineSpan{offset, line.size()}, line);
    offset += line.size() + 1;
  }
  return true;
}

}  // namespace

StringMap<std::vector<size_t>> PrepareResume(const std::string& path, bool stored_fingerprints) {
  StringMap<std::vector<size_t>> fingerprints;
  size_t keep = 0;  // bytes of complete, readable records
  size_t number = 0;
  const bool opened = ForEachCompleteLine(path, [&](const LineSpan& span, const std::string& line) {
    ++number;
    keep = span.offset + span.size + 1;
    if (IsBlank(line)) return;
    DataSample sample;
    try {
      sample = ParseDataSample(line);
    } catch (const SchemaError& e) {
      // A whole line is never the interruption's doing: dropping it and the records
      // after it would lose work silently.
      throw FileError(path + ":" + std::to_string(number) + ": " + e.what() +
                      " (not a record as rmg writes them; resume needs the output as it was written)");
    }
    const std::optional<size_t> fingerprint =
        stored_fingerprints ? StoredInputFingerprint(sample) : ResumeFingerprint(sample);
    if (!fingerprint) {
      throw FileError(path + ":" + std::to_string(number) + ": no metadata." + kInputFingerprintKey +
                      " (16 hex digits), which this command writes in each record: resume needs the output "
                      "as it was written");
    }
    // "" too: samples without an id resume like others
    fingerprints[sample.unique_id].push_back(*fingerprint);
  });
  if (!opened) return fingerprints;
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && static_cast<size_t>(info.st_size) > keep &&
      truncate(path.c_str(), static_cast<off_t>(keep)) != 0) {
    throw FileError(path + ": cannot remove the partial last record: " + std::strerror(errno));
  }
  return fingerprints;
}

void StoreFailedUnits(DataSample& sample, size_t failed_units) {
  if (failed_units == 0) {
    if (sample.metadata.is_object()) sample.metadata.erase(kFailedUnitsKey);
    return;
  }
  if (!sample.metadata.is_object()) sample.metadata = Json::object();
  sample.metadata[kFailedUnitsKey] = failed_units;
}

namespace {

// Replaces `path` with the lines of it at `spans`, in that order: written to a new
// file that is synced and renamed over `path` (over the file a link names, not the
// link), so an interruption leaves one of the two.
void RewriteWithLines(const std::string& link_or_path, const std::vector<LineSpan>& spans) {
  std::error_code error;
  const std::filesystem::path resolved = std::filesystem::canonical(link_or_path, error);
  const std::string path = error ? link_or_path : resolved.string();
  const std::string temporary = path + ".rmg-rewrite";
  {
    std::ifstream in(path, std::ios::binary);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!in || !out) throw FileError(path + ": cannot rewrite it: " + std::strerror(errno));
    std::string buffer;
    for (const LineSpan& span : spans) {
      buffer.resize(span.size);
      in.seekg(static_cast<std::streamoff>(span.offset));
      in.read(buffer.data(), static_cast<std::streamsize>(span.size));
      out.write(buffer.data(), static_cast<std::streamsize>(span.size));
      out.put('\n');
    }
    out.flush();
    if (!in || !out) {
      std::remove(temporary.c_str());
      throw FileError(path + ": cannot rewrite it (writing " + temporary + " failed)");
    }
  }
  const int fd = open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  const bool synced = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!synced || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    throw FileError(path + ": cannot replace it with " + temporary + ": " + reason);
  }
}

// What matches a scored record to the sample it scores.
std::string MatchKey(const DataSample& sample) {
  return sample.unique_id + '\n' + std::to_string(ResumeFingerprint(sample));
}

}  // namespace

size_t RemoveFailedRecords(const std::string& path) {
  std::vector<LineSpan> kept;
  size_t removed = 0;
  const bool opened = ForEachCompleteLine(path, [&](const LineSpan& span, const std::string& line) {
    // Most records carry no mark: only those that mention the key are parsed.
    if (line.find(kFailedUnitsKey) != std::string::npos) {
      try {
        const DataSample sample = ParseDataSample(line);
        const auto mark = sample.metadata.is_object() ? sample.metadata.find(kFailedUnitsKey) : sample.metadata.end();
        if (mark != sample.metadata.end() && mark->is_number() && mark->get<double>() > 0) {
          ++removed;
          return;
        }
      } catch (const std::exception&) {
        // Kept: PrepareResume names the line that is not a record.
      }
    }
    kept.push_back(span);
  });
  if (opened && removed > 0) RewriteWithLines(path, kept);
  return removed;
}

void RestoreInputOrder(const std::string& path, const std::vector<JsonRecord>& records) {
  std::vector<LineSpan> lines;
  StringMap<std::deque<size_t>> lines_of;  // MatchKey -> lines, in file order
  const bool opened = ForEachCompleteLine(path, [&](const LineSpan& span, const std::string& line) {
    if (IsBlank(line)) return;
    try {
      lines_of[MatchKey(ParseDataSample(line))].push_back(lines.size());
    } catch (const std::exception&) {
      // Matches no sample: stays after the others.
    }
    lines.push_back(span);
  });
  if (!opened) throw FileError(path + ": cannot open it to restore the input order: " + std::strerror(errno));
  std::vector<size_t> order;
  order.reserve(lines.size());
  std::vector<char> placed(lines.size(), 0);
  for (const JsonRecord& record : records) {
    DataSample sample;
    try {
      sample = ParseDataSample(record.text);
    } catch (const std::exception&) {
      continue;  // a bad record has no scored copy
    }
    const auto found = lines_of.find(MatchKey(sample));
    if (found == lines_of.end() || found->second.empty()) continue;
    order.push_back(found->second.front());
    placed[found->second.front()] = 1;
    found->second.pop_front();
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!placed[i]) order.push_back(i);
  }
  bool in_order = true;
  for (size_t i = 0; i < order.size() && in_order; ++i) in_order = order[i] == i;
  if (in_order) return;
  std::vector<LineSpan> spans;
  spans.reserve(order.size());
  for (size_t i : order) spans.push_back(lines[i]);
  RewriteWithLines(path, spans);
}

}  // namespace rmg
