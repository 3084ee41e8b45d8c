#include "bench/generic_converter.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "bench/record_fields.h"
#include "bench/testing.h"
#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

std::string ParseErrorOf(const std::vector<std::string>& entries) {
  return testing::ErrorOf([&] { FieldMapping::Parse(entries); });
}

std::string ConvertErrorOf(const std::vector<std::string>& entries, const char* record) {
  const FieldMapping mapping = FieldMapping::Parse(entries);
  return testing::SchemaErrorOf([&] { mapping.Convert(Json::parse(record)); });
}

TEST(FieldMapping, DottedPathsIdLabelsAndMetadata) {
  const FieldMapping mapping =
      FieldMapping::Parse({"input=question", "output=answers.0.text", "label.reference=gold", "id=uid"});
  const DataSample sample = mapping.Convert(Json::parse(R"({"uid": "q-9", "question": "2*3?",
      "answers": [{"text": "6"}, {"text": "5"}], "gold": 6, "topic": "math"})"));
  EXPECT_EQ(sample.unique_id, "generic/q-9");
  ASSERT_EQ(sample.input.size(), 1u);
  EXPECT_EQ(sample.input[0].role, "user");
  EXPECT_EQ(sample.input[0].content, "2*3?");
  ASSERT_EQ(sample.output.size(), 1u);
  EXPECT_EQ(sample.output[0].answer.role, "assistant");
  EXPECT_EQ(sample.output[0].answer.content, "6");
  EXPECT_EQ(sample.output[0].answer.label, Json({{"reference", 6}}));
  EXPECT_EQ(sample.metadata, Json({{"topic", "math"}}));
  // What rmg convert writes reads back as a DataSample.
  EXPECT_EQ(DataSampleFromJson(DataSampleToJson(sample)).output[0].answer.content, "6");
}

TEST(FieldMapping, MessageListInputAndListOfOutputs) {
  const Json record = Json::parse(R"({"chat": {"turns": [{"role": "system", "content": "s"},
      {"role": "user", "content": "u"}]}, "candidates": ["a", "b", "c"], "meta": {"rank": [1, 2]}})");
  const DataSample sample =
      FieldMapping::Parse({"input=chat.turns", "output=candidates", "label.rank=meta.rank"}).Convert(record);
  EXPECT_EQ(sample.unique_id, "generic/" + ContentKey({record.dump()}));
  ASSERT_EQ(sample.input.size(), 2u);
  EXPECT_EQ(sample.input[0].role, "system");
  EXPECT_EQ(sample.input[1].content, "u");
  ASSERT_EQ(sample.output.size(), 3u);
  EXPECT_EQ(sample.output[2].answer.content, "c");
  for (const DataOutput& output : sample.output) EXPECT_EQ(output.answer.label, Json({{"rank", {1, 2}}}));
  EXPECT_EQ(sample.metadata, Json::object());
}

TEST(FieldMapping, BadEntries) {
  EXPECT_EQ(ParseErrorOf({"input=q"}), "--map: output=PATH is required");
  EXPECT_EQ(ParseErrorOf({"output=a"}), "--map: input=PATH is required");
  EXPECT_EQ(ParseErrorOf({"input=q", "output=a", "score=s"}),
            "--map score=s: unknown target 'score' (known: input, output, id, label.KEY)");
  EXPECT_EQ(ParseErrorOf({"input=q", "output"}), "--map output: expected TARGET=PATH");
  EXPECT_EQ(ParseErrorOf({"input=q", "input=r", "output=a"}), "--map input=r: input is mapped twice");
  EXPECT_EQ(ParseErrorOf({"input=q..x", "output=a"}), "--map input=q..x: empty segment in the path");
}

TEST(FieldMapping, BadRecordsNameThePath) {
  const std::vector<std::string> entries = {"input=q", "output=answers.1.text"};
  EXPECT_EQ(ConvertErrorOf(entries, R"({"q": "x", "answers": [{"text": "a"}]})"),
            "answers.1: missing (the array has 1 items)");
  EXPECT_EQ(ConvertErrorOf(entries, R"({"q": "x", "answers": [{"text": "a"}, {"txt": "b"}]})"),
            "answers.1.text: missing");
  EXPECT_EQ(ConvertErrorOf(entries, R"({"q": "x", "answers": "none"})"),
            "answers.1: missing (answers is not an object or array)");
  EXPECT_EQ(ConvertErrorOf({"input=q", "output=answers.-1.text"}, R"({"q": "x", "answers": [{"text": "a"}]})"),
            "answers.-1: missing (answers is an array, and '-1' is not a 0-based index)");
  EXPECT_EQ(ConvertErrorOf(entries, R"({"q": 3, "answers": [{"text": "a"}, {"text": "b"}]})"),
            "q: expected a string or a list of messages");
  EXPECT_EQ(ConvertErrorOf({"input=q", "output=a"}, R"({"q": "x", "a": ["ok", 2]})"), "a.1: expected a string");
  EXPECT_EQ(ConvertErrorOf({"input=q", "output=a", "id=k"}, R"({"q": "x", "a": "y", "k": 1.5})"),
            "k: expected a string or an integer");
}

}  // namespace
}  // namespace rmg::bench
