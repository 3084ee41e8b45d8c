// DenseIdMap and NgramIds, the n-gram ids under ROUGE-N, BLEU and chrF.
#include "text/ngram.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace rmg::text {
namespace {

// More keys than the table is first sized for: Reserve grows it, and every key keeps
// the id it was given.
TEST(DenseIdMapTest, IdsStayDenseAndStableAsTheTableGrows) {
  DenseIdMap map;
  map.Reset(16);
  constexpr uint64_t kKeys = 300'000;
  for (uint64_t k = 0; k < kKeys; ++k) {
    if (k % 1000 == 0) map.Reserve(1000);
    ASSERT_EQ(map.Intern(k * 7919), k);
  }
  EXPECT_EQ(map.size(), kKeys);
  for (uint64_t k = 0; k < kKeys; ++k) ASSERT_EQ(map.Intern(k * 7919), k);
  EXPECT_EQ(map.size(), kKeys);
  map.Reset(4);
  EXPECT_EQ(map.size(), 0u);
  EXPECT_EQ(map.Intern(7919), 0u);
}

TEST(NgramIdsTest, EqualNgramsHaveEqualIdsAcrossSequences) {
  const std::vector<uint32_t> a = {1, 2, 3, 1, 2};
  const std::vector<uint32_t> b = {2, 3, 1, 2, 9};
  NgramIds ngrams({a, b});
  ngrams.NextOrder();
  ngrams.NextOrder();  // bigrams: a = 12 23 31 12, b = 23 31 12 29
  const auto x = ngrams.ids(0), y = ngrams.ids(1);
  ASSERT_EQ(x.size(), 4u);
  ASSERT_EQ(y.size(), 4u);
  EXPECT_EQ(x[0], x[3]);
  EXPECT_EQ(x[1], y[0]);
  EXPECT_EQ(x[2], y[1]);
  EXPECT_EQ(x[0], y[2]);
  EXPECT_NE(y[3], x[0]);
  EXPECT_EQ(ngrams.num_ids(), 4u);  // 12, 23, 31, 29
}

// A long sequence of one symbol: one distinct n-gram per order, however long.
TEST(NgramIdsTest, ALongRunOfOneSymbol) {
  const std::vector<uint32_t> run(1'000'000, 5);
  NgramIds ngrams({run});
  for (int n = 1; n <= 4; ++n) {
    ngrams.NextOrder();
    EXPECT_EQ(ngrams.num_ids(), 1u);
    EXPECT_EQ(ngrams.ids(0).size(), run.size() - (n - 1));
  }
}

}  // namespace
}  // namespace rmg::text
