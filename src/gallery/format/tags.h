// Finding <tag>...</tag> pairs the way Python's re finds `<tag>.*?</tag>` (DOTALL).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rmg::gallery {

// True if `text` contains `open` followed (anywhere later) by `close`: the same
// answer as re.search(open + ".*?" + close, text, re.DOTALL).
bool HasTagPair(std::string_view text, std::string_view open, std::string_view close);

// The bodies of re.findall(open + "(.*?)" + close, text, re.DOTALL): leftmost
// non-overlapping pairs, each body ending at the first `close` after its `open`.
std::vector<std::string_view> TagBodies(std::string_view text, std::string_view open, std::string_view close);

// Number of (non-overlapping) occurrences of `needle` in `text`.
size_t CountOccurrences(std::string_view text, std::string_view needle);

// True if `text` is empty or only Python whitespace (\s).
bool IsAllSpace(std::string_view text);

}  // namespace rmg::gallery
