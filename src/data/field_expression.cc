#include "data/field_expression.h"

#include <unicode/uchar.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "data/field_path.h"
#include "text/unicode.h"

namespace rmg {
namespace {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };

// An operand: a field path, or a literal when `parts` is empty.
struct Operand {
  std::vector<std::string> parts;
  Json literal;

  const Json& Resolve(const Json& record) const {
    static const Json kNull;
    if (parts.empty()) return literal;
    const Json* value = FindField(record, parts);
    return value ? *value : kNull;
  }
};

}  // namespace

struct FieldExpression::Node {
  enum class Kind { kOr, kAnd, kNot, kCompare, kIn, kTruth };
  Kind kind = Kind::kTruth;
  std::vector<Node> children;  // kOr, kAnd: two or more; kNot: one
  Operand left, right;         // kCompare: both; kIn, kTruth: left
  Op op = Op::kEq;
  std::vector<Json> list;  // kIn
  bool negated = false;    // kIn: "not in"
};

namespace {

using Node = FieldExpression::Node;

struct Token {
  enum class Kind { kEnd, kWord, kString, kNumber, kOp, kLParen, kRParen, kLBracket, kRBracket, kComma } kind;
  std::string text;  // kWord: the word; kString: the decoded string; kOp: the operator
  Json number;       // kNumber
  size_t column = 0;
};

// Field names may be in any script (metadata.é): a word is ASCII letters, digits, '_', '-'
// and '.', and the code points Unicode lets an identifier start with or continue (not
// punctuation such as typographic quotes, which would otherwise read as a field).
bool IsWordStart(char32_t cp) {
  if (cp < 0x80) return std::isalpha(static_cast<int>(cp)) || cp == '_';
  return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_XID_START);
}
bool IsWordChar(char32_t cp) {
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) || cp == '_' || cp == '-' || cp == '.';
  return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_XID_CONTINUE);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> Tokens() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      tokens.push_back(Next());
      if (tokens.back().kind == Token::Kind::kEnd) return tokens;
    }
  }

 private:
  // The 1-based column, in characters, of byte `pos` (never before the last one asked).
  size_t Column(size_t pos) {
    for (; counted_to_ < pos; ++counted_to_) {
      if ((static_cast<unsigned char>(text_[counted_to_]) & 0xC0) != 0x80) ++characters_;
    }
    return characters_ + 1;
  }

  // The code point at byte `pos`; *size is set to its length in bytes.
  char32_t CodePointAt(size_t pos, size_t* size) const {
    size_t end = pos;
    const char32_t cp = text::DecodeUtf8(text_, &end);
    *size = end - pos;
    return cp;
  }

  Token Next() {
    Token token{Token::Kind::kEnd, "", nullptr, Column(pos_)};
    if (pos_ >= text_.size()) return token;
    const char c = text_[pos_];
    const auto single = [&](Token::Kind kind) {
      ++pos_;
      token.kind = kind;
      return token;
    };
    switch (c) {
      case '(':
        return single(Token::Kind::kLParen);
      case ')':
        return single(Token::Kind::kRParen);
      case '[':
        return single(Token::Kind::kLBracket);
      case ']':
        return single(Token::Kind::kRBracket);
      case ',':
        return single(Token::Kind::kComma);
      case '"':
      case '\'':
        return String(token);
      default:
        break;
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') return Operator(token);
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') return Number(token);
    size_t size = 0;
    if (IsWordStart(CodePointAt(pos_, &size))) {
      const size_t start = pos_;
      pos_ += size;
      while (pos_ < text_.size() && IsWordChar(CodePointAt(pos_, &size))) pos_ += size;
      token.kind = Token::Kind::kWord;
      token.text = std::string(text_.substr(start, pos_ - start));
      return token;
    }
    throw ExpressionError(token.column, "unexpected character '" + text::ValidUtf8(text_.substr(pos_, size)) + "'");
  }

  Token String(Token token) {
    const char quote = text_[pos_++];
    token.kind = Token::Kind::kString;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;  // \" \' \\ keep the next character
      token.text += text_[pos_++];
    }
    if (pos_ >= text_.size()) throw ExpressionError(token.column, "unterminated string");
    ++pos_;
    return token;
  }

  Token Operator(Token token) {
    const char c = text_[pos_];
    const bool equals_follows = pos_ + 1 < text_.size() && text_[pos_ + 1] == '=';
    if ((c == '=' || c == '!') && !equals_follows) {
      throw ExpressionError(token.column, std::string(c == '=' ? "'=' is not an operator (use '==')"
                                                               : "'!' is not an operator (use 'not' or '!=')"));
    }
    token.kind = Token::Kind::kOp;
    token.text = std::string(text_.substr(pos_, equals_follows ? 2 : 1));
    pos_ += token.text.size();
    return token;
  }

  Token Number(Token token) {
    const size_t start = pos_;
    if (text_[pos_] == '-' || text_[pos_] == '+') ++pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
            ((text_[pos_] == '-' || text_[pos_] == '+') && (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E')))) {
      ++pos_;
    }
    std::string_view digits = text_.substr(start, pos_ - start);
    if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
    double value = 0.0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) {
      throw ExpressionError(token.column, "invalid number '" + std::string(text_.substr(start, pos_ - start)) + "'");
    }
    token.kind = Token::Kind::kNumber;
    token.number = value;
    // Integers stay exact up to JSON's 2^64 - 1, as record values do.
    const char* const digits_end = digits.data() + digits.size();
    int64_t integer = 0;
    uint64_t unsigned_integer = 0;
    if (const auto [end, error] = std::from_chars(digits.data(), digits_end, integer);
        error == std::errc() && end == digits_end) {
      token.number = integer;
    } else if (const auto [uend, uerror] = std::from_chars(digits.data(), digits_end, unsigned_integer);
               uerror == std::errc() && uend == digits_end) {
      token.number = unsigned_integer;
    }
    return token;
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t counted_to_ = 0;  // Column(): characters_ counts the characters before this byte
  size_t characters_ = 0;
};

bool IsKeyword(const Token& token, std::string_view word) {
  return token.kind == Token::Kind::kWord && token.text == word;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Node Parse() {
    Node root = Or(0);
    if (Peek().kind != Token::Kind::kEnd) Fail("expected 'and', 'or' or the end");
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }

  [[noreturn]] void Fail(const std::string& expected) const {
    const Token& token = Peek();
    const std::string found = token.kind == Token::Kind::kEnd ? "the end" : "'" + Describe(token) + "'";
    throw ExpressionError(token.column, expected + ", found " + found);
  }

  static std::string Describe(const Token& token) {
    switch (token.kind) {
      case Token::Kind::kNumber:
        return token.number.dump();
      case Token::Kind::kString:
        return "\"" + token.text + "\"";
      case Token::Kind::kLParen:
        return "(";
      case Token::Kind::kRParen:
        return ")";
      case Token::Kind::kLBracket:
        return "[";
      case Token::Kind::kRBracket:
        return "]";
      case Token::Kind::kComma:
        return ",";
      default:
        return token.text;
    }
  }

  void CheckDepth(int depth) const {
    if (depth > kMaxExpressionDepth) {
      throw ExpressionError(Peek().column, "nested deeper than " + std::to_string(kMaxExpressionDepth) + " levels");
    }
  }

  // Parses `item ("word" item)*` into one node of `kind`, or the single item.
  template <typename Item>
  Node Chain(std::string_view word, Node::Kind kind, Item item) {
    Node first = item();
    if (!IsKeyword(Peek(), word)) return first;
    Node chain;
    chain.kind = kind;
    chain.children.push_back(std::move(first));
    while (IsKeyword(Peek(), word)) {
      Take();
      chain.children.push_back(item());
    }
    return chain;
  }

  Node Or(int depth) {
    CheckDepth(depth);
    return Chain("or", Node::Kind::kOr, [&] { return And(depth); });
  }
  Node And(int depth) {
    return Chain("and", Node::Kind::kAnd, [&] { return Unary(depth); });
  }

  Node Unary(int depth) {
    CheckDepth(depth);
    if (IsKeyword(Peek(), "not")) {
      Take();
      Node node;
      node.kind = Node::Kind::kNot;
      node.children.push_back(Unary(depth + 1));
      return node;
    }
    if (Peek().kind == Token::Kind::kLParen) {
      Take();
      Node inner = Or(depth + 1);
      if (Peek().kind != Token::Kind::kRParen) Fail("expected ')'");
      Take();
      return inner;
    }
    return Test();
  }

  Node Test() {
    Node node;
    node.kind = Node::Kind::kTruth;
    node.left = ParseOperand();
    if (Peek().kind == Token::Kind::kOp) {
      static const std::pair<std::string_view, Op> kOps[] = {{"==", Op::kEq}, {"!=", Op::kNe}, {"<", Op::kLt},
                                                             {"<=", Op::kLe}, {">", Op::kGt},  {">=", Op::kGe}};
      for (const auto& [text, op] : kOps) {
        if (Peek().text == text) node.op = op;
      }
      Take();
      node.kind = Node::Kind::kCompare;
      node.right = ParseOperand();
      return node;
    }
    const bool negated = IsKeyword(Peek(), "not") && IsKeyword(tokens_[next_ + 1], "in");
    if (negated) Take();
    if (IsKeyword(Peek(), "in")) {
      Take();
      node.kind = Node::Kind::kIn;
      node.negated = negated;
      node.list = ParseList();
    }
    return node;
  }

  std::vector<Json> ParseList() {
    if (Peek().kind != Token::Kind::kLBracket) Fail("expected '[' after 'in'");
    Take();
    std::vector<Json> list;
    if (Peek().kind == Token::Kind::kRBracket) {
      Take();
      return list;
    }
    while (true) {
      Operand element = ParseOperand();
      if (!element.parts.empty()) {
        throw ExpressionError(tokens_[next_ - 1].column, "a list holds literals, not fields");
      }
      list.push_back(std::move(element.literal));
      if (Peek().kind == Token::Kind::kRBracket) break;
      if (Peek().kind != Token::Kind::kComma) Fail("expected ',' or ']'");
      Take();
    }
    Take();
    return list;
  }

  Operand ParseOperand() {
    const Token& token = Peek();
    Operand operand;
    switch (token.kind) {
      case Token::Kind::kString:
        operand.literal = token.text;
        break;
      case Token::Kind::kNumber:
        operand.literal = token.number;
        break;
      case Token::Kind::kWord:
        if (token.text == "true" || token.text == "false") {
          operand.literal = token.text == "true";
        } else if (token.text == "null") {
          operand.literal = nullptr;
        } else if (token.text == "and" || token.text == "or" || token.text == "not" || token.text == "in") {
          Fail("expected a field or a value");
        } else {
          operand.parts = SplitFieldPath(token.text);
          for (const std::string& part : operand.parts) {
            if (part.empty()) throw ExpressionError(token.column, "empty part in field '" + token.text + "'");
          }
        }
        break;
      default:
        Fail("expected a field or a value");
    }
    Take();
    return operand;
  }

  std::vector<Token> tokens_;
  size_t next_ = 0;
};

bool Truthy(const Json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) return value.get<double>() != 0.0;
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_array() || value.is_object()) return !value.empty();
  return false;
}

// An integer of the JSON model, signed or unsigned, as one exact type.
__int128 IntegerOf(const Json& value) {
  return value.is_number_unsigned() ? static_cast<__int128>(value.get<uint64_t>())
                                    : static_cast<__int128>(value.get<int64_t>());
}

// The order of two JSON numbers by their exact values (nlohmann's own comparison
// goes through a cast: 2^64-1 == -1, and 2^53+1 < 2^53 is false where <= is true);
// nullopt when one is NaN.
std::optional<int> NumericOrder(const Json& a, const Json& b) {
  const auto sign = [](auto difference) { return difference < 0 ? -1 : difference > 0 ? 1 : 0; };
  if (!a.is_number_float() && !b.is_number_float()) return sign(IntegerOf(a) - IntegerOf(b));
  if (a.is_number_float() && b.is_number_float()) {
    const double x = a.get<double>(), y = b.get<double>();
    if (std::isnan(x) || std::isnan(y)) return std::nullopt;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const bool float_first = a.is_number_float();
  const double f = (float_first ? a : b).get<double>();
  const __int128 i = IntegerOf(float_first ? b : a);
  if (std::isnan(f)) return std::nullopt;
  // Rounding is monotonic, so the double nearest i orders i against f unless they are
  // equal; then f is a whole number within 2^64 and compares exactly.
  const double rounded = static_cast<double>(i);
  int order = rounded < f ? -1 : rounded > f ? 1 : sign(i - static_cast<__int128>(f));
  return float_first ? -order : order;
}

// JSON equality by value: numbers exactly (3 == 3.0), objects whatever their key order.
bool SameValue(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return NumericOrder(a, b) == 0;
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameValue(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    for (const auto& [key, value] : a.items()) {
      const auto match = b.find(key);
      if (match == b.end() || !SameValue(value, *match)) return false;
    }
    return true;
  }
  return a == b;
}

bool Compare(const Json& left, Op op, const Json& right) {
  if (op == Op::kEq) return SameValue(left, right);
  if (op == Op::kNe) return !SameValue(left, right);
  int order = 0;
  if (left.is_number() && right.is_number()) {
    const std::optional<int> numeric = NumericOrder(left, right);
    if (!numeric) return false;  // NaN is unordered
    order = *numeric;
  } else if (left.is_string() && right.is_string()) {
    order = left.get_ref<const std::string&>().compare(right.get_ref<const std::string&>());
  } else {
    return false;
  }
  switch (op) {
    case Op::kLt:
      return order < 0;
    case Op::kLe:
      return order <= 0;
    case Op::kGt:
      return order > 0;
    default:
      return order >= 0;
  }
}

bool Evaluate(const Node& node, const Json& record) {
  switch (node.kind) {
    case Node::Kind::kOr:
      for (const Node& child : node.children) {
        if (Evaluate(child, record)) return true;
      }
      return false;
    case Node::Kind::kAnd:
      for (const Node& child : node.children) {
        if (!Evaluate(child, record)) return false;
      }
      return true;
    case Node::Kind::kNot:
      return !Evaluate(node.children[0], record);
    case Node::Kind::kCompare:
      return Compare(node.left.Resolve(record), node.op, node.right.Resolve(record));
    case Node::Kind::kIn: {
      const Json& value = node.left.Resolve(record);
      for (const Json& element : node.list) {
        if (SameValue(value, element)) return !node.negated;
      }
      return node.negated;
    }
    case Node::Kind::kTruth:
      return Truthy(node.left.Resolve(record));
  }
  return false;
}

}  // namespace

FieldExpression FieldExpression::Parse(std::string_view text) {
  Parser parser(Lexer(text).Tokens());
  return FieldExpression(std::make_shared<const Node>(parser.Parse()));
}

bool FieldExpression::Matches(const Json& record) const { return Evaluate(*root_, record); }

}  // namespace rmg
