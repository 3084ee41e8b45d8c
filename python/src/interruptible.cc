#include "interruptible.h"

#include <exception>
#include <future>
#include <thread>

namespace py = pybind11;

void WaitAllowingSignals(const std::function<bool(std::chrono::milliseconds slice)>& wait_for,
                         std::atomic<bool>& cancelled) {
  // A tenth of a second: Ctrl-C feels immediate, and the waiting thread costs nothing.
  constexpr std::chrono::milliseconds kSlice(100);
  bool interrupted = false;
  while (true) {
    bool done = false;
    {
      py::gil_scoped_release release;
      done = wait_for(kSlice);
    }
    if (done) break;
    // Only the main thread runs handlers; elsewhere this returns 0 and the wait goes on.
    if (!interrupted && PyErr_CheckSignals() != 0) {
      interrupted = true;
      cancelled.store(true);
    }
  }
  if (interrupted) throw py::error_already_set();
}

void RunAllowingSignals(const std::function<void()>& work, std::atomic<bool>& cancelled) {
  std::exception_ptr failure;
  std::promise<void> finished;
  std::future<void> done = finished.get_future();
  std::thread worker([&] {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
    finished.set_value();
  });
  try {
    WaitAllowingSignals([&](auto slice) { return done.wait_for(slice) == std::future_status::ready; }, cancelled);
  } catch (...) {
    worker.join();
    throw;
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
}
