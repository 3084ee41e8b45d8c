// Runs `rmg bench` as a user would, on the shared RM-Bench and JudgeBench files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/judgebench.h"
#include "bench/rmbench.h"
#include "bench/testing.h"
#include "cli/cli_testing.h"
#include "llm/testing/scripted_server.h"

namespace rmg {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::CommandResult;
using testing::ReadFile;

class BenchCommandTest : public testing::CommandTest {
 protected:
  static std::string SharedFile(const std::string& name) {
    return std::string(RMG_SHARED_DATA_DIR) + "/preference/" + name;
  }
};

// length_penalty with a minimum no response reaches scores every response by its
// length in characters (longer = higher), the stand-in reward of bench/testing.h.
const char* kLengthReward = "--reward length_penalty --param min_length=1000000 --param max_length=2000000";

TEST_F(BenchCommandTest, RmBenchReportMatchesTheLibraryOnLengthScores) {
  const CommandResult r = Run("bench rmbench --input " + SharedFile("rmbench_chat.jsonl") + " " + kLengthReward +
                              " --report " + Path("report.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(ReadFile(Path("report.json")));
  const bench::RmBenchResult expected =
      bench::EvaluateRmBench(bench::testing::LoadLengthScored("rmbench_chat.jsonl").samples);
  const Json& metrics = report["metrics"];
  EXPECT_DOUBLE_EQ(metrics["hard_acc"].get<double>(), expected.overall.hard_acc);
  EXPECT_DOUBLE_EQ(metrics["normal_acc"].get<double>(), expected.overall.normal_acc);
  EXPECT_DOUBLE_EQ(metrics["easy_acc"].get<double>(), expected.overall.easy_acc);
  EXPECT_DOUBLE_EQ(metrics["total_avg_acc"].get<double>(), expected.overall.total_avg_acc);
  EXPECT_EQ(report["benchmark"], "rmbench");
  EXPECT_EQ(report["reward"], "length_penalty");
  EXPECT_EQ(report["samples"], 129);

  // The Markdown goes to stdout and beside the report, the chart beside it too.
  EXPECT_THAT(r.out, HasSubstr("| hard_acc | "));
  EXPECT_EQ(ReadFile(Path("report.md")), r.out);
  EXPECT_THAT(ReadFile(Path("report.svg")), HasSubstr(">chosen style<"));
  // The scored samples are kept beside the report.
  std::ifstream scored(Path("report.scored.jsonl"));
  size_t lines = 0;
  for (std::string line; std::getline(scored, line);) lines += !line.empty();
  EXPECT_EQ(lines, 129u);
}

TEST_F(BenchCommandTest, RewardBenchFromParquetAnotherToolWrote) {
  // RewardBench's published layout in a Parquet file written by hyparquet-writer
  // (src/data/testdata/make_rewardbench_hyparquet.mjs). By length in characters the
  // chosen answer wins in math-prm (13 > 1) and in one of the two alpacaeval-easy
  // pairs (15 > 5 but 15 < 16).
  const std::string input = std::string(RMG_SOURCE_DIR) + "/src/data/testdata/rewardbench_hyparquet.parquet";
  const CommandResult r = Run("bench rewardbench --from rewardbench --input " + input + " " + kLengthReward +
                              " --no-progress --report " + Path("report.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json metrics = Json::parse(ReadFile(Path("report.json")))["metrics"];
  EXPECT_EQ(metrics["per_subset"]["math-prm"], Json::parse(R"({"accuracy":1.0,"prompts":1})"));
  EXPECT_EQ(metrics["per_subset"]["alpacaeval-easy"], Json::parse(R"({"accuracy":0.5,"prompts":2})"));
  EXPECT_EQ(metrics["per_section"], Json::parse(R"({"Chat":0.5,"Reasoning":1.0})"));
  EXPECT_DOUBLE_EQ(metrics["score"].get<double>(), 0.75);
}

TEST_F(BenchCommandTest, ResumeScoresOnlyWhatIsMissing) {
  const std::string input = SharedFile("rmbench_safety-response.jsonl");
  CommandResult r = Run("bench rmbench --input " + input + " " + kLengthReward + " --output " + Path("full.jsonl") +
                        " --report " + Path("full.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // An interrupted run: 40 complete samples and half of the 41st.
  std::stringstream full(ReadFile(Path("full.jsonl")));
  std::string partial;
  std::string line;
  for (int i = 0; i < 40 && std::getline(full, line); ++i) partial += line + "\n";
  std::getline(full, line);
  partial += line.substr(0, line.size() / 2);
  Write("partial.jsonl", partial);

  r = Run("bench rmbench --input " + input + " " + kLengthReward + " --output " + Path("partial.jsonl") +
          " --resume --report " + Path("resumed.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("40 already scored"));
  const Json first = Json::parse(ReadFile(Path("full.json")));
  const Json resumed = Json::parse(ReadFile(Path("resumed.json")));
  EXPECT_EQ(resumed["metrics"], first["metrics"]);
}

TEST_F(BenchCommandTest, ResumeWithAnotherRewardIsRefused) {
  const std::string input = SharedFile("rmbench_chat.jsonl");
  CommandResult r = Run("bench rmbench --input " + input + " " + kLengthReward + " --report " + Path("r.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run("bench rmbench --input " + input + " --reward reasoning_format --resume --report " + Path("r.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("r.scored.jsonl was scored with {\"reward\":\"length_penalty\""));
}

TEST_F(BenchCommandTest, SamplesSharingAUniqueIdAreRefused) {
  // A report inside the input directory is refused at once: a second run would find
  // the first one's scored samples among its inputs.
  std::filesystem::create_directories(Path("data"));
  std::filesystem::copy_file(SharedFile("rmbench_chat.jsonl"), Path("data/chat.jsonl"));
  CommandResult r =
      Run("bench rmbench --input " + Path("data") + " " + kLengthReward + " --report " + Path("data/report.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("report.scored.jsonl: is inside the input directory"));
  // Scored samples put there by hand are named as what they probably are.
  ASSERT_EQ(
      Run("bench rmbench --input " + Path("data") + " " + kLengthReward + " --report " + Path("report.json")).exit_code,
      0);
  std::filesystem::copy_file(Path("report.scored.jsonl"), Path("data/report.scored.jsonl"));
  r = Run("bench rmbench --input " + Path("data") + " " + kLengthReward + " --report " + Path("again.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("is used by 2 samples; a benchmark needs one sample per id (is an earlier run's"));
}

TEST_F(BenchCommandTest, AReportNamedLikeItsMarkdownOrSvgIsRefused) {
  for (const char* report : {"r.md", "r.svg"}) {
    const CommandResult r = Run("bench rmbench --input " + SharedFile("rmbench_chat.jsonl") + " " + kLengthReward +
                                " --report " + Path(report));
    EXPECT_EQ(r.exit_code, 2) << report;
    EXPECT_THAT(r.err, HasSubstr(": name the JSON report (e.g. report.json); its .md and .svg are written beside it"));
    EXPECT_FALSE(std::filesystem::exists(Path(report))) << report;
  }
}

TEST_F(BenchCommandTest, JudgeBenchFromScoresInTheData) {
  // Scores written by "another process" into label.score: the response length.
  std::string data;
  for (nlohmann::json record : rmg::testing::ReadSharedJsonl("preference/judgebench_claude.jsonl")) {
    for (auto& output : record["output"]) {
      const std::string content = output["answer"]["content"].get<std::string>();
      output["answer"]["label"]["score"] = bench::testing::CharacterCount(content);
    }
    data += record.dump() + "\n";
  }
  Write("judgebench.jsonl", data);
  const CommandResult r = Run("bench judgebench --input " + Path("judgebench.jsonl") +
                              " --scores-from label.score --report " + Path("jb.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(ReadFile(Path("jb.json")));
  const bench::JudgeBenchResult expected = bench::EvaluateJudgeBench(
      bench::testing::LoadLengthScored("judgebench_claude.jsonl").samples, bench::JudgeBenchMode::kRewardModel);
  EXPECT_DOUBLE_EQ(report["metrics"]["overall"].get<double>(), expected.overall.accuracy());
  EXPECT_EQ(report["scores_from"], "label.score");
  EXPECT_THAT(ReadFile(Path("jb.svg")), HasSubstr(">knowledge<"));
}

TEST_F(BenchCommandTest, BadUsageNamesTheProblem) {
  const std::string input = SharedFile("rmbench_chat.jsonl");
  CommandResult r = Run("bench nosuch --input " + input + " --reward length_penalty");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown benchmark 'nosuch' (known: "));
  EXPECT_THAT(r.err, HasSubstr("rmbench"));

  r = Run("bench rmbench --input " + input);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("exactly one of --reward"));

  // Unscored data: the evaluator names the sample and the missing score.
  r = Run("bench rmbench --input " + input + " --scores-from label.score");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("label.score"));
  EXPECT_THAT(r.err, Not(HasSubstr("--from"))) << "the samples are DataSamples: no converter is missing";

  // Published records read as DataSamples: the error suggests the converter.
  r = Run("bench rmbench --input " + std::string(RMG_SOURCE_DIR) +
          "/examples/bench/rmbench_sample.jsonl --reward length_penalty");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("need --from rmbench"));
}

TEST_F(BenchCommandTest, BadRecordsAreListedAndTheRestEvaluated) {
  std::stringstream in(ReadFile(SharedFile("rmbench_chat.jsonl")));
  std::string data;
  std::string line;
  for (int i = 0; i < 5 && std::getline(in, line); ++i) data += line + "\n";
  data += "{not json\n";
  Write("mixed.jsonl", data);
  const CommandResult r = Run("bench rmbench --input " + Path("mixed.jsonl") + " " + kLengthReward);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("mixed.jsonl:6: invalid JSON: parse error at line 1"));  // no nlohmann tag
  EXPECT_THAT(r.err, HasSubstr("5 samples"));
  EXPECT_THAT(r.out, HasSubstr("| total_avg_acc | "));
}

// A sample whose labels do not fit stopped the whole run, and only after every sample
// had been scored (an LLM judge's calls paid for nothing): it is now listed, and the
// rest are scored and reported.
TEST_F(BenchCommandTest, ASampleThatDoesNotFitIsListedBeforeScoringAndTheRestReported) {
  std::stringstream in(ReadFile(SharedFile("rmbench_chat.jsonl")));
  std::string data;
  std::string line;
  for (int i = 0; i < 5 && std::getline(in, line); ++i) {
    Json record = Json::parse(line);
    if (i == 2) record["output"][4]["answer"]["label"].erase("style_index");
    data += record.dump() + "\n";
  }
  Write("unfit.jsonl", data);
  const CommandResult r = Run("bench rmbench --input " + Path("unfit.jsonl") + " " + kLengthReward + " --report " +
                              Path("unfit_report.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unfit.jsonl:3: RM-Bench sample"));  // the line it came from
  EXPECT_THAT(r.err, HasSubstr("output[4].answer.label.style_index"));
  EXPECT_THAT(r.err, HasSubstr("4 samples"));
  EXPECT_THAT(r.out, HasSubstr("| total_avg_acc | "));
  std::ifstream scored(Path("unfit_report.scored.jsonl"));
  size_t lines = 0;
  for (std::string scored_line; std::getline(scored, scored_line);) lines += !scored_line.empty();
  EXPECT_EQ(lines, 4u);
}

// A failed unit's error score was counted as a real one: with bleu, an output without a
// reference scored 0 and lost (or, as chosen, tied) its pair. The sample is now left out
// of the figures and listed, in this run and when the run is resumed from its file.
TEST_F(BenchCommandTest, ASampleWithAFailedUnitIsLeftOutOfTheFigures) {
  std::string data;
  for (int i = 0; i < 4; ++i) {
    Json sample =
        Json::parse(R"({"input": [{"role": "user", "content": "q"}], "metadata": {"subset": "alpacaeval-easy"},
        "output": [{"answer": {"role": "assistant", "content": "the cat sat on the mat",
                               "label": {"preference": "chosen", "reference": "the cat sat on the mat"}}},
                   {"answer": {"role": "assistant", "content": "dogs run fast",
                               "label": {"preference": "rejected", "reference": "the cat sat on the mat"}}}]})");
    sample["unique_id"] = "rb" + std::to_string(i);
    if (i < 2) sample["output"][i]["answer"]["label"].erase("reference");  // bleu fails on this output
    data += sample.dump() + "\n";
  }
  Write("failing.jsonl", data);
  const std::string command = "bench rewardbench --input " + Path("failing.jsonl") +
                              " --reward bleu --no-progress --error-score 1 --report " + Path("failing.json");
  for (const char* resume : {"", " --resume"}) {
    const CommandResult r = Run(command + resume);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("sample rb0: 1 of its units failed; left out of the figures"));
    EXPECT_THAT(r.err, HasSubstr("sample rb1: 1 of its units failed"));
    const Json report = Json::parse(ReadFile(Path("failing.json")));
    EXPECT_EQ(report["failed_samples"], 2) << resume;
    EXPECT_EQ(report["metrics"]["per_subset"]["alpacaeval-easy"], Json::parse(R"({"accuracy":1.0,"prompts":2})"));
  }
  // The scored file scored again by a reward that does not fail: the marks of the first
  // run leave nothing out.
  const CommandResult again = Run("bench rewardbench --input " + Path("failing.scored.jsonl") + " " + kLengthReward +
                                  " --no-progress --report " + Path("again.json"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Json::parse(ReadFile(Path("again.json")))["failed_samples"], 0);
}

// bench majority left a sample without a reference out of its figures silently, exit 0.
TEST_F(BenchCommandTest, MajorityListsTheSamplesItLeavesOut) {
  std::string data = ReadFile(std::string(RMG_SOURCE_DIR) + "/examples/bench/majority_sample.jsonl");
  data +=
      R"({"unique_id": "noref", "input": [{"role": "user", "content": "q"}], "output": [{"answer": {"content": "\\boxed{1}"}}]})"
      "\n";
  Write("majority.jsonl", data);
  const CommandResult r = Run("bench majority --input " + Path("majority.jsonl") +
                              " --reward length_penalty --report " + Path("majority_report.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("sample noref"));
  EXPECT_THAT(r.out, HasSubstr("| metric | value |"));
  EXPECT_EQ(Json::parse(ReadFile(Path("majority_report.json")))["bad_records"], 1);
  // With no usable sample at all, there are no figures: an error, not a report of zeros.
  Write("only_bad.jsonl", data.substr(data.rfind("{\"unique_id\": \"noref\"")));
  const CommandResult none = Run("bench majority --input " + Path("only_bad.jsonl") +
                                 " --reward length_penalty --report " + Path("none_report.json"));
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("sample noref"));
  EXPECT_THAT(none.err, HasSubstr("no sample could be used"));
  EXPECT_FALSE(std::filesystem::exists(Path("none_report.json")));
}

// `--report` named the input: the report replaced the data it was computed from.
TEST_F(BenchCommandTest, AReportOverTheInputOrTheConfigIsRefused) {
  const std::string data = ReadFile(SharedFile("rmbench_chat.jsonl"));
  const std::string input = Write("d.jsonl", data);
  CommandResult r = Run("bench rmbench --input " + input + " " + kLengthReward + " --report " + input);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(input + ": is the input file"));
  // The Markdown report beside a JSON one named like the input.
  const std::string markdown_input = Write("e.md", data);
  r = Run("bench rmbench --input " + markdown_input + " " + kLengthReward + " --report " + Path("e.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(markdown_input + ": is the input file"));
  EXPECT_EQ(ReadFile(markdown_input), data);
  const std::string config = Write("c.json", "{\"reward\": \"length_penalty\"}");
  r = Run("bench rmbench --input " + input + " --config " + config + " --report " + config);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(config + ": is the config file"));
  EXPECT_EQ(ReadFile(input), data);
  EXPECT_EQ(ReadFile(config), "{\"reward\": \"length_penalty\"}");
}

// The scored samples overwritten by the Markdown report, or written as JSONL into a
// .json file that the run then failed to read back after scoring everything.
TEST_F(BenchCommandTest, AnOutputThatIsAReportFileOrNotJsonlIsRefused) {
  const std::string input = SharedFile("rmbench_chat.jsonl");
  CommandResult r = Run("bench rmbench --input " + input + " " + kLengthReward + " --report " + Path("r2.json") +
                        " --output " + Path("r2.md"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("is also a report file"));
  r = Run("bench rmbench --input " + input + " " + kLengthReward + " --output " + Path("s.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("the records are written as JSON lines; name a .jsonl file"));
  EXPECT_FALSE(std::filesystem::exists(Path("s.json")));
  EXPECT_FALSE(std::filesystem::exists(Path("r2.md")));
}

// A pointwise reward ranks outputs, so it can never form a cycle: every pair of
// each RM-Bench item's six responses is compared (15 per item), none conflicts.
TEST_F(BenchCommandTest, ConflictOfAPointwiseRewardIsZero) {
  const CommandResult r = Run("bench conflict --input " + SharedFile("rmbench_chat.jsonl") + " " + kLengthReward +
                              " --report " + Path("conflict.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(ReadFile(Path("conflict.json")));
  EXPECT_EQ(report["samples"], 129);
  EXPECT_EQ(report["metrics"]["samples"], 129);
  EXPECT_EQ(report["metrics"]["comparisons"], 129 * 15);  // ties included
  EXPECT_EQ(report["metrics"]["cycles"], 0);
  EXPECT_EQ(report["metrics"]["conflict_rate"], 0.0);
  EXPECT_EQ(report["per_sample"].size(), 129u);
}

// JudgeBench with an LLM judge playing both orders, against the scripted
// OpenAI-compatible server: a consistent judge and a position-biased one.
TEST_F(BenchCommandTest, JudgeBenchWithAPairwiseLlmJudge) {
  // Published JudgeBench records: GOOD marks the correct response; the third pair
  // has two GOOD responses, so a judge that is consistent calls it a tie (wrong).
  const std::string input = Write("pairs.jsonl",
                                  R"({"pair_id": "p1", "source": "livebench-math", "question": "q1", "response_A": "GOOD one", "response_B": "bad one", "label": "A>B"})"
                                  "\n"
                                  R"({"pair_id": "p2", "source": "mmlu-pro-law", "question": "q2", "response_A": "bad two", "response_B": "GOOD two", "label": "B>A"})"
                                  "\n"
                                  R"({"pair_id": "p3", "source": "livecodebench", "question": "q3", "response_A": "GOOD three", "response_B": "GOOD 3", "label": "A>B"})"
                                  "\n");
  auto run = [&](const Json& rules, const std::string& report) {
    auto server = llm::testing::ScriptedServer::StartWithScript(Json{{"rules", rules}});
    return RunShell("OPENAI_API_KEY=k BASE_URL=" + server->base_url() + " " + std::string(RMG_BINARY) +
                    " bench judgebench --from judgebench --no-cache --reward base_helpfulness_pairwise --input " +
                    input + " --report " + Path(report));
  };
  const Json consistent = Json::array(
      {Json{{"match", "## Answer A\nGOOD"}, {"reply", "<reason>A is right</reason><preference>A</preference>"}},
       Json{{"match", "## Answer B\nGOOD"}, {"reply", "<reason>B is right</reason><preference>B</preference>"}}});
  CommandResult r = run(consistent, "consistent.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json report = Json::parse(ReadFile(Path("consistent.json")));
  // p1 and p2 right in both orders; p3: A in one order, the other response in
  // the swapped one, which sums to a tie.
  EXPECT_DOUBLE_EQ(report["metrics"]["overall"].get<double>(), 2.0 / 3.0);
  EXPECT_EQ(report["metrics"]["per_source"]["livecodebench"], 0.0);
  EXPECT_THAT(r.err, HasSubstr("LLM 6 requests"));

  const Json always_a =
      Json::array({Json{{"match", "## Answer A"}, {"reply", "<reason>first</reason><preference>A</preference>"}}});
  r = run(always_a, "biased.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  report = Json::parse(ReadFile(Path("biased.json")));
  EXPECT_DOUBLE_EQ(report["metrics"]["overall"].get<double>(), 0.0);

  // The same judge inside a composition is still judged as a judge: its equal scores
  // were read as a reward model's, whose ties count as B>A, and p2 came out right.
  const std::string config =
      Write("composed.yaml", "reward: {compose: weighted, name: judged, rewards: {j: base_helpfulness_pairwise}}\n");
  auto server = llm::testing::ScriptedServer::StartWithScript(Json{{"rules", always_a}});
  r = RunShell("OPENAI_API_KEY=k BASE_URL=" + server->base_url() + " " + std::string(RMG_BINARY) +
               " bench judgebench --from judgebench --no-cache --config " + config + " --input " + input +
               " --report " + Path("composed.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  report = Json::parse(ReadFile(Path("composed.json")));
  EXPECT_DOUBLE_EQ(report["metrics"]["overall"].get<double>(), 0.0);
}

}  // namespace
}  // namespace rmg
