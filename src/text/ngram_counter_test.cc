#include "text/ngram_counter.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "testing/tokenized_text.h"

namespace rmg::text {
namespace {

using testing::TokenizedText;

// Python's Counter over the n-grams, with each n-gram's first position: the reference.
std::vector<NgramCount> NaiveCount(const std::vector<std::string>& words, size_t n) {
  std::map<std::vector<std::string>, size_t> index;
  std::vector<NgramCount> counts;
  for (size_t i = 0; i + n <= words.size(); ++i) {
    const std::vector<std::string> gram(words.begin() + static_cast<std::ptrdiff_t>(i),
                                        words.begin() + static_cast<std::ptrdiff_t>(i + n));
    const auto [it, inserted] = index.try_emplace(gram, counts.size());
    if (inserted) counts.push_back(NgramCount{0, i});
    ++counts[it->second].count;
  }
  return counts;
}

void ExpectCounts(const std::vector<NgramCount>& actual, const std::vector<NgramCount>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t d = 0; d < actual.size(); ++d) {
    EXPECT_EQ(actual[d].count, expected[d].count) << "n-gram " << d;
    EXPECT_EQ(actual[d].first, expected[d].first) << "n-gram " << d;
  }
}

// Words from a skewed random draw, so that long n-grams repeat too; one word in
// seven is longer than 8 bytes (hashed keys), the rest are their own keys.
std::vector<std::string> RandomWords(size_t count, uint64_t vocabulary) {
  std::vector<std::string> words;
  uint64_t state = 12345;
  for (size_t i = 0; i < count; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const uint64_t pick = (state >> 33) % vocabulary;
    words.push_back("w" + std::to_string(pick * pick % vocabulary) + (pick % 7 == 0 ? "long_suffix" : ""));
  }
  return words;
}

TEST(NgramCounterTest, CountsLikePythonsCounter) {
  NgramCounter counter;
  for (const uint64_t vocabulary : {3u, 40u, 700u}) {
    const std::vector<std::string> words = RandomWords(1500, vocabulary);
    const TokenizedText text(words);
    for (const size_t n : {1u, 2u, 3u, 5u, 9u, 17u, 40u}) {
      SCOPED_TRACE("vocabulary " + std::to_string(vocabulary) + ", n " + std::to_string(n));
      ExpectCounts(counter.Count(text.tokens, text.buffer, n), NaiveCount(words, n));
    }
  }
}

TEST(NgramCounterTest, FewerTokensThanNGivesNothing) {
  NgramCounter counter;
  const TokenizedText text({"a", "b"});
  EXPECT_TRUE(counter.Count(text.tokens, text.buffer, 3).empty());
  EXPECT_TRUE(counter.Count(text.tokens, text.buffer, 0).empty());
  EXPECT_EQ(counter.Count(text.tokens, text.buffer, 2).size(), 1u);
}

// Long tokens are keyed by a hash; tokens that differ in one byte anywhere, or only
// in length, must still be different.
TEST(NgramCounterTest, LongTokensDifferingInOneByteAreDifferent) {
  std::vector<std::string> words;
  for (size_t length = 8; length <= 40; ++length) {
    const std::string base(length, 'x');
    words.push_back(base);
    for (size_t at = 0; at < length; ++at) {
      std::string changed = base;
      changed[at] = 'y';
      words.push_back(changed);
    }
  }
  const TokenizedText text(words);
  NgramCounter counter;
  ExpectCounts(counter.Count(text.tokens, text.buffer, 1), NaiveCount(words, 1));
  EXPECT_EQ(counter.Count(text.tokens, text.buffer, 1).size(), words.size());
}

// Views outside `text` (here the text is empty) are read byte by byte, with the
// same result; so are tokens at the very start and end of the buffer.
TEST(NgramCounterTest, TokensOutsideTheBufferGiveTheSameCounts) {
  const std::vector<std::string> words = RandomWords(300, 40);
  const TokenizedText text(words);
  NgramCounter counter;
  const std::vector<NgramCount> inside = counter.Count(text.tokens, text.buffer, 2);
  ExpectCounts(counter.Count(text.tokens, std::string_view(), 2), inside);
  const std::string tight = "ab cd ab cd";
  const std::vector<std::string_view> edges = {
      std::string_view(tight).substr(0, 2), std::string_view(tight).substr(3, 2), std::string_view(tight).substr(6, 2),
      std::string_view(tight).substr(9, 2)};
  ExpectCounts(counter.Count(edges, tight, 2), NaiveCount({"ab", "cd", "ab", "cd"}, 2));
}

// The buffers are reused: a smaller text after a larger one, then the larger again,
// count as they would in a fresh counter.
TEST(NgramCounterTest, ReusedCounterForgetsThePreviousText) {
  const std::vector<std::string> large = RandomWords(2000, 50);
  const std::vector<std::string> small = {"a", "b", "a", "b", "a"};
  const TokenizedText large_text(large), small_text(small);
  NgramCounter counter;
  ExpectCounts(counter.Count(large_text.tokens, large_text.buffer, 2), NaiveCount(large, 2));
  ExpectCounts(counter.Count(small_text.tokens, small_text.buffer, 2), NaiveCount(small, 2));
  ExpectCounts(counter.Count(large_text.tokens, large_text.buffer, 2), NaiveCount(large, 2));
}

TEST(NgramCounterTest, StopsOnceTheDeadlinePasses) {
  const std::vector<std::string> words = RandomWords(20000, 1000);
  const TokenizedText text(words);
  NgramCounter counter;
  EXPECT_THROW(counter.Count(text.tokens, text.buffer, 8, Deadline::After(0)), DeadlineExceeded);
  EXPECT_EQ(counter.Count(text.tokens, text.buffer, 1, Deadline::Never()).size(), NaiveCount(words, 1).size());
}

// A count stopped by its deadline leaves the counter usable: here after a large text
// (a large table), a repetitive text that gets a smaller table and is stopped, then
// a text that reuses that table.
TEST(NgramCounterTest, ACountStoppedByItsDeadlineLeavesTheCounterUsable) {
  const std::vector<std::string> large = RandomWords(70000, 5000);
  const std::vector<std::string> repetitive(9000, "a");
  const std::vector<std::string> small = RandomWords(5000, 300);
  const TokenizedText large_text(large), repetitive_text(repetitive), small_text(small);
  NgramCounter counter;
  EXPECT_EQ(counter.Count(large_text.tokens, large_text.buffer, 1).size(), NaiveCount(large, 1).size());
  EXPECT_THROW(counter.Count(repetitive_text.tokens, repetitive_text.buffer, 8, Deadline::After(0)), DeadlineExceeded);
  ExpectCounts(counter.Count(small_text.tokens, small_text.buffer, 1), NaiveCount(small, 1));
  ExpectCounts(counter.Count(repetitive_text.tokens, repetitive_text.buffer, 8), NaiveCount(repetitive, 8));
}

}  // namespace
}  // namespace rmg::text
