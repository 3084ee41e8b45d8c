// Waiting on rmg work from a Python thread without deafening it to Ctrl-C: the GIL is
// released in short slices, and between them Python's signal handlers run.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <functional>

// Waits until `wait_for(slice)` returns true (it waits at most `slice` for the work).
// Call with the GIL held; it is released while waiting. When a signal handler raises
// (KeyboardInterrupt for Ctrl-C), sets `cancelled`, which the work's deadlines watch
// (Deadline::CancelledBy), waits until the work has ended, and raises that exception.
void WaitAllowingSignals(const std::function<bool(std::chrono::milliseconds slice)>& wait_for,
                         std::atomic<bool>& cancelled);

// Runs `work` on a thread of its own while this one waits for it with
// WaitAllowingSignals (so `work` should watch `cancelled`, through its deadlines), and
// rethrows what `work` threw. Call with the GIL held; `work` must not take it.
void RunAllowingSignals(const std::function<void()>& work, std::atomic<bool>& cancelled);
