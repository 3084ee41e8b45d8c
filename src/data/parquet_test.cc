#include "data/parquet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <stdexcept>

#include "core/testing/temp_dir.h"
#include "rmg/record_file.h"

namespace rmg::data {
namespace {

using ::testing::HasSubstr;

class ParquetTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Path(name); }

  static void Write(const std::string& path, const std::vector<Json>& records) {
    ParquetWriter writer(path);
    for (const Json& record : records) writer.Add(record);
    writer.Finish();
  }

  std::vector<Json> Read(const std::string& path) const {
    std::vector<Json> rows;
    ReadParquet(path, [&](Json&& row) { rows.push_back(std::move(row)); });
    return rows;
  }

  TempTestDir dir_;
};

TEST_F(ParquetTest, ReadsAFileDuckDbWrote) {
  const std::string path = Path("duck.parquet");
  {
    DuckDb db;
    db.Execute("COPY (SELECT 1 AS a, 'x' AS b, [1,2] AS c) TO " + SqlString(path) + " (FORMAT PARQUET)");
  }
  const std::vector<Json> rows = Read(path);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], Json::parse(R"({"a":1,"b":"x","c":[1,2]})"));
}

TEST_F(ParquetTest, ReadsAFileAnotherImplementationWrote) {
  // Written by hyparquet-writer 0.17.0 (JavaScript; testdata/make_rewardbench_hyparquet.mjs):
  // snappy pages, dictionary-encoded strings, two row groups, a JSON-annotated column.
  const std::string path = std::string(RMG_SOURCE_DIR) + "/src/data/testdata/rewardbench_hyparquet.parquet";
  const std::vector<Json> rows = Read(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], Json::parse(R"({"prompt":"What is 2+2?","chosen":"2+2 equals 4.","rejected":"5",
      "chosen_model":"gpt-4","rejected_model":"llama","subset":"math-prm","id":1,"margin":0.5,
      "meta":{"tags":["a","b"]}})"));
  EXPECT_EQ(rows[1]["rejected"], "It means \"chat\".");
  EXPECT_EQ(rows[1]["meta"], Json::parse(R"({"tags":[]})"));
  // The second row group: text outside ASCII, an INT64 beyond 32 bits, and a NULL JSON cell,
  // whose key is left out as in the files rmg writes.
  EXPECT_EQ(rows[2]["prompt"], "用一句话介绍长城。");
  EXPECT_EQ(rows[2]["id"], 30000000000);
  EXPECT_EQ(rows[2]["margin"], 3.0);
  EXPECT_EQ(rows[2]["subset"], "alpacaeval-easy");
  EXPECT_FALSE(rows[2].contains("meta")) << rows[2].dump();
}

TEST_F(ParquetTest, NestedTypesBecomeJsonAndNullsStay) {
  const std::string path = Path("nested.parquet");
  {
    DuckDb db;
    db.Execute("COPY (SELECT * FROM (VALUES (1, {'k': 1.5, 'l': ['p', NULL]}, MAP {'m': 2}, DATE '2024-01-02', "
               "1.25::DECIMAL(10,2), 'text'), (2, NULL, NULL, NULL, NULL, NULL)) t(id, s, m, d, dec, str)) TO " +
               SqlString(path) + " (FORMAT PARQUET)");
  }
  const std::vector<Json> rows = Read(path);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], Json::parse(R"({"id":1,"s":{"k":1.5,"l":["p",null]},"m":{"m":2},"d":"2024-01-02",
                                     "dec":1.25,"str":"text"})"));
  // Typed columns keep SQL NULL as null: only JSON columns (rmg's layout) drop the key.
  EXPECT_EQ(rows[1], Json::parse(R"({"id":2,"s":null,"m":null,"d":null,"dec":null,"str":null})"));
}

// DuckDB would read a path holding * or ? as a glob, and a key=value directory as a
// column: rmg reads exactly the file named, with its own columns.
TEST_F(ParquetTest, APathIsOneFileWithItsOwnColumns) {
  std::filesystem::create_directories(Path("source=other"));
  const std::string partitioned = Path("source=other/f.parquet");
  Write(partitioned, {Json::parse(R"({"unique_id":"u1","source":"real-source"})")});
  EXPECT_EQ(Read(partitioned), std::vector<Json>{Json::parse(R"({"unique_id":"u1","source":"real-source"})")});
  const std::string starred = Path("a*.parquet");
  Write(starred, {Json::parse(R"({"n":1})")});
  Write(Path("ab.parquet"), {Json::parse(R"({"n":2})"), Json::parse(R"({"n":3})")});
  EXPECT_EQ(Read(starred), std::vector<Json>{Json::parse(R"({"n":1})")});
}

// A FIFO is refused at once, not waited on until some writer opens it.
TEST_F(ParquetTest, AFifoIsNotARegularFile) {
  const std::string fifo = Path("pipe.parquet");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  try {
    Read(fifo);
    ADD_FAILURE() << "no error";
  } catch (const FileError& e) {
    EXPECT_THAT(e.what(), HasSubstr(fifo + ": not a regular file"));
  }
}

// DuckDB's to_json writes NaN inside a struct or list as a bare word; pandas writes NaN
// for a missing value. A whole NaN cell keeps its value; a nested one reads as null.
TEST_F(ParquetTest, NonFiniteNumbersInsideValuesReadAsNull) {
  const std::string path = Path("nan.parquet");
  {
    DuckDb db;
    db.Execute(
        "COPY (SELECT i, {'score': CASE WHEN i = 1 THEN 'nan'::DOUBLE ELSE 0.5 END, 'n': 'NaN'} AS m, "
        "[1.0, '-inf'::DOUBLE] AS l, 'inf'::DOUBLE AS top FROM range(3) t(i)) TO " +
        SqlString(path) + " (FORMAT PARQUET)");
  }
  const std::vector<Json> rows = Read(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1]["m"], Json::parse(R"({"score":null,"n":"NaN"})"));
  EXPECT_EQ(rows[0]["m"], Json::parse(R"({"score":0.5,"n":"NaN"})"));
  EXPECT_EQ(rows[2]["l"], Json::parse(R"([1.0,null])"));
  EXPECT_EQ(rows[0]["top"], std::numeric_limits<double>::infinity());
}

TEST_F(ParquetTest, PathsAndKeysNeedNoEscaping) {
  const std::string path = Path("it's \"here\".parquet");
  const std::vector<Json> records = {Json::parse(R"({"we'ird \"key\"":1,"sp ace":[true]})")};
  Write(path, records);
  EXPECT_EQ(Read(path), records);
}

TEST_F(ParquetTest, RecordsThatBringNewKeysOneAtATimeKeepTheirOwnKeys) {
  // The table widens in batches; columns not yet holding a key must not show up.
  const std::string path = Path("wide.parquet");
  std::vector<Json> records;
  for (int i = 0; i < 70; ++i) {
    Json record = {{"unique_id", std::to_string(i)}};
    if (i % 3 == 0) record["every_third"] = nullptr;  // present, null: kept
    record["key" + std::to_string(i)] = i;
    records.push_back(std::move(record));
  }
  Write(path, records);
  EXPECT_EQ(Read(path), records);
}

TEST_F(ParquetTest, DuckDbErrorsAreExceptions) {
  DuckDb db;
  EXPECT_THROW(db.Execute("SELECT * FROM no_such_table"), std::runtime_error);
  // Nothing is installed or loaded at run time: an extension outside libduckdb fails.
  EXPECT_THROW(db.Execute("SELECT * FROM read_xlsx('x.xlsx')"), std::runtime_error);
  try {
    db.Execute("SELECT * FROM read_parquet(" + SqlString(Path("none.parquet")) + ")");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    // One line: DuckDB's caret diagram of the query is left out.
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST_F(ParquetTest, QueryGivesRowsAsText) {
  DuckDb db;
  std::vector<std::vector<std::optional<std::string>>> rows;
  db.Query("SELECT i::VARCHAR, CASE WHEN i = 2 THEN NULL ELSE 'v' || i END FROM range(3) t(i)",
           [&](const DuckDb::Row& row) {
             rows.push_back({});
             for (const auto& value : row) rows.back().push_back(value ? std::optional<std::string>(*value) : std::nullopt);
           });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "0");
  EXPECT_EQ(rows[1][1], "v1");
  EXPECT_EQ(rows[2][1], std::nullopt);
}

TEST_F(ParquetTest, QueryStreamsRowsBeforeAnErrorFurtherOn) {
  // A materialised result holds every row before the first is given (a Parquet file
  // of millions of rows took gigabytes): streamed, the rows before a failing one
  // arrive first, and the failure is still an exception.
  DuckDb db;
  size_t rows = 0;
  try {
    db.Query("SELECT CASE WHEN i < 100000 THEN i::VARCHAR ELSE error('row ' || i) END FROM range(200000) t(i)",
             [&](const DuckDb::Row&) { ++rows; });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("row 100000"));
  }
  EXPECT_GT(rows, 0u);
  EXPECT_LE(rows, 100000u);
}

TEST_F(ParquetTest, UnreadableFilesNameTheFile) {
  const std::string path = Path("dir.parquet");
  std::filesystem::create_directories(path);
  EXPECT_THAT([&] { Read(path); }, ::testing::ThrowsMessage<FileError>(HasSubstr(path + ": not a regular file")));
}

}  // namespace
}  // namespace rmg::data
