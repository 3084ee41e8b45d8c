// `rmg serve` as a process: it says where it listens, serves, and on SIGTERM lets
// the request in flight finish before exiting 0.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "core/testing/temp_dir.h"
#include "llm/testing/scripted_server.h"
#include "rmg/schema.h"

extern char** environ;

namespace rmg {
namespace {

// Starts `rmg serve ARGS` and reads its stderr until it says its port.
struct ServeProcess {
  pid_t pid = -1;
  int stderr_fd = -1;
  int port = 0;
  std::string said;

  explicit ServeProcess(std::vector<std::string> args) {
    int pipe_fds[2];
    EXPECT_EQ(pipe(pipe_fds), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    args.insert(args.begin(), {RMG_BINARY, "serve"});
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid, RMG_BINARY, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    stderr_fd = pipe_fds[0];
    const std::regex listening("listening on http://[^:]+:([0-9]+)");
    std::smatch match;
    while (!std::regex_search(said, match, listening)) {
      pollfd ready{stderr_fd, POLLIN, 0};
      if (poll(&ready, 1, 10000) <= 0) break;
      char buffer[512];
      const ssize_t n = read(stderr_fd, buffer, sizeof buffer);
      if (n <= 0) break;
      said.append(buffer, static_cast<size_t>(n));
    }
    if (std::regex_search(said, match, listening)) port = std::stoi(match[1]);
  }

  // Waits for the process; its exit code, or -1.
  int Wait() {
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  ~ServeProcess() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    if (stderr_fd >= 0) close(stderr_fd);
  }
};

TEST(ServeCommandTest, SigtermFinishesTheRequestInFlightThenExitsZero) {
  ServeProcess serve({"--port", "0", "--reward", "length_penalty"});
  ASSERT_GT(serve.port, 0) << serve.said;
  const std::string base = "http://127.0.0.1:" + std::to_string(serve.port);
  EXPECT_EQ(llm::testing::FetchUrl(base + "/healthz").status, 200);

  // A program that takes a second, in flight when SIGTERM arrives.
  const std::string body = R"json({"code": "import time\ntime.sleep(1)\nprint('done')", "language": "python"})json";
  llm::testing::HttpReply reply;
  std::thread client([&] { reply = llm::testing::FetchUrl(base + "/run_code", &body, {}, 30000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  kill(serve.pid, SIGTERM);
  client.join();
  EXPECT_EQ(reply.status, 200) << reply.body;
  const Json answer = Json::parse(reply.body, nullptr, false);
  EXPECT_EQ(answer["run_result"]["stdout"], "done\n") << reply.body;
  EXPECT_EQ(serve.Wait(), 0);
}

TEST(ServeCommandTest, BadConfigIsOneLine) {
  ServeProcess serve({"--port", "0", "--reward", "no_such_reward"});
  EXPECT_EQ(serve.port, 0);
  EXPECT_EQ(serve.Wait(), 2);
}

TEST(ServeCommandTest, AnUnknownServedRewardIsNamedByFileAndKey) {
  TempTestDir dir;
  const std::string config = dir.Write("serve.yaml", "rewards:\n  x: nonexistent\n");
  ServeProcess serve({"--port", "0", "--config", config});
  EXPECT_EQ(serve.Wait(), 2);
  for (char buffer[512]; true;) {  // the rest of what it said
    const ssize_t n = read(serve.stderr_fd, buffer, sizeof buffer);
    if (n <= 0) break;
    serve.said.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_NE(serve.said.find(config + ": rewards.x: unknown reward 'nonexistent'"), std::string::npos) << serve.said;
}

}  // namespace
}  // namespace rmg
