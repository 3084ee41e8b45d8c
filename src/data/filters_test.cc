#include "data/filters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rmg/sample_io.h"

namespace rmg {
namespace {

using ::testing::HasSubstr;

// A conversation of system, user, assistant, user (4 messages, 2 user turns);
// input text 2 + 5 + 3 + 4 = 14 characters ("héllo" is 5 characters, 6 bytes);
// outputs of 3 and 10 characters.
DataSample Sample() {
  return ParseDataSample(R"({"unique_id": "s", "input": [
      {"role": "system", "content": "be"}, {"role": "user", "content": "héllo"},
      {"role": "assistant", "content": "hey"}, {"role": "user", "content": "more"}],
    "output": [{"answer": {"role": "assistant", "content": "abc"}},
               {"answer": {"role": "assistant", "content": "0123456789"}}],
    "metadata": {"subset": "chat"}})");
}

bool Keeps(const Json& entry) {
  const DataSample sample = Sample();
  return FilterFromConfig(entry)->Keep(sample, DataSampleToJson(sample));
}

std::string ConfigError(const Json& entry) {
  try {
    FilterFromConfig(entry);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(FiltersTest, ConversationTurnsCountsMessagesOrUserTurns) {
  EXPECT_TRUE(Keeps({{"filter", "conversation_turns"}, {"min", 4}, {"max", 4}}));
  EXPECT_FALSE(Keeps({{"filter", "conversation_turns"}, {"max", 3}}));
  EXPECT_TRUE(Keeps({{"filter", "conversation_turns"}, {"count", "user_turns"}, {"min", 2}, {"max", 2}}));
  EXPECT_FALSE(Keeps({{"filter", "conversation_turns"}, {"count", "user_turns"}, {"min", 3}}));
  EXPECT_TRUE(Keeps({{"filter", "conversation_turns"}}));  // no bounds
  EXPECT_TRUE(Keeps({{"filter", "conversation_turns"}, {"max", UINT64_MAX}}));  // JSON's largest integer
}

TEST(FiltersTest, TextLengthOfInputOutputsOrBoth) {
  EXPECT_TRUE(Keeps({{"filter", "text_length"}, {"of", "input"}, {"min", 14}, {"max", 14}}));
  EXPECT_FALSE(Keeps({{"filter", "text_length"}, {"of", "input"}, {"min", 15}}));
  // Every output must be in range: 3 and 10.
  EXPECT_TRUE(Keeps({{"filter", "text_length"}, {"of", "outputs"}, {"min", 3}, {"max", 10}}));
  EXPECT_FALSE(Keeps({{"filter", "text_length"}, {"of", "outputs"}, {"max", 9}}));
  EXPECT_FALSE(Keeps({{"filter", "text_length"}, {"of", "outputs"}, {"min", 4}}));
  // both (the default): input 14 and outputs 3, 10 all within [3, 14].
  EXPECT_TRUE(Keeps({{"filter", "text_length"}, {"min", 3}, {"max", 14}}));
  EXPECT_FALSE(Keeps({{"filter", "text_length"}, {"min", 3}, {"max", 13}}));
}

TEST(FiltersTest, Expression) {
  EXPECT_TRUE(
      Keeps({{"filter", "expression"}, {"expression", R"(metadata.subset == "chat" and input.1.role == "user")"}}));
  EXPECT_FALSE(Keeps({{"filter", "expression"}, {"expression", "output.2.answer.content"}}));
}

TEST(FiltersTest, ConfigErrorsNameTheKey) {
  EXPECT_THAT(ConfigError({{"filter", "lenght"}}), HasSubstr("filter: unknown filter 'lenght'"));
  EXPECT_THAT(ConfigError({{"filter", "text_length"}, {"max", -1}}), HasSubstr("max: expected a non-negative integer"));
  EXPECT_THAT(ConfigError({{"filter", "text_length"}, {"max", "ten"}}), HasSubstr("max: expected"));
  EXPECT_THAT(ConfigError({{"filter", "text_length"}, {"of", "answer"}}),
              HasSubstr("of: expected one of both, input, outputs"));
  EXPECT_THAT(ConfigError({{"filter", "text_length"}, {"min", 5}, {"max", 2}}), HasSubstr("min: is greater than max"));
  EXPECT_THAT(ConfigError({{"filter", "conversation_turns"}, {"maximum", 2}}), HasSubstr("maximum: unknown setting"));
  EXPECT_THAT(ConfigError({{"filter", "expression"}, {"expression", "a =="}}), HasSubstr("expression: column 5: "));
  EXPECT_THAT(ConfigError({{"filter", "expression"}}), HasSubstr("expression: expected"));
  EXPECT_THAT(ConfigError(Json("text_length")), HasSubstr("filter: expected a mapping"));
  EXPECT_THAT(ConfigError(Json::object()), HasSubstr("filter: expected a filter name"));
}

}  // namespace
}  // namespace rmg
