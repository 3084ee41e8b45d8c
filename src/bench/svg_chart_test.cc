#include "bench/svg_chart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace rmg::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

TEST(SvgChartTest, BarChartHasOneLabelledBarPerEntry) {
  const std::string svg = BarChartSvg("subsets", {{"chat", 0.5}, {"math & code", 1.0}, {"safety", 0.125}});
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_THAT(svg, HasSubstr("</svg>"));
  // One background rectangle plus one per bar.
  EXPECT_EQ(Count(svg, "<rect"), 4u);
  EXPECT_THAT(svg, HasSubstr(">50.0%<"));
  EXPECT_THAT(svg, HasSubstr(">100.0%<"));
  EXPECT_THAT(svg, HasSubstr(">12.5%<"));
  EXPECT_THAT(svg, HasSubstr(">math &amp; code<"));
  EXPECT_THAT(svg, Not(HasSubstr("math & code")));
}

TEST(SvgChartTest, BarLengthIsProportionalAndClamped) {
  const std::string half = BarChartSvg("t", {{"a", 0.5}});
  const std::string full = BarChartSvg("t", {{"a", 1.0}});
  const std::string over = BarChartSvg("t", {{"a", 3.0}});
  // The plot is 360 px wide.
  EXPECT_THAT(half, HasSubstr("width=\"180\""));
  EXPECT_THAT(full, HasSubstr("width=\"360\""));
  EXPECT_THAT(over, HasSubstr("width=\"360\""));
  EXPECT_THAT(over, HasSubstr(">300.0%<"));  // the label keeps the true value
}

TEST(SvgChartTest, HeatMapHasOneCellPerValue) {
  const std::vector<std::string> styles = {"a", "b", "c"};
  const std::string svg =
      HeatMapSvg("m", "rows", "columns", styles, styles, {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}, {0.7, 0.8, 0.9}});
  EXPECT_EQ(Count(svg, "<rect"), 10u);
  for (const char* value : {">10.0%<", ">50.0%<", ">90.0%<"}) EXPECT_THAT(svg, HasSubstr(value));
  // Darker cells for higher values: 0 is white.
  EXPECT_THAT(HeatMapSvg("m", "r", "c", {"x"}, {"y"}, {{0.0}}), HasSubstr("fill=\"#ffffff\""));
}

TEST(SvgChartTest, HeatMapRejectsCellsThatDoNotFitTheLabels) {
  EXPECT_THROW(HeatMapSvg("m", "r", "c", {"x", "y"}, {"z"}, {{0.5}}), std::invalid_argument);
  EXPECT_THROW(HeatMapSvg("m", "r", "c", {"x"}, {"z"}, {{0.5, 0.5}}), std::invalid_argument);
}

TEST(SvgChartTest, XmlEscapeCoversMarkupCharacters) {
  EXPECT_EQ(XmlEscape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
}

}  // namespace
}  // namespace rmg::bench
