#include "text/porter_stemmer.h"

#include <cstddef>
#include <string>
#include <string_view>

#include "text/unicode.h"

namespace rmg::text {
namespace {

// The algorithm runs on std::string for ASCII words (the common case, and the only
// one rouge-score produces) and on std::u32string otherwise, so that positions and
// lengths are code points as in Python.
template <class Str>
class Stemmer {
 public:
  explicit Stemmer(Str* word) : w_(*word) {}

  void Run() {
    Step1a();
    Step1b();
    Step1c();
    Step2();
    Step3();
    Step4();
    Step5a();
    Step5b();
  }

 private:
  using Ch = typename Str::value_type;

  static bool IsVowelLetter(Ch c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

  // Porter's consonant: not a vowel letter, and "y" only when it follows a vowel
  // or starts the word. Depends only on w_[0..i], so it is the same for a word and
  // for any prefix (stem) of it.
  bool IsConsonant(size_t i) const {
    // Walk back over the run of y's ending at i: each y flips the answer of the
    // letter before it, and the run's first letter decides.
    size_t flips = 0;
    while (w_[i] == 'y' && i > 0) {
      ++flips;
      --i;
    }
    bool consonant = w_[i] == 'y' ? true : !IsVowelLetter(w_[i]);
    if (flips % 2 == 1) consonant = !consonant;
    return consonant;
  }

  // IsConsonant(i) from IsConsonant(i - 1) (unused for i == 0): loops over a word
  // use it, since IsConsonant's walk back over a run of y's would make them
  // quadratic in the run's length.
  bool IsConsonantAfter(size_t i, bool previous_is_consonant) const {
    if (IsVowelLetter(w_[i])) return false;
    if (w_[i] != 'y') return true;
    return i == 0 || !previous_is_consonant;
  }

  // Porter's m: the number of vowel-run -> consonant-run transitions in w_[0..len).
  int Measure(size_t len) const {
    int m = 0;
    bool consonant = true;
    for (size_t i = 0; i < len; ++i) {
      const bool previous_is_vowel = i > 0 && !consonant;
      consonant = IsConsonantAfter(i, consonant);
      if (consonant && previous_is_vowel) ++m;
    }
    return m;
  }

  bool ContainsVowel(size_t len) const {
    bool consonant = true;
    for (size_t i = 0; i < len; ++i) {
      consonant = IsConsonantAfter(i, consonant);
      if (!consonant) return true;
    }
    return false;
  }

  // *d: the stem w_[0..len) ends with a double consonant.
  bool EndsDoubleConsonant(size_t len) const {
    return len >= 2 && w_[len - 1] == w_[len - 2] && IsConsonant(len - 1);
  }

  // *o: the stem w_[0..len) ends consonant-vowel-consonant, the last not w, x or y;
  // NLTK also accepts a two-letter vowel-consonant stem.
  bool EndsCvc(size_t len) const {
    if (len >= 3) {
      const Ch last = w_[len - 1];
      return IsConsonant(len - 3) && !IsConsonant(len - 2) && IsConsonant(len - 1) && last != 'w' &&
             last != 'x' && last != 'y';
    }
    return len == 2 && !IsConsonant(0) && IsConsonant(1);
  }

  bool EndsWith(const char* suffix, size_t suffix_len) const {
    if (w_.size() < suffix_len) return false;
    const size_t start = w_.size() - suffix_len;
    for (size_t i = 0; i < suffix_len; ++i) {
      if (w_[start + i] != static_cast<Ch>(static_cast<unsigned char>(suffix[i]))) return false;
    }
    return true;
  }

  // Cuts `cut` letters off the end and appends `replacement`.
  void Replace(size_t cut, const char* replacement) {
    w_.resize(w_.size() - cut);
    for (const char* p = replacement; *p != '\0'; ++p) w_.push_back(static_cast<Ch>(*p));
  }

  enum class Condition { kNone, kMeasureAbove0, kMeasureAbove1 };

  struct Rule {
    const char* suffix;
    size_t suffix_len;
    const char* replacement;
    Condition condition;
  };

  bool Holds(Condition condition, size_t stem_len) const {
    switch (condition) {
      case Condition::kNone:
        return true;
      case Condition::kMeasureAbove0:
        return Measure(stem_len) > 0;
      case Condition::kMeasureAbove1:
        return Measure(stem_len) > 1;
    }
    return false;
  }

  // Porter's rule lists: the first rule whose suffix matches decides, whether or not
  // its condition holds (so "-ational" with m=0 is not retried as "-tional").
  template <size_t N>
  void ApplyFirstMatch(const Rule (&rules)[N]) {
    for (const Rule& rule : rules) {
      if (!EndsWith(rule.suffix, rule.suffix_len)) continue;
      if (Holds(rule.condition, w_.size() - rule.suffix_len)) Replace(rule.suffix_len, rule.replacement);
      return;
    }
  }

  void Step1a() {
    if (w_.size() == 4 && EndsWith("ies", 3)) {  // NLTK: "ties" -> "tie", not "ti".
      Replace(3, "ie");
      return;
    }
    static constexpr Rule kRules[] = {
        {"sses", 4, "ss", Condition::kNone},
        {"ies", 3, "i", Condition::kNone},
        {"ss", 2, "ss", Condition::kNone},
        {"s", 1, "", Condition::kNone},
    };
    ApplyFirstMatch(kRules);
  }

  void Step1b() {
    if (EndsWith("ied", 3)) {  // NLTK: "died" -> "die", "spied" -> "spi".
      Replace(3, w_.size() == 4 ? "ie" : "i");
      return;
    }
    if (EndsWith("eed", 3)) {
      if (Measure(w_.size() - 3) > 0) Replace(3, "ee");
      return;
    }
    size_t cut = 0;
    if (EndsWith("ed", 2) && ContainsVowel(w_.size() - 2)) {
      cut = 2;
    } else if (EndsWith("ing", 3) && ContainsVowel(w_.size() - 3)) {
      cut = 3;
    }
    if (cut == 0) return;
    Replace(cut, "");
    // Clean-up of the stem left by removing -ed/-ing, again first match decides.
    if (EndsWith("at", 2) || EndsWith("bl", 2) || EndsWith("iz", 2)) {
      Replace(0, "e");
    } else if (EndsDoubleConsonant(w_.size())) {
      const Ch last = w_.back();
      if (last != 'l' && last != 's' && last != 'z') w_.pop_back();
    } else if (Measure(w_.size()) == 1 && EndsCvc(w_.size())) {
      Replace(0, "e");
    }
  }

  void Step1c() {
    // NLTK: y -> i only after a consonant that is not the word's first letter, so
    // "happy" -> "happi" and "cry" -> "cri" but "enjoy" and "by" are kept.
    if (EndsWith("y", 1) && w_.size() - 1 > 1 && IsConsonant(w_.size() - 2)) Replace(1, "i");
  }

  void Step2() {
    // NLTK rewrites "alli" -> "al" before the rule list (the paper lists it after
    // "bli") and then runs step 2 again on the result: the list below is that rerun.
    if (EndsWith("alli", 4) && Measure(w_.size() - 4) > 0) Replace(4, "al");
    // NLTK appends "logi" -> "log" to the list, measuring with the "l" kept in the
    // stem so that "geologi" -> "geolog". No other suffix of the list ends in "gi",
    // so checking it first changes nothing.
    if (EndsWith("logi", 4)) {
      if (Measure(w_.size() - 3) > 0) Replace(4, "log");
      return;
    }
    static constexpr Rule kRules[] = {
        {"ational", 7, "ate", Condition::kMeasureAbove0}, {"tional", 6, "tion", Condition::kMeasureAbove0},
        {"enci", 4, "ence", Condition::kMeasureAbove0},   {"anci", 4, "ance", Condition::kMeasureAbove0},
        {"izer", 4, "ize", Condition::kMeasureAbove0},    {"bli", 3, "ble", Condition::kMeasureAbove0},
        {"alli", 4, "al", Condition::kMeasureAbove0},     {"entli", 5, "ent", Condition::kMeasureAbove0},
        {"eli", 3, "e", Condition::kMeasureAbove0},       {"ousli", 5, "ous", Condition::kMeasureAbove0},
        {"ization", 7, "ize", Condition::kMeasureAbove0}, {"ation", 5, "ate", Condition::kMeasureAbove0},
        {"ator", 4, "ate", Condition::kMeasureAbove0},    {"alism", 5, "al", Condition::kMeasureAbove0},
        {"iveness", 7, "ive", Condition::kMeasureAbove0}, {"fulness", 7, "ful", Condition::kMeasureAbove0},
        {"ousness", 7, "ous", Condition::kMeasureAbove0}, {"aliti", 5, "al", Condition::kMeasureAbove0},
        {"iviti", 5, "ive", Condition::kMeasureAbove0},   {"biliti", 6, "ble", Condition::kMeasureAbove0},
        {"fulli", 5, "ful", Condition::kMeasureAbove0},
    };
    ApplyFirstMatch(kRules);
  }

  void Step3() {
    static constexpr Rule kRules[] = {
        {"icate", 5, "ic", Condition::kMeasureAbove0}, {"ative", 5, "", Condition::kMeasureAbove0},
        {"alize", 5, "al", Condition::kMeasureAbove0}, {"iciti", 5, "ic", Condition::kMeasureAbove0},
        {"ical", 4, "ic", Condition::kMeasureAbove0},  {"ful", 3, "", Condition::kMeasureAbove0},
        {"ness", 4, "", Condition::kMeasureAbove0},
    };
    ApplyFirstMatch(kRules);
  }

  void Step4() {
    static constexpr std::string_view kSuffixes[] = {"al",  "ance",  "ence", "er",  "ic",  "able", "ible",
                                                     "ant", "ement", "ment", "ent", "ion", "ou",   "ism",
                                                     "ate", "iti",   "ous",  "ive", "ize"};
    for (std::string_view suffix : kSuffixes) {
      if (!EndsWith(suffix.data(), suffix.size())) continue;
      const size_t stem = w_.size() - suffix.size();
      bool remove = Measure(stem) > 1;
      // (m>1 and (*S or *T)) ION ->
      if (suffix == "ion") remove = remove && (w_[stem - 1] == 's' || w_[stem - 1] == 't');
      if (remove) Replace(suffix.size(), "");
      return;
    }
  }

  void Step5a() {
    // Unlike the rule lists, both conditions are tried here (m>1, or m=1 and not *o).
    if (!EndsWith("e", 1)) return;
    const size_t stem = w_.size() - 1;
    const int m = Measure(stem);
    if (m > 1 || (m == 1 && !EndsCvc(stem))) w_.pop_back();
  }

  void Step5b() {
    if (EndsWith("ll", 2) && Measure(w_.size() - 1) > 1) w_.pop_back();
  }

  Str& w_;
};

// NLTK's table of irregular forms, consulted before stemming.
const char* IrregularStem(std::string_view word) {
  struct Entry {
    std::string_view form;
    const char* stem;
  };
  static constexpr Entry kIrregular[] = {
      {"sky", "sky"},        {"skies", "sky"},       {"dying", "die"},        {"lying", "lie"},
      {"tying", "tie"},      {"news", "news"},       {"innings", "inning"},   {"inning", "inning"},
      {"outings", "outing"}, {"outing", "outing"},   {"cannings", "canning"}, {"canning", "canning"},
      {"howe", "howe"},      {"proceed", "proceed"}, {"exceed", "exceed"},    {"succeed", "succeed"},
  };
  for (const Entry& entry : kIrregular) {
    if (entry.form == word) return entry.stem;
  }
  return nullptr;
}

}  // namespace

std::string PorterStem(std::string_view word) {
  if (const char* irregular = IrregularStem(word)) return irregular;

  bool ascii = true;
  for (char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    std::string stem(word);
    for (char& c : stem) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    // NLTK leaves words of one or two letters alone (the paper does not say so).
    if (word.size() <= 2) return stem;
    Stemmer<std::string>(&stem).Run();
    return stem;
  }

  size_t original_length = 0;
  for (size_t pos = 0; pos < word.size(); ++original_length) DecodeUtf8(word, &pos);
  const std::string lower = LowerUtf8(word);
  if (original_length <= 2) return lower;
  std::u32string wide;
  for (size_t pos = 0; pos < lower.size();) wide.push_back(DecodeUtf8(lower, &pos));
  Stemmer<std::u32string>(&wide).Run();
  std::string out;
  for (char32_t cp : wide) AppendUtf8(cp, &out);
  return out;
}

}  // namespace rmg::text
