// `rmg best-of-n` run as a user runs it, on real files.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_testing.h"
#include "rmg/schema.h"

namespace rmg {
namespace {

class BestOfNCommandTest : public testing::CommandTest {
 protected:
  // A math sample whose outputs answer `answers` to a problem whose reference is 4.
  static std::string Sample(const std::string& id, const std::vector<std::string>& answers) {
    Json outputs = Json::array();
    for (const std::string& answer : answers) {
      outputs.push_back(Json{{"answer", {{"role", "assistant"}, {"content", "\\boxed{" + answer + "}"},
                                         {"label", {{"reference", "4"}}}}}});
    }
    return Json{{"unique_id", id}, {"input", Json::array({Json{{"role", "user"}, {"content", "2+2?"}}})},
                {"output", outputs}}
        .dump();
  }

  static std::vector<Json> Lines(const std::string& text) {
    std::vector<Json> lines;
    for (size_t start = 0; start < text.size();) {
      const size_t end = text.find('\n', start);
      lines.push_back(Json::parse(text.substr(start, end - start)));
      start = end + 1;
    }
    return lines;
  }

  static std::vector<std::string> Contents(const Json& sample) {
    std::vector<std::string> contents;
    for (const Json& output : sample["output"]) contents.push_back(output["answer"]["content"]);
    return contents;
  }
};

TEST_F(BestOfNCommandTest, KeepsTheBestOutputsOfEverySampleWithTheirScores) {
  const std::string input = Write("in.jsonl", Sample("a", {"3", "4", "5"}) + "\n" + Sample("b", {"4", "1"}) + "\n");
  const auto result = Run("best-of-n --reward math_verify_reward --input " + input + " --output " + Path("out.jsonl") +
                          " -n 1 --workers 2");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<Json> lines = Lines(testing::ReadFile(Path("out.jsonl")));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["unique_id"], "a");
  EXPECT_EQ(Contents(lines[0]), (std::vector<std::string>{"\\boxed{4}"}));
  EXPECT_EQ(lines[0]["output"][0]["answer"]["reward"]["score"], 1.0);
  EXPECT_EQ(lines[0]["output"][0]["answer"]["reward"]["details"][0]["name"], "math_verify");
  EXPECT_EQ(Contents(lines[1]), (std::vector<std::string>{"\\boxed{4}"}));
  EXPECT_NE(result.err.find("2 samples, 5 outputs scored"), std::string::npos) << result.err;
}

TEST_F(BestOfNCommandTest, ARunInWhichEverySampleFailedExitsWithOne) {
  // bleu needs a reference, which these outputs lack.
  const std::string no_refs = R"({"unique_id":"a","output":[{"answer":{"content":"x"}},{"answer":{"content":"y"}}]})";
  const auto result = Run("best-of-n -r bleu -i " + Write("no_refs.jsonl", no_refs + "\n") + " -o " + Path("o.jsonl"));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("rmg best-of-n: every sample scored failed"), std::string::npos) << result.err;
  EXPECT_EQ(Lines(testing::ReadFile(Path("o.jsonl"))).size(), 1u) << "written all the same";
}

TEST_F(BestOfNCommandTest, KeepsAscendingOrderWithTheBestLastAndZeroKeepsAll) {
  // Scores 0, 1, 0: the stable ascending order is outputs 0, 2, 1.
  const std::string input = Write("in.jsonl", Sample("a", {"3", "4", "5"}) + "\n");
  auto result = Run("best-of-n -r math_verify_reward -i " + input + " -o " + Path("two.jsonl") + " -n 2");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Contents(Lines(testing::ReadFile(Path("two.jsonl")))[0]),
            (std::vector<std::string>{"\\boxed{5}", "\\boxed{4}"}));
  result = Run("best-of-n -r math_verify_reward -i " + input + " -o " + Path("all.jsonl") + " -n 0");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Contents(Lines(testing::ReadFile(Path("all.jsonl")))[0]),
            (std::vector<std::string>{"\\boxed{3}", "\\boxed{5}", "\\boxed{4}"}));
}

TEST_F(BestOfNCommandTest, ABadRecordIsNamedAndTheOthersAreStillWritten) {
  const std::string input =
      Write("in.jsonl", Sample("a", {"4", "3"}) + "\n{\"unique_id\": \"broken\", \"output\": 7}\n" +
                            Sample("c", {"2", "4"}) + "\n");
  const auto result = Run("best-of-n -r math_verify_reward -i " + input + " -n 1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("in.jsonl:2:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("output"), std::string::npos) << result.err;
  const std::vector<Json> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["unique_id"], "c");
  EXPECT_EQ(Contents(lines[1]), (std::vector<std::string>{"\\boxed{4}"}));
}

// -n defaults to 1, as RM-Gallery's best_of_n(n=1).
TEST_F(BestOfNCommandTest, KeepsOneByDefaultAndRejectsANegativeN) {
  const std::string input = Write("in.jsonl", Sample("a", {"3", "4"}) + "\n");
  const auto kept = Run("best-of-n -r math_verify_reward -i " + input);
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  const std::vector<Json> lines = Lines(kept.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Contents(lines[0]), (std::vector<std::string>{"\\boxed{4}"}));
  const auto negative = Run("best-of-n -r math_verify_reward -i " + input + " -n -1");
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_NE(negative.err.find("-n"), std::string::npos) << negative.err;
}

// An interrupted run resumed: the records already written are kept, a record cut in
// half is written again, and the file ends as an uninterrupted run's.
TEST_F(BestOfNCommandTest, ResumeKeepsDoneSamplesAndFinishesTheFile) {
  std::string text;
  for (int i = 0; i < 8; ++i) text += Sample("s" + std::to_string(i), {"3", "4", std::to_string(i)}) + "\n";
  const std::string input = Write("in.jsonl", text);
  ASSERT_EQ(Run("best-of-n -r math_verify_reward -n 2 -i " + input + " -o " + Path("full.jsonl")).exit_code, 0);
  const std::string full = testing::ReadFile(Path("full.jsonl"));
  const std::vector<Json> full_lines = Lines(full);
  ASSERT_EQ(full_lines.size(), 8u);
  EXPECT_EQ(full_lines[0]["metadata"]["rmg_input_fingerprint"].get<std::string>().size(), 16u);
  size_t cut = 0;
  for (int i = 0; i < 3; ++i) cut = full.find('\n', cut) + 1;
  Write("out.jsonl", full.substr(0, cut + 40));                       // three records and the start of the fourth
  Write("out.jsonl.run", testing::ReadFile(Path("full.jsonl.run")));  // the run record of the same options
  const auto resumed = Run("best-of-n -r math_verify_reward -n 2 --resume -i " + input + " -o " + Path("out.jsonl"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("5 samples"), std::string::npos) << resumed.err;
  EXPECT_NE(resumed.err.find("3 already done"), std::string::npos) << resumed.err;
  EXPECT_EQ(testing::ReadFile(Path("out.jsonl")), full);

  // Another -n is another run; a changed sample is not the one already done.
  const auto other_n = Run("best-of-n -r math_verify_reward -n 1 --resume -i " + input + " -o " + Path("out.jsonl"));
  EXPECT_EQ(other_n.exit_code, 2);
  EXPECT_NE(other_n.err.find("\"keep\":2"), std::string::npos) << other_n.err;
  Write("out.jsonl", full.substr(0, cut));
  const std::string changed = Write("changed.jsonl", Sample("s0", {"3", "4", "9"}) + "\n");
  const auto mismatch = Run("best-of-n -r math_verify_reward -n 2 --resume -i " + changed + " -o " + Path("out.jsonl"));
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_NE(mismatch.err.find("sample 's0' is not the one of that unique_id already scored"), std::string::npos)
      << mismatch.err;
}

// A record without its input's fingerprint (written by hand, or by another command)
// cannot be matched: resuming names its line rather than guessing.
TEST_F(BestOfNCommandTest, ResumeRefusesARecordWithoutItsFingerprint) {
  const std::string input = Write("in.jsonl", Sample("a", {"3", "4"}) + "\n" + Sample("b", {"4"}) + "\n");
  ASSERT_EQ(Run("best-of-n -r math_verify_reward -i " + input + " -o " + Path("out.jsonl")).exit_code, 0);
  Json first = Lines(testing::ReadFile(Path("out.jsonl")))[0];
  first["metadata"].erase("rmg_input_fingerprint");
  Write("out.jsonl", first.dump() + "\n");
  const auto resumed = Run("best-of-n -r math_verify_reward --resume -i " + input + " -o " + Path("out.jsonl"));
  EXPECT_EQ(resumed.exit_code, 2);
  EXPECT_NE(resumed.err.find("out.jsonl:1: no metadata.rmg_input_fingerprint"), std::string::npos) << resumed.err;
}

}  // namespace
}  // namespace rmg
