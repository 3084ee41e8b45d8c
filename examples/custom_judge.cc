// Level 3: a custom LLM judge in C++. This one asks whether an answer is written
// in the language of the question and reads a plain "<same_language>yes</same_language>".
// Everything else — async requests, retries, cache, error details, where the
// scores go — comes from MakeLlmJudge.
//
//   OPENAI_API_KEY=... BASE_URL=https://host/v1 build/release/custom_judge_example
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "rmg/llm_judge.h"
#include "rmg/sample_io.h"

namespace {

class SameLanguageJudge final : public rmg::JudgeFormat {
 public:
  rmg::RewardFamily family() const override { return rmg::RewardFamily::kPointwise; }

  std::string Prompt(const rmg::DataSample& sample, const std::vector<const rmg::DataOutput*>& shown,
                     bool /*enable_thinking*/) const override {
    const std::string question = sample.input.empty() ? "" : sample.input.back().content;
    return "# Question\n" + question + "\n\n# Answer\n" + shown.at(0)->answer.content +
           "\n\n# Output Requirement\nIs the answer written in the language of the question? "
           "Reply with <same_language>yes</same_language> or <same_language>no</same_language>.\n";
  }

  std::optional<std::string> Read(const rmg::JudgeReply& reply, size_t, rmg::Verdict* verdict) const override {
    const size_t open = reply.answer.rfind("<same_language>");
    const size_t close = reply.answer.rfind("</same_language>");
    if (open == std::string::npos || close == std::string::npos || close < open) {
      return std::string("reply has no <same_language> tag");  // the judge retries, then reports the raw reply
    }
    const std::string value = reply.answer.substr(open + 15, close - open - 15);
    if (value != "yes" && value != "no") return "<same_language> is neither yes nor no";
    verdict->scores = {value == "yes" ? 1.0 : 0.0};
    verdict->reason = "same language: " + value;
    return std::nullopt;
  }
};

}  // namespace

int main() {
  try {
    auto judge = rmg::MakeLlmJudge("same_language", std::make_unique<SameLanguageJudge>(),
                                   rmg::Json{{"cache", "off"}, {"max_retries", 2}});
    const rmg::DataSample sample = rmg::ParseDataSample(R"({"unique_id": "lang-1",
        "input": [{"role": "user", "content": "Quelle est la capitale de la France ?"}],
        "output": [{"answer": {"role": "assistant", "content": "La capitale est Paris."}},
                   {"answer": {"role": "assistant", "content": "The capital is Paris."}}]})");
    const rmg::DataSample judged = judge->Evaluate(sample);
    std::string json;
    rmg::AppendDataSampleJson(judged, &json);
    std::printf("%s\n", json.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "custom_judge_example: %s\n", e.what());
    return 2;
  }
}
