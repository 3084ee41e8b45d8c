// The weaker isolation modes, forced: what each still guarantees, and that the
// downgrade is always said (never silent).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "rmg/sandbox.h"
#include "sandbox/sandbox_internal.h"

namespace rmg {
namespace {

using sandbox_internal::IsolationMode;

RunResult RunPython(const std::string& code, double wall_seconds = 2) {
  RunRequest request;
  request.argv = {"/usr/bin/python3", "main.py"};
  request.files = {{"main.py", code}};
  request.limits.wall_seconds = wall_seconds;
  request.limits.memory_bytes = 256ull << 20;
  return RunSandboxed(request);
}

class SandboxFallbackTest : public ::testing::Test {
 protected:
  void SetUp() override { original_ = sandbox_internal::Support().mode; }
  void TearDown() override { sandbox_internal::ForceModeForTesting(original_); }
  IsolationMode original_ = IsolationMode::kUserNamespace;
};

TEST_F(SandboxFallbackTest, RootWithoutUserNamespaceRunsTheProgramAsNobody) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  sandbox_internal::ForceModeForTesting(IsolationMode::kRootNamespaces);
  EXPECT_NE(DescribeSandbox().find("user namespaces refused"), std::string::npos) << DescribeSandbox();
  const std::string secret_path = std::string(RMG_SOURCE_DIR) + "/fallback_secret_" + std::to_string(getpid());
  std::ofstream(secret_path) << "fallback secret";
  const RunResult r = RunPython(
      "import os, socket\nprint(os.getuid(), os.getpid(), os.path.exists('" + secret_path + "'))\n"
      "open('/tmp/x', 'w').write('private')\n"
      "try:\n    socket.socket()\nexcept OSError as e:\n    print('refused', e.errno)\n");
  std::filesystem::remove(secret_path);
  EXPECT_EQ(r.status, RunStatus::kOk) << r.message << r.stderr_data;
  EXPECT_EQ(r.stdout_data, "65534 2 False\nrefused 1\n");
  EXPECT_NE(r.message.find("user namespaces refused"), std::string::npos) << r.message;
  const RunResult loop = RunPython("while True: pass\n");
  EXPECT_EQ(loop.status, RunStatus::kTimeLimit);
}

TEST_F(SandboxFallbackTest, RlimitsOnlyStillLimitsAndSaysSo) {
  sandbox_internal::ForceModeForTesting(IsolationMode::kRlimitsOnly);
  EXPECT_NE(DescribeSandbox().find("NO network"), std::string::npos) << DescribeSandbox();
  RunResult r = RunPython("import os\nprint(os.getcwd())\n");
  ASSERT_EQ(r.status, RunStatus::kOk) << r.message << r.stderr_data;
  EXPECT_NE(r.message.find("NO network"), std::string::npos) << r.message;
  const std::string dir = r.stdout_data.substr(0, r.stdout_data.size() - 1);
  EXPECT_EQ(dir.rfind("/tmp/rmg-sandbox-", 0), 0u) << dir;
  EXPECT_FALSE(std::filesystem::exists(dir)) << "the private directory is deleted afterwards";

  r = RunPython("while True: pass\n");
  EXPECT_EQ(r.status, RunStatus::kTimeLimit);
  EXPECT_LE(r.wall_seconds, 2.0 + 2.5);
  r = RunPython("b = bytearray(4 << 30)\n");
  EXPECT_EQ(r.status, RunStatus::kMemoryLimit) << r.stderr_data;
  r = RunPython("import socket\nsocket.create_connection(('127.0.0.1', 9))\n");
  EXPECT_EQ(r.status, RunStatus::kRuntimeError);
  EXPECT_NE(r.stderr_data.find("PermissionError"), std::string::npos) << r.stderr_data;
}

}  // namespace
}  // namespace rmg
