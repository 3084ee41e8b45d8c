// Where the LLM judges finish their work. A chat client calls back on its I/O
// thread, which must never wait on anything; the judges hand the rest of a sample's
// evaluation (writing results, the next reward of a composition, which may be a
// slow rule reward) to these threads instead.
#pragma once

#include <functional>

namespace rmg::llm {

// Runs `task` soon on one of a few process-wide threads (one per core).
void PostCompletion(std::function<void()> task);

}  // namespace rmg::llm
