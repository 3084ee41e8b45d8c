#include "math/parser.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "math/answer_text.h"
#include "math/latex_lexer.h"

namespace rmg::math {

namespace {

// Internal control flow only: ParseMath turns it into std::nullopt.
struct ParseFailure {
  std::string reason;
};

Expr Leaf(Op op, std::string text = {}) {
  Expr e;
  e.op = op;
  e.text = std::move(text);
  return e;
}

Expr Node(Op op, std::vector<Expr> args, std::string text = {}) {
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

Expr Binary(Op op, Expr a, Expr b, std::string text = {}) {
  std::vector<Expr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return Node(op, std::move(args), std::move(text));
}

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

Rel RelationOf(const std::string& text) {
  if (text == "!=") return Rel::kNe;
  if (text == "<") return Rel::kLt;
  if (text == "<=") return Rel::kLe;
  if (text == ">") return Rel::kGt;
  if (text == ">=") return Rel::kGe;
  if (text == "~=") return Rel::kApprox;
  return Rel::kEq;
}

bool IsGreek(const std::string& name) {
  static const char* const kNames[] = {
      "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
      "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "rho", "varrho",
      "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
      "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "mho",
      "hbar", "ell", "partial", "nabla"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// \varepsilon and \epsilon are the same letter to a reader.
std::string GreekName(const std::string& name) {
  if (name.size() > 3 && name.compare(0, 3, "var") == 0) return name.substr(3);
  return name;
}

bool IsTrigOrHyperbolic(const std::string& name) {
  static const char* const kNames[] = {"sin", "cos", "tan", "cot", "sec", "csc",
                                       "sinh", "cosh", "tanh", "coth", "sech", "csch"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

std::string CanonicalFunction(const std::string& name) {
  if (name == "asin") return "arcsin";
  if (name == "acos") return "arccos";
  if (name == "atan") return "arctan";
  if (name == "arcsinh") return "arsinh";
  if (name == "arccosh") return "arcosh";
  if (name == "arctanh") return "artanh";
  if (name == "binom" || name == "dbinom" || name == "tbinom") return "binomial";
  return name;
}

// sin^{-1} is arcsin, sinh^{-1} is arsinh.
std::string InverseFunction(const std::string& name) {
  if (name.size() == 4 && name.back() == 'h') return "ar" + name;
  return "arc" + name;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseLimits& limits, const Deadline& deadline)
      : tokens_(std::move(tokens)), limits_(limits), deadline_(deadline) {}

  Expr ParseAnswer() {
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

 private:
  class DepthGuard {
   public:
    explicit DepthGuard(Parser* parser) : parser_(parser) {
      if (++parser_->depth_ > parser_->limits_.max_depth) parser_->Fail("nested too deeply");
    }
    ~DepthGuard() { --parser_->depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser* parser_;
  };

  [[noreturn]] void Fail(std::string reason) { throw ParseFailure{std::move(reason)}; }

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

  static std::string Describe(const Token& token) {
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

  // How a token reads back in a symbol's subscript ("a_{n+1}").
  static std::string TokenText(const Token& token) {
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

  // ---- Lists and relations ----

  Expr ParseCommaList() {
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

  // The comma-separated items of a bracketed group, up to (not including) its closer.
  std::vector<Expr> ParseGroupItems() {
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

  static bool IsCloser(Tok kind) {
    return kind == Tok::kRParen || kind == Tok::kRBracket || kind == Tok::kRBrace ||
           kind == Tok::kRSet || kind == Tok::kEnd;
  }

  Expr ParseRelation() {
    Expr first = ParseSetExpression();
    if (Accept(Tok::kIn)) return AsSetLike(ParseSetExpression());  // x \in S reads as S
    if (!At(Tok::kRelation)) return first;
    Expr chain = Leaf(Op::kRelation);
    chain.args.push_back(std::move(first));
    while (At(Tok::kRelation)) {
      chain.relations.push_back(RelationOf(Cur().text));
      Advance();
      chain.args.push_back(ParseSetExpression());
      if (chain.args.size() > limits_.max_depth) Fail("relation chain too long");
    }
    return chain;
  }

  Expr ParseSetExpression() {
    Expr first = ParseIntersection();
    if (!At(Tok::kCup)) return first;
    std::vector<Expr> sets;
    sets.push_back(AsSetLike(std::move(first)));
    while (Accept(Tok::kCup)) sets.push_back(AsSetLike(ParseIntersection()));
    return Node(Op::kUnion, std::move(sets));
  }

  Expr ParseIntersection() {
    Expr first = ParseAdditive();
    if (!At(Tok::kCap)) return first;
    std::vector<Expr> sets;
    sets.push_back(AsSetLike(std::move(first)));
    while (Accept(Tok::kCap)) sets.push_back(AsSetLike(ParseAdditive()));
    return Node(Op::kIntersection, std::move(sets));
  }

  // ---- Arithmetic ----

  // a ± b - c reads as the set {a - c + b, a - c - b}: the ±-terms are kept apart and
  // wrap the sum of the others.
  Expr ParseAdditive() {
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
        if (plus_minus.size() > limits_.max_depth) Fail("too many \\pm");
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

  // Can the current token begin a factor multiplied by juxtaposition ("2x", "x(y+1)")?
  // `in_function_argument`: \sin x \cos y is sin(x) cos(y), so a function ends it.
  bool StartsImplicitFactor(bool in_function_argument) {
    const Token& token = Cur();
    switch (token.kind) {
      case Tok::kNumber:
        // "2 3" is not a product anyone writes; "(n-2) 2^n" is.
        return pos_ == 0 || tokens_[pos_ - 1].kind != Tok::kNumber;
      case Tok::kLetter: case Tok::kName: case Tok::kLParen: case Tok::kLBracket:
      case Tok::kLBrace: case Tok::kLFloor: case Tok::kLCeil: case Tok::kBegin:
        return true;
      case Tok::kBar:
        return abs_depth_ == 0;
      case Tok::kCommand:
        return !(in_function_argument &&
                 (IsFunctionName(token.text) || token.text == "sum" || token.text == "prod" ||
                  token.text == "int" || token.text == "lim"));
      default:
        return false;
    }
  }

  // Products and quotients, left to right: a / b c is (a / b) c.
  Expr ParseTerm(bool implicit_only) {
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
        if (++divisions > limits_.max_depth) Fail("too many divisions");
      } else if (StartsImplicitFactor(implicit_only)) {
        factors.push_back(ParsePostfix());
      } else {
        break;
      }
      if (factors.size() > limits_.max_nodes) Fail("too many factors");
    }
    return Product(std::move(factors));
  }

  Expr ParseUnary() {
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

  // ^{\circ}, ^\circ: degrees; ^{\prime}: a prime. Consumes them if present.
  bool AcceptSuperscriptMark(Tok mark) {
    if (At(Tok::kCaret) && Ahead(1).kind == mark) {
      Advance();
      Advance();
      return true;
    }
    if (At(Tok::kCaret) && Ahead(1).kind == Tok::kLBrace && Ahead(2).kind == mark &&
        Ahead(3).kind == Tok::kRBrace) {
      for (int i = 0; i < 4; ++i) Advance();
      return true;
    }
    return false;
  }

  // A primary with its postfix operators: powers, !, %, degrees, primes, units.
  Expr ParsePostfix() {
    Expr e = ParsePrimary();
    for (size_t count = 0;; ++count) {
      if (count > limits_.max_depth) Fail("too many postfix operators");
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

  // The exponent after '^': a braced group, or one signed primary; right-associative.
  Expr ParseExponent() {
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

  // ---- Primaries ----

  Expr NumberLeaf(const Token& token) {
    const bool decimal = token.text.find('.') != std::string::npos;
    Expr number = Leaf(decimal ? Op::kDecimal : Op::kInteger, token.text);
    if (token.exponent.empty()) return number;
    const bool negative = token.exponent[0] == '-';
    Expr exponent = Leaf(Op::kInteger, token.exponent.substr(negative ? 1 : 0));
    if (negative) exponent = Unary(Op::kNeg, std::move(exponent));
    return Binary(Op::kMul, std::move(number),
                  Binary(Op::kPow, Leaf(Op::kInteger, "10"), std::move(exponent)));
  }

  Expr ParsePrimary() {
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
        std::vector<Expr> items = ParseGroupItems();
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

  static std::vector<Expr> Args(Expr e) {
    std::vector<Expr> args;
    args.push_back(std::move(e));
    return args;
  }

  // The subscript after '_' as text: x_1 -> "1", a_{n+1} -> "n+1".
  std::string ParseSubscriptText() {
    if (At(Tok::kLBrace)) {
      Advance();
      std::string text;
      int level = 0;
      bool simple = true;  // only letters and digits: no braces in the name
      while (!At(Tok::kEnd) && !(At(Tok::kRBrace) && level == 0)) {
        if (At(Tok::kLBrace)) ++level;
        if (At(Tok::kRBrace)) --level;
        if (Cur().kind != Tok::kNumber && Cur().kind != Tok::kLetter) simple = false;
        text += TokenText(Cur());
        Advance();
      }
      Expect(Tok::kRBrace, "'}' after subscript");
      if (text.empty()) Fail("empty subscript");
      return simple ? text : "{" + text + "}";
    }
    Token& token = Cur();
    if (token.kind == Tok::kNumber && token.exponent.empty()) {
      std::string digit = token.text.substr(0, 1);  // x_12 is x_1 times 2 in LaTeX
      if (token.text.size() > 1) {
        token.text.erase(0, 1);
      } else {
        Advance();
      }
      return digit;
    }
    if (token.kind == Tok::kLetter || token.kind == Tok::kCommand) {
      std::string text = token.kind == Tok::kCommand ? GreekName(token.text) : token.text;
      Advance();
      return text;
    }
    Fail("bad subscript");
  }

  // Does "( ... )" at the current token hold only atoms separated by commas, like the
  // arguments of x(t), \theta(t), I(0), p(x, y)?
  bool LooksLikeArguments() const {
    size_t i = pos_ + 1;
    for (;;) {
      const Token& token = tokens_[std::min(i, tokens_.size() - 1)];
      const bool atom = token.kind == Tok::kLetter || token.kind == Tok::kName ||
                        (token.kind == Tok::kNumber && token.exponent.empty() &&
                         token.text.find('.') == std::string::npos) ||
                        (token.kind == Tok::kCommand && IsGreek(token.text));
      if (!atom) return false;
      const Tok next = tokens_[std::min(i + 1, tokens_.size() - 1)].kind;
      if (next == Tok::kRParen) return true;
      if (next != Tok::kComma) return false;
      i += 2;
    }
  }

  // A symbol whose name was just read: subscripts, primes, e and i, and application
  // f(x) (see parser.h for when parentheses apply a function).
  Expr ParseSymbol(std::string name, bool may_be_constant) {
    bool decorated = false;
    if (Accept(Tok::kUnderscore)) {
      name += "_" + ParseSubscriptText();
      decorated = true;
    }
    for (;;) {
      if (Accept(Tok::kPrime) || AcceptSuperscriptMark(Tok::kPrime)) {
        name += "'";
        decorated = true;
      } else if (!decorated && At(Tok::kUnderscore)) {
        Advance();
        name += "_" + ParseSubscriptText();
        decorated = true;
      } else {
        break;
      }
    }
    if (may_be_constant && name == "e") return Leaf(Op::kE);
    if (may_be_constant && name == "i") return Leaf(Op::kI);
    if (At(Tok::kLParen)) {
      const char first = name[0];
      const bool function_letter =
          (first == 'f' || first == 'g' || first == 'h' || first == 'F' || first == 'G' ||
           first == 'H') &&
          (name.size() == 1 || name[1] == '\'' || name[1] == '_');
      if (function_letter || name.find('\'') != std::string::npos || LooksLikeArguments()) {
        Advance();
        std::vector<Expr> args = ParseGroupItems();
        Expect(Tok::kRParen, "')'");
        if (args.empty()) Fail("empty argument list");
        return Node(Op::kApply, std::move(args), std::move(name));
      }
    }
    return Leaf(Op::kSymbol, std::move(name));
  }

  // ( ... ): grouping, tuple, or interval closed by ']' on the right.
  Expr ParseParenthesized() {
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

  // [ ... ]: grouping (\left[ ... \right]), closed or half-open interval, or a vector.
  Expr ParseBracketed() {
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

  // The argument of \frac, \sqrt, \binom: a braced group or a single character
  // (\frac94 is 9/4).
  Expr ParseArgument() {
    DepthGuard guard(this);
    if (At(Tok::kLBrace)) {
      Advance();
      std::vector<Expr> items = ParseGroupItems();
      Expect(Tok::kRBrace, "'}'");
      if (items.size() != 1) Fail("expected one value in {...}");
      return std::move(items[0]);
    }
    Token& token = Cur();
    if (token.kind == Tok::kNumber && token.exponent.empty() && token.text.size() > 1 &&
        token.text.find('.') == std::string::npos) {
      Expr digit = Leaf(Op::kInteger, token.text.substr(0, 1));
      token.text.erase(0, 1);
      return digit;
    }
    if (token.kind == Tok::kLetter) {
      std::string name = token.text;
      Advance();
      if (name == "e") return Leaf(Op::kE);
      if (name == "i") return Leaf(Op::kI);
      return Leaf(Op::kSymbol, std::move(name));
    }
    return ParsePrimary();
  }

  // The argument of _ or ^ on \sum, \int, \log: a braced group (which may hold a
  // relation such as k=0) or one primary.
  Expr ParseScript() {
    if (At(Tok::kLBrace)) return ParseArgument();
    if (At(Tok::kMinus)) {
      Advance();
      return Unary(Op::kNeg, ParseArgument());
    }
    return ParseArgument();
  }

  Expr ParseCommand() {
    const std::string name = Cur().text;
    if (IsGreek(name)) {
      Advance();
      return ParseSymbol(GreekName(name), false);
    }
    if (name == "pi") {
      Advance();
      return Leaf(Op::kPi);
    }
    if (name == "infty") {
      Advance();
      return Leaf(Op::kInfinity);
    }
    if (name == "emptyset" || name == "varnothing") {
      Advance();
      return Leaf(Op::kEmptySet);
    }
    if (name == "frac" || name == "dfrac" || name == "tfrac" || name == "cfrac") {
      Advance();
      Expr numerator = ParseArgument();
      Expr denominator = ParseArgument();
      return Binary(Op::kDiv, std::move(numerator), std::move(denominator));
    }
    if (name == "binom" || name == "dbinom" || name == "tbinom") {
      Advance();
      Expr n = ParseArgument();
      Expr k = ParseArgument();
      return Binary(Op::kFunction, std::move(n), std::move(k), "binomial");
    }
    if (name == "sqrt") {
      Advance();
      if (Accept(Tok::kLBracket)) {
        Expr index = ParseAdditive();
        Expect(Tok::kRBracket, "']' after root index");
        Expr radicand = ParseArgument();
        return Binary(Op::kFunction, std::move(radicand), std::move(index), "root");
      }
      return Node(Op::kFunction, Args(ParseArgument()), "sqrt");
    }
    if (name == "sum" || name == "prod" || name == "int") {
      Advance();
      std::optional<Expr> lower, upper;
      for (int i = 0; i < 2; ++i) {
        if (!lower && Accept(Tok::kUnderscore)) lower = ParseScript();
        if (!upper && Accept(Tok::kCaret)) upper = ParseScript();
      }
      std::vector<Expr> args;
      args.push_back(ParseTerm(false));
      if (lower) args.push_back(std::move(*lower));
      if (upper) {
        if (!lower) Fail("upper limit without lower limit");
        args.push_back(std::move(*upper));
      }
      return Node(Op::kFunction, std::move(args), name);
    }
    if (name == "lim") {
      Advance();
      Expect(Tok::kUnderscore, "'_' after \\lim");
      Expect(Tok::kLBrace, "'{' after \\lim_");
      Expr variable = ParseAdditive();
      Expect(Tok::kTo, "\\to");
      Expr target = ParseAdditive();
      Expect(Tok::kRBrace, "'}'");
      std::vector<Expr> args;
      args.push_back(ParseTerm(false));
      args.push_back(std::move(variable));
      args.push_back(std::move(target));
      return Node(Op::kFunction, std::move(args), "lim");
    }
    if (IsFunctionName(name)) return ParseFunction(name);
    // \operatorname{foo} of an unknown name.
    Advance();
    if (!At(Tok::kLParen)) Fail("unknown function \\" + name + " without arguments");
    Advance();
    std::vector<Expr> args = ParseGroupItems();
    Expect(Tok::kRParen, "')'");
    if (args.empty()) Fail("empty argument list");
    return Node(Op::kApply, std::move(args), name);
  }

  // \sin x, \sin^2 x, \sin^{-1} x, \log_2 x, \ln(x), \max(a, b), sqrt(2).
  Expr ParseFunction(const std::string& written) {
    Advance();
    std::string name = CanonicalFunction(written);
    std::optional<Expr> power, base;
    if (name == "lg") {
      name = "log";
      base = Leaf(Op::kInteger, "10");
    }
    for (int i = 0; i < 2; ++i) {
      if (!base && name == "log" && Accept(Tok::kUnderscore)) base = ParseScript();
      if (!power && Accept(Tok::kCaret)) {
        Expr exponent = ParseScript();
        const bool minus_one = exponent.op == Op::kNeg && exponent.args[0].op == Op::kInteger &&
                               exponent.args[0].text == "1";
        if (minus_one && IsTrigOrHyperbolic(name)) {
          name = InverseFunction(name);
        } else {
          power = std::move(exponent);
        }
      }
    }
    std::vector<Expr> args;
    if (At(Tok::kLParen)) {
      Advance();
      args = ParseGroupItems();
      Expect(Tok::kRParen, "')'");
      if (args.empty()) Fail("empty argument list");
    } else if (At(Tok::kLBrace)) {
      args.push_back(ParseArgument());
    } else {
      DepthGuard guard(this);
      args.push_back(ParseTerm(true));
    }
    if (base) {
      if (args.size() != 1) Fail("\\log_b with several arguments");
      args.push_back(std::move(*base));
    }
    Expr call = Node(Op::kFunction, std::move(args), name);
    if (name == "exp" && call.args.size() == 1 && call.args[0].op == Op::kInteger &&
        call.args[0].text == "1") {
      call = Leaf(Op::kE);
    }
    if (power) call = Binary(Op::kPow, std::move(call), std::move(*power));
    return call;
  }

  // \begin{pmatrix} a & b \\ c & d \end{pmatrix} and the other matrix environments.
  Expr ParseEnvironment() {
    const std::string environment = Cur().text;
    static const char* const kMatrices[] = {"pmatrix", "bmatrix", "Bmatrix", "matrix",
                                            "smallmatrix", "array", "vmatrix"};
    if (std::find(std::begin(kMatrices), std::end(kMatrices), environment) == std::end(kMatrices)) {
      Fail("unsupported environment " + environment);
    }
    Advance();
    std::vector<std::vector<Expr>> rows(1);
    for (;;) {
      if (At(Tok::kEndEnv)) break;
      if (At(Tok::kRowBreak)) {
        Advance();
        rows.emplace_back();
        continue;
      }
      if (!rows.back().empty()) Expect(Tok::kAmpersand, "'&'");
      rows.back().push_back(ParseRelation());
      if (!At(Tok::kAmpersand) && !At(Tok::kRowBreak) && !At(Tok::kEndEnv)) {
        Fail("unexpected " + Describe(Cur()) + " in matrix");
      }
    }
    if (Cur().text != environment) Fail("\\begin{" + environment + "} ended by \\end{" + Cur().text + "}");
    Advance();
    if (rows.back().empty()) rows.pop_back();  // a trailing "\\"
    if (rows.empty() || rows[0].empty()) Fail("empty matrix");
    Expr matrix = Leaf(Op::kMatrix);
    matrix.rows = static_cast<uint32_t>(rows.size());
    matrix.cols = static_cast<uint32_t>(rows[0].size());
    for (std::vector<Expr>& row : rows) {
      if (row.size() != matrix.cols) Fail("matrix rows of different lengths");
      for (Expr& cell : row) matrix.args.push_back(std::move(cell));
    }
    if (environment == "vmatrix") return Node(Op::kFunction, Args(std::move(matrix)), "det");
    return matrix;
  }

  std::vector<Token> tokens_;
  const ParseLimits& limits_;
  const Deadline& deadline_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  size_t abs_depth_ = 0;  // inside |...|, a '|' closes instead of multiplying
  size_t steps_ = 0;
};

}  // namespace

std::optional<Expr> ParseMath(std::string_view text, const Deadline& deadline, std::string* error,
                              const ParseLimits& limits) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  if (text.size() > limits.max_length) {
    *error = "answer longer than " + std::to_string(limits.max_length) + " bytes";
    return std::nullopt;
  }
  deadline.Check();
  const std::string_view answer = StripAnswerDelimiters(text);
  if (std::optional<std::string> words = WholeAnswerText(answer)) return Leaf(Op::kText, *words);
  std::vector<Token> tokens;
  if (!LexMath(answer, limits.max_depth, deadline, &tokens, error)) return std::nullopt;
  try {
    Parser parser(std::move(tokens), limits, deadline);
    Expr result = parser.ParseAnswer();
    if (NodeCount(result) > limits.max_nodes) {
      *error = "more than " + std::to_string(limits.max_nodes) + " nodes";
      return std::nullopt;
    }
    return result;
  } catch (const ParseFailure& failure) {
    *error = failure.reason;
    return std::nullopt;
  }
}

}  // namespace rmg::math
