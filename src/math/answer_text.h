// Answer-level text handling before tokenizing: math delimiters around the whole
// answer, and answers that are words rather than math.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rmg::math {

// `answer` without surrounding whitespace, trailing '.'/',' and any number of
// enclosing $…$, $$…$$, \(…\), \[…\], \boxed{…}, \fbox{…}, \framebox{…} layers.
std::string_view StripAnswerDelimiters(std::string_view answer);

// The kText reading of an answer that is words, lower-cased and trimmed with inner
// whitespace collapsed: a whole-answer \text{…}/\mbox{…}/\textrm{…} (whatever it holds),
// a whole-answer \textbf{…}/\textit{…}/\emph{…} holding only words, or plain words
// with one of 4+ letters that is not a function name, or one of a few short answer
// words (yes, no, odd, ...), or words with a letter of a script other than Latin and
// Greek (北京, Москва; of any length). std::nullopt for anything else.
std::optional<std::string> WholeAnswerText(std::string_view answer);

}  // namespace rmg::math
