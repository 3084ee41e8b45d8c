// JudgeReward: a reward whose verdicts come from an LLM. A JudgeFormat says what
// to ask and how to read the answer; JudgeReward does the rest, the same way for
// every judge: it fans a sample out into units (each output, each pair, or all
// outputs at once, as the families in reward.h do), sends one prompt per unit
// through the shared asynchronous ChatClient, consults and fills the response
// cache, retries unreadable replies within the same attempt budget as transport
// faults, and writes each unit's result where RM-Gallery puts it.
//   listwise: the answers are shown in a seeded shuffled order (per sample, so the
//             prompt — and its cache entry — are stable) and the verdict is mapped
//             back, so position bias cannot pick the winner.
//   pairwise: with both_orders each pair is asked as (A, B) and as (B, A) and the
//             two verdicts averaged, which cancels position bias.
// A unit that fails for good gets one detail with the error score whose reason
// says why and quotes the model's raw reply; extra_data then holds {"error": …}.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llm/llm_settings.h"
#include "rmg/llm_judge.h"
#include "rmg/reward.h"

namespace rmg::llm {

using rmg::JudgeFormat;
using rmg::JudgeReply;
using rmg::Verdict;

struct JudgeOptions {
  bool shuffle = true;       // listwise: show the answers in a seeded shuffled order
  uint64_t seed = 42;
  bool both_orders = true;   // pairwise: ask each pair in both orders
};

class JudgeReward : public RewardModel {
 public:
  JudgeReward(std::string name, std::unique_ptr<JudgeFormat> format, LlmSettings settings, JudgeOptions options);

  RewardFamily family() const override { return format_->family(); }
  size_t Apply(DataSample& sample, const EvalContext& context) const override;
  bool is_async() const override { return true; }
  // Its client's concurrency: a sample needs at least one request.
  size_t requests_in_flight() const override { return static_cast<size_t>(settings_.client.concurrency); }
  size_t requests_at_once(const DataSample& sample) const override;
  void ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const override;

  // The prompts this judge would send for `sample`, one per call, without sending
  // anything (RM-Gallery's `format`). Throws std::invalid_argument, saying why, for
  // a sample the judge cannot build a prompt for.
  std::vector<std::string> Prompts(const DataSample& sample) const;

 private:
  struct Call;
  struct Job;
  std::vector<Call> PlanCalls(const DataSample& sample) const;
  void Send(std::shared_ptr<Job> job, size_t call_index, int attempts_left) const;
  // format_->Read, held to its contract: one score per output shown, and an exception
  // (a format written by a user) is an unreadable reply, not the end of the process.
  std::optional<std::string> ReadVerdict(const ChatReply& reply, size_t shown_count, Verdict* verdict) const;
  void CallDone(std::shared_ptr<Job> job) const;
  void Finish(const std::shared_ptr<Job>& job) const;

  std::unique_ptr<JudgeFormat> format_;
  LlmSettings settings_;
  JudgeOptions options_;
  std::shared_ptr<ChatClient> client_;
  std::shared_ptr<ResponseCache> cache_;  // null when off
};

// Splits a reply into its answer and its thinking (see JudgeReply).
JudgeReply SplitReply(const ChatReply& reply);

}  // namespace rmg::llm
