#include "llm/rubric_prompt.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "rmg/sample_io.h"

namespace rmg::llm {
namespace {

const std::string kListwiseSchema =
    "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
    "<reason>\nyour reasoning trace\n</reason>\n"
    "<best>\nwhich answer is the best? just give the number here!!!\n</best>\n";

TEST(PromptFormatMessagesTest, PlainRolesJoinedByNewline) {
  ChatMessage system, user;
  system.role = "system";
  system.content = "Be kind.";
  user.content = "hi";
  EXPECT_EQ(FormatMessages({system, user}), "<system>Be kind.</system>\n<user>hi</user>");
  EXPECT_EQ(FormatMessages({}), "");
}

TEST(PromptFormatMessagesTest, ContentPartsGiveTheirText) {
  const DataSample sample =
      ParseDataSample(R"({"unique_id": "u", "input": [{"role": "user", "content": [{"type": "text", "text": "a"},)"
                      R"( {"type": "image_url"}, {"type": "text", "text": "b"}]}]})");
  EXPECT_EQ(FormatMessages(sample.input), "<user>a\nb</user>");
}

TEST(PromptRubricTest, NumbersRubricsLikeRmGallery) {
  EXPECT_EQ(NumberRubrics({"x", "y"}), "1. x\n2. y\n");
  EXPECT_EQ(NumberRubrics({}), "");
}

TEST(PromptRubricTest, ListwiseWithoutOptionalSectionsDropsRubricsHeading) {
  const RubricPromptInput input{"D", "", {}, {}, "<user>q</user>", "", {"a"}, ""};
  EXPECT_EQ(RenderRubricListwise(input, false), "# Task Description\nD\n\n\n\n\n\n# Query\n<user>q</user>\n\n\n# Answers\n"
                                                "## Answer 1\na\n\n\n\n# Output Requirement\n" + kListwiseSchema + "\n");
}

TEST(PromptRubricTest, PointwiseKeepsRubricsHeadingAndShowsFirstAnswer) {
  const RubricPromptInput input{"D", "S", {}, {}, "q", "", {"a", "ignored"}, ""};
  EXPECT_EQ(RenderRubricPointwise(input, false),
            "# Task Description\nD\n\n# Scenario\nS\n\n\n# Rubrics\n\n\n\n# Query\nq\n\n\n# Answer\na\n\n"
            "# Output Requirement\n"
            "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
            "<reason>\nyour reasoning trace\n</reason>\n<violation>\na list of violated rubrics\n</violation>\n\n");
}

TEST(PromptRubricTest, PairwisePrompt) {
  const RubricPromptInput input{"D", "S", {"r1", "r2"}, {}, "q", "", {"a", "b"}, "ref"};
  EXPECT_EQ(RenderRubricPairwise(input, true),
            "# Task Description\nD\n\n# Scenario\nS\n\n# Rubrics\n1. r1\n2. r2\n\n# Query\nq\n\n"
            "# Reference\nref\n\n# Answers\n## Answer A\na\n\n## Answer B\nb\n\n# Output Requirement\n"
            "Note: Ensure all outputs are placed within the tags like <tag> </tag> as required!!!\n"
            "<preference>\nwhich answer is better? just give A, B or tie here!!!\n</preference>\n");
  RubricPromptInput one = input;
  one.answers = {"a"};
  EXPECT_THROW(RenderRubricPairwise(one, false), std::invalid_argument);
}

TEST(PromptPrometheusTest, AbsolutePromptHasRubricAndOptionalReference) {
  const ScoreRubric rubric{"Is the answer correct?", {"wrong", "mostly wrong", "half right", "mostly right", "right"}};
  const std::string with = RenderPrometheusAbsolute("What is 2+2?", "4", "4", rubric);
  EXPECT_NE(with.find("###Response to evaluate:\n4\n\n###Reference Answer (Score 5):\n4\n\n"), std::string::npos);
  EXPECT_NE(with.find("###Score Rubrics:\n[Is the answer correct?]\nScore 1: wrong\nScore 2: mostly wrong\n"
                      "Score 3: half right\nScore 4: mostly right\nScore 5: right\n\n###Feedback:"),
            std::string::npos);
  EXPECT_NE(with.find("[RESULT] (an integer from 1 to 5)"), std::string::npos);
  const std::string without = RenderPrometheusAbsolute("What is 2+2?", "4", "", rubric);
  EXPECT_EQ(without.find("Reference"), std::string::npos);
  EXPECT_EQ(without.find("reference"), std::string::npos);
}

TEST(PromptPrometheusTest, RelativePrompt) {
  const std::string prompt = RenderPrometheusRelative("Say hi", "hi", "hello", "", "Which is friendlier?");
  EXPECT_NE(prompt.find("###Response A:\nhi\n\n###Response B:\nhello\n\n###Score Rubric:\nWhich is friendlier?\n\n"
                        "###Feedback:"),
            std::string::npos);
  EXPECT_NE(prompt.find("[RESULT] (A or B)"), std::string::npos);
  EXPECT_NE(RenderPrometheusRelative("i", "a", "b", "gold", "r").find("###Reference Answer:\ngold\n\n"),
            std::string::npos);
}

TEST(PromptPrometheusTest, ScoreIsTheLastResult) {
  EXPECT_EQ(ParsePrometheusScore("Feedback: fine. [RESULT] 4"), 4);
  EXPECT_EQ(ParsePrometheusScore("Feedback: fine. [RESULT]: 4"), 4);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] 4/5\n"), 4);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] **5**"), 5);
  EXPECT_EQ(ParsePrometheusScore("format is [RESULT] 1 ... so [RESULT] 3"), 3);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] 3\nThat is all."), 3);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] 2 ... [RESULT] great"), std::nullopt);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] 6"), std::nullopt);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] 0"), std::nullopt);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] 10"), std::nullopt);
  EXPECT_EQ(ParsePrometheusScore("[RESULT] 4/10"), std::nullopt);
  EXPECT_EQ(ParsePrometheusScore("Score: 4"), std::nullopt);
}

TEST(PromptPrometheusTest, PreferenceIsTheLastResult) {
  EXPECT_EQ(ParsePrometheusPreference("Feedback: A is better. [RESULT] A"), 'A');
  EXPECT_EQ(ParsePrometheusPreference("[RESULT]: Response B"), 'B');
  EXPECT_EQ(ParsePrometheusPreference("[RESULT] [[B]]"), 'B');
  EXPECT_EQ(ParsePrometheusPreference("[RESULT] A or B"), std::nullopt);
  EXPECT_EQ(ParsePrometheusPreference("[RESULT] C"), std::nullopt);
  EXPECT_EQ(ParsePrometheusPreference("A"), std::nullopt);
}

}  // namespace
}  // namespace rmg::llm
