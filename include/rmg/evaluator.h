// Batch evaluation: score many samples with one reward on a pool of worker
// threads. Every sample gets its own deadline; a unit that fails or times out gets
// an error detail (see reward.h), so nothing is dropped and one bad sample never
// stops the batch. Results keep the input order.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rmg/reward.h"
#include "rmg/schema.h"
#include "rmg/string_hash.h"

namespace rmg {

struct EvalOptions {
  int workers = 1;               // threads scoring samples
  double timeout_seconds = 0.0;  // per-sample deadline; 0 means none
  double error_score = 0.0;      // score of a unit that failed or timed out
  // EvaluateJsonRecords: records a worker takes at a time. Large chunks amortise the
  // hand-off for fast rewards; 1 spreads a few slow samples (an LLM refinement, say)
  // over every worker.
  size_t chunk_records = 64;
  // Set from another thread to stop the run early: samples not started yet get a
  // "cancelled" error detail without being scored, and those in flight see their
  // deadline pass (Deadline::CancelledBy). Null: the run cannot be cancelled.
  const std::atomic<bool>* cancelled = nullptr;
};

// A record that could not be read as a DataSample.
struct RecordError {
  size_t line = 0;  // 1-based line (JSONL) or record number (JSON array)
  std::string message;
};

struct EvalStats {
  size_t samples = 0;       // samples scored
  size_t skipped = 0;       // samples skipped because their unique_id was already done
  size_t outputs = 0;       // outputs scored
  double score_sum = 0.0;   // sum of the outputs' answer scores
  size_t failed_units = 0;  // units that failed or timed out
  size_t failed_samples = 0;  // samples with at least one such unit
  std::vector<RecordError> bad_records;
  double seconds = 0.0;     // wall time of the run

  double MeanScore() const { return outputs == 0 ? 0.0 : score_sum / static_cast<double>(outputs); }
};

// Scores copies of `samples`; returns them in input order.
std::vector<DataSample> EvaluateBatch(const RewardModel& reward, const std::vector<DataSample>& samples,
                                      const EvalOptions& options, EvalStats* stats = nullptr);

// One DataSample as JSON text, with the line it came from (0: records made in memory,
// which errors then name by unique_id alone).
struct JsonRecord {
  size_t line = 0;
  std::string_view text;
};

struct StreamCallbacks {
  // Receives the scored samples as JSONL text (whole lines), in input order.
  std::function<void(std::string_view jsonl)> write;
  // For rewards that wait on I/O (LLM judges): write each sample as soon as it is
  // scored instead of in input order, for outputs read back by unique_id. An
  // interrupted run then has written every finished sample, not only those before
  // the first unfinished one; --resume scores just the rest.
  bool any_order = false;
  // Called after each write with the number of records handled so far (may be empty).
  std::function<void(size_t done)> progress;
  // Applied to each scored sample, with its failed units, after it is counted in the
  // stats and before it is written (best-of-n keeps the top outputs here), so the work
  // stays on the workers. May be empty; may run on any thread, several at once.
  std::function<void(DataSample& sample, size_t failed_units)> transform;
  // Where the record numbered `line` came from ("file:line"), for errors; empty: "input
  // line N".
  std::function<std::string(size_t line)> origin;
};

// Parses, scores and serialises `records` on `options.workers` threads, writing
// the results in order through `callbacks.write` from the calling thread. Records
// that are not valid DataSamples are listed in stats.bad_records and not written.
// `done` (resuming; PrepareResume in record_file.h) holds the fingerprints of the
// samples of each unique_id already scored: the samples that match one (each copy
// once) are skipped, and the others scored. Throws std::runtime_error, before scoring
// anything, when a copy matches no sample while a sample of its id matches no copy
// (its input, outputs, labels or metadata changed since), naming the unique_id and
// that sample's place (callbacks.origin). `records` must stay valid until the call
// returns.
EvalStats EvaluateJsonRecords(const RewardModel& reward, const std::vector<JsonRecord>& records,
                              const EvalOptions& options, const StreamCallbacks& callbacks,
                              const StringMap<std::vector<size_t>>* done = nullptr);

}  // namespace rmg
