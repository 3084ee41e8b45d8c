#include "text/jieba.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "rmg/schema.h"
#include "rmg/tokenizer.h"
#include "text/unicode.h"

namespace rmg::text {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string_view> JiebaCut(const JiebaSegmenter& segmenter, std::string_view text) {
  std::vector<std::string_view> pieces;
  segmenter.Cut(text, &pieces);
  return pieces;
}

// Expected pieces come from jieba 0.42.1 (Debian's python3-jieba) with the same
// dictionary: jieba.Tokenizer(dictionary=...).cut(text).
TEST(JiebaSegmenterTest, FollowsTheMostProbableRouteThroughTheDictionary) {
  const JiebaSegmenter segmenter("甲乙 5\n丙 3\n甲 3\n乙丙 5\n丁 0\n丁戊己 2\n", JiebaFinalseg::Embedded());
  // 甲乙+丙 and 甲+乙丙 weigh exactly the same: Python's max() of (weight, end) takes the longer first word.
  EXPECT_THAT(JiebaCut(segmenter, "甲乙丙"), ElementsAre("甲乙", "丙"));
  EXPECT_THAT(JiebaCut(segmenter, "甲乙丙丁"), ElementsAre("甲乙", "丙丁"));
  EXPECT_THAT(JiebaCut(segmenter, "丁戊己"), ElementsAre("丁戊己"));
  // 丁戊 is only a prefix (and 丁 a word of frequency 0): single steps, joined by the HMM.
  EXPECT_THAT(JiebaCut(segmenter, "丁戊"), ElementsAre("丁戊"));
  EXPECT_THAT(JiebaCut(segmenter, "戊丁"), ElementsAre("戊丁"));
}

TEST(JiebaSegmenterTest, CharactersOutsideTheDictionaryWeighFrequencyOne) {
  // 甲乙+丙 weighs log 5 + log 1 and 甲+乙丙 log 2 + log 3 (less twice the log of the total).
  const JiebaSegmenter segmenter("甲乙 5\n甲 2\n乙丙 3\n", JiebaFinalseg::Embedded());
  EXPECT_THAT(JiebaCut(segmenter, "甲乙丙"), ElementsAre("甲", "乙丙"));
  EXPECT_THAT(JiebaCut(segmenter, "甲乙丙丙"), ElementsAre("甲", "乙丙", "丙"));
}

TEST(JiebaSegmenterTest, MalformedDictionaryNamesTheLine) {
  try {
    JiebaSegmenter("甲 1\n乙 many\n", JiebaFinalseg::Embedded());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 2"));
    EXPECT_THAT(e.what(), HasSubstr("乙 many"));
  }
  EXPECT_THROW(JiebaSegmenter("甲\n", JiebaFinalseg::Embedded()), std::runtime_error);
  EXPECT_THROW(JiebaSegmenter("甲 1\n\n", JiebaFinalseg::Embedded()), std::runtime_error);
}

TEST(JiebaSegmenterTest, EmbeddedDictionaryCutsJiebasExamples) {
  const JiebaSegmenter& jieba = JiebaSegmenter::Embedded();
  EXPECT_THAT(JiebaCut(jieba, "我来到北京清华大学"), ElementsAre("我", "来到", "北京", "清华大学"));
  EXPECT_THAT(JiebaCut(jieba, "他来到了网易杭研大厦"), ElementsAre("他", "来到", "了", "网易", "杭研", "大厦"));
  EXPECT_THAT(JiebaCut(jieba, "AT&T和B超"), ElementsAre("AT&T", "和", "B超"));
  EXPECT_THAT(JiebaCut(jieba, ""), IsEmpty());
}

TEST(JiebaSegmenterTest, CuttingStopsAtTheDeadline) {
  std::vector<std::string_view> pieces;
  EXPECT_THROW(JiebaSegmenter::Embedded().Cut("我来到北京清华大学", &pieces, Deadline::After(0)), DeadlineExceeded);
  // One run of ideographs is one block: its route is checked inside it.
  std::string block;
  for (int i = 0; i < 100000; ++i) block += "我来到北京清华大学";
  EXPECT_THROW(JiebaSegmenter::Embedded().Cut(block, &pieces, Deadline::After(0.001)), DeadlineExceeded);
  pieces.clear();
  JiebaSegmenter::Embedded().Cut("我来到北京清华大学", &pieces, Deadline::After(60));
  EXPECT_THAT(pieces, ElementsAre("我", "来到", "北京", "清华大学"));
}

TEST(JiebaSegmenterTest, EveryOtherCharacterIsAPieceButCrLf) {
  const JiebaSegmenter& jieba = JiebaSegmenter::Embedded();
  EXPECT_THAT(JiebaCut(jieba, "Hello World 3.5% abc.12%x\r\n\r\r\n\t\u3000の😀"),
              ElementsAre("Hello", " ", "World", " ", "3.5%", " ", "abc.12%", "x", "\r\n", "\r", "\r\n", "\t", "\u3000",
                          "の", "😀"));
  // U+9FD6..U+9FFF are outside jieba's ideograph range.
  EXPECT_THAT(JiebaCut(jieba, "龥鿿"), ElementsAre("龥", "鿿"));
}

TEST(JiebaTokenizerTest, IsRegisteredAndKeepsCase) {
  const auto tokenizer = GetTokenizer("jieba");
  EXPECT_EQ(tokenizer->name(), "jieba");
  EXPECT_FALSE(tokenizer->lower_cases());
  EXPECT_THAT(tokenizer->Tokenize("Hello 北京"), ElementsAre("Hello", " ", "北京"));
  // Invalid UTF-8 reads as U+FFFD, as in every tokenizer.
  EXPECT_THAT(tokenizer->Tokenize("a\xff"), ElementsAre("a", "\uFFFD"));
}

// Random text around the dictionary's alphabet, for comparison with Python's jieba.
std::vector<std::string> RandomTexts(size_t count) {
  // Common characters, so that random runs of them meet dictionary words often.
  const std::string common =
      "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多"
      "定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因"
      "由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解"
      "问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少"
      "图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车北京清华来到网易杭研厦";
  std::vector<std::string> common_characters;
  for (size_t pos = 0; pos < common.size();) {
    const size_t start = pos;
    DecodeUtf8(common, &pos);
    common_characters.push_back(common.substr(start, pos - start));
  }
  const std::vector<std::string> others = {" ",  "  ", "\t", "\r\n", "\r", "\n", "\u3000", "，",
                                           "。", "！", "の", "😀",    "é",  "３", "+",      "#",
                                           "&",  ".",  "_",  "%",    "-",  "(",  "'",      "\u00a0"};
  // Dictionary words holding ASCII letters, none of which is a word alone: routes through
  // them weigh jieba's stand-in frequency of characters outside the dictionary.
  const std::vector<std::string> mixed_words = {"B超",    "T恤",  "A股",    "AA制",   "BB机",    "C语言", "CD机",
                                                "CALL机", "IC卡", "IP电话", "IP地址", "K歌之王", "AB型"};
  std::mt19937 random(20261128);
  const auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  std::vector<std::string> texts;
  for (size_t i = 0; i < count; ++i) {
    std::string text;
    const size_t parts = 1 + pick(30);
    for (size_t p = 0; p < parts; ++p) {
      const size_t kind = pick(10);
      if (kind < 6) {
        text += common_characters[pick(common_characters.size())];
      } else if (kind == 6) {
        AppendUtf8(static_cast<char32_t>(0x4E00 + pick(0x9FFF - 0x4E00 + 1)), &text);
      } else if (kind == 7) {
        for (size_t n = 1 + pick(6); n > 0; --n) text += "aZ09xIPCB3.%"[pick(12)];
      } else if (kind == 8) {
        text += mixed_words[pick(mixed_words.size())];
      } else {
        text += others[pick(others.size())];
      }
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

// The Chinese texts of RM-Bench's safety-response items (external data).
std::vector<std::string> RmBenchChineseTexts() {
  std::ifstream file(std::string(RMG_SHARED_DATA_DIR) + "/preference/rmbench_safety-response.jsonl");
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(file, line)) {
    const auto visit = [&](const Json& value, const auto& self) -> void {
      if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (text.find("的") != std::string::npos) texts.push_back(text);
      }
      if (value.is_structured()) {
        for (const Json& child : value) self(child, self);
      }
    };
    visit(Json::parse(line), visit);
  }
  return texts;
}

// The zh_CN messages of Debian's essential packages, where the machine has them.
std::string ChineseMessageCatalogues() {
  std::string paths;
  for (const char* package : {"coreutils", "dpkg", "bash"}) {
    const std::string path = std::string("/usr/share/locale/zh_CN/LC_MESSAGES/") + package + ".mo";
    if (std::filesystem::exists(path)) paths += " " + path;
  }
  return paths;
}

TEST(JiebaSegmenterTest, AgreesWithPythonJiebaOnRandomAndRealText) {
  std::vector<std::string> texts = RandomTexts(3000);
  const std::vector<std::string> real = RmBenchChineseTexts();
  ASSERT_FALSE(real.empty());
  texts.insert(texts.end(), real.begin(), real.end());

  const std::filesystem::path input =
      std::filesystem::temp_directory_path() / ("rmg_jieba_texts_" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(input);
    for (const std::string& text : texts) out << Json(text).dump() << "\n";
  }
  // Debian's python3, where python3-jieba (scripts/install-deps.sh) is installed. It
  // prints the texts back with their pieces, then those of the message catalogues.
  const std::string command = std::string("/usr/bin/python3 ") + RMG_SOURCE_DIR + "/src/text/testing/jieba_cut.py " +
                              input.string() + ChineseMessageCatalogues();
  std::FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[65536];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  std::filesystem::remove(input);
  ASSERT_EQ(status, 0) << command << " failed: is python3-jieba installed (scripts/install-deps.sh)?";

  const JiebaSegmenter& jieba = JiebaSegmenter::Embedded();
  size_t compared = 0, differing = 0;
  for (size_t line_start = 0; line_start < output.size();) {
    size_t line_end = output.find('\n', line_start);
    if (line_end == std::string::npos) line_end = output.size();
    const Json line = Json::parse(output.substr(line_start, line_end - line_start));
    line_start = line_end + 1;
    const std::string& text = line.at("text").get_ref<const std::string&>();
    if (compared < texts.size()) {
      ASSERT_EQ(text, texts[compared]) << "python read another text";
    }
    const auto expected = line.at("pieces").get<std::vector<std::string>>();
    const std::vector<std::string_view> actual = JiebaCut(jieba, text);
    ++compared;
    if (std::vector<std::string>(actual.begin(), actual.end()) != expected && ++differing <= 5) {
      ADD_FAILURE() << "text " << Json(text).dump() << "\n  rmg:    " << Json(actual).dump()
                    << "\n  python: " << Json(expected).dump();
    }
  }
  EXPECT_EQ(differing, 0u) << "of " << compared;
  EXPECT_GE(compared, texts.size());
  std::printf("compared %zu texts with Python's jieba\n", compared);
}

}  // namespace
}  // namespace rmg::text
