#include "text/bleu.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <utility>

#include "text/ngram.h"
#include "text/unicode.h"

namespace rmg::text {
namespace {

// Python's str.rstrip() with no argument.
std::string_view RStripPythonSpace(std::string_view text) {
  size_t end = text.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    size_t next = start;
    if (!IsPythonSpace(DecodeUtf8(text, &next)) || next != end) break;
    end = start;
  }
  return text.substr(0, end);
}

// Python's str.replace(from, to) (all occurrences, left to right, no rescanning).
void ReplaceAll(std::string* text, std::string_view from, std::string_view to) {
  std::string out;
  size_t start = 0;
  for (size_t hit = text->find(from); hit != std::string::npos; hit = text->find(from, start)) {
    out.append(*text, start, hit - start);
    out.append(to);
    start = hit + from.size();
  }
  if (start == 0) return;
  out.append(*text, start, std::string::npos);
  *text = std::move(out);
}

// ' '.join(text.split()): Python whitespace runs collapse to one space, ends trimmed.
std::string JoinSplit(std::string_view text) {
  std::string out;
  for (std::string_view part : SplitPythonSpace(text)) {
    if (!out.empty()) out.push_back(' ');
    out.append(part);
  }
  return out;
}

// Applies a regex substitution whose pattern is two single characters, like
// re.sub("(A)(B)", ...): matches are found left to right and never overlap. Works on
// bytes, which is exact for these ASCII-anchored patterns over valid UTF-8 (the
// replacement keeps both characters, so matching a multi-byte character's last byte
// produces the same text as matching the whole character).
template <class First, class Second, class Emit>
std::string SubPairs(std::string_view text, First first, Second second, Emit emit) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  size_t i = 0;
  while (i < text.size()) {
    if (i + 1 < text.size() && first(text[i]) && second(text[i + 1])) {
      emit(text[i], text[i + 1], &out);
      i += 2;
    } else {
      out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

// sacreBLEU's TokenizerRegexp (the language-dependent part of mteval-v13a).
std::string TokenizeRegexp(std::string_view line, const Deadline& deadline) {
  // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> " \1 "
  std::string step;
  step.reserve(line.size() * 2);
  for (char c : line) {
    const bool punct = (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
                       (c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/';
    if (punct) {
      step.push_back(' ');
      step.push_back(c);
      step.push_back(' ');
    } else {
      step.push_back(c);
    }
  }
  const auto period_or_comma = [](char c) { return c == '.' || c == ','; };
  const auto not_digit = [](char c) { return !IsAsciiDigit(c); };
  // Period and comma unless preceded by a digit: ([^0-9])([\.,]) -> "\1 \2 ".
  deadline.Check();
  step = SubPairs(step, not_digit, period_or_comma, [](char a, char b, std::string* out) {
    out->push_back(a);
    out->push_back(' ');
    out->push_back(b);
    out->push_back(' ');
  });
  // Period and comma unless followed by a digit: ([\.,])([^0-9]) -> " \1 \2".
  deadline.Check();
  step = SubPairs(step, period_or_comma, not_digit, [](char a, char b, std::string* out) {
    out->push_back(' ');
    out->push_back(a);
    out->push_back(' ');
    out->push_back(b);
  });
  // Dash after a digit: ([0-9])(-) -> "\1 \2 ".
  deadline.Check();
  step = SubPairs(
      step, IsAsciiDigit, [](char c) { return c == '-'; },
      [](char a, char b, std::string* out) {
        out->push_back(a);
        out->push_back(' ');
        out->push_back(b);
        out->push_back(' ');
      });
  deadline.Check();
  return JoinSplit(step);
}

std::string Tokenize13a(std::string_view text, const Deadline& deadline) {
  std::string line(text);
  ReplaceAll(&line, "<skipped>", "");
  ReplaceAll(&line, "-\n", "");
  ReplaceAll(&line, "\n", " ");
  if (line.find('&') != std::string::npos) {
    ReplaceAll(&line, "&quot;", "\"");
    ReplaceAll(&line, "&amp;", "&");
    ReplaceAll(&line, "&lt;", "<");
    ReplaceAll(&line, "&gt;", ">");
  }
  deadline.Check();
  return TokenizeRegexp(" " + line + " ", deadline);
}

std::vector<char32_t> CodePoints(std::string_view text) {
  std::vector<char32_t> cps;
  cps.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) cps.push_back(DecodeUtf8(text, &pos));
  return cps;
}

bool InCategories(char32_t cp, uint32_t mask) {
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & mask) != 0;
}

// sacreBLEU's TokenizerV14International: regex's \p{N}, \p{P}, \p{S} are Unicode
// general categories, taken from ICU.
std::string TokenizeIntl(std::string_view text, const Deadline& deadline) {
  std::vector<char32_t> cps = CodePoints(text);
  const auto is_number = [](char32_t c) { return InCategories(c, U_GC_N_MASK); };
  const auto is_punct = [](char32_t c) { return InCategories(c, U_GC_P_MASK); };
  constexpr char32_t kSpace = ' ';
  // Punctuation after a non-number: (\P{N})(\p{P}) -> "\1 \2 ".
  // Punctuation before a non-number: (\p{P})(\P{N}) -> " \1 \2".
  for (int pass = 0; pass < 2; ++pass) {
    deadline.Check();
    std::vector<char32_t> out;
    out.reserve(cps.size() + cps.size() / 2);
    size_t i = 0;
    while (i < cps.size()) {
      const bool match = i + 1 < cps.size() && (pass == 0 ? !is_number(cps[i]) && is_punct(cps[i + 1])
                                                          : is_punct(cps[i]) && !is_number(cps[i + 1]));
      if (!match) {
        out.push_back(cps[i++]);
        continue;
      }
      if (pass == 0) {
        out.insert(out.end(), {cps[i], kSpace, cps[i + 1], kSpace});
      } else {
        out.insert(out.end(), {kSpace, cps[i], kSpace, cps[i + 1]});
      }
      i += 2;
    }
    cps = std::move(out);
  }
  // Symbols: (\p{S}) -> " \1 ".
  deadline.Check();
  std::string out;
  out.reserve(cps.size() * 2);
  for (char32_t cp : cps) {
    if (InCategories(cp, U_GC_S_MASK)) {
      out.push_back(' ');
      AppendUtf8(cp, &out);
      out.push_back(' ');
    } else {
      AppendUtf8(cp, &out);
    }
  }
  deadline.Check();
  return JoinSplit(out);
}

std::string TokenizeChar(std::string_view text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const char32_t cp = DecodeUtf8(text, &pos);
    if (IsPythonSpace(cp)) continue;
    if (!out.empty()) out.push_back(' ');
    AppendUtf8(cp, &out);
  }
  return out;
}

// sacreBLEU's _is_chinese_char table. Two entries are written '\u20000' and
// '\u2f800' in its source, which Python reads as two characters each; compared as
// strings they make the effective ranges U+2001..U+2A6D and U+2F81..U+2FA1, which is
// what sacreBLEU really does and so what is reproduced here.
bool IsSacrebleuChineseChar(char32_t c) {
  static constexpr std::pair<char32_t, char32_t> kRanges[] = {
      {0x3400, 0x4DB5}, {0x4E00, 0x9FA5}, {0x9FA6, 0x9FBB}, {0xF900, 0xFA2D}, {0xFA30, 0xFA6A},
      {0xFA70, 0xFAD9}, {0x2001, 0x2A6D}, {0x2F81, 0x2FA1}, {0xFF00, 0xFFEF}, {0x2E80, 0x2EFF},
      {0x3000, 0x303F}, {0x31C0, 0x31EF}, {0x2F00, 0x2FDF}, {0x2FF0, 0x2FFF}, {0x3100, 0x312F},
      {0x31A0, 0x31BF}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE4F}, {0x2600, 0x26FF}, {0x2700, 0x27BF},
      {0x3200, 0x32FF}, {0x3300, 0x33FF},
  };
  for (const auto& [low, high] : kRanges) {
    if (c >= low && c <= high) return true;
  }
  return false;
}

std::string TokenizeZh(std::string_view text, const Deadline& deadline) {
  const std::string_view line = StripPythonSpace(text);
  std::string spaced;
  spaced.reserve(line.size() * 2);
  for (size_t pos = 0; pos < line.size();) {
    const char32_t cp = DecodeUtf8(line, &pos);
    if (IsSacrebleuChineseChar(cp)) {
      spaced.push_back(' ');
      AppendUtf8(cp, &spaced);
      spaced.push_back(' ');
    } else {
      AppendUtf8(cp, &spaced);
    }
  }
  deadline.Check();
  return TokenizeRegexp(spaced, deadline);
}

// One segment after sacreBLEU's preprocessing (lower-case, rstrip, tokenize); the
// tokens are its whitespace-separated parts.
std::string PreprocessSegment(std::string_view text, const BleuOptions& options, const Deadline& deadline) {
  std::string lowered;
  if (options.lowercase) {
    lowered = LowerUtf8(text);
    text = lowered;
  }
  deadline.Check();
  return BleuTokenizeText(RStripPythonSpace(text), options.tokenize, deadline);
}

double SmoothValue(const BleuOptions& options) {
  if (options.smooth_value) return *options.smooth_value;
  switch (options.smooth) {
    case BleuSmooth::kFloor:
      return 0.1;
    case BleuSmooth::kAddK:
      return 1.0;
    default:
      return 0.0;
  }
}

// sacreBLEU's my_log: log, with 0 mapped to a huge negative number instead of -inf.
double SafeLog(double x) { return x == 0.0 ? -9999999999.0 : std::log(x); }

}  // namespace

BleuOptions SentenceBleuDefaults() {
  BleuOptions options;
  options.use_effective_order = true;
  return options;
}

BleuTokenize ParseBleuTokenize(std::string_view name) {
  if (name == "13a") return BleuTokenize::k13a;
  if (name == "none") return BleuTokenize::kNone;
  if (name == "intl") return BleuTokenize::kIntl;
  if (name == "char") return BleuTokenize::kChar;
  if (name == "zh") return BleuTokenize::kZh;
  throw std::invalid_argument("unknown BLEU tokenizer '" + std::string(name) +
                              "' (valid: 13a, none, intl, char, zh)");
}

BleuSmooth ParseBleuSmooth(std::string_view name) {
  if (name == "exp") return BleuSmooth::kExp;
  if (name == "floor") return BleuSmooth::kFloor;
  if (name == "add-k") return BleuSmooth::kAddK;
  if (name == "none") return BleuSmooth::kNone;
  throw std::invalid_argument("unknown BLEU smoothing '" + std::string(name) +
                              "' (valid: exp, floor, add-k, none)");
}

std::string BleuTokenizeText(std::string_view text, BleuTokenize tokenize, const Deadline& deadline) {
  switch (tokenize) {
    case BleuTokenize::k13a:
      return Tokenize13a(text, deadline);
    case BleuTokenize::kNone:
      return std::string(text);
    case BleuTokenize::kIntl:
      return TokenizeIntl(text, deadline);
    case BleuTokenize::kChar:
      return TokenizeChar(text);
    case BleuTokenize::kZh:
      return TokenizeZh(text, deadline);
  }
  return std::string(text);
}

BleuStats& BleuStats::operator+=(const BleuStats& other) {
  if (correct.size() < other.correct.size()) correct.resize(other.correct.size(), 0);
  if (total.size() < other.total.size()) total.resize(other.total.size(), 0);
  hyp_len += other.hyp_len;
  ref_len += other.ref_len;
  for (size_t n = 0; n < other.correct.size(); ++n) correct[n] += other.correct[n];
  for (size_t n = 0; n < other.total.size(); ++n) total[n] += other.total[n];
  return *this;
}

BleuStats BleuSegmentStats(std::string_view hypothesis, std::span<const std::string_view> references,
                           const BleuOptions& options, const Deadline& deadline) {
  if (references.empty()) throw std::invalid_argument("BLEU needs at least one reference per segment");
  if (options.max_ngram_order < 1) throw std::invalid_argument("BLEU max_ngram_order must be >= 1");
  const size_t max_order = static_cast<size_t>(options.max_ngram_order);

  // Token views point into these strings, which outlive the interner. Each stage is a
  // linear pass, a few tenths of a second at 50 MB: the deadline is checked between them.
  const std::string hyp_text = PreprocessSegment(hypothesis, options, deadline);
  std::vector<std::string> ref_texts;
  ref_texts.reserve(references.size());
  for (std::string_view reference : references) ref_texts.push_back(PreprocessSegment(reference, options, deadline));

  TokenInterner interner;
  deadline.Check();
  const std::vector<uint32_t> hyp_ids = interner.InternAll(SplitPythonSpace(hyp_text));
  std::vector<std::vector<uint32_t>> ref_ids;
  ref_ids.reserve(ref_texts.size());
  for (const std::string& text : ref_texts) {
    deadline.Check();
    ref_ids.push_back(interner.InternAll(SplitPythonSpace(text)));
  }

  BleuStats stats;
  stats.hyp_len = static_cast<int64_t>(hyp_ids.size());
  // Closest reference length; on a tie the shorter reference wins.
  int64_t closest_diff = -1;
  for (const auto& ids : ref_ids) {
    const int64_t len = static_cast<int64_t>(ids.size());
    const int64_t diff = std::llabs(stats.hyp_len - len);
    if (closest_diff == -1 || diff < closest_diff) {
      closest_diff = diff;
      stats.ref_len = len;
    } else if (diff == closest_diff && len < stats.ref_len) {
      stats.ref_len = len;
    }
  }

  stats.correct.assign(max_order, 0);
  stats.total.assign(max_order, 0);
  std::vector<std::span<const uint32_t>> sequences = {hyp_ids};
  for (const auto& ids : ref_ids) sequences.emplace_back(ids);
  NgramIds ngrams(std::move(sequences));
  std::vector<int64_t> ref_max, ref_count;
  for (size_t order = 1; order <= max_order; ++order) {
    ngrams.NextOrder(deadline);
    const auto hyp = ngrams.ids(0);
    if (hyp.empty()) break;
    // Clip by the largest count of the n-gram in any one reference.
    ref_max.assign(ngrams.num_ids(), 0);
    ref_count.assign(ngrams.num_ids(), 0);
    for (size_t r = 0; r < ref_ids.size(); ++r) {
      const auto ref = ngrams.ids(r + 1);
      ngrams.CountWork(ref.size(), deadline);
      for (uint32_t id : ref) ++ref_count[id];
      for (uint32_t id : ref) {
        ref_max[id] = std::max(ref_max[id], ref_count[id]);
      }
      for (uint32_t id : ref) ref_count[id] = 0;
    }
    int64_t correct = 0;
    for (uint32_t id : hyp) {
      if (ref_max[id] > 0) {
        --ref_max[id];
        ++correct;
      }
    }
    stats.correct[order - 1] = correct;
    stats.total[order - 1] = static_cast<int64_t>(hyp.size());
  }
  return stats;
}

BleuScore BleuFromStats(const BleuStats& stats, const BleuOptions& options) {
  if (options.max_ngram_order < 1) throw std::invalid_argument("BLEU max_ngram_order must be >= 1");
  const size_t max_order = static_cast<size_t>(options.max_ngram_order);
  BleuScore result;
  result.stats = stats;
  result.stats.correct.resize(max_order, 0);
  result.stats.total.resize(max_order, 0);
  result.precisions.assign(max_order, 0.0);

  const int64_t sys_len = stats.hyp_len;
  const int64_t ref_len = stats.ref_len;
  if (sys_len < ref_len) {
    result.brevity_penalty =
        sys_len > 0 ? std::exp(1.0 - static_cast<double>(ref_len) / static_cast<double>(sys_len)) : 0.0;
  } else {
    result.brevity_penalty = 1.0;
  }

  bool any_match = false;
  for (int64_t c : result.stats.correct) any_match |= c != 0;
  if (!any_match) return result;  // sacreBLEU #141: 0 without any match, whatever the smoothing.

  const double smooth_value = SmoothValue(options);
  std::vector<double> correct(result.stats.correct.begin(), result.stats.correct.end());
  std::vector<double> total(result.stats.total.begin(), result.stats.total.end());
  double smooth_mteval = 1.0;
  size_t effective_order = max_order;
  for (size_t n = 1; n <= max_order; ++n) {
    if (options.smooth == BleuSmooth::kAddK && n > 1) {
      correct[n - 1] += smooth_value;
      total[n - 1] += smooth_value;
    }
    if (total[n - 1] == 0) break;
    if (options.use_effective_order) effective_order = n;
    if (correct[n - 1] == 0) {
      if (options.smooth == BleuSmooth::kExp) {
        smooth_mteval *= 2;
        result.precisions[n - 1] = 100.0 / (smooth_mteval * total[n - 1]);
      } else if (options.smooth == BleuSmooth::kFloor) {
        result.precisions[n - 1] = 100.0 * smooth_value / total[n - 1];
      }
    } else {
      result.precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
    }
  }
  double log_sum = 0.0;
  for (size_t n = 0; n < effective_order; ++n) log_sum += SafeLog(result.precisions[n]);
  result.score = result.brevity_penalty * std::exp(log_sum / static_cast<double>(effective_order));
  return result;
}

BleuScore SentenceBleu(std::string_view hypothesis, std::span<const std::string_view> references,
                       const BleuOptions& options, const Deadline& deadline) {
  return BleuFromStats(BleuSegmentStats(hypothesis, references, options, deadline), options);
}

BleuScore CorpusBleu(std::span<const std::string_view> hypotheses,
                     std::span<const std::vector<std::string_view>> references, const BleuOptions& options,
                     const Deadline& deadline) {
  if (hypotheses.size() != references.size()) {
    throw std::invalid_argument("CorpusBleu: " + std::to_string(hypotheses.size()) + " hypotheses but " +
                                std::to_string(references.size()) + " reference lists");
  }
  BleuStats sum;
  sum.correct.assign(static_cast<size_t>(std::max(options.max_ngram_order, 0)), 0);
  sum.total = sum.correct;
  for (size_t i = 0; i < hypotheses.size(); ++i)
    sum += BleuSegmentStats(hypotheses[i], references[i], options, deadline);
  return BleuFromStats(sum, options);
}

}  // namespace rmg::text
