#include "llm/output_schema.h"

#include <gtest/gtest.h>

#include <string>

namespace rmg::llm {
namespace {

using Tags = std::map<std::string, std::string>;

TEST(LlmOutputSchemaTest, RendersRmGallerySchemaText) {
  const std::vector<OutputField> fields = {ReasonField(), {"best", "which answer is the best? just give the number here!!!"}};
  EXPECT_EQ(RenderOutputSchema(fields, false),
            "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
            "<reason>\nyour reasoning trace\n</reason>\n"
            "<best>\nwhich answer is the best? just give the number here!!!\n</best>\n");
  EXPECT_EQ(RenderOutputSchema(fields, true),
            "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
            "<best>\nwhich answer is the best? just give the number here!!!\n</best>\n");
}

TEST(LlmParseOutputTagsTest, JunkAroundTagsIsIgnoredAndBodiesAreStripped) {
  EXPECT_EQ(ParseOutputTags("Sure! Here you go:\n<reason>\n  Answer 2 is right.\n</reason>\n\n<best> 2 </best>\nThanks"),
            (Tags{{"reason", "Answer 2 is right."}, {"best", "2"}}));
  EXPECT_EQ(ParseOutputTags("no tags at all"), Tags{});
  EXPECT_EQ(ParseOutputTags(""), Tags{});
}

TEST(LlmParseOutputTagsTest, LastCompletePairWins) {
  EXPECT_EQ(ParseOutputTags("<best>1</best> wait, no: <best>2</best>"), (Tags{{"best", "2"}}));
  // RM-Gallery's greedy regex would give "1</best> wait, no: <best>2" here.
}

TEST(LlmParseOutputTagsTest, UnclosedTagsAreIgnored) {
  EXPECT_EQ(ParseOutputTags("<reason>I think <best>2</best>"), (Tags{{"best", "2"}}));
  EXPECT_EQ(ParseOutputTags("<best>1</best> then <best>3"), (Tags{{"best", "1"}}));
  EXPECT_EQ(ParseOutputTags("<best>3"), Tags{});
  EXPECT_EQ(ParseOutputTags("</best>3"), Tags{});
  EXPECT_EQ(ParseOutputTags("</best><best>3"), Tags{});
}

TEST(LlmParseOutputTagsTest, OtherTagsStayInsideABody) {
  const Tags tags = ParseOutputTags("<answer>use <b>bold</b> and <i>x</answer>");
  EXPECT_EQ(tags.at("answer"), "use <b>bold</b> and <i>x");
  EXPECT_EQ(tags.at("b"), "bold");
  EXPECT_EQ(tags.count("i"), 0u);
}

// A verdict the reasoning quotes was read as the verdict: the last <best> pair was
// the one inside <reason>.
TEST(LlmParseOutputTagsTest, TagsTheReasoningQuotesAreNoFields) {
  EXPECT_EQ(ParseOutputTags("<best>2</best><reason>My draft said <best>1</best>, but 2 is better.</reason>").at("best"),
            "2");
  EXPECT_EQ(ParseOutputTags("<reason>Answer <best>3</best> is the worst.</reason>").count("best"), 0u);
  EXPECT_EQ(ParseOutputTags("<think>maybe <best>1</best></think><best>2</best>").at("best"), "2");
  // Inside a wrapper that is not reasoning, the tags are the reply's fields.
  EXPECT_EQ(ParseOutputTags("<answer><reason>r</reason><best>2</best></answer>"),
            (Tags{{"answer", "<reason>r</reason><best>2</best>"}, {"best", "2"}, {"reason", "r"}}));
  // Pairs that overlap without one holding the other are both fields.
  EXPECT_EQ(ParseOutputTags("<a>1<b>2</a>3</b>"), (Tags{{"a", "1<b>2"}, {"b", "2</a>3"}}));
}

TEST(LlmParseOutputTagsTest, NestedSameNameTagsPairInnermostFirst) {
  EXPECT_EQ(ParseOutputTags("<a>x<a>y</a>z</a>").at("a"), "x<a>y</a>z");
  EXPECT_EQ(ParseOutputTags("<a>x<a>y</a>").at("a"), "y");
}

TEST(LlmParseOutputTagsTest, OnlyWellFormedNamesAreTags) {
  EXPECT_EQ(ParseOutputTags("1 <3 and <a href=x>t</a> <1>n</1> < b>c</ b>"), Tags{});
  EXPECT_EQ(ParseOutputTags("<rubric_1.v-2>ok</rubric_1.v-2>"), (Tags{{"rubric_1.v-2", "ok"}}));
  EXPECT_EQ(ParseOutputTags("<<best>>2<</best>>"), (Tags{{"best", ">2<"}}));
}

TEST(LlmParseOutputTagsTest, HundredKilobyteRepliesParse) {
  std::string reply;
  for (int i = 0; i < 10000; ++i) reply += "<a><b>x</a> <";  // unbalanced noise, many opens
  reply += "<best>3</best>";
  const Tags tags = ParseOutputTags(reply);
  EXPECT_EQ(tags.at("best"), "3");
  EXPECT_EQ(tags.at("a"), "<b>x");

  std::string nested;
  for (int i = 0; i < 10000; ++i) nested += "<t>";
  nested += "core";
  for (int i = 0; i < 10000; ++i) nested += "</t>";
  EXPECT_EQ(ParseOutputTags(nested).at("t").size(), nested.size() - 7);
}

TEST(LlmReasonTextTest, ThinkWinsOverReason) {
  EXPECT_EQ(ReasonText({{"think", "t"}, {"reason", "r"}}), "t");
  EXPECT_EQ(ReasonText({{"reason", "r"}}), "r");
  EXPECT_EQ(ReasonText({{"think", ""}, {"reason", "r"}}), "r");
  EXPECT_EQ(ReasonText({{"best", "1"}}), "");
}

TEST(LlmSplitThinkingTest, LeadingThinkBlockIsSeparated) {
  const ThinkingSplit split = SplitThinking("\n <think>maybe <best>1</best>?</think>\n<best>2</best>");
  EXPECT_EQ(split.thinking, "maybe <best>1</best>?");
  EXPECT_EQ(split.answer, "\n<best>2</best>");
  EXPECT_EQ(ParseOutputTags(split.answer).at("best"), "2");
}

TEST(LlmSplitThinkingTest, UnclosedThinkIsAllThinking) {
  const ThinkingSplit split = SplitThinking("<think>still going <best>1</best>");
  EXPECT_EQ(split.thinking, "still going <best>1</best>");
  EXPECT_EQ(split.answer, "");
  EXPECT_TRUE(ParseOutputTags(split.answer).empty());
}

TEST(LlmSplitThinkingTest, CloseWithoutOpenEndsThinking) {
  const ThinkingSplit split = SplitThinking("reasoning <best>1</best></think><best>2</best>");
  EXPECT_EQ(split.thinking, "reasoning <best>1</best>");
  EXPECT_EQ(split.answer, "<best>2</best>");
}

TEST(LlmSplitThinkingTest, NoThinkingLeavesContentAlone) {
  const std::string reply = "<reason>r</reason> mentions <think>x</think> later";
  const ThinkingSplit split = SplitThinking(reply);
  EXPECT_EQ(split.thinking, "");
  EXPECT_EQ(split.answer, reply);
}

}  // namespace
}  // namespace rmg::llm
