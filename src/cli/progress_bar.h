// The progress bar of long-running commands: drawn on stderr when it is a
// terminal, at most ten times a second, and never when output is piped.
#pragma once

#include <chrono>
#include <cstddef>

namespace rmg::cli {

class ProgressBar {
 public:
  // A bar for `total` items; `enabled` false (or stderr not a terminal) draws nothing.
  ProgressBar(size_t total, bool enabled);

  // Shows `done` of the total, unless the last redraw was under 100 ms ago (the
  // final count is always drawn).
  void Update(size_t done);

  // Ends the bar's line, if one was drawn.
  void Finish();

  bool enabled() const { return enabled_; }

 private:
  size_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace rmg::cli
