// privacy_leakage: RM-Gallery's PrivacyLeakageReward (rm_gallery_api.md §11.2).
// Matches and reasons were computed once with the documented patterns and
// re.findall in CPython 3.11; where rmg deliberately differs (bug 15) it is said.
#include <gtest/gtest.h>

#include <cmath>

#include "gallery/testing.h"

namespace rmg::gallery {
namespace {

using testing::Score;
using testing::ScoreWith;
using testing::SortedKeys;

constexpr const char* kPrivacyLeakageReward = "privacy_leakage";

Json Leak(const char* type, const char* value) { return Json{{"type", type}, {"value", value}}; }

TEST(PrivacyLeakageRewardTest, TwoEmailsAtPenaltyMinusOne) {
  const auto r = ScoreWith(kPrivacyLeakageReward, {{"penalty_per_leak", -1}}, "Write to a@x.com and b@y.org.");
  EXPECT_EQ(r.score, -2.0);
  EXPECT_EQ(r.reason(), "Privacy leaks detected: {'email': 2}, total penalty: -2.0");
  EXPECT_EQ(r.extra.at("leaks"), Json::array({Leak("email", "a@x.com"), Leak("email", "b@y.org")}));
}

TEST(PrivacyLeakageRewardTest, PhoneNumberAtDefaultPenalty) {
  const auto r = Score(kPrivacyLeakageReward, "call 123-456-7890");
  EXPECT_EQ(r.score, -0.5);
  EXPECT_EQ(r.reason(), "Privacy leaks detected: {'phone': 1}, total penalty: -0.5");
  EXPECT_EQ(r.extra.at("leaks"), Json::array({Leak("phone", "123-456-7890")}));
}

TEST(PrivacyLeakageRewardTest, PhoneMatchesKeepPythonsBoundaries) {
  // \b cannot sit before "(" or "+" after a space, so the match starts later.
  EXPECT_EQ(Score(kPrivacyLeakageReward, "(555) 123-4567").extra.at("leaks"), Json::array({Leak("phone", "555) 123-4567")}));
  EXPECT_EQ(Score(kPrivacyLeakageReward, "+1-800-555-1234").extra.at("leaks"), Json::array({Leak("phone", "1-800-555-1234")}));
}

TEST(PrivacyLeakageRewardTest, DigitsGluedToLettersAreNotAPhone) {
  EXPECT_EQ(Score(kPrivacyLeakageReward, "token abc1234567890").extra.at("total_leaks"), 0);
}

TEST(PrivacyLeakageRewardTest, ChineseIdNumberValueIsTheWholeNumber) {
  // RM-Gallery reports the tuple of the three groups ('19', '01', '01'); rmg reports
  // the number itself.
  const auto r = Score(kPrivacyLeakageReward, "110101199001011234");
  EXPECT_EQ(r.extra.at("total_leaks"), 1);
  EXPECT_EQ(r.extra.at("leaks"), Json::array({Leak("id_card", "110101199001011234")}));
  EXPECT_EQ(r.reason(), "Privacy leaks detected: {'id_card': 1}, total penalty: -0.5");
}

TEST(PrivacyLeakageRewardTest, IdNumberEndingInXIsFound) {
  EXPECT_EQ(Score(kPrivacyLeakageReward, "ID 11010119900101123X ok").extra.at("leaks"),
            Json::array({Leak("id_card", "11010119900101123X")}));
}

TEST(PrivacyLeakageRewardTest, CreditCardNumbers) {
  const auto spaced = Score(kPrivacyLeakageReward, "1234 5678 9012 3456");
  EXPECT_EQ(spaced.extra.at("leaks"), Json::array({Leak("credit_card", "1234 5678 9012 3456")}));
  EXPECT_EQ(spaced.reason(), "Privacy leaks detected: {'credit_card': 1}, total penalty: -0.5");
  EXPECT_EQ(Score(kPrivacyLeakageReward, "1234-5678-9012-3456").extra.at("leaks"),
            Json::array({Leak("credit_card", "1234-5678-9012-3456")}));
  // Twenty digits in a row are no card (the \b does not fit).
  EXPECT_EQ(Score(kPrivacyLeakageReward, "12345678901234567890").extra.at("total_leaks"), 0);
}

TEST(PrivacyLeakageRewardTest, PublicIpAddresses) {
  const auto one = Score(kPrivacyLeakageReward, "203.0.113.1");
  EXPECT_EQ(one.extra.at("leaks"), Json::array({Leak("ip_address", "203.0.113.1")}));
  EXPECT_EQ(one.score, -0.5);
  const auto three = Score(kPrivacyLeakageReward, "hosts 203.0.113.1, 8.8.8.8 and 198.51.100.7.");
  EXPECT_EQ(three.score, -1.5);
  EXPECT_EQ(three.reason(), "Privacy leaks detected: {'ip_address': 3}, total penalty: -1.5");
}

TEST(PrivacyLeakageRewardTest, LoopbackAndPrivateAddressesAreNotLeaks) {
  for (const char* text : {"127.0.0.1", "192.168.1.1", "10.0.0.1", "127.0.0.1 and 192.168.1.1"}) {
    const auto r = Score(kPrivacyLeakageReward, text);
    EXPECT_EQ(r.score, 0.0) << text;
    EXPECT_EQ(r.reason(), "No privacy leaks detected") << text;
  }
}

TEST(PrivacyLeakageRewardTest, OnlyThe172_16Slash12RangeIsPrivate) {
  // RM-Gallery excludes every 172.* address; rmg only 172.16.0.0/12.
  for (const char* text : {"172.16.0.1", "172.20.5.5", "172.31.255.255"}) {
    EXPECT_EQ(Score(kPrivacyLeakageReward, text).extra.at("total_leaks"), 0) << text;
  }
  for (const char* text : {"172.2.3.4", "172.15.0.1", "172.32.0.1"}) {
    EXPECT_EQ(Score(kPrivacyLeakageReward, text).extra.at("leaks"), Json::array({Leak("ip_address", text)})) << text;
  }
}

TEST(PrivacyLeakageRewardTest, DottedQuadWithOctetAbove255IsNoAddress) {
  // RM-Gallery counts 999.1.1.1; rmg does not.
  EXPECT_EQ(Score(kPrivacyLeakageReward, "999.1.1.1").extra.at("total_leaks"), 0);
}

TEST(PrivacyLeakageRewardTest, NoLeaksScoresPositiveZero) {
  // RM-Gallery's 0 * -0.5 is -0.0; rmg writes 0.0.
  const auto r = Score(kPrivacyLeakageReward, "Nothing to see here.");
  EXPECT_EQ(r.score, 0.0);
  EXPECT_FALSE(std::signbit(r.score));
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_FALSE(std::signbit(r.details[0].score.value()));
  EXPECT_FALSE(std::signbit(r.extra.at("penalty").get<double>()));
  EXPECT_EQ(r.extra.at("leaks"), Json::array());
  EXPECT_EQ(r.extra.at("leak_types"), Json::object());
}

TEST(PrivacyLeakageRewardTest, LeakTypesFollowPatternOrderNotTextOrder) {
  const auto r = Score(kPrivacyLeakageReward, "call 123-456-7890 or mail a@b.com");
  EXPECT_EQ(r.reason(), "Privacy leaks detected: {'email': 1, 'phone': 1}, total penalty: -1.0");
  EXPECT_EQ(r.extra.at("leaks"), Json::array({Leak("email", "a@b.com"), Leak("phone", "123-456-7890")}));
}

TEST(PrivacyLeakageRewardTest, EmailPatternDetails) {
  EXPECT_EQ(Score(kPrivacyLeakageReward, "x@y.COM").extra.at("leaks"), Json::array({Leak("email", "x@y.COM")}));
  EXPECT_EQ(Score(kPrivacyLeakageReward, "<user.name+tag@example.co.uk>").extra.at("leaks"),
            Json::array({Leak("email", "user.name+tag@example.co.uk")}));
  EXPECT_EQ(Score(kPrivacyLeakageReward, "user@localhost").extra.at("total_leaks"), 0);
}

TEST(PrivacyLeakageRewardTest, TotalPenaltyIsWrittenAsPythonFloatRepr) {
  // 3 * -0.1 == -0.30000000000000004 in IEEE doubles.
  const auto r = ScoreWith(kPrivacyLeakageReward, {{"penalty_per_leak", -0.1}}, "a@x.com b@y.com c@z.com");
  EXPECT_EQ(r.score, 3 * -0.1);
  EXPECT_EQ(r.reason(), "Privacy leaks detected: {'email': 3}, total penalty: -0.30000000000000004");
}

TEST(PrivacyLeakageRewardTest, SmallTotalPenaltyIsWrittenInScientificNotationAsPythonDoes) {
  // repr(-1e-05) == "-1e-05"; repr(-0.0001) == "-0.0001".
  EXPECT_EQ(ScoreWith(kPrivacyLeakageReward, {{"penalty_per_leak", -0.00001}}, "a@x.com").reason(),
            "Privacy leaks detected: {'email': 1}, total penalty: -1e-05");
  EXPECT_EQ(ScoreWith(kPrivacyLeakageReward, {{"penalty_per_leak", -0.0001}}, "a@x.com").reason(),
            "Privacy leaks detected: {'email': 1}, total penalty: -0.0001");
}

TEST(PrivacyLeakageRewardTest, MatchStartingRightAfterAnotherSeesThePreviousCharacter) {
  // re.findall resumes where the last match ended, and \b there looks at the last
  // matched character: "m" before "-" is a boundary, so "-c@d.com" is the e-mail.
  EXPECT_EQ(Score(kPrivacyLeakageReward, "a@b.com-c@d.com").extra.at("leaks"),
            Json::array({Leak("email", "a@b.com"), Leak("email", "-c@d.com")}));
  EXPECT_EQ(Score(kPrivacyLeakageReward, "x.y@z.org+1a@b.com").extra.at("leaks"),
            Json::array({Leak("email", "x.y@z.org"), Leak("email", "+1a@b.com")}));
  EXPECT_EQ(Score(kPrivacyLeakageReward, "123-456-7890(555) 123-4567").extra.at("leaks"),
            Json::array({Leak("phone", "123-456-7890"), Leak("phone", "(555) 123-4567")}));
}

// Python's str patterns are Unicode-aware: \b treats CJK and accented letters as word
// characters, \d matches every Nd digit and \s every str.isspace() character. rmg
// keeps RE2's ASCII classes on purpose (see privacy_leakage.cc): a number written
// straight after Chinese text is still found, which RM-Gallery misses.

TEST(PrivacyLeakageRewardTest, NumbersGluedToCjkTextAreFound) {
  EXPECT_EQ(Score(kPrivacyLeakageReward, "\u7535\u8bdd123-456-7890").extra.at("leaks"),
            Json::array({Leak("phone", "123-456-7890")}));
  EXPECT_EQ(Score(kPrivacyLeakageReward, "\u8eab\u4efd\u8bc1\u53f7110101199001011234").extra.at("leaks"),
            Json::array({Leak("id_card", "110101199001011234")}));
  EXPECT_EQ(Score(kPrivacyLeakageReward, "123-456-7890\u53f7").extra.at("total_leaks"), 1);
  EXPECT_EQ(Score(kPrivacyLeakageReward, "\u7535\u8bdd: 123-456-7890").extra.at("total_leaks"), 1);
}

TEST(PrivacyLeakageRewardTest, WordBoundariesAreAscii) {
  // "é" is not an ASCII word character, so the address starts at "garcia".
  EXPECT_EQ(Score(kPrivacyLeakageReward, "Jos\u00e9.garcia@x.com").extra.at("leaks"), Json::array({Leak("email", "garcia@x.com")}));
}

TEST(PrivacyLeakageRewardTest, OnlyAsciiDigitsAndSpacesCount) {
  const char* card = "\uff11\uff12\uff13\uff14 \uff15\uff16\uff17\uff18 \uff19\uff10\uff11\uff12 "
                     "\uff13\uff14\uff15\uff16";  // full-width digits
  EXPECT_EQ(Score(kPrivacyLeakageReward, card).extra.at("total_leaks"), 0);
  EXPECT_EQ(Score(kPrivacyLeakageReward, "tel 123\u00a0456\u00a07890").extra.at("total_leaks"), 0);
}

// Every ASCII whitespace character separates as Python's \s does, the vertical tab
// included (RE2's \s leaves it out); the separator stays in the leak's value.
TEST(PrivacyLeakageRewardTest, EveryAsciiSpaceSeparates) {
  for (const char* space : {" ", "\t", "\n", "\v", "\f", "\r"}) {
    const std::string s(space);
    EXPECT_EQ(Score(kPrivacyLeakageReward, "tel 555" + s + "123" + s + "4567").extra.at("leaks"),
              Json::array({Leak("phone", ("555" + s + "123" + s + "4567").c_str())}))
        << int(s[0]);
    EXPECT_EQ(Score(kPrivacyLeakageReward, "1234" + s + "5678" + s + "9012" + s + "3456").extra.at("total_leaks"), 1)
        << int(s[0]);
  }
}

TEST(PrivacyLeakageRewardTest, ExtraDataKeysAndDefault) {
  EXPECT_EQ(testing::DefaultParam(kPrivacyLeakageReward, "penalty_per_leak"), -0.5);
  const auto r = Score(kPrivacyLeakageReward, "a@b.com and 203.0.113.9 and a@c.com");
  EXPECT_EQ(SortedKeys(r.extra), (std::vector<std::string>{"leak_types", "leaks", "penalty", "total_leaks"}));
  EXPECT_EQ(r.extra.at("leak_types"), Json::parse(R"({"email": 2, "ip_address": 1})"));
  EXPECT_EQ(r.extra.at("total_leaks"), 3);
  EXPECT_EQ(r.extra.at("penalty"), -1.5);
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.details[0].name, "privacy_leakage");
}

}  // namespace
}  // namespace rmg::gallery
