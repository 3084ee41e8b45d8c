#include "data/split.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace rmg {
namespace {

Json WithPrompt(const Json& prompt_id, int n) {
  return {{"unique_id", "s" + std::to_string(n)}, {"metadata", {{"prompt_id", prompt_id}}}};
}

// Ten records of five prompts, interleaved: p0 x3, p1 x1, p2 x2, p3 x2, p4 x2.
// First appearance order: p0, p1, p2, p3, p4.
std::vector<Json> TenRecords() {
  const char* prompts[] = {"p0", "p1", "p2", "p0", "p3", "p4", "p2", "p0", "p3", "p4"};
  std::vector<Json> records;
  for (int i = 0; i < 10; ++i) records.push_back(WithPrompt(prompts[i], i));
  return records;
}

TEST(SplitTest, ShuffledOrderMatchesAnIndependentMt19937_64) {
  // Computed with a separate Python implementation of MT19937-64 (checked against
  // the standard's 10000th output for the default seed, 9981545732273789042)
  // running the documented Fisher–Yates: for i = n-1..1, j = next() % (i+1).
  EXPECT_EQ(ShuffledOrder(5, 42), (std::vector<size_t>{2, 3, 4, 0, 1}));
  EXPECT_EQ(ShuffledOrder(10, 42), (std::vector<size_t>{1, 7, 9, 0, 3, 8, 4, 2, 5, 6}));
  EXPECT_EQ(ShuffledOrder(10, 7), (std::vector<size_t>{0, 7, 4, 9, 3, 1, 2, 8, 6, 5}));
  EXPECT_TRUE(ShuffledOrder(0, 42).empty());
}

TEST(SplitTest, HandWorkedGroupedSplit) {
  // Seed 42 takes groups in the order p2, p3, p4, p0, p1 (ShuffledOrder(5, 42)).
  // Ratio 0.8 of 10 = 8: p2 (train 2), p3 (4), p4 (6), p0 (6 < 8, so 9), then p1 -> test.
  SplitResult split = SplitByGroup(TenRecords(), {0.8, "metadata.prompt_id", 42});
  EXPECT_EQ(split.train, (std::vector<size_t>{0, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(split.test, (std::vector<size_t>{1}));
  EXPECT_EQ(split.groups, 5u);
  EXPECT_TRUE(split.ungrouped.empty());
  // Ratio 0.5 of 10 = 5: p2 (2), p3 (4), p4 (4 < 5, so 6), then p0 and p1 -> test.
  split = SplitByGroup(TenRecords(), {0.5, "metadata.prompt_id", 42});
  EXPECT_EQ(split.train, (std::vector<size_t>{2, 4, 5, 6, 8, 9}));
  EXPECT_EQ(split.test, (std::vector<size_t>{0, 1, 3, 7}));
}

TEST(SplitTest, RatioEdges) {
  SplitResult split = SplitByGroup(TenRecords(), {1.0, "metadata.prompt_id", 42});
  EXPECT_EQ(split.train.size(), 10u);
  EXPECT_TRUE(split.test.empty());
  split = SplitByGroup(TenRecords(), {0.0, "metadata.prompt_id", 42});
  EXPECT_TRUE(split.train.empty());
  EXPECT_EQ(split.test.size(), 10u);
  EXPECT_THROW(SplitByGroup(TenRecords(), {1.5, "unique_id", 42}), std::invalid_argument);
  EXPECT_THROW(SplitByGroup(TenRecords(), {0.5, "", 42}), std::invalid_argument);
}

TEST(SplitTest, MissingGroupFieldIsReportedAndLeftOut) {
  std::vector<Json> records = TenRecords();
  records.push_back({{"unique_id", "lost"}});
  records.push_back(WithPrompt(nullptr, 11));
  const SplitResult split = SplitByGroup(records, {0.8, "metadata.prompt_id", 42});
  EXPECT_EQ(split.ungrouped, (std::vector<size_t>{10, 11}));
  EXPECT_EQ(split.train.size() + split.test.size(), 10u);
}

TEST(SplitTest, KeysAreJsonValuesSoStringAndNumberDiffer) {
  const std::vector<Json> records = {WithPrompt("1", 0), WithPrompt(1, 1), WithPrompt(1, 2)};
  EXPECT_EQ(SplitByGroup(records, {0.5, "metadata.prompt_id", 42}).groups, 2u);
}

TEST(SplitTest, GroupsNeverStraddleAndTrainMeetsTheRatio) {
  // 500 records over 97 prompts of uneven sizes (i*i mod 97).
  std::vector<Json> records;
  for (int i = 0; i < 500; ++i) records.push_back(WithPrompt((i * i) % 97, i));
  for (const uint64_t seed : {1u, 42u, 1234u}) {
    const SplitResult split = SplitByGroup(records, {0.8, "metadata.prompt_id", seed});
    ASSERT_EQ(split.train.size() + split.test.size(), records.size());
    std::map<int, std::set<bool>> sides;
    for (size_t i : split.train) sides[records[i]["metadata"]["prompt_id"].get<int>()].insert(true);
    for (size_t i : split.test) sides[records[i]["metadata"]["prompt_id"].get<int>()].insert(false);
    size_t largest = 0;
    std::map<int, size_t> sizes;
    for (const Json& record : records) largest = std::max(largest, ++sizes[record["metadata"]["prompt_id"].get<int>()]);
    for (const auto& [prompt, side] : sides) EXPECT_EQ(side.size(), 1u) << "prompt " << prompt << " straddles";
    EXPECT_GE(split.train.size(), 400u);
    EXPECT_LT(split.train.size(), 400u + largest);
  }
  // The same seed gives the same split; another seed another one.
  EXPECT_EQ(SplitByGroup(records, {0.8, "metadata.prompt_id", 42}).train,
            SplitByGroup(records, {0.8, "metadata.prompt_id", 42}).train);
  EXPECT_NE(SplitByGroup(records, {0.8, "metadata.prompt_id", 42}).train,
            SplitByGroup(records, {0.8, "metadata.prompt_id", 43}).train);
}

}  // namespace
}  // namespace rmg
