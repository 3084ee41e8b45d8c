// Expected values come from CPython 3.11.7's difflib, never from this code:
//
// * kHandCases and kRandomCases were printed by a throwaway script that ran
//   difflib.SequenceMatcher(None, a, b, autojunk=...) on each pair and wrote
//   ratio() as '%.17g' and get_opcodes() as "<first letter of tag>i1,i2,j1,j2"
//   items joined by spaces (the format FormatOpcodes() produces). Random inputs are
//   generated identically on both sides by RandomText() below.
// * testdata/sequence_matcher_rule_workload.txt was written, from /work/main, by
//     python3 -c "import json,difflib; [print('%.17g' % difflib.SequenceMatcher(None, s['output'][0]['answer']['content'].strip(), s['output'][0]['answer']['label']['reference'].strip()).ratio()) for s in map(json.loads, open('/work/shared/data/bench/rule_workload.jsonl').readlines()[:50])]" > src/text/testdata/sequence_matcher_rule_workload.txt
//
// Ratios are compared with ==: both sides compute 2.0 * M / T from the same
// integers, and %.17g round-trips a double, so any difference is a real one.
#include "text/sequence_matcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rmg/deadline.h"
#include "text/unicode.h"

namespace rmg::text {

// Reaches into the matcher to exercise the wrap-around of its row stamps, which
// otherwise takes billions of rows.
class SequenceMatcherTestPeer {
 public:
  static void SetStamp(SequenceMatcher* matcher, uint32_t stamp) { matcher->stamp_ = stamp; }
};

namespace {

struct HandCase {
  const char* name;
  const char* a;  // UTF-8
  const char* b;  // UTF-8
  bool autojunk;
  double ratio;
  const char* opcodes;
};

// Chosen to hit find_longest_match's tie-breaking, the popular-element heuristic
// at and around its thresholds (len(b) = 199/200, count = 1 + len(b)//100), matches
// extended over popular elements, block merging, empty inputs, code points beyond
// Latin-1 and the BMP, and realistic code edits.
const HandCase kHandCases[] = {
    {"both_empty",
     "",
     "",
     true, 1,
     ""},
    {"a_empty",
     "",
     "abc",
     true, 0,
     "i0,0,0,3"},
    {"b_empty",
     "abc",
     "",
     true, 0,
     "d0,3,0,0"},
    {"identical",
     "hello world",
     "hello world",
     true, 1,
     "e0,11,0,11"},
    {"disjoint",
     "abc",
     "xyz",
     true, 0,
     "r0,3,0,3"},
    {"doc_example",
     "private Thread currentThread;",
     "private volatile Thread currentThread;",
     true, 0.86567164179104472,
     "e0,6,0,6 i6,6,6,15 e6,29,15,38"},
    {"tie_first_in_a",
     "abcd",
     "cdab",
     true, 0.5,
     "i0,0,0,2 e0,2,2,4 d2,4,4,4"},
    {"tie_first_in_b",
     "ab",
     "abab",
     true, 0.66666666666666663,
     "e0,2,0,2 i2,2,2,4"},
    {"tie_many",
     "xyxyxy",
     "yxyxyx",
     true, 0.83333333333333337,
     "i0,0,0,1 e0,5,1,6 d5,6,6,6"},
    {"repeated",
     "aaaaaaaaaa",
     "aaaa",
     true, 0.5714285714285714,
     "e0,4,0,4 d4,10,4,4"},
    {"repeated_mixed",
     "aaabaaabaaa",
     "aabaabaab",
     true, 0.80000000000000004,
     "d0,1,0,0 e1,6,0,5 d6,7,5,5 e7,10,5,8 r10,11,8,9"},
    {"adjacent_merge",
     "abxcd",
     "abcd",
     true, 0.88888888888888884,
     "e0,2,0,2 d2,3,2,2 e3,5,2,4"},
    {"qabxcd",
     "qabxcd",
     "abycdf",
     true, 0.66666666666666663,
     "d0,1,0,0 e1,3,0,2 r3,4,2,3 e4,6,3,5 i6,6,5,6"},
    {"non_ascii",
     "héllo wörld ünïcode",
     "hello world unicode ñ",
     true, 0.75,
     "e0,1,0,1 r1,2,1,2 e2,7,2,7 r7,8,7,8 e8,12,8,12 r12,13,12,13 e13,14,13,"
         "14 r14,15,14,15 e15,19,15,19 i19,19,19,21"},
    {"cjk",
     "我喜欢编程和数学",
     "我喜欢数学和编程",
     true, 0.625,
     "e0,3,0,3 i3,3,3,6 e3,5,6,8 d5,8,8,8"},
    {"emoji",
     "a😀b😀c🎉",
     "😀ab🎉c😀",
     true, 0.33333333333333331,
     "i0,0,0,1 e0,1,1,2 i1,1,2,5 e1,2,5,6 d2,6,6,6"},
    {"mixed_planes",
     "ü😀中a",
     "中ü a😀",
     true, 0.44444444444444442,
     "i0,0,0,1 e0,1,1,2 i1,1,2,4 e1,2,4,5 d2,4,5,5"},
    {"code_patch",
     "def find_max(values):\n    \"\"\"Return the largest value, or None for an "
         "empty list.\"\"\"\n    if not values:\n        return None\n    best = value"
         "s[0]\n    for v in values[1:]:\n        if v > best:\n            best = "
         "v\n    return best\n\n\ndef mean(values):\n    total = 0\n    for v in value"
         "s:\n        total += v\n    return total / len(values)\n",
     "def find_max(values):\n    \"\"\"Return the largest value; raises ValueErr"
         "or when empty.\"\"\"\n    if len(values) == 0:\n        raise ValueError(\"e"
         "mpty\")\n    best = values[0]\n    for value in values[1:]:\n        best "
         "= max(best, value)\n    return best\n\n\ndef mean(values):\n    return sum("
         "values) / len(values) if values else 0.0\n",
     true, 0.51376146788990829,
     "e0,53,0,53 r53,55,53,70 e55,58,70,73 r58,59,73,135 e59,60,135,136 r60,"
         "70,136,139 e70,75,139,144 r75,123,144,146 e123,154,146,177 i154,154,17"
         "7,181 e154,178,181,205 d178,185,205,205 e185,189,205,209 r189,203,209,"
         "216 e203,207,216,220 r207,211,220,228 e211,252,228,269 r252,259,269,31"
         "6 e259,261,316,318 r261,333,318,321"},
    {"code_patch_reversed",
     "def find_max(values):\n    \"\"\"Return the largest value; raises ValueErr"
         "or when empty.\"\"\"\n    if len(values) == 0:\n        raise ValueError(\"e"
         "mpty\")\n    best = values[0]\n    for value in values[1:]:\n        best "
         "= max(best, value)\n    return best\n\n\ndef mean(values):\n    return sum("
         "values) / len(values) if values else 0.0\n",
     "def find_max(values):\n    \"\"\"Return the largest value, or None for an "
         "empty list.\"\"\"\n    if not values:\n        return None\n    best = value"
         "s[0]\n    for v in values[1:]:\n        if v > best:\n            best = "
         "v\n    return best\n\n\ndef mean(values):\n    total = 0\n    for v in value"
         "s:\n        total += v\n    return total / len(values)\n",
     true, 0.44648318042813456,
     "e0,53,0,53 r53,76,53,68 e76,83,68,75 i83,83,75,80 e83,95,80,92 r95,146"
         ",92,123 e146,177,123,154 d177,181,154,154 e181,205,154,178 i205,205,17"
         "8,185 e205,209,185,189 i209,209,189,207 e209,212,207,210 i212,212,210,"
         "234 e212,213,234,235 r213,215,235,238 e215,216,238,239 r216,227,239,24"
         "5 e227,228,245,246 r228,254,246,323 e254,263,323,332 r263,321,332,333"},
    {"unified_diff",
     "--- a/src/util.py\n+++ b/src/util.py\n@@ -10,7 +10,7 @@ class Cache:\n   "
         "  def get(self, key):\n-        return self._data.get(key)\n+        ret"
         "urn self._data.get(key, self._default)\n \n     def put(self, key, value"
         "):\n         self._data[key] = value\n",
     "--- a/src/util.py\n+++ b/src/util.py\n@@ -10,7 +10,8 @@ class Cache:\n   "
         "  def get(self, key):\n-        return self._data.get(key)\n+        val"
         "ue = self._data.get(key)\n+        return self._default if value is Non"
         "e else value\n \n     def put(self, key, value):\n         self._data[key"
         "] = value\n",
     true, 0.81343283582089554,
     "e0,49,0,49 r49,50,49,50 e50,137,50,137 i137,137,137,174 e137,151,174,1"
         "88 r151,178,188,222 e178,246,222,290"},
    {"unified_diff_reversed",
     "--- a/src/util.py\n+++ b/src/util.py\n@@ -10,7 +10,8 @@ class Cache:\n   "
         "  def get(self, key):\n-        return self._data.get(key)\n+        val"
         "ue = self._data.get(key)\n+        return self._default if value is Non"
         "e else value\n \n     def put(self, key, value):\n         self._data[key"
         "] = value\n",
     "--- a/src/util.py\n+++ b/src/util.py\n@@ -10,7 +10,7 @@ class Cache:\n   "
         "  def get(self, key):\n-        return self._data.get(key)\n+        ret"
         "urn self._data.get(key, self._default)\n \n     def put(self, key, value"
         "):\n         self._data[key] = value\n",
     true, 0.55597014925373134,
     "e0,49,0,49 r49,50,49,50 e50,137,50,137 i137,137,137,205 e137,142,205,2"
         "10 i142,142,210,237 e142,145,237,240 d145,198,240,240 e198,203,240,245"
         " r203,290,245,246"},
    {"popular_threshold",
     "xxxx yyy012345678901234567890123456789",
     "xxxxyyy---012345678901234567890123456789ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝ"
         "ĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĳĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐőŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţ"
         "ŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƀƁƂƃƄƅƆƇƈƉƊƋƌƍƎƏƐƑƒƓƔƕƖƗƘƙƚƛƜƝƞƟ",
     true, 0.31092436974789917,
     "e0,4,0,4 d4,5,4,4 e5,8,4,7 i8,8,7,10 e8,38,10,40 i38,38,40,200"},
    {"popular_len_199",
     "abababababababababababababababababababababababababababababab",
     "ababababababababababababababababababababababababababababababababababab"
         "abababababababababababababababababababababababababcccccccccccccccccccc"
         "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
     true, 0.46332046332046334,
     "e0,60,0,60 i60,60,60,199"},
    {"popular_len_200",
     "abababababababababababababababababababababababababababababab",
     "ababababababababababababababababababababababababababababababababababab"
         "abababababababababababababababababababababababababcccccccccccccccccccc"
         "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
     true, 0.46153846153846156,
     "e0,60,0,60 i60,60,60,200"},
    {"popular_len_200_nojunk",
     "abababababababababababababababababababababababababababababab",
     "ababababababababababababababababababababababababababababababababababab"
         "abababababababababababababababababababababababababcccccccccccccccccccc"
         "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
     false, 0.46153846153846156,
     "e0,60,0,60 i60,60,60,200"},
    {"popular_extension",
     "     QZ     ",
     "                                                  QZ                  "
         "                                                                      "
         "                                                              ",
     true, 0.11214953271028037,
     "i0,0,0,45 e0,12,45,57 i12,12,57,202"},
    {"all_popular",
     "aaaaaaaaaa",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaa",
     true, 0.064516129032258063,
     "e0,10,0,10 i10,10,10,300"},
    {"all_popular_nojunk",
     "aaaaaaaaaa",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaa",
     false, 0.064516129032258063,
     "e0,10,0,10 i10,10,10,300"},
    {"code_patch_nojunk",
     "def find_max(values):\n    \"\"\"Return the largest value, or None for an "
         "empty list.\"\"\"\n    if not values:\n        return None\n    best = value"
         "s[0]\n    for v in values[1:]:\n        if v > best:\n            best = "
         "v\n    return best\n\n\ndef mean(values):\n    total = 0\n    for v in value"
         "s:\n        total += v\n    return total / len(values)\n",
     "def find_max(values):\n    \"\"\"Return the largest value; raises ValueErr"
         "or when empty.\"\"\"\n    if len(values) == 0:\n        raise ValueError(\"e"
         "mpty\")\n    best = values[0]\n    for value in values[1:]:\n        best "
         "= max(best, value)\n    return best\n\n\ndef mean(values):\n    return sum("
         "values) / len(values) if values else 0.0\n",
     false, 0.68807339449541283,
     "e0,53,0,53 r53,54,53,54 e54,55,54,55 i55,55,55,70 e55,58,70,73 r58,61,"
         "73,75 e61,62,75,76 d62,68,76,76 e68,75,76,83 d75,80,83,83 e80,92,83,95"
         " i92,92,95,97 e92,93,97,98 r93,96,98,99 e96,102,99,105 i102,102,105,11"
         "1 e102,113,111,122 i113,113,122,125 e113,114,125,126 i114,114,126,142 "
         "e114,115,142,143 r115,123,143,146 e123,154,146,177 i154,154,177,181 e1"
         "54,178,181,205 d178,203,205,205 e203,210,205,212 i210,210,212,222 e210"
         ",211,222,223 i211,211,223,228 e211,252,228,269 d252,306,269,269 e306,3"
         "13,269,276 r313,316,276,281 e316,318,281,283 i318,318,283,287 e318,332"
         ",287,301 i332,332,301,320 e332,333,320,321"},
};

struct RandomCase {
  uint64_t seed;
  const char* alphabet;  // UTF-8
  size_t a_length;
  size_t b_length;
  bool autojunk;
  double ratio;
  const char* opcodes;
};

const RandomCase kRandomCases[] = {
    {1, "ab", 40, 30, true, 0.7142857142857143,
     "d0,3,0,0 e3,5,0,2 r5,6,2,3 e6,15,3,12 r15,17,12,14 e17,22,14,19 d22,23"
         ",19,19 e23,24,19,20 d24,29,20,20 e29,32,20,23 i32,32,23,24 e32,33,24,2"
         "5 r33,35,25,26 e35,39,26,30 d39,40,30,30"},
    {1, "ab", 40, 30, false, 0.7142857142857143,
     "d0,3,0,0 e3,5,0,2 r5,6,2,3 e6,15,3,12 r15,17,12,14 e17,22,14,19 d22,23"
         ",19,19 e23,24,19,20 d24,29,20,20 e29,32,20,23 i32,32,23,24 e32,33,24,2"
         "5 r33,35,25,26 e35,39,26,30 d39,40,30,30"},
    {2, "ab", 250, 260, true, 0,
     "r0,250,0,260"},
    {2, "ab", 250, 260, false, 0.46666666666666667,
     "i0,0,0,13 e0,9,13,22 d9,10,22,22 e10,11,22,23 d11,12,23,23 e12,19,23,3"
         "0 i19,19,30,66 e19,24,66,71 i24,24,71,72 e24,36,72,84 i36,36,84,86 e36"
         ",37,86,87 i37,37,87,160 e37,50,160,173 d50,56,173,173 e56,58,173,175 d"
         "58,77,175,175 e77,87,175,185 i87,87,185,186 e87,88,186,187 i88,88,187,"
         "189 e88,91,189,192 d91,93,192,192 e93,94,192,193 d94,95,193,193 e95,10"
         "3,193,201 d103,111,201,201 e111,116,201,206 d116,121,206,206 e121,123,"
         "206,208 d123,135,208,208 e135,153,208,226 i153,153,226,228 e153,158,22"
         "8,233 d158,160,233,233 e160,161,233,234 d161,213,234,234 e213,218,234,"
         "239 d218,240,239,239 e240,249,239,248 i249,249,248,250 e249,250,250,25"
         "1 i250,250,251,260"},
    {3, "acgt", 120, 300, true, 0,
     "r0,120,0,300"},
    {3, "acgt", 120, 300, false, 0.24761904761904763,
     "r0,6,0,1 e6,11,1,6 i11,11,6,14 e11,13,14,16 i13,13,16,78 e13,21,78,86 "
         "i21,21,86,92 e21,22,92,93 i22,22,93,97 e22,23,97,98 i23,23,98,113 e23,"
         "27,113,117 i27,27,117,118 e27,29,118,120 d29,33,120,120 e33,34,120,121"
         " d34,85,121,121 e85,88,121,124 d88,93,124,124 e93,94,124,125 d94,95,12"
         "5,125 e95,102,125,132 r102,103,132,134 e103,105,134,136 i105,105,136,1"
         "41 e105,109,141,145 i109,109,145,166 e109,111,166,168 i111,111,168,171"
         " e111,114,171,174 i114,114,174,216 e114,118,216,220 i118,118,220,222 e"
         "118,120,222,224 i120,120,224,300"},
    {4, "acgt", 500, 450, true, 0,
     "r0,500,0,450"},
    {4, "acgt", 500, 450, false, 0.26526315789473687,
     "i0,0,0,16 e0,5,16,21 i5,5,21,35 e5,8,35,38 i8,8,38,83 e8,13,83,88 i13,"
         "13,88,89 e13,14,89,90 i14,14,90,123 e14,18,123,127 i18,18,127,129 e18,"
         "20,129,131 r20,21,131,136 e21,23,136,138 i23,23,138,156 e23,29,156,162"
         " i29,29,162,194 e29,34,194,199 r34,44,199,201 e44,47,201,204 d47,50,20"
         "4,204 e50,51,204,205 d51,75,205,205 e75,79,205,209 i79,79,209,211 e79,"
         "80,211,212 r80,85,212,213 e85,87,213,215 r87,92,215,216 e92,95,216,219"
         " d95,116,219,219 e116,125,219,228 d125,126,228,228 e126,127,228,229 d1"
         "27,131,229,229 e131,132,229,230 d132,159,230,230 e159,163,230,234 d163"
         ",231,234,234 e231,239,234,242 i239,239,242,280 e239,242,280,283 i242,2"
         "42,283,285 e242,244,285,287 i244,244,287,288 e244,245,288,289 i245,245"
         ",289,295 e245,251,295,301 i251,251,301,304 e251,252,304,305 i252,252,3"
         "05,307 e252,257,307,312 d257,262,312,312 e262,263,312,313 d263,421,313"
         ",313 e421,430,313,322 d430,434,322,322 e434,436,322,324 d436,438,324,3"
         "24 e438,439,324,325 d439,457,325,325 e457,461,325,329 i461,461,329,331"
         " e461,467,331,337 i467,467,337,432 e467,472,432,437 d472,477,437,437 e"
         "477,478,437,438 i478,478,438,439 e478,481,439,442 r481,482,442,444 e48"
         "2,484,444,446 d484,485,446,446 e485,489,446,450 d489,500,450,450"},
    {5, "abcdefghijklmnopqrstuvwxyz", 300, 200, true, 0.012,
     "r0,48,0,38 e48,49,38,39 r49,127,39,72 e127,128,72,73 r128,153,73,151 e"
         "153,154,151,152 r154,300,152,200"},
    {5, "abcdefghijklmnopqrstuvwxyz", 300, 200, false, 0.17999999999999999,
     "i0,0,0,12 e0,1,12,13 i1,1,13,25 e1,2,25,26 r2,5,26,30 e5,6,30,31 r6,7,"
         "31,36 e7,8,36,37 r8,14,37,43 e14,17,43,46 i17,17,46,54 e17,18,54,55 i1"
         "8,18,55,65 e18,19,65,66 r19,21,66,68 e21,22,68,69 d22,41,69,69 e41,44,"
         "69,72 r44,45,72,90 e45,46,90,91 i46,46,91,95 e46,48,95,97 d48,63,97,97"
         " e63,66,97,100 i66,66,100,103 e66,68,103,105 r68,80,105,106 e80,81,106"
         ",107 d81,134,107,107 e134,137,107,110 r137,140,110,123 e140,142,123,12"
         "5 i142,142,125,127 e142,143,127,128 r143,148,128,135 e148,150,135,137 "
         "r150,152,137,159 e152,153,159,160 r153,154,160,166 e154,155,166,167 r1"
         "55,156,167,168 e156,158,168,170 r158,163,170,182 e163,164,182,183 r164"
         ",165,183,184 e165,166,184,185 d166,200,185,185 e200,203,185,188 r203,2"
         "05,188,192 e205,206,192,193 r206,212,193,194 e212,213,194,195 d213,214"
         ",195,195 e214,215,195,196 d215,225,196,196 e225,227,196,198 r227,228,1"
         "98,199 e228,229,199,200 d229,300,200,200"},
    {6, "abcdefghijklmnopqrstuvwxyz", 199, 600, true, 0,
     "r0,199,0,600"},
    {6, "abcdefghijklmnopqrstuvwxyz", 199, 600, false, 0.10012515644555695,
     "i0,0,0,114 e0,3,114,117 i3,3,117,124 e3,4,124,125 r4,5,125,127 e5,6,12"
         "7,128 i6,6,128,131 e6,8,131,133 i8,8,133,155 e8,9,155,156 i9,9,156,187"
         " e9,10,187,188 i10,10,188,240 e10,11,240,241 i11,11,241,244 e11,12,244"
         ",245 i12,12,245,260 e12,13,260,261 i13,13,261,269 e13,14,269,270 i14,1"
         "4,270,275 e14,15,275,276 r15,16,276,293 e16,19,293,296 i19,19,296,341 "
         "e19,20,341,342 i20,20,342,358 e20,21,358,359 i21,21,359,368 e21,23,368"
         ",370 i23,23,370,381 e23,24,381,382 i24,24,382,399 e24,25,399,400 i25,2"
         "5,400,555 e25,27,555,557 i27,27,557,573 e27,29,573,575 r29,31,575,577 "
         "e31,32,577,578 d32,35,578,578 e35,36,578,579 i36,36,579,581 e36,37,581"
         ",582 d37,54,582,582 e54,55,582,583 d55,70,583,583 e70,71,583,584 d71,1"
         "40,584,584 e140,142,584,586 i142,142,586,588 e142,143,588,589 r143,144"
         ",589,591 e144,145,591,592 i145,145,592,594 e145,146,594,595 d146,151,5"
         "95,595 e151,153,595,597 i153,153,597,599 e153,154,599,600 d154,199,600"
         ",600"},
    {7, "eeeeetttaaoinshrdlu     \n,.", 800, 700, true, 0,
     "r0,800,0,700"},
    {7, "eeeeetttaaoinshrdlu     \n,.", 800, 700, false, 0.06933333333333333,
     "i0,0,0,20 e0,1,20,21 i1,1,21,78 e1,3,78,80 i3,3,80,115 e3,6,115,118 i6"
         ",6,118,138 e6,7,138,139 i7,7,139,176 e7,8,176,177 i8,8,177,302 e8,11,3"
         "02,305 d11,44,305,305 e44,45,305,306 d45,74,306,306 e74,79,306,311 d79"
         ",116,311,311 e116,117,311,312 d117,388,312,312 e388,391,312,315 r391,4"
         "34,315,317 e434,436,317,319 d436,490,319,319 e490,492,319,321 d492,522"
         ",321,321 e522,523,321,322 d523,528,322,322 e528,533,322,327 i533,533,3"
         "27,536 e533,536,536,539 i536,536,539,639 e536,538,639,641 r538,539,641"
         ",642 e539,541,642,644 i541,541,644,670 e541,542,670,671 r542,544,671,6"
         "75 e544,549,675,680 r549,550,680,692 e550,552,692,694 d552,566,694,694"
         " e566,567,694,695 d567,611,695,695 e611,614,695,698 d614,618,698,698 e"
         "618,620,698,700 d620,800,700,700"},
    {8, "eeeeetttaaoinshrdlu     \n,.", 1000, 1500, true, 0,
     "r0,1000,0,1500"},
    {8, "eeeeetttaaoinshrdlu     \n,.", 1000, 1500, false, 0.12479999999999999,
     "d0,2,0,0 e2,3,0,1 d3,5,1,1 e5,7,1,3 r7,12,3,8 e12,13,8,9 i13,13,9,10 e"
         "13,14,10,11 r14,28,11,13 e28,31,13,16 i31,31,16,17 e31,32,17,18 r32,34"
         ",18,26 e34,36,26,28 d36,43,28,28 e43,44,28,29 r44,73,29,32 e73,75,32,3"
         "4 d75,88,34,34 e88,90,34,36 d90,91,36,36 e91,95,36,40 i95,95,40,43 e95"
         ",96,43,44 i96,96,44,62 e96,98,62,64 r98,103,64,65 e103,105,65,67 r105,"
         "106,67,70 e106,108,70,72 r108,109,72,81 e109,110,81,82 i110,110,82,103"
         " e110,113,103,106 r113,114,106,112 e114,116,112,114 r116,119,114,115 e"
         "119,121,115,117 r121,127,117,122 e127,130,122,125 r130,133,125,128 e13"
         "3,135,128,130 r135,137,130,133 e137,138,133,134 r138,141,134,135 e141,"
         "143,135,137 i143,143,137,146 e143,144,146,147 r144,145,147,148 e145,15"
         "0,148,153 d150,155,153,153 e155,156,153,154 r156,157,154,155 e157,158,"
         "155,156 d158,159,156,156 e159,160,156,157 d160,162,157,157 e162,164,15"
         "7,159 d164,173,159,159 e173,174,159,160 d174,400,160,160 e400,405,160,"
         "165 d405,407,165,165 e407,408,165,166 d408,424,166,166 e424,425,166,16"
         "7 d425,427,167,167 e427,429,167,169 d429,529,169,169 e529,533,169,173 "
         "i533,533,173,177 e533,535,177,179 i535,535,179,180 e535,537,180,182 r5"
         "37,546,182,184 e546,547,184,185 d547,583,185,185 e583,584,185,186 d584"
         ",594,186,186 e594,596,186,188 d596,633,188,188 e633,634,188,189 d634,7"
         "16,189,189 e716,721,189,194 i721,721,194,211 e721,722,211,212 r722,725"
         ",212,215 e725,727,215,217 r727,728,217,227 e728,730,227,229 d730,735,2"
         "29,229 e735,736,229,230 r736,750,230,232 e750,752,232,234 i752,752,234"
         ",236 e752,753,236,237 d753,776,237,237 e776,780,237,241 r780,781,241,2"
         "50 e781,782,250,251 r782,784,251,252 e784,786,252,254 i786,786,254,274"
         " e786,787,274,275 i787,787,275,303 e787,792,303,308 i792,792,308,340 e"
         "792,793,340,341 i793,793,341,354 e793,794,354,355 i794,794,355,359 e79"
         "4,795,359,360 r795,797,360,362 e797,800,362,365 i800,800,365,372 e800,"
         "801,372,373 i801,801,373,466 e801,807,466,472 i807,807,472,480 e807,80"
         "8,480,481 r808,809,481,491 e809,811,491,493 i811,811,493,494 e811,812,"
         "494,495 i812,812,495,497 e812,813,497,498 r813,814,498,502 e814,816,50"
         "2,504 r816,817,504,531 e817,822,531,536 i822,822,536,540 e822,823,540,"
         "541 i823,823,541,1410 e823,828,1410,1415 i828,828,1415,1416 e828,829,1"
         "416,1417 i829,829,1417,1425 e829,830,1425,1426 i830,830,1426,1438 e830"
         ",833,1438,1441 i833,833,1441,1446 e833,834,1446,1447 i834,834,1447,146"
         "2 e834,836,1462,1464 r836,838,1464,1468 e838,840,1468,1470 i840,840,14"
         "70,1484 e840,841,1484,1485 r841,842,1485,1487 e842,843,1487,1488 r843,"
         "847,1488,1489 e847,848,1489,1490 r848,851,1490,1491 e851,855,1491,1495"
         " d855,867,1495,1495 e867,868,1495,1496 r868,882,1496,1497 e882,883,149"
         "7,1498 d883,893,1498,1498 e893,895,1498,1500 d895,1000,1500,1500"},
    {9, "aé中😀 ", 300, 350, true, 0,
     "r0,300,0,350"},
    {9, "aé中😀 ", 300, 350, false, 0.24923076923076923,
     "i0,0,0,75 e0,6,75,81 i6,6,81,216 e6,11,216,221 d11,16,221,221 e16,18,2"
         "21,223 i18,18,223,228 e18,20,228,230 i20,20,230,231 e20,21,231,232 i21"
         ",21,232,235 e21,22,235,236 i22,22,236,242 e22,23,242,243 i23,23,243,24"
         "8 e23,27,248,252 r27,33,252,255 e33,34,255,256 r34,38,256,257 e38,41,2"
         "57,260 r41,42,260,262 e42,44,262,264 d44,47,264,264 e47,48,264,265 d48"
         ",61,265,265 e61,64,265,268 d64,65,268,268 e65,72,268,275 r72,73,275,27"
         "6 e73,77,276,280 d77,94,280,280 e94,97,280,283 r97,100,283,285 e100,10"
         "2,285,287 d102,111,287,287 e111,114,287,290 d114,215,290,290 e215,221,"
         "290,296 i221,221,296,301 e221,222,301,302 d222,223,302,302 e223,225,30"
         "2,304 d225,231,304,304 e231,232,304,305 d232,260,305,305 e260,265,305,"
         "310 r265,267,310,311 e267,270,311,314 i270,270,314,317 e270,271,317,31"
         "8 d271,274,318,318 e274,275,318,319 d275,278,319,319 e278,279,319,320 "
         "d279,290,320,320 e290,295,320,325 r295,296,325,330 e296,298,330,332 i2"
         "98,298,332,335 e298,299,335,336 i299,299,336,337 e299,300,337,338 i300"
         ",300,338,350"},
    {10, "aé中😀 ", 50, 900, true, 0,
     "r0,50,0,900"},
    {10, "aé中😀 ", 50, 900, false, 0.1031578947368421,
     "i0,0,0,187 e0,3,187,190 i3,3,190,195 e3,4,195,196 i4,4,196,215 e4,8,21"
         "5,219 i8,8,219,220 e8,10,220,222 i10,10,222,282 e10,14,282,286 i14,14,"
         "286,290 e14,15,290,291 r15,16,291,292 e16,21,292,297 i21,21,297,493 e2"
         "1,26,493,498 i26,26,498,514 e26,33,514,521 i33,33,521,524 e33,34,524,5"
         "25 i34,34,525,526 e34,35,526,527 i35,35,527,533 e35,39,533,537 i39,39,"
         "537,546 e39,40,546,547 i40,40,547,697 e40,45,697,702 i45,45,702,705 e4"
         "5,46,705,706 i46,46,706,802 e46,49,802,805 i49,49,805,808 e49,50,808,8"
         "09 i50,50,809,900"},
    {11, "acgt", 0, 250, true, 0,
     "i0,0,0,250"},
    {11, "acgt", 0, 250, false, 0,
     "i0,0,0,250"},
    {12, "eeeeetttaaoinshrdlu     \n,.", 400, 0, true, 0,
     "d0,400,0,0"},
    {12, "eeeeetttaaoinshrdlu     \n,.", 400, 0, false, 0,
     "d0,400,0,0"},
};

std::u32string Decode(std::string_view utf8) {
  std::u32string out;
  DecodeUtf8To(utf8, &out);
  return out;
}

// `length` code points drawn from `alphabet` by a 64-bit LCG, the same as the
// Python generator of kRandomCases: x = x * 6364136223846793005 +
// 1442695040888963407 (mod 2^64), element alphabet[(x >> 33) % len(alphabet)].
std::u32string RandomText(uint64_t seed, size_t length, std::u32string_view alphabet) {
  std::u32string out;
  uint64_t x = seed;
  for (size_t n = 0; n < length; ++n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    out.push_back(alphabet[(x >> 33) % alphabet.size()]);
  }
  return out;
}

std::string FormatOpcodes(const std::vector<Opcode>& opcodes) {
  std::string out;
  for (const Opcode& op : opcodes) {
    if (!out.empty()) out += ' ';
    out += OpcodeTagName(op.tag)[0];
    out += std::to_string(op.i1) + ',' + std::to_string(op.i2) + ',' + std::to_string(op.j1) + ',' +
           std::to_string(op.j2);
  }
  return out;
}

// Invariants of get_matching_blocks() that hold for any input.
void ExpectWellFormedBlocks(const std::vector<MatchingBlock>& blocks, std::u32string_view a,
                            std::u32string_view b) {
  ASSERT_FALSE(blocks.empty());
  EXPECT_EQ(blocks.back(), (MatchingBlock{a.size(), b.size(), 0}));
  for (size_t k = 0; k + 1 < blocks.size(); ++k) {
    const MatchingBlock& m = blocks[k];
    EXPECT_GT(m.size, 0u);
    EXPECT_EQ(a.substr(m.a, m.size), b.substr(m.b, m.size));
    const MatchingBlock& next = blocks[k + 1];
    EXPECT_LE(m.a + m.size, next.a);
    EXPECT_LE(m.b + m.size, next.b);
    // Adjacent blocks are merged.
    EXPECT_FALSE(m.a + m.size == next.a && m.b + m.size == next.b && next.size > 0);
  }
}

TEST(SequenceMatcherTest, OpcodeTagNamesArePythons) {
  EXPECT_EQ(OpcodeTagName(Opcode::Tag::kReplace), "replace");
  EXPECT_EQ(OpcodeTagName(Opcode::Tag::kDelete), "delete");
  EXPECT_EQ(OpcodeTagName(Opcode::Tag::kInsert), "insert");
  EXPECT_EQ(OpcodeTagName(Opcode::Tag::kEqual), "equal");
}

TEST(SequenceMatcherTest, HandCasesMatchCPython) {
  for (const HandCase& c : kHandCases) {
    SCOPED_TRACE(c.name);
    const std::u32string a = Decode(c.a);
    const std::u32string b = Decode(c.b);
    SequenceMatcher matcher(a, b, c.autojunk);
    EXPECT_EQ(matcher.Ratio(Deadline::Never()), c.ratio);
    EXPECT_EQ(FormatOpcodes(matcher.Opcodes(Deadline::Never())), c.opcodes);
    ExpectWellFormedBlocks(matcher.MatchingBlocks(Deadline::Never()), a, b);
    if (c.autojunk) {
      EXPECT_EQ(SequenceRatio(c.a, c.b, Deadline::Never()), c.ratio);
    }
  }
}

TEST(SequenceMatcherTest, RandomCasesMatchCPython) {
  for (const RandomCase& c : kRandomCases) {
    SCOPED_TRACE(::testing::Message() << "seed " << c.seed << " autojunk " << c.autojunk);
    const std::u32string alphabet = Decode(c.alphabet);
    const std::u32string a = RandomText(c.seed * 2 + 1, c.a_length, alphabet);
    const std::u32string b = RandomText(c.seed * 2 + 2, c.b_length, alphabet);
    SequenceMatcher matcher(a, b, c.autojunk);
    EXPECT_EQ(matcher.Ratio(Deadline::Never()), c.ratio);
    EXPECT_EQ(FormatOpcodes(matcher.Opcodes(Deadline::Never())), c.opcodes);
    ExpectWellFormedBlocks(matcher.MatchingBlocks(Deadline::Never()), a, b);
  }
}

// One matcher reused over every pair, in both orders of the pairs, must not
// carry anything over, including across a wrap-around of its row stamps.
TEST(SequenceMatcherTest, ReusedMatcherMatchesCPython) {
  SequenceMatcher matcher;
  for (uint32_t start_stamp : {uint32_t{0}, UINT32_MAX - 3000, UINT32_MAX - 2}) {
    SCOPED_TRACE(::testing::Message() << "stamp " << start_stamp);
    SequenceMatcherTestPeer::SetStamp(&matcher, start_stamp);
    for (const RandomCase& c : kRandomCases) {
      SCOPED_TRACE(::testing::Message() << "seed " << c.seed << " autojunk " << c.autojunk);
      const std::u32string alphabet = Decode(c.alphabet);
      const std::u32string a = RandomText(c.seed * 2 + 1, c.a_length, alphabet);
      const std::u32string b = RandomText(c.seed * 2 + 2, c.b_length, alphabet);
      matcher.SetSequences(a, b, c.autojunk);
      EXPECT_EQ(FormatOpcodes(matcher.Opcodes(Deadline::Never())), c.opcodes);
      EXPECT_EQ(matcher.Ratio(Deadline::Never()), c.ratio);
    }
    for (size_t k = std::size(kHandCases); k-- > 0;) {
      const HandCase& c = kHandCases[k];
      SCOPED_TRACE(c.name);
      const std::u32string a = Decode(c.a);
      const std::u32string b = Decode(c.b);
      matcher.SetSequences(a, b, c.autojunk);
      EXPECT_EQ(matcher.Ratio(Deadline::Never()), c.ratio);
      EXPECT_EQ(FormatOpcodes(matcher.Opcodes(Deadline::Never())), c.opcodes);
    }
  }
}

TEST(SequenceMatcherTest, FindLongestMatchMatchesCPython) {
  // The example of difflib's documentation (without its isjunk).
  const std::u32string a = U" abcd";
  const std::u32string b = U"abcd abcd";
  SequenceMatcher matcher(a, b);
  EXPECT_EQ(matcher.FindLongestMatch(0, 5, 0, 9, Deadline::Never()), (MatchingBlock{0, 4, 5}));

  // ' ' is popular in b: the match is seeded by "QZ" and grown over the spaces,
  // but only within the given ranges; with no seed at all, difflib still grows an
  // empty match at (alo, blo).
  const std::u32string pa = U"     QZ     ";
  const std::u32string pb = std::u32string(50, U' ') + U"QZ" + std::u32string(150, U' ');
  SequenceMatcher popular(pa, pb);
  EXPECT_EQ(popular.FindLongestMatch(0, 12, 0, 202, Deadline::Never()), (MatchingBlock{0, 45, 12}));
  EXPECT_EQ(popular.FindLongestMatch(0, 6, 0, 50, Deadline::Never()), (MatchingBlock{0, 0, 5}));
  EXPECT_EQ(popular.FindLongestMatch(3, 12, 60, 202, Deadline::Never()), (MatchingBlock{3, 60, 2}));
  EXPECT_THROW(popular.FindLongestMatch(5, 4, 0, 10, Deadline::Never()), std::out_of_range);
  EXPECT_THROW(popular.FindLongestMatch(0, 13, 0, 10, Deadline::Never()), std::out_of_range);
  EXPECT_THROW(popular.FindLongestMatch(0, 12, 0, 203, Deadline::Never()), std::out_of_range);
}

TEST(SequenceMatcherTest, DecodesUtf8AsCodePoints) {
  // Offsets count code points, as Python's do: "é" and "😀" are one element each.
  const std::u32string a = Decode("é😀x");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[1], U'\U0001F600');
  // Invalid bytes become U+FFFD, one per byte.
  EXPECT_EQ(Decode("a\xff\xfe"), (std::u32string{U'a', kReplacementChar, kReplacementChar}));
}

std::filesystem::path SourceDir() {
#ifdef RMG_SOURCE_DIR
  return RMG_SOURCE_DIR;
#else
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
#endif
}

TEST(SequenceMatcherTest, RuleWorkloadMatchesCPython) {
  std::ifstream expected_file(SourceDir() / "src/text/testdata/sequence_matcher_rule_workload.txt");
  ASSERT_TRUE(expected_file) << "missing testdata";
  std::vector<double> expected;
  for (std::string line; std::getline(expected_file, line);) expected.push_back(std::stod(line));
  ASSERT_EQ(expected.size(), 50u);

  std::ifstream samples(std::string(RMG_SHARED_DATA_DIR) + "/bench/rule_workload.jsonl");
  ASSERT_TRUE(samples) << "missing " << RMG_SHARED_DATA_DIR << "/bench/rule_workload.jsonl";
  size_t n = 0;
  for (std::string line; n < expected.size() && std::getline(samples, line); ++n) {
    const nlohmann::json sample = nlohmann::json::parse(line);
    const nlohmann::json& answer = sample.at("output").at(0).at("answer");
    const std::string content = answer.at("content").get<std::string>();
    const std::string reference = answer.at("label").at("reference").get<std::string>();
    SCOPED_TRACE(sample.at("unique_id").get<std::string>());
    EXPECT_EQ(SequenceRatio(StripPythonSpace(content), StripPythonSpace(reference), Deadline::Never()),
              expected[n]);
  }
  EXPECT_EQ(n, expected.size());
}

TEST(SequenceMatcherTest, ExpiredDeadlineThrows) {
  const std::u32string a = RandomText(1, 1'000'000, U"abcdefgh");
  const std::u32string b = RandomText(2, 1'000'000, U"abcdefgh");
  SequenceMatcher matcher(a, b);
  const Deadline expired(Deadline::Clock::now() - std::chrono::seconds(1));
  EXPECT_THROW(matcher.Ratio(expired), DeadlineExceeded);
  EXPECT_THROW(matcher.Opcodes(expired), DeadlineExceeded);
  EXPECT_THROW(SequenceRatio("abc", "abd", expired), DeadlineExceeded);
}

TEST(SequenceMatcherTest, DeadlineStopsLongComparisonQuickly) {
  // Without autojunk every row of this pair scans ~10^4 positions: minutes of work.
  const std::u32string a = RandomText(3, 40'000, U"ab");
  const std::u32string b = RandomText(4, 20'000, U"ab");
  SequenceMatcher matcher(a, b, /*autojunk=*/false);
  // Without the deadline this would run for minutes (and hit ctest's timeout).
  EXPECT_THROW(matcher.Ratio(Deadline::After(0.02)), DeadlineExceeded);

  // Nothing half-done is cached: the matcher still answers correctly afterwards.
  const RandomCase& c = kRandomCases[0];
  const std::u32string alphabet = Decode(c.alphabet);
  const std::u32string ra = RandomText(c.seed * 2 + 1, c.a_length, alphabet);
  const std::u32string rb = RandomText(c.seed * 2 + 2, c.b_length, alphabet);
  matcher.SetSequences(ra, rb, c.autojunk);
  EXPECT_THROW(matcher.Ratio(Deadline::After(-1)), DeadlineExceeded);
  EXPECT_EQ(matcher.Ratio(Deadline::Never()), c.ratio);
}

// SequenceRatio keeps its buffers per thread and frees them after an input over 1 MiB;
// a ratio computed after that must be the same as before.
TEST(SequenceRatioTest, SameRatioAroundALargeInput) {
  const double before = SequenceRatio("kitten sitting", "sitting kitten", Deadline::Never());
  const std::string large(1100 * 1024, '7');
  EXPECT_EQ(SequenceRatio(large, "abc", Deadline::Never()), 0.0);  // nothing in common
  EXPECT_EQ(SequenceRatio("kitten sitting", "sitting kitten", Deadline::Never()), before);
}

}  // namespace
}  // namespace rmg::text
