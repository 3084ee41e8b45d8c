// LexMath and IsFunctionName: the token stream the parser is built on. The parser
// tests see the lexer only through finished trees; these pin the tokens themselves,
// the errors, the nesting limit and the deadline.
#include "math/latex_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rmg::math {
namespace {

// A compact rendering of a token list for exact comparison: "kind:text" joined with
// spaces, "@" before a token with space_before, and "e<exp>" for a number's exponent.
// The closing kEnd token is checked and left out.
std::string LexerRender(std::string_view text, size_t max_depth = 100) {
  std::vector<Token> tokens;
  ParseError error;
  if (!LexMath(text, max_depth, Deadline::Never(), &tokens, &error)) {
    return "ERROR: " + error.reason + (error.over_limit ? " (over limit)" : "");
  }
  if (tokens.empty() || tokens.back().kind != Tok::kEnd) return "MISSING END";
  std::string out;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const Token& t = tokens[i];
    static const char* const kNames[] = {
        "end", "num",    "let",    "name",  "cmd",   "words", "sep", "+",   "-",  "+-", "*", "/",    "^",     "_",
        "!",   "%",      "deg",    "'",     ",",     ".",     "(",   ")",   "[",  "]",  "{", "}",    "{{",    "}}",
        "|",   "lfloor", "rfloor", "lceil", "rceil", "rel",   "cup", "cap", "in", "to", "&", "\\\\", "begin", "endenv"};
    if (!out.empty()) out += ' ';
    if (t.space_before) out += '@';
    out += kNames[static_cast<int>(t.kind)];
    if (!t.text.empty()) out += ":" + t.text;
    if (!t.exponent.empty()) out += "e" + t.exponent;
  }
  return out;
}

TEST(LatexLexerTest, EmptyInputIsJustTheEndToken) {
  std::vector<Token> tokens;
  ParseError error;
  ASSERT_TRUE(LexMath("", 10, Deadline::Never(), &tokens, &error));
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].kind, Tok::kEnd);
  // The parser treats the end like a space: nothing is glued to it.
  EXPECT_TRUE(tokens[0].space_before);
  EXPECT_EQ(LexerRender("   $ ~ "), "");
}

TEST(LatexLexerTest, PreviousTokensAreCleared) {
  std::vector<Token> tokens(3);
  ParseError error;
  ASSERT_TRUE(LexMath("x", 10, Deadline::Never(), &tokens, &error));
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].kind, Tok::kLetter);
  EXPECT_EQ(tokens[0].text, "x");
}

TEST(LatexLexerTest, Numbers) {
  EXPECT_EQ(LexerRender("025"), "num:025");
  EXPECT_EQ(LexerRender(".5"), "num:.5");
  EXPECT_EQ(LexerRender("3.14"), "num:3.14");
  EXPECT_EQ(LexerRender("0.5.3"), "num:0.5 num:.3");
  EXPECT_EQ(LexerRender("3.x"), "num:3 . let:x");
  EXPECT_EQ(LexerRender("3."), "num:3 .");
  // "1./3" is Python for 1.0/3: the point belongs to the number.
  EXPECT_EQ(LexerRender("1./3"), "num:1. / num:3");
  EXPECT_EQ(LexerRender("(2.)"), "( num:2. )");
}

TEST(LatexLexerTest, ScientificNotationOnlyWithoutTrailingLetter) {
  EXPECT_EQ(LexerRender("4.5e33"), "num:4.5e33");
  EXPECT_EQ(LexerRender("1e-8"), "num:1e-8");
  EXPECT_EQ(LexerRender("1E+5"), "num:1e5");
  EXPECT_EQ(LexerRender("3e^{x}"), "num:3 let:e ^ { let:x }");
  EXPECT_EQ(LexerRender("2e-2t"), "num:2 let:e - num:2 let:t");
  EXPECT_EQ(LexerRender("1e5.5"), "num:1 let:e num:5.5");
  EXPECT_EQ(LexerRender("2e"), "num:2 let:e");
}

TEST(LatexLexerTest, PlainCommaThousands) {
  EXPECT_EQ(LexerRender("7,425,000"), "num:7425000");
  EXPECT_EQ(LexerRender("1,234.5"), "num:1234.5");
  EXPECT_EQ(LexerRender("x=1,000"), "let:x rel:= num:1000");
  // Any group that is not three digits makes the whole run a list.
  EXPECT_EQ(LexerRender("1,2"), "num:1 , num:2");
  EXPECT_EQ(LexerRender("1,000,00"), "num:1 , num:000 , num:00");
  EXPECT_EQ(LexerRender("27,54,108"), "num:27 , num:54 , num:108");
  // A first group of four digits is not a thousands number.
  EXPECT_EQ(LexerRender("2500,750"), "num:2500 , num:750");
  // After an opening bracket it is a tuple, also across spaces and '$'.
  EXPECT_EQ(LexerRender("(2,251)"), "( num:2 , num:251 )");
  EXPECT_EQ(LexerRender("(-2,251)"), "( - num:2 , num:251 )");
  EXPECT_EQ(LexerRender("-2,251"), "- num:2251");
  EXPECT_EQ(LexerRender("[ 2,251]"), "[ @num:2 , num:251 ]");
  EXPECT_EQ(LexerRender("{2,251}"), "{ num:2 , num:251 }");
}

TEST(LatexLexerTest, ExplicitSeparatorsAlwaysJoinThreeDigitGroups) {
  EXPECT_EQ(LexerRender("14{,}916"), "num:14916");
  EXPECT_EQ(LexerRender("14 {, }916"), "num:14916");
  EXPECT_EQ(LexerRender("1\\,000\\,000"), "num:1000000");
  EXPECT_EQ(LexerRender("11,\\! 111"), "num:11111");
  EXPECT_EQ(LexerRender("1\\!000"), "num:1000");
  EXPECT_EQ(LexerRender("1\\ 000"), "num:1000");
  // Even after a bracket, where a plain comma would make a tuple.
  EXPECT_EQ(LexerRender("(1{,}000)"), "( num:1000 )");
  // Not a group of three: the separator is only spacing (or a brace group).
  EXPECT_EQ(LexerRender("1\\,0000"), "num:1 @num:0000");
  EXPECT_EQ(LexerRender("1{,}23"), "num:1 { , } num:23");
}

TEST(LatexLexerTest, LetterRuns) {
  EXPECT_EQ(LexerRender("xy"), "let:x let:y");
  EXPECT_EQ(LexerRender("x y"), "let:x @let:y");
  EXPECT_EQ(LexerRender("sin"), "cmd:sin");
  EXPECT_EQ(LexerRender("frac"), "cmd:frac");
  EXPECT_EQ(LexerRender("pi"), "cmd:pi");
  EXPECT_EQ(LexerRender("1 and 2 OR 3"), "num:1 @sep @num:2 @sep @num:3");
  EXPECT_EQ(LexerRender("28 percent"), "num:28 @%");
  EXPECT_EQ(LexerRender("28 pct"), "num:28 @%");
  EXPECT_EQ(LexerRender("90 Degrees"), "num:90 @deg");
  EXPECT_EQ(LexerRender("90 deg"), "num:90 @deg");
  EXPECT_EQ(LexerRender("infinity"), "cmd:infty");
  EXPECT_EQ(LexerRender("-inf"), "- cmd:infty");
  EXPECT_EQ(LexerRender("np.arcsin(x)"), "cmd:arcsin ( let:x )");
  EXPECT_EQ(LexerRender("sympy.sqrt(2)"), "cmd:sqrt ( num:2 )");
}

TEST(LatexLexerTest, WordsProseAndUnits) {
  EXPECT_EQ(LexerRender("the"), "words:the");
  EXPECT_EQ(LexerRender("The answer is 5"), "words:The @words:answer @words:is @num:5");
  // Prose words are only prose when they stand alone: "2the" is 2*t*h*e.
  EXPECT_EQ(LexerRender("2the"), "num:2 let:t let:h let:e");
  EXPECT_EQ(LexerRender("10 cm"), "num:10 @words:cm");
  EXPECT_EQ(LexerRender("10cm"), "num:10 words:cm");
  // Long words keep their case: "SRAC" may be a product of symbols.
  EXPECT_EQ(LexerRender("SRAC = LRAC"), "words:SRAC @rel:= @words:LRAC");
  EXPECT_EQ(LexerRender("2abcd"), "num:2 let:a let:b let:c let:d");
}

TEST(LatexLexerTest, PunctuationAndRelations) {
  EXPECT_EQ(LexerRender("a+b-c*d/e:f"), "let:a + let:b - let:c * let:d / let:e / let:f");
  EXPECT_EQ(LexerRender("x_1^2"), "let:x _ num:1 ^ num:2");
  EXPECT_EQ(LexerRender("n!"), "let:n !");
  EXPECT_EQ(LexerRender("f'"), "let:f '");
  EXPECT_EQ(LexerRender("|x|;a&b"), "| let:x | sep let:a & let:b");
  EXPECT_EQ(LexerRender("a==b"), "let:a rel:= let:b");
  EXPECT_EQ(LexerRender("a!=b"), "let:a rel:!= let:b");
  EXPECT_EQ(LexerRender("a<b<=c>d>=e"), "let:a rel:< let:b rel:<= let:c rel:> let:d rel:>= let:e");
  EXPECT_EQ(LexerRender("50%"), "num:50 %");
}

TEST(LatexLexerTest, CommandsWithTokens) {
  EXPECT_EQ(LexerRender("\\frac{1}{2}"), "cmd:frac { num:1 } { num:2 }");
  EXPECT_EQ(LexerRender("\\alpha\\Omega\\mho"), "cmd:alpha cmd:Omega cmd:mho");
  EXPECT_EQ(LexerRender("\\times\\cdot\\ast\\div"), "* * * /");
  EXPECT_EQ(LexerRender("\\pm\\mp"), "+- +-");
  EXPECT_EQ(LexerRender("\\cup\\cap\\in\\to\\rightarrow"), "cup cap in to to");
  EXPECT_EQ(LexerRender("\\circ\\degree\\prime"), "deg deg '");
  EXPECT_EQ(LexerRender("\\lfloor\\rfloor\\lceil\\rceil"), "lfloor rfloor lceil rceil");
  EXPECT_EQ(LexerRender("\\vert\\lvert\\rvert\\mid"), "| | | |");
  EXPECT_EQ(LexerRender("\\{1\\}"), "{{ num:1 }}");
  EXPECT_EQ(LexerRender("5\\%"), "num:5 %");
  EXPECT_EQ(LexerRender("\\ne\\neq\\le\\leqslant\\ge\\geqq\\lt\\gt\\approx\\simeq"),
            "rel:!= rel:!= rel:<= rel:<= rel:>= rel:>= rel:< rel:> rel:~= rel:~=");
  EXPECT_EQ(LexerRender("a\\\\b"), "let:a \\\\ let:b");
  EXPECT_EQ(LexerRender("\\sqrt\\infty\\emptyset"), "cmd:sqrt cmd:infty cmd:emptyset");
}

TEST(LatexLexerTest, InvisibleCommandsOnlyMarkASpace) {
  EXPECT_EQ(LexerRender("\\left( x \\right)"), "( @let:x @)");
  EXPECT_EQ(LexerRender("\\left. x \\right|"), "@let:x @|");
  EXPECT_EQ(LexerRender("\\displaystyle\\Bigl(1\\Bigr)"), "@( num:1 @)");
  EXPECT_EQ(LexerRender("1\\,x"), "num:1 @let:x");
  EXPECT_EQ(LexerRender("\\$5"), "@num:5");
  EXPECT_EQ(LexerRender("\\(x\\)"), "@let:x");
  EXPECT_EQ(LexerRender("\\boxed{5}"), "@{ num:5 }");
  EXPECT_EQ(LexerRender("\\rm x\\angle"), "@let:x");
  EXPECT_EQ(LexerRender("x\\hspace{1cm}y\\phantom{z}\\label{eq}"), "let:x let:y");
}

TEST(LatexLexerTest, QuadSeparatesAndLosesGluedLetters) {
  EXPECT_EQ(LexerRender("1\\quad 2\\qquad 3"), "num:1 sep @num:2 sep @num:3");
  EXPECT_EQ(LexerRender("1\\quadx_2"), "num:1 sep let:x _ num:2");
}

TEST(LatexLexerTest, DoubledBackslashBeforeRelationIsTheRelation) {
  EXPECT_EQ(LexerRender("-2 \\\\le x"), "- num:2 @rel:<= @let:x");
  EXPECT_EQ(LexerRender("x \\\\in A \\\\cup B"), "let:x @in @let:A @cup @let:B");
  // Any other word after a line break stays a line break.
  EXPECT_EQ(LexerRender("1\\\\x"), "num:1 \\\\ let:x");
}

TEST(LatexLexerTest, TextCommands) {
  EXPECT_EQ(LexerRender("1\\text{ and }2"), "num:1 sep num:2");
  EXPECT_EQ(LexerRender("1\\text{, and }2"), "num:1 sep num:2");
  EXPECT_EQ(LexerRender("1\\text{and also}2"), "num:1 sep num:2");
  EXPECT_EQ(LexerRender("10\\text{ CM}"), "num:10 words:cm");
  EXPECT_EQ(LexerRender("\\mbox{the answer}"), "words:the answer");
  EXPECT_EQ(LexerRender("\\text{5}"), "num:5");
  EXPECT_EQ(LexerRender("\\textbf{x}"), "let:x");
  EXPECT_EQ(LexerRender("\\text{}"), "");
  EXPECT_EQ(LexerRender("\\text {e}"), "let:e");
}

TEST(LatexLexerTest, MathFontCommands) {
  EXPECT_EQ(LexerRender("\\mathrm{cm}"), "words:cm");
  EXPECT_EQ(LexerRender("\\mathrm{KM}"), "words:km");
  EXPECT_EQ(LexerRender("\\mathrm{e}"), "let:e");
  EXPECT_EQ(LexerRender("\\mathrm{sin}x"), "cmd:sin let:x");
  EXPECT_EQ(LexerRender("\\mathbf{AB}"), "let:A let:B");
  EXPECT_EQ(LexerRender("\\operatorname{lcm}"), "cmd:lcm");
  EXPECT_EQ(LexerRender("\\operatorname{rank}"), "cmd:rank");
  EXPECT_EQ(LexerRender("\\operatorname{f}"), "cmd:f");
  EXPECT_EQ(LexerRender("\\mathbb{R}"), "( - cmd:infty , cmd:infty )");  // the reals, an interval
  EXPECT_EQ(LexerRender("\\mathbb{Z}"), "let:Z");
  EXPECT_EQ(LexerRender("\\mathbf{1 2}"), "num:1 @num:2");
}

TEST(LatexLexerTest, AccentsBecomeOneName) {
  EXPECT_EQ(LexerRender("\\dot{x}"), "name:dot{x}");
  EXPECT_EQ(LexerRender("\\overline{A B}"), "name:overline{AB}");
  EXPECT_EQ(LexerRender("\\hat\\theta"), "name:hat{theta}");
  EXPECT_EQ(LexerRender("\\vec v_1"), "name:vec{v} _ num:1");
  EXPECT_EQ(LexerRender("\\bar{\\alpha}"), "name:bar{alpha}");
}

TEST(LatexLexerTest, Environments) {
  EXPECT_EQ(LexerRender("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}"),
            "begin:pmatrix num:1 & num:2 \\\\ num:3 & num:4 endenv:pmatrix");
  // The column spec of an array is not content.
  EXPECT_EQ(LexerRender("\\begin{array}{cc}1&2\\end{array}"), "begin:array num:1 & num:2 endenv:array");
  EXPECT_EQ(LexerRender("\\begin{ matrix }"), "begin:matrix");
}

TEST(LatexLexerTest, Utf8Symbols) {
  EXPECT_EQ(LexerRender("90\xC2\xB0"), "num:90 deg");   // 90°
  EXPECT_EQ(LexerRender("2\xCF\x80"), "num:2 cmd:pi");  // 2π
  EXPECT_EQ(LexerRender("\xE2\x88\x9E"), "cmd:infty");  // ∞
  EXPECT_EQ(LexerRender("\xE2\x88\x9A"
                        "2"),
            "cmd:sqrt num:2");  // √2
  EXPECT_EQ(LexerRender("2\xC3\x97"
                        "3\xC2\xB7"
                        "4\xE2\x8B\x85"
                        "5"),
            "num:2 * num:3 * num:4 * num:5");
  EXPECT_EQ(LexerRender("6\xC3\xB7"
                        "2\xE2\x88\x92"
                        "1"),
            "num:6 / num:2 - num:1");  // 6÷2−1
  EXPECT_EQ(LexerRender("x\xE2\x89\xA4"
                        "1"),
            "let:x rel:<= num:1");  // x≤1
  EXPECT_EQ(LexerRender("x\xE2\x89\xA5"
                        "1"),
            "let:x rel:>= num:1");
  EXPECT_EQ(LexerRender("x\xE2\x89\xA0"
                        "1"),
            "let:x rel:!= num:1");
  EXPECT_EQ(LexerRender("x\xE2\x89\x88"
                        "1"),
            "let:x rel:~= num:1");
  EXPECT_EQ(LexerRender("\xC2\xB1"
                        "1"),
            "+- num:1");
  EXPECT_EQ(LexerRender("A\xE2\x88\xAA"
                        "B\xE2\x88\xA9"
                        "C"),
            "let:A cup let:B cap let:C");
  EXPECT_EQ(LexerRender("x\xE2\x88\x88"
                        "A"),
            "let:x in let:A");
  EXPECT_EQ(LexerRender("x\xC2\xB2+y\xC2\xB3"), "let:x ^ num:2 + let:y ^ num:3");
  // No-break space and currency signs are only spacing.
  EXPECT_EQ(LexerRender("1\xC2\xA0"
                        "2"),
            "num:1 @num:2");
  EXPECT_EQ(LexerRender("\xE2\x82\xAC"
                        "5"),
            "@num:5");
  EXPECT_EQ(LexerRender("\xC2\xA3"
                        "5"),
            "@num:5");
}

TEST(LatexLexerTest, ErrorsNameWhatWentWrong) {
  EXPECT_EQ(LexerRender("\\foo"), "ERROR: unknown command \\foo");
  EXPECT_EQ(LexerRender("x\\"), "ERROR: lone backslash");
  EXPECT_EQ(LexerRender("a@b"), "ERROR: unexpected character '@'");
  EXPECT_EQ(LexerRender("a\"b"), "ERROR: unexpected character '\"'");
  EXPECT_EQ(LexerRender("\xE4\xB8\xAD"), "ERROR: unexpected non-ASCII character");  // 中
  EXPECT_EQ(LexerRender("\\text{abc"), "ERROR: unbalanced braces");
  EXPECT_EQ(LexerRender("\\text x"), "ERROR: expected '{'");
  EXPECT_EQ(LexerRender("\\hspace"), "ERROR: expected '{'");
  EXPECT_EQ(LexerRender("\\vec 5"), "ERROR: accent without argument");
  EXPECT_EQ(LexerRender("\\dot"), "ERROR: accent without argument");
  // Errors inside a nested group surface unchanged.
  EXPECT_EQ(LexerRender("\\text{\\foo}"), "ERROR: unknown command \\foo");
}

TEST(LatexLexerTest, NestingLimitIsOverLimit) {
  EXPECT_EQ(LexerRender("\\text{\\text{5}}", 2), "num:5");
  EXPECT_EQ(LexerRender("\\text{\\text{5}}", 1), "ERROR: nested too deeply (over limit)");
  EXPECT_EQ(LexerRender("\\text{5}", 0), "ERROR: nested too deeply (over limit)");
  // Plain braces are tokens, not nesting: the parser counts those.
  EXPECT_EQ(LexerRender("{{{5}}}", 0), "{ { { num:5 } } }");

  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "\\mathbf{";
  deep += "7";
  deep.append(300, '}');
  EXPECT_EQ(LexerRender(deep, 300), "num:7");
  EXPECT_EQ(LexerRender(deep, 299), "ERROR: nested too deeply (over limit)");
}

TEST(LatexLexerTest, ExpiredDeadlineStopsLongInput) {
  std::vector<Token> tokens;
  ParseError error;
  std::string long_text;
  for (int i = 0; i < 2000; ++i) long_text += "1+";  // one step per token
  EXPECT_THROW(LexMath(long_text, 10, Deadline::After(0), &tokens, &error), DeadlineExceeded);
  // A short input finishes before the first check.
  EXPECT_TRUE(LexMath("x+1", 10, Deadline::After(0), &tokens, &error));
}

TEST(LatexLexerTest, FunctionNames) {
  for (const char* name :
       {"sin", "arcsin", "asin", "sinh", "arsinh", "arcsinh", "exp", "ln",        "log", "lg", "sqrt", "gcd",
        "lcm", "max",    "min",  "abs",  "floor",  "ceil",    "det", "conjugate", "re",  "im", "sgn"}) {
    EXPECT_TRUE(IsFunctionName(name)) << name;
  }
  for (const char* name : {"", "Sin", "SIN", "frac", "pi", "sine", "si", "binom", "mod"}) {
    EXPECT_FALSE(IsFunctionName(name)) << name;
  }
}

}  // namespace
}  // namespace rmg::math
