#include "rmg/record_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/testing/temp_dir.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

class RecordFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& content) { return dir_.Write(name, content); }

  TempTestDir dir_;
};

TEST_F(RecordFileTest, JsonlRecordsKeepTheirLineNumbers) {
  const RecordFile file = RecordFile::Open(Write("a.jsonl", "{\"unique_id\":\"a\"}\n\n  \n{\"unique_id\":\"b\"}"));
  ASSERT_EQ(file.records().size(), 2u);
  EXPECT_EQ(file.records()[0].line, 1u);
  EXPECT_EQ(file.records()[1].line, 4u);
  EXPECT_EQ(file.records()[1].text, "{\"unique_id\":\"b\"}");
}

TEST_F(RecordFileTest, JsonArrayFile) {
  const RecordFile file = RecordFile::Open(Write("a.json", R"([{"unique_id":"a"}, {"unique_id":"b","x":[1, 2]}])"));
  ASSERT_EQ(file.records().size(), 2u);
  EXPECT_EQ(file.records()[1].text, R"({"unique_id":"b","x":[1, 2]})");
  EXPECT_EQ(file.records()[1].line, 2u);
}

// A JSON array's records are views into the file, as JSONL lines are (the file was
// parsed whole and each record copied: 645 MB to score a 117 MB file), and each is read
// as a line would be: an integer beyond 64 bits, a lone surrogate escape, a bad record
// among good ones.
TEST_F(RecordFileTest, JsonArrayRecordsAreReadAsJsonlLinesAre) {
  const std::string text =
      "[\n  {\"unique_id\":\"a\",\"n\":123456789012345678901234},\n  {\"unique_id\":\"b\",\"c\":\"q \\ud800 \\\" "
      "],\"},\n"
      "  {\"unique_id\":\"c\",},\n  7\n]\n";
  const RecordFile file = RecordFile::Open(Write("a.json", text));
  ASSERT_EQ(file.records().size(), 4u);
  EXPECT_EQ(file.records()[0].text, R"({"unique_id":"a","n":123456789012345678901234})");
  EXPECT_EQ(file.records()[3].text, "7");
  EXPECT_EQ(file.records()[3].line, 4u);
  std::string lines;
  for (const JsonRecord& record : file.records()) lines += std::string(record.text) + "\n";
  const RecordFile jsonl = RecordFile::Open(Write("a.jsonl", lines));
  ASSERT_EQ(jsonl.records().size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(file.records()[i].text, jsonl.records()[i].text);
  EXPECT_EQ(ParseDataSample(file.records()[1].text).unique_id, "b");
  EXPECT_THROW(ParseDataSample(file.records()[2].text), SchemaError);
}

// What leaves the records' bounds unknown is an error for the file, naming the line.
TEST_F(RecordFileTest, JsonArrayStructureErrorsNameTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[{\"a\":1},\n{\"b\":2},]", ":2: invalid JSON: a value is missing before ']'"},
      {"[{\"a\":1},,{}]", ":1: invalid JSON: a value is missing before ','"},
      {"[{\"a\":1},\n\n{\"b\":\"x}]", ":3: invalid JSON: a string is not closed"},
      {"[{\"a\":1},\n{\"b\":[1}]", ":2: invalid JSON: '}' closes '['"},
      {"[{\"a\":1}}]", ":1: invalid JSON: '}' closes no '{'"},
      {"[{\"a\":1},\n{\"b\":[1]", ":2: invalid JSON: this value's brackets are not all closed"},
      {"[{\"a\":1}\n", ":2: invalid JSON: the array is not closed"},
      {"[{\"a\":1}]\n[]", ":2: invalid JSON: text after the array"},
      {"  \n", ": invalid JSON: the file is empty"},
      {"\"x\"", ": expected a JSON array of DataSamples"},
  };
  for (const auto& [content, message] : cases) {
    const std::string path = Write("bad.json", content);
    try {
      RecordFile::Open(path);
      ADD_FAILURE() << "no error for " << content;
    } catch (const FileError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(path + message, 0), 0u) << e.what();
    }
  }
  EXPECT_TRUE(RecordFile::Open(Write("empty.json", " [ ] \n")).records().empty());
  const RecordFile one = RecordFile::Open(Write("one.json", "\n{\"unique_id\": \"x\"}\n"));
  ASSERT_EQ(one.records().size(), 1u);
  EXPECT_EQ(one.records()[0].text, "{\"unique_id\": \"x\"}");
}

TEST_F(RecordFileTest, EmptyFileHasNoRecords) { EXPECT_TRUE(RecordFile::Open(Write("e.jsonl", "")).records().empty()); }

TEST_F(RecordFileTest, AByteOrderMarkIsNotPartOfTheFirstRecord) {
  const RecordFile lines =
      RecordFile::Open(Write("bom.jsonl", "\xEF\xBB\xBF{\"unique_id\":\"a\"}\n{\"unique_id\":\"b\"}\n"));
  ASSERT_EQ(lines.records().size(), 2u);
  EXPECT_EQ(lines.records()[0].text, "{\"unique_id\":\"a\"}");
  EXPECT_EQ(lines.records()[0].line, 1u);
  const RecordFile array = RecordFile::Open(Write("bom.json", "\xEF\xBB\xBF[{\"unique_id\":\"a\"}]"));
  ASSERT_EQ(array.records().size(), 1u);
  EXPECT_EQ(array.records()[0].text, "{\"unique_id\":\"a\"}");
}

// A pipe's size is 0: mapped by that size it read as empty, and `-i /dev/stdin` scored nothing.
TEST_F(RecordFileTest, APipeIsReadToItsEnd) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"unique_id\":\"s" + std::to_string(i) + "\"}\n";  // past a pipe's buffer
  std::thread writer([&] {
    for (size_t done = 0; done < text.size();) {
      const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fds[1]);
  });
  const RecordFile file = RecordFile::Open("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  close(fds[0]);
  ASSERT_EQ(file.records().size(), 5000u);
  EXPECT_EQ(file.records()[4999].text, "{\"unique_id\":\"s4999\"}");
  EXPECT_EQ(file.records()[4999].line, 5000u);
}

TEST_F(RecordFileTest, MissingFileIsNamed) {
  try {
    RecordFile::Open(dir_.Path("missing.jsonl"));
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.jsonl: cannot open"), std::string::npos) << e.what();
  }
}

TEST_F(RecordFileTest, PrepareResumeDropsPartialLastRecord) {
  const std::string path = Write("out.jsonl", "{\"unique_id\":\"a\"}\n{\"unique_id\":\"b\"}\n{\"unique_id\":\"c\",\"out");
  const auto fingerprints = PrepareResume(path);
  EXPECT_EQ(fingerprints,
            (StringMap<std::vector<size_t>>{{"a", {ResumeFingerprint(ParseDataSample("{\"unique_id\":\"a\"}"))}},
                                            {"b", {ResumeFingerprint(ParseDataSample("{\"unique_id\":\"b\"}"))}}}));
  // Samples sharing an id are each kept: a resumed run skips only as many of them.
  const auto shared =
      PrepareResume(Write("dup.jsonl", "{\"unique_id\":\"d\"}\n{\"unique_id\":\"x\"}\n{\"unique_id\":\"d\"}\n"));
  EXPECT_EQ(shared.at("d").size(), 2u);
  EXPECT_EQ(shared.at("x").size(), 1u);
  std::ifstream in(path);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "{\"unique_id\":\"a\"}\n{\"unique_id\":\"b\"}\n");
}

TEST(ResumeFingerprintTest, SeesWhatRewardsReadAndNotWhatScoringWrites) {
  const Json sample = Json::parse(R"({"unique_id": "s", "input": [{"role": "user", "content": "q"}],
      "output": [{"answer": {"content": "x", "label": {"preference": "chosen"}}}]})");
  const size_t fingerprint = ResumeFingerprint(DataSampleFromJson(sample));
  auto changed = [&](const char* pointer, const Json& value) {
    Json copy = sample;
    copy[Json::json_pointer(pointer)] = value;
    return ResumeFingerprint(DataSampleFromJson(copy)) != fingerprint;
  };
  EXPECT_TRUE(changed("/output/0/answer/label/preference", "rejected"));
  EXPECT_TRUE(changed("/output/0/answer/content", "y"));
  EXPECT_TRUE(changed("/input/0/content", "another question"));
  EXPECT_FALSE(changed("/output/0/answer/reward", Json::parse(R"({"score": 1, "details": []})")));
  EXPECT_FALSE(changed("/output/0/answer/additional_kwargs", Json::parse(R"({"bleu": {"score": 1}})")));
  EXPECT_FALSE(changed("/metadata", Json::parse(R"({"rmg_failed_units": 1})")));
  EXPECT_TRUE(changed("/metadata", Json::parse(R"({"subset": "chat-hard"})")));
}

// A damaged line in the middle was taken for the interruption's: the file was cut
// there, and every record after it lost.
TEST_F(RecordFileTest, PrepareResumeRefusesADamagedLineAndKeepsTheFile) {
  const std::string text = "{\"unique_id\":\"a\"}\n{\"unique_id\":\"b\",\"output\":3}\n{\"unique_id\":\"c\"}\n";
  const std::string path = Write("damaged.jsonl", text);
  try {
    PrepareResume(path);
    FAIL() << "a damaged line was accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ":2: ", 0), 0u) << e.what();
  }
  std::ifstream in(path);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()), text);
}

// best-of-n and refine change the outputs, so their records carry the fingerprint of
// the sample they were read from; it is the same in every process (the file outlives it).
TEST_F(RecordFileTest, PrepareResumeReadsStoredInputFingerprints) {
  DataSample read = ParseDataSample(R"({"unique_id": "a", "output": [{"answer": {"content": "x"}}]})");
  const size_t fingerprint = ResumeFingerprint(read);
  // A round trip through the text rmg writes gives it back (the CLI tests resume across processes).
  EXPECT_EQ(fingerprint, ResumeFingerprint(ParseDataSample(DataSampleToJson(read).dump())));
  StoreInputFingerprint(read);
  const std::string stored = read.metadata[kInputFingerprintKey].get<std::string>();
  ASSERT_EQ(stored.size(), 16u);
  EXPECT_EQ(std::stoull(stored, nullptr, 16), fingerprint);
  EXPECT_EQ(ResumeFingerprint(read), fingerprint);  // an rmg_* key is what scoring writes
  read.output.clear();                              // as best-of-n or refine change the outputs
  const std::string path = Write("best.jsonl", DataSampleToJson(read).dump() + "\n");
  EXPECT_EQ(PrepareResume(path, /*stored_fingerprints=*/true), (StringMap<std::vector<size_t>>{{"a", {fingerprint}}}));
  EXPECT_NE(PrepareResume(path).at("a")[0], fingerprint);
  // A record without it is named, and nothing is cut.
  const std::string bare = Write("bare.jsonl", "{\"unique_id\":\"a\"}\n");
  try {
    PrepareResume(bare, /*stored_fingerprints=*/true);
    FAIL() << "a record without its fingerprint was accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(bare + ":1: no metadata.rmg_input_fingerprint", 0), 0u) << e.what();
  }
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(StoreFailedUnitsTest, MarksAFailureAndClearsAnOldMark) {
  DataSample sample = ParseDataSample(R"({"unique_id": "a", "metadata": {"subset": "s"}})");
  StoreFailedUnits(sample, 0);
  EXPECT_EQ(sample.metadata, Json::parse(R"({"subset": "s"})"));
  StoreFailedUnits(sample, 2);
  EXPECT_EQ(sample.metadata, Json::parse(R"({"subset": "s", "rmg_failed_units": 2})"));
  StoreFailedUnits(sample, 0);  // scored again, and this time it did not fail
  EXPECT_EQ(sample.metadata, Json::parse(R"({"subset": "s"})"));
  DataSample bare = ParseDataSample(R"({"unique_id": "b"})");
  StoreFailedUnits(bare, 1);
  EXPECT_EQ(bare.metadata, Json::parse(R"({"rmg_failed_units": 1})"));
}

// The records of failed samples go, with a last line cut short; the others stay
// byte for byte, in their order.
TEST_F(RecordFileTest, RemoveFailedRecordsKeepsEveryOtherLine) {
  const std::string kept_a = R"({"unique_id":"a","metadata":{"note":"rmg_failed_units in a text"}})";
  const std::string failed_b = R"({"unique_id":"b","metadata":{"rmg_failed_units":1}})";
  const std::string kept_c = R"({"unique_id":"c"})";
  const std::string path = Write("out.jsonl", kept_a + "\n" + failed_b + "\n" + kept_c + "\n{\"unique_id\":\"d\",\"ou");
  EXPECT_EQ(RemoveFailedRecords(path), 1u);
  EXPECT_EQ(ReadAll(path), kept_a + "\n" + kept_c + "\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".rmg-rewrite"));
  // Nothing to remove: the file is not touched (its partial line is PrepareResume's to cut).
  const std::string clean = Write("clean.jsonl", kept_c + "\n{\"unique_id\":\"e");
  EXPECT_EQ(RemoveFailedRecords(clean), 0u);
  EXPECT_EQ(ReadAll(clean), kept_c + "\n{\"unique_id\":\"e");
  EXPECT_EQ(RemoveFailedRecords(dir_.Path("none.jsonl")), 0u);
  // Through a link: the file it names is rewritten, and the link stays.
  const std::string target = Write("target.jsonl", failed_b + "\n" + kept_c + "\n");
  const std::string link = dir_.Path("link.jsonl");
  std::filesystem::create_symlink(target, link);
  EXPECT_EQ(RemoveFailedRecords(link), 1u);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(ReadAll(target), kept_c + "\n");
}

// A resumed run appends the samples it scored again; the file goes back to the input's order.
TEST_F(RecordFileTest, RestoreInputOrderFollowsTheInput) {
  const std::string a = R"({"unique_id":"a","output":[{"answer":{"content":"1"}}]})";
  const std::string b = R"({"unique_id":"b","output":[{"answer":{"content":"2"}}]})";
  const std::string b2 = R"({"unique_id":"b","output":[{"answer":{"content":"3"}}]})";  // same id, other sample
  const std::string c = R"({"unique_id":"c","output":[{"answer":{"content":"4"}}]})";
  const std::string input_text = a + "\n" + b + "\nnot json\n" + b2 + "\n" + c + "\n";
  const RecordFile input = RecordFile::Open(Write("in.jsonl", input_text));
  // Scored copies: rewards and marks do not hide which sample a record scores.
  auto scored = [](const std::string& text) {
    Json record = Json::parse(text);
    record["output"][0]["answer"]["reward"] = Json::parse(R"({"score": 1.0, "details": []})");
    record["metadata"] = Json::parse(R"({"rmg_failed_units": 1})");
    return record.dump();
  };
  const std::string stray = R"({"unique_id":"z"})";
  const std::string path =
      Write("out.jsonl", scored(c) + "\n" + scored(b2) + "\n" + stray + "\n" + a + "\n" + scored(b) + "\n");
  RestoreInputOrder(path, input.records());
  EXPECT_EQ(ReadAll(path), a + "\n" + scored(b) + "\n" + scored(b2) + "\n" + scored(c) + "\n" + stray + "\n");
  // In order already: left as it is.
  struct stat before {
  }, after{};
  ASSERT_EQ(stat(path.c_str(), &before), 0);
  RestoreInputOrder(path, input.records());
  ASSERT_EQ(stat(path.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // a rewrite renames a new file over it
}

TEST_F(RecordFileTest, PrepareResumeOfMissingFileIsEmpty) {
  EXPECT_TRUE(PrepareResume(dir_.Path("none.jsonl")).empty());
}

}  // namespace
}  // namespace rmg
