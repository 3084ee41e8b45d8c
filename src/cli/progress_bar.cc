#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace rmg::cli {

ProgressBar::ProgressBar(size_t total, bool enabled)
    : total_(total), enabled_(enabled && isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Update(size_t done) {
  if (!enabled_) return;
  // A terminal is slower than the evaluator: redraw at most ten times a second.
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double fraction = total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
  std::string bar(static_cast<size_t>(fraction * kWidth), '=');
  bar.resize(kWidth, ' ');
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  std::fprintf(stderr, "\r[%s] %zu/%zu %3.0f%% %.0f samples/s", bar.c_str(), done, total_, 100 * fraction, rate);
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (drawn_) std::fprintf(stderr, "\n");
}

}  // namespace rmg::cli
