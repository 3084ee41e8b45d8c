#include "data/filters.h"

#include <stdexcept>
#include <string_view>

#include "data/field_expression.h"

namespace rmg {
namespace {

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (const unsigned char byte : text) count += (byte & 0xC0) != 0x80;  // bytes that start a character
  return count;
}

class ConversationTurnsFilter final : public SampleFilter {
 public:
  ConversationTurnsFilter(TurnCount count, SizeRange range) : count_(count), range_(range) {}
  bool Keep(const DataSample& sample, const Json&) const override {
    size_t turns = sample.input.size();
    if (count_ == TurnCount::kUserTurns) {
      turns = 0;
      for (const ChatMessage& message : sample.input) turns += message.role == "user";
    }
    return range_.Contains(turns);
  }
  std::string name() const override { return "conversation_turns"; }

 private:
  TurnCount count_;
  SizeRange range_;
};

class TextLengthFilter final : public SampleFilter {
 public:
  TextLengthFilter(TextScope scope, SizeRange range) : scope_(scope), range_(range) {}
  bool Keep(const DataSample& sample, const Json&) const override {
    if (scope_ != TextScope::kOutputs) {
      size_t input = 0;
      for (const ChatMessage& message : sample.input) input += CodePoints(message.content);
      if (!range_.Contains(input)) return false;
    }
    if (scope_ != TextScope::kInput) {
      for (const DataOutput& output : sample.output) {
        if (!range_.Contains(CodePoints(output.answer.content))) return false;
      }
    }
    return true;
  }
  std::string name() const override { return "text_length"; }

 private:
  TextScope scope_;
  SizeRange range_;
};

class ExpressionFilter final : public SampleFilter {
 public:
  explicit ExpressionFilter(FieldExpression expression) : expression_(std::move(expression)) {}
  bool Keep(const DataSample&, const Json& record) const override { return expression_.Matches(record); }
  std::string name() const override { return "expression"; }

 private:
  FieldExpression expression_;
};

[[noreturn]] void BadKey(std::string_view key, const std::string& why) {
  throw std::invalid_argument(std::string(key) + ": " + why);
}

std::optional<size_t> Bound(const Json& entry, std::string_view key) {
  const auto it = entry.find(std::string(key));
  if (it == entry.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_unsigned() && (!it->is_number_integer() || it->get<int64_t>() < 0)) {
    BadKey(key, "expected a non-negative integer");
  }
  return it->get<size_t>();
}

// The string at `key` among `choices` (the first is the default when absent).
std::string Choice(const Json& entry, std::string_view key, std::initializer_list<std::string_view> choices) {
  const auto it = entry.find(std::string(key));
  if (it == entry.end()) return std::string(*choices.begin());
  std::string known;
  for (std::string_view choice : choices) {
    if (it->is_string() && *it == choice) return std::string(choice);
    known += (known.empty() ? "" : ", ") + std::string(choice);
  }
  BadKey(key, "expected one of " + known);
}

void CheckKeys(const Json& entry, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : entry.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    std::string list;
    for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
    if (!known) BadKey(key, "unknown setting (known: " + list + ")");
  }
}

SizeRange RangeOf(const Json& entry) {
  SizeRange range{Bound(entry, "min"), Bound(entry, "max")};
  if (range.min && range.max && *range.min > *range.max) BadKey("min", "is greater than max");
  return range;
}

}  // namespace

std::unique_ptr<SampleFilter> MakeConversationTurnsFilter(TurnCount count, SizeRange range) {
  return std::make_unique<ConversationTurnsFilter>(count, range);
}

std::unique_ptr<SampleFilter> MakeTextLengthFilter(TextScope scope, SizeRange range) {
  return std::make_unique<TextLengthFilter>(scope, range);
}

std::unique_ptr<SampleFilter> MakeExpressionFilter(const std::string& expression) {
  return std::make_unique<ExpressionFilter>(FieldExpression::Parse(expression));
}

std::unique_ptr<SampleFilter> FilterFromConfig(const Json& entry) {
  if (!entry.is_object()) BadKey("filter", "expected a mapping such as {filter: text_length, max: 4000}");
  const auto name = entry.find("filter");
  if (name == entry.end() || !name->is_string()) {
    BadKey("filter", "expected a filter name: conversation_turns, text_length or expression");
  }
  if (*name == "conversation_turns") {
    CheckKeys(entry, {"filter", "count", "min", "max"});
    const bool users = Choice(entry, "count", {"messages", "user_turns"}) == "user_turns";
    return MakeConversationTurnsFilter(users ? TurnCount::kUserTurns : TurnCount::kMessages, RangeOf(entry));
  }
  if (*name == "text_length") {
    CheckKeys(entry, {"filter", "of", "min", "max"});
    const std::string of = Choice(entry, "of", {"both", "input", "outputs"});
    const TextScope scope = of == "input"     ? TextScope::kInput
                            : of == "outputs" ? TextScope::kOutputs
                                              : TextScope::kBoth;
    return MakeTextLengthFilter(scope, RangeOf(entry));
  }
  if (*name == "expression") {
    CheckKeys(entry, {"filter", "expression"});
    const auto text = entry.find("expression");
    if (text == entry.end() || !text->is_string()) BadKey("expression", "expected the expression as a string");
    try {
      return MakeExpressionFilter(text->get<std::string>());
    } catch (const ExpressionError& e) {
      BadKey("expression", e.what());
    }
  }
  BadKey("filter",
         "unknown filter '" + name->get<std::string>() + "' (known: conversation_turns, text_length, expression)");
}

}  // namespace rmg
