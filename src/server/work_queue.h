// WorkQueue: the server's bounded queue and the worker threads that drain it. A job
// belongs to a lane (a reward, or the code sandbox) with its own limit of jobs
// running at once; a worker takes the oldest job whose lane has room, and a job still
// waiting when its deadline passes is answered (`expire`) then. A job is
// "running" from the moment a worker takes it until it calls its Release — at once
// for CPU work, or later for asynchronous work (an LLM judge waiting on replies).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
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

// A Release may come from an LLM completion after the server let go of the queue:
// it, and every worker thread, holds the queue's shared state rather than the queue,
// so neither ever touches a destroyed WorkQueue.
class WorkQueue {
 public:
  WorkQueue(int workers, size_t limit);
  // Stop(); may run on a worker thread (a job holding the last reference).
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
  struct State;
  static void Work(const std::shared_ptr<State>& state);
  // Answers queued jobs (`expire`) as their deadlines pass, even while every worker is busy.
  static void Reap(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;
  std::vector<std::thread> threads_;
};

}  // namespace rmg::server
