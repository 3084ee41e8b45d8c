// libFuzzer target: reading a judge's reply (tags, verdicts, violation lists) from
// arbitrary model output. An error judgment is the expected answer to garbage; an
// exception, crash, sanitizer report or hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "llm/judgment.h"
#include "llm/output_schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  const rmg::llm::ThinkingSplit split = rmg::llm::SplitThinking(reply);
  const rmg::llm::ReplyTags tags = rmg::llm::ParseOutputTags(split.answer);
  rmg::llm::ParseOutputTags(reply);
  static const std::vector<std::string> rubrics = {"Efficient Task Execution: be brief.", "Inquiring: ask.",
                                                   "Redirecting Misguided Requests: redirect."};
  rmg::llm::InterpretBest(tags, 3);
  rmg::llm::InterpretViolations(tags, rubrics);
  rmg::llm::InterpretViolations(tags, {});
  rmg::llm::InterpretPreference(tags);
  rmg::llm::InterpretScale(tags, 1, 5);
  // Every field as a violation list too, so the list reader sees the fuzzer's text directly.
  for (const auto& [name, body] : tags) rmg::llm::InterpretViolations({{"violation", body}}, rubrics);
  rmg::llm::InterpretViolations({{"violation", std::string(reply)}}, rubrics);
  return 0;
}
