#include "text/rouge.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "testing/shared_data.h"

namespace rmg::text {
namespace {

using Sentences = std::vector<std::vector<std::string>>;

// unittest's assertAlmostEqual(actual, expected, places).
bool AlmostEqual(double actual, double expected, int places) {
  return std::round((actual - expected) * std::pow(10.0, places)) == 0.0;
}

TEST(RougeData, MatchesRougeScoreTestSuite) {
  const auto cases = rmg::testing::ReadSharedJsonl("text/rouge_cases.jsonl");
  ASSERT_EQ(cases.size(), 24u) << "rouge_cases.jsonl missing or changed";
  int checked = 0;
  for (const auto& sample : cases) {
    const std::string id = sample.at("unique_id");
    const auto& meta = sample.at("metadata");
    const auto& answer = sample.at("output").at(0).at("answer");
    const std::string target = answer.at("label").at("reference");
    const std::string prediction = answer.at("content");
    const RougeScorer scorer(meta.at("rouge_types").get<std::vector<std::string>>(), meta.at("use_stemmer"));
    const auto scores = scorer.Score(target, prediction);
    for (const auto& [type, expected] : meta.at("expected").items()) {
      ASSERT_TRUE(scores.count(type)) << id << ": no score for " << type;
      const RougeScore& got = scores.at(type);
      const std::map<std::string, double> actual = {
          {"precision", got.precision}, {"recall", got.recall}, {"fmeasure", got.fmeasure}};
      for (const auto& [field, value] : actual) {
        const int places = meta.at("places").at(field);
        EXPECT_TRUE(AlmostEqual(value, expected.at(field), places))
            << id << " " << type << "." << field << ": got " << value << ", expected " << expected.at(field)
            << " to " << places << " places";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 24 * 3 + 3);  // testMultipleRougeTypes checks two types.
}

TEST(Rouge, HelloBeautifulWorld) {
  const std::vector<std::string> target = {"hello", "beautiful", "world"};
  const std::vector<std::string> prediction = {"hello", "world"};
  const std::vector<std::string_view> t(target.begin(), target.end()),
      p(prediction.begin(), prediction.end());
  EXPECT_EQ(LcsLength(t, p), 2u);
  const RougeScore score = RougeL(target, prediction);
  EXPECT_DOUBLE_EQ(score.precision, 1.0);
  EXPECT_DOUBLE_EQ(score.recall, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(score.fmeasure, 0.8);
  EXPECT_EQ(LcsTargetIndices(t, p), (std::vector<size_t>{0, 2}));
}

TEST(Rouge, NgramClipping) {
  // Target has "the" twice, prediction four times: only two count.
  const std::vector<std::string> target = {"the", "cat", "the", "mat"};
  const std::vector<std::string> prediction = {"the", "the", "the", "the"};
  const RougeScore r1 = RougeN(target, prediction, 1);
  EXPECT_DOUBLE_EQ(r1.precision, 0.5);
  EXPECT_DOUBLE_EQ(r1.recall, 0.5);
  const RougeScore r2 = RougeN(target, prediction, 2);  // "the the" never in target.
  EXPECT_DOUBLE_EQ(r2.precision, 0.0);
  EXPECT_DOUBLE_EQ(r2.fmeasure, 0.0);
  const RougeScore r3 = RougeN(std::vector<std::string>{"a", "b"}, std::vector<std::string>{"a", "b"}, 3);
  EXPECT_DOUBLE_EQ(r3.precision, 0.0);  // No trigram on either side: 0 / max(0, 1).
  EXPECT_THROW(RougeN(target, prediction, 0), std::invalid_argument);
}

TEST(Rouge, FMeasure) {
  EXPECT_DOUBLE_EQ(RougeFMeasure(0.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(RougeFMeasure(1.0, 0.5), 2.0 / 3.0);
}

TEST(Rouge, ScorerValidatesTypes) {
  EXPECT_THROW(RougeScorer({"rouge0"}), std::invalid_argument);
  EXPECT_THROW(RougeScorer({"rougeX"}), std::invalid_argument);
  EXPECT_THROW(RougeScorer(std::vector<std::string>{}), std::invalid_argument);
  EXPECT_NO_THROW(RougeScorer({"rouge1", "rouge9", "rougeL", "rougeLsum"}));
}

TEST(Rouge, TokenizeStemsOnlyLongTokens) {
  const auto tokenizer = GetTokenizer("rouge_score");
  // "cats" (4 letters) is stemmed, "was" (3) is not; punctuation separates tokens.
  EXPECT_EQ(RougeTokenize("The cats WAS running-fast!", *tokenizer, true),
            (std::vector<std::string>{"the", "cat", "was", "run", "fast"}));
  EXPECT_EQ(RougeTokenize("The cats WAS running-fast!", *tokenizer, false),
            (std::vector<std::string>{"the", "cats", "was", "running", "fast"}));
  const RougeSentences sentences = RougeTokenizeSentences("a b\n\n/\nc", *tokenizer, false);
  EXPECT_EQ(sentences.tokens, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(sentences.starts, (std::vector<size_t>{0, 2, 2, 3}));  // "/" is an empty sentence
  EXPECT_EQ(sentences.size(), 3u);
}

// rouge-score's textbook implementation, as an oracle: full DP table and its
// backtrack (match diagonally, else left only if strictly larger, else up).
std::vector<std::vector<int>> NaiveTable(const std::vector<std::string>& ref,
                                         const std::vector<std::string>& can) {
  std::vector<std::vector<int>> t(ref.size() + 1, std::vector<int>(can.size() + 1, 0));
  for (size_t i = 1; i <= ref.size(); ++i) {
    for (size_t j = 1; j <= can.size(); ++j) {
      t[i][j] = ref[i - 1] == can[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t;
}

std::vector<size_t> NaiveIndices(const std::vector<std::string>& ref, const std::vector<std::string>& can) {
  const auto t = NaiveTable(ref, can);
  std::vector<size_t> lcs;
  size_t i = ref.size(), j = can.size();
  while (i > 0 && j > 0) {
    if (ref[i - 1] == can[j - 1]) {
      lcs.insert(lcs.begin(), i - 1);
      --i, --j;
    } else if (t[i][j - 1] > t[i - 1][j]) {
      --j;
    } else {
      --i;
    }
  }
  return lcs;
}

RougeScore NaiveLsum(const Sentences& ref, const Sentences& can) {
  size_t m = 0, n = 0;
  std::map<std::string, int> ref_counts, can_counts;
  for (const auto& s : ref) {
    m += s.size();
    for (const auto& t : s) ++ref_counts[t];
  }
  for (const auto& s : can) {
    n += s.size();
    for (const auto& t : s) ++can_counts[t];
  }
  if (ref.empty() || can.empty() || m == 0 || n == 0) return {};
  int hits = 0;
  for (const auto& r : ref) {
    std::vector<bool> in(r.size(), false);
    for (const auto& c : can) {
      for (size_t i : NaiveIndices(r, c)) in[i] = true;
    }
    for (size_t i = 0; i < r.size(); ++i) {
      if (in[i] && ref_counts[r[i]] > 0 && can_counts[r[i]] > 0) {
        ++hits;
        --ref_counts[r[i]];
        --can_counts[r[i]];
      }
    }
  }
  RougeScore s;
  s.recall = static_cast<double>(hits) / static_cast<double>(m);
  s.precision = static_cast<double>(hits) / static_cast<double>(n);
  s.fmeasure = RougeFMeasure(s.precision, s.recall);
  return s;
}

std::vector<std::string> RandomTokens(std::mt19937& rng, size_t length, int alphabet) {
  std::uniform_int_distribution<int> pick(0, alphabet - 1);
  std::vector<std::string> tokens;
  for (size_t i = 0; i < length; ++i) tokens.push_back("w" + std::to_string(pick(rng)));
  return tokens;
}

std::vector<std::string_view> Views(const std::vector<std::string>& tokens) {
  return std::vector<std::string_view>(tokens.begin(), tokens.end());
}

TEST(RougeLcs, MatchesNaiveDpOnRandomInputs) {
  std::mt19937 rng(12345);
  // Lengths straddle word boundaries (63/64/65/128) and reach the checkpointed
  // backtrack (rows * words > 65536).
  const std::vector<std::pair<size_t, size_t>> shapes = {
      {0, 5}, {5, 0}, {1, 1}, {3, 7}, {63, 64}, {64, 65}, {65, 130}, {200, 129}, {2100, 2100}};
  for (const auto& [n, m] : shapes) {
    for (int alphabet : {2, 5, 40}) {
      const auto a = RandomTokens(rng, n, alphabet);
      const auto b = RandomTokens(rng, m, alphabet);
      const auto table = NaiveTable(a, b);
      const size_t expected = static_cast<size_t>(table[n][m]);
      EXPECT_EQ(LcsLength(Views(a), Views(b)), expected) << n << "x" << m << " alphabet " << alphabet;
      EXPECT_EQ(LcsLength(Views(b), Views(a)), expected) << m << "x" << n << " alphabet " << alphabet;
      EXPECT_EQ(LcsTargetIndices(Views(a), Views(b)), NaiveIndices(a, b))
          << n << "x" << m << " alphabet " << alphabet;
    }
  }
}

TEST(RougeLcs, CommonPrefixAndSuffixAndFrequentTokens) {
  std::mt19937 rng(99);
  for (int alphabet : {1, 2, 7}) {
    const auto prefix = RandomTokens(rng, 70, alphabet);
    const auto suffix = RandomTokens(rng, 45, alphabet);
    auto a = prefix, b = prefix;
    for (const auto& t : RandomTokens(rng, 300, alphabet)) a.push_back(t);
    for (const auto& t : RandomTokens(rng, 170, alphabet)) b.push_back(t);
    a.insert(a.end(), suffix.begin(), suffix.end());
    b.insert(b.end(), suffix.begin(), suffix.end());
    const size_t expected = static_cast<size_t>(NaiveTable(a, b)[a.size()][b.size()]);
    EXPECT_EQ(LcsLength(Views(a), Views(b)), expected) << "alphabet " << alphabet;
    EXPECT_EQ(LcsLength(Views(b), Views(a)), expected) << "alphabet " << alphabet;
    EXPECT_EQ(LcsLength(Views(a), Views(a)), a.size());
    EXPECT_EQ(LcsTargetIndices(Views(a), Views(b)), NaiveIndices(a, b)) << "alphabet " << alphabet;
  }
  // A token repeated on both sides, identical and then apart: the first pair is only a
  // common prefix, the second keeps the token's mask whole (bit by bit, every row would
  // set 19,999 bits).
  const std::vector<std::string_view> ones(1000000, "1");
  EXPECT_EQ(LcsLength(ones, ones, Deadline::After(60.0)), ones.size());
  std::vector<std::string_view> twos(20000, "1");
  twos.front() = "2";
  std::vector<std::string_view> fewer(ones.begin(), ones.begin() + 200000);
  fewer.back() = "3";
  EXPECT_EQ(LcsLength(twos, fewer, Deadline::After(60.0)), twos.size() - 1);
}

TEST(RougeLsum, MatchesNaiveSummaryLevelLcs) {
  std::mt19937 rng(777);
  std::uniform_int_distribution<int> sentence_count(0, 5), sentence_length(0, 90);
  for (int trial = 0; trial < 60; ++trial) {
    Sentences ref, can;
    const int alphabet = trial % 3 == 0 ? 3 : 12;
    for (int s = sentence_count(rng); s > 0; --s)
      ref.push_back(RandomTokens(rng, sentence_length(rng), alphabet));
    for (int s = sentence_count(rng); s > 0; --s)
      can.push_back(RandomTokens(rng, sentence_length(rng), alphabet));
    const RougeScore expected = NaiveLsum(ref, can);
    const RougeScore got = RougeLsum(ref, can);
    EXPECT_DOUBLE_EQ(got.precision, expected.precision) << "trial " << trial;
    EXPECT_DOUBLE_EQ(got.recall, expected.recall) << "trial " << trial;
    EXPECT_DOUBLE_EQ(got.fmeasure, expected.fmeasure) << "trial " << trial;
  }
}

TEST(RougeLsum, HandComputedExample) {
  // rouge-score's docstring example: union LCS of r1 with c1 and c2 is w1 w2 w3 w5.
  const Sentences ref = {{"w1", "w2", "w3", "w4", "w5"}};
  const Sentences can = {{"w1", "w2", "w6", "w7", "w8"}, {"w1", "w3", "w8", "w9", "w5"}};
  const RougeScore s = RougeLsum(ref, can);
  EXPECT_DOUBLE_EQ(s.recall, 0.8);
  EXPECT_DOUBLE_EQ(s.precision, 0.4);
}

TEST(RougeDeadline, ExpiredDeadlineStopsLcs) {
  const auto a = std::vector<std::string>(10, "x");
  const Deadline past = Deadline::After(-1.0);
  EXPECT_THROW(LcsLength(Views(a), Views(a), past), DeadlineExceeded);
  EXPECT_THROW(RougeL(a, a, past), DeadlineExceeded);
  EXPECT_THROW(RougeLsum(Sentences{a}, Sentences{a}, past), DeadlineExceeded);
  EXPECT_THROW(LcsTargetIndices(Views(a), Views(a), past), DeadlineExceeded);
  EXPECT_THROW(RougeScorer({"rougeL"}).Score("a b", "a b", past), DeadlineExceeded);
  EXPECT_THROW(RougeN(a, a, 2, past), DeadlineExceeded);  // it ran unchecked, 2 s at 50 MB
  EXPECT_DOUBLE_EQ(RougeN(a, a, 2, Deadline::After(60.0)).fmeasure, 1.0);
  // A future deadline changes nothing.
  EXPECT_EQ(LcsLength(Views(a), Views(a), Deadline::After(60.0)), 10u);
}

TEST(RougeDeadline, LongInputStopsPromptly) {
  // 200k x 200k tokens would take seconds; a 20 ms deadline stops it.
  std::mt19937 rng(5);
  const auto a = RandomTokens(rng, 200000, 50);
  const auto b = RandomTokens(rng, 200000, 50);
  EXPECT_THROW(LcsLength(Views(a), Views(b), Deadline::After(0.02)), DeadlineExceeded);
}

std::string RandomText(std::mt19937& rng, size_t bytes) {
  static const char* kWords[] = {"the",    "model",    "reward", "answer", "is",       "correct", "because",
                                 "we",     "compute",  "a",      "score",  "for",      "each",    "response",
                                 "policy", "gradient", "value",  "token",  "sequence", "and"};
  std::uniform_int_distribution<size_t> pick(0, std::size(kWords) - 1);
  std::string text;
  while (text.size() < bytes) {
    text += kWords[pick(rng)];
    text += text.size() % 7 == 0 ? ". " : " ";
  }
  return text;
}

TEST(RougeThreads, SharedScorerGivesSameResultsInParallel) {
  std::mt19937 rng(3);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 20; ++i)
    pairs.emplace_back(RandomText(rng, 400), RandomText(rng, 300) + "\n" + RandomText(rng, 200));
  const RougeScorer scorer({"rouge1", "rouge2", "rougeL", "rougeLsum"}, true);
  std::vector<std::map<std::string, RougeScore>> expected;
  for (const auto& [t, p] : pairs) expected.push_back(scorer.Score(t, p));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int round = 0; round < 5; ++round) {
        for (size_t i = 0; i < pairs.size(); ++i) {
          const auto got = scorer.Score(pairs[i].first, pairs[i].second);
          for (const auto& [type, s] : expected[i]) {
            if (got.at(type).fmeasure != s.fmeasure) ++mismatches[k];
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(mismatches[k], 0) << "thread " << k;
}

}  // namespace
}  // namespace rmg::text
