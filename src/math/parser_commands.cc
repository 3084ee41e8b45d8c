// The command-level part of the math parser: symbols and their subscripts, \frac,
// \sqrt, \binom, functions, big operators and matrix environments.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "math/parser_internal.h"

namespace rmg::math::parser_internal {

namespace {

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

}  // namespace

std::string Parser::ParseSubscriptText() {
  if (At(Tok::kLBrace)) {
    Advance();
    std::string text;
    int level = 0;
    bool simple = true;  // only letters, digits and commands: no braces in the name
    while (!At(Tok::kEnd) && !(At(Tok::kRBrace) && level == 0)) {
      if (At(Tok::kLBrace)) ++level;
      if (At(Tok::kRBrace)) --level;
      if (Cur().kind == Tok::kCommand) {
        text += GreekName(Cur().text);  // x_{\alpha} names what x_\alpha names
      } else {
        if (Cur().kind != Tok::kNumber && Cur().kind != Tok::kLetter) simple = false;
        text += TokenText(Cur());
      }
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

bool Parser::LooksLikeArguments() const {
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

Expr Parser::ParseSymbol(std::string name, bool may_be_constant) {
  bool decorated = false;
  if (Accept(Tok::kUnderscore)) {
    name += "_" + ParseSubscriptText();
    decorated = true;
  }
  for (;;) {
    if (Accept(Tok::kPrime)) {
      name += "'";
      decorated = true;
    } else if (const int primes = AcceptSuperscriptMark(Tok::kPrime); primes > 0) {
      name.append(static_cast<size_t>(primes), '\'');
      decorated = true;
    } else if (!decorated && At(Tok::kUnderscore)) {
      Advance();
      name += "_" + ParseSubscriptText();
      decorated = true;
    } else {
      break;
    }
  }
  const char first = name[0];
  const bool function_letter =
      (first == 'f' || first == 'g' || first == 'h' || first == 'F' || first == 'G' ||
       first == 'H') &&
      (name.size() == 1 || name[1] == '\'' || name[1] == '_');
  // f^{-1}(x): the inverse function applied, not f to the power -1 times x.
  if (function_letter && At(Tok::kCaret)) {
    const bool braced = Ahead(1).kind == Tok::kLBrace;
    const size_t minus = braced ? 2 : 1;
    const size_t after = braced ? 5 : 3;
    if (Ahead(minus).kind == Tok::kMinus && Ahead(minus + 1).kind == Tok::kNumber &&
        Ahead(minus + 1).text == "1" && Ahead(minus + 1).exponent.empty() &&
        (!braced || Ahead(4).kind == Tok::kRBrace) && Ahead(after).kind == Tok::kLParen) {
      for (size_t i = 0; i < after; ++i) Advance();
      name += "^{-1}";
    }
  }
  if (may_be_constant && name == "e") return Leaf(Op::kE);
  if (may_be_constant && name == "i") return Leaf(Op::kI);
  if (At(Tok::kLParen)) {
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

Expr Parser::ParseArgument() {
  DepthGuard guard(this);
  if (At(Tok::kLBrace)) {
    Advance();
    std::vector<Expr> items = ParseBraceGroupItems();
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

Expr Parser::ParseScript() {
  if (At(Tok::kLBrace)) return ParseArgument();
  if (At(Tok::kMinus)) {
    Advance();
    return Unary(Op::kNeg, ParseArgument());
  }
  return ParseArgument();
}

Expr Parser::ParseCommand() {
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

Expr Parser::ParseFunction(const std::string& written) {
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

Expr Parser::ParseEnvironment() {
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

}  // namespace rmg::math::parser_internal
