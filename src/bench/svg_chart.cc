#include "bench/svg_chart.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace rmg::bench {
namespace {

constexpr int kFontSize = 13;
constexpr int kTitleHeight = 36;
constexpr int kMargin = 12;
constexpr const char* kFont = "font-family=\"DejaVu Sans, Arial, sans-serif\"";

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string Percent(double value) { return Format("%.1f%%", 100.0 * value); }

double Clamp01(double value) { return std::clamp(value, 0.0, 1.0); }

// Approximate width of `text` at kFontSize: enough to size the label column
// without measuring glyphs.
int TextWidth(std::string_view text) {
  int characters = 0;
  for (unsigned char byte : text) characters += (byte & 0xC0) != 0x80;
  return characters * kFontSize * 62 / 100;
}

// The width a title needs: it is drawn at 16 px bold, not kFontSize.
int TitleWidth(std::string_view title) { return kMargin + TextWidth(title) * 16 / 13 + kMargin; }

std::string Header(int width, int height, std::string_view title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
         "\" " + kFont + " font-size=\"" + std::to_string(kFontSize) + "\">\n" +
         "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + "<text x=\"" + std::to_string(kMargin) +
         "\" y=\"24\" font-size=\"16\" font-weight=\"bold\">" + XmlEscape(title) + "</text>\n";
}

std::string Text(int x, int y, std::string_view anchor, std::string_view text, std::string_view extra = "") {
  std::string out = "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" text-anchor=\"" +
                    std::string(anchor) + "\"";
  if (!extra.empty()) out += " " + std::string(extra);
  return out + ">" + XmlEscape(text) + "</text>\n";
}

std::string Rect(int x, int y, int width, int height, std::string_view fill) {
  return "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(height) + "\" fill=\"" + std::string(fill) + "\"/>\n";
}

// White (0) to a saturated blue (1), so higher accuracy reads darker.
std::string HeatColour(double value) {
  const double v = Clamp01(value);
  const int red = static_cast<int>(255 - v * (255 - 33));
  const int green = static_cast<int>(255 - v * (255 - 102));
  const int blue = static_cast<int>(255 - v * (255 - 172));
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", red, green, blue);
  return buffer;
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string BarChartSvg(std::string_view title, const std::vector<ChartBar>& bars) {
  constexpr int kBarHeight = 18;
  constexpr int kRowHeight = 26;
  constexpr int kPlotWidth = 360;
  int label_width = 40;
  for (const ChartBar& bar : bars) label_width = std::max(label_width, TextWidth(bar.label));
  const int plot_x = kMargin + label_width + 8;
  const int axis_y = kTitleHeight + 18;
  const int width = std::max(plot_x + kPlotWidth + 70, TitleWidth(title));
  const int height = axis_y + static_cast<int>(bars.size()) * kRowHeight + kMargin + 4;

  std::string svg = Header(width, height, title);
  // Gridlines at 0, 25, 50, 75 and 100 %.
  for (int tick = 0; tick <= 4; ++tick) {
    const int x = plot_x + tick * kPlotWidth / 4;
    svg += "<line x1=\"" + std::to_string(x) + "\" y1=\"" + std::to_string(axis_y) + "\" x2=\"" + std::to_string(x) +
           "\" y2=\"" + std::to_string(height - kMargin) + "\" stroke=\"#dddddd\"/>\n";
    svg += Text(x, axis_y - 4, "middle", std::to_string(tick * 25) + "%", "fill=\"#666666\" font-size=\"11\"");
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = axis_y + 4 + static_cast<int>(i) * kRowHeight;
    const int length = static_cast<int>(Clamp01(bars[i].value) * kPlotWidth + 0.5);
    svg += Text(plot_x - 8, y + kBarHeight - 5, "end", bars[i].label);
    svg += Rect(plot_x, y, std::max(length, 1), kBarHeight, "#3b6ea8");
    svg += Text(plot_x + length + 6, y + kBarHeight - 5, "start", Percent(bars[i].value));
  }
  return svg + "</svg>\n";
}

std::string HeatMapSvg(std::string_view title, std::string_view row_axis, std::string_view column_axis,
                       const std::vector<std::string>& row_labels, const std::vector<std::string>& column_labels,
                       const std::vector<std::vector<double>>& cells) {
  if (cells.size() != row_labels.size()) throw std::invalid_argument("heat map: one row of cells per row label");
  for (const std::vector<double>& row : cells) {
    if (row.size() != column_labels.size()) throw std::invalid_argument("heat map: one cell per column label");
  }
  constexpr int kCell = 136;
  int label_width = TextWidth(row_axis);
  for (const std::string& label : row_labels) label_width = std::max(label_width, TextWidth(label));
  const int grid_x = kMargin + label_width + 10;
  const int grid_y = kTitleHeight + 44;
  const int columns = static_cast<int>(column_labels.size());
  const int rows = static_cast<int>(row_labels.size());
  const int width = std::max(grid_x + columns * kCell + kMargin, TitleWidth(title));
  const int height = grid_y + rows * kCell + kMargin;

  std::string svg = Header(width, height, title);
  svg += Text(grid_x + columns * kCell / 2, kTitleHeight + 10, "middle", column_axis, "fill=\"#444444\"");
  svg += Text(kMargin, grid_y - 8, "start", row_axis, "fill=\"#444444\"");
  for (int c = 0; c < columns; ++c) {
    svg += Text(grid_x + c * kCell + kCell / 2, grid_y - 8, "middle", column_labels[static_cast<size_t>(c)]);
  }
  for (int r = 0; r < rows; ++r) {
    const int y = grid_y + r * kCell;
    svg += Text(grid_x - 8, y + kCell / 2 + 5, "end", row_labels[static_cast<size_t>(r)]);
    for (int c = 0; c < columns; ++c) {
      const double value = cells[static_cast<size_t>(r)][static_cast<size_t>(c)];
      const int x = grid_x + c * kCell;
      svg += Rect(x, y, kCell - 2, kCell - 2, HeatColour(value));
      const char* ink = Clamp01(value) > 0.55 ? "fill=\"#ffffff\" font-weight=\"bold\"" : "font-weight=\"bold\"";
      svg += Text(x + kCell / 2 - 1, y + kCell / 2 + 4, "middle", Percent(value), ink);
    }
  }
  return svg + "</svg>\n";
}

}  // namespace rmg::bench
