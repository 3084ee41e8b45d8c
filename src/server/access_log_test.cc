#include "server/access_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "core/testing/temp_dir.h"
#include "rmg/schema.h"

namespace rmg::server {
namespace {

HttpRequest AccessLogRequest(std::string method, std::string path, std::string remote = "127.0.0.1") {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.remote = std::move(remote);
  return request;
}

std::vector<std::string> AccessLogLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class AccessLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Path("access.log");
    file_ = std::fopen(path_.c_str(), "w");
    ASSERT_NE(file_, nullptr);
  }

  void TearDown() override {
    if (file_ != nullptr) std::fclose(file_);
  }

  // What reached the file (not what sits in stdio's or the log's buffers).
  std::string FileText() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  TempTestDir dir_;
  std::string path_;
  std::FILE* file_ = nullptr;
};

TEST_F(AccessLogTest, FlushWritesOneJsonLineWithEveryField) {
  AccessLog log(file_);
  log.Write(AccessLogRequest("POST", "/v1/rewards/x:evaluate"), 200, 1234, 0.0125);
  log.Flush();
  const std::vector<std::string> lines = AccessLogLines(FileText());
  ASSERT_EQ(lines.size(), 1u);
  const std::regex shape(
      R"re(\{"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","remote":"127\.0\.0\.1","method":"POST",)re"
      R"re("path":"/v1/rewards/x:evaluate","status":200,"bytes":1234,"ms":12\.500\})re");
  EXPECT_TRUE(std::regex_match(lines[0], shape)) << lines[0];
  const Json parsed = Json::parse(lines[0]);
  EXPECT_EQ(parsed["status"], 200);
  EXPECT_EQ(parsed["bytes"], 1234);
  EXPECT_DOUBLE_EQ(parsed["ms"].get<double>(), 12.5);
}

TEST_F(AccessLogTest, TimestampIsUtcWithMilliseconds) {
  AccessLog log(file_);
  const auto before = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  log.Write(AccessLogRequest("GET", "/healthz"), 200, 2, 0);
  const auto after = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  log.Flush();
  const Json parsed = Json::parse(AccessLogLines(FileText()).at(0));
  const std::string ts = parsed["ts"].get<std::string>();
  std::tm utc{};
  int millis = -1;
  ASSERT_EQ(std::sscanf(ts.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                        &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &millis),
            7)
      << ts;
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  // timegm reads the fields as UTC: a local-time stamp would land hours away from now.
  const auto stamp = std::chrono::system_clock::from_time_t(timegm(&utc)) + std::chrono::milliseconds(millis);
  EXPECT_GE(stamp, before) << ts;
  EXPECT_LE(stamp, after) << ts;
}

TEST_F(AccessLogTest, ClientTextIsEscapedSoEveryLineIsJson) {
  AccessLog log(file_);
  // A quote, a backslash, a newline, a tab, DEL and the UTF-8 bytes of "é".
  log.Write(AccessLogRequest("GE\"T", "/a\\b\nc\td\x7f\xc3\xa9", "::1"), 400, 0, 0);
  log.Flush();
  const std::string text = FileText();
  const std::vector<std::string> lines = AccessLogLines(text);
  ASSERT_EQ(lines.size(), 1u) << text;
  EXPECT_NE(lines[0].find(R"("remote":"::1","method":"GE\"T","path":"/a\\b\nc\td)"
                          "\x7f\xc3\xa9\""),
            std::string::npos)
      << lines[0];
  const Json parsed = Json::parse(lines[0]);
  EXPECT_EQ(parsed["method"], "GE\"T");
  // UTF-8 stays itself: each byte outside ASCII was written as a code point of its
  // own, and "é" read back as "Ã©".
  EXPECT_EQ(parsed["path"], "/a\\b\nc\td\x7f\xc3\xa9");
}

TEST_F(AccessLogTest, InvalidUtf8PathStillGivesValidJson) {
  AccessLog log(file_);
  log.Write(AccessLogRequest("GET", std::string("/\xff\xfe\x00x", 5)), 404, 10, 0);
  log.Flush();
  const std::vector<std::string> lines = AccessLogLines(FileText());
  ASSERT_EQ(lines.size(), 1u);
  // Each invalid byte is U+FFFD, as in every JSON rmg writes.
  EXPECT_NE(lines[0].find("\"path\":\"/\xEF\xBF\xBD\xEF\xBF\xBD\\u0000x\""), std::string::npos) << lines[0];
  EXPECT_FALSE(Json::parse(lines[0], nullptr, false).is_discarded()) << lines[0];
}

TEST_F(AccessLogTest, EmptyFieldsAndExtremeNumbers) {
  AccessLog log(file_);
  log.Write(HttpRequest(), 599, static_cast<size_t>(-1), 1.5);
  log.Flush();
  const std::vector<std::string> lines = AccessLogLines(FileText());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"("remote":"","method":"","path":"","status":599,"bytes":18446744073709551615,)"
                          R"("ms":1500.000})"),
            std::string::npos)
      << lines[0];
}

TEST_F(AccessLogTest, SecondFlushWritesNothingMore) {
  AccessLog log(file_);
  log.Write(AccessLogRequest("GET", "/a"), 200, 1, 0);
  log.Flush();
  const std::string once = FileText();
  log.Flush();
  EXPECT_EQ(FileText(), once);
  EXPECT_EQ(AccessLogLines(once).size(), 1u);
}

TEST_F(AccessLogTest, DestructorFlushesWhatIsBuffered) {
  {
    AccessLog log(file_);
    log.Write(AccessLogRequest("GET", "/one"), 200, 1, 0);
    log.Write(AccessLogRequest("GET", "/two"), 201, 2, 0);
  }
  const std::vector<std::string> lines = AccessLogLines(FileText());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Json::parse(lines[0])["path"], "/one");
  EXPECT_EQ(Json::parse(lines[1])["path"], "/two");
}

TEST_F(AccessLogTest, LargeBufferIsWrittenWithoutAnExplicitFlush) {
  const std::string path(1000, 'p');
  AccessLog log(file_);
  size_t written = 0;
  int count = 0;
  // Past 64 KiB the buffer must have gone out, whether by size or by age.
  while (written < 70 * 1024) {
    log.Write(AccessLogRequest("GET", "/" + path), 200, static_cast<size_t>(count), 0);
    written += path.size() + 100;
    ++count;
  }
  const std::string text = FileText();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');  // whole lines only
  const std::vector<std::string> lines = AccessLogLines(text);
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(Json::parse(lines[i])["bytes"], i);
}

TEST_F(AccessLogTest, ConcurrentWritersLoseAndTearNoLine) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  {
    AccessLog log(file_);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < kPerThread; ++i) {
          log.Write(AccessLogRequest("POST", "/t" + std::to_string(t)), 200, static_cast<size_t>(i), 0.001);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  const std::vector<std::string> lines = AccessLogLines(FileText());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kPerThread));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    const Json parsed = Json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << line;
    const int thread = std::stoi(parsed["path"].get<std::string>().substr(2));
    ASSERT_GE(thread, 0);
    ASSERT_LT(thread, kThreads);
    // One thread's lines keep their order.
    EXPECT_EQ(parsed["bytes"].get<int>(), next[thread]) << line;
    next[thread] = parsed["bytes"].get<int>() + 1;
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kPerThread);
}

}  // namespace
}  // namespace rmg::server
