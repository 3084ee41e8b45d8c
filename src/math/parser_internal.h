// Internal to the math parser (parser.cc, parser_commands.cc): the recursive-descent
// Parser over the lexer's tokens, and the node builders both files use.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "math/expr.h"
#include "math/latex_lexer.h"
#include "math/parser.h"
#include "rmg/deadline.h"

namespace rmg::math::parser_internal {

// Internal control flow only: ParseMath turns it into std::nullopt.
struct ParseFailure {
  std::string reason;
  bool over_limit;  // as ParseError::over_limit
};

// Node builders: a leaf, a node of `args`, and the one- and two-argument shorthands.
Expr Leaf(Op op, std::string text = {});
Expr Node(Op op, std::vector<Expr> args, std::string text = {});
Expr Unary(Op op, Expr arg);
Expr Binary(Op op, Expr a, Expr b, std::string text = {});

// One parse of one token list; throws ParseFailure (or DeadlineExceeded). The member
// functions follow the grammar from lists down to primaries; every recursion passes
// through ParsePrimary or a signed ParseUnary/ParseExponent, which count depth.
class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseLimits& limits, const Deadline& deadline)
      : tokens_(std::move(tokens)), limits_(limits), deadline_(deadline) {}

  // The whole answer: items separated by ',', ';', "and", \quad, ... (kList if several).
  Expr ParseAnswer();

 private:
  class DepthGuard {
   public:
    explicit DepthGuard(Parser* parser) : parser_(parser) {
      if (++parser_->depth_ > parser_->limits_.max_depth) parser_->FailOverLimit("nested too deeply");
    }
    ~DepthGuard() { --parser_->depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser* parser_;
  };

  [[noreturn]] void Fail(std::string reason) { throw ParseFailure{std::move(reason), false}; }
  [[noreturn]] void FailOverLimit(std::string reason) { throw ParseFailure{std::move(reason), true}; }

  Token& Cur() { return tokens_[pos_]; }
  const Token& Ahead(size_t n) const { return tokens_[std::min(pos_ + n, tokens_.size() - 1)]; }
  bool At(Tok kind) const { return tokens_[pos_].kind == kind; }

  void Advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
    if ((++steps_ & 63) == 0) deadline_.Check();
  }

  bool Accept(Tok kind) {
    if (!At(kind)) return false;
    Advance();
    return true;
  }

  void Expect(Tok kind, const char* what) {
    if (!Accept(kind)) Fail(std::string("expected ") + what + ", got " + Describe(Cur()));
  }

  static std::string Describe(const Token& token);

  // How a token reads back in a symbol's subscript ("a_{n+1}").
  static std::string TokenText(const Token& token);

  // ---- Lists and relations ----

  Expr ParseCommaList();

  // The comma-separated items of a bracketed group, up to (not including) its closer.
  std::vector<Expr> ParseGroupItems();
  // The items of a brace group, whose '{' has been consumed: ParseGroupItems, or
  // TeX's infix fractions {a \over b} (a / b) and {n \choose k} (binomial).
  std::vector<Expr> ParseBraceGroupItems();

  static bool IsCloser(Tok kind) {
    return kind == Tok::kRParen || kind == Tok::kRBracket || kind == Tok::kRBrace ||
           kind == Tok::kRSet || kind == Tok::kEnd;
  }

  Expr ParseRelation();

  Expr ParseSetExpression();

  Expr ParseIntersection();

  // ---- Arithmetic ----

  // a ± b - c reads as the set {a - c + b, a - c - b}: the ±-terms are kept apart and
  // wrap the sum of the others.
  Expr ParseAdditive();

  // Can the current token begin a factor multiplied by juxtaposition ("2x", "x(y+1)")?
  // `in_function_argument`: \sin x \cos y is sin(x) cos(y), so a function ends it.
  bool StartsImplicitFactor(bool in_function_argument);

  // Products and quotients, left to right: a / b c is (a / b) c.
  Expr ParseTerm(bool implicit_only);

  Expr ParseUnary();

  // ^{\circ}, ^\circ: degrees; ^{\prime}, ^{\prime\prime}: primes. Consumes them if
  // present and returns how many marks there were (0: none).
  int AcceptSuperscriptMark(Tok mark);

  // A primary with its postfix operators: powers, !, %, degrees, primes, units.
  Expr ParsePostfix();

  // The exponent after '^': a braced group, or one signed primary; right-associative.
  Expr ParseExponent();

  // ---- Primaries ----

  Expr NumberLeaf(const Token& token);

  Expr ParsePrimary();

  static std::vector<Expr> Args(Expr e) {
    std::vector<Expr> args;
    args.push_back(std::move(e));
    return args;
  }

  // The subscript after '_' as text: x_1 -> "1", a_{n+1} -> "n+1".
  std::string ParseSubscriptText();

  // Does "( ... )" at the current token hold only atoms separated by commas, like the
  // arguments of x(t), \theta(t), I(0), p(x, y)?
  bool LooksLikeArguments() const;

  // A symbol whose name was just read: subscripts, primes, e and i, and application
  // f(x) (see parser.h for when parentheses apply a function).
  Expr ParseSymbol(std::string name, bool may_be_constant);

  // ( ... ): grouping, tuple, or interval closed by ']' on the right.
  Expr ParseParenthesized();

  // [ ... ]: grouping (\left[ ... \right]), closed or half-open interval, or a vector.
  Expr ParseBracketed();

  // The argument of \frac, \sqrt, \binom: a braced group or a single character
  // (\frac94 is 9/4).
  Expr ParseArgument();

  // The argument of _ or ^ on \sum, \int, \log: a braced group (which may hold a
  // relation such as k=0) or one primary.
  Expr ParseScript();

  Expr ParseCommand();

  // \sin x, \sin^2 x, \sin^{-1} x, \log_2 x, \ln(x), \max(a, b), sqrt(2).
  Expr ParseFunction(const std::string& written);

  // \begin{pmatrix} a & b \\ c & d \end{pmatrix} and the other matrix environments.
  Expr ParseEnvironment();

  std::vector<Token> tokens_;
  const ParseLimits& limits_;
  const Deadline& deadline_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  size_t abs_depth_ = 0;  // inside |...|, a '|' closes instead of multiplying
  size_t steps_ = 0;
};

}  // namespace rmg::math::parser_internal
