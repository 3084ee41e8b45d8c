#include "cli/progress_bar.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <system_error>

namespace rmg::cli {
namespace {

// Marks the end of what a test wrote to the terminal, so the reader knows when it
// has everything without guessing how long the kernel takes to pass it on.
constexpr char kProgressBarEndMark[] = "\x02<end>";

// A pseudo-terminal standing in for stderr while a test runs: the bar draws only
// on a real terminal, and the master side shows what a user would have seen.
class ProgressBarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    master_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(master_, 0);
    ASSERT_EQ(grantpt(master_), 0);
    ASSERT_EQ(unlockpt(master_), 0);
    slave_ = open(ptsname(master_), O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(slave_, 0);
    // Raw mode: the line discipline would otherwise turn "\n" into "\r\n".
    termios settings{};
    ASSERT_EQ(tcgetattr(slave_, &settings), 0);
    cfmakeraw(&settings);
    ASSERT_EQ(tcsetattr(slave_, TCSANOW, &settings), 0);
    std::fflush(stderr);
    saved_stderr_ = dup(STDERR_FILENO);
    ASSERT_GE(saved_stderr_, 0);
    ASSERT_EQ(dup2(slave_, STDERR_FILENO), STDERR_FILENO);
  }

  void TearDown() override {
    std::fflush(stderr);
    if (saved_stderr_ >= 0) {
      dup2(saved_stderr_, STDERR_FILENO);
      close(saved_stderr_);
    }
    if (slave_ >= 0) close(slave_);
    if (master_ >= 0) close(master_);
  }

  // Everything written to the terminal since the last call.
  std::string TerminalText() {
    std::fflush(stderr);
    const std::string mark = kProgressBarEndMark;
    EXPECT_EQ(write(slave_, mark.data(), mark.size()), static_cast<ssize_t>(mark.size()));
    std::string text;
    while (text.size() < mark.size() || text.compare(text.size() - mark.size(), mark.size(), mark) != 0) {
      pollfd ready{master_, POLLIN, 0};
      // Generous: the mark is already written, only the kernel's hand-off is pending.
      if (poll(&ready, 1, 10000) <= 0) {
        ADD_FAILURE() << "the terminal did not pass on the end mark; got so far: " << text;
        return text;
      }
      char buffer[4096];
      const ssize_t n = read(master_, buffer, sizeof buffer);
      if (n <= 0) {
        ADD_FAILURE() << "reading the terminal failed";
        return text;
      }
      text.append(buffer, static_cast<size_t>(n));
    }
    return text.substr(0, text.size() - mark.size());
  }

  int master_ = -1;
  int slave_ = -1;
  int saved_stderr_ = -1;
};

// What one redraw shows up to the rate, which depends on the clock.
std::string ProgressBarPrefix(size_t done, size_t total, size_t filled, const char* percent) {
  return "\r[" + std::string(filled, '=') + std::string(30 - filled, ' ') + "] " + std::to_string(done) + "/" +
         std::to_string(total) + " " + percent + " ";
}

size_t ProgressBarDraws(const std::string& text) {
  size_t draws = 0;
  for (char c : text) draws += c == '\r' ? 1 : 0;
  return draws;
}

TEST_F(ProgressBarTest, FirstUpdateDrawsTheBarCountPercentAndRate) {
  ProgressBar bar(4, true);
  EXPECT_TRUE(bar.enabled());
  bar.Update(1);
  const std::string text = TerminalText();
  // 1/4 of 30 columns is 7.5: a partly done column is not drawn.
  const std::string prefix = ProgressBarPrefix(1, 4, 7, " 25%");
  ASSERT_EQ(text.substr(0, prefix.size()), prefix) << text;
  EXPECT_TRUE(std::regex_match(text.substr(prefix.size()), std::regex("[0-9]+ samples/s"))) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos) << "the line stays open until Finish";
}

TEST_F(ProgressBarTest, TheFinalCountIsDrawnEvenRightAfterAnotherDraw) {
  ProgressBar bar(3, true);
  bar.Update(1);
  bar.Update(3);
  const std::string text = TerminalText();
  EXPECT_EQ(ProgressBarDraws(text), 2u) << text;
  const size_t last = text.rfind('\r');
  ASSERT_NE(last, std::string::npos);
  const std::string final_prefix = ProgressBarPrefix(3, 3, 30, "100%");
  EXPECT_EQ(text.substr(last, final_prefix.size()), final_prefix) << text;
  EXPECT_EQ(text.substr(0, ProgressBarPrefix(1, 3, 10, " 33%").size()), ProgressBarPrefix(1, 3, 10, " 33%"));
}

TEST_F(ProgressBarTest, BurstsOfUpdatesAreThrottled) {
  ProgressBar bar(1000, true);
  for (size_t done = 1; done <= 200; ++done) bar.Update(done);
  const std::string text = TerminalText();
  // 200 updates in a row take microseconds; each one redrawn would mean the
  // 100 ms throttle is missing (the loop would have to take 20 s to earn them).
  EXPECT_GE(ProgressBarDraws(text), 1u);
  EXPECT_LT(ProgressBarDraws(text), 200u) << text.size() << " bytes drawn";
  EXPECT_EQ(text.substr(0, ProgressBarPrefix(1, 1000, 0, "  0%").size()), ProgressBarPrefix(1, 1000, 0, "  0%"));
}

TEST_F(ProgressBarTest, FilledColumnsFollowTheFractionDone) {
  struct Case {
    size_t done, total, filled;
    const char* percent;
  };
  // The final count of each bar is always drawn, so each case is one fresh bar.
  for (const Case& c : {Case{0, 7, 0, "  0%"}, Case{2, 3, 20, " 67%"}, Case{29, 30, 29, " 97%"},
                        Case{990, 1000, 29, " 99%"}, Case{1, 60, 0, "  2%"}, Case{2, 60, 1, "  3%"}}) {
    ProgressBar bar(c.total, true);
    bar.Update(c.done);
    const std::string text = TerminalText();
    const std::string prefix = ProgressBarPrefix(c.done, c.total, c.filled, c.percent);
    EXPECT_EQ(text.substr(0, prefix.size()), prefix) << c.done << "/" << c.total;
  }
}

TEST_F(ProgressBarTest, AnEmptyRunIsComplete) {
  ProgressBar bar(0, true);
  bar.Update(0);
  bar.Finish();
  const std::string text = TerminalText();
  const std::string prefix = ProgressBarPrefix(0, 0, 30, "100%");
  ASSERT_EQ(text.substr(0, prefix.size()), prefix) << text;
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(ProgressBarDraws(text), 1u);
}

TEST_F(ProgressBarTest, FinishEndsTheLineOnlyWhenABarWasDrawn) {
  {
    ProgressBar bar(5, true);
    bar.Finish();
    EXPECT_EQ(TerminalText(), "");
  }
  ProgressBar bar(5, true);
  bar.Update(5);
  bar.Finish();
  const std::string text = TerminalText();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST_F(ProgressBarTest, DisabledDrawsNothingEvenOnATerminal) {
  ProgressBar bar(10, false);
  EXPECT_FALSE(bar.enabled());
  bar.Update(3);
  bar.Update(10);
  bar.Finish();
  EXPECT_EQ(TerminalText(), "");
}

TEST(ProgressBarPipedTest, StderrThatIsNoTerminalGetsNothing) {
  // A regular file, as with `rmg eval 2>log`: the log must not fill with redraws.
  const std::filesystem::path log =
      std::filesystem::temp_directory_path() / ("rmg_progress_bar_" + std::to_string(getpid()) + ".log");
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  ASSERT_GE(saved, 0);
  const int file = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(file, 0);
  dup2(file, STDERR_FILENO);
  close(file);
  bool enabled = true;
  {
    ProgressBar bar(2, true);
    enabled = bar.enabled();
    bar.Update(1);
    bar.Update(2);
    bar.Finish();
  }
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::ifstream in(log, std::ios::binary);
  std::stringstream written;
  written << in.rdbuf();
  std::error_code ignored;
  std::filesystem::remove(log, ignored);
  EXPECT_FALSE(enabled);
  EXPECT_EQ(written.str(), "");
}

}  // namespace
}  // namespace rmg::cli
