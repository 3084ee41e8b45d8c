// code_patch_similarity: RM-Gallery's PatchSimilarityReward (rm_gallery_api.md §11.3).
// Ratios and opcodes were printed once by CPython 3.11's
// difflib.SequenceMatcher(None, generated.strip(), reference.strip()); ratios are
// compared with == (both sides compute 2.0 * M / T from the same integers).
#include <gtest/gtest.h>

#include <string>

#include "gallery/testing.h"
#include "rmg/registry.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::SortedKeys;

constexpr const char* kPatchSimilarityReward = "code_patch_similarity";

TEST(PatchSimilarityRewardTest, RenamedParametersRatioAndOpcodes) {
  const auto r = Score(kPatchSimilarityReward, "def add(a, b):\n    return a + b", "def add(x, y):\n    return x + y");
  EXPECT_EQ(r.score, 0.8709677419354839);
  EXPECT_EQ(r.reason(), "Patch similarity: 0.871 based on sequence matching");
  EXPECT_EQ(r.extra.at("opcodes"), Json::parse(R"([
    ["equal", 0, 8, 0, 8], ["replace", 8, 9, 8, 9], ["equal", 9, 11, 9, 11], ["replace", 11, 12, 11, 12],
    ["equal", 12, 26, 12, 26], ["replace", 26, 27, 26, 27], ["equal", 27, 30, 27, 30],
    ["replace", 30, 31, 30, 31]])"));
}

TEST(PatchSimilarityRewardTest, ReplaceOfDifferentLengths) {
  const auto r = Score(kPatchSimilarityReward, "return a+b", "return a - b");
  EXPECT_EQ(r.score, 0.8181818181818182);
  EXPECT_EQ(r.extra.at("opcodes"),
            Json::parse(R"([["equal", 0, 8, 0, 8], ["replace", 8, 9, 8, 11], ["equal", 9, 10, 11, 12]])"));
}

TEST(PatchSimilarityRewardTest, IdenticalAfterStripping) {
  const auto r = Score(kPatchSimilarityReward, "  x = 1\n", "\nx = 1  ");
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.reason(), "Patch similarity: 1.000 based on sequence matching");
  EXPECT_EQ(r.extra.at("opcodes"), Json::parse(R"([["equal", 0, 5, 0, 5]])"));
  EXPECT_EQ(r.extra.at("generated"), "x = 1");
  EXPECT_EQ(r.extra.at("reference"), "x = 1");
}

TEST(PatchSimilarityRewardTest, BothEmptyIsRatioOneWithNoOpcodes) {
  const auto r = Score(kPatchSimilarityReward, "", nullptr);
  EXPECT_EQ(r.score, 1.0);
  EXPECT_EQ(r.extra.at("opcodes"), Json::array());
}

TEST(PatchSimilarityRewardTest, EmptyResponseAgainstCode) {
  const auto r = Score(kPatchSimilarityReward, "   ", "abc");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_EQ(r.reason(), "Patch similarity: 0.000 based on sequence matching");
  EXPECT_EQ(r.extra.at("opcodes"), Json::parse(R"([["insert", 0, 0, 0, 3]])"));
}

TEST(PatchSimilarityRewardTest, IndicesCountCodePoints) {
  const auto r = Score(kPatchSimilarityReward, "h\u00e9llo", "hello");
  EXPECT_EQ(r.score, 0.8);
  EXPECT_EQ(r.extra.at("opcodes"),
            Json::parse(R"([["equal", 0, 1, 0, 1], ["replace", 1, 2, 1, 2], ["equal", 2, 5, 2, 5]])"));
}

TEST(PatchSimilarityRewardTest, AutojunkDropsPopularCharactersOfLongReferences) {
  // len(b) = 301 >= 200, so 'a' (300 > 1 + 301 // 100 occurrences) is junk: only "b" matches.
  const std::string many_a(300, 'a');
  const auto r = Score(kPatchSimilarityReward, many_a + "b", "b" + many_a);
  EXPECT_EQ(r.score, 0.0033222591362126247);
  EXPECT_EQ(r.reason(), "Patch similarity: 0.003 based on sequence matching");
  EXPECT_EQ(r.extra.at("opcodes"),
            Json::parse(R"([["delete", 0, 300, 0, 0], ["equal", 300, 301, 0, 1], ["insert", 301, 301, 1, 301]])"));
}

TEST(PatchSimilarityRewardTest, ExtraDataAndNames) {
  const auto r = Score(kPatchSimilarityReward, "x = 1\ny = 2\n", "x = 1\nz = 3\n");
  EXPECT_EQ(r.score, 0.8181818181818182);
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"generated", "opcodes", "reference", "similarity"}));
  EXPECT_EQ(r.extra.at("similarity"), 0.8181818181818182);
  EXPECT_EQ(r.extra.at("generated"), "x = 1\ny = 2");
  EXPECT_EQ(r.extra.at("reference"), "x = 1\nz = 3");
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "patch_similarity");
  EXPECT_TRUE(r.additional_kwargs.contains("patch_similarity"));
  EXPECT_EQ(testing::DefaultParam(kPatchSimilarityReward, "name"), "patch_similarity");
}

}  // namespace
}  // namespace rmg::gallery
