#include "math/latex_lexer.h"

#include <algorithm>
#include <array>

#include "text/unicode.h"

namespace rmg::math {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

constexpr auto kFunctionNames = std::to_array<std::string_view>({
    "sin",  "cos",    "tan",    "cot",    "sec",    "csc",    "arcsin", "arccos", "arctan",
    "arccot", "arcsec", "arccsc", "asin", "acos",   "atan",   "sinh",   "cosh",   "tanh",
    "coth", "sech",   "csch",   "arsinh", "arcosh", "artanh", "arcsinh", "arccosh", "arctanh",
    "exp",  "ln",     "log",    "lg",     "sqrt",   "gcd",    "lcm",    "max",    "min",
    "abs",  "floor",  "ceil",   "det",    "conjugate", "re",  "im",     "sgn"});

// Commands the parser gives a meaning to, besides functions and Greek letters.
// odot, star, bullet only occur in subscripts (M_{\odot}); over and choose only in
// braces ({a \over b}).
constexpr auto kParserCommands = std::to_array<std::string_view>(
    {"frac",    "dfrac",    "tfrac",      "cfrac", "sqrt",   "binom", "dbinom", "tbinom", "pi",
     "infty",   "emptyset", "varnothing", "sum",   "prod",   "int",   "lim",    "hbar",   "ell",
     "partial", "nabla",    "odot",       "star",  "bullet", "over",  "choose"});

constexpr auto kGreek = std::to_array<std::string_view>({
    "alpha", "beta",  "gamma",   "delta",  "epsilon", "varepsilon", "zeta",   "eta",
    "theta", "vartheta", "iota", "kappa",  "lambda",  "mu",         "nu",     "xi",
    "omicron", "rho", "varrho",  "sigma",  "varsigma", "tau",       "upsilon", "phi",
    "varphi", "chi",  "psi",     "omega",  "Gamma",   "Delta",      "Theta",  "Lambda",
    "Xi",    "Pi",    "Sigma",   "Upsilon", "Phi",    "Psi",        "Omega",  "mho"});

// Commands that only change spacing or size.
constexpr auto kIgnored = std::to_array<std::string_view>({
    ",",     ";",    ":",     "!",     " ",    "displaystyle", "textstyle", "scriptstyle",
    "limits", "nolimits", "big", "Big", "bigg", "Bigg",  "bigl",  "bigr",  "Bigl", "Bigr",
    "biggl", "biggr", "Biggl", "Biggr", "boxed", "fbox", "framebox", "$"});

constexpr auto kTextCommands = std::to_array<std::string_view>({
    "text", "textrm", "textnormal", "mbox", "hbox", "textbf", "textit", "texttt", "textsf",
    "emph", "textup", "textsl"});

constexpr auto kMathFontCommands = std::to_array<std::string_view>({
    "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "boldsymbol", "bm", "mathbb",
    "mathcal", "mathfrak", "mathscr", "operatorname"});

// The most digits a repeating decimal may have after its point (repetend included).
constexpr size_t kMaxRepeatingDigits = 200;

constexpr auto kAccents = std::to_array<std::string_view>({
    "dot", "ddot", "hat", "bar", "vec", "overline", "tilde", "widehat", "widetilde",
    "overrightarrow", "underline", "acute"});

// Plain-text unit words: dropped after a number like \text{ cm}.
constexpr auto kUnitWords = std::to_array<std::string_view>({
    "cm", "mm", "km", "kg", "mg", "ml", "hours", "hour", "hrs", "hr", "minutes", "minute",
    "mins", "seconds", "second", "secs", "days", "day", "weeks", "week", "years", "year",
    "months", "month", "dollars", "dollar", "cents", "cent", "meters", "meter", "metres",
    "metre", "feet", "foot", "ft", "inches", "inch", "miles", "mile", "mph", "units", "unit",
    "sq", "square", "cubic", "pounds", "lbs", "lb", "liters", "litres", "liter", "litre",
    "gallons", "gallon", "ounces", "oz", "grams", "gram", "kilograms", "people", "students",
    "kmh"});

// Short English words that are prose when they stand alone (never products x*y).
constexpr auto kProseWords = std::to_array<std::string_view>({
    "the", "is", "so", "we", "of", "are", "was", "for", "its", "not", "but", "you", "then", "no"});

struct Utf8Symbol {
  std::string_view bytes;
  Tok kind;
  std::string_view text;
};

constexpr std::array<Utf8Symbol, 17> kUtf8Symbols = {{
    {"\xC2\xB0", Tok::kDegrees, ""},        {"\xCF\x80", Tok::kCommand, "pi"},
    {"\xE2\x88\x9E", Tok::kCommand, "infty"}, {"\xE2\x88\x9A", Tok::kCommand, "sqrt"},
    {"\xC3\x97", Tok::kTimes, ""},          {"\xC2\xB7", Tok::kTimes, ""},
    {"\xE2\x88\x92", Tok::kMinus, ""},      {"\xE2\x89\xA4", Tok::kRelation, "<="},
    {"\xE2\x89\xA5", Tok::kRelation, ">="}, {"\xE2\x89\xA0", Tok::kRelation, "!="},
    {"\xC2\xB1", Tok::kPlusMinus, ""},      {"\xE2\x88\xAA", Tok::kCup, ""},
    {"\xE2\x88\xA9", Tok::kCap, ""},        {"\xE2\x88\x88", Tok::kIn, ""},
    {"\xE2\x89\x88", Tok::kRelation, "~="}, {"\xC3\xB7", Tok::kDivide, ""},
    {"\xE2\x8B\x85", Tok::kTimes, ""},
}};

class Lexer {
 public:
  Lexer(std::string_view text, size_t depth, size_t max_depth, const Deadline& deadline,
        std::vector<Token>* tokens, ParseError* error)
      : s_(text), depth_(depth), max_depth_(max_depth), deadline_(deadline), tokens_(tokens),
        error_(error) {}

  bool Run() {
    if (depth_ > max_depth_) {
      *error_ = {"nested too deeply", true};
      return false;
    }
    while (pos_ < s_.size()) {
      if ((++steps_ & 255) == 0) deadline_.Check();
      if (!Step()) return false;
    }
    return true;
  }

 private:
  bool Fail(std::string reason) {
    *error_ = {std::move(reason), false};
    return false;
  }

  char At(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  void Emit(Tok kind, std::string text = {}) {
    Token token;
    token.kind = kind;
    token.text = std::move(text);
    token.space_before = space_;
    space_ = false;
    tokens_->push_back(std::move(token));
  }

  // The last character before `pos` that is not a space (or '\0').
  char PreviousSignificant(size_t pos) const {
    while (pos > 0) {
      --pos;
      if (!IsSpace(s_[pos]) && s_[pos] != '$') return s_[pos];
    }
    return '\0';
  }

  bool Step() {
    const char c = s_[pos_];
    if (IsSpace(c) || c == '$' || c == '~') {
      space_ = true;
      ++pos_;
      return true;
    }
    if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)))) return LexNumber();
    if (IsLetter(c)) return LexLetters();
    if (c == '\\') return LexCommand();
    if (static_cast<unsigned char>(c) >= 0x80) return LexUtf8();
    ++pos_;
    switch (c) {
      case '+': Emit(Tok::kPlus); return true;
      case '-': Emit(Tok::kMinus); return true;
      case '*': Emit(Tok::kTimes); return true;
      case '/': case ':': Emit(Tok::kDivide); return true;
      case '^': Emit(Tok::kCaret); return true;
      case '_': Emit(Tok::kUnderscore); return true;
      case '%': Emit(Tok::kPercent); return true;
      case '\'': Emit(Tok::kPrime); return true;
      case ',': Emit(Tok::kComma); return true;
      case '.': Emit(Tok::kDot); return true;
      case '(': Emit(Tok::kLParen); return true;
      case ')': Emit(Tok::kRParen); return true;
      case '[': Emit(Tok::kLBracket); return true;
      case ']': Emit(Tok::kRBracket); return true;
      case '{': Emit(Tok::kLBrace); return true;
      case '}': Emit(Tok::kRBrace); return true;
      case '|': Emit(Tok::kBar); return true;
      case ';': Emit(Tok::kSeparator); return true;
      case '&': Emit(Tok::kAmpersand); return true;
      case '!':
        if (At(pos_) == '=') {
          ++pos_;
          Emit(Tok::kRelation, "!=");
        } else {
          Emit(Tok::kBang);
        }
        return true;
      case '=':
        if (At(pos_) == '=') ++pos_;
        Emit(Tok::kRelation, "=");
        return true;
      case '<':
      case '>': {
        std::string rel(1, c);
        if (At(pos_) == '=') {
          ++pos_;
          rel += '=';
        }
        Emit(Tok::kRelation, rel);
        return true;
      }
      default:
        return Fail(std::string("unexpected character '") + c + "'");
    }
  }

  size_t DigitsAt(size_t i) const {
    size_t n = 0;
    while (IsDigit(At(i + n))) ++n;
    return n;
  }

  // Length of an explicit LaTeX thousands separator at i ("{,}", ",\!", "\,", "\ "),
  // spaces around it included ("14 {, }916" is how some models write 14,916), or 0.
  size_t ExplicitSeparatorAt(size_t i) const {
    size_t len = 0;
    while (At(i + len) == ' ') ++len;
    const std::string_view rest = s_.substr(std::min(i + len, s_.size()));
    size_t sep = 0;
    if (rest.substr(0, 1) == "{") {
      size_t k = 1;
      while (k < rest.size() && rest[k] == ' ') ++k;
      if (k < rest.size() && rest[k] == ',') {
        ++k;
        while (k < rest.size() && rest[k] == ' ') ++k;
        if (k < rest.size() && rest[k] == '}') sep = k + 1;
      }
    }
    for (std::string_view candidate : {",\\!", "\\,", "\\ ", "\\!"}) {
      if (sep == 0 && rest.substr(0, candidate.size()) == candidate) sep = candidate.size();
    }
    if (sep == 0) return 0;
    len += sep;
    while (At(i + len) == ' ') ++len;
    return len;
  }

  // Numbers: thousands separators are joined by one rule. Explicit LaTeX separators
  // ({,} ,\! \, between digit groups) always join a following group of exactly three
  // digits. A plain comma run like 7,425,000 is one number only if its first group has
  // 1-3 digits, every later group exactly 3, and it does not open a bracket ("(2,251)"
  // is a tuple); any other comma run ("1,2", "27,54,108", "2500,7500") is a list.
  // A repeating decimal: `decimal` ("0.1", "0.") followed at `at` by its repetend,
  // \overline{6}, \dot{6} or, right after the point (`parenthesised`), (6). Emits the
  // exact fraction (IFR - IF) / (9..9 0..0), one 9 per repeating digit and one 0 per
  // other decimal: 0.1\overline{6} = (16 - 1) / 90 = 15 / 90. False, emitting nothing,
  // if no repetend follows.
  bool LexRepetend(const std::string& decimal, size_t at, bool parenthesised) {
    std::string_view repetend;
    size_t end = at;
    if (s_.substr(at).starts_with("\\overline") || s_.substr(at).starts_with("\\dot")) {
      const bool dot = s_[at + 1] == 'd';
      size_t open = at + (dot ? 4 : 9);
      while (IsSpace(At(open))) ++open;
      const size_t n = DigitsAt(open + 1);
      if (At(open) != '{' || n == 0 || At(open + 1 + n) != '}' || (dot && n != 1)) return false;
      repetend = s_.substr(open + 1, n);
      end = open + n + 2;
    } else if (parenthesised && At(at) == '(') {
      const size_t n = DigitsAt(at + 1);
      if (n == 0 || At(at + 1 + n) != ')') return false;
      repetend = s_.substr(at + 1, n);
      end = at + n + 2;
    } else {
      return false;
    }
    const size_t point = decimal.find('.');
    const std::string decimals = decimal.substr(point + 1);
    if (decimals.size() + repetend.size() > kMaxRepeatingDigits) return false;
    const std::string head = decimal.substr(0, point) + decimals;
    pos_ = end;
    Emit(Tok::kLParen);
    Emit(Tok::kNumber, DecimalDifference(head + std::string(repetend), head));
    Emit(Tok::kDivide);
    Emit(Tok::kNumber, std::string(repetend.size(), '9') + std::string(decimals.size(), '0'));
    Emit(Tok::kRParen);
    return true;
  }

  // a - b for decimal digit strings with a >= b, without leading zeros.
  static std::string DecimalDifference(const std::string& a, const std::string& b) {
    std::string out(a);
    int borrow = 0;
    for (size_t i = 0; i < out.size(); ++i) {
      const size_t at = out.size() - 1 - i;
      int digit = (out[at] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
      borrow = digit < 0 ? 1 : 0;
      out[at] = static_cast<char>('0' + digit + 10 * borrow);
    }
    const size_t first = out.find_first_not_of('0');
    return first == std::string::npos ? "0" : out.substr(first);
  }

  bool LexNumber() {
    const size_t start = pos_;
    std::string digits(s_.substr(pos_, DigitsAt(pos_)));
    pos_ += digits.size();
    if (!digits.empty()) {
      bool joined = false;
      for (;;) {
        const size_t sep = ExplicitSeparatorAt(pos_);
        if (sep == 0 || DigitsAt(pos_ + sep) != 3) break;
        digits.append(s_.substr(pos_ + sep, 3));
        pos_ += sep + 3;
        joined = true;
      }
      if (!joined && digits.size() <= 3 && At(pos_) == ',' && DigitsAt(pos_ + 1) > 0) {
        bool thousands = true;
        size_t scan = pos_;
        std::string candidate = digits;
        while (At(scan) == ',' && DigitsAt(scan + 1) > 0) {
          const size_t group = DigitsAt(scan + 1);
          if (group != 3) thousands = false;
          candidate.append(s_.substr(scan + 1, group));
          scan += 1 + group;
        }
        char before = PreviousSignificant(start);
        if (before == '-' || before == '+') {  // "(-2,251,252)" opens a bracket too
          const size_t sign = s_.rfind(before, start - 1);
          before = PreviousSignificant(sign);
        }
        if (before == '(' || before == '[' || before == '{') thousands = false;
        if (start > 0 && s_[start - 1] == ',') thousands = false;  // "27,54,108": a list
        if (thousands) {
          digits = std::move(candidate);
          pos_ = scan;
        }
      }
    }
    if (At(pos_) == '.' && IsDigit(At(pos_ + 1))) {
      const size_t n = DigitsAt(pos_ + 1);
      digits.append(s_.substr(pos_, n + 1));
      pos_ += n + 1;
      if (LexRepetend(digits, pos_, /*parenthesised=*/false)) return true;
    } else if (!digits.empty() && At(pos_) == '.' && LexRepetend(digits + ".", pos_ + 1, /*parenthesised=*/true)) {
      return true;
    } else if (!digits.empty() && At(pos_) == '.' &&
               (At(pos_ + 1) == '/' || At(pos_ + 1) == '*' || At(pos_ + 1) == ')')) {
      digits += '.';  // "1./3" is Python for 1.0/3
      ++pos_;
    }
    // Scientific notation 4.5e33, 1e-8: only when no letter follows, so 3e^{x} and
    // 2e-2t stay products with e.
    std::string exponent;
    if ((At(pos_) == 'e' || At(pos_) == 'E') && digits != ".") {
      size_t i = pos_ + 1;
      std::string sign;
      if (At(i) == '-' || At(i) == '+') sign = At(i++) == '-' ? "-" : "";
      const size_t n = DigitsAt(i);
      if (n > 0 && !IsLetter(At(i + n)) && At(i + n) != '.') {
        exponent = sign + std::string(s_.substr(i, n));
        pos_ = i + n;
      }
    }
    Emit(Tok::kNumber, std::move(digits));
    tokens_->back().exponent = std::move(exponent);
    return true;
  }

  // A run of plain letters: LaTeX writes products letter by letter ("xy"), plain text
  // writes words. Known names become commands ("sqrt", "pi"), "and"/"or" separate
  // answers, unit words and long free-standing words become kWords (the parser drops
  // them after a number), anything else is split into single letters.
  bool LexLetters() {
    const size_t start = pos_;
    while (IsLetter(At(pos_))) ++pos_;
    std::string_view run = s_.substr(start, pos_ - start);
    if ((run == "np" || run == "math" || run == "sp" || run == "sympy") && At(pos_) == '.' &&
        IsLetter(At(pos_ + 1))) {
      ++pos_;  // np.arcsin(x): the module prefix of Python answers
      return true;
    }
    const std::string lower = text::LowerAscii(run);
    const bool free_standing = (start == 0 || space_) && (pos_ == s_.size() || !IsLetter(At(pos_)));
    if (run.size() == 1) {
      Emit(Tok::kLetter, std::string(run));
    } else if (lower == "and" || lower == "or") {
      Emit(Tok::kSeparator);
    } else if (lower == "percent" || lower == "pct") {
      Emit(Tok::kPercent);
    } else if (lower == "degrees" || lower == "degree" || lower == "deg") {
      Emit(Tok::kDegrees);
    } else if (IsFunctionName(run) || Contains(kParserCommands, run)) {
      Emit(Tok::kCommand, std::string(run));
    } else if (lower == "infinity" || lower == "inf") {
      Emit(Tok::kCommand, "infty");
    } else if (free_standing && Contains(kProseWords, lower)) {
      Emit(Tok::kWords, std::string(run));  // "The answer is": prose, not t*h*e
    } else if (Contains(kUnitWords, lower) ||
               (run.size() >= 4 && (start == 0 || space_))) {
      Emit(Tok::kWords, std::string(run));  // case kept: "SRAC" may be a product
    } else {
      for (char c : run) Emit(Tok::kLetter, std::string(1, c));
    }
    return true;
  }

  // The content of a {...} group starting at pos_ (which must be '{'), braces balanced;
  // moves past it.
  bool ReadBraced(std::string_view* content) {
    while (IsSpace(At(pos_))) ++pos_;
    if (At(pos_) != '{') return Fail("expected '{'");
    int level = 0;
    const size_t start = pos_ + 1;
    for (size_t i = pos_; i < s_.size(); ++i) {
      if (s_[i] == '\\') {
        ++i;
        continue;
      }
      if (s_[i] == '{') ++level;
      if (s_[i] == '}' && --level == 0) {
        *content = s_.substr(start, i - start);
        pos_ = i + 1;
        return true;
      }
    }
    return Fail("unbalanced braces");
  }

  bool LexInline(std::string_view content) {
    const bool space = space_;
    Lexer inner(content, depth_ + 1, max_depth_, deadline_, tokens_, error_);
    inner.space_ = space;
    if (!inner.Run()) return false;
    space_ = inner.space_;
    return true;
  }

  static bool IsWords(std::string_view text) {
    size_t letters = 0;
    for (char c : text) {
      if (IsLetter(c)) {
        ++letters;
      } else if (!IsSpace(c) && c != '.' && c != '-' && c != '\'' && c != ',' && c != '/') {
        return false;
      }
    }
    return letters >= 2;
  }

  bool LexText() {
    std::string_view content;
    if (!ReadBraced(&content)) return false;
    const std::string lower = text::LowerAscii(Trim(content));
    if (lower == "and" || lower == "or" || lower == "," || lower == ", and" || lower == "and also") {
      Emit(Tok::kSeparator);
    } else if (IsWords(content) || IsUnitAfterNumber(content)) {
      Emit(Tok::kWords, lower);
    } else if (!lower.empty()) {
      return LexInline(content);
    }
    return true;
  }

  bool LexMathFont(std::string_view command) {
    std::string_view content;
    if (!ReadBraced(&content)) return false;
    const std::string_view trimmed = Trim(content);
    // The real numbers are the interval (-oo, oo), as sympy's Reals equals it.
    if (command == "mathbb" && trimmed == "R") {
      Emit(Tok::kLParen);
      Emit(Tok::kMinus);
      Emit(Tok::kCommand, "infty");
      Emit(Tok::kComma);
      Emit(Tok::kCommand, "infty");
      Emit(Tok::kRParen);
      return true;
    }
    const bool letters_only =
        !trimmed.empty() && std::all_of(trimmed.begin(), trimmed.end(), IsLetter);
    if (letters_only && (trimmed.size() >= 2 || command == "operatorname")) {
      if (IsFunctionName(trimmed) || command == "operatorname") {
        Emit(Tok::kCommand, std::string(trimmed));
      } else if (command == "mathrm") {
        Emit(Tok::kWords, text::LowerAscii(trimmed));  // \mathrm{cm}: a unit
      } else {
        for (char c : trimmed) Emit(Tok::kLetter, std::string(1, c));
      }
      return true;
    }
    if (command == "mathrm" && (IsWords(trimmed) || IsUnitAfterNumber(trimmed))) {
      Emit(Tok::kWords, text::LowerAscii(trimmed));  // \mathrm{m/s}: a unit
      return true;
    }
    return LexInline(content);
  }

  // A text group of one letter ("m", "s", "g") right after a number: a unit, as the
  // longer ones are, not a variable ("10\,\text{m}^2" is 10 square metres).
  bool IsUnitAfterNumber(std::string_view content) const {
    const std::string_view trimmed = Trim(content);
    return trimmed.size() == 1 && IsLetter(trimmed[0]) && !tokens_->empty() && tokens_->back().kind == Tok::kNumber;
  }

  // \dot{x}, \overline{AB}: one symbol named after the accent and its raw argument.
  bool LexAccent(std::string_view accent) {
    while (IsSpace(At(pos_))) ++pos_;
    std::string_view argument;
    if (At(pos_) == '{') {
      if (!ReadBraced(&argument)) return false;
    } else if (IsLetter(At(pos_))) {
      argument = s_.substr(pos_++, 1);
    } else if (At(pos_) == '\\' && IsLetter(At(pos_ + 1))) {
      const size_t start = ++pos_;
      while (IsLetter(At(pos_))) ++pos_;
      argument = s_.substr(start, pos_ - start);
    } else {
      return Fail("accent without argument");
    }
    std::string name(accent);
    name += '{';
    for (char c : argument) {
      if (!IsSpace(c) && c != '\\') name += c;
    }
    name += '}';
    Emit(Tok::kName, std::move(name));
    return true;
  }

  bool LexCommand() {
    ++pos_;  // the backslash
    if (pos_ >= s_.size()) return Fail("lone backslash");
    std::string name;
    if (IsLetter(s_[pos_])) {
      const size_t start = pos_;
      while (IsLetter(At(pos_))) ++pos_;
      name = s_.substr(start, pos_ - start);
    } else {
      name = s_.substr(pos_++, 1);
    }
    // "\\le" in answers copied from non-raw strings or JSON is meant as "\le": a line
    // break directly followed by a relation name is not LaTeX anyone writes.
    if (name == "\\" && IsLetter(At(pos_))) {
      size_t end = pos_;
      while (IsLetter(At(end))) ++end;
      const std::string word(s_.substr(pos_, end - pos_));
      for (std::string_view relation : {"le", "leq", "ge", "geq", "lt", "gt", "ne", "neq", "in", "cup", "cap", "pm"}) {
        if (word == relation) {
          --pos_;  // back onto the second backslash, which starts the command
          return LexCommand();
        }
      }
    }
    // "\quadx_2": the space after \quad was lost; split it off.
    for (std::string_view spacing : {"qquad", "quad"}) {
      if (name.size() > spacing.size() && name.compare(0, spacing.size(), spacing) == 0) {
        pos_ -= name.size() - spacing.size();
        name = spacing;
      }
    }
    // Math delimiters inside an answer ("\( x \) and \( y \)") only separate like '$'.
    if (Contains(kIgnored, name) || name == "(" || name == ")" || name == "[" || name == "]") {
      space_ = true;
      return true;
    }
    if (name == "left" || name == "right") {
      while (IsSpace(At(pos_))) ++pos_;
      if (At(pos_) == '.') ++pos_;  // \left. and \right. are invisible
      return true;
    }
    if (name == "quad" || name == "qquad") {
      Emit(Tok::kSeparator);
      return true;
    }
    if (name == "hspace" || name == "vspace" || name == "phantom" || name == "label" ||
        name == "tag") {
      std::string_view skipped;
      return ReadBraced(&skipped);
    }
    if (name == "rm" || name == "bf" || name == "it" || name == "nonumber" || name == "angle") {
      space_ = true;
      return true;
    }
    if (name == "{") { Emit(Tok::kLSet); return true; }
    if (name == "}") { Emit(Tok::kRSet); return true; }
    if (name == "%") { Emit(Tok::kPercent); return true; }
    if (name == "\\") { Emit(Tok::kRowBreak); return true; }
    if (name == "times" || name == "cdot" || name == "ast") { Emit(Tok::kTimes); return true; }
    if (name == "div") { Emit(Tok::kDivide); return true; }
    if (name == "pm" || name == "mp") { Emit(Tok::kPlusMinus); return true; }
    if (name == "cup") { Emit(Tok::kCup); return true; }
    if (name == "cap") { Emit(Tok::kCap); return true; }
    if (name == "in") { Emit(Tok::kIn); return true; }
    if (name == "to" || name == "rightarrow") { Emit(Tok::kTo); return true; }
    if (name == "circ" || name == "degree") { Emit(Tok::kDegrees); return true; }
    if (name == "prime") { Emit(Tok::kPrime); return true; }
    if (name == "lfloor") { Emit(Tok::kLFloor); return true; }
    if (name == "rfloor") { Emit(Tok::kRFloor); return true; }
    if (name == "lceil") { Emit(Tok::kLCeil); return true; }
    if (name == "rceil") { Emit(Tok::kRCeil); return true; }
    if (name == "vert" || name == "lvert" || name == "rvert" || name == "mid") {
      Emit(Tok::kBar);
      return true;
    }
    if (name == "ne" || name == "neq") { Emit(Tok::kRelation, "!="); return true; }
    if (name == "le" || name == "leq" || name == "leqslant" || name == "leqq") {
      Emit(Tok::kRelation, "<=");
      return true;
    }
    if (name == "ge" || name == "geq" || name == "geqslant" || name == "geqq") {
      Emit(Tok::kRelation, ">=");
      return true;
    }
    if (name == "lt") { Emit(Tok::kRelation, "<"); return true; }
    if (name == "gt") { Emit(Tok::kRelation, ">"); return true; }
    if (name == "approx" || name == "simeq" || name == "approxeq") {
      Emit(Tok::kRelation, "~=");
      return true;
    }
    if (Contains(kTextCommands, name)) return LexText();
    if (Contains(kMathFontCommands, name)) return LexMathFont(name);
    if (Contains(kAccents, name)) return LexAccent(name);
    if (name == "begin" || name == "end") {
      std::string_view environment;
      if (!ReadBraced(&environment)) return false;
      Emit(name == "begin" ? Tok::kBegin : Tok::kEndEnv, std::string(Trim(environment)));
      if (name == "begin" && Trim(environment) == "array") {
        std::string_view columns;
        return ReadBraced(&columns);
      }
      return true;
    }
    if (IsFunctionName(name) || Contains(kParserCommands, name) || Contains(kGreek, name)) {
      Emit(Tok::kCommand, std::move(name));
      return true;
    }
    return Fail("unknown command \\" + name);
  }

  bool LexUtf8() {
    const std::string_view rest = s_.substr(pos_);
    if (rest.substr(0, 2) == "\xC2\xA0" || rest.substr(0, 3) == "\xE2\x82\xAC" ||
        rest.substr(0, 2) == "\xC2\xA3") {  // no-break space, currency signs
      pos_ += rest[0] == '\xE2' ? 3 : 2;
      space_ = true;
      return true;
    }
    if (rest.substr(0, 2) == "\xC2\xB2" || rest.substr(0, 2) == "\xC2\xB3") {  // x², x³
      Emit(Tok::kCaret);
      Emit(Tok::kNumber, rest[1] == '\xB2' ? "2" : "3");
      pos_ += 2;
      return true;
    }
    for (const Utf8Symbol& symbol : kUtf8Symbols) {
      if (rest.substr(0, symbol.bytes.size()) == symbol.bytes) {
        pos_ += symbol.bytes.size();
        Emit(symbol.kind, std::string(symbol.text));
        return true;
      }
    }
    return Fail("unexpected non-ASCII character");
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t depth_;
  size_t max_depth_;
  const Deadline& deadline_;
  std::vector<Token>* tokens_;
  ParseError* error_;
  bool space_ = false;
  size_t steps_ = 0;
};

}  // namespace

bool IsFunctionName(std::string_view name) { return Contains(kFunctionNames, name); }

bool LexMath(std::string_view text, size_t max_depth, const Deadline& deadline,
             std::vector<Token>* tokens, ParseError* error) {
  tokens->clear();
  Lexer lexer(text, 0, max_depth, deadline, tokens, error);
  if (!lexer.Run()) return false;
  Token end;
  end.kind = Tok::kEnd;
  end.space_before = true;
  tokens->push_back(end);
  return true;
}

}  // namespace rmg::math
