#include "cli/record_format.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "rmg/sample_io.h"

namespace rmg::cli {
namespace {

// Parses `args` (without the program name) as a command with the format flags.
RecordFormatFlags RecordFormatParse(const std::vector<std::string>& args) {
  CLI::App app("record format test");
  RecordFormatFlags flags;
  AddRecordFormatFlags(app, flags);
  std::vector<const char*> argv = {"rmg"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return flags;
}

// The message of what MakeSampleMaker throws for `flags`, or "" when it does not.
std::string RecordFormatError(const RecordFormatFlags& flags) {
  try {
    MakeSampleMaker(flags);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

LoadedRecord RecordFormatRecord(const std::string& json, const std::string& file, size_t number) {
  return LoadedRecord{Json::parse(json), file, number};
}

TEST(RecordFormatTest, FlagsDefaultToDataSamplesAndKeepMapsInOrder) {
  const RecordFormatFlags none = RecordFormatParse({});
  EXPECT_EQ(none.from, "none");
  EXPECT_TRUE(none.maps.empty());

  const RecordFormatFlags generic =
      RecordFormatParse({"--from", "generic", "--map", "output=b.0", "--map", "input=a", "--map", "label.x=c"});
  EXPECT_EQ(generic.from, "generic");
  EXPECT_EQ(generic.maps, (std::vector<std::string>{"output=b.0", "input=a", "label.x=c"}));
}

TEST(RecordFormatTest, NoneReadsDataSamplesAndNamesTheBadField) {
  const SampleMaker make = MakeSampleMaker(RecordFormatFlags{});
  const std::vector<DataSample> samples =
      make(Json::parse(R"({"unique_id":"s1","output":[{"answer":{"content":"héllo ✓"}}]})"));
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].unique_id, "s1");
  ASSERT_EQ(samples[0].output.size(), 1u);
  EXPECT_EQ(samples[0].output[0].answer.content, "héllo ✓");

  try {
    make(Json::parse(R"({"output":[]})"));
    FAIL() << "a record without unique_id was accepted";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unique_id", 0), 0u) << e.what();
  }
}

TEST(RecordFormatTest, NamedConverterIsUsed) {
  const SampleMaker make = MakeSampleMaker(RecordFormatParse({"--from", "rewardbench"}));
  const std::vector<DataSample> samples =
      make(Json::parse(R"({"prompt":"2+2?","chosen":"4","rejected":"5","subset":"math","id":3})"));
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].unique_id, "rewardbench/math/3");
  ASSERT_EQ(samples[0].output.size(), 2u);
  EXPECT_EQ(samples[0].output[0].answer.content, "4");
  EXPECT_EQ(samples[0].output[1].answer.content, "5");
}

TEST(RecordFormatTest, UnknownFormatListsEveryKnownOne) {
  RecordFormatFlags flags;
  flags.from = "rewardbenchh";
  EXPECT_EQ(RecordFormatError(flags),
            "--from: unknown format 'rewardbenchh' (known: none, generic, chat_message, helpsteer2_pairwise, "
            "helpsteer2_pointwise, helpsteer3, judgebench, prmbench, rewardbench, rewardbench2, rmb_bestofn, "
            "rmb_pairwise, rmbench)");
  // Names are matched exactly: no case folding, and an empty name is no format.
  flags.from = "RewardBench";
  EXPECT_EQ(RecordFormatError(flags).rfind("--from: unknown format 'RewardBench' (known: none, generic, ", 0), 0u);
  flags.from = "";
  EXPECT_EQ(RecordFormatError(flags).rfind("--from: unknown format '' (known: ", 0), 0u);
}

TEST(RecordFormatTest, MapWithoutGenericIsRefused) {
  for (const char* from : {"none", "rewardbench", "no_such_format"}) {
    RecordFormatFlags flags;
    flags.from = from;
    flags.maps = {"input=q", "output=a"};
    // The misplaced --map is named even before the format is looked up.
    EXPECT_EQ(RecordFormatError(flags), "--map: only used with --from generic") << from;
  }
}

TEST(RecordFormatTest, BadMapsAreRuntimeErrorsNamingTheEntry) {
  struct Case {
    std::vector<std::string> maps;
    std::string message;
  };
  const Case cases[] = {
      {{}, "--map: input=PATH is required"},
      {{"input=q"}, "--map: output=PATH is required"},
      {{"output=a"}, "--map: input=PATH is required"},
      {{"input"}, "--map input: expected TARGET=PATH"},
      {{"input="}, "--map input=: expected TARGET=PATH"},
      {{"input=q..x", "output=a"}, "--map input=q..x: empty segment in the path"},
      {{"input=q", "input=r", "output=a"}, "--map input=r: input is mapped twice"},
      {{"input=q", "output=a", "score=s"},
       "--map score=s: unknown target 'score' (known: input, output, id, label.KEY)"},
      {{"input=q", "output=a", "label.=s"},
       "--map label.=s: unknown target 'label.' (known: input, output, id, label.KEY)"},
  };
  for (const Case& c : cases) {
    RecordFormatFlags flags;
    flags.from = "generic";
    flags.maps = c.maps;
    // std::invalid_argument is a logic error to the commands: it must arrive as a
    // runtime_error, which they report as bad usage.
    try {
      MakeSampleMaker(flags);
      ADD_FAILURE() << "accepted: " << c.message;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), c.message);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not a runtime_error: " << e.what();
    }
  }
}

TEST(RecordFormatTest, GenericMakerOutlivesItsFlags) {
  SampleMaker make;
  {
    auto flags = std::make_unique<RecordFormatFlags>();
    flags->from = "generic";
    flags->maps = {"input=question", "output=answers", "id=uid", "label.reference=gold"};
    make = MakeSampleMaker(*flags);
  }  // the maker must hold its own copy of the mapping
  const std::vector<DataSample> samples =
      make(Json::parse(R"({"uid":"q-7","question":"¿Qué?","answers":["a","b"],"gold":"a","level":2})"));
  ASSERT_EQ(samples.size(), 1u);
  const DataSample& sample = samples[0];
  EXPECT_EQ(sample.unique_id, "generic/q-7");
  ASSERT_EQ(sample.input.size(), 1u);
  EXPECT_EQ(sample.input[0].content, "¿Qué?");
  ASSERT_EQ(sample.output.size(), 2u);
  EXPECT_EQ(sample.output[1].answer.content, "b");
  EXPECT_EQ(sample.output[1].answer.label, Json({{"reference", "a"}}));
  EXPECT_EQ(sample.metadata, Json({{"level", 2}}));
}

TEST(RecordFormatTest, ToDataSamplesKeepsOrderFlattensAndListsBadRecords) {
  RecordFormatFlags flags;
  flags.from = "helpsteer2_pairwise";  // two samples per record
  const SampleMaker make = MakeSampleMaker(flags);
  const std::vector<LoadedRecord> records = {
      RecordFormatRecord(R"({"prompt":"p1","response_1":"a","response_2":"b","preference_strength":-2})", "d/x.jsonl",
                         1),
      RecordFormatRecord(R"({"prompt":"p2","response_1":"c","preference_strength":1})", "d/x.jsonl", 3),
      RecordFormatRecord(R"({"prompt":"p3","response_1":"e","response_2":"f","preference_strength":0})", "d/y.json", 1),
  };
  std::vector<std::string> errors = {"earlier: kept"};
  const std::vector<DataSample> samples = ToDataSamples(make, records, &errors);
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].input.at(0).content, "p1");
  EXPECT_EQ(samples[0].output.at(0).answer.content, "a");
  EXPECT_EQ(samples[1].output.at(0).answer.content, "b");
  EXPECT_EQ(samples[2].input.at(0).content, "p3");
  EXPECT_EQ(samples[3].output.at(0).answer.content, "f");
  EXPECT_NE(samples[0].unique_id, samples[1].unique_id);
  EXPECT_EQ(errors, (std::vector<std::string>{"earlier: kept", "d/x.jsonl:3: response_2: missing"}));
}

TEST(RecordFormatTest, ToDataSamplesCatchesAnyExceptionOfOneRecord) {
  // A converter may fail in ways other than SchemaError; one record must not end the run.
  const SampleMaker make = [](const Json& record) -> std::vector<DataSample> {
    if (record.contains("boom")) throw std::logic_error("boom: unexpected");
    if (record.contains("none")) return {};
    DataSample sample;
    sample.unique_id = record["id"].get<std::string>();
    return {sample};
  };
  const std::vector<LoadedRecord> records = {
      RecordFormatRecord(R"({"id":"a"})", "f.jsonl", 1), RecordFormatRecord(R"({"boom":1})", "f.jsonl", 2),
      RecordFormatRecord(R"({"none":1})", "f.jsonl", 3), RecordFormatRecord(R"({"id":"b"})", "f.jsonl", 4),
      RecordFormatRecord(R"({"id":5})", "f.jsonl", 5)};
  std::vector<std::string> errors;
  const std::vector<DataSample> samples = ToDataSamples(make, records, &errors);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].unique_id, "a");
  EXPECT_EQ(samples[1].unique_id, "b");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "f.jsonl:2: boom: unexpected");
  EXPECT_EQ(errors[1].rfind("f.jsonl:5: ", 0), 0u) << errors[1];
}

TEST(RecordFormatTest, ToDataSamplesOfNothingIsNothing) {
  std::vector<std::string> errors;
  EXPECT_TRUE(ToDataSamples(MakeSampleMaker(RecordFormatFlags{}), {}, &errors).empty());
  EXPECT_TRUE(errors.empty());
}

}  // namespace
}  // namespace rmg::cli
