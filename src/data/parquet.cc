#include "data/parquet.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "core/simd_json.h"
#include "rmg/record_file.h"
#include "rmg/sample_io.h"
#include "rmg/string_hash.h"
#include "text/unicode.h"

namespace rmg::data {
namespace {

std::string FirstLine(const char* message) {
  if (message == nullptr) return "unknown DuckDB error";
  std::string text(message);
  return text.substr(0, text.find('\n'));
}

// Owns a duckdb_result, which must be destroyed even when the query failed.
struct Result {
  duckdb_result result{};
  ~Result() { duckdb_destroy_result(&result); }
};

struct Prepared {
  duckdb_prepared_statement statement = nullptr;
  ~Prepared() { duckdb_destroy_prepare(&statement); }
};

struct Pending {
  duckdb_pending_result pending = nullptr;
  ~Pending() { duckdb_destroy_pending(&pending); }
};

struct Chunk {
  duckdb_data_chunk chunk;
  ~Chunk() {
    if (chunk != nullptr) duckdb_destroy_data_chunk(&chunk);
  }
};

}  // namespace

DuckDb::DuckDb() {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) == DuckDBError) throw std::runtime_error("DuckDB: cannot create a configuration");
  // A query that needs an extension libduckdb lacks must fail, not fetch it.
  duckdb_set_config(config, "autoinstall_known_extensions", "false");
  duckdb_set_config(config, "autoload_known_extensions", "false");
  char* error = nullptr;
  const duckdb_state state = duckdb_open_ext(nullptr, &database_, config, &error);
  duckdb_destroy_config(&config);
  if (state == DuckDBError) {
    const std::string message = "DuckDB: cannot open an in-memory database: " + FirstLine(error);
    duckdb_free(error);
    throw std::runtime_error(message);
  }
  if (duckdb_connect(database_, &connection_) == DuckDBError) {
    duckdb_close(&database_);
    throw std::runtime_error("DuckDB: cannot connect to the in-memory database");
  }
}

DuckDb::~DuckDb() {
  duckdb_disconnect(&connection_);
  duckdb_close(&database_);
}

void DuckDb::Execute(const std::string& sql) {
  Result result;
  if (duckdb_query(connection_, sql.c_str(), &result.result) == DuckDBError) {
    throw std::runtime_error(FirstLine(duckdb_result_error(&result.result)));
  }
}

void DuckDb::Query(const std::string& sql, const std::function<void(const Row&)>& row) {
  // A streaming result: rows are produced a chunk at a time as they are fetched, so a
  // file of millions of rows is never all in memory (duckdb_query materialises it).
  Prepared prepared;
  if (duckdb_prepare(connection_, sql.c_str(), &prepared.statement) == DuckDBError) {
    throw std::runtime_error(FirstLine(duckdb_prepare_error(prepared.statement)));
  }
  Pending pending;
  if (duckdb_pending_prepared_streaming(prepared.statement, &pending.pending) == DuckDBError) {
    throw std::runtime_error(FirstLine(duckdb_pending_error(pending.pending)));
  }
  Result result;
  if (duckdb_execute_pending(pending.pending, &result.result) == DuckDBError) {
    throw std::runtime_error(FirstLine(duckdb_result_error(&result.result)));
  }
  const idx_t columns = duckdb_column_count(&result.result);
  for (idx_t c = 0; c < columns; ++c) {
    if (duckdb_column_type(&result.result, c) != DUCKDB_TYPE_VARCHAR) {
      throw std::logic_error("DuckDb::Query: column " + std::to_string(c) + " of the result is not VARCHAR");
    }
  }
  Row values(columns);
  while (true) {
    Chunk chunk{duckdb_fetch_chunk(result.result)};
    if (chunk.chunk == nullptr) {
      // The end, or an error met while producing the next chunk.
      const char* error = duckdb_result_error(&result.result);
      if (error != nullptr && *error != '\0') throw std::runtime_error(FirstLine(error));
      break;
    }
    const idx_t size = duckdb_data_chunk_get_size(chunk.chunk);
    std::vector<duckdb_string_t*> data(columns);
    std::vector<uint64_t*> validity(columns);
    for (idx_t c = 0; c < columns; ++c) {
      duckdb_vector vector = duckdb_data_chunk_get_vector(chunk.chunk, c);
      data[c] = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
      validity[c] = duckdb_vector_get_validity(vector);
    }
    for (idx_t r = 0; r < size; ++r) {
      for (idx_t c = 0; c < columns; ++c) {
        if (validity[c] != nullptr && !duckdb_validity_row_is_valid(validity[c], r)) {
          values[c].reset();
        } else {
          values[c] = std::string_view(duckdb_string_t_data(&data[c][r]), duckdb_string_t_length(data[c][r]));
        }
      }
      row(values);
    }
  }
}

namespace {

// `text` between `quote`s, a quote inside doubled: SQL's rule for strings and names.
std::string Quote(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::string SqlString(std::string_view text) { return Quote(text, '\''); }

std::string SqlIdentifier(std::string_view name) { return Quote(name, '"'); }

namespace {

// `json` with DuckDB's words for non-finite doubles outside strings made null, as
// rmg writes such values (and pandas' NaN for a missing value is one).
std::string NonFiniteAsNull(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < json.size()) {
        out.push_back(json[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    in_string = c == '"';
    bool replaced = false;
    for (std::string_view word : {"-Infinity", "Infinity", "-NaN", "NaN"}) {
      if (json.substr(i, word.size()) == word) {
        out += "null";
        i += word.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(c);
  }
  return out;
}

// DuckDB's to_json writes non-finite doubles as NaN, Infinity and -Infinity, which
// JSON lacks: a whole cell keeps its value; inside a list or struct they read as null.
Json ParseCell(std::string_view text) {
  if (text == "NaN" || text == "-NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  Json value = ParseJson(text, false);
  if (value.is_discarded()) value = ParseJson(NonFiniteAsNull(text));
  return value;
}

}  // namespace

void ReadParquet(const std::string& path, const std::function<void(Json&&)>& record) {
  // DuckDB reads the file through /proc/self/fd: a path of its own would be a glob
  // pattern if it held * or ?, and key=value directories in it would add columns.
  // O_NONBLOCK: a FIFO must not hold the open until a writer comes (it is refused below).
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw FileError(path + ": cannot open: " + std::strerror(errno));
  const struct FdCloser {
    int fd;
    ~FdCloser() { close(fd); }
  } closer{fd};
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) throw FileError(path + ": not a regular file");
  const std::string fd_path = "/proc/self/fd/" + std::to_string(fd);
  if (access(fd_path.c_str(), R_OK) != 0) throw FileError(path + ": cannot read it through " + fd_path);

  DuckDb db;
  const std::string source = "read_parquet(" + SqlString(fd_path) + ", hive_partitioning = false)";
  std::vector<std::string> names;
  std::vector<bool> is_json;
  try {
    db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + source + ")",
             [&](const DuckDb::Row& row) {
               names.emplace_back(row[0].value_or(""));
               is_json.push_back(row[1].value_or("") == "JSON");
             });
  } catch (const std::runtime_error& e) {
    throw FileError(path + ": cannot read as Parquet: " + e.what());
  }

  // DuckDB turns each value into JSON text itself, so every column type it knows
  // (LIST, STRUCT, MAP, dates, decimals...) is handled the way DuckDB documents.
  std::string sql = "SELECT ";
  for (size_t c = 0; c < names.size(); ++c) {
    if (c > 0) sql += ", ";
    sql += "to_json(" + SqlIdentifier(names[c]) + ")::VARCHAR";
  }
  sql += " FROM " + source;
  size_t number = 0;
  try {
    db.Query(sql, [&](const DuckDb::Row& row) {
      ++number;
      Json object = Json::object();
      for (size_t c = 0; c < names.size(); ++c) {
        if (!row[c]) {
          if (!is_json[c]) object[names[c]] = nullptr;
          continue;
        }
        try {
          object[names[c]] = ParseCell(*row[c]);
        } catch (const Json::exception& e) {
          throw FileError(path + ":" + std::to_string(number) + ": column " + names[c] + ": not JSON: " + e.what());
        }
      }
      record(std::move(object));
    });
  } catch (const FileError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw FileError(path + ": cannot read as Parquet after " + std::to_string(number) + " records: " + e.what());
  }
}

namespace {

struct Appender {
  duckdb_appender appender = nullptr;
  ~Appender() { duckdb_appender_destroy(&appender); }
};

}  // namespace

// The table is built as records arrive, so no record is held after Add returns. Its
// columns are c0, c1, ... (named after the records' keys only when the file is
// written); a key not seen before takes the next free one, NULL in the rows before
// it. Columns are added in batches that double the table's width, since each batch
// means closing the appender and copying the table into a wider one: a file whose
// records bring thousands of keys one at a time costs a dozen batches, not thousands.
struct ParquetWriter::State {
  DuckDb db;
  Appender appender;
  std::vector<std::string> names;   // column c<i> holds key names[i]
  size_t width = 0;                 // columns in the table: names.size() and the free ones
  StringSet columns;                // the names, to look a key up
  StringMap<std::string> by_lower;  // DuckDB's column names ignore case
  std::string text;                 // scratch for one cell's JSON text

  static std::string Column(size_t c) { return "c" + std::to_string(c); }

  void CheckAppend(duckdb_state state) {
    if (state == DuckDBError) throw std::runtime_error(FirstLine(duckdb_appender_error(appender.appender)));
  }

  // Flushes the rows appended so far; DuckDB cannot add columns under an open appender.
  void CloseAppender() {
    if (appender.appender == nullptr) return;
    CheckAppend(duckdb_appender_close(appender.appender));
    duckdb_appender_destroy(&appender.appender);
  }

  void OpenAppender() {
    if (duckdb_appender_create(db.connection(), nullptr, "records", &appender.appender) == DuckDBError) {
      throw std::runtime_error("cannot append to the table of records: " +
                               FirstLine(duckdb_appender_error(appender.appender)));
    }
  }

  // Gives `record`'s new keys columns; throws FileError naming `where()` for a key
  // that cannot be one.
  template <typename Where>
  void AddColumns(const Json& record, const Where& where) {
    for (const auto& item : record.items()) {
      const std::string& key = item.key();
      if (columns.contains(key)) continue;  // the common case: no lower-cased copy
      if (key.empty() || key.find('\0') != std::string::npos) {
        throw FileError(where() + ": the key " + Json(key).dump() +
                        " cannot be a Parquet column name (empty, or holding NUL)");
      }
      auto [other, inserted] = by_lower.emplace(text::LowerAscii(key), key);
      if (!inserted) {
        throw FileError(where() + ": keys \"" + other->second + "\" and \"" + key +
                        "\" differ only in case and cannot both be Parquet columns");
      }
      names.push_back(key);
      columns.insert(key);
    }
    if (names.size() <= width) return;
    CloseAppender();
    const size_t new_width = std::max(names.size(), 2 * width);
    std::string added;
    for (size_t c = width; c < new_width; ++c) {
      if (c > width) added += ", ";
      added += width == 0 ? Column(c) + " VARCHAR" : "NULL::VARCHAR AS " + Column(c);
    }
    if (width == 0) {
      db.Execute("CREATE TABLE records (" + added + ")");
    } else {
      // One new table rather than an ALTER per column: each ALTER copies the whole
      // catalog entry, which made thousands of keys cost minutes.
      db.Execute("CREATE TABLE wider AS SELECT *, " + added + " FROM records");
      db.Execute("DROP TABLE records");
      db.Execute("ALTER TABLE wider RENAME TO records");
    }
    width = new_width;
    OpenAppender();
  }
};

ParquetWriter::ParquetWriter(std::string path) : path_(std::move(path)) {
  try {
    state_ = std::make_unique<State>();
  } catch (const std::runtime_error& e) {
    throw FileError(path_ + ": cannot write Parquet: " + e.what());
  }
}

ParquetWriter::~ParquetWriter() = default;

void ParquetWriter::Add(const Json& record) {
  ++count_;
  const auto where = [&] { return path_ + ": record " + std::to_string(count_); };
  if (!record.is_object()) throw FileError(where() + " is not a JSON object");
  try {
    state_->AddColumns(record, where);
    for (const std::string& name : state_->names) {
      auto it = record.find(name);
      if (it == record.end()) {
        state_->CheckAppend(duckdb_append_null(state_->appender.appender));
      } else {
        state_->text.clear();
        AppendJson(*it, &state_->text);
        state_->CheckAppend(
            duckdb_append_varchar_length(state_->appender.appender, state_->text.data(), state_->text.size()));
      }
    }
    for (size_t c = state_->names.size(); c < state_->width; ++c) {
      state_->CheckAppend(duckdb_append_null(state_->appender.appender));
    }
    state_->CheckAppend(duckdb_appender_end_row(state_->appender.appender));
  } catch (const FileError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw FileError(path_ + ": cannot write Parquet: " + e.what());
  }
}

void ParquetWriter::Finish() {
  try {
    // DuckDB needs a column to make a table; an empty file still gets rmg's first field.
    if (state_->names.empty()) state_->AddColumns(Json{{"unique_id", nullptr}}, [&] { return path_; });
    state_->CloseAppender();
    std::string select = "SELECT ";
    for (size_t c = 0; c < state_->names.size(); ++c) {
      if (c > 0) select += ", ";
      select += State::Column(c) + "::JSON AS " + SqlIdentifier(state_->names[c]);
    }
    state_->db.Execute("COPY (" + select + " FROM records) TO " + SqlString(path_) + " (FORMAT PARQUET)");
  } catch (const FileError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw FileError(path_ + ": cannot write Parquet: " + e.what());
  }
}

}  // namespace rmg::data
