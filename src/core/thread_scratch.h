// Per-thread scratch buffers for code that runs once per sample. Such code keeps a
// function-local `thread_local` struct of containers whose capacity carries over
// from call to call: allocating them afresh costs as much as scoring a short
// response. ScratchReset bounds what a thread keeps after a large input.
#pragma once

#include <cstddef>
#include <utility>

namespace rmg {

// Inputs up to this size leave their buffers allocated for the next call.
inline constexpr size_t kScratchKeptBytes = size_t{1} << 20;

// Resets `scratch` to a fresh T when this goes out of scope if the input being
// processed had more than kScratchKeptBytes, so a thread does not hold a huge
// response's memory until its next call. It acts at scope exit, after the result
// (which may copy from the buffers) has been built.
template <typename T>
class ScratchReset {
 public:
  ScratchReset(T& scratch, size_t input_bytes) : scratch_(scratch), reset_(input_bytes > kScratchKeptBytes) {}
  ~ScratchReset() {
    if (!reset_) return;
    // Swapped, not assigned: assigning an empty std::string keeps the old buffer.
    T fresh{};
    std::swap(scratch_, fresh);
  }
  ScratchReset(const ScratchReset&) = delete;
  ScratchReset& operator=(const ScratchReset&) = delete;

 private:
  T& scratch_;
  bool reset_;
};

}  // namespace rmg
