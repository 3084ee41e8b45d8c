#include "code/test_cases.h"

#include <gtest/gtest.h>

#include "rmg/sample_io.h"
#include "testing/shared_data.h"

namespace rmg::code {
namespace {

DataSample SampleWithLabel(const Json& label, const Json& metadata = nullptr) {
  Json sample = {{"unique_id", "t"},
                 {"input", Json::array({{{"role", "user"}, {"content", "q"}}})},
                 {"output", Json::array({{{"answer", {{"role", "assistant"}, {"content", "x"}, {"label", label}}}}})}};
  if (!metadata.is_null()) sample["metadata"] = metadata;
  return ParseDataSample(sample.dump());
}

std::optional<TestSuite> Read(const Json& label, const Json& metadata = nullptr) {
  const DataSample sample = SampleWithLabel(label, metadata);
  return ReadTestSuite(sample, sample.output[0].answer);
}

TEST(CodeTestCasesTest, StdioObject) {
  const auto suite = Read({{"inputs_outputs", {{"inputs", {"1\n", "2\n"}}, {"outputs", {"2\n", "4\n"}}}}});
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->mode, TestMode::kStdio);
  EXPECT_EQ(suite->field, "label.inputs_outputs");
  ASSERT_EQ(suite->tests.size(), 2u);
  EXPECT_EQ(suite->tests[1].input, "2\n");
  EXPECT_EQ(suite->tests[1].expected, "4\n");
}

TEST(CodeTestCasesTest, JsonStringAndLineLists) {
  const auto suite = Read({{"inputs_outputs", R"({"inputs": [["1", "2"]], "outputs": [["3", "4"]]})"}});
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->tests[0].input, "1\n2");
  EXPECT_EQ(suite->tests[0].expected, "3\n4");
}

TEST(CodeTestCasesTest, CallMode) {
  const auto suite =
      Read({{"inputs_outputs", {{"inputs", Json::parse("[[1, 2], [[3], 4]]")}, {"outputs", {3, 7}}, {"fn_name", "add"}}}});
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->mode, TestMode::kCall);
  EXPECT_EQ(suite->fn_name, "add");
  EXPECT_EQ(suite->tests[1].args, Json::parse("[[3], 4]"));
  EXPECT_EQ(suite->tests[1].expected_value, 7);
}

TEST(CodeTestCasesTest, CallArgumentsAsJsonLines) {
  const auto suite = Read({{"inputs_outputs", {{"inputs", {"[1, 2]\n\"a\""}}, {"outputs", {1}}, {"fn_name", "f"}}}});
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->tests[0].args, Json::parse(R"([[1, 2], "a"])"));
}

TEST(CodeTestCasesTest, MetadataComesFirst) {
  const auto suite = Read({{"test_code", "assert True"}},
                          {{"inputs_outputs", {{"inputs", {"1"}}, {"outputs", {"1"}}}}});
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->field, "metadata.inputs_outputs");
}

TEST(CodeTestCasesTest, InputsOutputsBeatTestCode) {
  const auto suite = Read({{"test_code", "assert f(1) == 1"},
                           {"inputs_outputs", {{"inputs", {{1}}}, {"outputs", {1}}, {"fn_name", "f"}}}});
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->mode, TestMode::kCall);
}

TEST(CodeTestCasesTest, NoTests) {
  EXPECT_FALSE(Read(Json::object()));
  EXPECT_FALSE(Read({{"test_code", ""}, {"inputs_outputs", nullptr}}));
}

TEST(CodeTestCasesTest, ErrorsNameTheField) {
  try {
    Read({{"inputs_outputs", {{"inputs", {"1", "2"}}, {"outputs", {"1"}}}}});
    FAIL();
  } catch (const TestCaseError& e) {
    EXPECT_EQ(std::string(e.what()), "label.inputs_outputs: 'outputs' has 1 entries but 'inputs' has 2");
  }
  try {
    Read({{"inputs_outputs", "{not json"}});
    FAIL();
  } catch (const TestCaseError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("label.inputs_outputs: not valid JSON", 0), 0u) << e.what();
  }
  EXPECT_THROW(Read(Json::object(), {{"inputs_outputs", {{"inputs", 3}, {"outputs", {}}}}}), TestCaseError);
  EXPECT_THROW(Read({{"test_code", 5}}), TestCaseError);
}

TEST(CodeTestCasesTest, SplitsTopLevelAsserts) {
  const auto tests = SplitAssertTests("import math\nassert f(1) == 1\n\n# c\nassert f(2) == (2,\n    3)\n");
  ASSERT_EQ(tests.size(), 1u);  // a multi-line assert: not safe to split
  const auto split = SplitAssertTests("import math\r\nassert f(1) == 1\r\nassert f('a)') == \"(\"\n");
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0], "import math\nassert f(1) == 1\n");
  EXPECT_EQ(split[1], "import math\nassert f('a)') == \"(\"\n");
}

TEST(CodeTestCasesTest, KeepsCheckFunctionsWhole) {
  const std::string humaneval = "def check(candidate):\n    assert candidate(1) == 2\n\ncheck(f)";
  EXPECT_EQ(SplitAssertTests(humaneval), std::vector<std::string>{humaneval});
  const std::string interleaved = "assert f(1) == 1\nx = f(2)\nassert x == 2";
  EXPECT_EQ(SplitAssertTests(interleaved).size(), 1u);
  EXPECT_EQ(SplitAssertTests("assert '''a\nb''' == f()").size(), 1u);
}

TEST(CodeTestCasesTest, TestSetupCode) {
  const auto suite = Read({{"test_code", "assert g() == 1\nassert g() == 1"}, {"test_setup_code", "import os"}});
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->mode, TestMode::kAssert);
  EXPECT_EQ(suite->setup_code, "import os");
  EXPECT_EQ(suite->tests.size(), 2u);
}

// Every label in the shared code data reads, in the mode its file describes.
TEST(CodeTestCasesTest, SharedDataLabels) {
  const std::vector<std::string> files = {"mbpp.jsonl", "humaneval.jsonl", "sandbox_code_contests.jsonl",
                                          "sandbox_cruxeval.jsonl", "sandbox_live_code_bench_v1.jsonl",
                                          "sandbox_mbpp.jsonl", "sandbox_mbxp_python.jsonl"};
  size_t outputs = 0;
  for (const std::string& file : files) {
    const auto records = rmg::testing::ReadSharedJsonl("code/" + file);
    ASSERT_FALSE(records.empty()) << file;
    for (const auto& record : records) {
      const DataSample sample = ParseDataSample(record.dump());
      for (const DataOutput& output : sample.output) {
        ++outputs;
        std::optional<TestSuite> suite;
        ASSERT_NO_THROW(suite = ReadTestSuite(sample, output.answer)) << sample.unique_id;
        ASSERT_TRUE(suite) << sample.unique_id;
        ASSERT_FALSE(suite->tests.empty()) << sample.unique_id;
        const Json& label = output.answer.label;
        if (label.contains("inputs_outputs")) {
          EXPECT_EQ(suite->mode, label["inputs_outputs"].contains("fn_name") ? TestMode::kCall : TestMode::kStdio);
          EXPECT_EQ(suite->tests.size(), label["inputs_outputs"]["inputs"].size());
        } else {
          EXPECT_EQ(suite->mode, TestMode::kAssert) << sample.unique_id;
        }
        if (file == "humaneval.jsonl") {
          EXPECT_EQ(suite->tests.size(), 1u) << sample.unique_id;
        }
        if (file == "mbpp.jsonl") {
          EXPECT_GE(suite->tests.size(), 3u) << sample.unique_id;
        }
      }
    }
  }
  EXPECT_EQ(outputs, 944u + 178u + 9u + 10u + 3u + 14u + 2u);
}

}  // namespace
}  // namespace rmg::code
