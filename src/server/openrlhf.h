// OpenRLHF's remote reward protocol (`--remote_rm_url`): the trainer POSTs
//   {"query": [str], "prompts": [str], "labels": [str]}
// where each query is the prompt followed by the response (chat-template tokens and
// all), and reads "rewards" from the answer — newer versions also "scores" and
// "extra_logs". These functions turn the body into DataSamples and the scored samples
// into the answer; the HTTP side is the server's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/schema.h"
#include "server/request_error.h"

namespace rmg::server {

struct OpenRlhfBatch {
  std::vector<std::string> queries;
  std::vector<std::string> prompts;  // empty, or one per query
  // Empty, or one per query; nullopt where the client sent null (no reference).
  std::vector<std::optional<std::string>> labels;
};

// Reads a request body. "prompts" and "labels" may be absent or null (older
// OpenRLHF sends neither); a label may be a number, kept as its JSON text ("42"),
// since math answers sometimes arrive unquoted. Throws RequestError naming the
// field, e.g. "query[7]: expected a string", for a body that is not a JSON object,
// a missing "query", an element of the wrong type, or a "prompts"/"labels" list
// whose length differs from "query"'s.
OpenRlhfBatch ParseOpenRlhfRequest(std::string_view body);

// The response part of `query`: what follows `prompt` when the query starts with
// it, else the whole query (a prompt that does not match is no reason to lose text).
std::string ResponseText(std::string_view query, std::string_view prompt);

// One DataSample per query, unique_id "openrlhf-<i>": input is the prompt as a user
// message (none when the prompt is empty), output[0].answer the response as an
// assistant message with label {"reference": label} when there is a label.
std::vector<DataSample> OpenRlhfSamples(const OpenRlhfBatch& batch);

// The answer to the request `evaluated` came from, given the failed units of each
// sample (`failed_units`, one count per sample):
//   {"rewards": [s...], "scores": [s...],
//    "extra_logs": {<detail>: [score...], ..., "rmg_failed": [0 or 1...]}}
// where s is output[0].answer.reward.score (0 for a sample without one), each detail
// name seen on any sample gets a list with that detail's score per sample (0 where the
// sample has no such detail: OpenRLHF turns each list into a tensor), and rmg_failed
// is 1 for a sample whose score is error_score because a unit failed or timed out (a
// judge that did not answer, say), not a verdict. OpenRLHF logs each list's mean.
Json OpenRlhfResponse(const std::vector<DataSample>& evaluated, const std::vector<size_t>& failed_units);

}  // namespace rmg::server
