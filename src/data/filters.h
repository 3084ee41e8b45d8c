// The sample filters of the data pipeline (`rmg data`): each keeps a sample when
// it passes, RM-Gallery's DataBuilder "process" step.
//   conversation_turns  the number of input messages (count: messages), or of
//                       user messages in the input (count: user_turns), in [min, max]
//   text_length         characters (Unicode code points) in [min, max] of: the
//                       input (of: input — all input messages' content together),
//                       every output's answer content (of: outputs — each one
//                       alone), or both conditions at once (of: both)
//   expression          a FieldExpression (field_expression.h) over the sample's
//                       JSON form, e.g. metadata.subset == "chat"
// An absent min or max is no bound.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "rmg/schema.h"

namespace rmg {

class SampleFilter {
 public:
  virtual ~SampleFilter() = default;

  // True if `sample` passes; `record` is DataSampleToJson(sample).
  virtual bool Keep(const DataSample& sample, const Json& record) const = 0;

  // The filter's config name, e.g. "text_length".
  virtual std::string name() const = 0;
};

// Inclusive bounds; nullopt is no bound.
struct SizeRange {
  std::optional<size_t> min;
  std::optional<size_t> max;

  bool Contains(size_t value) const { return (!min || value >= *min) && (!max || value <= *max); }
};

enum class TurnCount { kMessages, kUserTurns };
enum class TextScope { kInput, kOutputs, kBoth };

std::unique_ptr<SampleFilter> MakeConversationTurnsFilter(TurnCount count, SizeRange range);
std::unique_ptr<SampleFilter> MakeTextLengthFilter(TextScope scope, SizeRange range);

// Throws ExpressionError (field_expression.h) when `expression` does not parse.
std::unique_ptr<SampleFilter> MakeExpressionFilter(const std::string& expression);

// Builds a filter from one `process:` entry of a pipeline config, a mapping such
// as {filter: text_length, of: outputs, max: 4000}. Throws std::invalid_argument
// whose message starts with the offending key, e.g. "max: expected a
// non-negative integer" or "expression: column 9: expected ')'".
std::unique_ptr<SampleFilter> FilterFromConfig(const Json& entry);

}  // namespace rmg
