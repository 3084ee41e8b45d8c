// Rewards and their families. A reward scores one unit — an output (pointwise), a
// pair of outputs (pairwise), all outputs of a sample (listwise) or one step of an
// output (stepwise) — and the family code fans a sample out into units, writes the
// details and recomputes the scores, exactly as RM-Gallery's families do:
//   pointwise  details -> output[i].answer.reward, extra_data -> answer.additional_kwargs[name]
//   pairwise   each pair i < j once (never an output with itself); rank[0] -> i, rank[1] -> j
//   listwise   rank[i] -> output[i]; extra_data -> input[-1].additional_kwargs[name]
//   stepwise   details -> output[i].steps[k].reward, extra_data -> step.additional_kwargs[name]
// A score is the mean of all details on that reward. A unit whose evaluation throws
// or runs out of time gets one detail with the error score and a reason saying why.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/deadline.h"
#include "rmg/schema.h"

namespace rmg {

// kComposite is a composition of other rewards (composition.h), not a family of its own.
enum class RewardFamily { kPointwise, kPairwise, kListwise, kStepwise, kComposite };

// "pointwise", "pairwise", "listwise", "stepwise" or "composite".
std::string_view FamilyName(RewardFamily family);

// What scoring one pointwise or stepwise unit produced (RM-Gallery's RewardResult).
struct RewardResult {
  std::vector<RewardDetail> details;
  Json extra_data;  // object or null; stored under the reward's name
};

// A dimension that ranks several outputs (RM-Gallery's RewardDimensionWithRank):
// rank[i] is the score given to the i-th output of the unit.
struct RankDetail {
  std::string name;
  std::string reason;
  std::vector<double> rank;
};

// What scoring one pairwise or listwise unit produced.
struct RankResult {
  std::vector<RankDetail> details;
  Json extra_data;
};

// How a sample is evaluated: its time limit and the score of a failed unit.
struct EvalContext {
  Deadline deadline = Deadline::Never();
  double error_score = 0.0;
};

class RewardModel {
 public:
  virtual ~RewardModel() = default;

  // The instance name: the name of the details this reward writes (RM-Gallery's
  // `name` field; for several rule rewards it differs from the registry name).
  const std::string& name() const { return name_; }

  virtual RewardFamily family() const = 0;

  // Scores `sample` in place: appends details and recomputes the affected scores.
  // Never throws for a failure inside one unit (that unit gets an error detail).
  // Returns the number of units that failed or timed out.
  virtual size_t Apply(DataSample& sample, const EvalContext& context) const = 0;

  // Returns a scored copy of `sample`; the caller's sample is never changed.
  DataSample Evaluate(const DataSample& sample, const EvalContext& context = {}) const;

  // Receives the number of failed units when an asynchronous evaluation ends.
  using Done = std::function<void(size_t failed_units)>;

  // True if scoring waits on I/O (an LLM judge): callers should then keep many
  // samples in flight with ApplyAsync rather than block a thread on each.
  virtual bool is_async() const { return false; }

  // For an asynchronous reward: how many requests to keep in flight at once, 0 for no
  // limit of its own; a sample takes requests_at_once(sample) of them. A sample's
  // deadline runs from its start, so a sample started only to wait behind the reward's
  // own limit (an LLM judge's `concurrency` requests at once) would spend its time
  // waiting, and a healthy endpoint would time it out.
  virtual size_t requests_in_flight() const { return 0; }

  // How many requests scoring `sample` sends at once: a pointwise judge one per
  // output, a pairwise one per ordered pair, a listwise one 1.
  virtual size_t requests_at_once(const DataSample&) const { return 1; }

  // True if scoring runs programs (code in the sandbox): a sample may take seconds
  // however quick the ones before it were, so a server never scores it on an I/O thread.
  virtual bool runs_programs() const { return false; }

  // True if callers should keep samples in flight with ApplyAsync: the reward waits on
  // I/O and runs no programs. One that also runs programs (a composition of a judge and
  // code_execution) is scored with Apply on worker threads: run on an LLM client's
  // completion threads, its programs would hold up every judge's replies.
  bool scored_asynchronously() const { return is_async() && !runs_programs(); }

  // True if an answer's score comes from comparing it with the sample's other answers
  // (a pairwise reward, or a composition holding one): equal scores are then a tie.
  virtual bool compares_outputs() const { return family() == RewardFamily::kPairwise; }

  // Scores `sample` like Apply and calls `done` exactly once when finished — on
  // another thread, or before returning. `sample` must stay alive and untouched
  // until then. The default runs Apply on the calling thread.
  virtual void ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const {
    done(Apply(sample, context));
  }

 protected:
  explicit RewardModel(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

class PointwiseReward : public RewardModel {
 public:
  RewardFamily family() const final { return RewardFamily::kPointwise; }
  size_t Apply(DataSample& sample, const EvalContext& context) const final;

  // Scores `output` (one of sample.output) on its own.
  virtual RewardResult EvaluateOutput(const DataSample& sample, const DataOutput& output,
                                      const Deadline& deadline) const = 0;

 protected:
  using RewardModel::RewardModel;
};

class PairwiseReward : public RewardModel {
 public:
  RewardFamily family() const final { return RewardFamily::kPairwise; }
  size_t Apply(DataSample& sample, const EvalContext& context) const final;

  // Compares two distinct outputs of `sample`; every detail's rank has 2 entries.
  virtual RankResult EvaluatePair(const DataSample& sample, const DataOutput& first, const DataOutput& second,
                                  const Deadline& deadline) const = 0;

 protected:
  using RewardModel::RewardModel;
};

class ListwiseReward : public RewardModel {
 public:
  RewardFamily family() const final { return RewardFamily::kListwise; }
  size_t Apply(DataSample& sample, const EvalContext& context) const final;

  // Ranks all outputs of `sample`; every detail's rank has one entry per output.
  virtual RankResult EvaluateList(const DataSample& sample, const Deadline& deadline) const = 0;

 protected:
  using RewardModel::RewardModel;
};

class StepwiseReward : public RewardModel {
 public:
  RewardFamily family() const final { return RewardFamily::kStepwise; }
  size_t Apply(DataSample& sample, const EvalContext& context) const final;

  // Scores one step of `output`. Outputs without steps are an error for that output.
  virtual RewardResult EvaluateStep(const DataSample& sample, const DataOutput& output, const Step& step,
                                    const Deadline& deadline) const = 0;

 protected:
  using RewardModel::RewardModel;
};

}  // namespace rmg
