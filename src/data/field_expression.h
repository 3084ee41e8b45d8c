// A tiny, safe expression language over the fields of a JSON record, used by the
// data pipeline's `expression` filter. Nothing is evaluated as code: an
// expression is parsed once into a tree of comparisons and evaluated against
// each record.
//
//   expression := or
//   or         := and ("or" and)*
//   and        := unary ("and" unary)*
//   unary      := "not" unary | "(" expression ")" | test
//   test       := operand [ ("==" | "!=" | "<" | "<=" | ">" | ">=") operand
//                         | ["not"] "in" "[" [literal ("," literal)*] "]" ]
//   operand    := field | literal
//   field      := dotted path, e.g. metadata.subset or output.0.answer.label.score
//                 (parts of letters and digits of any script, '_' and '-'; see
//                 field_path.h)
//   literal    := "string" | 'string' | number | true | false | null
//
// Semantics: a missing field is null. == and != compare JSON values (numbers by
// their exact values, so 3 == 3.0 and 2^64-1 != -1; objects whatever their key
// order); <, <=, >, >= are true only for two numbers (exactly, as ==) or two
// strings (byte order) and false for any other pair; `in` is == against any list
// element. An operand alone is a truth test: true, a non-zero number, or a
// non-empty string, array or object. Keywords (and, or, not, in, true, false,
// null) are lower case and cannot be field names.
//
// Cost: parsing is linear in the text; evaluating is linear in the expression
// size times the field lookups (each linear in the record, field_path.h). Nesting
// deeper than kMaxExpressionDepth is a parse error, so neither recursion can
// exhaust the stack.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rmg/schema.h"

namespace rmg {

inline constexpr int kMaxExpressionDepth = 64;

// An expression that does not parse. what() is "column N: reason" (1-based, in
// characters).
class ExpressionError : public std::invalid_argument {
 public:
  ExpressionError(size_t column, const std::string& reason)
      : std::invalid_argument("column " + std::to_string(column) + ": " + reason), column_(column) {}
  size_t column() const { return column_; }

 private:
  size_t column_;
};

class FieldExpression {
 public:
  // Parses `text`. Throws ExpressionError naming the column of the first problem.
  static FieldExpression Parse(std::string_view text);

  // True if `record` satisfies the expression.
  bool Matches(const Json& record) const;

  struct Node;  // the parsed tree, defined in the .cc

 private:
  explicit FieldExpression(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const Node> root_;
};

}  // namespace rmg
