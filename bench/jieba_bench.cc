// jieba_bench: speed of rmg's jieba segmentation (the `jieba` tokenizer's work) on a
// corpus of texts, for bench/jieba_speed.py, which times Python's jieba.cut() on the
// same corpus in the same run.
//
// usage: jieba_bench CORPUS.jsonl [--rounds R]
//
// CORPUS.jsonl holds one JSON string per line. Prints one JSON object: the time to
// build the segmenter from the embedded data (first use), the corpus size, and the
// seconds of each round of cutting every text once, with their median in characters
// (code points) per second, on one thread.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "rmg/schema.h"
#include "text/jieba.h"
#include "text/unicode.h"

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: jieba_bench CORPUS.jsonl [--rounds R]\n");
    return 2;
  }
  int rounds = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
  }
  std::ifstream file(argv[1]);
  if (!file) {
    std::fprintf(stderr, "jieba_bench: cannot read %s\n", argv[1]);
    return 2;
  }
  std::vector<std::string> texts;
  size_t characters = 0;
  for (std::string line; std::getline(file, line);) {
    texts.push_back(rmg::Json::parse(line).get<std::string>());
    for (size_t pos = 0; pos < texts.back().size(); ++characters) rmg::text::DecodeUtf8(texts.back(), &pos);
  }

  const Clock::time_point load_start = Clock::now();
  const rmg::text::JiebaSegmenter& jieba = rmg::text::JiebaSegmenter::Embedded();
  const double load_seconds = SecondsSince(load_start);

  std::vector<double> round_seconds;
  std::vector<std::string_view> pieces;
  size_t piece_count = 0;
  for (int round = 0; round < rounds; ++round) {
    const Clock::time_point start = Clock::now();
    piece_count = 0;
    for (const std::string& text : texts) {
      pieces.clear();
      jieba.Cut(text, &pieces);
      piece_count += pieces.size();
    }
    round_seconds.push_back(SecondsSince(start));
  }
  std::vector<double> sorted = round_seconds;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2];
  rmg::Json report = {{"implementation", "rmg"},
                      {"load_seconds", load_seconds},
                      {"texts", texts.size()},
                      {"characters", characters},
                      {"pieces", piece_count},
                      {"round_seconds", round_seconds},
                      {"median_chars_per_second", static_cast<double>(characters) / median}};
  std::printf("%s\n", report.dump().c_str());
  return 0;
}
