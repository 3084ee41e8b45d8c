// Parquet files through DuckDB's C API: an in-memory database to run SQL on, and
// the record layout described in rmg/data_loader.h.
#pragma once

#include <duckdb.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::data {

// An in-memory DuckDB database and one connection to it. DuckDB never installs or
// loads an extension here: json and parquet are built into libduckdb, and rmg
// downloads nothing at run time.
class DuckDb {
 public:
  // Throws std::runtime_error when DuckDB cannot start.
  DuckDb();
  ~DuckDb();
  DuckDb(const DuckDb&) = delete;
  DuckDb& operator=(const DuckDb&) = delete;

  // Runs `sql` and discards its result. Throws std::runtime_error with the first
  // line of DuckDB's message.
  void Execute(const std::string& sql);

  // Runs `sql`, whose columns must all be VARCHAR, and calls `row` with each row's
  // values (nullopt for SQL NULL); the views are valid during the call only.
  // Throws as Execute does.
  using Row = std::vector<std::optional<std::string_view>>;
  void Query(const std::string& sql, const std::function<void(const Row&)>& row);

  duckdb_connection connection() { return connection_; }

 private:
  duckdb_database database_ = nullptr;
  duckdb_connection connection_ = nullptr;
};

// `text` as an SQL string literal.
std::string SqlString(std::string_view text);

// `name` as a quoted SQL identifier.
std::string SqlIdentifier(std::string_view name);

// Calls `record` with each row of the Parquet file at `path`, in file order, as a
// JSON object (see rmg/data_loader.h). Throws FileError naming the file, and the
// 1-based row when one row is at fault.
void ReadParquet(const std::string& path, const std::function<void(Json&&)>& record);

// Writes records to a Parquet file in rmg's layout, one at a time: each is copied
// into DuckDB's table when added, so the writer holds none of them. The file is
// written by Finish(); a writer destroyed before that writes nothing.
class ParquetWriter {
 public:
  // Throws FileError when DuckDB cannot start.
  explicit ParquetWriter(std::string path);
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // Adds `record`, which must be a JSON object whose keys can be columns (not empty, no
  // NUL, none differing from another record's key only in case). Throws FileError
  // naming the file and the record's 1-based position.
  void Add(const Json& record);

  // Writes the file. Throws FileError naming it.
  void Finish();

 private:
  struct State;
  std::string path_;
  size_t count_ = 0;
  std::unique_ptr<State> state_;
};

}  // namespace rmg::data
