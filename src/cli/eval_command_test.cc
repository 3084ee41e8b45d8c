// `rmg eval`: runs the real rmg binary as a subprocess, as a user would.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli_testing.h"
#include "rmg/schema.h"

namespace rmg {
namespace {

using testing::CommandResult;
using testing::ReadFile;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class EvalCommandTest : public testing::CommandTest {};

std::string Sample(const std::string& id, const std::string& content) {
  return R"({"unique_id":")" + id + R"(","output":[{"answer":{"content":")" + content + R"("}}]})" + "\n";
}

TEST_F(EvalCommandTest, EvalWritesScoredSamplesInOrderAndASummary) {
  std::string input;
  for (int i = 0; i < 100; ++i) input += Sample("id" + std::to_string(i), std::string(static_cast<size_t>(i), 'x'));
  const CommandResult r = Run("eval --reward length_penalty --param min_length=50 --workers 2 --input " +
                          Write("in.jsonl", input));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    const Json sample = Json::parse(lines[i]);
    EXPECT_EQ(sample["unique_id"], "id" + std::to_string(i));
    const double expected = i < 50 ? -(50 - i) * 0.01 : 0.0;
    EXPECT_NEAR(sample["output"][0]["answer"]["reward"]["score"].get<double>(), expected, 1e-12);
  }
  EXPECT_NE(r.err.find("rmg eval: 100 samples, mean score -0.1275, 0 errors"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no progress bar when stderr is not a terminal";
}

TEST_F(EvalCommandTest, EvalWritesOutputFile) {
  const CommandResult r = Run("eval -r accuracy -i " + Write("in.jsonl", Sample("a", "x")) + " -o " + Path("out.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(Lines(ReadFile(Path("out.jsonl"))).size(), 1u);
}

TEST_F(EvalCommandTest, OutputOverTheInputIsRefusedAndTheInputKept) {
  const std::string input = Write("in.jsonl", Sample("a", "x") + "\n" + Sample("b", "y") + "\n");
  const std::string before = ReadFile(input);
  for (const std::string command : {"eval -r accuracy", "eval -r accuracy --resume", "best-of-n -r accuracy -n 1"}) {
    const CommandResult r = Run(command + " -i " + input + " -o " + input);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_EQ(r.err, "rmg: error: " + input + ": is the input file; write the output to another file\n") << command;
    EXPECT_EQ(ReadFile(input), before) << command;
  }
}

// `-c c.yaml -o c.yaml` replaced the config with the scored samples.
TEST_F(EvalCommandTest, OutputOverTheConfigIsRefusedAndTheConfigKept) {
  const std::string input = Write("in.jsonl", Sample("a", "x"));
  const std::string config = Write("c.yaml", "reward: accuracy\n");
  for (const std::string command : {"eval", "eval --retry-failed", "best-of-n -n 1"}) {
    const CommandResult r = Run(command + " -c " + config + " -i " + input + " -o " + config);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_EQ(r.err, "rmg: error: " + config + ": is the config file; write the output to another file\n") << command;
    EXPECT_EQ(ReadFile(config), "reward: accuracy\n") << command;
  }
}

// JSON lines in a file named .parquet could be read back by nothing, rmg included.
TEST_F(EvalCommandTest, AnOutputNamedForAnotherFormatIsRefused) {
  const std::string input = Write("in.jsonl", Sample("a", "x") + "\n");
  for (const std::string command : {"eval -r accuracy", "best-of-n -r accuracy -n 1"}) {
    const CommandResult r = Run(command + " -i " + input + " -o " + Path("out.parquet"));
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_EQ(r.err, "rmg: error: --output " + Path("out.parquet") +
                         ": the records are written as JSON lines; name a .jsonl file (rmg convert turns it into "
                         "Parquet)\n")
        << command;
    EXPECT_FALSE(std::filesystem::exists(Path("out.parquet"))) << command;
  }
}

TEST_F(EvalCommandTest, UnknownRewardIsOneLineWithSuggestions) {
  const CommandResult r = Run("eval --reward acuracy --input " + Write("in.jsonl", Sample("a", "x")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("unknown reward 'acuracy'; did you mean: accuracy"), std::string::npos) << r.err;
}

TEST_F(EvalCommandTest, MissingInputFileIsNamed) {
  const CommandResult r = Run("eval --reward accuracy --input " + Path("missing.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.jsonl: cannot open"), std::string::npos) << r.err;
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
}

TEST_F(EvalCommandTest, BadParameterIsNamed) {
  const CommandResult r = Run("eval -r length_penalty -p min_length=abc -i " + Write("in.jsonl", Sample("a", "x")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("parameter 'min_length' of reward 'length_penalty': expected int, got 'abc'"),
            std::string::npos)
      << r.err;
  const CommandResult malformed = Run("eval -r length_penalty -p min_length -i " + Path("in.jsonl"));
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("not of the form KEY=VALUE"), std::string::npos) << malformed.err;
}

TEST_F(EvalCommandTest, BadLinesAreListedAndTheRestIsEvaluated) {
  const std::string input = Sample("a", "x") + "{broken json\n" + Sample("b", "y") + "{\"output\":[]}\n" + Sample("c", "z");
  const std::string path = Write("mixed.jsonl", input);
  const CommandResult r = Run("eval -r accuracy -i " + path);
  EXPECT_EQ(r.exit_code, 2);
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(Json::parse(lines[2])["unique_id"], "c");
  EXPECT_NE(r.err.find(path + ":2: invalid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(path + ":4: unique_id: missing required field"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 bad records skipped"), std::string::npos) << r.err;
}

TEST_F(EvalCommandTest, ARunInWhichEverySampleFailedExitsWithOne) {
  // bleu needs a reference; without one each sample gets an error detail.
  const CommandResult failed = Run("eval -r bleu -i " + Write("no_refs.jsonl", Sample("a", "x") + Sample("b", "y")));
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_EQ(Lines(failed.out).size(), 2u) << "the samples are written all the same";
  EXPECT_NE(failed.err.find("2 errors"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("every sample scored failed"), std::string::npos) << failed.err;
  const std::string with_reference =
      R"({"unique_id":"c","output":[{"answer":{"content":"x","label":{"reference":"x"}}}]})"
      "\n";
  const CommandResult one_scored = Run("eval -r bleu -i " + Write("one_ref.jsonl", Sample("a", "x") + with_reference));
  EXPECT_EQ(one_scored.exit_code, 0) << one_scored.err;
  EXPECT_NE(one_scored.err.find("1 errors"), std::string::npos) << one_scored.err;
  EXPECT_EQ(Run("eval -r bleu -i " + Write("empty.jsonl", "")).exit_code, 0) << "no sample, no failure";
}

TEST_F(EvalCommandTest, ResumeSkipsDoneSamplesAndRepairsPartialLine) {
  std::string input;
  for (int i = 0; i < 10; ++i) input += Sample("id" + std::to_string(i), "x");
  const std::string in = Write("in.jsonl", input);
  ASSERT_EQ(Run("eval -r accuracy -i " + in + " -o " + Path("full.jsonl")).exit_code, 0);
  const auto full = Lines(ReadFile(Path("full.jsonl")));
  // An interrupted run: four complete records and half of the fifth.
  std::string partial;
  for (int i = 0; i < 4; ++i) partial += full[i] + "\n";
  partial += full[4].substr(0, full[4].size() / 2);
  Write("out.jsonl", partial);
  const CommandResult r = Run("eval -r accuracy -i " + in + " -o " + Path("out.jsonl") + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("6 samples"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("4 already done"), std::string::npos) << r.err;
  // Written by hand here, the output has no out.jsonl.run: the run says it trusts it.
  EXPECT_NE(r.err.find("out.jsonl has no record of the options that scored it"), std::string::npos) << r.err;
  EXPECT_EQ(Lines(ReadFile(Path("out.jsonl"))), full);
}

// An interrupted --retry-failed leaves the samples it scored again after the others:
// the plain --resume that finishes it put them back only when it was a retry too.
TEST_F(EvalCommandTest, ResumePutsRecordsBackInInputOrder) {
  std::string input;
  for (int i = 0; i < 6; ++i) input += Sample("id" + std::to_string(i), "x");
  const std::string in = Write("in.jsonl", input);
  ASSERT_EQ(Run("eval -r accuracy -i " + in + " -o " + Path("full.jsonl")).exit_code, 0);
  const auto full = Lines(ReadFile(Path("full.jsonl")));
  ASSERT_EQ(full.size(), 6u);
  // Sample 1 scored again and appended, and the run interrupted before sample 5.
  Write("out.jsonl", full[0] + "\n" + full[2] + "\n" + full[3] + "\n" + full[4] + "\n" + full[1] + "\n");
  const CommandResult r = Run("eval -r accuracy -i " + in + " -o " + Path("out.jsonl") + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("5 already done"), std::string::npos) << r.err;
  EXPECT_EQ(Lines(ReadFile(Path("out.jsonl"))), full);
}

// Two samples share an id and the first failed: --retry-failed took its record out of
// the output, then refused the sample as "not the one already scored" (it matched the
// id's scored copies first come, first served), and every later resume did the same.
TEST_F(EvalCommandTest, RetryingAFailedSampleWhoseIdAnotherSampleShares) {
  const std::string with_reference =
      R"({"unique_id":"x","output":[{"answer":{"content":"y","label":{"reference":"y"}}}]})"
      "\n";
  const std::string in = Write("in.jsonl", Sample("x", "no reference: bleu fails") + with_reference);
  const std::string out = Path("out.jsonl");
  const CommandResult first = Run("eval -r bleu -i " + in + " -o " + out);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("1 errors"), std::string::npos) << first.err;
  const auto scored = Lines(ReadFile(out));
  ASSERT_EQ(scored.size(), 2u);
  // The sample fails again (every sample the retry scored failed: exit 1), and is put back.
  const CommandResult retry = Run("eval -r bleu -i " + in + " -o " + out + " --retry-failed");
  EXPECT_EQ(retry.exit_code, 1) << retry.err;
  EXPECT_NE(retry.err.find("1 failed ones scored again"), std::string::npos) << retry.err;
  EXPECT_EQ(Lines(ReadFile(out)), scored);
  const CommandResult resume = Run("eval -r bleu -i " + in + " -o " + out + " --resume");
  EXPECT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_NE(resume.err.find("2 already done"), std::string::npos) << resume.err;
  EXPECT_EQ(Lines(ReadFile(out)), scored);
}

// A sample changed since it was scored is named by its file and line, also when the
// input is a directory of files (it was named by its place among all their records).
TEST_F(EvalCommandTest, ResumeNamesTheFileOfAChangedSampleInADirectory) {
  std::filesystem::create_directories(Path("data/sub"));
  Write("data/a.jsonl", Sample("a0", "x") + Sample("a1", "x"));
  Write("data/sub/b.jsonl", Sample("b0", "x") + Sample("b1", "x"));
  const std::string out = Path("out.jsonl");
  ASSERT_EQ(Run("eval -r accuracy -i " + Path("data") + " -o " + out).exit_code, 0);
  Write("data/sub/b.jsonl", Sample("b0", "x") + Sample("b1", "changed"));
  const CommandResult r = Run("eval -r accuracy -i " + Path("data") + " -o " + out + " --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(Path("data/sub/b.jsonl") + ":2: sample 'b1' is not the one of that unique_id already scored"),
            std::string::npos)
      << r.err;
}

// Ids the output holds in another form than the input's text: none, a number, a lone
// surrogate, a repeated key. A finished run resumed scores nothing and adds nothing.
TEST_F(EvalCommandTest, ResumeOfAFinishedRunAddsNothingWhateverTheIds) {
  const std::string answer = R"("output":[{"answer":{"content":"x","label":{"reference":"x"}}}]})";
  const std::string in = Write("in.jsonl", R"({"unique_id":"",)" + answer + "\n" + R"({"unique_id":5,)" + answer +
                                               "\n" + R"({"unique_id":"x\ud800y",)" + answer + "\n" +
                                               R"({"unique_id":"k","unique_id":"k2",)" + answer + "\n");
  const std::string out = Path("out.jsonl");
  ASSERT_EQ(Run("eval -r accuracy -i " + in + " -o " + out).exit_code, 0);
  const auto full = Lines(ReadFile(out));
  ASSERT_EQ(full.size(), 4u);
  for (int round = 0; round < 2; ++round) {
    const CommandResult r = Run("eval -r accuracy -i " + in + " -o " + out + " --resume");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("4 already done"), std::string::npos) << r.err;
    EXPECT_EQ(Lines(ReadFile(out)), full);
  }
}

TEST_F(EvalCommandTest, ResumeWithAnotherRewardIsRefused) {
  const std::string in = Write("in.jsonl", Sample("a", "x") + Sample("b", "y"));
  ASSERT_EQ(Run("eval -r length_penalty -p min_length=3 -i " + in + " -o " + Path("out.jsonl")).exit_code, 0);
  const std::string scored = ReadFile(Path("out.jsonl"));
  CommandResult r = Run("eval -r accuracy --resume -i " + in + " -o " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(Path("out.jsonl") + " was scored with {\"reward\":\"length_penalty\""), std::string::npos)
      << r.err;
  r = Run("eval -r length_penalty -p min_length=4 --resume -i " + in + " -o " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 2) << "another parameter value";
  EXPECT_EQ(ReadFile(Path("out.jsonl")), scored);
  r = Run("eval -r length_penalty -p min_length=3 --resume -i " + in + " -o " + Path("out.jsonl"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 already done"), std::string::npos) << r.err;
}

TEST_F(EvalCommandTest, ResumeNeedsOutput) {
  const CommandResult r = Run("eval -r accuracy --resume -i " + Write("in.jsonl", Sample("a", "x")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--resume needs --output"), std::string::npos) << r.err;
}

// -o /dev/stdout with stdout sent to a file: the record of the run's options went to
// /dev/stdout.run (as root; as another user the run failed on it, writing nothing).
TEST_F(EvalCommandTest, OutputToDevStdoutSentToAFileWritesNoRecordBesideIt) {
  const std::string in = Write("in.jsonl", Sample("a", "x"));
  const bool record_existed = std::filesystem::exists("/dev/stdout.run");
  const CommandResult r = Run("eval -r accuracy -i " + in + " -o /dev/stdout");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).size(), 1u);
  const CommandResult resumed = Run("eval -r accuracy -i " + in + " -o /dev/stdout --resume");
  EXPECT_EQ(resumed.exit_code, 2);
  EXPECT_NE(resumed.err.find("--resume needs a file as --output: /dev/stdout is a pipe or a device"), std::string::npos)
      << resumed.err;
  if (!record_existed && std::filesystem::exists("/dev/stdout.run")) {
    std::filesystem::remove("/dev/stdout.run");
    ADD_FAILURE() << "rmg wrote /dev/stdout.run";
  }
}

// Resuming into a named pipe waited forever to read it back.
TEST_F(EvalCommandTest, ResumeIntoAPipeIsRefused) {
  const std::string in = Write("in.jsonl", Sample("a", "x"));
  ASSERT_EQ(mkfifo(Path("pipe.jsonl").c_str(), 0600), 0);
  const CommandResult r = RunShell("timeout 60 " + std::string(RMG_BINARY) + " eval -r accuracy -i " + in + " -o " +
                                   Path("pipe.jsonl") + " --resume");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("is a pipe or a device"), std::string::npos) << r.err;
}

TEST_F(EvalCommandTest, ConfigFileChoosesRewardAndParams) {
  const std::string config = Write("c.yaml", "reward: length_penalty\nparams:\n  min_length: 3\n  penalty_rate: 1\n");
  const CommandResult r = Run("eval --config " + config + " -i " + Write("in.jsonl", Sample("a", "x")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(Json::parse(r.out)["output"][0]["answer"]["reward"]["score"].get<double>(), -2.0);
  // --param wins over the file.
  const CommandResult over = Run("eval --config " + config + " -p min_length=1 -i " + Path("in.jsonl"));
  EXPECT_DOUBLE_EQ(Json::parse(over.out)["output"][0]["answer"]["reward"]["score"].get<double>(), 0.0);
}

TEST_F(EvalCommandTest, WorkersTimeoutAndErrorScoreAreChecked) {
  const std::string input = Write("in.jsonl", Sample("a", "x"));
  // Each bad value is one line naming the flag or the config key; none starts a run.
  const std::pair<std::string, std::string> bad[] = {
      {"-w 1000000", "--workers: expected a whole number from 0 (one per core) to 1024, got 1e+06"},
      {"-w -3", "--workers: expected a whole number from 0"},
      {"--timeout -5", "--timeout: expected seconds, 0 or more (0: none), got -5"},
      {"--timeout nan", "--timeout: expected seconds, 0 or more (0: none), got nan"},
      {"--error-score inf", "--error-score: expected a finite number, got inf"},
      {"-c " + Write("w.yaml", "reward: length_penalty\nworkers: 2.5\n"), "w.yaml: workers: expected a whole number"},
      {"-c " + Write("t.yaml", "reward: length_penalty\ntimeout_seconds: abc\n"),
       "t.yaml: timeout_seconds: expected seconds, 0 or more (0: none), got \"abc\""},
      {"-c " + Write("e.yaml", "reward: length_penalty\nerror_score: [1]\n"), "e.yaml: error_score: expected a finite"},
  };
  for (const auto& [flags, message] : bad) {
    const CommandResult r = Run("eval -r length_penalty " + flags + " -i " + input);
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << ": " << r.err;
    EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.out, "") << flags;
  }
  // A timeout too long for the clock is no timeout, not one that has passed.
  for (const char* timeout : {"1e300", "inf"}) {
    const CommandResult r = Run(std::string("eval -r length_penalty --timeout ") + timeout + " -i " + input);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(", 0 errors"), std::string::npos) << timeout << ": " << r.err;
  }
  // --error-score wins over the config's error_score, as every flag does.
  const std::string config = Write("s.yaml", "reward: length_penalty\nerror_score: 0.5\n");
  const CommandResult timed_out =
      Run("eval -c " + config + " --error-score -1 --timeout 1e-9 -i " + input);
  EXPECT_DOUBLE_EQ(Json::parse(timed_out.out)["output"][0]["answer"]["reward"]["score"].get<double>(), -1.0)
      << timed_out.out;
}

TEST_F(EvalCommandTest, BundledExampleRuns) {
  const std::string root = RMG_SOURCE_DIR;
  const CommandResult r = Run("eval --config " + root + "/examples/rewards.yaml --input " + root + "/examples/samples.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).size(), 8u);
  EXPECT_NE(r.err.find("8 samples"), std::string::npos);
}

}  // namespace
}  // namespace rmg

namespace rmg {
namespace {

TEST_F(EvalCommandTest, ProgressBarOnATerminal) {
  std::string input;
  for (int i = 0; i < 300; ++i) input += Sample("id" + std::to_string(i), "x");
  const std::string in = Write("in.jsonl", input);
  // util-linux's script(1) gives rmg a pseudo-terminal and copies what it draws.
  const CommandResult r =
      RunShell("script -qec '" + std::string(RMG_BINARY) + " eval -r accuracy -o /dev/null -i " + in + "' /dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\r["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("300/300 100%"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rmg
