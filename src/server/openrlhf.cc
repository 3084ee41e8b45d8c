#include "server/openrlhf.h"

#include <unordered_map>
#include <utility>

#include "server/json_body.h"

namespace rmg::server {
namespace {

using nlohmann::json;

const json& ExpectList(const json& value, std::string_view field) {
  if (!value.is_array()) RejectField(std::string(field), "expected a list, got " + JsonTypeName(value));
  return value;
}

std::vector<std::string> ReadStrings(const json& list, std::string_view field) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const json& item = list[i];
    if (!item.is_string()) RejectField(IndexedField(field, i), "expected a string, got " + JsonTypeName(item));
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> ReadLabel(const json& item, size_t i) {
  if (item.is_null()) return std::nullopt;
  if (item.is_string()) return item.get<std::string>();
  // The parser refuses numbers beyond a double's range, so every number has a text.
  if (item.is_number()) return item.dump();
  RejectField(IndexedField("labels", i), "expected a string, a number or null, got " + JsonTypeName(item));
}

void ExpectSameLength(size_t size, size_t queries, std::string_view field) {
  if (size != queries) {
    RejectField(std::string(field),
                "has " + std::to_string(size) + " elements but query has " + std::to_string(queries));
  }
}

}  // namespace

OpenRlhfBatch ParseOpenRlhfRequest(std::string_view body) {
  const json request = ParseJsonObjectBody(body);
  OpenRlhfBatch batch;
  const auto query = request.find("query");
  if (query == request.end()) RejectField("query", "missing");
  batch.queries = ReadStrings(ExpectList(*query, "query"), "query");

  const auto prompts = request.find("prompts");
  if (prompts != request.end() && !prompts->is_null()) {
    batch.prompts = ReadStrings(ExpectList(*prompts, "prompts"), "prompts");
    ExpectSameLength(batch.prompts.size(), batch.queries.size(), "prompts");
  }
  const auto labels = request.find("labels");
  if (labels != request.end() && !labels->is_null()) {
    const json& list = ExpectList(*labels, "labels");
    ExpectSameLength(list.size(), batch.queries.size(), "labels");
    batch.labels.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) batch.labels.push_back(ReadLabel(list[i], i));
  }
  return batch;
}

std::string ResponseText(std::string_view query, std::string_view prompt) {
  if (query.starts_with(prompt)) query.remove_prefix(prompt.size());
  return std::string(query);
}

std::vector<DataSample> OpenRlhfSamples(const OpenRlhfBatch& batch) {
  std::vector<DataSample> samples(batch.queries.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    DataSample& sample = samples[i];
    sample.unique_id = "openrlhf-" + std::to_string(i);
    const std::string_view prompt = batch.prompts.empty() ? std::string_view() : batch.prompts[i];
    if (!prompt.empty()) {
      ChatMessage& message = sample.input.emplace_back();
      message.role = "user";
      message.content = prompt;
    }
    Step& answer = sample.output.emplace_back().answer;
    answer.role = "assistant";
    answer.content = ResponseText(batch.queries[i], prompt);
    if (!batch.labels.empty() && batch.labels[i].has_value()) answer.label = Json{{"reference", *batch.labels[i]}};
  }
  return samples;
}

Json OpenRlhfResponse(const std::vector<DataSample>& evaluated, const std::vector<size_t>& failed_units) {
  Json rewards = Json::array();
  // Detail name -> its column in extra_logs, in the order names were first seen.
  std::vector<std::pair<std::string, Json>> logs;
  std::unordered_map<std::string, size_t> column_of;
  for (size_t i = 0; i < evaluated.size(); ++i) {
    const DataSample& sample = evaluated[i];
    const Reward* reward = nullptr;
    if (!sample.output.empty() && sample.output[0].answer.reward) reward = &*sample.output[0].answer.reward;
    rewards.push_back(reward != nullptr ? reward->score : 0.0);
    if (reward == nullptr) continue;
    for (const RewardDetail& detail : reward->details) {
      if (!detail.score) continue;  // a rank detail read from the input has no number to log
      auto [it, added] = column_of.try_emplace(detail.name, logs.size());
      // 0 rather than null where a sample lacks the detail: OpenRLHF turns each list into a tensor.
      if (added) logs.emplace_back(detail.name, Json(evaluated.size(), 0.0));
      logs[it->second].second[i] = *detail.score;
    }
  }
  Json failed = Json::array();
  for (size_t i = 0; i < evaluated.size(); ++i)
    failed.push_back(i < failed_units.size() && failed_units[i] > 0 ? 1.0 : 0.0);
  JsonObjectBuilder extra_logs(logs.size() + 1);
  for (auto& [name, column] : logs) extra_logs.Add(name, std::move(column));
  extra_logs.Add("rmg_failed", std::move(failed));
  JsonObjectBuilder response(3);
  response.Add("rewards", rewards);
  response.Add("scores", std::move(rewards));
  response.Add("extra_logs", extra_logs.Build());
  return response.Build();
}

}  // namespace rmg::server
