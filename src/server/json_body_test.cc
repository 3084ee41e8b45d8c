#include "server/json_body.h"

#include <gtest/gtest.h>

#include "server/request_error.h"

namespace rmg::server {
namespace {

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
