// A benchmark report (the JSON the evaluators in src/bench write) rendered for
// people: Markdown tables for a terminal or a README, and an SVG chart.
//
// Reports share one shape: {"metrics": {name: number, ..., "per_<group>": {group:
// number or {name: number}}}} and, for RM-Bench, a top-level 3x3 "matrix". The
// renderers read that shape only, so a new benchmark needs no code here.
#pragma once

#include <string>
#include <string_view>

#include "rmg/schema.h"

namespace rmg::bench {

// A Markdown section: a heading naming `benchmark`, a table of the top-level
// metrics, then one table per "per_<group>" breakdown (rows = groups, columns =
// their numeric fields). Integers print as integers, other numbers with four
// decimals.
std::string ReportMarkdown(std::string_view benchmark, const Json& report);

// An SVG chart of the report: RM-Bench's matrix as a heat map when the report has
// one; otherwise bars for the first breakdown found among per_subset, per_section,
// per_category and per_source, else the first other "per_" breakdown, whose
// entries must each be a number or carry an "accuracy" (the bar); a report with
// no such breakdown gets bars of its top-level fractions. Empty breakdowns are left out
// of the Markdown too.
std::string ReportSvg(std::string_view benchmark, const Json& report);

}  // namespace rmg::bench
