#include "text/jieba_finalseg.h"

#include <charconv>
#include <stdexcept>
#include <string>

#include "text/unicode.h"

// python3-jieba's finalseg/prob_*.py, embedded by jieba_data.S; each size excludes the
// NUL after it.
extern "C" {
__attribute__((visibility("hidden"))) extern const char rmg_jieba_prob_start[];
__attribute__((visibility("hidden"))) extern const unsigned long long rmg_jieba_prob_start_size;
__attribute__((visibility("hidden"))) extern const char rmg_jieba_prob_trans[];
__attribute__((visibility("hidden"))) extern const unsigned long long rmg_jieba_prob_trans_size;
__attribute__((visibility("hidden"))) extern const char rmg_jieba_prob_emit[];
__attribute__((visibility("hidden"))) extern const unsigned long long rmg_jieba_prob_emit_size;
}

namespace rmg::text {
namespace {

// jieba's stand-in for log(0): what a missing start, transition or emission weighs.
constexpr double kMinLogProbability = -3.14e100;
// Characters of a run between two looks at the deadline.
constexpr size_t kViterbiStepsPerDeadlineCheck = size_t{1} << 16;

constexpr char kStateNames[4] = {'B', 'M', 'E', 'S'};
constexpr int kB = 0, kM = 1, kE = 2, kS = 3;
// The two states each state may follow (finalseg's PrevStatus).
constexpr int kPrevious[4][2] = {{kE, kS}, {kM, kB}, {kB, kM}, {kS, kE}};

bool IsFinalsegHan(char32_t c) { return c >= 0x4E00 && c <= 0x9FD5; }
bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
// A value of a model file: a float, or a dict of string keys in file order (a repeated
// key is kept twice; the later one wins where the entries are applied, as in Python).
struct ModelEntry;
struct ModelValue {
  double number = 0;
  bool is_dict = false;
  std::vector<ModelEntry> entries;  // a vector of pairs would need ModelValue complete here
};
struct ModelEntry {
  std::string key;
  ModelValue value;
};

// Reads the Python dict literal assigned to `P` in one of finalseg's model files:
// nested dicts whose keys are string literals and whose leaves are float literals.
class ModelFileReader {
 public:
  ModelFileReader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  ModelValue Read() {
    const size_t assignment = text_.find("P=");
    if (assignment == std::string_view::npos) Fail("no assignment to P");
    pos_ = assignment + 2;
    ModelValue value = ReadValue();
    SkipSpace();
    if (pos_ != text_.size()) Fail("unexpected text after the dict");
    return value;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    throw std::runtime_error("jieba model file " + std::string(file_) + ", byte " + std::to_string(pos_) + ": " + what);
  }

  void SkipSpace() {
    while (pos_ < text_.size() && IsAsciiPythonSpace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  void Expect(char c) {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != c) Fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  ModelValue ReadValue() {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '{') return ReadDict();
    return ReadNumber();
  }

  ModelValue ReadDict() {
    Expect('{');
    ModelValue dict;
    dict.is_dict = true;
    SkipSpace();
    while (pos_ < text_.size() && text_[pos_] != '}') {
      std::string key = ReadString();
      Expect(':');
      dict.entries.push_back({std::move(key), ReadValue()});
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
      SkipSpace();
    }
    Expect('}');
    return dict;
  }

  std::string ReadString() {
    SkipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) Fail("expected a string literal");
    const char quote = text_[pos_++];
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] != '\\') {
        value += text_[pos_++];
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) break;
      const char escape = text_[pos_++];
      const int hex_digits = escape == 'x' ? 2 : escape == 'u' ? 4 : escape == 'U' ? 8 : 0;
      if (hex_digits == 0) {
        if (escape != '\\' && escape != '\'' && escape != '"') Fail(std::string("unsupported escape \\") + escape);
        value += escape;
        continue;
      }
      uint32_t code = 0;
      const auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + hex_digits, code, 16);
      if (error != std::errc() || end != text_.data() + pos_ + hex_digits || code > 0x10FFFF) Fail("bad escape");
      pos_ += hex_digits;
      AppendUtf8(code, &value);
    }
    if (pos_ >= text_.size()) Fail("unterminated string literal");
    ++pos_;
    return value;
  }

  ModelValue ReadNumber() {
    ModelValue value;
    const char* begin = text_.data() + pos_;
    // from_chars takes no leading '+', which Python's repr never writes either.
    const auto [end, error] = std::from_chars(begin, text_.data() + text_.size(), value.number);
    if (error != std::errc()) Fail("expected a dict or a number");
    pos_ += static_cast<size_t>(end - begin);
    return value;
  }

  std::string_view text_;
  std::string_view file_;
  size_t pos_ = 0;
};

int StateIndex(const std::string& name, std::string_view file) {
  for (int i = 0; i < 4; ++i) {
    if (name.size() == 1 && name[0] == kStateNames[i]) return i;
  }
  throw std::runtime_error("jieba model file " + std::string(file) + ": unknown state '" + name + "'");
}

// The entries of the dict in `text`, checked to nest `depth` dicts deep (1: state ->
// number; 2: state -> key -> number).
std::vector<ModelEntry> DictEntries(std::string_view text, std::string_view file, int depth) {
  ModelValue dict = ModelFileReader(text, file).Read();
  const auto check = [&](const ModelValue& value, int levels, const auto& self) -> void {
    if (value.is_dict != (levels > 0)) {
      throw std::runtime_error("jieba model file " + std::string(file) + ": expected " +
                               (levels > 0 ? "a dict" : "a number") + " at depth " + std::to_string(depth - levels));
    }
    for (const ModelEntry& entry : value.entries) self(entry.value, levels - 1, self);
  };
  check(dict, depth, check);
  return std::move(dict.entries);
}

}  // namespace

JiebaFinalseg::JiebaFinalseg(std::string_view prob_start, std::string_view prob_trans, std::string_view prob_emit) {
  start_.fill(kMinLogProbability);
  for (auto& row : transition_) row.fill(kMinLogProbability);
  for (const auto& [state, probability] : DictEntries(prob_start, "prob_start.py", 1)) {
    start_[StateIndex(state, "prob_start.py")] = probability.number;
  }
  for (const auto& [from, row] : DictEntries(prob_trans, "prob_trans.py", 2)) {
    for (const auto& [to, probability] : row.entries) {
      transition_[StateIndex(from, "prob_trans.py")][StateIndex(to, "prob_trans.py")] = probability.number;
    }
  }
  StateProbabilities absent;
  absent.fill(kMinLogProbability);
  for (const auto& [state, table] : DictEntries(prob_emit, "prob_emit.py", 2)) {
    const int index = StateIndex(state, "prob_emit.py");
    for (const auto& [character, probability] : table.entries) {
      size_t pos = 0;
      const char32_t code = DecodeUtf8(character, &pos);
      if (pos != character.size()) {
        throw std::runtime_error("jieba model file prob_emit.py: key '" + character + "' is not one character");
      }
      emission_.try_emplace(code, absent).first->second[index] = probability.number;
    }
  }
}

JiebaFinalseg JiebaFinalseg::Embedded() {
  return JiebaFinalseg(std::string_view(rmg_jieba_prob_start, rmg_jieba_prob_start_size),
                       std::string_view(rmg_jieba_prob_trans, rmg_jieba_prob_trans_size),
                       std::string_view(rmg_jieba_prob_emit, rmg_jieba_prob_emit_size));
}

const JiebaFinalseg::StateProbabilities& JiebaFinalseg::Emission(char32_t character) const {
  static const StateProbabilities absent = {kMinLogProbability, kMinLogProbability, kMinLogProbability,
                                            kMinLogProbability};
  const auto found = emission_.find(character);
  return found == emission_.end() ? absent : found->second;
}

void JiebaFinalseg::Cut(std::string_view text, std::vector<std::string_view>* pieces, const Deadline& deadline) const {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    size_t next = pos;
    const bool han = IsFinalsegHan(DecodeUtf8(text, &next));
    // The stretch of characters on the same side of the ideograph range.
    pos = next;
    while (pos < text.size()) {
      next = pos;
      if (IsFinalsegHan(DecodeUtf8(text, &next)) != han) break;
      pos = next;
    }
    const std::string_view stretch = text.substr(start, pos - start);
    if (han) {
      CutHanRun(stretch, pieces, deadline);
      continue;
    }
    // Python's re.split at ([a-zA-Z0-9]+(?:\.\d+)?%?), keeping the non-empty parts.
    size_t piece_start = 0, i = 0;
    while (i < stretch.size()) {
      if (!IsAsciiAlnum(stretch[i])) {
        ++i;
        continue;
      }
      if (i > piece_start) pieces->push_back(stretch.substr(piece_start, i - piece_start));
      size_t end = i;
      while (end < stretch.size() && IsAsciiAlnum(stretch[end])) ++end;
      if (end + 1 < stretch.size() && stretch[end] == '.' && IsAsciiDigit(stretch[end + 1])) {
        end += 2;
        while (end < stretch.size() && IsAsciiDigit(stretch[end])) ++end;
      }
      if (end < stretch.size() && stretch[end] == '%') ++end;
      pieces->push_back(stretch.substr(i, end - i));
      piece_start = i = end;
    }
    if (piece_start < stretch.size()) pieces->push_back(stretch.substr(piece_start));
  }
}

// finalseg's viterbi() and __cut(). Python picks each maximum from (probability,
// state) tuples, so equal probabilities go to the later state name (S > M > E > B).
void JiebaFinalseg::CutHanRun(std::string_view run, std::vector<std::string_view>* pieces,
                              const Deadline& deadline) const {
  deadline.Check();
  std::vector<size_t> offsets;  // where each character starts, then run.size()
  std::vector<char32_t> characters;
  for (size_t pos = 0; pos < run.size();) {
    offsets.push_back(pos);
    characters.push_back(DecodeUtf8(run, &pos));
  }
  offsets.push_back(run.size());
  const size_t n = characters.size();
  if (n == 0) return;

  std::vector<std::array<int, 4>> previous_state(n);
  StateProbabilities best;
  for (int y = 0; y < 4; ++y) best[y] = start_[y] + Emission(characters[0])[y];
  for (size_t t = 1; t < n; ++t) {
    if (t % kViterbiStepsPerDeadlineCheck == 0) deadline.Check();
    const StateProbabilities& emission = Emission(characters[t]);
    StateProbabilities next;
    for (int y = 0; y < 4; ++y) {
      int chosen = kPrevious[y][0];
      double chosen_probability = best[chosen] + transition_[chosen][y] + emission[y];
      const int other = kPrevious[y][1];
      const double other_probability = best[other] + transition_[other][y] + emission[y];
      if (other_probability > chosen_probability ||
          (other_probability == chosen_probability && kStateNames[other] > kStateNames[chosen])) {
        chosen = other;
        chosen_probability = other_probability;
      }
      next[y] = chosen_probability;
      previous_state[t][y] = chosen;
    }
    best = next;
  }
  std::vector<int> states(n);
  states[n - 1] = best[kS] >= best[kE] ? kS : kE;
  for (size_t t = n - 1; t > 0; --t) states[t - 1] = previous_state[t][states[t]];

  size_t begin = 0, next_piece = 0;
  for (size_t i = 0; i < n; ++i) {
    if (states[i] == kB) {
      begin = i;
    } else if (states[i] == kE) {
      pieces->push_back(run.substr(offsets[begin], offsets[i + 1] - offsets[begin]));
      next_piece = i + 1;
    } else if (states[i] == kS) {
      pieces->push_back(run.substr(offsets[i], offsets[i + 1] - offsets[i]));
      next_piece = i + 1;
    }
  }
  if (next_piece < n) pieces->push_back(run.substr(offsets[next_piece]));
}

}  // namespace rmg::text
