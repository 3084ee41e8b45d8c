// Test-only: the scripted OpenAI-compatible server (scripted_openai_server.py) run
// as a subprocess on loopback, and a blocking libcurl helper to talk to it.
// Header-only because every non-test .cc under src/ goes into the library.
#pragma once

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "rmg/schema.h"

extern char** environ;

namespace rmg::llm::testing {

// What one HTTP exchange gave: either a status (and body, headers) or a curl error.
struct HttpReply {
  CURLcode error = CURLE_OK;  // not CURLE_OK when no complete response arrived
  long status = 0;
  std::string headers;  // the final response's header lines, as received
  std::string body;

  // The value of header `name` (case-insensitive), "" when absent.
  std::string Header(const std::string& name) const {
    size_t line_start = 0;
    while (line_start < headers.size()) {
      size_t line_end = headers.find('\n', line_start);
      if (line_end == std::string::npos) line_end = headers.size();
      const std::string line = headers.substr(line_start, line_end - line_start);
      line_start = line_end + 1;
      const size_t colon = line.find(':');
      if (colon != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < colon && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(line[i])) == std::tolower(static_cast<unsigned char>(name[i]));
      }
      if (!same) continue;
      const size_t value_start = line.find_first_not_of(" \t", colon + 1);
      const size_t value_end = line.find_last_not_of(" \t\r");
      return value_start == std::string::npos ? "" : line.substr(value_start, value_end - value_start + 1);
    }
    return "";
  }
};

// One blocking request; a POST when `body` is given. `headers` are "Name: value".
inline HttpReply FetchUrl(const std::string& url, const std::string* body = nullptr,
                          const std::vector<std::string>& headers = {}, long timeout_ms = 10000) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  curl_slist* header_list = nullptr;
  for (const std::string& header : headers) header_list = curl_slist_append(header_list, header.c_str());
  auto append = +[](char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  };
  // A 100-continue interim response comes first; keep only the last header block.
  auto append_header = +[](char* data, size_t size, size_t count, void* out) {
    auto* headers = static_cast<std::string*>(out);
    if (size * count >= 5 && std::string(data, 5) == "HTTP/") headers->clear();
    headers->append(data, size * count);
    return size * count;
  };
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  if (body != nullptr) {
    header_list = curl_slist_append(header_list, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  reply.error = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);
  return reply;
}

class ScriptedServer {
 public:
  // Starts the server with extra command-line `args` (see the script's docstring) and
  // waits up to 10 s for it to listen. Throws std::runtime_error with its output.
  static std::unique_ptr<ScriptedServer> Start(std::vector<std::string> args) {
    std::unique_ptr<ScriptedServer> server(new ScriptedServer());
    server->Spawn(std::move(args));
    server->WaitForPort();
    return server;
  }

  // Starts the server on `script` (the script's --script format), written to a file that
  // lives as long as the server, and extra command-line `args`.
  static std::unique_ptr<ScriptedServer> StartWithScript(const Json& script, std::vector<std::string> args = {}) {
    std::unique_ptr<ScriptedServer> server(new ScriptedServer());
    server->script_path_ = TemporaryFile("rmg_scripted_script_", script.dump());
    args.push_back("--script");
    args.push_back(server->script_path_);
    server->Spawn(std::move(args));
    server->WaitForPort();
    return server;
  }

  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  // Stops the server: its stdin closes and its process group gets SIGTERM; SIGKILL
  // after 2 s.
  ~ScriptedServer() {
    if (stdin_fd_ >= 0) close(stdin_fd_);
    if (stdout_fd_ >= 0) close(stdout_fd_);
    if (pid_ > 0) {
      kill(-pid_, SIGTERM);
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (waitpid(pid_, nullptr, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > give_up) {
          kill(-pid_, SIGKILL);
          waitpid(pid_, nullptr, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    if (!stderr_path_.empty()) std::remove(stderr_path_.c_str());
    if (!script_path_.empty()) std::remove(script_path_.c_str());
  }

  int port() const { return port_; }

  // "http://127.0.0.1:<port>/v1", the base URL an OpenAI client is given.
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

  // A request to `path` (e.g. "/v1/chat/completions"); a POST when `body` is given.
  HttpReply Fetch(const std::string& path, const std::string* body = nullptr,
                  const std::vector<std::string>& headers = {}, long timeout_ms = 10000) const {
    return FetchUrl("http://127.0.0.1:" + std::to_string(port_) + path, body, headers, timeout_ms);
  }

  // GET `path`, parsed as JSON. Throws std::runtime_error unless the answer is 200.
  Json Get(const std::string& path) const { return Json::parse(Checked(path, Fetch(path)).body); }

  // POST `body` to `path`. Throws std::runtime_error unless the answer is 2xx.
  void Post(const std::string& path, const std::string& body) const { Checked(path, Fetch(path, &body)); }

  // The server's counters (see the script's docstring).
  Json Stats() const { return Get("/stats"); }

  // The request bodies the server received, oldest first.
  std::vector<Json> Requests() const { return Get("/requests").get<std::vector<Json>>(); }

 private:
  ScriptedServer() = default;

  static const HttpReply& Checked(const std::string& path, const HttpReply& reply) {
    if (reply.error != CURLE_OK || reply.status / 100 != 2) {
      throw std::runtime_error(path + ": " + (reply.error != CURLE_OK ? curl_easy_strerror(reply.error)
                                                                       : "status " + std::to_string(reply.status)));
    }
    return reply;
  }

  // A new file under /tmp holding `contents`; its path.
  static std::string TemporaryFile(const std::string& prefix, const std::string& contents) {
    std::string path = "/tmp/" + prefix + "XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed for " + path);
    size_t written = 0;
    while (written < contents.size()) {
      const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    close(fd);
    if (written != contents.size()) throw std::runtime_error("cannot write " + path);
    return path;
  }

  void Spawn(std::vector<std::string> args) {
    args.insert(args.begin(), {"python3", std::string(RMG_SOURCE_DIR) + "/src/llm/testing/scripted_openai_server.py",
                               "--exit-on-stdin-eof"});
    // stderr goes to a file: read only on failure, and never a pipe that could fill up.
    char stderr_template[] = "/tmp/rmg_scripted_server_XXXXXX";
    const int stderr_fd = mkstemp(stderr_template);
    if (stderr_fd < 0) throw std::runtime_error("mkstemp failed for the scripted server's stderr");
    stderr_path_ = stderr_template;
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // Its own process group, so a stop reaches python even behind a wrapper such as
    // a pyenv shim that runs it as a child.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    const int rc = posix_spawnp(&pid_, "python3", &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(stderr_fd);
    stdin_fd_ = in_pipe[1];
    stdout_fd_ = out_pipe[0];
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot run python3 for the scripted server: error " + std::to_string(rc));
    }
  }

  void WaitForPort() {
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (output.find('\n') == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd fd{stdout_fd_, POLLIN, 0};
      if (left.count() <= 0 || poll(&fd, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[256];
      const ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      output.append(buffer, static_cast<size_t>(n));
    }
    if (output.rfind("PORT ", 0) == 0) port_ = std::atoi(output.c_str() + 5);
    if (port_ <= 0) {
      std::string errors;
      if (FILE* file = std::fopen(stderr_path_.c_str(), "r")) {
        char buffer[4096];
        for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) errors.append(buffer, n);
        std::fclose(file);
      }
      throw std::runtime_error("the scripted OpenAI server did not start; stdout: \"" + output + "\" stderr: \"" +
                               errors + "\"");
    }
  }

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string stderr_path_;
  std::string script_path_;  // StartWithScript's file, removed with the server
};

}  // namespace rmg::llm::testing
