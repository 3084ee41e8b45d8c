#include "rmg/evaluator.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "rmg/record_file.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

using Clock = std::chrono::steady_clock;

// Samples in flight at once for a reward that waits on I/O, at most, and its requests
// when it sets no limit of its own: the reward's own client caps the requests
// actually on the wire.
constexpr size_t kAsyncWindow = 1024;

// The requests to keep in flight for `reward`: no more than it can serve at once
// (requests_in_flight), so that no sample waits out its deadline behind the others.
size_t AsyncWindow(const RewardModel& reward) {
  const size_t limit = reward.requests_in_flight();
  return limit > 0 ? std::min(limit, kAsyncWindow) : kAsyncWindow;
}

// The context of one sample; throws DeadlineExceeded("cancelled") once the run was
// cancelled, so that a cancelled run starts nothing new.
EvalContext ContextFor(const EvalOptions& options) {
  EvalContext context;
  if (options.timeout_seconds > 0) context.deadline = Deadline::After(options.timeout_seconds);
  context.deadline = context.deadline.CancelledBy(options.cancelled);
  if (context.deadline.Cancelled()) throw DeadlineExceeded("cancelled");
  context.error_score = options.error_score;
  return context;
}

// Gives every output an error detail for a failure that escaped the reward (a
// composition's own error, say) and returns the number of failed units.
size_t RecordEscapedError(const RewardModel& reward, DataSample& sample, const EvalOptions& options,
                          const std::exception& e) {
  for (DataOutput& output : sample.output) {
    Reward& r = MutableReward(output.answer);
    r.details.push_back(RewardDetail{reward.name(), options.error_score, "error: " + std::string(e.what()), nullptr});
    RecomputeScore(r);
  }
  return std::max<size_t>(1, sample.output.size());
}

// Adds a scored sample to `stats`.
void CountSample(const DataSample& sample, size_t failed_units, EvalStats& stats) {
  stats.failed_units += failed_units;
  if (failed_units > 0) stats.failed_samples += 1;
  stats.samples += 1;
  for (const DataOutput& output : sample.output) {
    if (!output.answer.reward) continue;  // left unscored (a lone output, for a pairwise reward)
    stats.outputs += 1;
    stats.score_sum += output.answer.reward->score;
  }
}

// Scores `sample` in place and adds it to `stats`; returns its failed units.
size_t ScoreSample(const RewardModel& reward, DataSample& sample, const EvalOptions& options, EvalStats& stats) {
  size_t failed = 0;
  try {
    failed = reward.Apply(sample, ContextFor(options));
  } catch (const std::exception& e) {
    failed = RecordEscapedError(reward, sample, options, e);
  }
  CountSample(sample, failed, stats);
  return failed;
}

// Starts scoring `sample` with an asynchronous reward; `done` gets the failed units.
void StartScoring(const RewardModel& reward, DataSample& sample, const EvalOptions& options,
                  const std::function<void(size_t)>& done) {
  try {
    reward.ApplyAsync(sample, ContextFor(options), done);
  } catch (const std::exception& e) {
    done(RecordEscapedError(reward, sample, options, e));
  }
}

void Merge(EvalStats& into, EvalStats&& from) {
  into.samples += from.samples;
  into.skipped += from.skipped;
  into.outputs += from.outputs;
  into.score_sum += from.score_sum;
  into.failed_units += from.failed_units;
  into.failed_samples += from.failed_samples;
  for (RecordError& error : from.bad_records) into.bad_records.push_back(std::move(error));
}

// Runs `work(index)` for index = 0, 1, ... on up to `workers` threads (never more than
// `max_count`, the most indices there can be) for as long as `claim(index)` allows, and
// `finish(index)` on the calling thread in index order as soon as each is done.
// `claim` runs under a lock as each index is handed out, in index order, and returns
// false when there is no more work. At most `window` indices are in flight beyond the
// last finished one, which bounds memory: index % window names a slot for each.
void RunOrdered(size_t max_count, int workers, size_t window, const std::function<bool(size_t)>& claim,
                const std::function<void(size_t)>& work, const std::function<void(size_t)>& finish) {
  if (max_count == 0) return;
  window = std::max<size_t>(1, window);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<char> done(window, 0);  // per slot
  size_t next = 0;                    // next index to hand out: [0, next) were claimed
  size_t finished = 0;                // indices [0, finished) are finished
  bool exhausted = false;             // claim said no (or the run is stopping)
  auto worker = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [&] { return exhausted || next < finished + window; });
      if (exhausted) return;
      if (!claim(next)) {
        exhausted = true;
        changed.notify_all();
        return;
      }
      const size_t index = next++;
      lock.unlock();
      work(index);
      lock.lock();
      done[index % window] = 1;
      changed.notify_all();
    }
  };
  // When the system refuses a thread, those already started do the work; the
  // joinable threads must be joined before any exception leaves, or std::terminate
  // ends the process.
  std::vector<std::thread> threads;
  const size_t wanted = std::min(max_count, static_cast<size_t>(std::max(1, workers)));
  for (size_t i = 0; i < wanted; ++i) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error&) {
      if (threads.empty()) throw;
      break;
    }
  }
  const auto stop_and_join = [&] {
    {
      std::lock_guard lock(mutex);
      exhausted = true;
    }
    changed.notify_all();
    for (std::thread& t : threads) t.join();
  };
  try {
    for (size_t index = 0;; ++index) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return done[index % window] != 0 || (exhausted && index >= next); });
        if (done[index % window] == 0) break;  // every claimed index is finished
      }
      finish(index);
      {
        std::lock_guard lock(mutex);
        done[index % window] = 0;
        finished = index + 1;
      }
      changed.notify_all();
    }
  } catch (...) {
    stop_and_join();
    throw;
  }
  stop_and_join();
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// For rewards that wait on I/O: `start(index, done)` begins work on index and returns
// how many requests it sends at once; `done(failed_units)` may be called from any
// thread; `finish(index, failed_units)` runs on the calling thread, in index order or,
// with `any_order`, as indices are done. Indices start while fewer than `requests`
// requests are in flight (a sample of many requests counted as many: a window of
// samples let a judge's samples of four outputs each queue four times the requests
// the client sends at once, and time out waiting), and at most kAsyncWindow indices
// are started and not yet finished, so a million samples never sit in memory at once.
void RunAsyncOrdered(size_t count, size_t requests, bool any_order,
                     const std::function<size_t(size_t, std::function<void(size_t)>)>& start,
                     const std::function<void(size_t, size_t)>& finish) {
  std::mutex mutex;
  std::condition_variable changed;
  std::map<size_t, size_t> finished;  // index -> failed units, for indices done but not yet handed to finish
  std::map<size_t, size_t> sending;   // index -> its requests, for indices started and not yet done
  size_t requests_sending = 0;
  size_t next = 0;
  size_t handled = 0;
  // In input order the indices started run ahead of the oldest not yet handed on; in
  // any order they are those not yet handed on.
  auto can_start = [&] { return next < count && next < handled + kAsyncWindow && requests_sending < requests; };
  auto can_finish = [&] { return any_order ? !finished.empty() : finished.count(handled) != 0; };
  while (handled < count) {
    while (true) {
      {
        std::lock_guard lock(mutex);
        if (!can_start()) break;
      }
      const size_t started = next++;
      const size_t sends = std::max<size_t>(1, start(started, [&, started](size_t failed) {
                                              std::lock_guard lock(mutex);
                                              finished.emplace(started, failed);
                                              if (const auto it = sending.find(started); it != sending.end()) {
                                                requests_sending -= it->second;
                                                sending.erase(it);
                                              }
                                              changed.notify_all();
                                            }));
      std::lock_guard lock(mutex);
      if (finished.count(started) == 0) {  // not done already
        sending.emplace(started, sends);
        requests_sending += sends;
      }
    }
    size_t index = 0, failed = 0;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return can_finish() || can_start(); });
      if (!can_finish()) continue;
      index = any_order ? finished.begin()->first : handled;
      failed = finished[index];
      finished.erase(index);
    }
    finish(index, failed);
    ++handled;
  }
}

}  // namespace

std::vector<DataSample> EvaluateBatch(const RewardModel& reward, const std::vector<DataSample>& samples,
                                      const EvalOptions& options, EvalStats* stats) {
  const auto start = Clock::now();
  std::vector<DataSample> results(samples);
  std::vector<EvalStats> partial(results.size());
  if (reward.scored_asynchronously()) {
    RunAsyncOrdered(
        results.size(), AsyncWindow(reward), /*any_order=*/false,
        [&](size_t i, std::function<void(size_t)> done) {
          const size_t requests = reward.requests_at_once(results[i]);
          StartScoring(reward, results[i], options, done);
          return requests;
        },
        [&](size_t i, size_t failed) { CountSample(results[i], failed, partial[i]); });
  } else {
    RunOrdered(
        results.size(), options.workers, results.size(), [&](size_t i) { return i < results.size(); },
        [&](size_t i) { ScoreSample(reward, results[i], options, partial[i]); }, [](size_t) {});
  }
  if (stats) {
    *stats = EvalStats();
    for (EvalStats& s : partial) Merge(*stats, std::move(s));
    stats->seconds = SecondsSince(start);
  }
  return results;
}

namespace {

// Which records a resumed run skips: each record whose fingerprint is among those
// `done` holds for its unique_id, each scored copy matched once (copies of one id may
// have been written in any order, and --retry-failed moves a copy to the end). A record
// of such an id that matches no copy is scored: it is another sample with that id.
// But a scored copy left unmatched means the input changed since it was scored (its
// input, outputs, labels or metadata): that throws, naming an unmatched record of the
// id through `origin`. Records that cannot be read are never skipped: they are
// reported again. The id is the one the output holds: the sample's as ParseDataSample
// reads it (a number as its text, a lone surrogate as U+FFFD, the last of repeated keys).
std::vector<char> RecordsToSkip(const std::vector<JsonRecord>& records, const StringMap<std::vector<size_t>>& done,
                                const std::function<std::string(size_t line)>& origin) {
  StringMap<std::vector<size_t>> left = done;  // the scored copies not yet matched
  std::vector<char> skip(records.size(), 0);
  if (left.empty()) return skip;
  StringMap<size_t> unmatched;  // id -> the first record of it that matched no copy
  for (size_t i = 0; i < records.size(); ++i) {
    DataSample sample;
    try {
      sample = ParseDataSample(records[i].text);
    } catch (const std::exception&) {
      continue;
    }
    const auto found = left.find(sample.unique_id);
    if (found == left.end()) continue;
    std::vector<size_t>& scored = found->second;
    const auto match = std::find(scored.begin(), scored.end(), ResumeFingerprint(sample));
    if (match == scored.end()) {
      unmatched.emplace(sample.unique_id, i);
      continue;
    }
    skip[i] = 1;
    *match = scored.back();
    scored.pop_back();
  }
  // The first such record in input order, so that the error is the same from run to run.
  const std::string* changed_id = nullptr;
  size_t changed = records.size();
  for (const auto& [id, record] : unmatched) {
    if (!left.find(id)->second.empty() && record < changed) {
      changed_id = &id;
      changed = record;
    }
  }
  if (changed_id != nullptr) {
    const size_t line = records[changed].line;
    throw std::runtime_error(
        (line > 0 ? (origin ? origin(line) : "input line " + std::to_string(line)) + ": " : std::string()) +
        "sample '" + *changed_id +
        "' is not the one of that unique_id already scored in the output (its input, outputs, labels or "
        "metadata changed since): write to a new output, or remove that sample from it to score it again");
  }
  return skip;
}

// EvaluateJsonRecords for a reward that waits on I/O: records are parsed and
// started on the calling thread, up to AsyncWindow in flight, and written in order.
EvalStats EvaluateJsonRecordsAsync(const RewardModel& reward, const std::vector<JsonRecord>& records,
                                   const EvalOptions& options, const StreamCallbacks& callbacks,
                                   const std::vector<char>& skip) {
  const auto start = Clock::now();
  EvalStats total;
  // Slots for the samples in flight; a record that was bad or skipped keeps none.
  std::map<size_t, std::unique_ptr<DataSample>> in_flight;
  std::mutex slots_mutex;
  std::string jsonl;
  size_t handled = 0;
  RunAsyncOrdered(
      records.size(), AsyncWindow(reward), callbacks.any_order,
      [&](size_t i, std::function<void(size_t)> done) {
        auto sample = std::make_unique<DataSample>();
        try {
          *sample = ParseDataSample(records[i].text);
        } catch (const std::exception& e) {
          total.bad_records.push_back(RecordError{records[i].line, e.what()});
          done(0);
          return size_t{0};
        }
        if (!skip.empty() && skip[i]) {
          total.skipped += 1;
          done(0);
          return size_t{0};
        }
        DataSample* raw = sample.get();
        const size_t requests = reward.requests_at_once(*raw);
        {
          std::lock_guard lock(slots_mutex);
          in_flight.emplace(i, std::move(sample));
        }
        StartScoring(reward, *raw, options, done);
        return requests;
      },
      [&](size_t i, size_t failed) {
        std::unique_ptr<DataSample> sample;
        {
          std::lock_guard lock(slots_mutex);
          auto it = in_flight.find(i);
          if (it != in_flight.end()) {
            sample = std::move(it->second);
            in_flight.erase(it);
          }
        }
        if (sample) {
          CountSample(*sample, failed, total);
          if (callbacks.transform) callbacks.transform(*sample, failed);
          jsonl.clear();
          AppendDataSampleJson(*sample, &jsonl);
          jsonl.push_back('\n');
          if (callbacks.write) callbacks.write(jsonl);
        }
        if (callbacks.progress) callbacks.progress(++handled);
      });
  total.seconds = SecondsSince(start);
  return total;
}

}  // namespace

EvalStats EvaluateJsonRecords(const RewardModel& reward, const std::vector<JsonRecord>& records,
                              const EvalOptions& options, const StreamCallbacks& callbacks,
                              const StringMap<std::vector<size_t>>* done) {
  const std::vector<char> skip = done ? RecordsToSkip(records, *done, callbacks.origin) : std::vector<char>();
  if (reward.scored_asynchronously()) return EvaluateJsonRecordsAsync(reward, records, options, callbacks, skip);
  const auto start = Clock::now();
  // Chunks amortise the hand-off between threads, and are written whole: a chunk of
  // slow samples (programs run against tests, say) would keep finished ones from the
  // output, and from a run that is then killed. So a chunk is sized to take about
  // kChunkSeconds by the last chunk's time per record, at most chunk_records, and
  // is a single record until a chunk has been timed.
  constexpr double kChunkSeconds = 0.02;
  const size_t max_chunk = std::max<size_t>(1, options.chunk_records);
  const size_t workers = static_cast<size_t>(std::max(1, options.workers));
  const size_t window = 4 * workers;
  struct ChunkResult {
    std::string jsonl;
    EvalStats stats;
  };
  struct Range {
    size_t begin = 0, end = 0;
  };
  std::vector<Range> ranges(window);  // per slot (chunk % window) of RunOrdered
  std::vector<std::optional<ChunkResult>> results(window);
  size_t next_record = 0;                        // guarded by RunOrdered's lock, under which claim runs
  std::atomic<double> seconds_per_record{-1.0};  // of the last chunk timed; < 0: none yet

  auto claim = [&](size_t chunk) {
    if (next_record >= records.size()) return false;
    const double per_record = seconds_per_record.load(std::memory_order_relaxed);
    size_t size = 1;
    if (per_record >= 0) {
      const double fitting = per_record > 0 ? kChunkSeconds / per_record : static_cast<double>(max_chunk);
      size = static_cast<size_t>(std::clamp(fitting, 1.0, static_cast<double>(max_chunk)));
    }
    ranges[chunk % window] = Range{next_record, std::min(records.size(), next_record + size)};
    next_record = ranges[chunk % window].end;
    return true;
  };
  auto work = [&](size_t chunk) {
    const Range range = ranges[chunk % window];
    const auto chunk_start = Clock::now();
    ChunkResult result;
    for (size_t i = range.begin; i < range.end; ++i) {
      DataSample sample;
      try {
        sample = ParseDataSample(records[i].text);
      } catch (const std::exception& e) {
        result.stats.bad_records.push_back(RecordError{records[i].line, e.what()});
        continue;
      }
      if (!skip.empty() && skip[i]) {
        result.stats.skipped += 1;
        continue;
      }
      const size_t failed = ScoreSample(reward, sample, options, result.stats);
      if (callbacks.transform) callbacks.transform(sample, failed);
      AppendDataSampleJson(sample, &result.jsonl);
      result.jsonl.push_back('\n');
    }
    seconds_per_record.store(SecondsSince(chunk_start) / static_cast<double>(range.end - range.begin),
                             std::memory_order_relaxed);
    results[chunk % window] = std::move(result);
  };
  EvalStats total;
  auto finish = [&](size_t chunk) {
    ChunkResult& result = *results[chunk % window];
    if (!result.jsonl.empty() && callbacks.write) callbacks.write(result.jsonl);
    Merge(total, std::move(result.stats));
    results[chunk % window].reset();
    if (callbacks.progress) callbacks.progress(ranges[chunk % window].end);
  };
  RunOrdered(records.size(), options.workers, window, claim, work, finish);
  total.seconds = SecondsSince(start);
  return total;
}

}  // namespace rmg
