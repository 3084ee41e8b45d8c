#include "server/work_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rmg::server {
namespace {

constexpr auto kWorkQueueWait = std::chrono::seconds(20);

// Waits until `condition` holds, polling; false if it did not within kWorkQueueWait.
bool WorkQueueEventually(const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + kWorkQueueWait;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

// Records what happened to jobs, in order, and keeps the Releases jobs hand it.
class WorkQueueRecorder {
 public:
  void Note(const std::string& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    changed_.notify_all();
  }
  void Keep(const std::string& name, Release release) {
    std::lock_guard lock(mutex_);
    held_.emplace_back(name, std::move(release));
    events_.push_back("run " + name);
    changed_.notify_all();
  }
  // Calls (and forgets) the kept Release of job `name`.
  void ReleaseJob(const std::string& name) {
    Release release;
    {
      std::lock_guard lock(mutex_);
      for (auto it = held_.begin(); it != held_.end(); ++it) {
        if (it->first == name) {
          release = std::move(it->second);
          held_.erase(it);
          break;
        }
      }
    }
    ASSERT_TRUE(release) << name << " holds no Release";
    release();
  }
  bool WaitFor(size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kWorkQueueWait, [&] { return events_.size() >= count; });
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  std::vector<std::pair<std::string, Release>> held_;
};

// A job that notes it ran and releases at once.
Job WorkQueueQuickJob(WorkQueueRecorder& recorder, const std::string& name, std::shared_ptr<Lane> lane = nullptr) {
  Job job;
  job.lane = std::move(lane);
  job.run = [&recorder, name](Release release) {
    recorder.Note("run " + name);
    release();
  };
  job.expire = [&recorder, name] { recorder.Note("expire " + name); };
  return job;
}

// A job that keeps its Release with the recorder until the test releases it.
Job WorkQueueHeldJob(WorkQueueRecorder& recorder, const std::string& name, std::shared_ptr<Lane> lane = nullptr) {
  Job job;
  job.lane = std::move(lane);
  job.run = [&recorder, name](Release release) { recorder.Keep(name, std::move(release)); };
  job.expire = [&recorder, name] { recorder.Note("expire " + name); };
  return job;
}

TEST(WorkQueueTest, RunsAJobAndItsReleaseEndsTheRunningTime) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(2, 10);
  ASSERT_TRUE(queue->TryPush(WorkQueueHeldJob(recorder, "a")));
  ASSERT_TRUE(recorder.WaitFor(1));
  EXPECT_EQ(queue->running(), 1u);
  EXPECT_EQ(queue->depth(), 0u);
  recorder.ReleaseJob("a");
  EXPECT_EQ(queue->running(), 0u);
  EXPECT_EQ(recorder.events(), std::vector<std::string>{"run a"});
}

TEST(WorkQueueTest, RefusesPushesOnceLimitJobsWait) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 3);
  auto closed = std::make_shared<Lane>(0);  // a lane with no room: its jobs stay queued
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, std::to_string(i), closed)));
  EXPECT_EQ(queue->depth(), 3u);
  EXPECT_FALSE(queue->TryPush(WorkQueueQuickJob(recorder, "refused", closed)));
  EXPECT_FALSE(queue->TryPush(WorkQueueQuickJob(recorder, "refused too")));
  EXPECT_EQ(queue->depth(), 3u);
  queue->Stop();
  // The refused jobs were never queued, so Stop expires only the three.
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"expire 0", "expire 1", "expire 2"}));
}

TEST(WorkQueueTest, ZeroLimitRefusesEverything) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 0);
  EXPECT_FALSE(queue->TryPush(WorkQueueQuickJob(recorder, "a")));
  EXPECT_EQ(queue->depth(), 0u);
}

TEST(WorkQueueTest, NoWorkersStillMeansOneWorker) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(0, 4);
  ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, "a")));
  ASSERT_TRUE(recorder.WaitFor(1));
  EXPECT_EQ(recorder.events(), std::vector<std::string>{"run a"});
}

TEST(WorkQueueTest, OneWorkerTakesJobsOldestFirst) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 10);
  std::promise<void> go;
  std::shared_future<void> gate = go.get_future().share();
  Job blocker;
  blocker.run = [&recorder, gate](Release release) {
    recorder.Note("run blocker");
    gate.wait();  // holds the only worker while the others queue up
    release();
  };
  ASSERT_TRUE(queue->TryPush(std::move(blocker)));
  ASSERT_TRUE(recorder.WaitFor(1));
  for (const char* name : {"a", "b", "c", "d"}) ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, name)));
  EXPECT_EQ(queue->depth(), 4u);
  go.set_value();
  ASSERT_TRUE(recorder.WaitFor(5));
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"run blocker", "run a", "run b", "run c", "run d"}));
}

TEST(WorkQueueTest, FullLaneHoldsItsJobsBackButNotOthers) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 10);
  auto lane = std::make_shared<Lane>(1);
  ASSERT_TRUE(queue->TryPush(WorkQueueHeldJob(recorder, "lane 1", lane)));
  ASSERT_TRUE(recorder.WaitFor(1));
  ASSERT_TRUE(queue->TryPush(WorkQueueHeldJob(recorder, "lane 2", lane)));
  ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, "free")));
  // "free" is younger than "lane 2" but its lane (none) has room.
  ASSERT_TRUE(recorder.WaitFor(2));
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"run lane 1", "run free"}));
  EXPECT_EQ(queue->depth(), 1u);
  EXPECT_TRUE(WorkQueueEventually([&] { return queue->running() == 1; }));
  recorder.ReleaseJob("lane 1");
  ASSERT_TRUE(recorder.WaitFor(3));
  EXPECT_EQ(recorder.events().back(), "run lane 2");
  EXPECT_EQ(queue->depth(), 0u);
  EXPECT_EQ(queue->running(), 1u);
  recorder.ReleaseJob("lane 2");
  EXPECT_EQ(queue->running(), 0u);
}

TEST(WorkQueueTest, LaneLimitCapsConcurrencyAcrossWorkers) {
  auto queue = std::make_shared<WorkQueue>(4, 2000);
  auto lane = std::make_shared<Lane>(2);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> done{0};
  constexpr int kJobs = 400;
  for (int i = 0; i < kJobs; ++i) {
    Job job;
    job.lane = lane;
    job.run = [&](Release release) {
      const int now = inside.fetch_add(1) + 1;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::yield();
      inside.fetch_sub(1);
      release();
      done.fetch_add(1);
    };
    ASSERT_TRUE(queue->TryPush(std::move(job)));
  }
  ASSERT_TRUE(WorkQueueEventually([&] { return done.load() == kJobs; }));
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
  EXPECT_TRUE(WorkQueueEventually([&] { return queue->running() == 0; }));
}

TEST(WorkQueueTest, JobWhoseDeadlinePassedInTheQueueIsExpiredNotRun) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 10);
  Job late = WorkQueueQuickJob(recorder, "late");
  late.deadline = Deadline::After(0);
  ASSERT_TRUE(queue->TryPush(std::move(late)));
  ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, "on time")));
  ASSERT_TRUE(recorder.WaitFor(2));
  // The reaper or the worker expires it, so the two may be noted in either order.
  std::vector<std::string> events = recorder.events();
  std::sort(events.begin(), events.end());
  EXPECT_EQ(events, (std::vector<std::string>{"expire late", "run on time"}));
  // The expired job's running time ended too.
  EXPECT_TRUE(WorkQueueEventually([&] { return queue->running() == 0; }));
}

// With its lane full (or every worker busy), a job waiting past its deadline was
// answered only when room came: a 3 s request deadline answered after 10 s.
TEST(WorkQueueTest, AJobIsExpiredAtItsDeadlineWhileItsLaneIsFull) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 10);
  auto lane = std::make_shared<Lane>(1);
  ASSERT_TRUE(queue->TryPush(WorkQueueHeldJob(recorder, "busy", lane)));
  ASSERT_TRUE(recorder.WaitFor(1));
  Job waiting = WorkQueueQuickJob(recorder, "waiting", lane);
  waiting.deadline = Deadline::After(0.05);
  ASSERT_TRUE(queue->TryPush(std::move(waiting)));
  ASSERT_TRUE(recorder.WaitFor(2));  // while "busy" still holds the lane
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"run busy", "expire waiting"}));
  EXPECT_EQ(queue->depth(), 0u);
  recorder.ReleaseJob("busy");
  EXPECT_TRUE(WorkQueueEventually([&] { return queue->running() == 0; }));
}

TEST(WorkQueueTest, ExpiredJobWithoutExpireIsDroppedQuietly) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 10);
  Job late;
  late.deadline = Deadline::After(-1);
  late.run = [&recorder](Release release) {
    recorder.Note("run late");
    release();
  };
  ASSERT_TRUE(queue->TryPush(std::move(late)));
  ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, "next")));
  ASSERT_TRUE(recorder.WaitFor(1));
  EXPECT_EQ(recorder.events(), std::vector<std::string>{"run next"});
}

TEST(WorkQueueTest, StopExpiresWaitingJobsOnceAndRefusesNewOnes) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(2, 10);
  auto closed = std::make_shared<Lane>(0);
  ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, "a", closed)));
  ASSERT_TRUE(queue->TryPush(WorkQueueQuickJob(recorder, "b", closed)));
  Job no_expire;
  no_expire.lane = closed;
  no_expire.run = [](Release release) { release(); };
  ASSERT_TRUE(queue->TryPush(std::move(no_expire)));  // a job without expire is simply dropped
  queue->Stop();
  EXPECT_EQ(queue->depth(), 0u);
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"expire a", "expire b"}));
  EXPECT_FALSE(queue->TryPush(WorkQueueQuickJob(recorder, "after stop")));
  queue->Stop();  // idempotent: nothing is expired twice
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"expire a", "expire b"}));
}

TEST(WorkQueueTest, StopWaitsForTheJobAWorkerHolds) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 10);
  std::promise<void> go;
  std::shared_future<void> gate = go.get_future().share();
  std::atomic<bool> finished{false};
  Job slow;
  slow.run = [&, gate](Release release) {
    recorder.Note("started");
    gate.wait();
    finished = true;
    release();
  };
  ASSERT_TRUE(queue->TryPush(std::move(slow)));
  ASSERT_TRUE(recorder.WaitFor(1));
  std::atomic<bool> finished_when_stopped{false};
  std::thread stopper([&] {
    queue->Stop();
    finished_when_stopped = finished.load();
  });
  go.set_value();
  stopper.join();
  EXPECT_TRUE(finished_when_stopped.load());
  EXPECT_EQ(queue->running(), 0u);
}

TEST(WorkQueueTest, AReleaseAfterTheQueueIsGoneIsHarmless) {
  WorkQueueRecorder recorder;
  auto queue = std::make_shared<WorkQueue>(1, 10);
  ASSERT_TRUE(queue->TryPush(WorkQueueHeldJob(recorder, "async")));
  ASSERT_TRUE(recorder.WaitFor(1));
  EXPECT_EQ(queue->running(), 1u);
  // An LLM completion may release after the server let go of the queue: the
  // destructor does not wait for it (the job's run has returned), and the Release
  // touches only the state it shares with the queue (ASan checks).
  queue.reset();
  recorder.ReleaseJob("async");
  EXPECT_EQ(recorder.events(), (std::vector<std::string>{"run async"}));
}

TEST(WorkQueueTest, AJobHoldingTheLastReferenceDestroysTheQueueOnItsWorker) {
  auto queue = std::make_shared<WorkQueue>(1, 10);
  // Shared with the jobs: the worker may still be inside them after the test saw the result.
  auto recorder = std::make_shared<WorkQueueRecorder>();
  std::promise<void> go;
  std::shared_future<void> gate = go.get_future().share();
  std::weak_ptr<WorkQueue> weak = queue;
  Job last;
  // The job owns the queue's last reference once the test lets go; the worker
  // destroys the job, and with it the queue, after run returns.
  last.run = [recorder, gate, owner = queue](Release release) {
    recorder->Note("started");
    gate.wait();
    release();
  };
  Job waiting;
  waiting.lane = std::make_shared<Lane>(0);
  waiting.run = [](Release release) { release(); };
  waiting.expire = [recorder] { recorder->Note("expire waiting"); };
  ASSERT_TRUE(queue->TryPush(std::move(last)));
  ASSERT_TRUE(queue->TryPush(std::move(waiting)));
  ASSERT_TRUE(recorder->WaitFor(1));
  queue.reset();
  EXPECT_FALSE(weak.expired());
  go.set_value();
  // The worker destroys the queue, which expires the job still waiting; the worker
  // then finds the queue stopped and ends without touching it (ASan checks).
  ASSERT_TRUE(recorder->WaitFor(2));
  EXPECT_EQ(recorder->events(), (std::vector<std::string>{"started", "expire waiting"}));
  EXPECT_TRUE(WorkQueueEventually([&] { return weak.expired(); }));
}

}  // namespace
}  // namespace rmg::server
