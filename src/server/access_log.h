// The server's structured access log: one JSON object per answered request
// ({"ts", "remote", "method", "path", "status", "bytes", "ms"}), buffered so that
// tens of thousands of requests a second do not cost a write each.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "server/http_server.h"

namespace rmg::server {

class AccessLog {
 public:
  explicit AccessLog(std::FILE* out) : out_(out) {}
  ~AccessLog() { Flush(); }

  // Adds one line; writes the buffer out when it is large or a quarter second old.
  void Write(const HttpRequest& request, unsigned status, size_t bytes, double seconds);

  void Flush();

 private:
  std::FILE* out_;
  std::mutex mutex_;
  std::string buffer_;
  std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
};

}  // namespace rmg::server
