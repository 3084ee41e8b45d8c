#include "text/jieba_finalseg.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rmg::text {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string_view> FinalsegCut(const JiebaFinalseg& model, std::string_view text) {
  std::vector<std::string_view> pieces;
  model.Cut(text, &pieces);
  return pieces;
}

// A model over three ideographs: 甲 begins words, 乙 ends them, 丙 stands alone.
JiebaFinalseg TinyModel() {
  return JiebaFinalseg("P={'B': -0.5, 'E': -3.14e+100, 'M': -3.14e+100, 'S': -1.0}",
                       "P={'B': {'E': -0.5, 'M': -0.9},\n 'E': {'B': -0.6, 'S': -0.8},\n 'M': {'E': -0.3, 'M': -1.3},\n"
                       " 'S': {'B': -0.7, 'S': -0.7}}",
                       "from __future__ import unicode_literals\n\n"
                       "P={'B': {'\\u7532': -0.1, '\\u4e59': -9.0, '\\u4e19': -9.0},\n"
                       " 'E': {'\\u7532': -9.0, '\\u4e59': -0.1, '\\u4e19': -9.0},\n"
                       " 'M': {'\\u7532': -9.0, '\\u4e59': -9.0},\n"
                       " 'S': {\"\\u7532\": -9.0, '\\u4e59': -9.0, '\\u4e19': -0.1}}");
}

TEST(JiebaFinalsegTest, LabelsEachIdeographAlongTheMostProbablePath) {
  const JiebaFinalseg model = TinyModel();
  EXPECT_THAT(FinalsegCut(model, "甲乙丙甲乙"), ElementsAre("甲乙", "丙", "甲乙"));
  EXPECT_THAT(FinalsegCut(model, "丙"), ElementsAre("丙"));
}

TEST(JiebaFinalsegTest, SplitsTheRestAtAsciiWordsAndNumbers) {
  // Python's finalseg.cut() gives ['abc.12%', 'x', '+#', '3'] and ['1', '.', 'a.5%', '%-'].
  const JiebaFinalseg model = TinyModel();
  EXPECT_THAT(FinalsegCut(model, "abc.12%x+#3"), ElementsAre("abc.12%", "x", "+#", "3"));
  EXPECT_THAT(FinalsegCut(model, "1.a.5%%-"), ElementsAre("1", ".", "a.5%", "%-"));
  EXPECT_THAT(FinalsegCut(model, "ab甲乙3"), ElementsAre("ab", "甲乙", "3"));
}

TEST(JiebaFinalsegTest, EmbeddedModelJoinsUnknownNames) {
  // jieba's own example: 杭研 is in no dictionary; finalseg.cut('杭研') keeps it whole.
  const JiebaFinalseg model = JiebaFinalseg::Embedded();
  EXPECT_THAT(FinalsegCut(model, "杭研"), ElementsAre("杭研"));
}

// A long run of characters no dictionary word covers goes to the model whole, and its
// labelling did not look at the deadline.
TEST(JiebaFinalsegTest, LabellingARunStopsAtTheDeadline) {
  const JiebaFinalseg model = TinyModel();
  std::vector<std::string_view> pieces;
  EXPECT_THROW(model.Cut("甲乙", &pieces, Deadline::After(0)), DeadlineExceeded);
  std::string run;
  for (int i = 0; i < 100000; ++i) run += "甲乙丙";
  EXPECT_THROW(model.Cut(run, &pieces, Deadline::After(0.001)), DeadlineExceeded);
  pieces.clear();
  model.Cut("甲乙丙", &pieces, Deadline::After(60));
  EXPECT_THAT(pieces, ElementsAre("甲乙", "丙"));
}

TEST(JiebaFinalsegTest, MalformedModelFileNamesTheFileAndByte) {
  try {
    JiebaFinalseg("P={'B': -0.5, 'X': 1.0}", "P={}", "P={}");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("prob_start.py"));
    EXPECT_THAT(e.what(), HasSubstr("'X'"));
  }
  try {
    JiebaFinalseg("P={'B': -0.5}", "P={'B': {'E': oops}}", "P={}");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("prob_trans.py, byte 14"));
  }
  EXPECT_THROW(JiebaFinalseg("P={'B': -0.5}", "P={}", "P={'B': {'ab': -1.0}}"), std::runtime_error);
  EXPECT_THROW(JiebaFinalseg("P={'B': {'E': -0.5}}", "P={}", "P={}"), std::runtime_error);
  EXPECT_THROW(JiebaFinalseg("no model here", "P={}", "P={}"), std::runtime_error);
}

}  // namespace
}  // namespace rmg::text
