#include "cli/output_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "cli/cli_testing.h"

namespace rmg::cli {
namespace {

using testing::ReadFile;

// The scratch directory of CommandTest; no rmg process is run here.
class OutputFileTest : public testing::CommandTest {
 protected:
  void SetUp() override {
    CommandTest::SetUp();
    path_ = Path("out.jsonl");
  }
  std::string path_;
};

TEST_F(OutputFileTest, EachWriteIsInTheFileBeforeItReturns) {
  // Another reader sees the records while the file is still open, as it would
  // after the process were killed: stdio's buffer holds nothing back.
  OutputFile file(path_, /*append=*/false);
  file.Write("{\"a\":1}\n");
  EXPECT_EQ(ReadFile(path_), "{\"a\":1}\n");
  file.Write("{\"b\":2}\n");
  EXPECT_EQ(ReadFile(path_), "{\"a\":1}\n{\"b\":2}\n");
}

TEST_F(OutputFileTest, AppendKeepsWhatWasThere) {
  { OutputFile(path_, false).Write("one\n"); }
  { OutputFile(path_, true).Write("two\n"); }
  EXPECT_EQ(ReadFile(path_), "one\ntwo\n");
  { OutputFile(path_, false).Write("three\n"); }
  EXPECT_EQ(ReadFile(path_), "three\n");
}

TEST_F(OutputFileTest, AnUnwritablePathIsNamed) {
  const std::string nowhere = path_ + "/no/such/dir/out.jsonl";
  try {
    OutputFile file(nowhere, false);
    FAIL() << "opened " << nowhere;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(nowhere + ": cannot open for writing"), std::string::npos) << e.what();
  }
}

// `-i X -o X` truncated X while it was mapped for reading: SIGBUS, and an empty X.
TEST_F(OutputFileTest, TheInputItselfOrAFileInsideTheInputDirectoryIsRefused) {
  const std::string input = Write("in.jsonl", "{}\n");
  const std::string link = Path("link.jsonl");
  std::filesystem::create_hard_link(input, link);
  for (const std::string& output : {input, link, Path("./in.jsonl")}) {
    try {
      CheckOutputIsNotInput(output, input);
      FAIL() << output;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), output + ": is the input file; write the output to another file");
    }
  }
  const std::string directory = Path("data");
  std::filesystem::create_directories(directory + "/sub");
  for (const std::string& output : {directory + "/new.jsonl", directory + "/sub/../x.jsonl", directory + "/sub/y"}) {
    try {
      CheckOutputIsNotInput(output, directory);
      FAIL() << output;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()),
                output + ": is inside the input directory " + directory + "; write the output elsewhere");
    }
  }
  EXPECT_NO_THROW(CheckOutputIsNotInput(Path("other.jsonl"), input));
  EXPECT_NO_THROW(CheckOutputIsNotInput(Path("other.jsonl"), directory));
  EXPECT_NO_THROW(CheckOutputIsNotInput(Path("datax/other.jsonl"), directory));  // a name that only starts alike
  EXPECT_NO_THROW(CheckOutputIsNotInput("", input));                             // stdout
  EXPECT_NO_THROW(CheckOutputIsNotInput(Path("other.jsonl"), Path("missing.jsonl")));
  EXPECT_EQ(ReadFile(input), "{}\n");
}

TEST_F(OutputFileTest, OnlyAJsonLinesNameIsAccepted) {
  for (const char* name : {"out.jsonl", "OUT.JSONL", "out.txt", "out", "/dev/stdout", ""}) {
    EXPECT_NO_THROW(CheckOutputIsJsonLines(name)) << name;
  }
  for (const char* name : {"out.parquet", "out.json", "OUT.Parquet"}) {
    EXPECT_THROW(CheckOutputIsJsonLines(name), std::runtime_error) << name;
  }
}

}  // namespace
}  // namespace rmg::cli
