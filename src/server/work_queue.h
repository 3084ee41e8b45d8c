// WorkQueue: the server's bounded queue and the worker threads that drain it. A job
// belongs to a lane (a reward, or the code sandbox) with its own limit of jobs
// running at once; a worker takes the oldest job whose lane has room. A job is
// "running" from the moment a worker takes it until it calls its Release — at once
// for CPU work, or later for asynchronous work (an LLM judge waiting on replies).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "rmg/deadline.h"

namespace rmg::server {

// A group of jobs sharing one limit on how many run at once.
struct Lane {
  explicit Lane(int limit) : limit(limit) {}
  const int limit;
  int running = 0;  // guarded by the queue's mutex
};

// Ends a job's running time; call exactly once.
using Release = std::function<void()>;

struct Job {
  std::shared_ptr<Lane> lane;  // null: no limit of its own
  Deadline deadline = Deadline::Never();
  std::function<void(Release)> run;   // does the work, then (or later) calls the Release
  std::function<void()> expire;       // answers a job whose deadline passed in the queue, or a job dropped at shutdown
};

// Owned by shared_ptr: a Release may come from an LLM completion after the server
// let go of the queue, and must still find it.
class WorkQueue : public std::enable_shared_from_this<WorkQueue> {
 public:
  WorkQueue(int workers, size_t limit);
  ~WorkQueue();

  // Queues `job`; false (and the job untouched) when `limit` jobs already wait.
  bool TryPush(Job job);

  // Jobs waiting.
  size_t depth() const;
  // Jobs running.
  size_t running() const;

  // Stops the workers after the jobs they hold; waiting jobs get `expire`. Idempotent.
  void Stop();

 private:
  void Work();

  const size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rmg::server
