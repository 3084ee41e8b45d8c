// LLM refinement (RM-Gallery's LLMRefinement, api doc §9): a reward critiques a
// sample's answers and an LLM writes a better answer from that feedback, a fixed
// number of times. Each iteration:
//   1. scores a copy of the sample (all answers so far) with the reward;
//   2. takes as feedback the reason of the first detail of output[0] — always the
//      first answer, never the newest (RM-Gallery's quirk, §14 item 21, followed:
//      with a pointwise reward the feedback is the same every iteration), or
//      "No valid evaluation feedback available." when it has none;
//   3. sends RefinementPrompt(sample, feedback) to the LLM and appends its reply,
//      with any <think>…</think> reasoning removed, as a new assistant answer.
// A sample without outputs first gets one answer from the LLM asked with its input
// messages as they are (RM-Gallery's llm.chat(input)), and so ends with
// 1 + max_iterations outputs; any other sample with its own + max_iterations.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "rmg/chat_client.h"
#include "rmg/reward.h"
#include "rmg/schema.h"

namespace rmg {

// RM-Gallery's feedback when output[0] has no detail with a reason.
inline constexpr std::string_view kNoRefinementFeedback = "No valid evaluation feedback available.";

struct RefinementOptions {
  int max_iterations = 3;
  // Every field of the request body except `messages` (model, temperature,
  // max_tokens, extra fields).
  Json request_fields = Json::object();
  // The system message before each refinement prompt (RM-Gallery's simple_chat
  // sends "You are a helpful assistant."); "" sends none. The first answer of an
  // empty sample is asked with the input messages alone, as RM-Gallery's chat().
  std::string system_prompt = "You are a helpful assistant.";
  // Time limit of each reward evaluation (0 = none), and the score of a unit that
  // failed or ran out of time (its reason then becomes the feedback).
  double reward_timeout_seconds = 0.0;
  double error_score = 0.0;
};

struct RefinementResult {
  // The caller's sample with the new answers appended (for a failed sample: those
  // made before the failure). The original outputs are as they came, and the new
  // ones carry no reward: the reward's details stay on the scored copies.
  DataSample sample;
  std::string error;  // "" on success; else which call failed and why (one line)
  size_t llm_calls = 0;

  bool ok() const { return error.empty(); }
};

// The feedback of a scored sample: the reason of the first detail of output[0]
// that has a non-empty reason, else kNoRefinementFeedback (also when that detail is a
// judge's failure, which stores {"error": ...} under its name in additional_kwargs).
std::string RefinementFeedback(const DataSample& scored);

// The prompt asking for a better answer to `sample`'s conversation, showing its
// answers numbered <response_1>…</response_1> and the feedback. The doc gives no
// text of RM-Gallery's prompt, so this is rmg's own prompt with the same parts;
// it does not copy RM-Gallery's mismatched tags <response_i>…</response_{i+1}> or
// its "respoonse" typo (§14 item 21), which only confuse the model.
std::string RefinementPrompt(const DataSample& sample, std::string_view feedback);

// `reply` without the reasoning a thinking model put before its answer
// (<think>…</think>, or a leading block closed by </think>), trimmed. A reply
// that never closes its <think> has given no answer and yields "".
std::string WithoutThinking(std::string_view reply);

// Runs `options.max_iterations` refinement iterations on a copy of `sample`
// (the caller's sample is never changed). Never throws for an LLM failure: the
// result says which call failed and the remaining iterations are not run.
RefinementResult Refine(const RewardModel& reward, ChatClient& client, const DataSample& sample,
                        const RefinementOptions& options);

}  // namespace rmg
