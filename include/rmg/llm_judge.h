// Custom LLM judges in C++ ("Level 3"): write a JudgeFormat — the prompt for the
// outputs shown and how to read the model's reply — and MakeLlmJudge turns it into
// a reward with everything the built-in judges have: the asynchronous client with
// retries and rate limits, the response cache, position-bias handling, error
// details, and RM-Gallery's result layout. See examples/custom_judge.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rmg/reward.h"
#include "rmg/schema.h"

namespace rmg {

// What the model replied, with a leading <think>…</think> (or reasoning_content)
// kept apart from the answer so tags inside the thinking do not count.
struct JudgeReply {
  std::string answer;
  std::string thinking;
  std::string raw;  // the content as received
};

// A reply read into scores: one per shown output, in the order shown.
struct Verdict {
  std::vector<double> scores;
  std::string reason;
};

class JudgeFormat {
 public:
  virtual ~JudgeFormat() = default;

  // Pointwise (1 output shown), pairwise (2) or listwise (all).
  virtual RewardFamily family() const = 0;

  // The prompt about `shown` (outputs of `sample`, in the order to show them).
  // Throws std::exception for a sample it cannot judge (the unit then fails).
  virtual std::string Prompt(const DataSample& sample, const std::vector<const DataOutput*>& shown,
                             bool enable_thinking) const = 0;

  // Reads `reply` about `shown_count` outputs into `verdict`; returns an error
  // message instead when the reply does not say what was asked.
  virtual std::optional<std::string> Read(const JudgeReply& reply, size_t shown_count, Verdict* verdict) const = 0;
};

// A judge reward named `name` asking through `format`, configured by `params`:
// the shared LLM parameters (model, base_url, api_key, temperature, max_tokens,
// enable_thinking, extra_body, system_prompt, concurrency, rps, timeout_seconds,
// max_retries, cache) plus shuffle and seed (listwise) or both_orders (pairwise),
// with the same defaults and environment fallbacks as the built-in judges
// (`rmg list --json`). Throws RegistryError for a bad parameter, a missing key or a
// format of another family.
std::unique_ptr<RewardModel> MakeLlmJudge(std::string name, std::unique_ptr<JudgeFormat> format,
                                          const Json& params = Json::object());

}  // namespace rmg
