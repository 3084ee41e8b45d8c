#include "server/access_log.h"

#include <ctime>

#include "rmg/schema.h"

namespace rmg::server {
namespace {

constexpr size_t kFlushBytes = 64 * 1024;
constexpr auto kFlushAge = std::chrono::milliseconds(250);

std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

}  // namespace

void AccessLog::Write(const HttpRequest& request, unsigned status, size_t bytes, double seconds) {
  // Paths come from clients: Json escapes whatever they hold.
  const Json line{{"ts", UtcNow()},      {"remote", request.remote}, {"method", request.method},
                  {"path", request.path}, {"status", status},        {"bytes", bytes},
                  {"ms", static_cast<double>(static_cast<int64_t>(seconds * 1e6)) / 1000.0}};
  const std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  buffer_ += text;
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
