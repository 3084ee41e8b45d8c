// Converters from the benchmarks' published record formats to DataSamples, with
// RM-Gallery's mapping: the prompt becomes one user message, every response an
// assistant output whose answer.label.preference is "chosen" or "rejected", and
// the benchmark's own fields (ids, subset, domain, source) go to metadata, so the
// evaluators in rmbench.h and judgebench.h read converted data directly.
//
// unique_id is "<benchmark>/<group>/<id>" rather than RM-Gallery's md5 of the
// Python repr of the record, which cannot be reproduced outside Python and changes
// when a field does; the same record always gets the same id.
//
// A record that does not fit throws SchemaError (rmg/sample_io.h) whose message
// starts with the field, e.g. "chosen[1]: expected a string".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"

namespace rmg::bench {

// Converts one record of a dataset's published format into the samples it makes
// (most make one; HelpSteer2's preference rows make two).
using Converter = std::vector<DataSample> (*)(const Json& record);

// The Converter of a function that makes one sample of each record.
template <DataSample (*kConvert)(const Json&)>
std::vector<DataSample> OneSample(const Json& record) {
  std::vector<DataSample> samples;
  samples.push_back(kConvert(record));
  return samples;
}

// RewardBench (allenai/reward-bench): {prompt, chosen, rejected, subset, id, ...}
// -> unique_id "rewardbench/<subset>/<id>", output[0] chosen, output[1] rejected,
// source "allenai/reward-bench:<subset>"; every other field goes to metadata.
DataSample FromRewardBench(const Json& record);

// RM-Bench (THU-KEG/RM-Bench): {id, prompt, chosen[3], rejected[3], domain, ...}
// -> unique_id "rmbench/<domain>/<id>", output[0..2] the chosen and output[3..5]
// the rejected responses, label {preference, style_index, style} with styles
// concise, detailed_plain, detailed_markdown; source "THU-KEG/RM-Bench:<domain>";
// every other field (id, domain, subset, ...) goes to metadata.
DataSample FromRmBench(const Json& record);

// JudgeBench (ScalerLab/JudgeBench): {pair_id, question, response_A, response_B,
// label "A>B"|"B>A", source, ...} -> unique_id "judgebench/<response_model>/<pair_id>"
// ("judgebench/<pair_id>" without a response_model), output[0] response A and
// output[1] response B with label {preference, position}; source
// "ScalerLab/JudgeBench:<source>"; every other field (pair_id, source, label,
// original_id, response_model, ...) goes to metadata.
DataSample FromJudgeBench(const Json& record);

// RewardBench 2 (allenai/reward-bench-2): {id, prompt, chosen: [..], rejected: [..],
// num_correct, num_incorrect, total_completions, models, subset} -> unique_id
// "rewardbench2/<subset>/<id>", the chosen outputs first, then the rejected, with
// label {preference}; source "allenai/reward-bench-2:<subset>"; every other field
// (id, subset, num_correct, models, ...) goes to metadata.
DataSample FromRewardBench2(const Json& record);

// RMB's pairwise set: {pair_uid, category_path, conversation_input: [{role, content,
// ...}], chosen: {answer, llm_name}, reject: {answer, llm_name}} -> unique_id
// "rmb/pairwise/<pair_uid>", input the conversation (a message's other fields kept
// in its extra), output[0] chosen and output[1] rejected with label {preference,
// llm_name}; source "RMB:<category_path>"; every other field (pair_uid,
// category_path, ...) goes to metadata.
DataSample FromRmbPairwise(const Json& record);

// RMB's best-of-N set: {bon_uid, category_path, conversation_input, bon_best:
// {answer, llm_name}, loser_list: [{answer, llm_name}, ...]} -> unique_id
// "rmb/bestofn/<bon_uid>", output[0] the best answer (chosen), then the losers
// (rejected), labelled and with metadata as FromRmbPairwise.
DataSample FromRmbBestOfN(const Json& record);

// The converter named `name` ("judgebench", "rewardbench", "rewardbench2",
// "rmb_bestofn", "rmb_pairwise", "rmbench", and those of dataset_converters.h:
// "helpsteer2_pointwise", "helpsteer2_pairwise", "helpsteer3", "prmbench",
// "chat_message"), or nullptr.
Converter ConverterFor(std::string_view name);

// The names ConverterFor knows, sorted.
std::vector<std::string> ConverterNames();

}  // namespace rmg::bench
