#include "llm/judgment.h"

#include <gtest/gtest.h>

namespace rmg::llm {
namespace {

using Ranks = std::vector<double>;
using Texts = std::vector<std::string>;

const Texts kRubrics = {"Efficient Task Execution: be brief, clear.", "Inquiring for More Information: ask.",
                        "Redirecting Misguided Requests: redirect."};

TEST(JudgmentTest, NormalizeVerdictStripsDecoration) {
  EXPECT_EQ(NormalizeVerdict(" **Answer 2** "), "2");
  EXPECT_EQ(NormalizeVerdict("[[A]]"), "A");
  EXPECT_EQ(NormalizeVerdict("Response B."), "B");
  EXPECT_EQ(NormalizeVerdict("`tie`"), "tie");
  EXPECT_EQ(NormalizeVerdict("Answers"), "Answers");
  EXPECT_EQ(NormalizeVerdict(""), "");
}

TEST(JudgmentTest, BestGivesOneHotRank) {
  for (const char* best : {"2", " 2 ", "Answer 2", "**2**", "answer #2"}) {
    const Judgment j = InterpretBest({{"best", best}, {"reason", "r"}}, 3);
    ASSERT_TRUE(j.ok) << best << ": " << j.error;
    EXPECT_EQ(j.rank, (Ranks{0, 1, 0}));
    EXPECT_EQ(j.reason, "r");
  }
}

TEST(JudgmentTest, BestRejectsZeroOutOfRangeAndWords) {
  for (const char* best : {"0", "4", "two", "2 or 3", "", "-1", "99999999999999999999"}) {
    const Judgment j = InterpretBest({{"best", best}}, 3);
    EXPECT_FALSE(j.ok) << best;
    EXPECT_FALSE(j.error.empty());
  }
  EXPECT_EQ(InterpretBest({{"best", "0"}}, 3).error, "<best> is 0, not an answer number in 1..3");
}

TEST(JudgmentTest, MissingFieldNamesTheTag) {
  const Judgment j = InterpretBest({{"think", "t"}}, 2);
  EXPECT_FALSE(j.ok);
  EXPECT_EQ(j.error, "reply has no <best> tag");
  EXPECT_EQ(j.reason, "t");
  EXPECT_EQ(InterpretViolations({}, kRubrics).error, "reply has no <violation> tag");
  EXPECT_EQ(InterpretPreference({}).error, "reply has no <preference> tag");
}

TEST(JudgmentTest, ViolationListLiterals) {
  struct Case {
    const char* body;
    double score;
    size_t count;
  };
  for (const Case& c : std::vector<Case>{{"[]", 1.0, 0},
                                         {"", 1.0, 0},
                                         {"None", 1.0, 0},
                                         {"[\"Efficient Task Execution\"]", 2.0 / 3, 1},
                                         {"['a, with comma', \"b\"]", 1.0 / 3, 2},
                                         {"['a', 'a']", 2.0 / 3, 1},
                                         {"[1, 3]", 1.0 / 3, 2},
                                         {"[1, 'Efficient Task Execution: be brief, clear.']", 2.0 / 3, 1},
                                         {"[\"say \\\"hi\\\"\",]", 2.0 / 3, 1},
                                         {"\"just one, really\"", 2.0 / 3, 1}}) {
    const Judgment j = InterpretViolations({{"violation", c.body}}, kRubrics);
    ASSERT_TRUE(j.ok) << c.body << ": " << j.error;
    EXPECT_DOUBLE_EQ(j.score, c.score) << c.body;
    EXPECT_EQ(j.violations.size(), c.count) << c.body;
  }
  EXPECT_EQ(InterpretViolations({{"violation", "[\"say \\\"hi\\\"\"]"}}, kRubrics).violations, Texts{"say \"hi\""});
  EXPECT_EQ(InterpretViolations({{"violation", "[2]"}}, kRubrics).violations, Texts{kRubrics[1]});
}

TEST(JudgmentTest, ViolationBareLists) {
  EXPECT_EQ(InterpretViolations({{"violation", "Efficient Task Execution, Inquiring"}}, kRubrics).violations,
            (Texts{"Efficient Task Execution", "Inquiring"}));
  EXPECT_EQ(
      InterpretViolations({{"violation", "- Efficient Task Execution: be brief, clear.\n- Inquiring\n"}}, kRubrics)
          .violations,
      (Texts{kRubrics[0], "Inquiring"}));
  EXPECT_EQ(InterpretViolations({{"violation", "Redirecting Misguided Requests (it did not redirect)."}}, kRubrics)
                .violations.size(),
            1u);
  EXPECT_EQ(InterpretViolations({{"violation", "[Efficient Task Execution]"}}, kRubrics).violations,
            (Texts{"Efficient Task Execution"}));
  EXPECT_EQ(InterpretViolations({{"violation", "1, 2"}}, kRubrics).violations, (Texts{kRubrics[0], kRubrics[1]}));
}

// Prose that names no rubric was counted as one violation (2/3 where RM-Gallery, whose
// eval() of it fails, gives 1.0).
TEST(JudgmentTest, ViolationProseNamesNoRubric) {
  for (const char* body : {"None.", "No violations.", "There are no violated rubrics",
                           "None of the rubrics are violated.", "empty list", "- nothing\n- to report"}) {
    const Judgment j = InterpretViolations({{"violation", body}}, kRubrics);
    ASSERT_TRUE(j.ok) << body << ": " << j.error;
    EXPECT_DOUBLE_EQ(j.score, 1.0) << body;
    EXPECT_TRUE(j.violations.empty()) << body;
  }
}

// Python a list reader cannot follow was read as prose, that is as "nothing violated"
// (a perfect score), where RM-Gallery's eval() counts the list.
TEST(JudgmentTest, ViolationListsWithCommentsSetsOrCode) {
  for (const char* body :
       {"['Efficient Task Execution']  # rubric 1", "{\"Efficient Task Execution\"}", "[  # the first rubric\n  1,\n]",
        "['Efficient Task Execution', 'Efficient Task Execution: dup']", "['a # not a comment']"}) {
    const Judgment j = InterpretViolations({{"violation", body}}, kRubrics);
    ASSERT_TRUE(j.ok) << body << ": " << j.error;
    EXPECT_DOUBLE_EQ(j.score, 2.0 / 3) << body;
    EXPECT_EQ(j.violations.size(), 1u) << body;
  }
  for (const char* body : {"[#1]", "[ #1 ]  # the first"}) {
    EXPECT_EQ(InterpretViolations({{"violation", body}}, kRubrics).violations, Texts{kRubrics[0]}) << body;
  }
  // Bracketed prose is prose: no violation.
  for (const char* body : {"[None]", "[none]", "[N/A]", "[No violations]"}) {
    const Judgment j = InterpretViolations({{"violation", body}}, kRubrics);
    ASSERT_TRUE(j.ok) << body << ": " << j.error;
    EXPECT_DOUBLE_EQ(j.score, 1.0) << body;
  }
  for (const char* body : {"[r for r in rubrics if r]", "[rubrics[0]]", "{1: 'a'}"}) {
    const Judgment j = InterpretViolations({{"violation", body}}, kRubrics);
    EXPECT_FALSE(j.ok) << body;
    EXPECT_EQ(j.error.rfind("<violation> is not a list of rubrics rmg can read: ", 0), 0u) << j.error;
  }
}

TEST(JudgmentTest, ViolationScoreIsClampedAndSafeWithoutRubrics) {
  EXPECT_DOUBLE_EQ(InterpretViolations({{"violation", "['a', 'b', 'c', 'd']"}}, kRubrics).score, 0.0);
  EXPECT_DOUBLE_EQ(InterpretViolations({{"violation", "[]"}}, {}).score, 1.0);
  EXPECT_DOUBLE_EQ(InterpretViolations({{"violation", "['x']"}}, {}).score, 0.0);
}

TEST(JudgmentTest, ViolationIndexOutOfRangeIsAnError) {
  const Judgment j = InterpretViolations({{"violation", "[4]"}}, kRubrics);
  EXPECT_FALSE(j.ok);
  EXPECT_EQ(j.error, "<violation> names rubric 4 of 3");
  EXPECT_FALSE(InterpretViolations({{"violation", "[0]"}}, kRubrics).ok);
}

TEST(JudgmentTest, PreferenceGivesPairRank) {
  EXPECT_EQ(InterpretPreference({{"preference", "A"}}).rank, (Ranks{1, 0}));
  EXPECT_EQ(InterpretPreference({{"preference", "answer b"}}).rank, (Ranks{0, 1}));
  EXPECT_EQ(InterpretPreference({{"preference", "[[A]]"}}).rank, (Ranks{1, 0}));
  EXPECT_EQ(InterpretPreference({{"preference", "TIE"}}).rank, (Ranks{0.5, 0.5}));
  EXPECT_FALSE(InterpretPreference({{"preference", "both"}}).ok);
  EXPECT_FALSE(InterpretPreference({{"preference", "AB"}}).ok);
}

TEST(JudgmentTest, ScaleIsNormalised) {
  EXPECT_DOUBLE_EQ(InterpretScale({{"score", "7"}}, 1, 10).score, 6.0 / 9);
  EXPECT_DOUBLE_EQ(InterpretScale({{"score", "**10/10**"}}, 1, 10).score, 1.0);
  EXPECT_DOUBLE_EQ(InterpretScale({{"score", "Score: 1"}}, 1, 10).score, 0.0);
  EXPECT_DOUBLE_EQ(InterpretScale({{"rating", "2.5"}}, 0, 5, "rating").score, 0.5);
  EXPECT_EQ(InterpretScale({{"score", "11"}}, 1, 10).error, "<score> is 11, outside 1..10");
  EXPECT_FALSE(InterpretScale({{"score", "nan"}}, 1, 10).ok);
  // "n/d" is n out of d: 4/5 on a 1..10 scale is 8 (the denominator was dropped, so 4).
  EXPECT_DOUBLE_EQ(InterpretScale({{"score", "4/5"}}, 1, 10).score, 7.0 / 9);
  EXPECT_EQ(InterpretScale({{"score", "10/5"}}, 1, 10).error, "<score> is 20, outside 1..10");
  EXPECT_FALSE(InterpretScale({{"score", "4/0"}}, 1, 10).ok);
  EXPECT_FALSE(InterpretScale({{"score", "4/x"}}, 1, 10).ok);
  // A leading '.' is the number's: .5 was read as 5.
  EXPECT_DOUBLE_EQ(InterpretScale({{"rating", ".5"}}, 0, 5, "rating").score, 0.1);
  EXPECT_FALSE(InterpretScale({{"score", "high"}}, 1, 10).ok);
}

}  // namespace
}  // namespace rmg::llm
