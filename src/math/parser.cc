#include "math/parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "math/answer_text.h"
#include "math/latex_lexer.h"
#include "math/parser_internal.h"

namespace rmg::math {

namespace parser_internal {

Expr Leaf(Op op, std::string text) {
  Expr e;
  e.op = op;
  e.text = std::move(text);
  return e;
}

Expr Node(Op op, std::vector<Expr> args, std::string text) {
  Expr e;
  e.op = op;
  e.args = std::move(args);
  e.text = std::move(text);
  return e;
}

Expr Unary(Op op, Expr arg) {
  std::vector<Expr> args;
  args.push_back(std::move(arg));
  return Node(op, std::move(args));
}

Expr Binary(Op op, Expr a, Expr b, std::string text) {
  std::vector<Expr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return Node(op, std::move(args), std::move(text));
}

namespace {

Expr Product(std::vector<Expr> factors) {
  if (factors.size() == 1) return std::move(factors[0]);
  return Node(Op::kMul, std::move(factors));
}

bool IsInfinite(const Expr& e) {
  return e.op == Op::kInfinity || (e.op == Op::kNeg && e.args[0].op == Op::kInfinity);
}

// A 2-tuple where a set is expected ((a, b) \cup ..., x \in (a, b)) is an open interval.
Expr AsSetLike(Expr e) {
  if (e.op == Op::kTuple && e.args.size() == 2) e.op = Op::kInterval;
  return e;
}

Expr Interval(Expr low, Expr high, bool left_closed, bool right_closed) {
  Expr e = Binary(Op::kInterval, std::move(low), std::move(high));
  e.left_closed = left_closed;
  e.right_closed = right_closed;
  return e;
}

// The value of a kInteger's digits compared as numbers: -1, 0 or 1.
int CompareDigits(std::string_view a, std::string_view b) {
  const auto significant = [](std::string_view d) {
    const size_t first = d.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view() : d.substr(first);
  };
  a = significant(a);
  b = significant(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a < b ? -1 : (a == b ? 0 : 1);
}

// A whole number and a proper fraction of whole numbers written side by side,
// 2\frac{1}{2}, is the mixed number 2 + 1/2 (-2\frac{1}{2} is -(2 + 1/2)), as
// competition answers write it; `whole` is a kInteger or its kNeg.
std::optional<Expr> MixedNumber(const Expr& whole, const Expr& fraction) {
  const bool negative = whole.op == Op::kNeg;
  const Expr& digits = negative ? whole.args[0] : whole;
  if (digits.op != Op::kInteger || fraction.op != Op::kDiv) return std::nullopt;
  const Expr& numerator = fraction.args[0];
  const Expr& denominator = fraction.args[1];
  if (numerator.op != Op::kInteger || denominator.op != Op::kInteger) return std::nullopt;
  if (CompareDigits(numerator.text, "0") <= 0 || CompareDigits(numerator.text, denominator.text) >= 0) {
    return std::nullopt;
  }
  Expr sum = Binary(Op::kAdd, digits, fraction);
  return negative ? Unary(Op::kNeg, std::move(sum)) : sum;
}

Rel RelationOf(const std::string& text) {
  if (text == "!=") return Rel::kNe;
  if (text == "<") return Rel::kLt;
  if (text == "<=") return Rel::kLe;
  if (text == ">") return Rel::kGt;
  if (text == ">=") return Rel::kGe;
  if (text == "~=") return Rel::kApprox;
  return Rel::kEq;
}

}  // namespace

Expr Parser::ParseAnswer() {
  std::vector<Expr> answers;
  for (;;) {
    while (At(Tok::kSeparator) || At(Tok::kComma) || At(Tok::kDot)) Advance();
    if (At(Tok::kEnd)) break;
    Expr answer = ParseCommaList();
    if (answer.op == Op::kList) {
      for (Expr& item : answer.args) answers.push_back(std::move(item));
    } else {
      answers.push_back(std::move(answer));
    }
    if (!At(Tok::kSeparator) && !At(Tok::kComma) && !At(Tok::kDot) && !At(Tok::kEnd)) {
      Fail("unexpected " + Describe(Cur()));
    }
    // A '.' is only allowed as trailing punctuation.
    if (At(Tok::kDot)) {
      size_t i = pos_;
      while (tokens_[i].kind == Tok::kDot || tokens_[i].kind == Tok::kComma) ++i;
      if (tokens_[i].kind != Tok::kEnd) Fail("unexpected '.'");
    }
  }
  if (answers.empty()) Fail("empty answer");
  if (answers.size() == 1) return std::move(answers[0]);
  return Node(Op::kList, std::move(answers));
}

std::string Parser::Describe(const Token& token) {
  switch (token.kind) {
    case Tok::kEnd: return "end of answer";
    case Tok::kNumber: return "number " + token.text;
    case Tok::kCommand: return "\\" + token.text;
    case Tok::kWords: return "text '" + token.text + "'";
    case Tok::kLetter:
    case Tok::kName: return "'" + token.text + "'";
    case Tok::kBegin: return "\\begin{" + token.text + "}";
    case Tok::kEndEnv: return "\\end{" + token.text + "}";
    case Tok::kRelation: return "'" + token.text + "'";
    default: return "'" + std::string(TokenText(token)) + "'";
  }
}

std::string Parser::TokenText(const Token& token) {
  switch (token.kind) {
    case Tok::kNumber:
      return token.exponent.empty() ? token.text : token.text + "e" + token.exponent;
    case Tok::kLetter: case Tok::kName: case Tok::kWords: case Tok::kRelation:
      return token.text;
    case Tok::kCommand: return "\\" + token.text;
    case Tok::kPlus: return "+";
    case Tok::kMinus: return "-";
    case Tok::kPlusMinus: return "\\pm";
    case Tok::kTimes: return "*";
    case Tok::kDivide: return "/";
    case Tok::kCaret: return "^";
    case Tok::kUnderscore: return "_";
    case Tok::kBang: return "!";
    case Tok::kPercent: return "%";
    case Tok::kDegrees: return "\\circ";
    case Tok::kPrime: return "'";
    case Tok::kComma: return ",";
    case Tok::kDot: return ".";
    case Tok::kLParen: return "(";
    case Tok::kRParen: return ")";
    case Tok::kLBracket: return "[";
    case Tok::kRBracket: return "]";
    case Tok::kLBrace: return "{";
    case Tok::kRBrace: return "}";
    case Tok::kLSet: return "\\{";
    case Tok::kRSet: return "\\}";
    case Tok::kBar: return "|";
    case Tok::kSeparator: return ";";
    case Tok::kAmpersand: return "&";
    case Tok::kRowBreak: return "\\\\";
    case Tok::kCup: return "\\cup";
    case Tok::kCap: return "\\cap";
    case Tok::kIn: return "\\in";
    case Tok::kTo: return "\\to";
    default: return "?";
  }
}

Expr Parser::ParseCommaList() {
  std::vector<Expr> items;
  items.push_back(ParseRelation());
  while (At(Tok::kComma)) {
    const Tok next = Ahead(1).kind;
    if (next == Tok::kSeparator || next == Tok::kEnd || next == Tok::kDot) break;
    Advance();
    items.push_back(ParseRelation());
  }
  if (items.size() == 1) return std::move(items[0]);
  return Node(Op::kList, std::move(items));
}

std::vector<Expr> Parser::ParseGroupItems() {
  const size_t saved_abs = abs_depth_;
  abs_depth_ = 0;
  std::vector<Expr> items;
  if (!IsCloser(Cur().kind)) {
    items.push_back(ParseRelation());
    while (Accept(Tok::kComma)) items.push_back(ParseRelation());
  }
  abs_depth_ = saved_abs;
  return items;
}

std::vector<Expr> Parser::ParseBraceGroupItems() {
  std::vector<Expr> items = ParseGroupItems();
  if (items.size() != 1 || !At(Tok::kCommand) || (Cur().text != "over" && Cur().text != "choose")) return items;
  const bool fraction = Cur().text == "over";
  Advance();
  std::vector<Expr> second = ParseGroupItems();
  if (second.size() != 1) Fail(fraction ? "expected one value after \\over" : "expected one value after \\choose");
  Expr infix = fraction ? Binary(Op::kDiv, std::move(items[0]), std::move(second[0]))
                        : Binary(Op::kFunction, std::move(items[0]), std::move(second[0]), "binomial");
  items[0] = std::move(infix);
  return items;
}

Expr Parser::ParseRelation() {
  Expr first = ParseSetExpression();
  if (Accept(Tok::kIn)) return AsSetLike(ParseSetExpression());  // x \in S reads as S
  if (!At(Tok::kRelation)) return first;
  Expr chain = Leaf(Op::kRelation);
  chain.args.push_back(std::move(first));
  while (At(Tok::kRelation)) {
    chain.relations.push_back(RelationOf(Cur().text));
    Advance();
    chain.args.push_back(ParseSetExpression());
    if (chain.args.size() > limits_.max_depth) FailOverLimit("relation chain too long");
  }
  return chain;
}

Expr Parser::ParseSetExpression() {
  Expr first = ParseIntersection();
  if (!At(Tok::kCup)) return first;
  std::vector<Expr> sets;
  sets.push_back(AsSetLike(std::move(first)));
  while (Accept(Tok::kCup)) sets.push_back(AsSetLike(ParseIntersection()));
  return Node(Op::kUnion, std::move(sets));
}

Expr Parser::ParseIntersection() {
  Expr first = ParseAdditive();
  if (!At(Tok::kCap)) return first;
  std::vector<Expr> sets;
  sets.push_back(AsSetLike(std::move(first)));
  while (Accept(Tok::kCap)) sets.push_back(AsSetLike(ParseAdditive()));
  return Node(Op::kIntersection, std::move(sets));
}

Expr Parser::ParseAdditive() {
  std::vector<Expr> terms;
  std::vector<Expr> plus_minus;
  for (bool first = true;; first = false) {
    const Tok sign = Cur().kind;
    if (sign == Tok::kPlus || sign == Tok::kMinus || sign == Tok::kPlusMinus) {
      Advance();
    } else if (!first) {
      break;
    }
    Expr term = ParseTerm(false);
    if (sign == Tok::kMinus) {
      terms.push_back(Unary(Op::kNeg, std::move(term)));
    } else if (sign == Tok::kPlusMinus) {
      plus_minus.push_back(std::move(term));
      if (plus_minus.size() > limits_.max_depth) FailOverLimit("too many \\pm");
    } else {
      terms.push_back(std::move(term));
    }
    const Tok next = Cur().kind;
    if (next != Tok::kPlus && next != Tok::kMinus && next != Tok::kPlusMinus) break;
  }
  Expr sum = terms.empty()      ? Leaf(Op::kInteger, "0")
             : terms.size() == 1 ? std::move(terms[0])
                                 : Node(Op::kAdd, std::move(terms));
  for (Expr& term : plus_minus) sum = Binary(Op::kPlusMinus, std::move(sum), std::move(term));
  return sum;
}

bool Parser::StartsImplicitFactor(bool in_function_argument) {
  const Token& token = Cur();
  switch (token.kind) {
    case Tok::kNumber:
      // "2 3" is not a product anyone writes, nor "3 hours 20"; "(n-2) 2^n" is.
      return pos_ == 0 ||
             (tokens_[pos_ - 1].kind != Tok::kNumber && tokens_[pos_ - 1].kind != Tok::kWords);
    case Tok::kLetter: case Tok::kName: case Tok::kLParen: case Tok::kLBracket:
    case Tok::kLBrace: case Tok::kLFloor: case Tok::kLCeil: case Tok::kBegin:
      return true;
    case Tok::kBar:
      return abs_depth_ == 0;
    case Tok::kCommand:
      if (token.text == "over" || token.text == "choose") return false;  // ends the operand of {a \over b}
      return !(in_function_argument &&
               (IsFunctionName(token.text) || token.text == "sum" || token.text == "prod" ||
                token.text == "int" || token.text == "lim"));
    default:
      return false;
  }
}

Expr Parser::ParseTerm(bool implicit_only) {
  std::vector<Expr> factors;
  factors.push_back(implicit_only ? ParsePostfix() : ParseUnary());
  size_t divisions = 0;
  for (;;) {
    if (!implicit_only && Accept(Tok::kTimes)) {
      factors.push_back(ParseUnary());
    } else if (!implicit_only && Accept(Tok::kDivide)) {
      Expr denominator = ParseUnary();
      Expr quotient = Binary(Op::kDiv, Product(std::move(factors)), std::move(denominator));
      factors.clear();
      factors.push_back(std::move(quotient));
      // The quotient nests without recursion; bound its depth all the same.
      if (++divisions > limits_.max_depth) FailOverLimit("too many divisions");
    } else if (StartsImplicitFactor(implicit_only)) {
      const bool fraction_after_number = factors.size() == 1 && pos_ > 0 && tokens_[pos_ - 1].kind == Tok::kNumber &&
                                         At(Tok::kCommand) &&
                                         (Cur().text == "frac" || Cur().text == "dfrac" || Cur().text == "tfrac");
      Expr factor = ParsePostfix();
      std::optional<Expr> mixed;
      if (fraction_after_number) mixed = MixedNumber(factors[0], factor);
      if (mixed) {
        factors[0] = std::move(*mixed);
      } else {
        factors.push_back(std::move(factor));
      }
    } else {
      break;
    }
    if (factors.size() > limits_.max_nodes) FailOverLimit("too many factors");
  }
  return Product(std::move(factors));
}

Expr Parser::ParseUnary() {
  if (At(Tok::kMinus) || At(Tok::kPlus) || At(Tok::kPlusMinus)) {
    const Tok sign = Cur().kind;
    Advance();
    DepthGuard guard(this);
    Expr operand = ParseUnary();
    if (sign == Tok::kPlus) return operand;
    if (sign == Tok::kMinus) return Unary(Op::kNeg, std::move(operand));
    return Binary(Op::kPlusMinus, Leaf(Op::kInteger, "0"), std::move(operand));
  }
  return ParsePostfix();
}

int Parser::AcceptSuperscriptMark(Tok mark) {
  if (!At(Tok::kCaret)) return 0;
  if (Ahead(1).kind == mark) {
    Advance();
    Advance();
    return 1;
  }
  if (Ahead(1).kind != Tok::kLBrace) return 0;
  size_t marks = 0;
  while (Ahead(2 + marks).kind == mark) ++marks;
  if (marks == 0 || Ahead(2 + marks).kind != Tok::kRBrace) return 0;
  for (size_t i = 0; i < marks + 3; ++i) Advance();
  return static_cast<int>(marks);
}

Expr Parser::ParsePostfix() {
  Expr e = ParsePrimary();
  for (size_t count = 0;; ++count) {
    if (count > limits_.max_depth) FailOverLimit("too many postfix operators");
    if (AcceptSuperscriptMark(Tok::kDegrees) || Accept(Tok::kDegrees)) {
      e = Unary(Op::kDegrees, std::move(e));
    } else if (Accept(Tok::kPercent)) {
      e = Unary(Op::kPercent, std::move(e));
    } else if (Accept(Tok::kBang)) {
      e = Unary(Op::kFactorial, std::move(e));
    } else if (At(Tok::kCaret)) {
      Advance();
      e = Binary(Op::kPow, std::move(e), ParseExponent());
    } else if (At(Tok::kWords)) {
      // A unit after a quantity: 10\text{ cm}, 15\mbox{ cm}^2.
      Advance();
      if (At(Tok::kCaret) && (Ahead(1).kind == Tok::kNumber ||
                              (Ahead(1).kind == Tok::kLBrace && Ahead(2).kind == Tok::kNumber &&
                               Ahead(3).kind == Tok::kRBrace))) {
        const size_t skip = Ahead(1).kind == Tok::kNumber ? 2 : 4;
        for (size_t i = 0; i < skip; ++i) Advance();
      }
    } else {
      return e;
    }
  }
}

Expr Parser::ParseExponent() {
  DepthGuard guard(this);
  if (At(Tok::kMinus) || At(Tok::kPlus)) {
    const bool negative = At(Tok::kMinus);
    Advance();
    Expr operand = ParseExponent();
    return negative ? Unary(Op::kNeg, std::move(operand)) : operand;
  }
  Expr base = ParsePrimary();
  if (At(Tok::kCaret) && Ahead(1).kind != Tok::kDegrees) {
    Advance();
    return Binary(Op::kPow, std::move(base), ParseExponent());
  }
  return base;
}

Expr Parser::NumberLeaf(const Token& token) {
  const bool decimal = token.text.find('.') != std::string::npos;
  Expr number = Leaf(decimal ? Op::kDecimal : Op::kInteger, token.text);
  if (token.exponent.empty()) return number;
  const bool negative = token.exponent[0] == '-';
  Expr exponent = Leaf(Op::kInteger, token.exponent.substr(negative ? 1 : 0));
  if (negative) exponent = Unary(Op::kNeg, std::move(exponent));
  return Binary(Op::kMul, std::move(number),
                Binary(Op::kPow, Leaf(Op::kInteger, "10"), std::move(exponent)));
}

Expr Parser::ParsePrimary() {
  DepthGuard guard(this);
  Token& token = Cur();
  switch (token.kind) {
    case Tok::kNumber: {
      Expr number = NumberLeaf(token);
      Advance();
      return number;
    }
    case Tok::kLetter:
    case Tok::kName: {
      std::string name = token.text;
      Advance();
      return ParseSymbol(std::move(name), true);
    }
    case Tok::kCommand:
      return ParseCommand();
    case Tok::kLParen:
      return ParseParenthesized();
    case Tok::kLBracket:
      return ParseBracketed();
    case Tok::kLBrace: {
      // Braces group in LaTeX; with a comma inside they are a plain-text set {1, 2}.
      Advance();
      std::vector<Expr> items = ParseBraceGroupItems();
      Expect(Tok::kRBrace, "'}'");
      if (items.size() == 1) return std::move(items[0]);
      return Node(Op::kSet, std::move(items));
    }
    case Tok::kLSet: {
      Advance();
      std::vector<Expr> items = ParseGroupItems();
      Expect(Tok::kRSet, "'\\}'");
      return Node(Op::kSet, std::move(items));
    }
    case Tok::kBar: {
      Advance();
      ++abs_depth_;
      Expr inner = ParseAdditive();
      --abs_depth_;
      Expect(Tok::kBar, "closing '|'");
      return Node(Op::kFunction, Args(std::move(inner)), "abs");
    }
    case Tok::kLFloor:
    case Tok::kLCeil: {
      const bool floor = token.kind == Tok::kLFloor;
      Advance();
      std::vector<Expr> items = ParseGroupItems();
      if (items.size() != 1) Fail("expected one value in floor/ceil");
      Expect(floor ? Tok::kRFloor : Tok::kRCeil, floor ? "\\rfloor" : "\\rceil");
      return Node(Op::kFunction, std::move(items), floor ? "floor" : "ceil");
    }
    case Tok::kBegin:
      return ParseEnvironment();
    case Tok::kWords: {
      // "SRMC" in "SRAC=LRAC": an upper-case run in math position is a product of
      // symbols; other words ("where b is ...") are prose, not math.
      const std::string word = token.text;
      const bool upper = std::all_of(word.begin(), word.end(),
                                     [](char c) { return c >= 'A' && c <= 'Z'; });
      if (!upper || word.size() > 64) Fail("text in math: " + word);
      Advance();
      std::vector<Expr> letters;
      for (char c : word) letters.push_back(Leaf(Op::kSymbol, std::string(1, c)));
      return Product(std::move(letters));
    }
    default:
      Fail("unexpected " + Describe(token));
  }
}

Expr Parser::ParseParenthesized() {
  Advance();
  std::vector<Expr> items = ParseGroupItems();
  bool right_closed;
  if (Accept(Tok::kRParen)) {
    right_closed = false;
  } else if (Accept(Tok::kRBracket)) {
    right_closed = true;
  } else {
    Fail("expected ')', got " + Describe(Cur()));
  }
  if (items.empty()) Fail("empty parentheses");
  if (items.size() == 1) {
    if (right_closed) Fail("'(' closed by ']'");
    return std::move(items[0]);
  }
  if (items.size() == 2 && (right_closed || IsInfinite(items[0]) || IsInfinite(items[1]))) {
    return Interval(std::move(items[0]), std::move(items[1]), false, right_closed);
  }
  if (right_closed) Fail("'(' closed by ']' around more than two values");
  return Node(Op::kTuple, std::move(items));
}

Expr Parser::ParseBracketed() {
  Advance();
  std::vector<Expr> items = ParseGroupItems();
  bool right_closed;
  if (Accept(Tok::kRBracket)) {
    right_closed = true;
  } else if (Accept(Tok::kRParen)) {
    right_closed = false;
  } else {
    Fail("expected ']', got " + Describe(Cur()));
  }
  if (items.empty()) Fail("empty brackets");
  if (items.size() == 1) {
    if (!right_closed) Fail("'[' closed by ')'");
    return std::move(items[0]);
  }
  if (items.size() == 2) return Interval(std::move(items[0]), std::move(items[1]), true, right_closed);
  if (!right_closed) Fail("'[' closed by ')' around more than two values");
  return Node(Op::kTuple, std::move(items));
}

}  // namespace parser_internal

std::optional<Expr> ParseMath(std::string_view text, const Deadline& deadline, ParseError* error,
                              const ParseLimits& limits) {
  ParseError ignored;
  if (error == nullptr) error = &ignored;
  if (text.size() > limits.max_length) {
    *error = {"answer longer than " + std::to_string(limits.max_length) + " bytes", true};
    return std::nullopt;
  }
  deadline.Check();
  const std::string_view answer = StripAnswerDelimiters(text);
  if (std::optional<std::string> words = WholeAnswerText(answer)) return parser_internal::Leaf(Op::kText, *words);
  std::vector<Token> tokens;
  if (!LexMath(answer, limits.max_depth, deadline, &tokens, error)) return std::nullopt;
  try {
    parser_internal::Parser parser(std::move(tokens), limits, deadline);
    Expr result = parser.ParseAnswer();
    if (NodeCount(result) > limits.max_nodes) {
      *error = {"more than " + std::to_string(limits.max_nodes) + " nodes", true};
      return std::nullopt;
    }
    return result;
  } catch (const parser_internal::ParseFailure& failure) {
    *error = {failure.reason, failure.over_limit};
    return std::nullopt;
  }
}

}  // namespace rmg::math
