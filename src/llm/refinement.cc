#include "rmg/refinement.h"

#include <exception>

#include "llm/output_schema.h"
#include "llm/rubric_prompt.h"
#include "text/unicode.h"

namespace rmg {
namespace {

// An assistant answer as RM-Gallery appends it: DataOutput(answer=Step(role=assistant, content)).
DataOutput AssistantAnswer(std::string content) {
  DataOutput output;
  output.answer.role = "assistant";
  output.answer.content = std::move(content);
  return output;
}

// The input messages in the OpenAI chat format, as llm.chat(input) sends them.
Json InputMessages(const DataSample& sample) {
  Json messages = Json::array();
  for (const ChatMessage& message : sample.input) {
    const Json content = message.raw_content.is_null() ? Json(message.content) : message.raw_content;
    messages.push_back(Json{{"role", message.role}, {"content", content}});
  }
  return messages;
}

// Sends one request; on failure sets `error` (naming `what`) and returns false.
bool Ask(ChatClient& client, const RefinementOptions& options, Json messages, const std::string& what,
         RefinementResult& result, std::string* answer) {
  Json body = options.request_fields.is_object() ? options.request_fields : Json::object();
  body["messages"] = std::move(messages);
  ChatRequest request;
  request.body = std::move(body);
  result.llm_calls += 1;
  const ChatReply reply = client.Send(std::move(request));
  if (!reply.ok()) {
    result.error = what + ": LLM call failed (" + ChatStatusName(reply.status) + "): " + reply.error;
    return false;
  }
  *answer = WithoutThinking(reply.content);
  return true;
}

}  // namespace

namespace {

// True when the extra data a reward stored under `name` (RM-Gallery's place: the answer's
// additional_kwargs, or the last input message's for a listwise reward) holds an "error".
bool UnitFailed(const DataSample& scored, const Step& answer, const std::string& name) {
  const auto failed_in = [&name](const Json& kwargs) {
    if (!kwargs.is_object()) return false;
    const auto data = kwargs.find(name);
    return data != kwargs.end() && data->is_object() && data->contains("error");
  };
  return failed_in(answer.additional_kwargs) ||
         (!scored.input.empty() && failed_in(scored.input.back().additional_kwargs));
}

}  // namespace

std::string RefinementFeedback(const DataSample& scored) {
  if (!scored.output.empty() && scored.output[0].answer.reward) {
    const Step& answer = scored.output[0].answer;
    for (const RewardDetail& detail : answer.reward->details) {
      if (detail.reason.empty()) continue;
      // A failed unit's reason is its error message, not an evaluation; RM-Gallery's
      // failed reward has no details, so no feedback.
      if (UnitFailed(scored, answer, detail.name)) break;
      return detail.reason;
    }
  }
  return std::string(kNoRefinementFeedback);
}

std::string RefinementPrompt(const DataSample& sample, std::string_view feedback) {
  std::string prompt =
      "# Task\n"
      "Write a better response to the conversation below. Earlier responses and an evaluation of them are "
      "given: keep what the evaluation approves of, fix what it criticises, and answer the last message of "
      "the conversation directly. Reply with the new response only.\n\n"
      "# Conversation\n";
  prompt += llm::FormatMessages(sample.input);
  prompt += "\n\n# Earlier responses\n";
  for (size_t i = 0; i < sample.output.size(); ++i) {
    const std::string tag = "response_" + std::to_string(i + 1);
    prompt += "<" + tag + ">\n" + sample.output[i].answer.content + "\n</" + tag + ">\n";
  }
  prompt += "\n# Evaluation\n";
  prompt += feedback;
  prompt += "\n\n# Better response\n";
  return prompt;
}

std::string WithoutThinking(std::string_view reply) {
  return std::string(text::StripPythonSpace(llm::SplitThinking(reply).answer));
}

RefinementResult Refine(const RewardModel& reward, ChatClient& client, const DataSample& sample,
                        const RefinementOptions& options) {
  RefinementResult result;
  result.sample = sample;
  DataSample& refined = result.sample;
  std::string answer;
  if (refined.output.empty()) {
    if (!Ask(client, options, InputMessages(refined), "first answer", result, &answer)) return result;
    refined.output.push_back(AssistantAnswer(std::move(answer)));
  }
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    DataSample scored = refined;
    size_t failed_units = 0;
    try {
      EvalContext context;
      if (options.reward_timeout_seconds > 0) context.deadline = Deadline::After(options.reward_timeout_seconds);
      context.error_score = options.error_score;
      failed_units = reward.Apply(scored, context);
    } catch (const std::exception& e) {  // a unit's failure is a detail; this is the reward's own
      result.error = "iteration " + std::to_string(iteration) + ": the reward failed: " + e.what();
      return result;
    }
    Json messages = Json::array();
    if (!options.system_prompt.empty()) messages.push_back(Json{{"role", "system"}, {"content", options.system_prompt}});
    // A failed unit's reason is an error message (an endpoint, a raw reply), not an
    // evaluation: RM-Gallery's failed reward has no details, so its feedback is none.
    // RefinementFeedback sees whether output[0]'s unit failed, except for a pairwise
    // reward, whose failed pairs leave no mark but their details.
    const bool unknown_failure = failed_units > 0 && reward.family() == RewardFamily::kPairwise;
    const std::string feedback = unknown_failure ? std::string(kNoRefinementFeedback) : RefinementFeedback(scored);
    messages.push_back(Json{{"role", "user"}, {"content", RefinementPrompt(refined, feedback)}});
    if (!Ask(client, options, std::move(messages), "iteration " + std::to_string(iteration), result, &answer)) {
      return result;
    }
    refined.output.push_back(AssistantAnswer(std::move(answer)));
  }
  return result;
}

}  // namespace rmg
