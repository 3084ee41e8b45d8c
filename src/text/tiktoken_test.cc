#include "text/tiktoken.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "rmg/tokenizer.h"

namespace rmg::text {
namespace {

using Rank = Cl100kEncoding::Rank;
using Ranks = std::vector<Rank>;
using Pieces = std::vector<std::string_view>;

const Cl100kEncoding& Enc() { return Cl100kEncoding::Get(); }

std::string Concat(const std::vector<Rank>& ranks) {
  std::string out;
  for (Rank r : ranks) out += Enc().TokenBytes(r);
  return out;
}

// Expected ids below were produced by a reference cl100k_base implementation.
// A 10 MB word took seconds past any deadline: the merges and the pieces check it.
TEST(TiktokenTest, EncodingStopsAtTheDeadline) {
  std::string word;
  std::mt19937 random(7);
  for (int i = 0; i < 300000; ++i) word.push_back(static_cast<char>('a' + random() % 26));
  const Deadline passed = Deadline::After(0);
  EXPECT_THROW(Enc().Encode(word, passed), DeadlineExceeded);  // one piece: the heap's merges
  std::string words;
  for (int i = 0; i < 100000; ++i) words += " ab";
  EXPECT_THROW(Enc().Encode(words, passed), DeadlineExceeded);  // short pieces: checked between them
  EXPECT_EQ(Concat(Enc().Encode(word)), word);                  // no deadline: the whole word
  EXPECT_THROW(GetTokenizer("tiktoken")->Tokenize(word, passed), DeadlineExceeded);
  EXPECT_EQ(Enc().Encode("hello world", passed).size(), 2u);  // less than one check's worth of work
  // Decoding each token alone is checked too: at 50 MB it took seconds past the deadline.
  EXPECT_THROW(GetTokenizer("tiktoken")->Tokenize("hello world", passed), DeadlineExceeded);
}

TEST(TiktokenTest, KnownEncodings) {
  EXPECT_EQ(Enc().Encode("hello world"), (Ranks{15339, 1917}));
  EXPECT_EQ(Enc().Encode("Hello, world!"), (Ranks{9906, 11, 1917, 0}));
  EXPECT_EQ(Enc().Encode("I'm 12345 ok\n\n  x"), (Ranks{40, 2846, 220, 4513, 1774, 5509, 271, 220, 865}));
  EXPECT_EQ(Enc().Encode("naïve café"), (Ranks{3458, 38672, 588, 53050}));
  EXPECT_EQ(Enc().Encode("中文分词"), (Ranks{16325, 17161, 17620, 6744, 235}));
  EXPECT_EQ(Enc().Encode("日本語のテキスト"), (Ranks{9080, 22656, 45918, 252, 16144, 57933, 62903, 71634}));
  EXPECT_TRUE(Enc().Encode("").empty());
}

TEST(TiktokenTest, SpecialTokensAreOrdinaryText) {
  EXPECT_EQ(Enc().Encode("<|endoftext|>"), (Ranks{27, 91, 8862, 728, 428, 91, 29}));
}

TEST(TiktokenTest, VocabularyShape) {
  EXPECT_EQ(Enc().vocab_size(), 100256u);
  EXPECT_EQ(Enc().TokenBytes(15339), "hello");
  EXPECT_EQ(Enc().TokenBytes(1917), " world");
  EXPECT_EQ(Enc().Lookup(" world"), 1917u);
  EXPECT_EQ(Enc().Lookup("!"), 0u);
  EXPECT_EQ(Enc().Lookup("<|endoftext|>"), Cl100kEncoding::kNoRank);
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    EXPECT_NE(Enc().Lookup(std::string_view(&c, 1)), Cl100kEncoding::kNoRank) << b;
  }
}

TEST(TiktokenTest, PiecesFollowTheRegex) {
  EXPECT_EQ(Cl100kPieces("I'm 12345 ok\n\n  x"),
            (Pieces{"I", "'m", " ", "123", "45", " ok", "\n\n", " ", " x"}));
  EXPECT_EQ(Cl100kPieces("Hello world"), (Pieces{"Hello", " world"}));
  EXPECT_EQ(Cl100kPieces("x  "), (Pieces{"x", "  "}));           // \s+(?!\S) at the end
  EXPECT_EQ(Cl100kPieces("\t\tx"), (Pieces{"\t", "\tx"}));       // last space joins the word
  EXPECT_EQ(Cl100kPieces("a \n"), (Pieces{"a", " \n"}));         // \s*[\r\n]+
  EXPECT_EQ(Cl100kPieces("a\n \n  b"), (Pieces{"a", "\n \n", " ", " b"}));
  EXPECT_EQ(Cl100kPieces("\n  "), (Pieces{"\n", "  "}));
  EXPECT_EQ(Cl100kPieces("a\r\n\r\nb"), (Pieces{"a", "\r\n\r\n", "b"}));
  EXPECT_EQ(Cl100kPieces(" x"), (Pieces{" x"}));
  EXPECT_EQ(Cl100kPieces(" 1"), (Pieces{" ", "1"}));
}

TEST(TiktokenTest, PiecesForContractionsAndSymbols) {
  EXPECT_EQ(Cl100kPieces("It'S 'LL 're"), (Pieces{"It", "'S", " '", "LL", " '", "re"}));
  EXPECT_EQ(Cl100kPieces("we'll they've I'd"),
            (Pieces{"we", "'ll", " they", "'ve", " I", "'d"}));
  EXPECT_EQ(Cl100kPieces("'sam"), (Pieces{"'s", "am"}));
  EXPECT_EQ(Cl100kPieces("'x"), (Pieces{"'x"}));               // [^\r\n\p{L}\p{N}]?\p{L}+
  EXPECT_EQ(Cl100kPieces("x'"), (Pieces{"x", "'"}));
  EXPECT_EQ(Cl100kPieces("'\u017Fx"), (Pieces{"'\u017F", "x"}));  // long s folds to s
  EXPECT_EQ(Cl100kPieces("$x = y!!\n\nz"), (Pieces{"$x", " =", " y", "!!\n\n", "z"}));
  EXPECT_EQ(Cl100kPieces(" !!x"), (Pieces{" !!", "x"}));
  EXPECT_EQ(Cl100kPieces("\t!x"), (Pieces{"\t", "!x"}));  // only ' ' may prefix symbols
  EXPECT_EQ(Cl100kPieces("a\t!!"), (Pieces{"a", "\t", "!!"}));
  EXPECT_EQ(Cl100kPieces("a\x1c" "b"), (Pieces{"a", "\x1c" "b"}));  // not White_Space
  EXPECT_EQ(Cl100kPieces("!\x1c"), (Pieces{"!\x1c"}));
}

TEST(TiktokenTest, PiecesForNonAscii) {
  // Arabic-Indic digits are \p{N}: groups of three.
  EXPECT_EQ(Cl100kPieces("\u0661\u0662\u0663\u0664"), (Pieces{"\u0661\u0662\u0663", "\u0664"}));
  EXPECT_EQ(Cl100kPieces("\u00BD\u00B2\u00BD\u00B2x"), (Pieces{"\u00BD\u00B2\u00BD", "\u00B2", "x"}));  // No
  EXPECT_EQ(Cl100kPieces("\u216Bx"), (Pieces{"\u216B", "x"}));  // Nl
  EXPECT_EQ(Cl100kPieces("a\u00A0b"), (Pieces{"a", "\u00A0b"}));      // NBSP is \s
  EXPECT_EQ(Cl100kPieces("a\u3000\u3000b"), (Pieces{"a", "\u3000", "\u3000b"}));
  EXPECT_EQ(Cl100kPieces("\u4E2D\u6587\uFF0C\u65E5"), (Pieces{"\u4E2D\u6587", "\uFF0C\u65E5"}));
  EXPECT_EQ(Cl100kPieces("a\u2028b"), (Pieces{"a", "\u2028b"}));
  // Invalid bytes count as U+FFFD (a symbol) and stay as they are.
  EXPECT_EQ(Cl100kPieces("a\xFF\xFE" "b"), (Pieces{"a", "\xFF\xFE", "b"}));
  EXPECT_EQ(Cl100kPieces("\xE4\xB8"), (Pieces{"\xE4\xB8"}));
}

TEST(TiktokenTest, DecodeAloneReplacesLikePython) {
  const auto decode = [](std::string_view bytes) {
    std::string out;
    AppendUtf8Replacing(bytes, &out);
    return out;
  };
  // Expected strings are Python's bytes.decode("utf-8", "replace").
  EXPECT_EQ(decode("\xE4\xB8"), "\uFFFD");
  EXPECT_EQ(decode("\xE0\x80"), "\uFFFD\uFFFD");
  EXPECT_EQ(decode("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(decode("\xF0\x9F\x98"), "\uFFFD");
  EXPECT_EQ(decode("\xF0\x9F\x98" "A"), "\uFFFDA");
  EXPECT_EQ(decode("\xC0\xAF"), "\uFFFD\uFFFD");
  EXPECT_EQ(decode("\xF4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(decode("\xFF"), "\uFFFD");
  EXPECT_EQ(decode("a\x80" "b"), "a\uFFFD" "b");
  EXPECT_EQ(decode("\xE2\x82\xAC\xE2\x82"), "\u20AC\uFFFD");
  EXPECT_EQ(decode("\xF1\x80\x80\xF1\x80"), "\uFFFD\uFFFD");
  EXPECT_EQ(decode("\xF0\x9F\x98\x80"), "\U0001F600");
  EXPECT_EQ(decode(""), "");
}

TEST(TiktokenTest, TokenizeDecodesEachTokenAlone) {
  const auto tokenizer = GetTokenizer("tiktoken");
  EXPECT_EQ(tokenizer->name(), "tiktoken");
  EXPECT_EQ(tokenizer->Tokenize("hello world"), (std::vector<std::string>{"hello", " world"}));
  EXPECT_EQ(tokenizer->Tokenize("\U0001F600 ok"), (std::vector<std::string>{"\uFFFD", "\uFFFD", " ok"}));
  EXPECT_EQ(tokenizer->Tokenize("\u4E2D\u6587\u5206\u8BCD"),
            (std::vector<std::string>{"\u4E2D", "\u6587", "\u5206", "\uFFFD", "\uFFFD"}));
  EXPECT_EQ(tokenizer->Tokenize("naïve café"), (std::vector<std::string>{"na", "ï", "ve", " café"}));
  EXPECT_TRUE(tokenizer->Tokenize("").empty());
  // Invalid input never throws; the bytes come back as U+FFFD.
  EXPECT_EQ(tokenizer->Tokenize("\xFF"), (std::vector<std::string>{"\uFFFD"}));
}

// A special token's text makes tiktoken's encode() raise; RM-Gallery's tokenizer then
// falls back to str.split() (which neither lower-cases nor drops anything else).
TEST(TiktokenTest, TokenizeSplitsAtWhitespaceWhenTheTextHoldsASpecialToken) {
  const auto tokenizer = GetTokenizer("tiktoken");
  for (const char* special :
       {"<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"}) {
    EXPECT_EQ(tokenizer->Tokenize(std::string("A b\t") + special + "c"),
              (std::vector<std::string>{"A", "b", std::string(special) + "c"}))
        << special;
  }
  EXPECT_EQ(tokenizer->Tokenize("<|endoftext"),
            (std::vector<std::string>{"<", "|", "endo", "ft", "ext"}));  // no special token
}

// Tokenizes the whole rule workload (6,000 texts). The token count and id sum were
// computed with a reference cl100k_base encoder over the same texts.
TEST(TiktokenTest, RuleWorkloadRoundTripsAndMatchesReference) {
  std::ifstream in(std::string(RMG_SHARED_DATA_DIR) + "/bench/rule_workload.jsonl");
  ASSERT_TRUE(in) << "missing rule_workload.jsonl";
  size_t texts = 0;
  size_t tokens = 0;
  uint64_t id_sum = 0;
  std::string line;
  const auto check = [&](const std::string& text) {
    const Ranks ranks = Enc().Encode(text);
    ASSERT_EQ(Concat(ranks), text);
    ++texts;
    tokens += ranks.size();
    for (Rank r : ranks) id_sum += r;
  };
  while (std::getline(in, line)) {
    const nlohmann::json sample = nlohmann::json::parse(line);
    for (const auto& message : sample["input"]) check(message["content"].get<std::string>());
    for (const auto& output : sample["output"]) {
      const auto& answer = output["answer"];
      check(answer["content"].get<std::string>());
      if (answer.contains("label") && answer["label"].contains("reference") &&
          answer["label"]["reference"].is_string()) {
        check(answer["label"]["reference"].get<std::string>());
      }
    }
  }
  EXPECT_EQ(texts, 6000u);
  EXPECT_EQ(tokens, 2813972u);
  EXPECT_EQ(id_sum, 21473849657u);
}

TEST(TiktokenTest, RoundTripsArbitraryBytes) {
  std::mt19937 rng(42);
  const std::vector<std::string> alphabet = {"a", "Z", "7", " ", "\n", "\r", "\t", "'", "s", "!",
                                             "\u00E9", "\u4E2D", "\U0001F600", "\u00A0", "\u3000",
                                             "\xFF", "\xE4", "\x80", "\u0301", "ll"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const size_t length = rng() % 60;
    for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
    std::string joined;
    for (std::string_view piece : Cl100kPieces(text)) {
      ASSERT_FALSE(piece.empty());
      joined += piece;
    }
    ASSERT_EQ(joined, text);
    ASSERT_EQ(Concat(Enc().Encode(text)), text);
  }
}

TEST(TiktokenTest, MergeStrategiesAgree) {
  std::mt19937 rng(7);
  const std::string letters = "etaoinshrdlucmfw";
  for (int round = 0; round < 400; ++round) {
    std::string piece;
    const size_t length = 2 + rng() % 300;
    for (size_t i = 0; i < length; ++i) {
      switch (rng() % 4) {
        case 0: piece += static_cast<char>(rng() % 256); break;
        case 1: piece += "\u4E2D\u6587"; break;
        default: piece += letters[rng() % letters.size()]; break;
      }
    }
    Ranks scan, heap;
    Enc().MergeByScan(piece, &scan);
    Enc().MergeByHeap(piece, &heap);
    ASSERT_EQ(scan, heap) << "length " << piece.size();
    ASSERT_EQ(Concat(scan), piece);
  }
}

TEST(TiktokenTest, LongRunsAreFast) {
  // 'a' * 20000 is 2500 tokens (eight a's each) in the reference encoder.
  EXPECT_EQ(Enc().Encode(std::string(20000, 'a')).size(), 2500u);
  const std::string letters(300000, 'a');
  const std::string spaces = std::string(300000, ' ') + "x";
  const std::string digits(300000, '9');
  EXPECT_EQ(Concat(Enc().Encode(letters)), letters);
  EXPECT_EQ(Concat(Enc().Encode(spaces)), spaces);
  EXPECT_EQ(Concat(Enc().Encode(digits)), digits);
  // A quadratic merge would take minutes here and hit ctest's per-test timeout;
  // the speed itself is measured in bench/, not asserted.
}

// A vocabulary file of our own, to check merge order and the whole-piece rule.
std::string Base64(std::string_view bytes) {
  static const char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
    out += kDigits[group >> 18];
    out += kDigits[(group >> 12) & 63];
    out += i + 1 < bytes.size() ? kDigits[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kDigits[group & 63] : '=';
  }
  return out;
}

std::string SmallVocabulary(const std::vector<std::string>& extra) {
  std::string file;
  Rank rank = 0;
  for (int b = 0; b < 256; ++b) file += Base64(std::string(1, static_cast<char>(b))) + " " + std::to_string(rank++) + "\n";
  for (const std::string& token : extra) file += Base64(token) + " " + std::to_string(rank++) + "\n";
  return file;
}

TEST(TiktokenTest, MergesLowestRankLeftmostFirst) {
  const Cl100kEncoding enc(SmallVocabulary({"bc", "ab", "aa", "bca"}));
  const Rank bc = 256, ab = 257, aa = 258, bca = 259;
  for (bool heap : {false, true}) {
    const auto merge = [&](std::string_view piece) {
      Ranks out;
      heap ? enc.MergeByHeap(piece, &out) : enc.MergeByScan(piece, &out);
      return out;
    };
    EXPECT_EQ(merge("abc"), (Ranks{'a', bc})) << heap;  // "bc" outranks "ab"
    EXPECT_EQ(merge("abd"), (Ranks{ab, 'd'})) << heap;
    EXPECT_EQ(merge("aaa"), (Ranks{aa, 'a'})) << heap;  // leftmost of equal pairs
    EXPECT_EQ(merge("aaaa"), (Ranks{aa, aa})) << heap;
    EXPECT_EQ(merge("bca"), (Ranks{bca})) << heap;  // merged parts merge again
    EXPECT_EQ(merge("bcab"), (Ranks{bc, ab})) << heap;
    EXPECT_EQ(merge("xy"), (Ranks{'x', 'y'})) << heap;
  }
}

TEST(TiktokenTest, PieceThatIsATokenIsTakenWhole) {
  // No merge leads to "xyz", yet tiktoken looks the whole piece up first.
  const Cl100kEncoding enc(SmallVocabulary({"xyz"}));
  Ranks merged, encoded;
  enc.MergeByScan("xyz", &merged);
  enc.EncodePiece("xyz", &encoded);
  EXPECT_EQ(merged, (Ranks{'x', 'y', 'z'}));
  EXPECT_EQ(encoded, (Ranks{256}));
}

TEST(TiktokenTest, RejectsMalformedVocabularies) {
  EXPECT_THROW(Cl100kEncoding(""), std::runtime_error);
  EXPECT_THROW(Cl100kEncoding(SmallVocabulary({}) + "!!! 256\n"), std::runtime_error);   // base64
  EXPECT_THROW(Cl100kEncoding(SmallVocabulary({}) + "YWE= 300\n"), std::runtime_error);  // rank gap
  EXPECT_THROW(Cl100kEncoding(SmallVocabulary({}) + "YQ== 256\n"), std::runtime_error);  // duplicate
  EXPECT_THROW(Cl100kEncoding("YWE= 0\n"), std::runtime_error);  // single bytes missing
  EXPECT_NO_THROW(Cl100kEncoding(SmallVocabulary({"aa"})));
}

TEST(TiktokenTest, SharedAcrossThreads) {
  const std::string text = "The quick brown fox jumps over the lazy dog. \u4E2D\u6587 12345";
  const Ranks expected = Enc().Encode(text);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      bool same = true;
      for (int i = 0; i < 200; ++i) same = same && Cl100kEncoding::Get().Encode(text) == expected;
      ok[t] = same;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, (std::vector<int>{1, 1, 1, 1}));
}

}  // namespace
}  // namespace rmg::text
