#include "rmg/sample_io.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rmg {
namespace {

constexpr const char* kSample = R"({"unique_id":"s1","input":[{"role":"user","content":"What is 2+2?","time_created":"2025-01-01T00:00:00Z"}],"output":[{"answer":{"role":"assistant","content":"4","label":{"reference":"4","tests":[1,2.5,"x"]},"future_field":{"a":[true,null]}},"steps":[{"role":"assistant","content":"step one"}],"output_note":7}],"task_category":"math","source":"gsm8k","metadata":{"k":"v"},"top_level_extra":[1,{"b":2}]})";

TEST(SampleIoTest, ParsesKnownFields) {
  const DataSample sample = ParseDataSample(kSample);
  EXPECT_EQ(sample.unique_id, "s1");
  ASSERT_EQ(sample.input.size(), 1u);
  EXPECT_EQ(sample.input[0].role, "user");
  EXPECT_EQ(sample.input[0].content, "What is 2+2?");
  ASSERT_EQ(sample.output.size(), 1u);
  EXPECT_EQ(sample.output[0].answer.content, "4");
  std::string scratch;  // holds a non-string reference as JSON text
  EXPECT_EQ(LabelReference(sample.output[0].answer, &scratch), "4");
  ASSERT_TRUE(sample.output[0].steps.has_value());
  EXPECT_EQ((*sample.output[0].steps)[0].content, "step one");
  EXPECT_EQ(sample.task_category, "math");
  EXPECT_EQ(sample.source, "gsm8k");
  EXPECT_EQ(sample.metadata["k"], "v");
}

TEST(SampleIoTest, RoundTripKeepsUnknownFields) {
  const DataSample sample = ParseDataSample(kSample);
  std::string text;
  AppendDataSampleJson(sample, &text);
  const Json original = Json::parse(kSample);
  const Json written = Json::parse(text);
  EXPECT_EQ(written["input"][0]["time_created"], "2025-01-01T00:00:00Z");
  EXPECT_EQ(written["output"][0]["answer"]["future_field"], original["output"][0]["answer"]["future_field"]);
  EXPECT_EQ(written["output"][0]["output_note"], 7);
  EXPECT_EQ(written["top_level_extra"], original["top_level_extra"]);
  EXPECT_EQ(written["output"][0]["answer"]["label"], original["output"][0]["answer"]["label"]);
  // A second round trip is byte-identical.
  std::string again;
  AppendDataSampleJson(ParseDataSample(text), &again);
  EXPECT_EQ(again, text);
}

// A reward detail's other keys stay where they were: RM-Gallery's listwise details carry
// a rank list, and a writer may add its own. They were moved into "extra" (and lost when
// "extra" was there too, or an error when it was not an object).
TEST(SampleIoTest, RewardDetailsKeepTheirOtherKeys) {
  const std::string text =
      R"({"unique_id":"d","input":[],"output":[{"answer":{"role":"assistant","content":"x","reward":{"score":0.5,)"
      R"("details":[{"name":"a","score":0.5,"reason":"r","foo":1},{"name":"b","score":0.0,"reason":"r","foo":1,)"
      R"("extra":{"bar":2}},{"name":"c","score":0.0,"reason":"r","extra":5,"rank":[1,0]}]}}}]})";
  std::string written;
  AppendDataSampleJson(ParseDataSample(text), &written);
  const Json details = Json::parse(written)["output"][0]["answer"]["reward"]["details"];
  EXPECT_EQ(details[0], Json::parse(R"({"name":"a","score":0.5,"reason":"r","foo":1})"));
  EXPECT_EQ(details[1], Json::parse(R"({"name":"b","score":0.0,"reason":"r","extra":{"bar":2},"foo":1})"));
  EXPECT_EQ(details[2], Json::parse(R"({"name":"c","score":0.0,"reason":"r","extra":5,"rank":[1,0]})"));
}

// RM-Gallery's listwise judges leave RewardDimensionWithRank details (a rank, no score)
// in the details list. Such a detail is written back without a score; it was written
// with "score":0.0, which then counted in the answer's mean.
TEST(SampleIoTest, ADetailWithoutScoreIsWrittenWithoutOne) {
  const std::string text =
      R"({"unique_id":"d","input":[],"output":[{"answer":{"role":"assistant","content":"x","reward":{"score":0.5,)"
      R"("details":[{"name":"judge","reason":"r","rank":[1,0]},{"name":"b","score":0.5,"reason":"r"}]}}}]})";
  const DataSample sample = ParseDataSample(text);
  const std::vector<RewardDetail>& details = sample.output[0].answer.reward->details;
  EXPECT_FALSE(details[0].score.has_value());
  EXPECT_EQ(details[1].score, 0.5);
  std::string written;
  AppendDataSampleJson(sample, &written);
  EXPECT_EQ(Json::parse(written), Json::parse(text));
}

TEST(SampleIoTest, RepeatedKeysReadAsJsonParseReadsThem) {
  // More than 8 fields, so repeats are found by sorting; a repeated known field
  // takes its last value, a repeated unknown one stays where it first was.
  std::string text = R"({"unique_id": "first", "x": 1, "output": [{"answer": {"content": "a", "y": 1, "y": 2}}])";
  for (int i = 0; i < 8; ++i) text += ", \"e" + std::to_string(i) + "\": " + std::to_string(i);
  text += R"(, "x": {"z": 1, "z": 2}, "unique_id": "last"})";
  const DataSample sample = ParseDataSample(text);
  EXPECT_EQ(sample.unique_id, "last");
  std::string text_written;
  AppendDataSampleJson(sample, &text_written);
  const Json written = Json::parse(text_written);
  EXPECT_EQ(written["output"][0]["answer"]["y"], 2);
  EXPECT_EQ(written["x"], Json::parse(R"({"z": 2})"));
  // The unknown fields, after the known ones, in the order Json::parse gives them.
  std::vector<std::string> unknown_keys;
  for (const auto& [key, value] : written.items()) {
    if (key != "unique_id" && key != "input" && key != "output") unknown_keys.push_back(key);
  }
  EXPECT_EQ(unknown_keys, (std::vector<std::string>{"x", "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7"}));
}

// A lone surrogate escape is valid JSON text that Python reads (and RM-Gallery scores);
// the record was refused. The lone half is read as U+FFFD.
TEST(SampleIoTest, LoneSurrogateEscapesAreReadAsTheReplacementCharacter) {
  const DataSample sample = ParseDataSample(
      R"({"unique_id": "s1", "input": [], "output": [{"answer": {"content": "ab\ud800cd", "label": {"reference": "x\udfff"}}}]})");
  EXPECT_EQ(sample.output[0].answer.content, "ab\uFFFDcd");
  EXPECT_EQ(sample.output[0].answer.label["reference"], "x\uFFFD");
  EXPECT_THROW(ParseDataSample(R"({"unique_id": "s1", "input": [)"), SchemaError);
}

TEST(SampleIoTest, IntegersBeyond64BitsAreReadAsDoubles) {
  // Valid JSON (Python reads it as an int); simdjson does not read it, nlohmann does.
  const DataSample sample = ParseDataSample(
      R"({"unique_id": "b", "output": [{"answer": {"content": "x"}}], "metadata": {"id": 123456789012345678901234567890}})");
  EXPECT_EQ(sample.unique_id, "b");
  EXPECT_EQ(sample.metadata["id"], 123456789012345678901234567890.0);
  EXPECT_THROW(ParseDataSample(R"({"unique_id": "b", "metadata": {"id": 1e999}})"), SchemaError);
  EXPECT_THROW(ParseDataSample(R"({"unique_id": "b", "metadata": {"id": 01}})"), SchemaError);
  // Nesting too deep for simdjson stays an error, even after such an integer.
  const std::string deep = std::string(2000, '[') + std::string(2000, ']');
  try {
    ParseDataSample(R"({"unique_id": "b", "n": 123456789012345678901234567890, "m": )" + deep + "}");
    ADD_FAILURE() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "invalid JSON: parse error: nested deeper than 1024 levels");
  }
}

TEST(SampleIoTest, WritesRewardsWithFloatScores) {
  DataSample sample = ParseDataSample(R"({"unique_id":"r","output":[{"answer":{"content":"x"}}]})");
  Reward& reward = MutableReward(sample.output[0].answer);
  reward.details.push_back({"accuracy", 1.0, "ok", nullptr});
  reward.details.push_back({"other", 0.25, "tab\there \"quoted\" \x01", nullptr});
  RecomputeScore(reward);
  std::string text;
  AppendDataSampleJson(sample, &text);
  EXPECT_NE(text.find(R"("reward":{"score":0.625,"details":[{"name":"accuracy","score":1.0,"reason":"ok"})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("reason":"tab\there \"quoted\" \u0001")"), std::string::npos) << text;
  const DataSample back = ParseDataSample(text);
  ASSERT_TRUE(back.output[0].answer.reward.has_value());
  EXPECT_DOUBLE_EQ(back.output[0].answer.reward->score, 0.625);
  EXPECT_EQ(back.output[0].answer.reward->details[1].reason, "tab\there \"quoted\" \x01");
}

// Content parts are read as their text (what rewards score) and written back as they were.
TEST(SampleIoTest, ContentPartsAreReadAsTheirTextAndKept) {
  const char* text =
      R"({"unique_id":"c","input":[{"role":"user","content":[{"type":"text","text":"hi"},)"
      R"({"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"there"},{"type":"text","text":7}]}]})";
  const DataSample sample = ParseDataSample(text);
  EXPECT_EQ(sample.input[0].content, "hi\nthere");
  std::string out;
  AppendDataSampleJson(sample, &out);
  EXPECT_EQ(Json::parse(out)["input"][0]["content"], Json::parse(text)["input"][0]["content"]);
}

// A number was scored as "" without a word; RM-Gallery's rewards crash on it.
TEST(SampleIoTest, ContentThatIsNotTextIsAnError) {
  for (const char* content : {"51", "true", R"({"type":"text","text":"hi"})"}) {
    try {
      ParseDataSample(std::string(R"({"unique_id":"n","output":[{"answer":{"content":)") + content + "}}]}");
      FAIL() << content;
    } catch (const SchemaError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("output[0].answer.content: expected a string, a list of content parts or "
                                            "null, got ",
                                            0),
                0u)
          << e.what();
    }
  }
  EXPECT_EQ(ParseDataSample(R"({"unique_id":"n","output":[{"answer":{"content":null}}]})").output[0].answer.content,
            "");
}

TEST(SampleIoTest, NumericUniqueIdBecomesString) {
  EXPECT_EQ(ParseDataSample(R"({"unique_id":42})").unique_id, "42");
}

TEST(SampleIoTest, MissingUniqueIdIsAnError) {
  try {
    ParseDataSample(R"({"input":[]})");
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_NE(std::string(e.what()).find("unique_id"), std::string::npos) << e.what();
  }
}

TEST(SampleIoTest, WrongTypeNamesTheFieldPath) {
  try {
    ParseDataSample(R"({"unique_id":"x","output":[{"answer":{"content":"a"}},{"answer":{"role":5}}]})");
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "output[1].answer.role: expected a string");
  }
}

TEST(SampleIoTest, InvalidJsonSaysWhere) {
  try {
    ParseDataSample(R"({"unique_id": "x", "input": [})");
    FAIL() << "expected SchemaError";
  } catch (const SchemaError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("invalid JSON: ", 0), 0u) << what;
    EXPECT_NE(what.find("column"), std::string::npos) << what;
  }
}

TEST(SampleIoTest, OutputWithoutAnswerIsAnError) {
  EXPECT_THROW(ParseDataSample(R"({"unique_id":"x","output":[{"steps":[]}]})"), SchemaError);
}

TEST(SampleIoTest, UnicodeTextIsWrittenAsUtf8) {
  const DataSample sample = ParseDataSample(R"({"unique_id":"u","output":[{"answer":{"content":"\u4f60\u597d \u00e9"}}]})");
  EXPECT_EQ(sample.output[0].answer.content, "你好 é");
  std::string out;
  AppendDataSampleJson(sample, &out);
  EXPECT_NE(out.find("你好 é"), std::string::npos);
}

TEST(SampleIoTest, DoublesRoundTripExactly) {
  Json value = Json::array({0.1, 1e-7, 123456789.125, 3.0, -0.0});
  std::string out;
  AppendJson(value, &out);
  EXPECT_EQ(out, "[0.1,1e-07,123456789.125,3.0,-0.0]");
  EXPECT_EQ(Json::parse(out), value);
}

}  // namespace
}  // namespace rmg
