#include "core/thread_scratch.h"

#include <gtest/gtest.h>

#include <string>

namespace rmg {
namespace {

struct Buffers {
  std::string text;
};

TEST(ScratchResetTest, KeepsBuffersOfSmallInputsAndFreesThoseOfLargeOnes) {
  Buffers scratch;
  {
    const ScratchReset reset(scratch, 1000);
    scratch.text.assign(1000, 'a');
  }
  EXPECT_GE(scratch.text.capacity(), 1000u);  // kept for the next call
  {
    const ScratchReset reset(scratch, kScratchKeptBytes + 1);
    scratch.text.assign(kScratchKeptBytes + 1, 'a');
  }
  EXPECT_LT(scratch.text.capacity(), 1000u);  // a fresh, empty buffer
}

}  // namespace
}  // namespace rmg
