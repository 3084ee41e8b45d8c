#include "rmg/config.h"

#include <gtest/gtest.h>

#include <string>

namespace rmg {
namespace {

TEST(ConfigTest, YamlScalarsGetTheirTypes) {
  const Json config = ParseYaml(R"(
reward: rouge
workers: 2
timeout_seconds: 1.5
flag: true
quoted: "2"
empty:
list: [a, 1]
)");
  EXPECT_EQ(config["reward"], "rouge");
  EXPECT_EQ(config["workers"], 2);
  EXPECT_DOUBLE_EQ(config["timeout_seconds"].get<double>(), 1.5);
  EXPECT_EQ(config["flag"], true);
  EXPECT_EQ(config["quoted"], "2");
  EXPECT_TRUE(config["empty"].is_null());
  EXPECT_EQ(config["list"], Json::array({"a", 1}));
}

TEST(ConfigTest, FloatsAreYamlCoreSchemaFloats) {
  const Json config = ParseYaml("[.5, -1., 1e3, +2.5E-3, 7, 1e, ., -, 1.2.3, e5, 1e+, 0x10]");
  EXPECT_EQ(config, Json::parse(R"([0.5, -1.0, 1000.0, 0.0025, 7, "1e", ".", "-", "1.2.3", "e5", "1e+", "0x10"])"));
  // Beyond a double's range a float stays its text, so an error can name it.
  EXPECT_EQ(ParseYaml("[1e400, -1e400, 1e-400]"), Json::parse(R"(["1e400", "-1e400", 0.0])"));
  EXPECT_TRUE(config[0].is_number_float());
}

TEST(ConfigTest, IntegersReachTwoTo64AsInJson) {
  const Json config = ParseYaml(
      "[9223372036854775807, 9223372036854775808, 18446744073709551615, "
      "18446744073709551616, -9223372036854775808, -9223372036854775809]");
  EXPECT_EQ(config[1].get<uint64_t>(), 9223372036854775808u);
  EXPECT_TRUE(config[2].is_number_unsigned());
  EXPECT_EQ(config[2].get<uint64_t>(), 18446744073709551615u);
  EXPECT_TRUE(config[3].is_number_float());  // beyond: a double, as JSON readers make it
  EXPECT_EQ(config[4].get<int64_t>(), INT64_MIN);
  EXPECT_TRUE(config[5].is_number_float());
}

TEST(ConfigTest, ALongRunOfDigitsIsReadNotRecursedInto) {
  // std::regex overflowed the stack here.
  const Json config = ParseYaml("n: 0." + std::string(300000, '1') + "\ns: " + std::string(300000, '1') + "x\n");
  EXPECT_TRUE(config["n"].is_number_float());
  EXPECT_EQ(config["s"].get<std::string>().size(), 300001u);
}

// `min_length: 5` and later `min_length: 6` was read as 6 without a word: a key
// repeated in one mapping is an error naming its line (YAML wants keys unique).
TEST(ConfigTest, ARepeatedKeyIsAnErrorNamingItsLine) {
  std::string yaml;
  for (int i = 0; i < 20; ++i) yaml += "k" + std::to_string(i % 12) + ": " + std::to_string(i) + "\n";
  try {
    ParseYaml(yaml, "c.yaml");
    FAIL() << "a repeated key was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "c.yaml:13: the key 'k0' appears twice in one mapping");
  }
  const Json nested = ParseYaml("a: {x: 1}\nb: {x: 2}\n");  // the same key in two mappings is fine
  EXPECT_EQ(nested["b"]["x"], 2);
}

// Nine lines of aliases, each naming the line before nine times, expand to 9^9 values:
// the reader stops once the expansion passes its budget instead of taking gigabytes.
TEST(ConfigTest, AliasesThatExpandBeyondTheBudgetAreRefused) {
  std::string bomb = "a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9]\n";
  for (int level = 1; level <= 8; ++level) {
    const std::string prev = "*a" + std::to_string(level - 1);
    bomb += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int k = 0; k < 9; ++k) bomb += (k == 0 ? "" : ", ") + prev;
    bomb += "]\n";
  }
  try {
    ParseYaml(bomb, "bomb.yaml");
    FAIL() << "expanded";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "bomb.yaml: the YAML is too large once its aliases (*name) are expanded");
  }
  // So are aliases of one long text, repeated past 64 MiB.
  std::string copies = "text: &t " + std::string(1 << 20, 'x') + "\nmore: [";
  for (int k = 0; k < 80; ++k) copies += (k == 0 ? "*t" : ", *t");
  EXPECT_THROW(ParseYaml(copies + "]\n", "copies.yaml"), std::runtime_error);
  // Aliases within the budget are expanded as before.
  const Json small = ParseYaml("base: &b {min_length: 3}\nreward: {params: *b}\n");
  EXPECT_EQ(small["reward"]["params"]["min_length"], 3);
}

// An alias inside the node it names made the conversion recurse until the stack
// overflowed (a segfault of every command that reads a config).
TEST(ConfigTest, AnAliasInsideItsOwnNodeIsAnError) {
  for (const std::string yaml : {"reward: accuracy\nx: &a [*a]\n", "x: &m {self: *m}\n"}) {
    try {
      ParseYaml(yaml, "loop.yaml");
      FAIL() << "converted " << yaml;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("loop.yaml:", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find("nested deeper than 1024 levels"), std::string::npos) << e.what();
    }
  }
}

TEST(ConfigTest, SyntaxErrorNamesOriginAndLine) {
  try {
    ParseYaml("a: 1\nb: [unclosed\n", "cfg.yaml");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cfg.yaml:", 0), 0u) << e.what();
  }
}

TEST(ConfigTest, MissingFileIsNamed) {
  try {
    LoadConfigFile("/nonexistent/rmg.yaml");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/rmg.yaml"), std::string::npos);
  }
  try {
    LoadConfigFile("/tmp");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "/tmp: is a directory, not a config file");
  }
}

TEST(ConfigTest, UnknownKeysAreNamedWithTheKnownOnes) {
  EXPECT_NO_THROW(CheckKnownKeys(ParseYaml("a: 1\nb: 2\n"), {"a", "b", "c"}, "run.yaml"));
  try {
    CheckKnownKeys(ParseYaml("a: 1\nworkres: 2\n"), {"a", "workers"}, "run.yaml", "llm.");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "run.yaml: llm.workres: unknown key (known: a, workers)");
  }
}

}  // namespace
}  // namespace rmg
