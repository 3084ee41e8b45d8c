// Runs `rmg data` as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/cli_testing.h"
#include "rmg/data_loader.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;

class DataCommandTest : public testing::CommandTest {
 protected:
  // The unique_ids of the records of a data file, in order.
  static std::vector<std::string> Ids(const std::string& path) {
    std::vector<std::string> ids;
    for (const LoadedRecord& record : LoadRecords(path)) ids.push_back(record.value["unique_id"].get<std::string>());
    return ids;
  }
};

std::string Sample(const std::string& id, const std::string& prompt, const std::string& category,
                   const std::string& answer) {
  return R"({"unique_id": ")" + id + R"(", "input": [{"role": "user", "content": "q"}], "output": [{"answer": )" +
         R"({"role": "assistant", "content": ")" + answer + R"("}}], "task_category": ")" + category +
         R"(", "metadata": {"prompt_id": ")" + prompt + R"("}})" + "\n";
}

// s0..s9 over prompts p0..p4 as in split_test.cc, then one math sample and one
// with a long answer: 12 valid samples.
std::string Input() {
  const char* prompts[] = {"p0", "p1", "p2", "p0", "p3", "p4", "p2", "p0", "p3", "p4"};
  std::string text;
  for (int i = 0; i < 10; ++i) text += Sample("s" + std::to_string(i), prompts[i], "chat", "short answer");
  text += Sample("math", "p9", "math", "short answer");
  text += Sample("long", "p8", "chat", std::string(300, 'x'));
  return text;
}

TEST_F(DataCommandTest, FiltersAndGroupedSplit) {
  Write("in.jsonl", Input() + R"({"input": []})"
                              "\n");  // line 13 is not a DataSample
  const std::string config = Write("pipeline.yaml", R"(
load: {path: in.jsonl}
process:
  - filter: text_length
    of: outputs
    max: 100
  - filter: expression
    expression: task_category != "math" and metadata.prompt_id in ["p0", "p1", "p2", "p3", "p4"]
export:
  path: out/pairs.jsonl
  split: {train: 0.8, group_by: metadata.prompt_id, seed: 42}
)");
  const CommandResult r = Run("data --config " + config);
  // The invalid record is reported and makes the exit code 2; the rest is written.
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("load: 13 records from " + Path("in.jsonl") + ", 12 samples"));
  EXPECT_THAT(r.err, HasSubstr("process[0] text_length: kept 11 of 12"));
  EXPECT_THAT(r.err, HasSubstr("process[1] expression: kept 10 of 11"));
  EXPECT_THAT(r.err, HasSubstr(Path("in.jsonl") + ":13: "));
  // Hand-worked in split_test.cc: seed 42 takes p2, p3, p4, p0 (9 samples >= 8), p1 goes to test.
  EXPECT_EQ(Ids(Path("out/pairs_train.jsonl")),
            (std::vector<std::string>{"s0", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"}));
  EXPECT_EQ(Ids(Path("out/pairs_test.jsonl")), (std::vector<std::string>{"s1"}));
  EXPECT_THAT(r.err, HasSubstr("5 groups by metadata.prompt_id, 9 train samples"));
}

// A line that is not JSON at all is listed and left out like one that is not a sample;
// it used to stop the pipeline before anything was written.
TEST_F(DataCommandTest, ALineThatIsNotJsonIsListedAndTheRestExported) {
  Write("in.jsonl", Input() + "{\"unique_id\": \"g3\", broken\n");
  const std::string config = Write("pipeline.yaml", "load: {path: in.jsonl}\nexport: {path: out/all.jsonl}\n");
  const CommandResult r = Run("data --config " + config);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(Path("in.jsonl") + ":13: invalid JSON"));
  EXPECT_THAT(r.err, HasSubstr("load: 13 records from " + Path("in.jsonl") + ", 12 samples"));
  EXPECT_EQ(Ids(Path("out/all.jsonl")).size(), 12u);
}

TEST_F(DataCommandTest, AnExportInsideTheInputDirectoryIsRefused) {
  Write("in/a.jsonl", Input());
  const std::string config = Write("pipeline.yaml", "load: {path: in}\nexport: {path: in/merged.jsonl}\n");
  const CommandResult r = Run("data --config " + config);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("inside the input directory"));
  EXPECT_FALSE(std::filesystem::exists(Path("in/merged.jsonl")));
}

TEST_F(DataCommandTest, AnExportPathThatIsADirectoryIsRefused) {
  Write("in.jsonl", Input());
  for (const char* path : {"outdir/", "outdir/.jsonl", "outdir/..", "outdir/."}) {
    const std::string config =
        Write("pipeline.yaml", std::string("load: {path: in.jsonl}\nexport: {path: ") + path + "}\n");
    const CommandResult r = Run("data --config " + config);
    EXPECT_EQ(r.exit_code, 2) << path;
    EXPECT_THAT(r.err, HasSubstr("export.path")) << r.err;
    EXPECT_FALSE(std::filesystem::exists(Path("outdir/.jsonl")));
  }
}

TEST_F(DataCommandTest, AHiddenFileAndASeedPast2To63AreAccepted) {
  Write("in.jsonl", Input());
  const std::string config = Write("pipeline.yaml", R"(
load: {path: in.jsonl}
export: {path: outdir/.hidden.jsonl, split: {train: 0.5, seed: 18446744073709551615}}
)");
  const CommandResult r = Run("data --config " + config);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Ids(Path("outdir/.hidden_train.jsonl")).size() + Ids(Path("outdir/.hidden_test.jsonl")).size(), 12u);
}

TEST_F(DataCommandTest, SampleWithoutGroupKeyIsReportedAndLeftOut) {
  Write("in.jsonl", Input() + R"({"unique_id": "orphan", "input": [], "output": []})"
                              "\n");
  const std::string config = Write("pipeline.yaml", R"(
load: {path: in.jsonl}
export: {path: out.json, split: {train: 0.5, group_by: metadata.prompt_id}}
)");
  const CommandResult r = Run("data --config " + config);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("sample 'orphan': no metadata.prompt_id to group by"));
  // Counted as what it is, not as an invalid record.
  EXPECT_THAT(r.err, HasSubstr("rmg data: 1 of 13 kept samples have no metadata.prompt_id and are in neither file\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("invalid")));
  // The 12 samples with a prompt_id are all written, on one side or the other.
  EXPECT_EQ(Ids(Path("out_train.json")).size() + Ids(Path("out_test.json")).size(), 12u);
}

TEST_F(DataCommandTest, AGroupPathNoSampleHasIsCalledOut) {
  Write("in.jsonl", Input());
  const std::string config = Write("pipeline.yaml", R"(
load: {path: in.jsonl}
export: {path: out.json, split: {train: 0.5, group_by: metadata.prompt_idd}}
)");
  const CommandResult r = Run("data --config " + config);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("12 of 12 kept samples have no metadata.prompt_idd and are in neither file "
                               "(is export.split.group_by the right path?)"));
}

TEST_F(DataCommandTest, OneParquetFileWithoutSplit) {
  Write("in.jsonl", Input());
  const std::string config = Write("pipeline.yaml", R"(
load: {path: in.jsonl, limit: 5, seed: 3}
process:
  - {filter: conversation_turns, count: user_turns, min: 1, max: 1}
export: {path: kept, format: parquet}
)");
  const CommandResult r = Run("data -c " + config);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> ids = Ids(Path("kept.parquet"));
  EXPECT_EQ(ids.size(), 5u);
  // The same limit and seed pick the same records as LoadRecords does.
  std::vector<std::string> expected;
  for (const LoadedRecord& record : LoadRecords(Path("in.jsonl"), LoadOptions{5, 3})) {
    expected.push_back(record.value.value("unique_id", "?"));
  }
  EXPECT_EQ(ids, expected);
  EXPECT_THAT(r.err, HasSubstr("export: 5 samples to " + Path("kept.parquet")));
}

// An upper-case extension names the format too, and the file keeps it: KEPT.PARQUET was
// written as JSON lines to KEPT.PARQUET.jsonl.
TEST_F(DataCommandTest, TheExportPathsExtensionInAnyCase) {
  Write("in.jsonl", Input());
  const CommandResult r =
      Run("data -c " + Write("pipeline.yaml", "load: {path: in.jsonl}\nexport: {path: KEPT.PARQUET}\n"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Ids(Path("KEPT.PARQUET")).size(), 12u);
  EXPECT_FALSE(std::filesystem::exists(Path("KEPT.PARQUET.jsonl")));
  const CommandResult mismatch =
      Run("data -c " + Write("bad.yaml", "load: {path: in.jsonl}\nexport: {path: out.JSON, format: parquet}\n"));
  EXPECT_THAT(mismatch.err, HasSubstr("export.format: 'parquet' differs from the path's extension '.JSON'"));
}

TEST_F(DataCommandTest, ConfigErrorsNameTheFileAndKey) {
  Write("in.jsonl", Input());
  const auto error_of = [&](const std::string& yaml) {
    const CommandResult r = Run("data --config " + Write("bad.yaml", yaml));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(Path("out.jsonl")));
    return r.err;
  };
  const std::string file = Path("bad.yaml");
  EXPECT_THAT(error_of("load: {path: in.jsonl}\nexport: {path: out.jsonl}\nprocess:\n  - {filter: text_length}\n"
                       "  - {filter: text_length, max: -3}\n"),
              HasSubstr(file + ": process[1].max: expected a non-negative integer"));
  EXPECT_THAT(error_of("load: {path: in.jsonl, format: rewardbench9}\nexport: {path: out.jsonl}\n"),
              HasSubstr(file + ": load.format: unknown format 'rewardbench9' (known: none, "));
  EXPECT_THAT(error_of("load: {path: in.jsonl}\nexport: {path: out.jsonl, format: json}\n"),
              HasSubstr(file + ": export.format: 'json' differs from the path's extension '.jsonl'"));
  EXPECT_THAT(error_of("load: {path: in.jsonl}\n"), HasSubstr(file + ": export: expected a mapping"));
  EXPECT_THAT(error_of("load: {path: in.jsonl}\nexport: {path: out.jsonl, split: {train: 1.2}}\n"),
              HasSubstr(file + ": export.split.train: expected the train share"));
  EXPECT_THAT(error_of("load: {path: in.jsonl}\nexport: {path: out.jsonl}\nproces: []\n"),
              HasSubstr(file + ": proces: unknown key"));
  EXPECT_THAT(error_of("load: {path: in.jsonl}\nexport: {path: out.jsonl}\nprocess:\n"
                       "  - {filter: expression, expression: 'a == (1'}\n"),
              HasSubstr(file + ": process[0].expression: column 6: "));
  EXPECT_THAT(error_of("load: {path: nope.jsonl}\nexport: {path: out.jsonl}\n"), HasSubstr(Path("nope.jsonl")));
}

TEST_F(DataCommandTest, ConverterFormatAndJsonExport) {
  // A RewardBench record converted on load (bench/converters.h).
  Write("rb.jsonl", R"({"prompt": "2+2?", "chosen": "4", "rejected": "5", "subset": "math-prm", "id": 7})"
                    "\n");
  const std::string config = Write("pipeline.yaml", R"(
load: {path: rb.jsonl, format: rewardbench}
process:
  - filter: expression
    expression: output.0.answer.label.preference == "chosen" and metadata.subset == "math-prm"
export: {path: converted.json}
)");
  const CommandResult r = Run("data --config " + config);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json written = Json::parse(ReadFile(Path("converted.json")));
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0]["unique_id"], "rewardbench/math-prm/7");
}

TEST_F(DataCommandTest, ExampleConfigRuns) {
  const std::string example = std::string(RMG_SOURCE_DIR) + "/examples/pipeline.yaml";
  std::filesystem::copy_file(example, Path("pipeline.yaml"));
  std::filesystem::copy_file(std::string(RMG_SOURCE_DIR) + "/examples/samples.jsonl", Path("samples.jsonl"));
  const CommandResult r = Run("data --config " + Path("pipeline.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The filters keep 7 of 8 (ex-005's answer has 136 characters). An independent
  // Python MT19937-64 running split.h's shuffle orders the 7 groups (seed 42)
  // ex-002, ex-006, ex-004, ex-007, ex-001, ex-003, ex-008; train takes 6 (>= 0.8 * 7).
  EXPECT_THAT(r.err, HasSubstr("process[1] text_length: kept 7 of 8"));
  EXPECT_EQ(Ids(Path("pipeline-out/samples_test.jsonl")), (std::vector<std::string>{"ex-008"}));
  EXPECT_EQ(Ids(Path("pipeline-out/samples_train.jsonl")),
            (std::vector<std::string>{"ex-001", "ex-002", "ex-003", "ex-004", "ex-006", "ex-007"}));
}

}  // namespace
}  // namespace rmg
