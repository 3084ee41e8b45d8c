// PythonCodeBlocks against re.findall(r"```(?:python)?\n(.*?)\n```", text, re.DOTALL);
// every expected list was printed by CPython 3.11 for the same text.
#include "gallery/code/code_blocks.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace rmg::gallery {
namespace {

using Blocks = std::vector<std::string_view>;

TEST(PythonCodeBlocksTest, PythonTaggedBlock) {
  EXPECT_EQ(PythonCodeBlocks("```python\nx = 1\n```"), (Blocks{"x = 1"}));
}

TEST(PythonCodeBlocksTest, UntaggedBlock) { EXPECT_EQ(PythonCodeBlocks("```\ny\n```"), (Blocks{"y"})); }

TEST(PythonCodeBlocksTest, OtherLanguageTagsAreSkipped) {
  EXPECT_EQ(PythonCodeBlocks("```py\nz\n```"), Blocks{});
  EXPECT_EQ(PythonCodeBlocks("```javascript\nlet x\n```"), Blocks{});
  EXPECT_EQ(PythonCodeBlocks("```python3\nx\n```"), Blocks{});
  EXPECT_EQ(PythonCodeBlocks("```Python\nx\n```"), Blocks{});
}

TEST(PythonCodeBlocksTest, SeveralMultiLineBlocksAmongText) {
  EXPECT_EQ(PythonCodeBlocks("a\n```python\nl1\n  l2\n```\ntext\n```\nsecond\n```"), (Blocks{"l1\n  l2", "second"}));
}

TEST(PythonCodeBlocksTest, EmptyBodyNeedsItsOwnLine) {
  EXPECT_EQ(PythonCodeBlocks("```\n\n```"), (Blocks{""}));
  EXPECT_EQ(PythonCodeBlocks("```\n```"), Blocks{});
}

TEST(PythonCodeBlocksTest, BodyEndsAtFirstNewlineFence) {
  EXPECT_EQ(PythonCodeBlocks("```python\n```\nx\n```"), (Blocks{"```\nx"}));
  // The closing fence is consumed, so the text after it cannot open a block.
  EXPECT_EQ(PythonCodeBlocks("```\na\n```\nb\n```"), (Blocks{"a"}));
}

TEST(PythonCodeBlocksTest, FenceMayStartInsideALongerBacktickRun) {
  EXPECT_EQ(PythonCodeBlocks("````\nx\n```"), (Blocks{"x"}));
  EXPECT_EQ(PythonCodeBlocks("```python\nx\n````"), (Blocks{"x"}));
}

TEST(PythonCodeBlocksTest, CarriageReturnLineEndsDoNotMatch) {
  EXPECT_EQ(PythonCodeBlocks("```python\r\nx\r\n```"), Blocks{});
}

TEST(PythonCodeBlocksTest, UnclosedBlock) { EXPECT_EQ(PythonCodeBlocks("```python\nx = 1\n"), Blocks{}); }

TEST(PythonCodeBlocksTest, ManyUnclosedFencesAfterABlock) {
  // Searching for a closing fence from each of 400,000 opening ones took minutes
  // (ctest's per-test timeout); once one finds none, no later one can.
  std::string text = "```\na\n```\n";
  for (int i = 0; i < 400000; ++i) text += "```\nx";
  EXPECT_EQ(PythonCodeBlocks(text), (Blocks{"a"}));
}

}  // namespace
}  // namespace rmg::gallery
