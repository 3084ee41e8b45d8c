#include "bench/report_render.h"

#include <cstdio>
#include <string>
#include <vector>

#include "bench/svg_chart.h"

namespace rmg::bench {
namespace {

// The breakdowns a chart prefers, in order: the grouping the benchmark's paper
// reports (JudgeBench's four categories read better than its 17 sources).
constexpr const char* kBreakdowns[] = {"per_subset", "per_section", "per_category", "per_source"};

std::string FormatNumber(const Json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value.get<double>());
  return buffer;
}

// A non-empty "per_<group>" object (an empty one has nothing to show).
bool IsBreakdown(const std::string& key, const Json& value) {
  return key.rfind("per_", 0) == 0 && value.is_object() && !value.empty();
}

// A breakdown with one number per group to draw: its entries are numbers or
// carry an "accuracy" (entries with several metrics, such as maj@k's per-k
// curves, have no single bar).
bool IsChartable(const std::string& key, const Json& value) {
  if (!IsBreakdown(key, value)) return false;
  for (const auto& [group, entry] : value.items()) {
    if (!entry.is_number() && !(entry.is_object() && entry.contains("accuracy"))) return false;
  }
  return true;
}

// The breakdown a chart shows: the first of kBreakdowns present, else the first
// chartable breakdown in the report's order; nullptr when there is none.
const Json* ChartedBreakdown(const Json& metrics) {
  for (const char* key : kBreakdowns) {
    if (metrics.contains(key) && IsChartable(key, metrics[key])) return &metrics[key];
  }
  for (const auto& [name, value] : metrics.items()) {
    if (IsChartable(name, value)) return &value;
  }
  return nullptr;
}

// The numeric fields of a breakdown's entries, in first-seen order; a breakdown
// whose entries are plain numbers has the one column "value".
std::vector<std::string> ColumnsOf(const Json& breakdown) {
  std::vector<std::string> columns;
  for (const auto& [group, entry] : breakdown.items()) {
    if (entry.is_number()) {
      if (columns.empty()) columns.push_back("value");
      continue;
    }
    if (!entry.is_object()) continue;
    for (const auto& [name, value] : entry.items()) {
      if (!value.is_number()) continue;
      bool known = false;
      for (const std::string& column : columns) known = known || column == name;
      if (!known) columns.push_back(name);
    }
  }
  return columns;
}

// `text` fit for a Markdown table cell: a '|' (a subset named "x|y") would end the
// cell, and a line break the row.
std::string MarkdownCell(std::string_view text) {
  std::string cell;
  for (char c : text) {
    if (c == '|')
      cell += "\\|";
    else if (c == '\n' || c == '\r')
      cell += ' ';
    else
      cell += c;
  }
  return cell;
}

std::string BreakdownTable(const std::string& key, const Json& breakdown) {
  const std::vector<std::string> columns = ColumnsOf(breakdown);
  std::string group_name = key.substr(4);
  std::string out = "\n| " + group_name;
  std::string rule = "\n|---";
  for (const std::string& column : columns) {
    out += " | " + column;
    rule += "|---:";
  }
  out += " |" + rule + "|\n";
  for (const auto& [group, entry] : breakdown.items()) {
    out += "| " + MarkdownCell(group);
    for (const std::string& column : columns) {
      const Json* cell = nullptr;
      if (entry.is_number() && column == "value") cell = &entry;
      if (entry.is_object() && entry.contains(column) && entry[column].is_number()) cell = &entry[column];
      out += " | " + (cell == nullptr ? std::string() : FormatNumber(*cell));
    }
    out += " |\n";
  }
  return out;
}

const Json& MetricsOf(const Json& report) {
  static const Json kEmpty = Json::object();
  if (!report.is_object() || !report.contains("metrics") || !report["metrics"].is_object()) return kEmpty;
  return report["metrics"];
}

// The headline of a chart: the top-level metrics that are fractions, e.g.
// "hard_acc 31.2% · normal_acc 58.0%".
std::string Headline(std::string_view benchmark, const Json& metrics) {
  std::string title(benchmark);
  std::string separator = ": ";
  int shown = 0;
  for (const auto& [name, value] : metrics.items()) {
    if (!value.is_number_float() || shown == 4) continue;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * value.get<double>());
    title += separator + name + " " + buffer;
    separator = " · ";
    ++shown;
  }
  return title;
}

// The bar of a chartable breakdown's entry (see IsChartable).
double BarValue(const Json& entry) {
  if (entry.is_number()) return entry.get<double>();
  const Json& accuracy = entry["accuracy"];
  return accuracy.is_number() ? accuracy.get<double>() : 0.0;
}

}  // namespace

std::string ReportMarkdown(std::string_view benchmark, const Json& report) {
  const Json& metrics = MetricsOf(report);
  std::string out = "## " + std::string(benchmark) + "\n\n| metric | value |\n|---|---:|\n";
  for (const auto& [name, value] : metrics.items()) {
    if (value.is_number()) out += "| " + name + " | " + FormatNumber(value) + " |\n";
  }
  for (const auto& [name, value] : metrics.items()) {
    if (IsBreakdown(name, value)) out += BreakdownTable(name, value);
  }
  return out;
}

std::string ReportSvg(std::string_view benchmark, const Json& report) {
  const Json& metrics = MetricsOf(report);
  const std::string title = Headline(benchmark, metrics);
  if (report.is_object() && report.contains("matrix") && report["matrix"].is_array()) {
    std::vector<std::vector<double>> cells;
    for (const Json& row : report["matrix"]) {
      std::vector<double> values;
      for (const Json& cell : row) values.push_back(cell.is_number() ? cell.get<double>() : 0.0);
      cells.push_back(std::move(values));
    }
    // RM-Bench's styles, in the order of its matrix (rmbench.h).
    const std::vector<std::string> styles = {"concise", "detailed plain", "detailed markdown"};
    if (cells.size() == styles.size()) {
      return HeatMapSvg(title, "chosen style", "rejected style", styles, styles, cells);
    }
  }
  std::vector<ChartBar> bars;
  if (const Json* breakdown = ChartedBreakdown(metrics)) {
    for (const auto& [group, entry] : breakdown->items()) bars.push_back({group, BarValue(entry)});
  } else {
    for (const auto& [name, value] : metrics.items()) {
      if (value.is_number_float()) bars.push_back({name, value.get<double>()});
    }
  }
  return BarChartSvg(title, bars);
}

}  // namespace rmg::bench
