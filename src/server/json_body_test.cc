#include "server/json_body.h"

#include <gtest/gtest.h>

#include "server/request_error.h"

namespace rmg::server {
namespace {

TEST(JsonBodyTest, NestingDepthSkipsStrings) {
  EXPECT_EQ(JsonNestingDepth("{}", 64), 1);
  EXPECT_EQ(JsonNestingDepth(R"({"a": [[1], {"b": []}]})", 64), 4);
  EXPECT_EQ(JsonNestingDepth(R"(["[[[[", "\"[[[", "\\"])", 64), 1);
  EXPECT_EQ(JsonNestingDepth("\"", 64), 0);
  EXPECT_EQ(JsonNestingDepth("]]]][", 64), 1);
}

TEST(JsonBodyTest, NestingDepthStopsPastTheLimit) {
  EXPECT_EQ(JsonNestingDepth(std::string(1000000, '['), 64), 65);
}

TEST(JsonBodyTest, ParsesAnObjectOnly) {
  EXPECT_EQ(ParseJsonObjectBody(R"({"a": 1})")["a"], 1);
  EXPECT_THROW(ParseJsonObjectBody("[1]"), RequestError);
  EXPECT_THROW(ParseJsonObjectBody("{"), RequestError);
  EXPECT_THROW(ParseJsonObjectBody(std::string(65, '[') + std::string(65, ']')), RequestError);
  EXPECT_EQ(ParseJsonObjectBody(R"({"a":)" + std::string(63, '[') + std::string(63, ']') + "}").size(), 1u);
}

TEST(JsonBodyTest, FieldPaths) {
  EXPECT_EQ(IndexedField("query", 7), "query[7]");
  EXPECT_EQ(KeyedField("files", "a\"b.txt"), R"(files["a\"b.txt"])");
}

}  // namespace
}  // namespace rmg::server
