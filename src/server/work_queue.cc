#include "server/work_queue.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace rmg::server {

struct WorkQueue::State {
  explicit State(size_t limit) : limit(limit) {}
  const size_t limit;
  std::mutex mutex;
  std::condition_variable changed;
  std::condition_variable reaper_wake;  // a job was queued, or the queue stops
  std::deque<Job> jobs;
  size_t running = 0;
  bool stopping = false;
};

WorkQueue::WorkQueue(int workers, size_t limit) : state_(std::make_shared<State>(limit)) {
  for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([state = state_] { Work(state); });
  threads_.emplace_back([state = state_] { Reap(state); });
}

WorkQueue::~WorkQueue() { Stop(); }

bool WorkQueue::TryPush(Job job) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping || state_->jobs.size() >= state_->limit) return false;
    state_->jobs.push_back(std::move(job));
  }
  state_->changed.notify_one();
  state_->reaper_wake.notify_one();
  return true;
}

size_t WorkQueue::depth() const {
  std::lock_guard lock(state_->mutex);
  return state_->jobs.size();
}

size_t WorkQueue::running() const {
  std::lock_guard lock(state_->mutex);
  return state_->running;
}

void WorkQueue::Stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping && threads_.empty()) return;
    state_->stopping = true;
    dropped.swap(state_->jobs);
  }
  state_->changed.notify_all();
  state_->reaper_wake.notify_all();
  for (std::thread& t : threads_) {
    // The last reference may be dropped by a worker itself, which cannot join itself;
    // it finds `stopping` when its job returns.
    if (t.get_id() == std::this_thread::get_id()) {
      t.detach();
    } else {
      t.join();
    }
  }
  threads_.clear();
  for (Job& job : dropped) {
    if (job.expire) job.expire();
  }
}

void WorkQueue::Reap(const std::shared_ptr<State>& state) {
  std::unique_lock lock(state->mutex);
  while (!state->stopping) {
    std::vector<Job> expired;
    auto earliest = Deadline::Clock::time_point::max();
    for (auto it = state->jobs.begin(); it != state->jobs.end();) {
      if (it->deadline.Expired()) {
        expired.push_back(std::move(*it));
        it = state->jobs.erase(it);
        continue;
      }
      earliest = std::min(earliest, it->deadline.when());
      ++it;
    }
    if (!expired.empty()) {
      lock.unlock();
      for (Job& job : expired) {
        if (job.expire) job.expire();
      }
      expired.clear();  // a job holding the queue's last reference lets go here, before the lock
      lock.lock();
      continue;
    }
    if (earliest == Deadline::Clock::time_point::max()) {
      state->reaper_wake.wait(lock);
    } else {
      state->reaper_wake.wait_until(lock, earliest);
    }
  }
}

void WorkQueue::Work(const std::shared_ptr<State>& state) {
  std::unique_lock lock(state->mutex);
  while (true) {
    // The oldest job whose lane has room; lanes at their limit wait for a Release.
    auto runnable = state->jobs.end();
    state->changed.wait(lock, [&] {
      if (state->stopping) return true;
      runnable = std::find_if(state->jobs.begin(), state->jobs.end(), [](const Job& job) {
        return job.lane == nullptr || job.lane->running < job.lane->limit;
      });
      return runnable != state->jobs.end();
    });
    if (state->stopping) return;
    Job job = std::move(*runnable);
    state->jobs.erase(runnable);
    if (job.lane) job.lane->running += 1;
    state->running += 1;
    lock.unlock();
    std::shared_ptr<Lane> lane = job.lane;
    Release release = [state, lane] {
      {
        std::lock_guard guard(state->mutex);
        if (lane) lane->running -= 1;
        state->running -= 1;
      }
      state->changed.notify_all();
    };
    if (job.deadline.Expired()) {
      if (job.expire) job.expire();
      release();
    } else {
      job.run(std::move(release));
    }
    job = Job();  // a job holding the queue's last reference lets go here, before the lock
    lock.lock();
  }
}

}  // namespace rmg::server
