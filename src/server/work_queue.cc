#include "server/work_queue.h"

#include <algorithm>

namespace rmg::server {

WorkQueue::WorkQueue(int workers, size_t limit) : limit_(limit) {
  for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([this] { Work(); });
}

WorkQueue::~WorkQueue() { Stop(); }

bool WorkQueue::TryPush(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || jobs_.size() >= limit_) return false;
    jobs_.push_back(std::move(job));
  }
  changed_.notify_one();
  return true;
}

size_t WorkQueue::depth() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

size_t WorkQueue::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void WorkQueue::Stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(jobs_);
  }
  changed_.notify_all();
  for (std::thread& t : threads_) {
    // The last reference may be dropped by a worker itself, which cannot join itself.
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

void WorkQueue::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    // The oldest job whose lane has room; lanes at their limit wait for a Release.
    auto runnable = jobs_.end();
    changed_.wait(lock, [&] {
      if (stopping_) return true;
      runnable = std::find_if(jobs_.begin(), jobs_.end(),
                              [](const Job& job) { return job.lane == nullptr || job.lane->running < job.lane->limit; });
      return runnable != jobs_.end();
    });
    if (stopping_) return;
    Job job = std::move(*runnable);
    jobs_.erase(runnable);
    if (job.lane) job.lane->running += 1;
    running_ += 1;
    lock.unlock();
    std::shared_ptr<Lane> lane = job.lane;
    Release release = [self = shared_from_this(), lane] {
      {
        std::lock_guard guard(self->mutex_);
        if (lane) lane->running -= 1;
        self->running_ -= 1;
      }
      self->changed_.notify_all();
    };
    if (job.deadline.Expired()) {
      if (job.expire) job.expire();
      release();
    } else {
      job.run(std::move(release));
    }
    lock.lock();
  }
}

}  // namespace rmg::server
