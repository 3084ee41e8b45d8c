// Runs `rmg convert` as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/cli_testing.h"
#include "rmg/data_loader.h"
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

// An unsigned flag read "-1" as 2^64 - 1 ("all") and a seed past 2^64 as 2^64 - 1.
TEST_F(ConvertTest, LimitAndSeedAreWholeNumbers) {
  const std::string input = Write("in.jsonl", "{\"unique_id\": \"a\"}\n");
  for (const std::string flag : {"--limit -1", "--limit 2.5", "--seed -1", "--seed 99999999999999999999"}) {
    const CommandResult r = Run("convert -i " + input + " -o " + Path("out.jsonl") + " " + flag);
    EXPECT_EQ(r.exit_code, 2) << flag;
    EXPECT_NE(r.err.find("expected a whole number from 0 to "), std::string::npos) << flag << ": " << r.err;
  }
}

TEST_F(ConvertTest, InvalidSamplesAreReportedAndNothingIsWritten) {
  const std::string input = Write("in.jsonl", "{\"unique_id\":\"a\"}\n{\"input\":[]}\n{\"unique_id\":\"c\"}\n");
  const CommandResult r = Run("convert --input " + input + " --output " + Path("out.parquet"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(input + ":2: "));
  EXPECT_THAT(r.err, HasSubstr("unique_id"));
  EXPECT_FALSE(std::filesystem::exists(Path("out.parquet")));
}

// Every bad record is listed in one run, those that are not JSON among them.
TEST_F(ConvertTest, RecordsThatAreNotJsonAreListedWithTheOthers) {
  const std::string input = Write("in.jsonl", "{\"unique_id\":\"a\"}\nnot json\n{\"input\":[]}\n");
  const CommandResult r = Run("convert --input " + input + " --output " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(input + ":2: invalid JSON"));
  EXPECT_THAT(r.err, HasSubstr(input + ":3: "));
  EXPECT_THAT(r.err, HasSubstr("2 of 3 records cannot be converted"));
  EXPECT_FALSE(std::filesystem::exists(Path("out.jsonl")));
}

// The file written is named OUT.partial before it replaces OUT: an input of that name
// was emptied before it was read. And a key Parquet cannot take is listed with the bad
// records that follow it.
TEST_F(ConvertTest, AnInputNamedLikeTheWrittenFileIsRefusedAndWriteErrorsAreListed) {
  const std::string sample = "{\"unique_id\":\"a\",\"input\":[],\"output\":[]}\n";
  const std::string partial = Write("d.jsonl.partial", sample);
  const CommandResult refused = Run("convert -i " + partial + " -o " + Path("d.jsonl"));
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_EQ(LoadRecords(partial).size(), 1u);
  const std::string input =
      Write("keys.jsonl", "{\"unique_id\":\"a\",\"Foo\":1}\n{\"unique_id\":\"b\",\"foo\":2}\n{\"input\":[]}\n");
  const CommandResult r = Run("convert -i " + input + " -o " + Path("keys.parquet"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(input + ":2: "));
  EXPECT_THAT(r.err, HasSubstr("differ only in case"));
  EXPECT_THAT(r.err, HasSubstr(input + ":3: "));
  EXPECT_FALSE(std::filesystem::exists(Path("keys.parquet")));
}

// Writing into the directory being read would read the output back on the next run.
TEST_F(ConvertTest, AnOutputInsideTheInputDirectoryIsRefused) {
  Write("cdir/a.jsonl", "{\"unique_id\":\"a\",\"input\":[],\"output\":[]}\n");
  const CommandResult r = Run("convert -i " + Path("cdir") + " -o " + Path("cdir/merged.jsonl"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("inside the input directory"));
  EXPECT_FALSE(std::filesystem::exists(Path("cdir/merged.jsonl")));
}

TEST_F(ConvertTest, UnknownFromFormat) {
  const std::string input = Write("in.jsonl", "{\"unique_id\":\"a\"}\n");
  const CommandResult r = Run("convert --from rewardbench9 --input " + input + " --output " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown format 'rewardbench9' (known: none, generic, chat_message, "
                               "helpsteer2_pairwise, helpsteer2_pointwise, helpsteer3, judgebench, prmbench, "
                               "rewardbench, rewardbench2, rmb_bestofn, rmb_pairwise, rmbench)"));
  EXPECT_EQ(Run("convert --from none --input " + input + " --output " + Path("out.jsonl")).exit_code, 0);
}

TEST_F(ConvertTest, FromRewardBench) {
  const std::string input = Write("rb.jsonl",
                                  "{\"prompt\":\"2+2?\",\"chosen\":\"4\",\"rejected\":\"5\","
                                  "\"subset\":\"math\",\"id\":1}\n"
                                  "\n"
                                  "{\"prompt\":\"Hi\",\"chosen\":\"Hello!\",\"rejected\":\"Go away\","
                                  "\"subset\":\"chat\",\"id\":\"x\"}\n");
  const CommandResult r = Run("convert --from rewardbench -i " + input + " -o " + Path("out.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("wrote 2 samples"));
  std::stringstream lines(ReadFile(Path("out.jsonl")));
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  const DataSample first = ParseDataSample(line);
  EXPECT_EQ(first.unique_id, "rewardbench/math/1");
  EXPECT_EQ(first.input.at(0).content, "2+2?");
  EXPECT_EQ(first.output.at(0).answer.content, "4");
  EXPECT_EQ(first.output.at(1).answer.label, Json({{"preference", "rejected"}}));
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(ParseDataSample(line).unique_id, "rewardbench/chat/x");
  EXPECT_FALSE(std::getline(lines, line));
}

TEST_F(ConvertTest, OneHelpSteer2PreferenceRowGivesTwoSamples) {
  const std::string input = Write("pref.json",
                                  "[{\"prompt\":\"q\",\"response_1\":\"a\",\"response_2\":\"b\","
                                  "\"preference_strength\":1}]");
  const CommandResult r = Run("convert --from helpsteer2_pairwise -i " + input + " -o " + Path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json written = Json::parse(ReadFile(Path("out.json")));
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0]["output"][0]["answer"]["content"], "a");
  EXPECT_EQ(written[0]["output"][0]["answer"]["label"]["preference"], "rejected");
  EXPECT_EQ(written[1]["output"][0]["answer"]["content"], "b");
  EXPECT_EQ(written[1]["output"][0]["answer"]["label"]["preference"], "chosen");
}

TEST_F(ConvertTest, BadRecordsNameFileRecordAndFieldAndNothingIsWritten) {
  const std::string input = Write("hs.jsonl",
                                  "{\"prompt\":\"p\",\"response\":\"r\",\"helpfulness\":1,\"correctness\":1,"
                                  "\"coherence\":1,\"complexity\":1,\"verbosity\":1}\n"
                                  "{\"prompt\":\"p\",\"response\":\"r\",\"helpfulness\":1,\"correctness\":1,"
                                  "\"coherence\":9,\"complexity\":1,\"verbosity\":1}\n"
                                  "{\"prompt\":\"p\",\"helpfulness\":1}\n");
  const CommandResult r = Run("convert --from helpsteer2_pointwise -i " + input + " -o " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(input + ":2: coherence: expected an integer from 0 to 4, got 9"));
  EXPECT_THAT(r.err, HasSubstr(input + ":3: response: missing"));
  EXPECT_THAT(r.err, HasSubstr("2 of 3 records cannot be converted"));
  EXPECT_FALSE(std::filesystem::exists(Path("out.jsonl")));
}

TEST_F(ConvertTest, GenericMapping) {
  const std::string input = Write("qa.jsonl",
                                  "{\"uid\":7,\"question\":\"2*3?\",\"answers\":[{\"text\":\"6\"}],"
                                  "\"gold\":\"6\",\"level\":1}\n");
  CommandResult r = Run("convert --from generic --map input=question --map output=answers.0.text "
                        "--map label.reference=gold --map id=uid -i " + input + " -o " + Path("out.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const DataSample sample = ParseDataSample(ReadFile(Path("out.jsonl")));
  EXPECT_EQ(sample.unique_id, "generic/7");
  EXPECT_EQ(sample.input.at(0).content, "2*3?");
  EXPECT_EQ(sample.output.at(0).answer.content, "6");
  EXPECT_EQ(sample.output.at(0).answer.label, Json({{"reference", "6"}}));
  EXPECT_EQ(sample.metadata, Json({{"level", 1}}));

  r = Run("convert --from generic --map input=question -i " + input + " -o " + Path("bad.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("output=PATH is required"));
  r = Run("convert --map input=question -i " + input + " -o " + Path("bad.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--map: only used with --from generic"));
  EXPECT_FALSE(std::filesystem::exists(Path("bad.jsonl")));
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
