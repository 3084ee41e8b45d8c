#include "bench/converters.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/answer_score.h"
#include "bench/dataset_converters.h"
#include "bench/judgebench.h"
#include "bench/rmbench.h"
#include "rmg/sample_io.h"
#include "testing/shared_data.h"

namespace rmg::bench {
namespace {

// The message of the SchemaError `convert(record)` throws, or "" when it throws none.
std::string ErrorOf(DataSample (*convert)(const Json&), const char* record) {
  try {
    convert(Json::parse(record));
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "";
}

// Checks that `converted` holds what the curators' conversion in `shared` does
// (compared as order-insensitive JSON); the metadata is checked by the caller.
void ExpectSameSample(const DataSample& converted, const nlohmann::json& shared) {
  const nlohmann::json plain = nlohmann::json::parse(DataSampleToJson(converted).dump());
  for (const char* field : {"unique_id", "input", "output", "source", "task_category"}) {
    EXPECT_EQ(plain[field], shared[field]) << shared["unique_id"] << " " << field;
  }
}

TEST(ConverterFor, KnownNamesAndNullptr) {
  EXPECT_EQ(ConverterFor("rewardbench"), &OneSample<&FromRewardBench>);
  EXPECT_EQ(ConverterFor("rmbench"), &OneSample<&FromRmBench>);
  EXPECT_EQ(ConverterFor("judgebench"), &OneSample<&FromJudgeBench>);
  EXPECT_EQ(ConverterFor("helpsteer2_pairwise"), &FromHelpSteer2Pairwise);
  EXPECT_EQ(ConverterFor("rewardbench2"), &OneSample<&FromRewardBench2>);
  EXPECT_EQ(ConverterFor("rmb_pairwise"), &OneSample<&FromRmbPairwise>);
  EXPECT_EQ(ConverterFor("rmb_bestofn"), &OneSample<&FromRmbBestOfN>);
  EXPECT_EQ(ConverterFor("RMBench"), nullptr);
  EXPECT_EQ(ConverterFor(""), nullptr);
  const std::vector<std::string> names = ConverterNames();
  EXPECT_EQ(names, (std::vector<std::string>{"chat_message", "helpsteer2_pairwise", "helpsteer2_pointwise",
                                              "helpsteer3", "judgebench", "prmbench", "rewardbench", "rewardbench2",
                                              "rmb_bestofn", "rmb_pairwise", "rmbench"}));
  for (const std::string& name : names) EXPECT_NE(ConverterFor(name), nullptr) << name;
}

TEST(OneSample, WrapsTheSingleSample) {
  const std::vector<DataSample> samples = ConverterFor("rewardbench")(
      Json::parse(R"({"prompt": "p", "chosen": "a", "rejected": "b", "subset": "s", "id": 4})"));
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].unique_id, "rewardbench/s/4");
}

TEST(FromRewardBench, Mapping) {
  const DataSample sample = FromRewardBench(Json::parse(R"({"prompt": "2+2?", "chosen": "4", "rejected": "5",
      "chosen_model": "m1", "rejected_model": "m2", "subset": "math-prm", "id": 17})"));
  EXPECT_EQ(sample.unique_id, "rewardbench/math-prm/17");
  EXPECT_EQ(sample.source, "allenai/reward-bench:math-prm");
  EXPECT_EQ(sample.task_category, "preference");
  ASSERT_EQ(sample.input.size(), 1u);
  EXPECT_EQ(sample.input[0].role, "user");
  EXPECT_EQ(sample.input[0].content, "2+2?");
  ASSERT_EQ(sample.output.size(), 2u);
  EXPECT_EQ(sample.output[0].answer.role, "assistant");
  EXPECT_EQ(sample.output[0].answer.content, "4");
  EXPECT_EQ(sample.output[0].answer.label, Json({{"preference", "chosen"}}));
  EXPECT_EQ(sample.output[1].answer.content, "5");
  EXPECT_EQ(sample.output[1].answer.label, Json({{"preference", "rejected"}}));
  EXPECT_EQ(sample.metadata,
            Json({{"chosen_model", "m1"}, {"rejected_model", "m2"}, {"subset", "math-prm"}, {"id", 17}}));
}

TEST(FromRewardBench, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf(&FromRewardBench, R"([1])"), "record: expected a JSON object");
  EXPECT_EQ(ErrorOf(&FromRewardBench, R"({"chosen": "a", "rejected": "b", "subset": "s", "id": 1})"),
            "prompt: missing");
  EXPECT_EQ(ErrorOf(&FromRewardBench, R"({"prompt": "p", "chosen": 3, "rejected": "b", "subset": "s", "id": 1})"),
            "chosen: expected a string");
  EXPECT_EQ(ErrorOf(&FromRewardBench, R"({"prompt": "p", "chosen": "a", "rejected": "b", "subset": "s", "id": 1.5})"),
            "id: expected a string or an integer");
}

// Rebuilds upstream RM-Bench records from the shared file (which the curators
// converted from data/<domain>_filtered.json) and checks the converter gives the
// same samples, which the evaluator then reads.
TEST(FromRmBench, AgreesWithTheSharedConversion) {
  const auto records = rmg::testing::ReadSharedJsonl("preference/rmbench_chat.jsonl");
  ASSERT_EQ(records.size(), 129u) << "rmbench_chat.jsonl missing or changed";
  for (const nlohmann::json& shared : records) {
    Json upstream = Json::object();
    upstream["id"] = shared["metadata"]["id"];
    upstream["prompt"] = shared["input"][0]["content"];
    upstream["chosen"] = Json::array();
    upstream["rejected"] = Json::array();
    for (const nlohmann::json& output : shared["output"]) {
      upstream[output["answer"]["label"]["preference"].get<std::string>()].push_back(
          output["answer"]["content"].get<std::string>());
    }
    upstream["domain"] = shared["metadata"]["domain"];
    upstream["subset"] = shared["metadata"]["subset"];
    const DataSample sample = FromRmBench(upstream);
    ExpectSameSample(sample, shared);
    EXPECT_EQ(sample.metadata["subset"].dump(), shared["metadata"]["subset"].dump());
    EXPECT_EQ(RmBenchDomain(sample), "chat");
  }
}

TEST(FromRmBench, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf(&FromRmBench, R"({"id": 1, "prompt": "p", "chosen": ["a", "b"], "rejected": ["a", "b", "c"],
      "domain": "chat"})"),
            "chosen: expected an array of 3 strings");
  EXPECT_EQ(ErrorOf(&FromRmBench, R"({"id": 1, "prompt": "p", "chosen": ["a", "b", "c"], "rejected": ["a", 2, "c"],
      "domain": "chat"})"),
            "rejected[1]: expected a string");
  EXPECT_EQ(
      ErrorOf(&FromRmBench, R"({"id": 1, "prompt": "p", "chosen": ["a", "b", "c"], "rejected": ["a", "b", "c"]})"),
      "domain: missing");
}

TEST(FromJudgeBench, AgreesWithTheSharedConversion) {
  const auto records = rmg::testing::ReadSharedJsonl("preference/judgebench_claude.jsonl");
  ASSERT_EQ(records.size(), 270u) << "judgebench_claude.jsonl missing or changed";
  for (const nlohmann::json& shared : records) {
    Json upstream = Json::object();
    upstream["pair_id"] = shared["metadata"]["pair_id"];
    upstream["original_id"] = shared["metadata"]["original_id"];
    upstream["source"] = shared["metadata"]["source"];
    upstream["question"] = shared["input"][0]["content"];
    upstream["response_model"] = shared["metadata"]["response_model"];
    upstream["response_A"] = shared["output"][0]["answer"]["content"];
    upstream["response_B"] = shared["output"][1]["answer"]["content"];
    upstream["label"] = shared["metadata"]["label"];
    const DataSample sample = FromJudgeBench(upstream);
    ExpectSameSample(sample, shared);
    EXPECT_EQ(sample.metadata["source"].dump(), shared["metadata"]["source"].dump());
    EXPECT_EQ(sample.metadata["label"].dump(), shared["metadata"]["label"].dump());
  }
}

TEST(FromJudgeBench, LabelDecidesChosenAndEvaluatorReadsIt) {
  DataSample sample = FromJudgeBench(Json::parse(R"({"pair_id": "p1", "question": "q", "response_A": "a",
      "response_B": "b", "label": "B>A", "source": "livebench-math"})"));
  EXPECT_EQ(sample.unique_id, "judgebench/p1");
  EXPECT_EQ(sample.output[0].answer.label, Json({{"preference", "rejected"}, {"position", "A"}}));
  EXPECT_EQ(sample.output[1].answer.label, Json({{"preference", "chosen"}, {"position", "B"}}));
  MutableReward(sample.output[0].answer).score = 0.0;
  MutableReward(sample.output[1].answer).score = 1.0;
  const JudgeBenchPair pair = JudgeBenchPairOf(sample, JudgeBenchMode::kRewardModel, "");
  EXPECT_EQ(pair.source, "livebench-math");
  EXPECT_EQ(pair.label, PairVerdict::kBWins);
  EXPECT_TRUE(JudgeBenchCorrect(pair));
}

TEST(FromJudgeBench, ATiedLabelMarksBothResponsesTie) {
  const DataSample sample = FromJudgeBench(Json::parse(R"({"pair_id": "t", "question": "q", "response_A": "a",
      "response_B": "b", "label": "A=B", "source": "livebench-math"})"));
  ASSERT_EQ(sample.output.size(), 2u);
  EXPECT_EQ(sample.output[0].answer.label, Json::parse(R"({"preference":"tie","position":"A"})"));
  EXPECT_EQ(sample.output[1].answer.label, Json::parse(R"({"preference":"tie","position":"B"})"));
  DataSample scored = sample;
  MutableReward(scored.output[0].answer).score = 0.5;
  MutableReward(scored.output[1].answer).score = 0.5;
  // Equal scores: a judge's tie agrees with the label; a reward model's tie is B>A.
  const JudgeBenchPair judged = JudgeBenchPairOf(scored, JudgeBenchMode::kJudge, "");
  EXPECT_EQ(judged.label, PairVerdict::kTie);
  EXPECT_TRUE(JudgeBenchCorrect(judged));
  EXPECT_FALSE(JudgeBenchCorrect(JudgeBenchPairOf(scored, JudgeBenchMode::kRewardModel, "")));
}

TEST(FromJudgeBench, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf(&FromJudgeBench, R"({"pair_id": "p", "question": "q", "response_A": "a", "response_B": "b",
      "label": "A<B", "source": "s"})"),
            "label: expected \"A>B\", \"B>A\" or \"A=B\", got \"A<B\"");
  EXPECT_EQ(ErrorOf(&FromJudgeBench, R"({"pair_id": "p", "question": "q", "response_A": "a", "label": "A>B",
      "source": "s"})"),
            "response_B: missing");
  EXPECT_EQ(ErrorOf(&FromJudgeBench, R"({"question": "q", "response_A": "a", "response_B": "b", "label": "A>B",
      "source": "s"})"),
            "pair_id: missing");
}

TEST(FromRewardBench2, Mapping) {
  const DataSample sample = FromRewardBench2(Json::parse(R"({"id": "tied:12", "prompt": "Name a prime.",
      "chosen": ["2", "3"], "rejected": ["4", "6", "9"], "num_correct": 2, "num_incorrect": 3,
      "total_completions": 5, "models": ["m1", "m2"], "subset": "Ties"})"));
  EXPECT_EQ(sample.unique_id, "rewardbench2/Ties/tied:12");
  EXPECT_EQ(sample.source, "allenai/reward-bench-2:Ties");
  EXPECT_EQ(sample.task_category, "preference");
  ASSERT_EQ(sample.input.size(), 1u);
  EXPECT_EQ(sample.input[0].content, "Name a prime.");
  ASSERT_EQ(sample.output.size(), 5u);
  const char* contents[] = {"2", "3", "4", "6", "9"};
  for (size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(sample.output[k].answer.content, contents[k]);
    EXPECT_EQ(sample.output[k].answer.label, Json({{"preference", k < 2 ? "chosen" : "rejected"}}));
  }
  EXPECT_EQ(sample.metadata, Json({{"id", "tied:12"},
                                   {"num_correct", 2},
                                   {"num_incorrect", 3},
                                   {"total_completions", 5},
                                   {"models", {"m1", "m2"}},
                                   {"subset", "Ties"}}));
}

TEST(FromRewardBench2, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf(&FromRewardBench2, R"({"id": 1, "prompt": "p", "chosen": ["a", 2], "rejected": ["b"],
      "subset": "Math"})"),
            "chosen[1]: expected a string");
  EXPECT_EQ(ErrorOf(&FromRewardBench2, R"({"id": 1, "prompt": "p", "chosen": ["a"], "rejected": [],
      "subset": "Math"})"),
            "rejected: expected a non-empty array of strings");
  EXPECT_EQ(ErrorOf(&FromRewardBench2, R"({"id": 1, "prompt": "p", "chosen": "a", "rejected": ["b"],
      "subset": "Math"})"),
            "chosen: expected a non-empty array of strings");
  EXPECT_EQ(ErrorOf(&FromRewardBench2, R"({"id": 1, "prompt": "p", "chosen": ["a"], "rejected": ["b"]})"),
            "subset: missing");
}

TEST(FromRmbPairwise, Mapping) {
  const DataSample sample = FromRmbPairwise(Json::parse(R"({"pair_uid": "p-7",
      "category_path": "Pairwise_set/Helpfulness/Code/Debugging",
      "conversation_input": [{"role": "user", "content": "fix it", "language": "en"},
                             {"role": "assistant", "content": "how?"}, {"role": "user", "content": "now"}],
      "chosen": {"answer": "done", "llm_name": "m1"}, "reject": {"answer": "no", "llm_name": "m2"}})"));
  EXPECT_EQ(sample.unique_id, "rmb/pairwise/p-7");
  EXPECT_EQ(sample.source, "RMB:Pairwise_set/Helpfulness/Code/Debugging");
  ASSERT_EQ(sample.input.size(), 3u);
  EXPECT_EQ(sample.input[0].role, "user");
  EXPECT_EQ(sample.input[0].content, "fix it");
  EXPECT_EQ(sample.input[0].extra, Json({{"language", "en"}}));
  EXPECT_EQ(sample.input[1].role, "assistant");
  EXPECT_TRUE(sample.input[1].extra.is_null());
  ASSERT_EQ(sample.output.size(), 2u);
  EXPECT_EQ(sample.output[0].answer.content, "done");
  EXPECT_EQ(sample.output[0].answer.label, Json({{"preference", "chosen"}, {"llm_name", "m1"}}));
  EXPECT_EQ(sample.output[1].answer.content, "no");
  EXPECT_EQ(sample.output[1].answer.label, Json({{"preference", "rejected"}, {"llm_name", "m2"}}));
  EXPECT_EQ(sample.metadata, Json({{"pair_uid", "p-7"}, {"category_path", "Pairwise_set/Helpfulness/Code/Debugging"}}));
  // The sample survives a round trip through the data format.
  const DataSample reread = ParseDataSample(DataSampleToJson(sample).dump());
  EXPECT_EQ(DataSampleToJson(reread), DataSampleToJson(sample));
}

TEST(FromRmbPairwise, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf(&FromRmbPairwise, R"({"pair_uid": 1, "category_path": "H/x",
      "conversation_input": [{"role": "user", "content": "q"}], "chosen": {"answer": "a"}})"),
            "reject: missing");
  EXPECT_EQ(ErrorOf(&FromRmbPairwise, R"({"pair_uid": 1, "category_path": "H/x",
      "conversation_input": [{"content": "q"}], "chosen": {"answer": "a"}, "reject": {"answer": "b"}})"),
            "conversation_input[0].role: missing");
  EXPECT_EQ(ErrorOf(&FromRmbPairwise, R"({"pair_uid": 1, "category_path": "H/x",
      "conversation_input": [{"role": "user", "content": "q"}], "chosen": {"answer": 5},
      "reject": {"answer": "b"}})"),
            "chosen.answer: expected a string");
  EXPECT_EQ(ErrorOf(&FromRmbPairwise, R"({"pair_uid": 1, "conversation_input": [], "chosen": {"answer": "a"},
      "reject": {"answer": "b"}})"),
            "category_path: missing");
}

TEST(FromRmbBestOfN, MappingAndEvaluatorReadsIt) {
  const DataSample sample = FromRmbBestOfN(Json::parse(R"({"bon_uid": 42, "category_path": "Harmlessness/S3",
      "conversation_input": [{"role": "user", "content": "q"}], "bon_best": {"answer": "best", "llm_name": "m1"},
      "loser_list": [{"answer": "l1", "llm_name": "m2"}, {"answer": "l2", "llm_name": "m3"}]})"));
  EXPECT_EQ(sample.unique_id, "rmb/bestofn/42");
  ASSERT_EQ(sample.output.size(), 3u);
  EXPECT_EQ(sample.output[0].answer.label, Json({{"preference", "chosen"}, {"llm_name", "m1"}}));
  EXPECT_EQ(sample.output[2].answer.content, "l2");
  EXPECT_EQ(sample.output[2].answer.label, Json({{"preference", "rejected"}, {"llm_name", "m3"}}));
  EXPECT_EQ(sample.metadata, Json({{"bon_uid", 42}, {"category_path", "Harmlessness/S3"}}));
  EXPECT_EQ(MetadataString(sample, "category_path"), "Harmlessness/S3");
}

TEST(FromRmbBestOfN, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf(&FromRmbBestOfN, R"({"bon_uid": 1, "category_path": "H/x",
      "conversation_input": [{"role": "user", "content": "q"}], "bon_best": {"answer": "a"},
      "loser_list": [{"answer": "b"}, {"answer": null}]})"),
            "loser_list[1].answer: expected a string");
  EXPECT_EQ(ErrorOf(&FromRmbBestOfN, R"({"bon_uid": 1, "category_path": "H/x",
      "conversation_input": [{"role": "user", "content": "q"}], "bon_best": {"answer": "a"}, "loser_list": []})"),
            "loser_list: expected a non-empty array of answers");
  EXPECT_EQ(ErrorOf(&FromRmbBestOfN, R"({"bon_uid": 1, "category_path": "H/x",
      "conversation_input": [{"role": "user", "content": "q"}], "bon_best": "a", "loser_list": [{"answer": "b"}]})"),
            "bon_best: expected an object {answer, llm_name}");
  EXPECT_EQ(ErrorOf(&FromRmbBestOfN, R"({"bon_uid": 1, "category_path": "H/x",
      "conversation_input": [{"role": "user", "content": "q"}], "bon_best": {"answer": "a", "llm_name": 3},
      "loser_list": [{"answer": "b"}]})"),
            "bon_best.llm_name: expected a string");
}

}  // namespace
}  // namespace rmg::bench
