#include "cli/scoring_flags.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "core/testing/temp_dir.h"
#include "rmg/registry.h"
#include "rmg/sample_io.h"

namespace rmg::cli {
namespace {

// Parses `args` (without the program name) as a command with the scoring flags.
ScoringFlags ScoringFlagsParse(const std::vector<std::string>& args) {
  CLI::App app("scoring flags test");
  ScoringFlags flags;
  AddScoringFlags(app, flags);
  std::vector<const char*> argv = {"rmg"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return flags;
}

// The score `reward` gives the one-character answer "x".
double ScoringFlagsScoreOfX(const RewardModel& reward) {
  const DataSample sample = ParseDataSample(R"({"unique_id":"s","output":[{"answer":{"content":"x"}}]})");
  const DataSample scored = reward.Evaluate(sample);
  return scored.output.at(0).answer.reward.value().score;
}

// The message of what EvalOptionsFromFlags throws, or "" when it does not.
std::string ScoringFlagsOptionsError(const ScoringFlags& flags, const Json& config) {
  try {
    EvalOptionsFromFlags(flags, config);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

// The message of the RegistryError BuildRewardFromFlags throws, or "no error".
std::string ScoringFlagsRewardError(const ScoringFlags& flags, const Json& config) {
  try {
    BuildRewardFromFlags(flags, config);
  } catch (const RegistryError& e) {
    return e.what();
  }
  return "no error";
}

class ScoringFlagsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    // LoadCommandConfig sets the LLM rewards' defaults process-wide; other tests
    // in this binary must not inherit them.
    RewardRegistry::Global().SetKindParams("llm", Json::object(), Json::object());
  }

  std::string Put(const std::string& name, const std::string& content) const { return dir_.Write(name, content); }
  std::string At(const std::string& name) const { return dir_.Path(name); }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  TempTestDir dir_;
};

TEST_F(ScoringFlagsTest, LongAndShortFlagsFillTheStruct) {
  const ScoringFlags flags = ScoringFlagsParse({"-r", "length_penalty", "-p", "b=2", "--param", "a=1", "-c", "x.yaml",
                                                "--no-cache", "-w", "3", "--timeout", "2.5", "--error-score", "-1"});
  EXPECT_EQ(flags.reward, "length_penalty");
  EXPECT_EQ(flags.params, (std::vector<std::string>{"b=2", "a=1"}));
  EXPECT_EQ(flags.config, "x.yaml");
  EXPECT_TRUE(flags.no_cache);
  EXPECT_EQ(flags.workers, 3);
  EXPECT_EQ(flags.timeout_seconds, 2.5);
  EXPECT_EQ(flags.error_score, -1.0);

  const ScoringFlags unset = ScoringFlagsParse({});
  EXPECT_FALSE(unset.no_cache);
  EXPECT_FALSE(unset.workers.has_value());
  EXPECT_FALSE(unset.timeout_seconds.has_value());
  EXPECT_FALSE(unset.error_score.has_value());
  EXPECT_THROW(ScoringFlagsParse({"--workers", "two"}), CLI::ParseError);
}

TEST_F(ScoringFlagsTest, DefaultsAreOneWorkerPerCoreSixtySecondsAndZero) {
  const EvalOptions options = EvalOptionsFromFlags(ScoringFlags{}, Json::object());
  EXPECT_EQ(options.workers, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  EXPECT_EQ(options.timeout_seconds, 60.0);
  EXPECT_EQ(options.error_score, 0.0);
}

TEST_F(ScoringFlagsTest, FlagsWinOverTheConfigWhichWinsOverDefaults) {
  const Json config = {{"workers", 7}, {"timeout_seconds", 0}, {"error_score", 0.5}};
  const EvalOptions from_config = EvalOptionsFromFlags(ScoringFlags{}, config);
  EXPECT_EQ(from_config.workers, 7);
  EXPECT_EQ(from_config.timeout_seconds, 0.0);
  EXPECT_EQ(from_config.error_score, 0.5);

  ScoringFlags flags;
  flags.workers = 2;
  flags.timeout_seconds = 1.5;
  flags.error_score = -1.0;
  const EvalOptions from_flags = EvalOptionsFromFlags(flags, config);
  EXPECT_EQ(from_flags.workers, 2);
  EXPECT_EQ(from_flags.timeout_seconds, 1.5);
  EXPECT_EQ(from_flags.error_score, -1.0);
}

TEST_F(ScoringFlagsTest, WorkerBoundsAreInclusive) {
  ScoringFlags flags;
  flags.workers = kMaxWorkers;
  EXPECT_EQ(EvalOptionsFromFlags(flags, Json::object()).workers, 1024);
  flags.workers = kMaxWorkers + 1;
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json::object()),
            "--workers: expected a whole number from 0 (one per core) to 1024, got 1025");
  flags.workers = -1;
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json::object()),
            "--workers: expected a whole number from 0 (one per core) to 1024, got -1");
  flags.workers = 0;
  EXPECT_EQ(EvalOptionsFromFlags(flags, Json::object()).workers,
            static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  EXPECT_EQ(EvalOptionsFromFlags(ScoringFlags{}, Json{{"workers", 1024.0}}).workers, 1024);
}

TEST_F(ScoringFlagsTest, OutOfRangeFlagsAreNamedWithTheValue) {
  ScoringFlags flags;
  flags.timeout_seconds = -1e-9;
  const std::string timeout = "--timeout: expected seconds, 0 or more (0: none), got ";
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json::object()), timeout + "-1e-09");
  flags.timeout_seconds = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json::object()), timeout + "nan");
  flags.timeout_seconds = std::numeric_limits<double>::infinity();
  EXPECT_EQ(EvalOptionsFromFlags(flags, Json::object()).timeout_seconds, std::numeric_limits<double>::infinity());
  flags.timeout_seconds.reset();
  flags.error_score = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json::object()), "--error-score: expected a finite number, got -inf");
  flags.error_score = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json::object()), "--error-score: expected a finite number, got nan");
}

TEST_F(ScoringFlagsTest, BadConfigValuesNameTheFileAndKey) {
  ScoringFlags flags;
  flags.config = "dir/run.yaml";
  const std::string workers = "dir/run.yaml: workers: expected a whole number from 0 (one per core) to 1024, got ";
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"workers", 2.5}}), workers + "2.5");
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"workers", "4"}}), workers + "\"4\"");
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"workers", true}}), workers + "true");
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"workers", nullptr}}), workers + "null");
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"workers", 1e300}}), workers + "1e+300");
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"timeout_seconds", -3}}),
            "dir/run.yaml: timeout_seconds: expected seconds, 0 or more (0: none), got -3");
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"error_score", Json::array({1})}}),
            "dir/run.yaml: error_score: expected a finite number, got [1]");
  // A flag makes the config's value irrelevant, even a bad one.
  flags.workers = 1;
  EXPECT_EQ(ScoringFlagsOptionsError(flags, Json{{"workers", "many"}}), "");
}

TEST_F(ScoringFlagsTest, AMisspeltConfigKeyIsNamed) {
  ScoringFlags flags;
  flags.config = Put("run.yaml", "reward: accuracy\nworkres: 1\n");
  try {
    LoadCommandConfig(flags);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), flags.config +
                                         ": workres: unknown key (known: reward, params, workers, timeout_seconds, "
                                         "error_score, llm, judges, templates)");
  }
}

TEST_F(ScoringFlagsTest, RewardFromFlagsWithParams) {
  ScoringFlags flags;
  flags.reward = "length_penalty";
  EXPECT_DOUBLE_EQ(ScoringFlagsScoreOfX(*BuildRewardFromFlags(flags, Json::object())), -0.09);
  flags.params = {"min_length=3", "penalty_rate=1"};
  EXPECT_DOUBLE_EQ(ScoringFlagsScoreOfX(*BuildRewardFromFlags(flags, Json::object())), -2.0);
}

TEST_F(ScoringFlagsTest, ParamFlagsWinOverConfigParamsAndRewardFlagOverConfigReward) {
  const Json config = {{"reward", "accuracy"}, {"params", {{"min_length", 5}, {"penalty_rate", 1}}}};
  ScoringFlags flags;
  flags.reward = "length_penalty";
  EXPECT_DOUBLE_EQ(ScoringFlagsScoreOfX(*BuildRewardFromFlags(flags, config)), -4.0);
  flags.params = {"min_length=2"};
  EXPECT_DOUBLE_EQ(ScoringFlagsScoreOfX(*BuildRewardFromFlags(flags, config)), -1.0);
}

TEST_F(ScoringFlagsTest, RewardNamedByTheConfig) {
  const Json config = {{"reward", "length_penalty"}, {"params", {{"min_length", 3}, {"penalty_rate", 1}}}};
  EXPECT_DOUBLE_EQ(ScoringFlagsScoreOfX(*BuildRewardFromFlags(ScoringFlags{}, config)), -2.0);
  ScoringFlags flags;
  flags.params = {"penalty_rate=0.5"};
  EXPECT_DOUBLE_EQ(ScoringFlagsScoreOfX(*BuildRewardFromFlags(flags, config)), -1.0);
}

TEST_F(ScoringFlagsTest, CompositionInTheConfig) {
  const Json config = Json::parse(R"({"reward": {"compose": "weighted", "name": "mix",
      "rewards": {"len": {"reward": "length_penalty", "params": {"min_length": 3, "penalty_rate": 1}}},
      "weights": {"len": 1}}})");
  const std::unique_ptr<RewardModel> reward = BuildRewardFromFlags(ScoringFlags{}, config);
  EXPECT_EQ(reward->family(), RewardFamily::kComposite);
  EXPECT_EQ(reward->name(), "mix");
}

TEST_F(ScoringFlagsTest, ABadRewardInTheConfigNamesTheFileAndWhere) {
  ScoringFlags flags;
  flags.config = "run.yaml";
  const auto error_of = [&](const Json& config) { return ScoringFlagsRewardError(flags, config); };
  EXPECT_EQ(error_of(Json{{"reward", "acuracy"}}).rfind("run.yaml: reward: unknown reward 'acuracy'", 0), 0u);
  EXPECT_EQ(error_of(Json::parse(R"({"reward": {"router": "source", "routes": {"m": {"reward": "length_penalty",
      "params": {"min_lenght": 2}}}}})"))
                .rfind("run.yaml: reward.routes.m: unknown parameter 'min_lenght'", 0),
            0u);
  EXPECT_EQ(error_of(Json::parse(R"({"reward": {"compose": "weighted", "rewards": {"a": "accuracy"},
      "weights": {"a": "x"}}})")),
            "run.yaml: reward.weights.a: expected a number");
}

TEST_F(ScoringFlagsTest, ABadParameterIsBlamedOnWhereItWasWritten) {
  ScoringFlags flags;
  flags.config = "run.yaml";
  const auto error_of = [&](const Json& config) { return ScoringFlagsRewardError(flags, config); };
  const Json named = {{"reward", "length_penalty"}, {"params", {{"min_length", 3}}}};
  flags.params = {"max_length=x"};
  EXPECT_EQ(error_of(named), "--param: parameter 'max_length' of reward 'length_penalty': expected int, got 'x'");
  flags.params = {"max_lenght=9"};
  EXPECT_EQ(error_of(named).rfind("--param: unknown parameter 'max_lenght'", 0), 0u) << error_of(named);
  flags.params = {"max_length=9"};
  const Json bad_config = {{"reward", "length_penalty"}, {"params", {{"min_length", "y"}}}};
  EXPECT_EQ(error_of(bad_config).rfind("run.yaml: reward: parameter 'min_length'", 0), 0u) << error_of(bad_config);
  // With --reward, the config's params: are still the config's.
  flags.reward = "length_penalty";
  EXPECT_EQ(error_of(Json{{"params", {{"min_length", "y"}}}}).rfind("run.yaml: params: parameter 'min_length'", 0), 0u);
  EXPECT_EQ(error_of(named), "no error");
  // A config value that a flag replaces does not matter.
  flags.params = {"min_length=4"};
  EXPECT_EQ(error_of(bad_config), "no error");
  flags.reward = "acuracy";
  EXPECT_EQ(error_of(named).rfind("unknown reward 'acuracy'", 0), 0u) << error_of(named);
}

TEST_F(ScoringFlagsTest, ParamFlagWithAComposedConfigRewardIsNotIgnoredSilently) {
  // A composition takes its parameters per child, so a --param has nowhere to go;
  // dropping it would score with something else than the user asked for.
  const Json config = Json::parse(R"({"reward": {"compose": "weighted", "name": "mix",
      "rewards": {"len": "length_penalty"}, "weights": {"len": 1}}})");
  ScoringFlags flags;
  flags.params = {"min_length=3"};
  try {
    const std::unique_ptr<RewardModel> reward = BuildRewardFromFlags(flags, config);
    ADD_FAILURE() << "--param min_length=3 was accepted and dropped; the composition scores 'x' "
                  << ScoringFlagsScoreOfX(*reward) << " as without it";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("--param"), std::string::npos) << e.what();
  }
  Json with_params = config;
  with_params["params"] = {{"min_length", 3}};
  flags.params.clear();
  flags.config = "run.yaml";
  EXPECT_THROW(
      {
        try {
          BuildRewardFromFlags(flags, with_params);
        } catch (const std::runtime_error& e) {
          EXPECT_EQ(std::string(e.what()).rfind("run.yaml: params:", 0), 0u) << e.what();
          throw;
        }
      },
      std::runtime_error);
}

TEST_F(ScoringFlagsTest, RewardErrorsNameTheFlagOrKey) {
  try {
    BuildRewardFromFlags(ScoringFlags{}, Json::object());
    ADD_FAILURE() << "built a reward from nothing";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "no reward given: use --reward NAME or `reward:` in --config");
  }
  ScoringFlags flags;
  flags.config = "c.yaml";
  flags.reward = "length_penalty";
  try {
    BuildRewardFromFlags(flags, Json{{"params", Json::array({"min_length=3"})}});
    ADD_FAILURE() << "params as a list accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "c.yaml: params: expected a mapping");
  }
  for (const char* malformed : {"min_length", "=3"}) {
    flags.params = {malformed};
    try {
      BuildRewardFromFlags(flags, Json::object());
      ADD_FAILURE() << malformed;
    } catch (const RegistryError& e) {
      EXPECT_EQ(std::string(e.what()), "parameter '" + std::string(malformed) + "' is not of the form KEY=VALUE");
    }
  }
  flags.params = {"min_length=abc"};
  try {
    BuildRewardFromFlags(flags, Json::object());
    ADD_FAILURE() << "min_length=abc accepted";
  } catch (const RegistryError& e) {
    EXPECT_NE(std::string(e.what()).find("min_length"), std::string::npos) << e.what();
  }
  flags.params.clear();
  flags.reward = "length_penalti";
  try {
    BuildRewardFromFlags(flags, Json::object());
    ADD_FAILURE() << "unknown reward accepted";
  } catch (const RegistryError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unknown reward 'length_penalti'", 0), 0u) << e.what();
  }
}

TEST_F(ScoringFlagsTest, LoadCommandConfigReadsAMappingOrNothing) {
  EXPECT_EQ(LoadCommandConfig(ScoringFlags{}), Json::object());
  ScoringFlags flags;
  flags.config = Put("run.yaml", "reward: length_penalty\nworkers: 2\nparams:\n  min_length: 3\n");
  const Json config = LoadCommandConfig(flags);
  EXPECT_EQ(config, Json::parse(R"({"reward":"length_penalty","workers":2,"params":{"min_length":3}})"));
  EXPECT_EQ(EvalOptionsFromFlags(flags, config).workers, 2);
}

TEST_F(ScoringFlagsTest, LoadCommandConfigNamesTheFile) {
  ScoringFlags flags;
  for (const char* text : {"- reward\n- workers\n", "just a string\n", ""}) {
    flags.config = Put("bad.yaml", text);
    try {
      LoadCommandConfig(flags);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), flags.config + ": expected a mapping at the top level") << text;
    }
  }
  flags.config = At("missing.yaml");
  try {
    LoadCommandConfig(flags);
    ADD_FAILURE() << "a missing config was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(flags.config + ": ", 0), 0u) << e.what();
  }
}

TEST_F(ScoringFlagsTest, NoCacheReachesTheLlmRewards) {
  ScoringFlags flags;
  flags.no_cache = true;
  LoadCommandConfig(flags);
  const Json params = RewardRegistry::Global().ResolveParams("helpfulness_listwise_reward", Json{{"cache", "auto"}});
  EXPECT_EQ(params["cache"], "off");
}

// A reward that asks no LLM, for the identity tests.
const RewardModel& ARuleReward() {
  static const std::unique_ptr<RewardModel> reward = RewardRegistry::Global().Create("accuracy", Json::object());
  return *reward;
}

TEST_F(ScoringFlagsTest, IdentityIsExactAndIgnoresParamOrder) {
  ScoringFlags flags;
  flags.reward = "length_penalty";
  flags.params = {"penalty_rate=1", "min_length=3"};
  // SHA-256 of "{}".
  EXPECT_EQ(ScoringIdentity(flags, Json::object(), ARuleReward()).dump(),
            "{\"reward\":\"length_penalty\",\"params\":[\"min_length=3\",\"penalty_rate=1\"],"
            "\"config_sha256\":\"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\","
            "\"error_score\":0.0}");
  ScoringFlags reordered = flags;
  reordered.params = {"min_length=3", "penalty_rate=1"};
  EXPECT_EQ(ScoringIdentity(flags, Json::object(), ARuleReward()),
            ScoringIdentity(reordered, Json::object(), ARuleReward()));
  reordered.error_score = 0.25;
  EXPECT_EQ(ScoringIdentity(reordered, Json::object(), ARuleReward())["error_score"], 0.25);
}

TEST_F(ScoringFlagsTest, IdentityFollowsTheConfigContentNotItsKeyOrder) {
  const ScoringFlags flags;
  const Json a = Json::parse(R"({"reward":"accuracy","llm":{"model":"m","temperature":0}})");
  const Json b = Json::parse(R"({"llm":{"temperature":0,"model":"m"},"reward":"accuracy"})");
  const Json c = Json::parse(R"({"reward":"accuracy","llm":{"model":"n","temperature":0}})");
  EXPECT_EQ(ScoringIdentity(flags, a, ARuleReward())["config_sha256"],
            ScoringIdentity(flags, b, ARuleReward())["config_sha256"]);
  EXPECT_NE(ScoringIdentity(flags, a, ARuleReward())["config_sha256"],
            ScoringIdentity(flags, c, ARuleReward())["config_sha256"]);
  const std::string digest = ScoringIdentity(flags, a, ARuleReward())["config_sha256"].get<std::string>();
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos) << digest;
  // The digest stands in for the config, which may hold an API key.
  const Json secret = {{"llm", {{"api_key", "sk-secret-123"}}}};
  EXPECT_EQ(ScoringIdentity(flags, secret, ARuleReward()).dump().find("sk-secret-123"), std::string::npos);
}

TEST_F(ScoringFlagsTest, IdentityTellsApartParamsThatBuildDifferentRewards) {
  // With a parameter given twice the last one wins, so these two runs score
  // differently; a resume must not take one for the other.
  ScoringFlags three_last;
  three_last.reward = "length_penalty";
  three_last.params = {"penalty_rate=1", "min_length=5", "min_length=3"};
  ScoringFlags five_last = three_last;
  five_last.params = {"penalty_rate=1", "min_length=3", "min_length=5"};
  const double three = ScoringFlagsScoreOfX(*BuildRewardFromFlags(three_last, Json::object()));
  const double five = ScoringFlagsScoreOfX(*BuildRewardFromFlags(five_last, Json::object()));
  ASSERT_NE(three, five);
  EXPECT_NE(ScoringIdentity(three_last, Json::object(), ARuleReward()),
            ScoringIdentity(five_last, Json::object(), ARuleReward()));
}

// The judge and template files a config names are part of the reward, and so, for a
// reward that asks an LLM, is the environment that picks its model and endpoint.
TEST_F(ScoringFlagsTest, IdentityFollowsTheConfigsFilesAndTheLlmEnvironment) {
  ScoringFlags flags;
  flags.config = At("run.yaml");
  const Json config = {{"reward", "my_judge"}, {"templates", {"judge.yaml"}}};
  Put("judge.yaml", "score: {min: 1, max: 10}\n");
  const Json before = ScoringIdentity(flags, config, ARuleReward());
  Put("judge.yaml", "score: {min: 0, max: 5}\n");
  EXPECT_NE(ScoringIdentity(flags, config, ARuleReward()), before);
  EXPECT_FALSE(before.contains("llm_environment"));

  const std::unique_ptr<RewardModel> judge = RewardRegistry::Global().Create(
      "base_helpfulness_pointwise", Json{{"api_key", "k"}, {"base_url", "http://127.0.0.1:9/v1"}, {"cache", "off"}});
  const char* saved = std::getenv("OPENAI_MODEL");
  const std::string saved_model = saved == nullptr ? "" : saved;
  setenv("OPENAI_MODEL", "model-one", 1);
  const Json one = ScoringIdentity(flags, Json::object(), *judge);
  setenv("OPENAI_MODEL", "model-two", 1);
  const Json two = ScoringIdentity(flags, Json::object(), *judge);
  if (saved == nullptr) {
    unsetenv("OPENAI_MODEL");
  } else {
    setenv("OPENAI_MODEL", saved_model.c_str(), 1);
  }
  EXPECT_NE(one, two);
  EXPECT_EQ(one["llm_environment"]["OPENAI_MODEL"], "model-one");
}

TEST_F(ScoringFlagsTest, FreshRunRecordsTheIdentityBesideTheOutput) {
  const std::string output = At("out.jsonl");
  const Json identity = {{"reward", "a"}, {"params", Json::array()}};
  Put("out.jsonl.run", "{\"reward\":\"something else\"}\n");
  CheckResumeIdentity(output, /*resume=*/false, identity);  // a fresh run replaces any old record
  EXPECT_EQ(Read(output + ".run"), identity.dump() + "\n");
}

TEST_F(ScoringFlagsTest, ResumeWithTheSameIdentityIsAccepted) {
  const std::string output = Put("out.jsonl", "{}\n");
  const Json identity = {{"reward", "a"}, {"error_score", 0.0}};
  // Whitespace and a number's spelling do not make another identity.
  Put("out.jsonl.run", "{ \"reward\": \"a\",\n  \"error_score\": 0 }");
  EXPECT_NO_THROW(CheckResumeIdentity(output, /*resume=*/true, identity));
  EXPECT_EQ(Read(output + ".run"), "{ \"reward\": \"a\",\n  \"error_score\": 0 }") << "left as it was";
}

TEST_F(ScoringFlagsTest, ResumeWithAnotherIdentityNamesBoth) {
  const std::string output = Put("out.jsonl", "{}\n");
  Put("out.jsonl.run", "{\"reward\":\"a\"}\n");
  try {
    CheckResumeIdentity(output, /*resume=*/true, Json{{"reward", "b"}});
    ADD_FAILURE() << "resumed with another reward";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              output + " was scored with {\"reward\":\"a\"} (" + output +
                  ".run), not with {\"reward\":\"b\"}: resume with the same --reward, --param, --config and "
                  "--error-score, or write to a new file");
  }
  EXPECT_EQ(Read(output + ".run"), "{\"reward\":\"a\"}\n");
}

TEST_F(ScoringFlagsTest, ResumeWithoutARecordAcceptsAndRecords) {
  const std::string output = Put("out.jsonl", "{}\n");
  const Json identity = {{"reward", "a"}};
  CheckResumeIdentity(output, /*resume=*/true, identity);
  EXPECT_EQ(Read(output + ".run"), "{\"reward\":\"a\"}\n");
}

TEST_F(ScoringFlagsTest, ResumeWithAnUnreadableRecordSaysWhatToDo) {
  const std::string output = Put("out.jsonl", "{}\n");
  for (const char* text : {"", "{\"reward\":", "not json"}) {
    Put("out.jsonl.run", text);
    try {
      CheckResumeIdentity(output, /*resume=*/true, Json{{"reward", "a"}});
      ADD_FAILURE() << "accepted record: " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), output + ".run: not the JSON rmg writes; remove it to resume anyway") << text;
    }
  }
}

TEST_F(ScoringFlagsTest, OutputsThatAreNoRegularFilesGetNoRecord) {
  const std::string fifo = At("pipe");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NO_THROW(CheckResumeIdentity(fifo, false, Json{{"reward", "a"}}));
  EXPECT_FALSE(std::filesystem::exists(fifo + ".run"));
  EXPECT_NO_THROW(CheckResumeIdentity("/dev/null", true, Json{{"reward", "a"}}));
  EXPECT_FALSE(std::filesystem::exists("/dev/null.run"));
}

TEST_F(ScoringFlagsTest, UnwritableRecordIsNamed) {
  const std::string output = At("no/such/dir/out.jsonl");
  try {
    CheckResumeIdentity(output, false, Json{{"reward", "a"}});
    ADD_FAILURE() << "wrote into a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), output + ": cannot write: No such file or directory");
  }
}

}  // namespace
}  // namespace rmg::cli
