// math_verify_bench: speed and agreement of VerifyMath on the shared math data.
//
// usage: math_verify_bench [--runs R] [--list-disagreements]
//
// For each file, every output becomes one (gold = label.reference, prediction =
// content, expected = label.expected) item; mathverify_cases.jsonl items take their
// options from the sample's metadata, as the upstream tests pass them. Then:
//   - one untimed pass (warm-up), which also gives the verdicts and the agreement
//     with `expected`, per dataset;
//   - R timed single-thread passes: each call timed alone with steady_clock; the
//     pass's throughput is items / (sum of call times); reported: the median pass's
//     throughput, and p50 / p99 / max per call over all passes;
//   - R pairs of scaling passes, 1 thread then 2 threads (items split
//     round-robin), each verifying the list enough times to last about a second;
//     reported: the median wall-clock throughput of each and their ratio.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "rmg/math_verify.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Item {
  std::string dataset;
  std::string id;
  std::string gold;
  std::string prediction;
  int expected = 0;
  rmg::MathVerifyOptions options;
};

std::vector<Item> LoadItems(const std::string& file) {
  std::vector<Item> items;
  std::ifstream in(std::string(RMG_SHARED_DATA_DIR) + "/math/" + file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const nlohmann::json sample = nlohmann::json::parse(line);
    const nlohmann::json& metadata = sample.value("metadata", nlohmann::json::object());
    rmg::MathVerifyOptions options;
    options.float_rounding = metadata.value("float_rounding", 6);
    options.strict = metadata.value("strict", true);
    options.allow_set_relation_comp = metadata.value("allow_set_relation_comp", false);
    int index = 0;
    for (const nlohmann::json& output : sample.at("output")) {
      const nlohmann::json& answer = output.at("answer");
      const nlohmann::json& reference = answer.at("label").at("reference");
      Item item;
      item.dataset = metadata.value("dataset", file.substr(0, file.find('.')));
      item.id = sample.value("unique_id", "") + "#" + std::to_string(index++);
      item.gold = reference.is_string() ? reference.get<std::string>() : reference.dump();
      item.prediction = answer.value("content", "");
      item.expected = answer.at("label").value("expected", 0);
      item.options = options;
      items.push_back(std::move(item));
    }
  }
  if (items.empty()) {
    std::fprintf(stderr, "no items read from %s\n", file.c_str());
    std::exit(1);
  }
  return items;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
  return values[index];
}

// Wall time of verifying every item `rounds` times with `threads` threads, each
// thread taking every threads-th item.
double WallSecondsWithThreads(const std::vector<Item>& items, size_t threads, int rounds) {
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int round = 0; round < rounds; ++round) {
        for (size_t i = t; i < items.size(); i += threads) {
          rmg::VerifyMath(items[i].gold, items[i].prediction, items[i].options);
        }
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void RunFile(const std::string& file, int runs, bool list_disagreements) {
  const std::vector<Item> items = LoadItems(file);
  std::printf("== %s: %zu items\n", file.c_str(), items.size());

  std::map<std::string, std::pair<int, int>> agreement;  // dataset -> (agree, total)
  int timeouts = 0;
  for (const Item& item : items) {
    const rmg::MathVerifyResult result = rmg::VerifyMath(item.gold, item.prediction, item.options);
    const int verdict = result.equal ? 1 : 0;
    timeouts += result.timed_out;
    auto& [agree, total] = agreement[item.dataset];
    ++total;
    agree += verdict == item.expected;
    if (verdict != item.expected && list_disagreements) {
      std::printf("  DISAGREE %s expected=%d got=%d | gold: %s | pred: %s | %s\n", item.id.c_str(), item.expected,
                  verdict, result.gold_extracted.c_str(), result.prediction_extracted.c_str(),
                  result.explanation.substr(0, 300).c_str());
    }
  }
  int all_agree = 0;
  for (const auto& [dataset, counts] : agreement) {
    std::printf("  agreement %-16s %5d / %5d (%.1f%%)\n", dataset.c_str(), counts.first, counts.second,
                100.0 * counts.first / counts.second);
    all_agree += counts.first;
  }
  std::printf("  agreement %-16s %5d / %5zu (%.1f%%), %d timed out\n", "overall", all_agree, items.size(),
              100.0 * all_agree / static_cast<double>(items.size()), timeouts);

  // Scaling passes verify the list this many times, so that each lasts about a second
  // (a tenth of a second is too short to tell scaling from a neighbour's burst).
  const int rounds = std::max<int>(1, static_cast<int>(40000 / items.size()));
  std::vector<double> call_ms;
  std::vector<double> pass_rates, wall_one, wall_two;
  for (int run = 0; run < runs; ++run) {
    double pass_seconds = 0;
    for (const Item& item : items) {
      const auto start = Clock::now();
      rmg::VerifyMath(item.gold, item.prediction, item.options);
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      pass_seconds += seconds;
      call_ms.push_back(seconds * 1e3);
    }
    pass_rates.push_back(static_cast<double>(items.size()) / pass_seconds);
    wall_one.push_back(WallSecondsWithThreads(items, 1, rounds));
    wall_two.push_back(WallSecondsWithThreads(items, 2, rounds));
  }
  const double work = static_cast<double>(items.size()) * rounds;
  const double one = work / Median(wall_one);
  const double two = work / Median(wall_two);
  std::printf("  one thread: %.0f items/s (median of %d passes); per call p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
              Median(pass_rates), runs, Percentile(call_ms, 0.50), Percentile(call_ms, 0.99),
              *std::max_element(call_ms.begin(), call_ms.end()));
  std::printf("  wall time: 1 thread %.0f items/s, 2 threads %.0f items/s, scaling %.2fx\n", one, two, two / one);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  bool list_disagreements = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--list-disagreements") == 0) {
      list_disagreements = true;
    } else {
      std::fprintf(stderr, "usage: math_verify_bench [--runs R] [--list-disagreements]\n");
      return 2;
    }
  }
  RunFile("mathverify_cases.jsonl", runs, list_disagreements);
  RunFile("competition_answers.jsonl", runs, list_disagreements);
  return 0;
}
