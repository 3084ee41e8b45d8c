// Converters from training and evaluation datasets (NVIDIA's HelpSteer2 and
// HelpSteer3, PRMBench, OpenAI-style chat logs) to DataSamples, with the mapping of
// converters.h: prompts and contexts become input messages, each response an
// output whose answer is an assistant message, preferences and scores go to
// answer.label, and the record's other fields to metadata.
//
// These datasets have no record ids (PRMBench's idx aside), so unique_id is
// "<format>/<key>" where key is ContentKey (record_fields.h) of the texts that make
// the record: the same record always gets the same id, wherever it sits in a file.
//
// A record that does not fit throws SchemaError whose message starts with the
// field, e.g. "preference_strength: expected an integer from -3 to 3, got 7".
#pragma once

#include <vector>

#include "rmg/schema.h"

namespace rmg::bench {

// nvidia/HelpSteer2 rows {prompt, response, helpfulness, correctness, coherence,
// complexity, verbosity} (attributes: integers 0..4) -> unique_id
// "helpsteer2_pointwise/<key of prompt, response>", task_category "pointwise",
// one output whose answer.label holds the five attributes; source "nvidia/HelpSteer2".
DataSample FromHelpSteer2Pointwise(const Json& record);

// nvidia/HelpSteer2 preference rows {prompt, response_1, response_2,
// preference_strength (-3..3, negative = response_1 better), ...} -> two samples,
// "helpsteer2_pairwise/<key>/12" with outputs (response_1, response_2) and
// ".../21" with (response_2, response_1), so a judge's position bias shows and
// cancels. Each answer.label is {preference "chosen"|"rejected"|"tie" ("tie" for
// both at strength 0), response 1|2}; metadata holds the other fields and
// order "12"|"21"; source "nvidia/HelpSteer2:preference".
std::vector<DataSample> FromHelpSteer2Pairwise(const Json& record);

// nvidia/HelpSteer3 preference rows {domain, language, context [{role, content}],
// response1, response2, overall_preference (-3..3, negative = response1 better)}
// -> unique_id "helpsteer3/<domain>/<key of context, response1, response2>", the
// context as input, outputs response1 then response2 with label {preference
// "chosen"|"rejected"|"tie", response 1|2}; source "nvidia/HelpSteer3:<domain>".
DataSample FromHelpSteer3(const Json& record);

// PRMBench rows {idx, original_question, modified_question?, modified_process
// [steps], error_steps [1-based step numbers], classification, ...} ->
// unique_id "prmbench/<classification>/<idx>", task_category "process", the
// question (modified_question when the row has one, since the process answers it,
// else original_question) as one user message, one output whose answer content is
// the steps joined by "\n", label {correct: no error step}, and whose steps are the
// steps, each labelled {correct: bool}; source "hitsmy/PRMBench_Preview:<classification>";
// every other field (error_steps, idx, classification, ...) goes to metadata.
DataSample FromPrmBench(const Json& record);

// OpenAI chat format {messages [{role, content}, ...], ...}: the last message must
// be the assistant's; it becomes the one output and every message before it the
// input. unique_id "chat_message/<id>" when the record has an id (string or
// integer), else "chat_message/<key of the messages>"; task_category
// "chat"; other fields go to metadata.
DataSample FromChatMessages(const Json& record);

}  // namespace rmg::bench
