#include "text/bleu.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "testing/random_letters.h"
#include "testing/shared_data.h"

namespace rmg::text {
namespace {

BleuOptions BleuOptionsFromJson(const nlohmann::json& o) {
  BleuOptions options;
  options.tokenize = ParseBleuTokenize(o.at("tokenize").get<std::string>());
  options.smooth = ParseBleuSmooth(o.at("smooth_method").get<std::string>());
  if (!o.at("smooth_value").is_null()) options.smooth_value = o.at("smooth_value").get<double>();
  options.lowercase = o.at("lowercase");
  options.use_effective_order = o.at("use_effective_order");
  options.max_ngram_order = o.at("max_ngram_order");
  return options;
}

std::string Format2dp(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", x);
  return buffer;
}

TEST(BleuData, MatchesSacrebleuTestSuite) {
  const auto cases = rmg::testing::ReadSharedJsonl("text/bleu_cases.jsonl");
  int checked = 0;
  for (const auto& sample : cases) {
    const auto& meta = sample.at("metadata");
    if (meta.at("metric") != "BLEU") continue;
    const std::string id = sample.at("unique_id");
    const BleuOptions options = BleuOptionsFromJson(meta.at("options"));

    std::vector<std::string> hyp_storage;
    std::vector<std::vector<std::string>> ref_storage;
    for (const auto& output : sample.at("output")) {
      hyp_storage.push_back(output.at("answer").at("content"));
      ref_storage.push_back(output.at("answer").at("label").at("references"));
    }
    std::vector<std::string_view> hyps(hyp_storage.begin(), hyp_storage.end());
    std::vector<std::vector<std::string_view>> refs;
    for (const auto& r : ref_storage) refs.emplace_back(r.begin(), r.end());

    const BleuScore result = meta.at("level") == "sentence" ? SentenceBleu(hyps.at(0), refs.at(0), options)
                                                            : CorpusBleu(hyps, refs, options);
    const std::string comparison = meta.at("comparison");
    if (comparison == "stats_equal") {
      const auto& expected = meta.at("expected_stats");
      EXPECT_EQ(result.stats.correct, expected.at("counts").get<std::vector<int64_t>>()) << id;
      EXPECT_EQ(result.stats.total, expected.at("totals").get<std::vector<int64_t>>()) << id;
      ++checked;
      continue;
    }
    const double expected = meta.at("expected");
    double score = result.score;
    if (meta.at("expected_scale").get<std::string>().starts_with("0-1 "))
      score /= 100.0;  // "0-1 (score/100)"
    if (comparison == "abs_diff_lt") {
      EXPECT_LT(std::fabs(score - expected), meta.at("tolerance").get<double>())
          << id << ": got " << score << ", expected " << expected;
    } else if (comparison == "format_2dp_equal") {
      EXPECT_EQ(Format2dp(score), Format2dp(expected)) << id;
    } else {
      ADD_FAILURE() << id << ": unknown comparison " << comparison;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 39) << "bleu_cases.jsonl missing or changed";
}

std::string Tok(std::string_view text, BleuTokenize tokenize) { return BleuTokenizeText(text, tokenize); }

TEST(BleuTokenizer, Mteval13a) {
  EXPECT_EQ(Tok("Hello, world.", BleuTokenize::k13a), "Hello , world .");
  EXPECT_EQ(Tok("It costs $3.14 or 1,000 (approx).", BleuTokenize::k13a),
            "It costs $ 3.14 or 1,000 ( approx ) .");
  EXPECT_EQ(Tok("well-known 5-3 it's", BleuTokenize::k13a), "well-known 5 - 3 it's");
  EXPECT_EQ(Tok("&quot;a&quot; &amp;lt; b<skipped>", BleuTokenize::k13a), "\" a \" < b");
  EXPECT_EQ(Tok("line-\nbreak\nhere", BleuTokenize::k13a), "linebreak here");
  EXPECT_EQ(Tok("  spaced\u00a0out  ", BleuTokenize::k13a), "spaced out");
}

TEST(BleuTokenizer, International) {
  EXPECT_EQ(Tok("Hello, world!", BleuTokenize::kIntl), "Hello , world !");
  EXPECT_EQ(Tok("«Bonjour» 3.14 $5", BleuTokenize::kIntl), "« Bonjour » 3.14 $ 5");
  EXPECT_EQ(Tok("a\u2014b", BleuTokenize::kIntl), "a \u2014 b");  // EM DASH is Pd.
}

TEST(BleuTokenizer, CharNoneAndZh) {
  EXPECT_EQ(Tok("ab c", BleuTokenize::kChar), "a b c");
  EXPECT_EQ(Tok("zahăr", BleuTokenize::kChar), "z a h ă r");
  EXPECT_EQ(Tok(" keep  as is ", BleuTokenize::kNone), " keep  as is ");
  EXPECT_EQ(Tok("我爱你。", BleuTokenize::kZh), "我 爱 你 。");
  EXPECT_EQ(Tok("Hello,世界", BleuTokenize::kZh), "Hello , 世 界");
}

TEST(BleuTokenizer, ParseNames) {
  EXPECT_EQ(ParseBleuTokenize("intl"), BleuTokenize::kIntl);
  EXPECT_EQ(ParseBleuSmooth("add-k"), BleuSmooth::kAddK);
  EXPECT_THROW(ParseBleuTokenize("moses"), std::invalid_argument);
  EXPECT_THROW(ParseBleuSmooth("add_k"), std::invalid_argument);
}

TEST(Bleu, ClosestReferenceLengthPrefersShorterOnTie) {
  BleuOptions options;
  options.tokenize = BleuTokenize::kNone;
  const std::vector<std::string_view> refs = {"a b c d", "a b"};
  const BleuStats stats = BleuSegmentStats("a b c", refs, options);
  EXPECT_EQ(stats.hyp_len, 3);
  EXPECT_EQ(stats.ref_len, 2);
  const std::vector<std::string_view> refs2 = {"x y z w v", "a b c d"};
  EXPECT_EQ(BleuSegmentStats("a b c", refs2, options).ref_len, 4);
}

TEST(Bleu, ClipsByMaxCountInOneReference) {
  BleuOptions options;
  options.tokenize = BleuTokenize::kNone;
  // "the" occurs once in each reference: the clip is 1, not 2.
  const std::vector<std::string_view> refs = {"the cat", "the dog"};
  const BleuStats stats = BleuSegmentStats("the the the", refs, options);
  EXPECT_EQ(stats.correct[0], 1);
  EXPECT_EQ(stats.total[0], 3);
  EXPECT_EQ(stats.total[1], 2);
  EXPECT_EQ(stats.total[3], 0);
}

TEST(Bleu, PerfectMatchAndNoMatch) {
  const std::vector<std::string_view> refs = {"The quick brown fox jumps over the lazy dog."};
  EXPECT_DOUBLE_EQ(SentenceBleu("The quick brown fox jumps over the lazy dog.", refs).score, 100.0);
  EXPECT_DOUBLE_EQ(SentenceBleu("Nothing matches here", refs).score, 0.0);
  BleuOptions lower = SentenceBleuDefaults();
  lower.lowercase = true;
  EXPECT_DOUBLE_EQ(SentenceBleu("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.", refs, lower).score, 100.0);
  EXPECT_LT(SentenceBleu("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.", refs).score, 100.0);
}

TEST(Bleu, BrevityPenaltyAndEffectiveOrder) {
  BleuOptions options;
  options.tokenize = BleuTokenize::kNone;
  options.use_effective_order = true;
  const std::vector<std::string_view> refs = {"a b c d"};
  const BleuScore s = SentenceBleu("a b", refs, options);
  EXPECT_DOUBLE_EQ(s.brevity_penalty, std::exp(1.0 - 2.0));
  EXPECT_NEAR(s.score, 100.0 * std::exp(1.0 - 2.0), 1e-9);  // Orders 1 and 2 both 100%.
  options.use_effective_order = false;
  options.smooth = BleuSmooth::kNone;
  EXPECT_DOUBLE_EQ(SentenceBleu("a b", refs, options).score, 0.0);  // Orders 3, 4 have no n-gram.
}

TEST(Bleu, ArgumentErrors) {
  const std::vector<std::string_view> none;
  EXPECT_THROW(SentenceBleu("a", none), std::invalid_argument);
  const std::vector<std::string_view> hyps = {"a", "b"};
  const std::vector<std::vector<std::string_view>> refs = {{"a"}};
  EXPECT_THROW(CorpusBleu(hyps, refs), std::invalid_argument);
  BleuOptions bad;
  bad.max_ngram_order = 0;
  const std::vector<std::string_view> one = {"a"};
  EXPECT_THROW(SentenceBleu("a", one, bad), std::invalid_argument);
}

TEST(Bleu, ThreadSafe) {
  const std::vector<std::string_view> refs = {"producţia de zahăr brut se exprimă în zahăr alb;"};
  const std::string hyp = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
  BleuOptions intl = SentenceBleuDefaults();
  intl.tokenize = BleuTokenize::kIntl;
  const double expected = SentenceBleu(hyp, refs, intl).score;
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) mismatches[t] += SentenceBleu(hyp, refs, intl).score != expected;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0);
}

// Work grows with the text's length times the order: 16 MiB of characters at order 64
// ran 89 s past a 2 s deadline, which the n-gram loops never checked.
TEST(BleuTest, ADeadlinePassingDuringTheCountStopsIt) {
  const std::string hypothesis = testing::RandomLetters(1 << 20, 1);
  const std::string reference = testing::RandomLetters(1 << 20, 2);
  BleuOptions options;
  options.tokenize = BleuTokenize::kChar;
  options.max_ngram_order = 64;
  const std::vector<std::string_view> references = {reference};
  EXPECT_THROW(SentenceBleu(hypothesis, references, options, Deadline::After(0.05)), DeadlineExceeded);
  EXPECT_THROW(BleuSegmentStats(hypothesis, references, options, Deadline::After(0)), DeadlineExceeded);
}

// The tokenizers make several passes over the text, each a few tenths of a second at
// 50 MB: 13a, intl and zh ran 2-3 s past a 2 s deadline before the count began.
TEST(BleuTest, TheTokenizersCheckTheDeadlineBetweenTheirPasses) {
  for (BleuTokenize tokenize : {BleuTokenize::k13a, BleuTokenize::kIntl, BleuTokenize::kZh}) {
    EXPECT_THROW(BleuTokenizeText("Hello, world.", tokenize, Deadline::After(0)), DeadlineExceeded);
    EXPECT_EQ(BleuTokenizeText("Hello, world.", tokenize, Deadline::After(60)), "Hello , world .");
  }
}

}  // namespace
}  // namespace rmg::text
