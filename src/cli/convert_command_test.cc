// Runs `rmg convert` as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/cli_testing.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

using ::testing::HasSubstr;
using testing::CommandResult;
using testing::ReadFile;

class ConvertTest : public testing::CommandTest {};

// The samples of a JSONL text, each written back in rmg's canonical form.
std::vector<std::string> CanonicalLines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    lines.emplace_back();
    AppendDataSampleJson(ParseDataSample(line), &lines.back());
  }
  return lines;
}

TEST_F(ConvertTest, ExamplesRoundTripThroughParquet) {
  const std::string examples = std::string(RMG_SOURCE_DIR) + "/examples/samples.jsonl";
  const std::vector<std::string> expected = CanonicalLines(ReadFile(examples));
  ASSERT_FALSE(expected.empty());

  CommandResult r = Run("convert --input " + examples + " --output " + Path("samples.parquet"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("wrote " + std::to_string(expected.size()) + " samples"));
  r = Run("convert --input " + Path("samples.parquet") + " --output " + Path("back.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CanonicalLines(ReadFile(Path("back.jsonl"))), expected);
  // Already canonical: converting writes each sample in rmg's own form.
  std::string written;
  for (const std::string& line : expected) written += line + "\n";
  EXPECT_EQ(ReadFile(Path("back.jsonl")), written);
}

TEST_F(ConvertTest, JsonArrayOutputAndLimit) {
  const std::string examples = std::string(RMG_SOURCE_DIR) + "/examples/samples.jsonl";
  const CommandResult r = Run("convert -i " + examples + " -o " + Path("two.json") + " --limit 2 --seed 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json written = Json::parse(ReadFile(Path("two.json")));
  ASSERT_TRUE(written.is_array());
  EXPECT_EQ(written.size(), 2u);
}

TEST_F(ConvertTest, InvalidSamplesAreReportedAndNothingIsWritten) {
  const std::string input = Write("in.jsonl", "{\"unique_id\":\"a\"}\n{\"input\":[]}\n{\"unique_id\":\"c\"}\n");
  const CommandResult r = Run("convert --input " + input + " --output " + Path("out.parquet"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(input + ":2: "));
  EXPECT_THAT(r.err, HasSubstr("unique_id"));
  EXPECT_FALSE(std::filesystem::exists(Path("out.parquet")));
}

TEST_F(ConvertTest, UnknownFromFormat) {
  const std::string input = Write("in.jsonl", "{\"unique_id\":\"a\"}\n");
  const CommandResult r = Run("convert --from rewardbench9 --input " + input + " --output " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown format 'rewardbench9'"));
  EXPECT_EQ(Run("convert --from none --input " + input + " --output " + Path("out.jsonl")).exit_code, 0);
}

TEST_F(ConvertTest, MissingInputIsBadInput) {
  const CommandResult r = Run("convert --input " + Path("nope.parquet") + " --output " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(Path("nope.parquet")));
}

// rmg eval reads what rmg convert writes: a Parquet file and a directory score the
// same as the JSONL they came from.
TEST_F(ConvertTest, EvalReadsParquetFilesAndDirectories) {
  const std::string examples = std::string(RMG_SOURCE_DIR) + "/examples/samples.jsonl";
  std::filesystem::create_directories(Path("dir/nested"));
  CommandResult r = Run("convert --input " + examples + " --output " + Path("dir/nested/samples.parquet"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string args = " --reward length_penalty --workers 1";
  const CommandResult from_jsonl = Run("eval --input " + examples + args);
  ASSERT_EQ(from_jsonl.exit_code, 0) << from_jsonl.err;
  const CommandResult from_parquet = Run("eval --input " + Path("dir/nested/samples.parquet") + args);
  ASSERT_EQ(from_parquet.exit_code, 0) << from_parquet.err;
  EXPECT_EQ(CanonicalLines(from_parquet.out), CanonicalLines(from_jsonl.out));
  const CommandResult from_directory = Run("eval --input " + Path("dir") + args);
  ASSERT_EQ(from_directory.exit_code, 0) << from_directory.err;
  EXPECT_EQ(CanonicalLines(from_directory.out), CanonicalLines(from_jsonl.out));

  // A record that is no DataSample is named by its file and position.
  Write("dir/bad.jsonl", "{\"unique_id\": \"x\", \"input\": 5}\n");
  const CommandResult bad = Run("eval --input " + Path("dir") + args);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr(Path("dir/bad.jsonl") + ":1: "));
}

}  // namespace
}  // namespace rmg
