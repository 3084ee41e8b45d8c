// Charts of benchmark results as standalone SVG documents: a bar chart for
// accuracies per subset, source or category, and a heat map for RM-Bench's
// chosen-style x rejected-style matrix. The SVG is plain text with fixed fonts and
// colours, so a report renders the same in a browser, on GitHub and in a README.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rmg::bench {

struct ChartBar {
  std::string label;
  double value = 0.0;  // in [0, 1]; drawn as a percentage
};

// Horizontal bars, one per entry in the given order, each labelled with its value
// as a percentage. Values outside [0, 1] are clamped when drawn (not when labelled).
std::string BarChartSvg(std::string_view title, const std::vector<ChartBar>& bars);

// A heat map of `cells` (row-major, cells[r][c] in [0, 1]) with the row labels on
// the left and the column labels on top; `row_axis` and `column_axis` name what
// the rows and columns are. Every cell shows its value as a percentage. Throws
// std::invalid_argument unless the cells have one row per row label and one
// column per column label.
std::string HeatMapSvg(std::string_view title, std::string_view row_axis, std::string_view column_axis,
                       const std::vector<std::string>& row_labels, const std::vector<std::string>& column_labels,
                       const std::vector<std::vector<double>>& cells);

// `text` with &, <, >, " and ' escaped for SVG/XML text and attribute values.
std::string XmlEscape(std::string_view text);

}  // namespace rmg::bench
