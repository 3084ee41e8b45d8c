#include "rmg/data_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/testing/temp_dir.h"
#include "data/parquet.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

using ::testing::HasSubstr;

class DataLoaderTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Path(name); }
  std::string Write(const std::string& name, const std::string& content) const { return dir_.Write(name, content); }

  // The message of the FileError that `load` throws, or "" when it throws none.
  template <typename F>
  static std::string ErrorOf(F load) {
    try {
      load();
    } catch (const FileError& e) {
      return e.what();
    }
    return "";
  }

  TempTestDir dir_;
};

std::vector<Json> Values(const std::vector<LoadedRecord>& records) {
  std::vector<Json> values;
  for (const LoadedRecord& record : records) values.push_back(record.value);
  return values;
}

// Records whose keys, types and nesting vary, as real data files do.
std::vector<Json> VariedRecords() {
  return {
      Json::parse(R"({"unique_id":"a","n":1,"x":0.1,"nested":{"k":[1,2,{"z":null}]},"text":"é \"q\" \n"})"),
      Json::parse(R"({"unique_id":"b","extra":true,"nested":{"other":"keys"},"n":-12345678901234})"),
      Json::parse(R"({"unique_id":"c","n":null,"x":1e300,"nested":[],"big":18446744073709551615})"),
      Json::parse(R"({"only":"field"})"),
  };
}

TEST_F(DataLoaderTest, JsonlRecordsKeepTheirLineNumbers) {
  const std::string path = Write("a.jsonl", "{\"id\":1}\n\n{\"id\":2}\n  \n{\"id\":3}");
  const std::vector<LoadedRecord> records = LoadRecords(path);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].number, 1u);
  EXPECT_EQ(records[1].number, 3u);
  EXPECT_EQ(records[2].number, 5u);
  EXPECT_EQ(records[2].value["id"], 3);
  EXPECT_EQ(records[2].file, path);
  EXPECT_EQ(records[2].origin(), path + ":5");
}

TEST_F(DataLoaderTest, JsonHoldsAnArrayOrOneObject) {
  const std::vector<LoadedRecord> array = LoadRecords(Write("a.json", R"([{"id":1},{"id":2}])"));
  ASSERT_EQ(array.size(), 2u);
  EXPECT_EQ(array[1].number, 2u);
  EXPECT_EQ(array[1].value["id"], 2);
  const std::vector<LoadedRecord> one = LoadRecords(Write("b.json", R"({"id":7})"));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].number, 1u);
  EXPECT_EQ(one[0].value["id"], 7);
}

TEST_F(DataLoaderTest, ErrorsNameTheFileAndTheLine) {
  const std::string bad = Write("bad.jsonl", "{\"id\":1}\n{\"id\":2}\n{\"id\": oops}\n");
  EXPECT_THAT(ErrorOf([&] { LoadRecords(bad); }), HasSubstr(bad + ":3: invalid JSON"));
  const std::string scalar = Write("scalar.jsonl", "{\"id\":1}\n[1,2]\n");
  EXPECT_THAT(ErrorOf([&] { LoadRecords(scalar); }), HasSubstr(scalar + ":2: expected a JSON object"));
  const std::string missing = Path("missing.jsonl");
  EXPECT_THAT(ErrorOf([&] { LoadRecords(missing); }), HasSubstr(missing + ": cannot open"));
  const std::string missing_parquet = Path("missing.parquet");
  EXPECT_THAT(ErrorOf([&] { LoadRecords(missing_parquet); }), HasSubstr(missing_parquet + ": cannot open"));
  const std::string not_parquet = Write("text.parquet", "this is not parquet\n");
  EXPECT_THAT(ErrorOf([&] { LoadRecords(not_parquet); }), HasSubstr(not_parquet + ": cannot read as Parquet"));
  std::filesystem::create_directories(Path("empty"));
  Write("empty/notes.txt", "{}\n");
  EXPECT_THAT(ErrorOf([&] { LoadRecords(Path("empty")); }), HasSubstr("no .jsonl, .json or .parquet file"));
}

TEST_F(DataLoaderTest, BadRecordsCanBeListedInsteadOfThrown) {
  const std::string path = Write("mixed.jsonl", "{\"id\":1}\n{\"id\": oops}\n[1]\n{\"id\":4}\n");
  std::vector<std::string> errors;
  LoadOptions options;
  options.errors = &errors;
  const std::vector<LoadedRecord> records = LoadRecords(path, options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].value["id"], 1);
  EXPECT_EQ(records[1].value["id"], 4);
  EXPECT_EQ(records[1].number, 4u);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr(path + ":2: invalid JSON"));
  EXPECT_THAT(errors[1], HasSubstr(path + ":3: expected a JSON object"));
  // Nested past 1,024 levels: a bad line (the value would overflow the stack when written).
  const std::string deep =
      Write("deep.jsonl", "{\"m\":" + std::string(100000, '[') + std::string(100000, ']') + "}\n{\"id\":2}\n");
  errors.clear();
  ASSERT_EQ(LoadRecords(deep, options).size(), 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr(deep + ":1: invalid JSON"));
  EXPECT_THAT(errors[0], HasSubstr("nested deeper than 1024 levels"));
  // A file that cannot be read is still an error of the whole load.
  EXPECT_THAT(ErrorOf([&] { LoadRecords(Path("missing.jsonl"), options); }), HasSubstr("cannot open"));
}

// Python's json reads a lone surrogate escape; `rmg eval` reads it as U+FFFD, and so
// does every command that loads records.
TEST_F(DataLoaderTest, ALoneSurrogateEscapeReadsAsReplacementCharacter) {
  const std::string path = Write("surrogate.jsonl", "{\"content\":\"q \\ud800\"}\n");
  const std::vector<LoadedRecord> records = LoadRecords(path);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value["content"], "q \uFFFD");
}

TEST_F(DataLoaderTest, DirectoryIsReadRecursivelyInPathOrder) {
  Write("d/b.jsonl", "{\"id\":\"b1\"}\n{\"id\":\"b2\"}\n");
  Write("d/a/z.json", R"([{"id":"az1"}])");
  Write("d/c/ignored.txt", "{\"id\":\"no\"}\n");
  WriteRecords(Path("d/c/p.parquet"), {Json{{"id", "p1"}}});
  const std::vector<LoadedRecord> records = LoadRecords(Path("d"));
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].value["id"], "az1");
  EXPECT_EQ(records[0].file, Path("d/a/z.json"));
  EXPECT_EQ(records[1].value["id"], "b1");
  EXPECT_EQ(records[2].value["id"], "b2");
  EXPECT_EQ(records[2].number, 2u);
  EXPECT_EQ(records[3].value["id"], "p1");
  EXPECT_EQ(records[3].file, Path("d/c/p.parquet"));
}

// Upper-case extensions (as tools on Windows write them) were read as JSON lines, so a
// .PARQUET file was an error and a directory skipped every such file.
TEST_F(DataLoaderTest, ExtensionsAreReadInAnyCase) {
  Write("u/a.JSONL", "{\"id\":\"a1\"}\n");
  Write("u/b.Json", R"([{"id":"b1"},{"id":"b2"}])");
  WriteRecords(Path("u/c.PARQUET"), {Json{{"id", "c1"}}});
  EXPECT_EQ(LoadRecords(Path("u/c.PARQUET"))[0].value, Json({{"id", "c1"}}));
  EXPECT_EQ(LoadRecords(Path("u/b.Json")).size(), 2u);
  const std::vector<LoadedRecord> records = LoadRecords(Path("u"));
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].value["id"], "c1");
  EXPECT_EQ(RecordFileFormatOf("x/y.Parquet"), RecordFileFormat::kParquet);
  EXPECT_EQ(RecordFileFormatOf("x.JSON"), RecordFileFormat::kJsonArray);
  EXPECT_EQ(RecordFileFormatOf("x.jsonL"), RecordFileFormat::kJsonLines);
  EXPECT_FALSE(RecordFileFormatOf("x.txt").has_value());
  EXPECT_FALSE(RecordFileFormatOf("parquet").has_value());
}

// One truncated file aborted the whole directory, its good files unread.
TEST_F(DataLoaderTest, AnUnreadableFileInADirectoryIsListedAndTheOthersRead) {
  Write("d/a.jsonl", "{\"id\":\"a1\"}\n");
  Write("d/b.json", "[{\"id\":\"x\"");
  Write("d/c.parquet", "PAR1 not really");
  Write("d/e.jsonl", "\xEF\xBB\xBF{\"id\":\"e1\"}\n");
  std::vector<std::string> errors;
  LoadOptions options;
  options.errors = &errors;
  const std::vector<LoadedRecord> records = LoadRecords(Path("d"), options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].value["id"], "a1");
  EXPECT_EQ(records[1].value["id"], "e1");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr(Path("d/b.json") + ":1: invalid JSON"));
  EXPECT_THAT(errors[1], HasSubstr(Path("d/c.parquet") + ": cannot read as Parquet"));
  // Without a list to put them in, the first one is thrown, as before.
  EXPECT_THAT(ErrorOf([&] { LoadRecords(Path("d")); }), HasSubstr(Path("d/b.json") + ":1: invalid JSON"));
}

// A directory symlink back up the tree used to be followed until the kernel's limit on
// nested links: the one file was read 41 times.
TEST_F(DataLoaderTest, EachRealDirectoryIsReadOnce) {
  Write("d/a.jsonl", "{\"id\":\"a1\"}\n");
  Write("d/sub/b.jsonl", "{\"id\":\"b1\"}\n");
  std::filesystem::create_directory_symlink("..", Path("d/sub/up"));
  std::filesystem::create_directory_symlink("sub", Path("d/again"));
  std::filesystem::create_directories(Path("elsewhere"));
  Write("elsewhere/c.jsonl", "{\"id\":\"c1\"}\n");
  std::filesystem::create_directory_symlink(Path("elsewhere"), Path("d/linked"));
  const std::vector<LoadedRecord> records = LoadRecords(Path("d"));
  std::vector<std::string> ids;
  for (const LoadedRecord& record : records) ids.push_back(record.value["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "b1", "c1"}));
}

TEST_F(DataLoaderTest, LimitKeepsASeededSubsetInFileOrder) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "{\"i\":" + std::to_string(i) + "}\n";
  const std::string path = Write("many.jsonl", text);

  const std::vector<LoadedRecord> first = LoadRecords(path, LoadOptions{10, 7});
  ASSERT_EQ(first.size(), 10u);
  for (size_t i = 1; i < first.size(); ++i) EXPECT_LT(first[i - 1].number, first[i].number);
  for (const LoadedRecord& record : first) EXPECT_EQ(record.value["i"].get<size_t>() + 1, record.number);
  EXPECT_EQ(Values(LoadRecords(path, LoadOptions{10, 7})), Values(first));
  EXPECT_NE(Values(LoadRecords(path, LoadOptions{10, 8})), Values(first));
  // The subset is not just a prefix.
  EXPECT_GT(first.back().number, 10u);

  EXPECT_EQ(LoadRecords(path, LoadOptions{1000, 7}).size(), 100u);
  EXPECT_EQ(LoadRecords(path, LoadOptions{0, 7}).size(), 100u);
}

TEST_F(DataLoaderTest, LimitCanChooseEveryRecord) {
  const std::string path = Write("three.jsonl", "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n");
  std::set<int> chosen;
  for (uint64_t seed = 0; seed < 200; ++seed) chosen.insert(LoadRecords(path, LoadOptions{1, seed})[0].value["i"].get<int>());
  EXPECT_EQ(chosen, (std::set<int>{0, 1, 2}));
}

TEST_F(DataLoaderTest, WrittenRecordsReadBackUnchangedInEveryFormat) {
  const std::vector<Json> records = VariedRecords();
  for (const std::string name : {"out.jsonl", "out.json", "out.parquet"}) {
    SCOPED_TRACE(name);
    WriteRecords(Path(name), records);
    EXPECT_FALSE(std::filesystem::exists(Path(name) + ".partial"));
    const std::vector<LoadedRecord> loaded = LoadRecords(Path(name));
    ASSERT_EQ(loaded.size(), records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      // Parquet gives a record's keys in column order; JSONL and JSON keep its own.
      if (name == "out.parquet") {
        EXPECT_EQ(nlohmann::json::parse(loaded[i].value.dump()), nlohmann::json::parse(records[i].dump()));
      } else {
        EXPECT_EQ(loaded[i].value.dump(), records[i].dump());
      }
    }
  }
}

// `convert -o link.jsonl` replaced the link with a file (a dangling link too), and
// `-o /dev/stdout` (as root) replaced the device's link with a regular file.
TEST_F(DataLoaderTest, WritingThroughALinkOrIntoAFifoKeepsThem) {
  const std::vector<Json> records = {Json{{"id", 1}}, Json{{"id", 2}}};
  Write("keep/target.jsonl", "{\"old\":1}\n");
  std::filesystem::create_symlink(Path("keep/target.jsonl"), Path("link.jsonl"));
  WriteRecords(Path("link.jsonl"), records);
  EXPECT_TRUE(std::filesystem::is_symlink(Path("link.jsonl")));
  EXPECT_EQ(LoadRecords(Path("keep/target.jsonl")).size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(Path("keep/target.jsonl.partial")));

  // A link whose target does not exist yet creates the target, as open(2) would.
  std::filesystem::create_symlink("keep/new.jsonl", Path("dangling.jsonl"));
  WriteRecords(Path("dangling.jsonl"), records);
  EXPECT_TRUE(std::filesystem::is_symlink(Path("dangling.jsonl")));
  EXPECT_EQ(LoadRecords(Path("keep/new.jsonl")).size(), 2u);
  // A loop of links is an error naming the file, not a replaced link.
  std::filesystem::create_symlink("loop_b.jsonl", Path("loop_a.jsonl"));
  std::filesystem::create_symlink("loop_a.jsonl", Path("loop_b.jsonl"));
  try {
    WriteRecords(Path("loop_a.jsonl"), records);
    ADD_FAILURE() << "a loop of links was written";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("loop_a.jsonl: cannot resolve the link"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(std::filesystem::is_symlink(Path("loop_a.jsonl")));

  const std::string fifo = Path("pipe.jsonl");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  });
  WriteRecords(fifo, records);
  reader.join();
  EXPECT_EQ(received, "{\"id\":1}\n{\"id\":2}\n");
  std::error_code error;
  EXPECT_EQ(std::filesystem::status(fifo, error).type(), std::filesystem::file_type::fifo);
}

TEST_F(DataLoaderTest, EmptyFilesRoundTrip) {
  for (const std::string name : {"empty.jsonl", "empty.json", "empty.parquet"}) {
    SCOPED_TRACE(name);
    WriteRecords(Path(name), {});
    EXPECT_TRUE(LoadRecords(Path(name)).empty());
  }
}

TEST_F(DataLoaderTest, WriteErrorsNameTheFileAndRecord) {
  const std::string parquet = Path("bad.parquet");
  EXPECT_THAT(ErrorOf([&] { WriteRecords(parquet, {Json{{"a", 1}}, Json::array()}); }),
              HasSubstr(parquet + ": record 2 is not a JSON object"));
  EXPECT_THAT(ErrorOf([&] { WriteRecords(parquet, {Json{{"key", 1}}, Json{{"KEY", 2}}}); }),
              HasSubstr("differ only in case"));
  EXPECT_THAT(ErrorOf([&] {
                WriteRecords(parquet, {Json{{"a", 1}}, Json{{"", 2}}});
              }),
              HasSubstr(parquet + ": record 2: the key \"\" cannot be a Parquet column name"));
  EXPECT_THAT(ErrorOf([&] {
                WriteRecords(parquet, {Json{{std::string("a\0b", 3), 1}}});
              }),
              HasSubstr("cannot be a Parquet column name"));
  EXPECT_FALSE(std::filesystem::exists(parquet));
  EXPECT_FALSE(std::filesystem::exists(parquet + ".partial"));
  const std::string nowhere = Path("no/such/dir/out.jsonl");
  EXPECT_THAT(ErrorOf([&] { WriteRecords(nowhere, {Json{{"a", 1}}}); }), HasSubstr(nowhere + ": cannot open"));
  // A directory was taken for a device to write into, and the error named it twice ("dddd").
  const std::string directory = Path("dir");
  std::filesystem::create_directories(directory);
  EXPECT_EQ(ErrorOf([&] {
              WriteRecords(directory, {Json{{"a", 1}}});
            }),
            directory + ": is a directory; name the output file");
}

// convert streams records from ForEachRecord into a RecordWriter; until Commit the old
// file stands, and a writer given up (an input error half-way) leaves nothing behind.
TEST_F(DataLoaderTest, AWriterGivenUpLeavesTheOldFile) {
  for (const std::string name : {"old.jsonl", "old.json", "old.parquet"}) {
    SCOPED_TRACE(name);
    WriteRecords(Path(name), {Json{{"id", "old"}}});
    {
      RecordWriter writer(Path(name));
      writer.Add(Json{{"id", "new1"}});
      writer.Add(Json{{"id", "new2"}, {"more", 1}});
      EXPECT_EQ(writer.count(), 2u);
      EXPECT_EQ(LoadRecords(Path(name))[0].value["id"], "old");
      // Unnamed until Commit, so a run killed here leaves no file behind (tmpfs and
      // ext4 support O_TMPFILE; Parquet is written only at Commit).
      EXPECT_FALSE(std::filesystem::exists(Path(name) + ".partial"));
    }
    EXPECT_EQ(LoadRecords(Path(name)).size(), 1u);
    EXPECT_FALSE(std::filesystem::exists(Path(name) + ".partial"));
    RecordWriter writer(Path(name));
    writer.Add(Json{{"id", "new1"}});
    writer.Add(Json{{"id", "new2"}, {"more", 1}});
    writer.Commit();
    const std::vector<LoadedRecord> records = LoadRecords(Path(name));
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].value["more"], 1);
    EXPECT_FALSE(records[0].value.contains("more"));
  }
}

// ForEachRecord passes on what its callback throws. A FileError from writing was
// caught as if the input file could not be read, listed, and the directory read on.
TEST_F(DataLoaderTest, WhatTheCallbackThrowsIsPassedOn) {
  Write("d/a.jsonl", "{\"id\":1}\n{\"id\":2}\n");
  Write("d/b.jsonl", "{\"id\":3}\n");
  std::vector<std::string> errors;
  LoadOptions options;
  options.errors = &errors;
  size_t calls = 0;
  EXPECT_THAT(ErrorOf([&] {
                ForEachRecord(Path("d"), options, [&](LoadedRecord&&) {
                  ++calls;
                  throw FileError("out.jsonl: write failed: No space left on device");
                });
              }),
              HasSubstr("No space left"));
  EXPECT_EQ(calls, 1u);
  EXPECT_TRUE(errors.empty());
  // Without a limit records come one by one, in file order.
  std::vector<int> ids;
  ForEachRecord(Path("d"), {}, [&](LoadedRecord&& record) { ids.push_back(record.value["id"].get<int>()); });
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 3}));
}

TEST_F(DataLoaderTest, ParquetOmitsKeysARecordLacks) {
  // Record 2 lacks "extra": its cell is SQL NULL and the key stays absent, while an
  // explicit null stays null.
  WriteRecords(Path("keys.parquet"), {Json::parse(R"({"id":1,"extra":null})"), Json::parse(R"({"id":2})")});
  const std::vector<LoadedRecord> loaded = LoadRecords(Path("keys.parquet"));
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_TRUE(loaded[0].value.contains("extra"));
  EXPECT_TRUE(loaded[0].value["extra"].is_null());
  EXPECT_FALSE(loaded[1].value.contains("extra"));
  EXPECT_EQ(loaded[1].number, 2u);
}

TEST_F(DataLoaderTest, DataSampleSurvivesParquet) {
  const std::string lines[] = {
      R"({"unique_id":"s1","input":[{"role":"user","content":"What is 2+2?","time_created":"2025-01-01T00:00:00Z"}],"output":[{"answer":{"role":"assistant","content":"4","label":{"reference":"4","tests":[1,2.5,"x"]},"reward":{"score":0.75,"details":[{"name":"accuracy","score":0.75,"reason":"ok"}]}},"steps":[{"role":"assistant","content":"step one"}]}],"task_category":"math","source":"gsm8k","metadata":{"k":"v"},"top_level_extra":[1,{"b":2}]})",
      R"({"unique_id":"s2","input":[{"role":"user","content":"Hi","additional_kwargs":{"lang":"en"}}],"output":[{"answer":{"role":"assistant","content":"Hello, 世界","label":{"preference":"chosen"}}},{"answer":{"role":"assistant","content":"Go away","label":{"preference":"rejected"}}}],"metadata":{"other":{"deep":[0.1,1e-300]}}})",
  };
  std::vector<Json> samples;
  std::vector<std::string> expected;
  for (const std::string& line : lines) {
    const DataSample sample = ParseDataSample(line);
    samples.push_back(DataSampleToJson(sample));
    expected.emplace_back();
    AppendDataSampleJson(sample, &expected.back());
  }
  WriteRecords(Path("samples.parquet"), samples);
  const std::vector<LoadedRecord> loaded = LoadRecords(Path("samples.parquet"));
  ASSERT_EQ(loaded.size(), 2u);
  for (size_t i = 0; i < loaded.size(); ++i) {
    std::string text;
    AppendDataSampleJson(DataSampleFromJson(loaded[i].value), &text);
    EXPECT_EQ(text, expected[i]);
  }
}

}  // namespace
}  // namespace rmg
