#include "server/access_log.h"

#include <cstdio>
#include <ctime>
#include <string_view>

#include "core/json_string.h"

namespace rmg::server {
namespace {

constexpr size_t kFlushBytes = 64 * 1024;
constexpr auto kFlushAge = std::chrono::milliseconds(250);

// The time as ISO 8601 UTC with milliseconds. The calendar part is formatted once a
// second per thread: at tens of thousands of lines a second, gmtime adds up.
std::string UtcNow() {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[64];
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  if (seconds != cached_second) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    cached_second = seconds;
  }
  char text[96];
  std::snprintf(text, sizeof text, "%s.%03dZ", cached, static_cast<int>(millis));
  return text;
}

}  // namespace

void AccessLog::Write(const HttpRequest& request, unsigned status, size_t bytes, double seconds) {
  std::string line = "{\"ts\":\"" + UtcNow() + "\",\"remote\":";
  AppendJsonString(request.remote, &line);
  line += ",\"method\":";
  AppendJsonString(request.method, &line);
  line += ",\"path\":";
  AppendJsonString(request.path, &line);
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, ",\"status\":%u,\"bytes\":%zu,\"ms\":%.3f}\n", status, bytes, seconds * 1e3);
  line += numbers;
  std::lock_guard lock(mutex_);
  buffer_ += line;
  const auto now = std::chrono::steady_clock::now();
  if (buffer_.size() >= kFlushBytes || now - last_flush_ >= kFlushAge) {
    std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
    std::fflush(out_);
    buffer_.clear();
    last_flush_ = now;
  }
}

void AccessLog::Flush() {
  std::lock_guard lock(mutex_);
  if (buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
  std::fflush(out_);
  buffer_.clear();
}

}  // namespace rmg::server
