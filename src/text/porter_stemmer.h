// The Porter stemmer exactly as NLTK's PorterStemmer() runs it in its default
// NLTK_EXTENSIONS mode, which is what Google's rouge-score uses for
// `use_stemmer=True`. That mode is M. F. Porter's 1980 algorithm ("An algorithm
// for suffix stripping", Program 14(3)) plus NLTK's documented deviations:
//   * a small table of irregular forms ("skies" -> "sky", "dying" -> "die", ...);
//   * words of one or two characters are returned unchanged;
//   * step 1a/1b: four-letter "-ies"/"-ied" words keep "ie" ("ties" -> "tie"),
//     longer ones become "-i" ("spied" -> "spi");
//   * step 1c: y -> i only after a consonant that is not the first letter;
//   * step 1b's *o test also accepts two-letter vowel+consonant stems;
//   * step 2: "alli" is rewritten first and step 2 re-run; "bli" -> "ble",
//     "fulli" -> "ful", and "logi" -> "log" measured with the "l" in the stem.
//
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rmg::text {

// Returns the stem of `word` (UTF-8). Like NLTK's stem(word), the word is first
// lower-cased with Python's str.lower(), and the irregular-forms table is looked up
// with the word as given (so "skies" -> "sky" but "Skies" -> "ski", as in NLTK).
// Letters other than a, e, i, o, u (and y after a consonant) count as consonants,
// whatever script they are in; lengths are counted in code points, as Python does.
std::string PorterStem(std::string_view word);

}  // namespace rmg::text
