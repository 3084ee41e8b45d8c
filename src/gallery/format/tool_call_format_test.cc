// reasoning_tool_call_format: RM-Gallery's ReasoningToolCallFormatReward
// (rm_gallery_api.md §11.2), instance name `tool_call_format`. Whether each text is
// valid was checked once against the documented Python regexes and json.loads in
// CPython 3.11.
#include <gtest/gtest.h>

#include <string>

#include "gallery/testing.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::SortedKeys;

constexpr const char* kToolCallFormatReward = "reasoning_tool_call_format";
constexpr const char* kMissingThink = "Missing <think></think> tags";
constexpr const char* kValidAnswer = "Valid <think></think> + <answer></answer> format";
constexpr const char* kInvalidAnswer = "Invalid <think></think> + <answer></answer> format";
constexpr const char* kValidToolCall = "Valid <think></think> + <tool_call></tool_call> format with valid JSON";
constexpr const char* kInvalidJson = "Invalid JSON format in <tool_call> tags";
constexpr const char* kInvalidToolCall = "Invalid <think></think> + <tool_call></tool_call> format";
constexpr const char* kInvalidCombination =
    "Invalid combination: should have either <answer> or <tool_call> tags, not both or neither";

const std::string kCallF = R"({"name": "f", "arguments": {}})";
const std::string kCallG = R"({"name": "g", "arguments": {"x": 1}})";

std::string Call(const std::string& body) { return "<tool_call>" + body + "</tool_call>"; }

// --- no <think> ---

TEST(ToolCallFormatRewardTest, MissingThink) {
  const auto r = Score(kToolCallFormatReward, "<answer>4</answer>");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), kMissingThink);
  EXPECT_EQ(r.extra.at("has_think_tag"), false);
  EXPECT_EQ(r.extra.at("has_answer_tag"), true);
}

// 20,000 calls before half a megabyte of trailing spaces: the trailing spaces were
// rescanned once per tag (minutes of CPU, past any --timeout, as the reward never looks
// at its deadline); now each stretch of whitespace is read once.
TEST(ToolCallFormatRewardTest, ManyTagsBeforeLongTrailingSpaceTakeLinearTime) {
  std::string text = "<think>a</think>";
  for (int i = 0; i < 20000; ++i) text += Call(kCallF);
  text += std::string(500000, ' ');
  const auto r = Score(kToolCallFormatReward, text);
  EXPECT_EQ(r.reason(), kValidToolCall);
  EXPECT_EQ(r.extra.at("tool_call_count"), 20000);
}

// Python's json.loads reads a lone surrogate escape and refuses a byte-order mark.
TEST(ToolCallFormatRewardTest, ToolCallJsonIsReadAsPythonReadsIt) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>t</think>" + Call(R"({"name": "f", "arguments": "\ud800"})")).reason(),
            kValidToolCall);
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>t</think>" + Call("\xEF\xBB\xBF" + kCallF)).reason(), kInvalidJson);
}

TEST(ToolCallFormatRewardTest, ThinkTagsInWrongOrderCountAsMissing) {
  EXPECT_EQ(Score(kToolCallFormatReward, "</think>r<think>" + Call(kCallF)).reason(), kMissingThink);
}

// --- <think> + <answer> ---

TEST(ToolCallFormatRewardTest, ThinkThenAnswerIsValid) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think>\n<answer>a</answer>");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), kValidAnswer);
  EXPECT_EQ(r.extra.at("valid_format"), true);
  EXPECT_EQ(r.extra.at("valid_tool_call_json"), false);  // only set in the tool-call branch
  EXPECT_EQ(r.extra.at("reward"), 1.0);
}

TEST(ToolCallFormatRewardTest, WhitespaceAroundAndBetweenIsAllowed) {
  EXPECT_EQ(Score(kToolCallFormatReward, "  \n<think>r</think>\n\n<answer>a</answer>\n ").reason(), kValidAnswer);
  // \s is Unicode in Python: U+3000 between the blocks is fine.
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think>\u3000<answer>a</answer>").reason(), kValidAnswer);
}

TEST(ToolCallFormatRewardTest, TextOutsideTheBlocksInvalidatesTheAnswerFormat) {
  EXPECT_EQ(Score(kToolCallFormatReward, "Hi <think>r</think><answer>a</answer>").reason(), kInvalidAnswer);
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think><answer>a</answer> bye").reason(), kInvalidAnswer);
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think> so <answer>a</answer>").reason(), kInvalidAnswer);
}

TEST(ToolCallFormatRewardTest, AnswerBeforeThinkIsInvalid) {
  const auto r = Score(kToolCallFormatReward, "<answer>a</answer><think>r</think>");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), kInvalidAnswer);
}

TEST(ToolCallFormatRewardTest, RepeatedAnswerTagsAreInvalid) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think><answer>a</answer><answer>b</answer>").reason(), kInvalidAnswer);
}

// --- <think> + <tool_call> ---

TEST(ToolCallFormatRewardTest, OneToolCallWithNameAndArgumentsIsValid) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think>\n" + Call(kCallF));
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), kValidToolCall);
  EXPECT_EQ(r.extra.at("valid_tool_call_json"), true);
  EXPECT_EQ(r.extra.at("tool_call_count"), 1);
}

TEST(ToolCallFormatRewardTest, SeveralToolCallsWithPaddedBodiesAreValid) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think>\n" + Call("\n" + kCallF + "\n") + "\n" + Call(kCallG) + "\n");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), kValidToolCall);
  EXPECT_EQ(r.extra.at("tool_call_count"), 2);
}

TEST(ToolCallFormatRewardTest, TextBetweenToolCallsIsAbsorbedByTheLazyRegex) {
  // ^...(?:<tool_call>.*?</tool_call>\s*)+$ matches with one repetition whose body
  // spans both calls, so Python accepts this; findall still sees two bodies.
  const auto r = Score(kToolCallFormatReward, "<think>r</think>" + Call(kCallF) + " junk " + Call(kCallG));
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), kValidToolCall);
  EXPECT_EQ(r.extra.at("tool_call_count"), 2);
}

TEST(ToolCallFormatRewardTest, InvalidJsonBody) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think><tool_call>{invalid json}</tool_call>");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_NE(r.reason().find("Invalid JSON format in <tool_call> tags"), std::string::npos);
  EXPECT_EQ(r.reason(), kInvalidJson);
  EXPECT_EQ(r.extra.at("valid_tool_call_json"), false);
  EXPECT_EQ(r.extra.at("valid_format"), false);
}

TEST(ToolCallFormatRewardTest, MissingArgumentsKeyIsInvalidJson) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think>" + Call(R"({"name": "f"})")).reason(), kInvalidJson);
}

TEST(ToolCallFormatRewardTest, OneBadCallAmongGoodOnesIsInvalidJson) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think>" + Call(kCallF) + Call("{bad"));
  EXPECT_EQ(r.reason(), kInvalidJson);
  EXPECT_EQ(r.extra.at("tool_call_count"), 2);
}

TEST(ToolCallFormatRewardTest, NumberOrNullBodyIsInvalidJsonNotACrash) {
  // RM-Gallery raises TypeError here (`"name" in 42`, bug 17); rmg scores it 0.
  for (const char* body : {"42", "null"}) {
    const auto r = Score(kToolCallFormatReward, "<think>r</think>" + Call(body));
    ASSERT_EQ(r.details.size(), 1u) << body;
    EXPECT_EQ(r.score, 0.0) << body;
    EXPECT_EQ(r.reason(), kInvalidJson) << body;
  }
}

TEST(ToolCallFormatRewardTest, NonObjectJsonBodyIsNotAToolCall) {
  // Python's `"name" in "name arguments"` is a substring test and accepts this;
  // rmg requires an object.
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think>" + Call(R"("name arguments")")).reason(), kInvalidJson);
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think>" + Call(R"(["name", "arguments"])")).reason(), kInvalidJson);
}

TEST(ToolCallFormatRewardTest, BodiesOutsideStrictJsonAreInvalid) {
  // Python's json.loads (so RM-Gallery) accepts NaN, Infinity and -Infinity and reads
  // 1e400 as inf; rmg holds tool calls to RFC 8259 JSON with numbers a double can
  // hold, which tool executors in other languages require, so these are invalid here.
  for (const char* body : {R"({"name": "f", "arguments": {"x": NaN}})",
                           R"({"name": "f", "arguments": {"x": Infinity}})",
                           R"({"name": "f", "arguments": {"x": -Infinity}})",
                           R"({"name": "f", "arguments": {"x": 1e400}})"}) {
    const auto r = Score(kToolCallFormatReward, "<think>r</think>" + Call(body));
    EXPECT_EQ(r.reason(), "Invalid JSON format in <tool_call> tags") << body;
    EXPECT_EQ(r.score, 0.0) << body;
  }
}

TEST(ToolCallFormatRewardTest, TextAfterTheLastToolCallIsInvalidFormat) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think>" + Call(kCallF) + " trailing");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), kInvalidToolCall);
  EXPECT_EQ(r.extra.at("valid_tool_call_json"), false);
}

TEST(ToolCallFormatRewardTest, TextBeforeTheFirstToolCallIsInvalidFormat) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think>intro" + Call(kCallF)).reason(), kInvalidToolCall);
}

TEST(ToolCallFormatRewardTest, NestedToolCallTagsAreInvalidFormat) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think><tool_call>" + Call(kCallF) + "</tool_call>").reason(), kInvalidToolCall);
}

TEST(ToolCallFormatRewardTest, UnbalancedToolCallTagsAreInvalidFormat) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think>" + Call(kCallF) + "<tool_call> </tool_call></tool_call>").reason(),
            kInvalidToolCall);
}

TEST(ToolCallFormatRewardTest, SecondThinkBlockIsInvalidFormat) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think><think>s</think>" + Call(kCallF)).reason(), kInvalidToolCall);
}

// --- both or neither ---

TEST(ToolCallFormatRewardTest, AnswerAndToolCallTogetherIsAnInvalidCombination) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think><answer>a</answer>" + Call(kCallF));
  EXPECT_EQ(r.score, 0.0);
  EXPECT_NE(r.reason().find("Invalid combination"), std::string::npos);
  EXPECT_EQ(r.reason(), kInvalidCombination);
}

TEST(ToolCallFormatRewardTest, ThinkAloneIsAnInvalidCombination) {
  EXPECT_EQ(Score(kToolCallFormatReward, "<think>r</think> just text").reason(), kInvalidCombination);
}

// --- extra data ---

TEST(ToolCallFormatRewardTest, ExtraDataKeysAndDetailName) {
  const auto r = Score(kToolCallFormatReward, "<think>r</think><answer>a</answer>" + Call(kCallF));
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "tool_call_format");
  EXPECT_TRUE(r.additional_kwargs.contains("tool_call_format"));
  EXPECT_EQ(SortedKeys(r.extra),
            (std::vector<std::string>{"has_answer_tag", "has_think_tag", "has_tool_call_tag", "reward",
                                      "tool_call_count", "valid_format", "valid_tool_call_json"}));
  EXPECT_EQ(r.extra.at("has_think_tag"), true);
  EXPECT_EQ(r.extra.at("has_answer_tag"), true);
  EXPECT_EQ(r.extra.at("has_tool_call_tag"), true);
  EXPECT_EQ(r.extra.at("valid_format"), false);
  EXPECT_EQ(r.extra.at("tool_call_count"), 1);
  EXPECT_EQ(r.extra.at("reward"), 0.0);
}

}  // namespace
}  // namespace rmg::gallery
