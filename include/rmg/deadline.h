// Deadline: the cooperative time limit every engine carries through its loops.
// rmg never interrupts work with signals; long loops call Check() instead.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

namespace rmg {

// Thrown by Deadline::Check() once the deadline has passed.
class DeadlineExceeded : public std::runtime_error {
 public:
  explicit DeadlineExceeded(const std::string& what) : std::runtime_error(what) {}
};

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  // A deadline that never expires.
  static Deadline Never() { return Deadline(Clock::time_point::max()); }

  // A deadline `seconds` from now; seconds <= 0 (or NaN) means already expired, and
  // more than a billion seconds (31 years) never comes, as the clock's nanosecond
  // count would overflow.
  static Deadline After(double seconds) {
    constexpr double kForeverSeconds = 1e9;
    if (!(seconds > 0)) return Deadline(Clock::now(), seconds);
    if (seconds >= kForeverSeconds) return Deadline(Clock::time_point::max(), seconds);
    const auto span = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    return Deadline(Clock::now() + span, seconds);
  }

  // `budget_seconds` is only used to say in messages how long the limit was.
  explicit Deadline(Clock::time_point when, double budget_seconds = 0)
      : when_(when), budget_seconds_(budget_seconds) {}

  Clock::time_point when() const { return when_; }
  double budget_seconds() const { return budget_seconds_; }

  // This deadline, which has also passed once `*cancelled` is true: a caller (a Python
  // thread that got Ctrl-C, say) stops work that only checks deadlines. The flag is set
  // from any thread and must outlive every copy still checked; null: no cancellation.
  Deadline CancelledBy(const std::atomic<bool>* cancelled) const {
    Deadline copy = *this;
    copy.cancelled_ = cancelled;
    return copy;
  }

  // True once the flag given to CancelledBy() is set.
  bool Cancelled() const { return cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed); }

  // The flag given to CancelledBy(), or null: for work (a sandboxed program, say) that
  // watches the flag itself rather than calling Expired().
  const std::atomic<bool>* cancel_flag() const { return cancelled_; }

  // True when neither time nor a cancellation can end it: loops may skip their checks.
  bool Unbounded() const { return when_ == Clock::time_point::max() && cancelled_ == nullptr; }

  // Seconds until the deadline: 0 once it has passed, infinity when it never comes.
  // For work bounded by a time limit of its own (a child process's), whose limit the
  // deadline may cut short.
  double SecondsLeft() const {
    if (when_ == Clock::time_point::max()) return std::numeric_limits<double>::infinity();
    return std::max(0.0, std::chrono::duration<double>(when_ - Clock::now()).count());
  }

  // True once the deadline has passed or was cancelled.
  bool Expired() const { return Cancelled() || (when_ != Clock::time_point::max() && Clock::now() >= when_); }

  // Throws DeadlineExceeded if the deadline has passed ("cancelled" if it was cancelled).
  void Check() const {
    if (Expired()) throw Exceeded();
  }

  // The DeadlineExceeded that Check() throws once the deadline has passed: for work that
  // knows it cannot finish in time before the clock says so.
  DeadlineExceeded Exceeded() const {
    if (Cancelled()) return DeadlineExceeded("cancelled");
    if (!(budget_seconds_ > 0)) return DeadlineExceeded("timed out: the deadline passed");  // NaN too
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", budget_seconds_);
    return DeadlineExceeded(std::string("timed out: the ") + seconds + " s deadline passed");
  }

 private:
  Clock::time_point when_;
  double budget_seconds_ = 0;
  const std::atomic<bool>* cancelled_ = nullptr;
};

}  // namespace rmg
