// reasoning_tool_call_format: <think> followed by either one <answer> or one or
// more <tool_call> blocks whose bodies are JSON objects with "name" and "arguments".
#include "core/json_string.h"
#include "core/simd_json.h"
#include "gallery/format/format.h"
#include "gallery/format/tags.h"
#include "text/unicode.h"

namespace rmg::gallery {
namespace {

constexpr std::string_view kThinkOpen = "<think>", kThinkClose = "</think>";
constexpr std::string_view kAnswerOpen = "<answer>", kAnswerClose = "</answer>";
constexpr std::string_view kCallOpen = "<tool_call>", kCallClose = "</tool_call>";

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// `text` with leading Python whitespace removed. Only the leading: called once per tag,
// a scan of the trailing whitespace too made long responses quadratic.
std::string_view SkipSpace(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t next = begin;
    if (!text::IsPythonSpace(text::DecodeUtf8(text, &next))) break;
    begin = next;
  }
  return text.substr(begin);
}

// After the leading "<think>...</think>" and whitespace (one </think> in the text),
// what follows; nullopt when the text does not start that way.
std::optional<std::string_view> AfterThink(std::string_view text) {
  text = SkipSpace(text);
  if (!StartsWith(text, kThinkOpen)) return std::nullopt;
  const size_t close = text.find(kThinkClose, kThinkOpen.size());
  if (close == std::string_view::npos) return std::nullopt;
  return SkipSpace(text.substr(close + kThinkClose.size()));
}

// ^\s*<think>.*?</think>\s*<answer>.*?</answer>\s*$ with each tag once.
bool ValidAnswerFormat(std::string_view text) {
  for (std::string_view tag : {kThinkOpen, kThinkClose, kAnswerOpen, kAnswerClose}) {
    if (CountOccurrences(text, tag) != 1) return false;
  }
  const auto rest = AfterThink(text);
  if (!rest || !StartsWith(*rest, kAnswerOpen)) return false;
  const size_t close = rest->find(kAnswerClose);
  return close != std::string_view::npos && IsAllSpace(rest->substr(close + kAnswerClose.size()));
}

bool HasSpaceSeparatedRepeat(std::string_view text, std::string_view tag) {
  for (size_t pos = text.find(tag); pos != std::string_view::npos; pos = text.find(tag, pos + 1)) {
    if (StartsWith(SkipSpace(text.substr(pos + tag.size())), tag)) return true;
  }
  return false;
}

// ^\s*<think>.*?</think>\s*(?:<tool_call>.*?</tool_call>\s*)+$ plus RM-Gallery's
// count and adjacency checks.
bool ValidToolCallStructure(std::string_view text) {
  if (CountOccurrences(text, kThinkOpen) != 1 || CountOccurrences(text, kThinkClose) != 1) return false;
  if (CountOccurrences(text, kCallOpen) != CountOccurrences(text, kCallClose)) return false;
  if (HasSpaceSeparatedRepeat(text, kCallClose) || HasSpaceSeparatedRepeat(text, kCallOpen)) return false;
  const auto rest = AfterThink(text);
  if (!rest || !StartsWith(*rest, kCallOpen)) return false;
  // The lazy groups can absorb anything between the first <tool_call> and the last
  // </tool_call>, so only the ends matter.
  const std::string_view body = text::StripPythonSpace(*rest);
  return body.size() >= kCallOpen.size() + kCallClose.size() &&
         body.substr(body.size() - kCallClose.size()) == kCallClose;
}

bool ValidToolCallJson(std::string_view body) {
  const std::string_view stripped = text::StripPythonSpace(body);
  // As Python's json.loads: a byte-order mark is refused, a lone surrogate escape read.
  if (stripped.substr(0, 3) == "\xEF\xBB\xBF") return false;
  const std::optional<std::string> repaired = ReplaceLoneSurrogateEscapes(stripped);
  const Json parsed = ParseJson(repaired ? std::string_view(*repaired) : stripped, /*allow_exceptions=*/false);
  // RM-Gallery crashes on a number, null or boolean body, and passes a list or a
  // string that contains "name" and "arguments"; neither is a tool call. The JSON
  // is RFC 8259's, with numbers a double can hold (the limit RFC 8259 §6 allows):
  // Python's extensions (NaN, Infinity) and its inf for 1e400 are not valid
  // tool-call arguments for executors elsewhere (Go's encoding/json and Rust's
  // serde_json refuse 1e400).
  return parsed.is_object() && parsed.contains("name") && parsed.contains("arguments");
}

class ToolCallFormatReward final : public PointwiseReward {
 public:
  explicit ToolCallFormatReward(const Params& params) : PointwiseReward(params.GetString("name")) {}

  RewardResult EvaluateOutput(const DataSample&, const DataOutput& output, const Deadline&) const override {
    const std::string& text = output.answer.content;
    const bool has_think = HasTagPair(text, kThinkOpen, kThinkClose);
    const bool has_answer = HasTagPair(text, kAnswerOpen, kAnswerClose);
    const bool has_tool_call = HasTagPair(text, kCallOpen, kCallClose);
    const std::vector<std::string_view> calls = TagBodies(text, kCallOpen, kCallClose);
    bool valid = false;
    bool valid_json = false;
    std::string reason;
    if (!has_think) {
      reason = "Missing <think></think> tags";
    } else if (has_answer && !has_tool_call) {
      valid = ValidAnswerFormat(text);
      reason = valid ? "Valid <think></think> + <answer></answer> format"
                     : "Invalid <think></think> + <answer></answer> format";
    } else if (has_tool_call && !has_answer) {
      if (!ValidToolCallStructure(text)) {
        reason = "Invalid <think></think> + <tool_call></tool_call> format";
      } else {
        valid_json = true;
        for (std::string_view body : calls) valid_json = valid_json && ValidToolCallJson(body);
        valid = valid_json;
        reason = valid ? "Valid <think></think> + <tool_call></tool_call> format with valid JSON"
                       : "Invalid JSON format in <tool_call> tags";
      }
    } else {
      reason = "Invalid combination: should have either <answer> or <tool_call> tags, not both or neither";
    }
    const double score = valid ? 1.0 : 0.0;
    RewardResult result;
    result.details.push_back({name(), score, std::move(reason), nullptr});
    result.extra_data = JsonObjectBuilder(7)
                                .Add("has_think_tag", has_think)
                                .Add("has_answer_tag", has_answer)
                                .Add("has_tool_call_tag", has_tool_call)
                                .Add("valid_format", valid)
                                .Add("valid_tool_call_json", valid_json)
                                .Add("tool_call_count", calls.size())
                                .Add("reward", score)
                                .Build();
    return result;
  }
};

}  // namespace

RewardSpec ToolCallFormatSpec() {
  RewardSpec spec;
  spec.name = "reasoning_tool_call_format";
  spec.instance_name = "tool_call_format";
  spec.description = "1 for <think> then either <answer> or <tool_call> blocks holding JSON {name, arguments}";
  spec.factory = [](const Params& p) { return std::make_unique<ToolCallFormatReward>(p); };
  return spec;
}

}  // namespace rmg::gallery
