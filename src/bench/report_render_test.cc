#include "bench/report_render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rmg::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const Json kJudgeReport = Json::parse(R"({
  "benchmark": "judgebench",
  "metrics": {"overall": 0.625, "pairs": 8,
              "per_source": {"livebench-math": 0.5, "mmlu-pro-law": 0.75}}})");

const Json kSubsetReport = Json::parse(R"({
  "metrics": {"score": 0.5, "per_subset": {"chat": {"accuracy": 0.25, "prompts": 4},
                                           "math": {"accuracy": 0.75, "prompts": 4, "ties": 1}}}})");

TEST(ReportRenderTest, MarkdownListsTopLevelMetricsThenEachBreakdown) {
  const std::string md = ReportMarkdown("judgebench", kJudgeReport);
  EXPECT_EQ(md.rfind("## judgebench\n", 0), 0u);
  EXPECT_THAT(md, HasSubstr("| overall | 0.6250 |\n"));
  EXPECT_THAT(md, HasSubstr("| pairs | 8 |\n"));
  EXPECT_THAT(md, HasSubstr("| source | value |\n|---|---:|\n"));
  EXPECT_THAT(md, HasSubstr("| livebench-math | 0.5000 |\n"));
  EXPECT_THAT(md, HasSubstr("| mmlu-pro-law | 0.7500 |\n"));
}

// A group named with a '|' broke its row into an extra cell.
TEST(ReportRenderTest, MarkdownEscapesTheCellSeparator) {
  const Json report = Json::parse(R"({"metrics": {"per_subset": {"x|y": {"accuracy": 1.0, "prompts": 1}}}})");
  EXPECT_THAT(ReportMarkdown("rewardbench", report), HasSubstr("| x\\|y | 1.0000 | 1 |\n"));
}

TEST(ReportRenderTest, MarkdownBreakdownColumnsAreTheUnionOfFields) {
  const std::string md = ReportMarkdown("rewardbench", kSubsetReport);
  EXPECT_THAT(md, HasSubstr("| subset | accuracy | prompts | ties |\n"));
  EXPECT_THAT(md, HasSubstr("| chat | 0.2500 | 4 |  |\n"));
  EXPECT_THAT(md, HasSubstr("| math | 0.7500 | 4 | 1 |\n"));
}

TEST(ReportRenderTest, SvgDrawsBarsOfTheFirstBreakdown) {
  const std::string svg = ReportSvg("rewardbench", kSubsetReport);
  EXPECT_THAT(svg, HasSubstr(">chat<"));
  EXPECT_THAT(svg, HasSubstr(">25.0%<"));
  EXPECT_THAT(svg, HasSubstr(">75.0%<"));
  EXPECT_THAT(svg, HasSubstr("rewardbench: score 50.0%"));
}

TEST(ReportRenderTest, SvgDrawsTheRmBenchMatrixAsAHeatMap) {
  const Json report = Json::parse(R"({
    "metrics": {"hard_acc": 0.2, "normal_acc": 0.5, "easy_acc": 0.8, "total_avg_acc": 0.5, "prompts": 3},
    "matrix": [[0.5, 0.2, 0.2], [0.8, 0.5, 0.2], [0.8, 0.8, 0.5]]})");
  const std::string svg = ReportSvg("rmbench", report);
  EXPECT_THAT(svg, HasSubstr(">chosen style<"));
  EXPECT_THAT(svg, HasSubstr(">rejected style<"));
  EXPECT_THAT(svg, HasSubstr(">detailed markdown<"));
  EXPECT_THAT(svg, HasSubstr(">80.0%<"));
  EXPECT_THAT(svg, HasSubstr("hard_acc 20.0%"));
  EXPECT_THAT(svg, Not(HasSubstr("prompts")));
}

TEST(ReportRenderTest, ReportWithoutBreakdownsChartsItsFractions) {
  const Json report = Json::parse(R"({"metrics": {"maj_at_k": 0.4, "rm_at_k": 0.6, "k": 8}})");
  const std::string svg = ReportSvg("majority", report);
  EXPECT_THAT(svg, HasSubstr(">maj_at_k<"));
  EXPECT_THAT(svg, HasSubstr(">60.0%<"));
  EXPECT_THAT(svg, Not(HasSubstr(">k<")));
}

TEST(ReportRenderTest, OtherBreakdownsAreChartedAndEmptyOnesLeftOut) {
  const Json report = Json::parse(R"({"metrics": {"pairwise_accuracy": 0.5, "per_bon_category": {},
      "per_pairwise_category": {"Helpfulness/Code": {"accuracy": 0.25, "prompts": 4}}}})");
  const std::string svg = ReportSvg("rmb", report);
  EXPECT_THAT(svg, HasSubstr(">Helpfulness/Code<"));
  EXPECT_THAT(svg, HasSubstr(">25.0%<"));
  const std::string md = ReportMarkdown("rmb", report);
  EXPECT_THAT(md, HasSubstr("| pairwise_category | accuracy | prompts |"));
  EXPECT_THAT(md, Not(HasSubstr("bon_category")));
}

}  // namespace
}  // namespace rmg::bench
