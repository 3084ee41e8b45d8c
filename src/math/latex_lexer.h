// The tokenizer under the math parser: turns LaTeX or plain-text math into a flat
// token list. It already removes what carries no meaning (spacing and sizing
// commands, \left/\right, currency \$), joins thousands separators into numbers and
// classifies \text{...} contents, so that the parser only sees math.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "math/parser.h"
#include "rmg/deadline.h"

namespace rmg::math {

enum class Tok : uint8_t {
  kEnd,
  kNumber,      // text: digits with at most one '.'; exponent: scientific "e" part or ""
  kLetter,      // text: one ASCII letter
  kName,        // text: a ready symbol name built by the lexer ("dot{x}", "overline{AB}")
  kCommand,     // text: a command or plain-text function name without '\' ("frac", "sin")
  kWords,       // text: words as written (a unit or prose: "cm", "the answer")
  kSeparator,   // between answers: ';', "and", "or", \quad, \text{ and }
  kPlus, kMinus, kPlusMinus,  // + - \pm \mp
  kTimes,       // * \times \cdot
  kDivide,      // / \div
  kCaret, kUnderscore,
  kBang,        // ! (factorial)
  kPercent,     // % \% "percent"
  kDegrees,     // ° \degree \circ "degrees"
  kPrime,       // ' \prime
  kComma, kDot,
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace,
  kLSet, kRSet,  // \{ \}
  kBar,          // | \vert \lvert \rvert \mid
  kLFloor, kRFloor, kLCeil, kRCeil,
  kRelation,     // text: "=", "!=", "<", "<=", ">", ">=", "~="
  kCup, kCap, kIn, kTo,
  kAmpersand, kRowBreak,  // & \\ inside environments
  kBegin, kEndEnv,        // text: the environment name
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  std::string exponent;  // kNumber only: "-8" for 1e-8
  bool space_before = false;
};

// Splits `text` into tokens ending with one kEnd token. Returns false and sets *error
// on text that cannot be math (an unknown command, unbalanced \text braces) or nests
// deeper than `max_depth` (over_limit). Calls deadline.Check() as it goes.
bool LexMath(std::string_view text, size_t max_depth, const Deadline& deadline,
             std::vector<Token>* tokens, ParseError* error);

// True for the function names the parser knows (sin, arcsin, log, sqrt, gcd, ...),
// as written after '\' or in plain text.
bool IsFunctionName(std::string_view name);

}  // namespace rmg::math
