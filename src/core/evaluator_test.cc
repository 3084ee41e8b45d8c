#include "rmg/evaluator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "rmg/record_file.h"
#include "rmg/sample_io.h"

namespace rmg {
namespace {

// Score = the number in the content; "fail" throws, "hang" waits for the deadline.
class ContentNumber final : public PointwiseReward {
 public:
  ContentNumber() : PointwiseReward("number") {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline& deadline) const override {
    const std::string& content = output.answer.content;
    if (content == "fail") throw std::runtime_error("bad content");
    if (content == "hang") {
      while (true) {
        deadline.Check();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    RewardResult result;
    result.details.push_back({name(), std::stod(content), "", nullptr});
    return result;
  }
};

std::string Line(const std::string& id, const std::string& content) {
  return R"({"unique_id":")" + id + R"(","output":[{"answer":{"content":")" + content + R"("}}]})";
}

TEST(EvaluatorTest, BatchKeepsOrderAndNeverDropsSamples) {
  std::vector<DataSample> samples;
  for (int i = 0; i < 200; ++i) {
    samples.push_back(ParseDataSample(Line("s" + std::to_string(i), i % 50 == 7 ? "fail" : std::to_string(i))));
  }
  EvalOptions options;
  options.workers = 4;
  EvalStats stats;
  const auto results = EvaluateBatch(ContentNumber(), samples, options, &stats);
  ASSERT_EQ(results.size(), samples.size());
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(results[i].unique_id, "s" + std::to_string(i));
    const double expected = i % 50 == 7 ? 0.0 : i;
    EXPECT_DOUBLE_EQ(results[i].output[0].answer.reward->score, expected);
  }
  EXPECT_EQ(stats.samples, 200u);
  EXPECT_EQ(stats.failed_units, 4u);
}

// Prefers the output with the longer content.
class LongerContent final : public PairwiseReward {
 public:
  LongerContent() : PairwiseReward("longer") {}
  RankResult EvaluatePair(const DataSample&, const DataOutput& first, const DataOutput& second,
                          const Deadline&) const override {
    const bool first_longer = first.answer.content.size() > second.answer.content.size();
    return RankResult{{{name(), "", {first_longer ? 1.0 : 0.0, first_longer ? 0.0 : 1.0}}}, nullptr};
  }
};

// An output a reward leaves unscored (the only output, for a pairwise reward) is not a 0.
TEST(EvaluatorTest, TheMeanScoreCountsOnlyScoredOutputs) {
  const std::vector<DataSample> samples = {
      ParseDataSample(R"({"unique_id":"pair","output":[{"answer":{"content":"aa"}},{"answer":{"content":"b"}}]})"),
      ParseDataSample(R"({"unique_id":"alone","output":[{"answer":{"content":"c"}}]})")};
  EvalStats stats;
  EvaluateBatch(LongerContent(), samples, EvalOptions{}, &stats);
  EXPECT_EQ(stats.outputs, 2u);
  EXPECT_DOUBLE_EQ(stats.MeanScore(), 0.5);
}

TEST(EvaluatorTest, TimedOutSampleGetsReasonAndOthersFinish) {
  std::vector<DataSample> samples = {ParseDataSample(Line("a", "1")), ParseDataSample(Line("b", "hang")),
                                     ParseDataSample(Line("c", "3"))};
  EvalOptions options;
  options.workers = 2;
  options.timeout_seconds = 0.1;
  options.error_score = -1;
  const auto results = EvaluateBatch(ContentNumber(), samples, options);
  EXPECT_DOUBLE_EQ(results[1].output[0].answer.reward->score, -1.0);
  EXPECT_EQ(results[1].output[0].answer.reward->details[0].reason, "timed out: the 0.1 s deadline passed");
  EXPECT_DOUBLE_EQ(results[2].output[0].answer.reward->score, 3.0);
}

// Reports when its first unit starts, then waits for its deadline.
class EvaluatorWaitsForCancel final : public PointwiseReward {
 public:
  EvaluatorWaitsForCancel() : PointwiseReward("waits") {}
  std::future<void> Started() { return started_.get_future(); }
  RewardResult EvaluateOutput(const DataSample&, const DataOutput&, const Deadline& deadline) const override {
    started_.set_value();
    while (true) {
      deadline.Check();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

 private:
  mutable std::promise<void> started_;
};

TEST(EvaluatorTest, ACancelledRunEndsTheSampleInFlightAndStartsNoOther) {
  std::vector<DataSample> samples;
  for (const char* id : {"a", "b", "c"}) samples.push_back(ParseDataSample(Line(id, "x")));
  EvaluatorWaitsForCancel reward;
  std::future<void> started = reward.Started();
  std::atomic<bool> cancelled{false};
  EvalOptions options;
  options.cancelled = &cancelled;
  options.timeout_seconds = 3600;
  EvalStats stats;
  auto run = std::async(std::launch::async, [&] { return EvaluateBatch(reward, samples, options, &stats); });
  started.wait();
  cancelled = true;
  const std::vector<DataSample> results = run.get();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].output[0].answer.reward->details[0].reason, "cancelled");
  for (size_t i : {1, 2}) EXPECT_EQ(results[i].output[0].answer.reward->details[0].reason, "error: cancelled");
  EXPECT_EQ(stats.failed_units, 3u);
}

TEST(EvaluatorTest, StreamingWritesInOrderAndReportsBadRecords) {
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) lines.push_back(Line("s" + std::to_string(i), std::to_string(i)));
  lines[5] = "{not json";
  lines[77] = R"({"input":[]})";
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  std::string written;
  size_t last_progress = 0;
  StreamCallbacks callbacks;
  callbacks.write = [&](std::string_view text) { written += text; };
  callbacks.progress = [&](size_t done) {
    EXPECT_GE(done, last_progress);
    last_progress = done;
  };
  EvalOptions options;
  options.workers = 3;
  const EvalStats stats = EvaluateJsonRecords(ContentNumber(), records, options, callbacks);
  EXPECT_EQ(stats.samples, 298u);
  EXPECT_EQ(last_progress, 300u);
  ASSERT_EQ(stats.bad_records.size(), 2u);
  EXPECT_EQ(stats.bad_records[0].line, 6u);
  EXPECT_EQ(stats.bad_records[1].line, 78u);
  EXPECT_NE(stats.bad_records[1].message.find("unique_id"), std::string::npos);
  size_t expected_index = 0;
  size_t start = 0;
  while (start < written.size()) {
    const size_t end = written.find('\n', start);
    const DataSample sample = ParseDataSample(std::string_view(written).substr(start, end - start));
    while (expected_index == 5 || expected_index == 77) ++expected_index;
    EXPECT_EQ(sample.unique_id, "s" + std::to_string(expected_index));
    ++expected_index;
    start = end + 1;
  }
  EXPECT_EQ(expected_index, 300u);
  EXPECT_DOUBLE_EQ(stats.MeanScore(), (299.0 * 300 / 2 - 5 - 77) / 298);
}

// A write that fails (a full disk) ends the run with its exception once the workers
// have stopped; it used to leave joinable threads behind, and std::terminate.
TEST(EvaluatorTest, AFailingWriteStopsTheWorkersAndPropagates) {
  std::vector<std::string> lines;
  for (int i = 0; i < 5000; ++i) lines.push_back(Line("s" + std::to_string(i), "1"));
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  StreamCallbacks callbacks;
  size_t writes = 0;
  callbacks.write = [&](std::string_view) {
    if (++writes == 3) throw std::runtime_error("No space left on device");
  };
  EvalOptions options;
  options.workers = 4;
  EXPECT_THROW(EvaluateJsonRecords(ContentNumber(), records, options, callbacks), std::runtime_error);
  EXPECT_EQ(writes, 3u);
}

// More workers than samples start no idle threads (a million used to abort).
TEST(EvaluatorTest, WorkersBeyondTheSamplesAreNotStarted) {
  std::vector<DataSample> samples;
  for (int i = 0; i < 3; ++i) samples.push_back(ParseDataSample(Line("s" + std::to_string(i), std::to_string(i))));
  EvalOptions options;
  options.workers = 1000000;
  const auto results = EvaluateBatch(ContentNumber(), samples, options);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_DOUBLE_EQ(results[2].output[0].answer.reward->score, 2.0);
}

// What PrepareResume gives for an output holding `scored_lines`.
StringMap<std::vector<size_t>> Done(const std::vector<std::string>& scored_lines) {
  StringMap<std::vector<size_t>> done;
  for (const std::string& line : scored_lines) {
    const DataSample sample = ParseDataSample(line);
    done[sample.unique_id].push_back(ResumeFingerprint(sample));
  }
  return done;
}

TEST(EvaluatorTest, StreamingSkipsDoneIds) {
  const std::vector<std::string> lines = {Line("a", "1"), Line("b", "2"), Line("c", "3")};
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  const auto done = Done({lines[0], lines[2]});
  std::string written;
  StreamCallbacks callbacks;
  callbacks.write = [&](std::string_view text) { written += text; };
  const EvalStats stats = EvaluateJsonRecords(ContentNumber(), records, EvalOptions{}, callbacks, &done);
  EXPECT_EQ(stats.skipped, 2u);
  EXPECT_EQ(stats.samples, 1u);
  EXPECT_EQ(ParseDataSample(written.substr(0, written.size() - 1)).unique_id, "b");
}

// Resuming kept the output's copy of a sample whose labels had changed in the input
// since (chosen and rejected swapped, say), and reported figures mixing the two.
TEST(EvaluatorTest, ResumingRefusesASampleThatChangedSinceItWasScored) {
  const std::vector<std::string> lines = {Line("a", "1"), Line("b", "2"), Line("c", "3")};
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  // The scored copy: the same sample with what scoring adds, which does not count.
  DataSample scored = ParseDataSample(lines[1]);
  scored.output[0].answer.reward = Reward{2.0, {{"number", 2.0, "why", nullptr}}, nullptr};
  scored.output[0].answer.additional_kwargs = {{"number", {{"value", 2}}}};
  scored.metadata = {{"rmg_failed_units", 0}};
  std::string scored_line;
  AppendDataSampleJson(scored, &scored_line);
  const StreamCallbacks callbacks;
  const auto same = Done({scored_line});
  EXPECT_EQ(EvaluateJsonRecords(ContentNumber(), records, EvalOptions{}, callbacks, &same).skipped, 1u);
  // The input's sample "b" now answers something else.
  const auto changed = Done({Line("b", "20")});
  try {
    EvaluateJsonRecords(ContentNumber(), records, EvalOptions{}, callbacks, &changed);
    FAIL() << "a changed sample was resumed";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("input line 2: sample 'b' is not the one of that unique_id already scored", 0), 0u)
        << e.what();
  }
}

// Samples sharing an id were matched by membership: an output holding X and Y under
// one id resumed an input holding Y twice, and kept X.
TEST(EvaluatorTest, ResumingMatchesEachScoredCopyOnce) {
  const std::vector<std::string> lines = {Line("d", "2"), Line("d", "2")};
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  const StreamCallbacks callbacks;
  const auto changed = Done({Line("d", "1"), Line("d", "2")});
  try {
    EvaluateJsonRecords(ContentNumber(), records, EvalOptions{}, callbacks, &changed);
    FAIL() << "one scored copy matched two input samples";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("input line 2: sample 'd' is not the one", 0), 0u) << e.what();
  }
  const auto same = Done({Line("d", "2"), Line("d", "2")});
  EXPECT_EQ(EvaluateJsonRecords(ContentNumber(), records, EvalOptions{}, callbacks, &same).skipped, 2u);
}

// Resuming by id skipped every sample of an id once one was done: with two samples
// "dup" and only the first scored before the interruption, the second was lost.
TEST(EvaluatorTest, ResumingSkipsOnlyAsManySamplesOfAnIdAsWereDone) {
  const std::vector<std::string> lines = {Line("u0", "0"),  Line("dup", "1"), Line("u2", "2"),
                                          Line("dup", "3"), "not json",       Line("u5", "5")};
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  const auto done = Done({lines[0], lines[1], lines[2]});
  const ContentNumber reward;
  for (int workers : {1, 3}) {
    for (size_t chunk : {size_t{1}, size_t{64}}) {
      std::vector<std::string> ids;
      StreamCallbacks callbacks;
      callbacks.write = [&](std::string_view text) {
        for (size_t start = 0; start < text.size();) {
          const size_t end = text.find('\n', start);
          ids.push_back(ParseDataSample(text.substr(start, end - start)).unique_id + "=" +
                        std::to_string(static_cast<int>(
                            ParseDataSample(text.substr(start, end - start)).output[0].answer.reward->score)));
          start = end + 1;
        }
      };
      EvalOptions options;
      options.workers = workers;
      options.chunk_records = chunk;
      const EvalStats stats = EvaluateJsonRecords(reward, records, options, callbacks, &done);
      EXPECT_EQ(ids, (std::vector<std::string>{"dup=3", "u5=5"})) << workers << " " << chunk;
      EXPECT_EQ(stats.skipped, 3u);
      EXPECT_EQ(stats.bad_records.size(), 1u);
    }
  }
}

TEST(EvaluatorTest, TransformRunsOnEachScoredSampleBeforeItIsWritten) {
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) lines.push_back(Line("s" + std::to_string(i), std::to_string(i)));
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  EvalOptions options;
  options.workers = 3;
  options.chunk_records = 1;  // one record per hand-off: the order must still hold
  StreamCallbacks callbacks;
  std::string written;
  callbacks.write = [&](std::string_view text) { written += text; };
  callbacks.transform = [](DataSample& sample, size_t failed_units) {
    sample.output[0].answer.content = "seen, " + std::to_string(failed_units) + " failed";
  };
  const EvalStats stats = EvaluateJsonRecords(ContentNumber(), records, options, callbacks);
  EXPECT_EQ(stats.samples, 10u);
  EXPECT_DOUBLE_EQ(stats.score_sum, 45.0);  // counted before the transform: 0 + 1 + ... + 9
  size_t start = 0;
  for (int i = 0; i < 10; ++i) {
    const size_t end = written.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const DataSample sample = ParseDataSample(written.substr(start, end - start));
    EXPECT_EQ(sample.unique_id, "s" + std::to_string(i));
    EXPECT_EQ(sample.output[0].answer.content, "seen, 0 failed");
    EXPECT_DOUBLE_EQ(sample.output[0].answer.reward->score, i);
    start = end + 1;
  }
}

// Takes at least `milliseconds` per output.
class SlowReward final : public PointwiseReward {
 public:
  explicit SlowReward(int milliseconds) : PointwiseReward("slow"), milliseconds_(milliseconds) {}
  RewardResult EvaluateOutput(const DataSample&, const DataOutput&, const Deadline&) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds_));
    RewardResult result;
    result.details.push_back({name(), 1.0, "", nullptr});
    return result;
  }

 private:
  int milliseconds_;
};

// Samples were written 64 at a time: a run of slow samples (programs run against
// tests) wrote nothing for minutes, and a run killed then lost all it had scored.
TEST(EvaluatorTest, SlowSamplesAreWrittenOneByOne) {
  std::vector<std::string> lines;
  for (int i = 0; i < 6; ++i) lines.push_back(Line("s" + std::to_string(i), "0"));
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  // 30 ms per sample is more than a chunk's 20 ms: every chunk holds one sample.
  const SlowReward reward(30);
  EvalOptions options;
  options.workers = 1;
  options.chunk_records = 64;
  StreamCallbacks callbacks;
  std::vector<size_t> lines_per_write;
  callbacks.write = [&](std::string_view text) {
    lines_per_write.push_back(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  };
  std::vector<size_t> progress;
  callbacks.progress = [&](size_t handled) { progress.push_back(handled); };
  const EvalStats stats = EvaluateJsonRecords(reward, records, options, callbacks);
  EXPECT_EQ(stats.samples, 6u);
  EXPECT_EQ(lines_per_write, std::vector<size_t>(6, 1));
  EXPECT_EQ(progress, (std::vector<size_t>{1, 2, 3, 4, 5, 6}));
}

// Fast samples still go in chunks of chunk_records once one chunk has been timed.
TEST(EvaluatorTest, FastSamplesAreWrittenInChunks) {
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) lines.push_back(Line("s" + std::to_string(i), std::to_string(i % 7)));
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  EvalOptions options;
  options.workers = 2;
  options.chunk_records = 64;
  StreamCallbacks callbacks;
  size_t writes = 0, written = 0;
  callbacks.write = [&](std::string_view text) {
    ++writes;
    written += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  };
  const EvalStats stats = EvaluateJsonRecords(ContentNumber(), records, options, callbacks);
  EXPECT_EQ(stats.samples, 1000u);
  EXPECT_EQ(written, 1000u);
  EXPECT_LT(writes, 500u);  // 1000 / 64 = 16 chunks, and a few smaller ones while chunks are timed
}

// An I/O-bound reward that holds its first sample ("s0") until Release(): it
// stands in for an LLM request that is slow to come back. The others are
// scored at once.
class HoldsFirstSample final : public RewardModel {
 public:
  HoldsFirstSample() : RewardModel("holds_first") {}
  RewardFamily family() const override { return RewardFamily::kPointwise; }
  size_t Apply(DataSample& sample, const EvalContext& context) const override {
    return number_.Apply(sample, context);
  }
  bool is_async() const override { return true; }
  void ApplyAsync(DataSample& sample, const EvalContext& context, Done done) const override {
    if (sample.unique_id != "s0") {
      done(number_.Apply(sample, context));
      return;
    }
    held_.set_value([this, &sample, context, done] { done(number_.Apply(sample, context)); });
  }
  // Finishes s0 once it has been started (waits for that, from any thread).
  void Release() const { held_future_.get()(); }

 private:
  ContentNumber number_;
  mutable std::promise<std::function<void()>> held_;
  mutable std::shared_future<std::function<void()>> held_future_ = held_.get_future().share();
};

TEST(EvaluatorTest, AnyOrderWritesEachSampleWhenItIsScored) {
  std::vector<std::string> lines;
  for (int i = 0; i < 5; ++i) lines.push_back(Line("s" + std::to_string(i), std::to_string(i)));
  std::vector<JsonRecord> records;
  for (size_t i = 0; i < lines.size(); ++i) records.push_back(JsonRecord{i + 1, lines[i]});
  for (const bool any_order : {false, true}) {
    const HoldsFirstSample reward;
    std::vector<std::string> ids;
    std::vector<size_t> progress;
    StreamCallbacks callbacks;
    callbacks.any_order = any_order;
    std::promise<void> four_written;
    callbacks.write = [&](std::string_view text) {
      ids.push_back(ParseDataSample(text.substr(0, text.size() - 1)).unique_id);
      if (ids.size() == 4) four_written.set_value();
    };
    callbacks.progress = [&](size_t handled) { progress.push_back(handled); };
    // s0 comes back once s1..s4 are written (in any order) or at once (in input
    // order, where nothing can be written before s0). The wait is bounded so that
    // a writer that held s1..s4 back fails the test instead of hanging it.
    std::thread releaser([&, future = four_written.get_future()] {
      if (any_order) future.wait_for(std::chrono::seconds(10));
      reward.Release();
    });
    const EvalStats stats = EvaluateJsonRecords(reward, records, EvalOptions{}, callbacks);
    releaser.join();
    EXPECT_EQ(stats.samples, 5u);
    EXPECT_DOUBLE_EQ(stats.score_sum, 10.0);
    const std::vector<std::string> expected = any_order ? std::vector<std::string>{"s1", "s2", "s3", "s4", "s0"}
                                                        : std::vector<std::string>{"s0", "s1", "s2", "s3", "s4"};
    EXPECT_EQ(ids, expected) << "any_order " << any_order;
    EXPECT_EQ(progress, (std::vector<size_t>{1, 2, 3, 4, 5}));
  }
}

}  // namespace
}  // namespace rmg
