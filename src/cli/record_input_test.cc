#include "cli/record_input.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "core/testing/temp_dir.h"
#include "rmg/data_loader.h"

namespace rmg::cli {
namespace {

class RecordInputTest : public ::testing::Test {
 protected:
  std::string Put(const std::string& name, const std::string& content) const { return dir_.Write(name, content); }
  std::string At(const std::string& name) const { return dir_.Path(name); }

  // The FileError message of opening `path`, or "" when it opens.
  static std::string OpenError(const std::string& path) {
    try {
      RecordInput input(path);
    } catch (const FileError& e) {
      return e.what();
    }
    return "";
  }

  TempTestDir dir_;
};

std::vector<std::string> RecordInputTexts(const RecordInput& input) {
  std::vector<std::string> texts;
  for (const JsonRecord& record : input.records()) texts.emplace_back(record.text);
  return texts;
}

std::vector<size_t> RecordInputLines(const RecordInput& input) {
  std::vector<size_t> lines;
  for (const JsonRecord& record : input.records()) lines.push_back(record.line);
  return lines;
}

TEST_F(RecordInputTest, JsonlFileKeepsLinesAsWrittenAndTheirNumbers) {
  const std::string path =
      Put("in.jsonl", "{\"unique_id\": \"a\"}\n\n   \n{\"unique_id\":\"b\", \"x\": [1, 2]}\nnot json\n");
  const RecordInput input(path);
  // Read lazily: the evaluator parses each line, so a bad one is its error to report.
  EXPECT_EQ(RecordInputTexts(input),
            (std::vector<std::string>{"{\"unique_id\": \"a\"}", "{\"unique_id\":\"b\", \"x\": [1, 2]}", "not json"}));
  EXPECT_EQ(RecordInputLines(input), (std::vector<size_t>{1, 4, 5}));
  EXPECT_EQ(input.Origin(4), path + ":4");
  EXPECT_EQ(input.Origin(5), path + ":5");
}

TEST_F(RecordInputTest, JsonArrayFileNumbersRecordsByPosition) {
  const std::string path = Put("in.json", "[\n  {\"unique_id\": \"a\"},\n  {\"unique_id\": \"b\", \"n\": 1.5}\n]\n");
  const RecordInput input(path);
  EXPECT_EQ(RecordInputTexts(input),
            (std::vector<std::string>{"{\"unique_id\": \"a\"}", "{\"unique_id\": \"b\", \"n\": 1.5}"}));
  EXPECT_EQ(RecordInputLines(input), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(input.Origin(2), path + ":2");
}

TEST_F(RecordInputTest, EmptyFileHasNoRecords) {
  const RecordInput input(Put("empty.jsonl", ""));
  EXPECT_TRUE(input.records().empty());
}

TEST_F(RecordInputTest, DirectoryRecordsComeInPathOrderAndRememberTheirFile) {
  const std::string a = Put("b_first/a.jsonl", "{\"unique_id\":\"a1\"}\n\n{\"unique_id\": \"a2\", \"k\": [1, 2]}\n");
  const std::string b = Put("c_second.json", "[{\"unique_id\":\"b1\"}]");
  Put("a_notes.txt", "{\"unique_id\":\"ignored\"}\n");
  const RecordInput input(dir_.path().string());
  // Re-serialised compactly: the loader parsed them.
  EXPECT_EQ(RecordInputTexts(input),
            (std::vector<std::string>{"{\"unique_id\":\"a1\"}", "{\"unique_id\":\"a2\",\"k\":[1,2]}",
                                      "{\"unique_id\":\"b1\"}"}));
  // Numbered 1..n for the evaluator, whose errors then map back to file:line.
  EXPECT_EQ(RecordInputLines(input), (std::vector<size_t>{1, 2, 3}));
  EXPECT_EQ(input.Origin(1), a + ":1");
  EXPECT_EQ(input.Origin(2), a + ":3");
  EXPECT_EQ(input.Origin(3), b + ":1");
}

TEST_F(RecordInputTest, DirectoryOriginOutsideTheRecordsNamesTheDirectory) {
  Put("only.jsonl", "{\"unique_id\":\"x\"}\n");
  const RecordInput input(dir_.path().string());
  ASSERT_EQ(input.records().size(), 1u);
  EXPECT_EQ(input.Origin(0), dir_.path().string() + ":0");
  EXPECT_EQ(input.Origin(2), dir_.path().string() + ":2");
}

TEST_F(RecordInputTest, DirectoryTextKeepsUnicodeAsUtf8) {
  Put("u.jsonl", "{\"unique_id\":\"u\",\"t\":\"h\\u00e9llo \xF0\x9F\x98\x80 \xE4\xB8\xAD\"}\n");
  const RecordInput input(dir_.path().string());
  ASSERT_EQ(input.records().size(), 1u);
  EXPECT_EQ(std::string(input.records()[0].text),
            "{\"unique_id\":\"u\",\"t\":\"h\xC3\xA9llo \xF0\x9F\x98\x80 \xE4\xB8\xAD\"}");
}

TEST_F(RecordInputTest, ParquetFileGoesThroughTheLoader) {
  const std::string path = At("in.parquet");
  WriteRecords(path, {Json{{"unique_id", "p1"}, {"n", 1}}, Json{{"unique_id", "p2"}, {"n", 2}}});
  const RecordInput input(path);
  EXPECT_EQ(RecordInputTexts(input),
            (std::vector<std::string>{"{\"unique_id\":\"p1\",\"n\":1}", "{\"unique_id\":\"p2\",\"n\":2}"}));
  EXPECT_EQ(RecordInputLines(input), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(input.Origin(2), path + ":2");
}

TEST_F(RecordInputTest, RecordsStayValidAfterTheInputIsMoved) {
  // Short texts live inside the std::string objects; the views must survive a move.
  Put("m.jsonl", "{}\n{\"unique_id\":\"longer than any small-string buffer\"}\n");
  auto first = std::make_unique<RecordInput>(dir_.path().string());
  const RecordInput moved(std::move(*first));
  first.reset();
  EXPECT_EQ(RecordInputTexts(moved),
            (std::vector<std::string>{"{}", "{\"unique_id\":\"longer than any small-string buffer\"}"}));
  EXPECT_EQ(moved.Origin(1), At("m.jsonl") + ":1");
}

TEST_F(RecordInputTest, MissingFilesAreNamed) {
  const std::string jsonl = At("missing.jsonl");
  EXPECT_EQ(OpenError(jsonl).rfind(jsonl + ": cannot open", 0), 0u) << OpenError(jsonl);
  const std::string parquet = At("missing.parquet");
  EXPECT_NE(OpenError(parquet).find(parquet), std::string::npos) << OpenError(parquet);
}

TEST_F(RecordInputTest, DirectoryWithoutDataFilesIsNamed) {
  Put("readme.txt", "nothing here\n");
  EXPECT_EQ(OpenError(dir_.path().string()), dir_.path().string() + ": no .jsonl, .json or .parquet file in this directory");
}

TEST_F(RecordInputTest, BadRecordsInADirectoryAreReportedAndTheRestKept) {
  Put("a.jsonl", "{\"unique_id\":\"a\"}\n");
  const std::string bad =
      Put("b.jsonl", "{\"unique_id\":\"b\"}\n[1, 2]\n{\"unique_id\": \"\xFF\"}\n{\"unique_id\":\"c\"}\n");
  const RecordInput input(dir_.path().string());
  EXPECT_EQ(RecordInputTexts(input),
            (std::vector<std::string>{"{\"unique_id\":\"a\"}", "{\"unique_id\":\"b\"}", "{\"unique_id\":\"c\"}"}));
  EXPECT_EQ(input.Origin(3), bad + ":4");

  EvalStats stats;
  stats.bad_records.push_back({2, "no output"});  // as the evaluator would report record 2
  ::testing::internal::CaptureStderr();
  const size_t reported = input.ReportBadRecords(stats);
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(reported, 3u);
  EXPECT_EQ(printed.find("rmg: " + bad + ":2: expected a JSON object\n"), 0u) << printed;
  EXPECT_NE(printed.find("rmg: " + bad + ":3: invalid JSON"), std::string::npos) << printed;
  EXPECT_NE(printed.find("rmg: " + bad + ":1: no output\n"), std::string::npos) << printed;
}

TEST_F(RecordInputTest, InvalidJsonArrayFileIsNamed) {
  const std::string path = Put("bad.json", "[{\"unique_id\":\"a\"},");
  EXPECT_EQ(OpenError(path).rfind(path + ":1: invalid JSON", 0), 0u) << OpenError(path);
}

}  // namespace
}  // namespace rmg::cli
