#include "text/chrf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "testing/random_letters.h"
#include "testing/shared_data.h"

namespace rmg::text {
namespace {

ChrfOptions ChrfOptionsFromJson(const nlohmann::json& o) {
  ChrfOptions options;
  options.char_order = o.at("char_order");
  options.word_order = o.at("word_order");
  options.beta = o.at("beta");
  options.remove_whitespace = o.at("remove_whitespace");
  options.eps_smoothing = o.at("eps_smoothing");
  options.lowercase = o.at("lowercase");
  return options;
}

TEST(ChrfData, MatchesSacrebleuTestSuite) {
  const auto cases = rmg::testing::ReadSharedJsonl("text/bleu_cases.jsonl");
  int checked = 0;
  for (const auto& sample : cases) {
    const auto& meta = sample.at("metadata");
    if (meta.at("metric") != "chrF") continue;
    const std::string id = sample.at("unique_id");
    const ChrfOptions options = ChrfOptionsFromJson(meta.at("options"));
    std::vector<std::string> hyp_storage;
    std::vector<std::vector<std::string>> ref_storage;
    for (const auto& output : sample.at("output")) {
      hyp_storage.push_back(output.at("answer").at("content"));
      ref_storage.push_back(output.at("answer").at("label").at("references"));
    }
    std::vector<std::string_view> hyps(hyp_storage.begin(), hyp_storage.end());
    std::vector<std::vector<std::string_view>> refs;
    for (const auto& r : ref_storage) refs.emplace_back(r.begin(), r.end());

    const double score = meta.at("level") == "sentence" ? SentenceChrf(hyps.at(0), refs.at(0), options)
                                                        : CorpusChrf(hyps, refs, options);
    ASSERT_EQ(meta.at("comparison"), "abs_diff_lt") << id;
    const double expected = meta.at("expected");
    EXPECT_LT(std::fabs(score - expected), meta.at("tolerance").get<double>())
        << id << ": got " << score << ", expected " << expected;
    ++checked;
  }
  EXPECT_EQ(checked, 25) << "bleu_cases.jsonl missing or changed";
}

TEST(Chrf, IdenticalAndDisjoint) {
  const std::vector<std::string_view> refs = {"Niemand hat die Absicht, eine Mauer zu errichten"};
  EXPECT_DOUBLE_EQ(SentenceChrf("Niemand hat die Absicht, eine Mauer zu errichten", refs), 100.0);
  EXPECT_DOUBLE_EQ(
      SentenceChrf("Niemand hat die Absicht, eine Mauer zu errichten", refs, ChrfPlusPlusDefaults()), 100.0);
  const std::vector<std::string_view> other = {"xyz"};
  EXPECT_DOUBLE_EQ(SentenceChrf("abc", other), 0.0);
  EXPECT_DOUBLE_EQ(SentenceChrf("", other), 0.0);
}

TEST(Chrf, StatisticsLayout) {
  // "ab" vs "abc": chars orders 1..6 then word orders 1..2.
  const std::vector<std::string_view> refs = {"abc"};
  const ChrfStats stats = ChrfSegmentStats("ab", refs, ChrfPlusPlusDefaults());
  ASSERT_EQ(stats.size(), 3u * 8);
  EXPECT_EQ((ChrfStats(stats.begin(), stats.begin() + 9)), (ChrfStats{2, 3, 2, 1, 2, 1, 0, 1, 0}));
  EXPECT_EQ((ChrfStats(stats.begin() + 18, stats.end())), (ChrfStats{1, 1, 0, 0, 0, 0}));  // Words.
}

TEST(Chrf, ChrfPlusPlusSplitsOnePunctuationMark) {
  // "end." -> "end" "."; "(hi)" -> "(hi" ")" as sacreBLEU does; "." alone stays.
  ChrfOptions words_only;
  words_only.char_order = 1;
  words_only.word_order = 1;
  const std::vector<std::string_view> refs = {"end . (hi )"};
  const ChrfStats stats = ChrfSegmentStats("end. (hi)", refs, words_only);
  EXPECT_EQ((ChrfStats(stats.begin() + 3, stats.end())), (ChrfStats{4, 5, 3}));
}

TEST(Chrf, BestReferenceIsChosenPerSegment) {
  const std::vector<std::string_view> refs = {"completely different", "the cat sat"};
  const std::vector<std::string_view> best = {"the cat sat"};
  EXPECT_DOUBLE_EQ(SentenceChrf("the cat sat", refs), SentenceChrf("the cat sat", best));
  EXPECT_DOUBLE_EQ(SentenceChrf("the cat sat", refs), 100.0);
}

TEST(Chrf, LowercaseAndWhitespace) {
  ChrfOptions lower;
  lower.lowercase = true;
  const std::vector<std::string_view> refs = {"hello world"};
  EXPECT_DOUBLE_EQ(SentenceChrf("HELLO WORLD", refs, lower), 100.0);
  EXPECT_LT(SentenceChrf("HELLO WORLD", refs), 100.0);
  EXPECT_DOUBLE_EQ(SentenceChrf("hel lo wor ld", refs), 100.0);  // Whitespace removed.
  ChrfOptions keep;
  keep.remove_whitespace = false;
  EXPECT_LT(SentenceChrf("hel lo wor ld", refs, keep), 100.0);
}

TEST(Chrf, CorpusSumsStatistics) {
  // Corpus chrF is not the mean of sentence scores: statistics are summed first.
  const std::vector<std::string_view> hyps = {"a", "b"};
  const std::vector<std::vector<std::string_view>> refs = {{"a"}, {"c"}};
  ChrfOptions options;
  options.beta = 3;
  EXPECT_NEAR(CorpusChrf(hyps, refs, options), 50.0, 1e-9);
  const std::vector<std::vector<std::string_view>> short_refs = {{"a"}};
  EXPECT_THROW(CorpusChrf(hyps, short_refs), std::invalid_argument);
  const std::vector<std::string_view> none;
  EXPECT_THROW(SentenceChrf("a", none), std::invalid_argument);
}

TEST(Chrf, AnOrderTheReferenceLacksCountsNoHypothesisNgrams) {
  // "ab" against "a" has one character bigram and the reference none: sacreBLEU counts
  // 0 hypothesis bigrams there, so the corpus bigram precision is 1/1, not 1/2.
  // P = (3/4 + 1) / 2, R = 1: F2 = 5 * 0.875 / 4.5.
  const std::vector<std::string_view> hyps = {"ab", "ab"};
  const std::vector<std::vector<std::string_view>> refs = {{"a"}, {"ab"}};
  EXPECT_NEAR(CorpusChrf(hyps, refs), 100 * 5 * 0.875 / 4.5, 1e-9);
  const std::vector<std::string_view> one_ref = {"a"};
  EXPECT_EQ(ChrfSegmentStats("ab", one_ref, ChrfOptions{})[3], 0);  // order 2: [hyp, ref, match]
}

TEST(Chrf, ThreadSafe) {
  const std::vector<std::string_view> refs = {
      "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."};
  const std::string hyp = "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.";
  const double expected = SentenceChrf(hyp, refs, ChrfPlusPlusDefaults());
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        mismatches[t] += SentenceChrf(hyp, refs, ChrfPlusPlusDefaults()) != expected;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0);
}

// chrF's work grows with the text's length times the orders: 16 MiB of words at
// char_order 64 ran 58 s past a 2 s deadline, which the n-gram loops never checked.
TEST(ChrfTest, ADeadlinePassingDuringTheCountStopsIt) {
  const std::string hypothesis = testing::RandomLetters(1 << 20, 1);
  const std::string reference = testing::RandomLetters(1 << 20, 2);
  ChrfOptions options;
  options.char_order = 64;
  const std::vector<std::string_view> references = {reference};
  EXPECT_THROW(SentenceChrf(hypothesis, references, options, Deadline::After(0.05)), DeadlineExceeded);
  EXPECT_THROW(ChrfSegmentStats(hypothesis, references, options, Deadline::After(0)), DeadlineExceeded);
}

}  // namespace
}  // namespace rmg::text
