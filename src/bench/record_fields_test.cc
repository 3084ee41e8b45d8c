#include "bench/record_fields.h"

#include <gtest/gtest.h>

#include <string>

#include "bench/testing.h"
#include "rmg/sample_io.h"

namespace rmg::bench {
namespace {

using testing::SchemaErrorOf;

TEST(ContentKey, IsFnv1aOfThePartsEachEndedByAZeroByte) {
  // Reference values from an independent FNV-1a 64 (offset 0xcbf29ce484222325,
  // prime 0x100000001b3) over the bytes "\0", "a\0", "ab\0c\0" and "a\0bc\0".
  EXPECT_EQ(ContentKey({""}), "af63bd4c8601b7df");
  EXPECT_EQ(ContentKey({"a"}), "089be207b544f1e4");
  EXPECT_EQ(ContentKey({"ab", "c"}), "ad22872f536e4705");
  EXPECT_EQ(ContentKey({"a", "bc"}), "401801fc84f3ca79");
}

TEST(IntField, AcceptsWholeNumbersInRange) {
  const Json record = Json::parse(R"({"a": 3, "b": 3.0, "c": 3.5, "d": "3", "e": 9, "f": -1})");
  EXPECT_EQ(IntField(record, "a", 0, 4), 3);
  EXPECT_EQ(IntField(record, "b", 0, 4), 3);
  EXPECT_EQ(IntField(record, "f", -3, 3), -1);
  EXPECT_EQ(SchemaErrorOf([&] { IntField(record, "c", 0, 4); }), "c: expected an integer from 0 to 4, got 3.5");
  EXPECT_EQ(SchemaErrorOf([&] { IntField(record, "d", 0, 4); }), "d: expected an integer from 0 to 4, got \"3\"");
  EXPECT_EQ(SchemaErrorOf([&] { IntField(record, "e", 0, 4); }), "e: expected an integer from 0 to 4, got 9");
  EXPECT_EQ(SchemaErrorOf([&] { IntField(record, "z", 0, 4); }), "z: missing");
}

TEST(MessagesOf, ReadsOpenAiMessages) {
  const Json messages = Json::parse(R"([
      {"role": "system", "content": "Be brief."},
      {"role": "user", "content": [{"type": "text", "text": "hi"}], "name": "ann"},
      {"role": "assistant", "content": null, "tool_calls": [{"id": "t1"}], "weight": 0}])");
  const std::vector<ChatMessage> read = MessagesOf(messages, "messages");
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].role, "system");
  EXPECT_EQ(read[0].content, "Be brief.");
  EXPECT_EQ(read[1].content, "hi");
  EXPECT_EQ(read[1].raw_content, messages[1]["content"]);
  EXPECT_EQ(read[1].name, "ann");
  EXPECT_EQ(read[2].tool_calls, messages[2]["tool_calls"]);
  EXPECT_EQ(read[2].extra, Json({{"weight", 0}}));
}

TEST(MessagesOf, ErrorsNameTheMessage) {
  EXPECT_EQ(SchemaErrorOf([] { MessagesOf(Json("hi"), "context"); }), "context: expected an array of messages");
  EXPECT_EQ(SchemaErrorOf([] { MessagesOf(Json::parse(R"([{"role": "user", "content": "a"}, 3])"), "context"); }),
            "context[1]: expected an object with role and content");
  EXPECT_EQ(SchemaErrorOf([] { MessagesOf(Json::parse(R"([{"role": 1, "content": "a"}])"), "context"); }),
            "context[0].role: expected a string");
  EXPECT_EQ(SchemaErrorOf([] { MessagesOf(Json::parse(R"([{"content": "a"}])"), "context"); }),
            "context[0].role: missing");
}

}  // namespace
}  // namespace rmg::bench
