// Tag helpers against the Python expressions they stand for:
// re.search(open + ".*?" + close, text, re.DOTALL), re.findall(open + "(.*?)" + close,
// text, re.DOTALL), str.count and str.isspace (expected values from CPython 3.11).
#include "gallery/format/tags.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace rmg::gallery {
namespace {

using Bodies = std::vector<std::string_view>;

TEST(HasTagPairTest, OpenFollowedByClose) {
  EXPECT_TRUE(HasTagPair("<t>x</t>", "<t>", "</t>"));
  EXPECT_TRUE(HasTagPair("<t></t>", "<t>", "</t>"));
  EXPECT_TRUE(HasTagPair("a <t>line\nline</t> b", "<t>", "</t>"));
  EXPECT_TRUE(HasTagPair("</t><t>x</t>", "<t>", "</t>"));
}

TEST(HasTagPairTest, CloseOnlyBeforeOpenIsNoPair) {
  EXPECT_FALSE(HasTagPair("</t>x<t>", "<t>", "</t>"));
  EXPECT_FALSE(HasTagPair("<t>x", "<t>", "</t>"));
  EXPECT_FALSE(HasTagPair("x</t>", "<t>", "</t>"));
  EXPECT_FALSE(HasTagPair("", "<t>", "</t>"));
}

TEST(TagBodiesTest, NonOverlappingPairsInOrder) {
  EXPECT_EQ(TagBodies("<t>a</t> <t>b</t>", "<t>", "</t>"), (Bodies{"a", "b"}));
  EXPECT_EQ(TagBodies("<t></t>", "<t>", "</t>"), (Bodies{""}));
}

TEST(TagBodiesTest, BodyEndsAtFirstCloseAndMayContainAnOpen) {
  EXPECT_EQ(TagBodies("<t>a<t>b</t>c</t>", "<t>", "</t>"), (Bodies{"a<t>b"}));
  EXPECT_EQ(TagBodies("<t>a</t></t><t>b", "<t>", "</t>"), (Bodies{"a"}));
}

TEST(TagBodiesTest, UnclosedOpenGivesNothing) {
  EXPECT_EQ(TagBodies("<t>a", "<t>", "</t>"), Bodies{});
  EXPECT_EQ(TagBodies("plain", "<t>", "</t>"), Bodies{});
}

TEST(CountOccurrencesTest, CountsNonOverlappingLikeStrCount) {
  EXPECT_EQ(CountOccurrences("aaaa", "aa"), 2u);
  EXPECT_EQ(CountOccurrences("<a><a></a>", "<a>"), 2u);
  EXPECT_EQ(CountOccurrences("", "<a>"), 0u);
}

TEST(IsAllSpaceTest, PythonWhitespace) {
  EXPECT_TRUE(IsAllSpace(""));
  EXPECT_TRUE(IsAllSpace(" \t\n\r\v\f"));
  EXPECT_TRUE(IsAllSpace("\u3000\u00a0\u2003"));
  EXPECT_FALSE(IsAllSpace(" x "));
  EXPECT_FALSE(IsAllSpace("\u200b"));  // ZERO WIDTH SPACE is not str.isspace()
}

}  // namespace
}  // namespace rmg::gallery
