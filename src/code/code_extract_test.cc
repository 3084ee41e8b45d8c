#include "code/code_extract.h"

#include <gtest/gtest.h>

namespace rmg::code {
namespace {

TEST(CodeExtractTest, LastPythonBlockWins) {
  EXPECT_EQ(ExtractSolutionCode("a\n```python\nx = 1\n```\nb\n```python\ny = 2\n```\n"), "y = 2");
}

TEST(CodeExtractTest, PythonBlockBeatsLaterOtherBlock) {
  EXPECT_EQ(ExtractSolutionCode("```python\nx = 1\n```\n```text\noutput\n```"), "x = 1");
}

TEST(CodeExtractTest, AnyBlockWhenNoPythonBlock) {
  EXPECT_EQ(ExtractSolutionCode("```\nprint(1)\n```"), "print(1)");
  EXPECT_EQ(ExtractSolutionCode("```cpp\nint x;\n```\nthen\n```\nprint(2)\n```"), "print(2)");
}

TEST(CodeExtractTest, WholeTextWithoutFences) {
  EXPECT_EQ(ExtractSolutionCode("print(input())"), "print(input())");
  EXPECT_EQ(ExtractSolutionCode(""), "");
}

TEST(CodeExtractTest, UnclosedPythonFenceRunsToTheEnd) {
  EXPECT_EQ(ExtractSolutionCode("Here:\n```python\nprint(3)\n"), "print(3)");
}

TEST(CodeExtractTest, TagVariantsAndCrlf) {
  EXPECT_EQ(ExtractSolutionCode("```py\na = 1\n```"), "a = 1");
  EXPECT_EQ(ExtractSolutionCode("```python3\na = 1\n```"), "a = 1");
  EXPECT_EQ(ExtractSolutionCode("```python\r\na = 1\r\n```"), "a = 1");
}

}  // namespace
}  // namespace rmg::code
