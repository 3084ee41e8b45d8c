// Deadline (include/rmg/deadline.h): expiry, and budgets at the edges of the clock.
#include "rmg/deadline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>

namespace rmg {
namespace {

TEST(DeadlineTest, ExpiresAfterItsBudget) {
  EXPECT_FALSE(Deadline::Never().Expired());
  EXPECT_FALSE(Deadline::After(60).Expired());
  EXPECT_NO_THROW(Deadline::After(60).Check());
  EXPECT_TRUE(Deadline::After(0).Expired());
  EXPECT_TRUE(Deadline::After(-5).Expired());
  try {
    Deadline::After(0.5e-9).Check();  // the clock has moved by the time Check() runs
    FAIL() << "no DeadlineExceeded";
  } catch (const DeadlineExceeded& e) {
    EXPECT_STREQ(e.what(), "timed out: the 5e-10 s deadline passed");
  }
  for (const double budget : {0.0, -1.0, std::nan("")}) {
    try {
      Deadline::After(budget).Check();
      FAIL() << "no DeadlineExceeded for " << budget;
    } catch (const DeadlineExceeded& e) {
      EXPECT_STREQ(e.what(), "timed out: the deadline passed") << budget;
    }
  }
}

// A budget past the clock's range once meant a nanosecond count that overflowed to a
// time in the past: `rmg eval --timeout 1e300` timed every sample out at once.
TEST(DeadlineTest, HugeBudgetsNeverExpireAndNaNHasExpired) {
  for (double seconds : {1e9, 1e10, 1e300, std::numeric_limits<double>::infinity()}) {
    EXPECT_FALSE(Deadline::After(seconds).Expired()) << seconds;
    EXPECT_EQ(Deadline::After(seconds).when(), Deadline::Clock::time_point::max()) << seconds;
  }
  EXPECT_FALSE(Deadline::After(9e8).Expired());
  EXPECT_TRUE(Deadline::After(std::nan("")).Expired());
}

TEST(DeadlineTest, SecondsLeft) {
  EXPECT_EQ(Deadline::Never().SecondsLeft(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(Deadline::After(-1).SecondsLeft(), 0.0);
  const double left = Deadline::After(100).SecondsLeft();
  EXPECT_GT(left, 0.0);
  EXPECT_LE(left, 100.0);
}

TEST(DeadlineTest, ACancelledDeadlineHasPassedInEveryCopy) {
  std::atomic<bool> cancelled{false};
  const Deadline never = Deadline::Never().CancelledBy(&cancelled);
  const Deadline later = Deadline::After(60).CancelledBy(&cancelled);
  const Deadline copy = later;
  EXPECT_FALSE(never.Unbounded());  // a loop must keep checking it
  EXPECT_TRUE(Deadline::Never().Unbounded());
  EXPECT_FALSE(Deadline::After(60).Unbounded());
  EXPECT_FALSE(never.Expired() || later.Expired() || copy.Expired());
  cancelled = true;
  EXPECT_TRUE(never.Expired() && later.Expired() && copy.Expired() && copy.Cancelled());
  EXPECT_FALSE(Deadline::After(60).Cancelled());
  EXPECT_EQ(later.when(), copy.when());  // the time limit itself is unchanged
  try {
    copy.Check();
    FAIL() << "no DeadlineExceeded";
  } catch (const DeadlineExceeded& e) {
    EXPECT_STREQ(e.what(), "cancelled");
  }
  EXPECT_FALSE(later.CancelledBy(nullptr).Expired());
}

}  // namespace
}  // namespace rmg
