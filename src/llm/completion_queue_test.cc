#include "llm/completion_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace rmg::llm {
namespace {

constexpr auto kCompletionWait = std::chrono::seconds(20);

// Counts finished tasks and remembers the threads they ran on. Shared with the tasks,
// which may still be returning when the test has seen the count it waits for.
class CompletionTally {
 public:
  void Done() {
    std::lock_guard lock(mutex_);
    ++count_;
    threads_.insert(std::this_thread::get_id());
    changed_.notify_all();
  }
  bool WaitFor(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kCompletionWait, [&] { return count_ >= count; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }
  std::set<std::thread::id> threads() {
    std::lock_guard lock(mutex_);
    return threads_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
  std::set<std::thread::id> threads_;
};

TEST(CompletionQueueTest, RunsTheTaskOnAnotherThread) {
  auto tally = std::make_shared<CompletionTally>();
  PostCompletion([tally] { tally->Done(); });
  ASSERT_TRUE(tally->WaitFor(1));
  EXPECT_EQ(tally->count(), 1);
  ASSERT_EQ(tally->threads().size(), 1u);
  // The poster (a chat client's I/O thread) must never run the work itself.
  EXPECT_NE(*tally->threads().begin(), std::this_thread::get_id());
}

TEST(CompletionQueueTest, EveryTaskPostedFromManyThreadsRunsExactlyOnce) {
  constexpr int kPosters = 4;
  constexpr int kPerPoster = 500;
  auto tally = std::make_shared<CompletionTally>();
  auto ran = std::make_shared<std::vector<std::atomic<int>>>(kPosters * kPerPoster);
  std::vector<std::thread> posters;
  for (int p = 0; p < kPosters; ++p) {
    posters.emplace_back([tally, ran, p] {
      for (int i = 0; i < kPerPoster; ++i) {
        const int index = p * kPerPoster + i;
        PostCompletion([tally, ran, index] {
          (*ran)[index].fetch_add(1);
          tally->Done();
        });
      }
    });
  }
  for (std::thread& poster : posters) poster.join();
  ASSERT_TRUE(tally->WaitFor(kPosters * kPerPoster));
  EXPECT_EQ(tally->count(), kPosters * kPerPoster);
  for (int i = 0; i < kPosters * kPerPoster; ++i) EXPECT_EQ((*ran)[i].load(), 1) << "task " << i;
  EXPECT_LE(tally->threads().size(), std::max(1u, std::thread::hardware_concurrency()));
}

// A task posting the next one, as a judge's completion starts the next reward.
void CompletionChain(std::shared_ptr<CompletionTally> tally, int left) {
  tally->Done();
  if (left > 1) PostCompletion([tally, left] { CompletionChain(tally, left - 1); });
}

TEST(CompletionQueueTest, TaskMayPostFurtherTasks) {
  auto tally = std::make_shared<CompletionTally>();
  PostCompletion([tally] { CompletionChain(tally, 100); });
  ASSERT_TRUE(tally->WaitFor(100));
  EXPECT_EQ(tally->count(), 100);
}

TEST(CompletionQueueTest, TasksRunInParallelOnSeveralCores) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one core: one completion thread";
  // Each task waits for the other: on a single thread this could never finish.
  auto first = std::make_shared<std::promise<void>>();
  auto second = std::make_shared<std::promise<void>>();
  std::shared_future<void> first_started = first->get_future().share();
  std::shared_future<void> second_started = second->get_future().share();
  auto tally = std::make_shared<CompletionTally>();
  auto met = std::make_shared<std::atomic<int>>(0);
  PostCompletion([=] {
    first->set_value();
    if (second_started.wait_for(kCompletionWait) == std::future_status::ready) met->fetch_add(1);
    tally->Done();
  });
  PostCompletion([=] {
    second->set_value();
    if (first_started.wait_for(kCompletionWait) == std::future_status::ready) met->fetch_add(1);
    tally->Done();
  });
  ASSERT_TRUE(tally->WaitFor(2));
  EXPECT_EQ(met->load(), 2);
  EXPECT_EQ(tally->threads().size(), 2u);
}

}  // namespace
}  // namespace rmg::llm
