// Statements and chains of math regions, the last rule of answer extraction (rule 7 of
// extract.h), tested below ExtractAnswers: the connector test, the Collector, one
// chain, and one statement with its candidate order and sources.
#include "math/extract_statement.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rmg::math::extract_internal {
namespace {

// A Document over `text` as ExtractAnswers builds it; the text must outlive it.
struct StatementDoc {
  explicit StatementDoc(std::string_view text) {
    doc.text = text;
    doc.regions = FindMathRegions(text, deadline);
    doc.boxes = FindBoxes(text, deadline);
    doc.deadline = &deadline;
  }
  Deadline deadline = Deadline::Never();
  Document doc;
};

// "text@source" for each candidate, joined with " | ".
std::string StatementRender(const std::vector<AnswerCandidate>& candidates) {
  std::string out;
  for (const AnswerCandidate& c : candidates) {
    if (!out.empty()) out += " | ";
    out += c.text + "@" + AnswerSourceName(c.source);
  }
  return out;
}

// The candidates of the whole text read as one statement.
std::string StatementOf(std::string_view text, AnswerSource source = AnswerSource::kLatexMath) {
  StatementDoc d(text);
  Collector out;
  AddStatement(d.doc, {0, text.size()}, source, &out);
  return StatementRender(out.Take());
}

// The candidates of the chain of all the math regions of `text`.
std::string StatementChainOf(std::string_view text) {
  StatementDoc d(text);
  Collector out;
  AddChain(d.doc, 0, d.doc.regions.size(), AnswerSource::kLatexMath, &out);
  return StatementRender(out.Take());
}

bool StatementGap(std::string_view gap) { return IsConnectorGap(gap, {0, gap.size()}); }

TEST(ExtractStatementTest, CollectorDropsEmptyAndRepeatedTexts) {
  Collector out;
  out.Add("5", AnswerSource::kBoxed);
  out.Add("", AnswerSource::kBoxed);
  out.Add("x", AnswerSource::kLatexMath);
  out.Add("5", AnswerSource::kPlainNumber);  // the first keeps its place and source
  const std::vector<AnswerCandidate> taken = out.Take();
  EXPECT_EQ(StatementRender(taken), "5@boxed | x@latex_math");
}

TEST(ExtractStatementTest, ConnectorGaps) {
  for (const char* gap :
       {"",           " ",       " and ",     ", ",  " or ", "; ", " $ $ ", "\\quad",       "\\qquad", "\\text{ and }",
        "\\mbox{or}", "\\(",     "\\) , \\(", "\\,", "&",    "+",  "~",     "\\hspace{em}", "\\\\",    " AND ",
        " y_2 = ",    "x_{2} =", "x' ="}) {
    EXPECT_TRUE(StatementGap(gap)) << "'" << gap << "'";
  }
}

TEST(ExtractStatementTest, HspaceWithALengthIsAConnector) {
  // \hspace is a spacing command like \quad, and "em"/"pt" are accepted for its
  // argument; a real argument has a number in it.
  EXPECT_TRUE(StatementGap("\\hspace{1em}"));
  EXPECT_TRUE(StatementGap(" \\hspace{0.5em} and "));
  EXPECT_TRUE(StatementGap("\\hspace{2pt}"));
}

TEST(ExtractStatementTest, GapsThatSayMoreAreNotConnectors) {
  for (const char* gap : {" so ", " then ", " (", " - ", " is ", "\\frac", "\\Rightarrow", " no no ", " = ",
                          "and the answer to the question =", "5"}) {
    EXPECT_FALSE(StatementGap(gap)) << "'" << gap << "'";
  }
}

TEST(ExtractStatementTest, ConnectorGapBounds) {
  // Long gaps are prose however harmless their characters.
  EXPECT_TRUE(StatementGap(std::string(120, ' ')));
  EXPECT_FALSE(StatementGap(std::string(121, ' ')));
  // A reversed span is no gap.
  EXPECT_FALSE(IsConnectorGap("abc", {2, 1}));
  // A label longer than twelve characters is a sentence, not a label.
  EXPECT_FALSE(StatementGap("abcdefghijklm ="));
}

TEST(ExtractStatementTest, AddMathGivesTheValueAfterEqualsFirst) {
  Collector out;
  AddMath("x = 5", AnswerSource::kBold, &out);
  AddMath("7", AnswerSource::kBold, &out);
  AddMath("a+b = 12.", AnswerSource::kBold, &out);
  EXPECT_EQ(StatementRender(out.Take()), "5@bold | x = 5@bold | 7@bold | 12@bold | a+b = 12@bold");
}

TEST(ExtractStatementTest, ChainEndFollowsConnectorsUpToTheLimit) {
  const std::string text = "$a$ and $b$, $c$ so $d$";
  StatementDoc d(text);
  ASSERT_EQ(d.doc.regions.size(), 4u);
  EXPECT_EQ(ChainEnd(d.doc, 0, text.size()), 3u);
  EXPECT_EQ(ChainEnd(d.doc, 3, text.size()), 4u);
  // The limit cuts the chain before a region that ends past it.
  EXPECT_EQ(ChainEnd(d.doc, 0, d.doc.regions[1].outer.end), 2u);
  EXPECT_EQ(ChainEnd(d.doc, 0, d.doc.regions[1].outer.end - 1), 1u);
}

TEST(ExtractStatementTest, ChainOfOneRegion) {
  EXPECT_EQ(StatementChainOf("$n = 4$"), "4@latex_math | n = 4@latex_math");
  EXPECT_EQ(StatementChainOf("$\\frac{1}{2}$"), "\\frac{1}{2}@latex_math");
}

TEST(ExtractStatementTest, ChainsJoinedByOrListOnlyOneName) {
  EXPECT_EQ(StatementChainOf("$n=5$ or $n=15$"), "5, 15@latex_math | n=5, n=15@latex_math");
  // A restatement: the last region is the answer, the joined list comes after.
  EXPECT_EQ(StatementChainOf("$\\frac{4}{10}$ or $\\frac{2}{5}$"),
            "\\frac{2}{5}@latex_math | \\frac{4}{10}, \\frac{2}{5}@latex_math");
  EXPECT_EQ(StatementChainOf("$3x=58$ or $x=\\frac{58}{3}$"),
            "\\frac{58}{3}@latex_math | x=\\frac{58}{3}@latex_math | 58, \\frac{58}{3}@latex_math | "
            "3x=58, x=\\frac{58}{3}@latex_math");
}

TEST(ExtractStatementTest, ChainsJoinedByAndOrCommasList) {
  EXPECT_EQ(StatementChainOf("$(0,1)$, $(1,0)$ and $(1,1)$"), "(0,1), (1,0), (1,1)@latex_math");
  EXPECT_EQ(StatementChainOf("$x=10^3$ and $y=10$"), "10^3, 10@latex_math | x=10^3, y=10@latex_math");
  // Different expressions assigned: a restatement of related facts, last one first.
  EXPECT_EQ(StatementChainOf("$r=47/48$, and $p+q=95$"),
            "95@latex_math | p+q=95@latex_math | 47/48, 95@latex_math | r=47/48, p+q=95@latex_math");
}

TEST(ExtractStatementTest, ChainJoinedBySpacesIsOneFormula) {
  EXPECT_EQ(StatementChainOf("$B=$ $2^{1009}$"), "2^{1009}@latex_math | B=, 2^{1009}@latex_math");
}

TEST(ExtractStatementTest, StatementAfterCopula) {
  EXPECT_EQ(StatementOf("Hence $n = 4$."), "4@latex_math | n = 4@latex_math");
  EXPECT_EQ(StatementOf("The answer is 42."), "42@plain_number");
  EXPECT_EQ(StatementOf("so the minimum is $\\frac12$."), "\\frac12@latex_math");
  // The last copula wins, and the regions before it are not part of the last chain.
  EXPECT_EQ(StatementOf("We set $a=3$ and the result is $7$."), "7@latex_math");
}

TEST(ExtractStatementTest, StatementPrefersTheFirstThingAfterTheCopula) {
  // A number before the region: the number.
  EXPECT_EQ(StatementOf("The total is 12 by $x+y$."), "12@plain_number | x+y@latex_math");
  // A region that only names something yields to a number after it.
  EXPECT_EQ(StatementOf("It takes him 45 minutes from $A$ to $B$."), "45@plain_number | B@latex_math");
}

TEST(ExtractStatementTest, StatementNumbersKeepANonMathSource) {
  EXPECT_EQ(StatementOf("The answer is 42.", AnswerSource::kFinalAnswerPhrase), "42@final_answer_phrase");
  EXPECT_EQ(StatementOf("Therefore, $n=5$ or $n=15$.", AnswerSource::kFinalAnswerPhrase),
            "5, 15@final_answer_phrase | n=5, n=15@final_answer_phrase | 15@final_answer_phrase | "
            "n=15@final_answer_phrase");
}

TEST(ExtractStatementTest, StatementWithNothingToOffer) {
  EXPECT_EQ(StatementOf("We are done."), "");
  EXPECT_EQ(StatementOf(""), "");
}

TEST(ExtractStatementTest, StatementOnlyLooksInsideItsSpan) {
  const std::string text = "First $x=1$. Then the value is $y=2$. Later $z=3$.";
  StatementDoc d(text);
  const size_t begin = text.find("Then");
  const size_t end = text.find("Later") - 1;
  Collector out;
  AddStatement(d.doc, {begin, end}, AnswerSource::kLatexMath, &out);
  EXPECT_EQ(StatementRender(out.Take()), "2@latex_math | y=2@latex_math");
}

TEST(ExtractStatementTest, StatementHonoursAnExpiredDeadline) {
  const std::string text = std::string(10000, 'a') + " is $5$";
  StatementDoc d(text);
  const Deadline expired = Deadline::After(0);
  d.doc.deadline = &expired;
  Collector out;
  EXPECT_THROW(AddStatement(d.doc, {0, text.size()}, AnswerSource::kLatexMath, &out), DeadlineExceeded);
}

TEST(ExtractStatementTest, WordAtNeedsWholeWords) {
  EXPECT_TRUE(WordAt("this is it", 5, "is"));
  EXPECT_FALSE(WordAt("this is it", 2, "is"));  // inside "this"
  EXPECT_FALSE(WordAt("island", 0, "is"));
  EXPECT_TRUE(WordAt("is", 0, "is"));
  EXPECT_TRUE(WordAt("x=is.", 2, "is"));
  EXPECT_FALSE(WordAt("is", 2, "is"));
  EXPECT_FALSE(WordAt("", 0, "is"));
}

TEST(ExtractStatementTest, FirstRegionFrom) {
  const std::string text = "$a$ b $c$";
  StatementDoc d(text);
  EXPECT_EQ(FirstRegionFrom(d.doc.regions, 0), 0u);
  EXPECT_EQ(FirstRegionFrom(d.doc.regions, 1), 1u);
  EXPECT_EQ(FirstRegionFrom(d.doc.regions, 6), 1u);
  EXPECT_EQ(FirstRegionFrom(d.doc.regions, 7), 2u);
}

}  // namespace
}  // namespace rmg::math::extract_internal
