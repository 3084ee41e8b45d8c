// SandboxFusion's /run_code against real programs in the real sandbox.
#include "server/sandbox_fusion.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "sandbox/sandbox_internal.h"
#include "text/base64.h"
#include "server/testing.h"

namespace rmg::server {
namespace {

Json RunBody(const Json& body) { return RunCode(ParseRunCodeRequest(body.dump())); }

// The status and field of the RequestError `body` raises.
std::pair<int, std::string> RunCodeErrorOf(const std::string& body) {
  testing::Refusal refusal = testing::RefusalOf(ParseRunCodeRequest, body);
  return {refusal.status, std::move(refusal.field)};
}

std::string MessageOf(const std::string& body) { return testing::RefusalOf(ParseRunCodeRequest, body).message; }

bool HaveCompiler() { return access("/usr/bin/g++", X_OK) == 0; }

TEST(SandboxFusionTest, AppliesSandboxFusionsDefaults) {
  const RunCodeRequest request = ParseRunCodeRequest(R"j({"code": "print(1)", "language": "python3"})j");
  EXPECT_EQ(request.language, CodeLanguage::kPython);
  EXPECT_EQ(request.stdin_data, "");
  EXPECT_EQ(request.run_timeout, 10);
  EXPECT_EQ(request.compile_timeout, 10);
  EXPECT_EQ(request.memory_limit_mb, -1);
  EXPECT_TRUE(request.files.empty());
  EXPECT_TRUE(request.fetch_files.empty());
  const RunCodeRequest nulls = ParseRunCodeRequest(
      R"({"code": "", "language": "bash", "stdin": null, "run_timeout": null, "files": null, "fetch_files": null})");
  EXPECT_EQ(nulls.language, CodeLanguage::kBash);
  EXPECT_EQ(nulls.run_timeout, 10);
}

TEST(SandboxFusionTest, PythonReadsStdin) {
  const Json answer = RunBody({{"code", "import sys\nprint('hello ' + sys.stdin.read().strip())"},
                           {"language", "python"},
                           {"stdin", "world\n"}});
  EXPECT_EQ(answer["status"], "Success") << answer.dump();
  EXPECT_EQ(answer["message"], "");
  EXPECT_TRUE(answer["compile_result"].is_null());
  EXPECT_TRUE(answer["executor_pod_name"].is_null());
  EXPECT_EQ(answer["files"], Json::object());
  const Json& run = answer["run_result"];
  EXPECT_EQ(run["status"], "Finished");
  EXPECT_EQ(run["return_code"], 0);
  EXPECT_EQ(run["stdout"], "hello world\n");
  EXPECT_EQ(run["stderr"], "");
  EXPECT_TRUE(run["execution_time"].is_number_float());
}

TEST(SandboxFusionTest, NonZeroExitFinishesButFails) {
  const Json answer =
      RunBody({{"code", "import sys\nprint('oops', file=sys.stderr)\nsys.exit(3)"}, {"language", "python"}});
  EXPECT_EQ(answer["status"], "Failed") << answer.dump();
  const Json& run = answer["run_result"];
  EXPECT_EQ(run["status"], "Finished");
  EXPECT_EQ(run["return_code"], 3);
  EXPECT_EQ(run["stderr"], "oops\n");
}

TEST(SandboxFusionTest, BashRuns) {
  const Json answer = RunBody({{"code", "read x; echo $((x * 2))"}, {"language", "bash"}, {"stdin", "21\n"}});
  EXPECT_EQ(answer["status"], "Success") << answer.dump();
  EXPECT_EQ(answer["run_result"]["stdout"], "42\n");
}

TEST(SandboxFusionTest, TimeoutIsTimeLimitExceeded) {
  const Json answer = RunBody({{"code", "while True:\n    pass"}, {"language", "python"}, {"run_timeout", 1}});
  EXPECT_EQ(answer["status"], "Failed") << answer.dump();
  EXPECT_EQ(answer["run_result"]["status"], "TimeLimitExceeded");
  EXPECT_TRUE(answer["run_result"]["return_code"].is_null());
}

TEST(SandboxFusionTest, ProgramReadsItsFiles) {
  const Json answer = RunBody({{"code", "print(open('data/in.txt').read().upper(), end='')"},
                           {"language", "python"},
                           {"files", {{"data/in.txt", text::EncodeBase64("from a file")}}}});
  EXPECT_EQ(answer["status"], "Success") << answer.dump();
  EXPECT_EQ(answer["run_result"]["stdout"], "FROM A FILE");
}

TEST(SandboxFusionTest, InvalidUtf8OutputStillDumps) {
  const Json answer = RunBody({{"code", "import sys\nsys.stdout.buffer.write(b'a\\xffb')"}, {"language", "python"}});
  // U+FFFD in place of the stray byte.
  EXPECT_EQ(answer["run_result"]["stdout"], "a\uFFFDb")
      << answer.dump(-1, ' ', false, Json::error_handler_t::replace);
  EXPECT_NO_THROW(answer.dump());
}

TEST(SandboxFusionTest, CppCompileErrorFails) {
  if (!HaveCompiler()) GTEST_SKIP() << "no /usr/bin/g++";
  const Json answer = RunBody({{"code", "int main() { return undefined_name; }"}, {"language", "cpp"}});
  EXPECT_EQ(answer["status"], "Failed") << answer.dump();
  EXPECT_TRUE(answer["run_result"].is_null());
  const Json& compile = answer["compile_result"];
  EXPECT_EQ(compile["status"], "Finished");
  EXPECT_NE(compile["return_code"], 0);
  EXPECT_NE(compile["stderr"].get<std::string>().find("undefined_name"), std::string::npos) << compile.dump();
}

TEST(SandboxFusionTest, CppCompilesAndRuns) {
  if (!HaveCompiler()) GTEST_SKIP() << "no /usr/bin/g++";
  const Json answer = RunBody({{"code",
                            "#include <fstream>\n#include <iostream>\n#include <string>\n"
                            "int main() { std::string a, b; std::cin >> a; std::ifstream(\"b.txt\") >> b;\n"
                            "  std::cout << a << '+' << b << std::endl; return 0; }\n"},
                           {"language", "cpp"},
                           {"stdin", "x"},
                           {"files", {{"b.txt", text::EncodeBase64("y")}}}});
  EXPECT_EQ(answer["status"], "Success") << answer.dump(-1, ' ', false, Json::error_handler_t::replace);
  EXPECT_EQ(answer["compile_result"]["status"], "Finished");
  EXPECT_EQ(answer["compile_result"]["return_code"], 0);
  EXPECT_EQ(answer["compile_result"]["stdout"], "") << "the binary is not compiler output";
  EXPECT_EQ(answer["run_result"]["stdout"], "x+y\n");
  EXPECT_EQ(answer["run_result"]["return_code"], 0);
}

TEST(SandboxFusionTest, CppNonZeroExit) {
  if (!HaveCompiler()) GTEST_SKIP() << "no /usr/bin/g++";
  const Json answer = RunBody({{"code", "int main() { return 7; }"}, {"language", "cpp"}});
  EXPECT_EQ(answer["status"], "Failed") << answer.dump();
  EXPECT_EQ(answer["run_result"]["status"], "Finished");
  EXPECT_EQ(answer["run_result"]["return_code"], 7);
}

// The binary arrives without its executable bit, and in the weaker modes as a file of
// root's that the program (run as nobody) may not chmod: it must run in every mode.
TEST(SandboxFusionTest, CppRunsInEveryIsolationMode) {
  if (!HaveCompiler()) GTEST_SKIP() << "no /usr/bin/g++";
  using sandbox_internal::IsolationMode;
  const IsolationMode original = sandbox_internal::Support().mode;
  std::vector<IsolationMode> modes = {IsolationMode::kRlimitsOnly};
  if (original == IsolationMode::kUserNamespace) modes.push_back(IsolationMode::kUserNamespace);
  if (geteuid() == 0 && original != IsolationMode::kRlimitsOnly) modes.push_back(IsolationMode::kRootNamespaces);
  for (const IsolationMode mode : modes) {
    sandbox_internal::ForceModeForTesting(mode);
    const Json answer =
        RunBody({{"code", "#include <cstdio>\nint main() { std::puts(\"ran\"); }\n"}, {"language", "cpp"}});
    EXPECT_EQ(answer["status"], "Success") << static_cast<int>(mode) << " " << answer.dump();
    EXPECT_EQ(answer["run_result"]["stdout"], "ran\n");
  }
  sandbox_internal::ForceModeForTesting(original);
}

TEST(SandboxFusionTest, NamesTheFieldAtFault) {
  EXPECT_EQ(RunCodeErrorOf("not json"), std::make_pair(400, std::string("body")));
  EXPECT_EQ(RunCodeErrorOf(std::string(1000000, '[')), std::make_pair(400, std::string("body")));
  EXPECT_EQ(RunCodeErrorOf(R"({"language": "python"})"), std::make_pair(422, std::string("code")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": 1, "language": "python"})"), std::make_pair(422, std::string("code")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": ""})"), std::make_pair(422, std::string("language")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "stdin": 5})"), std::make_pair(422, std::string("stdin")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "run_timeout": -1})"),
            std::make_pair(422, std::string("run_timeout")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "run_timeout": 0})"),
            std::make_pair(422, std::string("run_timeout")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "run_timeout": 301})"),
            std::make_pair(422, std::string("run_timeout")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "run_timeout": 1e300})"),
            std::make_pair(422, std::string("run_timeout")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "compile_timeout": "10"})"),
            std::make_pair(422, std::string("compile_timeout")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "memory_limit_MB": 1e9})"),
            std::make_pair(422, std::string("memory_limit_MB")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "memory_limit_MB": 1})"),
            std::make_pair(422, std::string("memory_limit_MB")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "memory_limit_MB": 0})").first, 0);
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "files": []})"), std::make_pair(422, std::string("files")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "files": {"a.txt": 1}})"),
            std::make_pair(422, std::string(R"(files["a.txt"])")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "fetch_files": [1]})"),
            std::make_pair(422, std::string("fetch_files[0]")));
  // Files cannot be fetched back: refused rather than answered with none.
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "fetch_files": ["out.txt"]})"),
            std::make_pair(422, std::string("fetch_files")));
  EXPECT_EQ(RunCodeErrorOf(R"({"code": "", "language": "python", "fetch_files": []})").first, 0);
}

TEST(SandboxFusionTest, RefusesBadFiles) {
  EXPECT_EQ(MessageOf(R"({"code": "", "language": "python", "files": {"a.txt": "%%%%"}})"),
            R"(files["a.txt"]: not base64)");
  for (const char* path : {"/etc/passwd", "../x", "a/../../x", "a//b", "./a", "", "main.py", "main/x", "main.bin"}) {
    const Json body = {{"code", ""}, {"language", "python"}, {"files", {{path, ""}}}};
    EXPECT_EQ(RunCodeErrorOf(body.dump()).first, 422) << path;
  }
  const RunCodeRequest ok = ParseRunCodeRequest(
      R"({"code": "", "language": "python", "files": {"sub/dir/x.txt": "eA==", "main.txt": "", "skip": null}})");
  ASSERT_EQ(ok.files.size(), 2u);
  EXPECT_EQ(ok.files[1], std::make_pair(std::string("sub/dir/x.txt"), std::string("x")));
}

TEST(SandboxFusionTest, ListsSupportedLanguages) {
  EXPECT_EQ(MessageOf(R"({"code": "", "language": "java"})"),
            R"(language: unsupported language "java"; supported: python, python3, bash, cpp)");
}

}  // namespace
}  // namespace rmg::server
