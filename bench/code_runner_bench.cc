// code_runner_bench: throughput and per-test overhead of the code test runner on
// trivial stdin/stdout tests (read a number, print it doubled), sandbox on:
//   pool   PythonPool with one sandboxed zygote per worker, a fork per test
//   naive  RunSandboxed: a fresh sandboxed python3 per test
// Both run the same tests in the same process, `workers` threads each.
//
// usage: code_runner_bench [--tests N] [--workers W] [--rounds R]
//
// Reported per mode: tests/s (tests / wall time of the round, median over rounds),
// median and p99 round-trip per test, and the median per-test overhead: round-trip
// minus the time the test program itself ran (as measured around its process).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "code/program_runner.h"
#include "code/python_harness.h"
#include "code/python_pool.h"
#include "code/test_runner.h"
#include "rmg/sandbox.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Round {
  double tests_per_second = 0;
  std::vector<double> round_trip_ms;
  std::vector<double> overhead_ms;
  size_t failures = 0;
  std::string first_failure;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

Round RunRound(const rmg::code::ProgramRunner& runner, const rmg::code::TestSuite& suite, size_t workers) {
  const std::string solution = "print(int(input()) * 2)";
  rmg::SandboxLimits limits;
  limits.wall_seconds = 10;
  limits.cpu_seconds = 10;
  std::vector<Round> parts(workers);
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (size_t i = w; i < suite.tests.size(); i += workers) {
        const rmg::RunRequest request = rmg::code::BuildTestRequest("/usr/bin/python3", solution, suite, i, limits, "");
        const auto t0 = Clock::now();
        const rmg::RunResult result = runner(request);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        parts[w].round_trip_ms.push_back(ms);
        parts[w].overhead_ms.push_back(ms - result.wall_seconds * 1000);
        if (result.status != rmg::RunStatus::kOk || result.stdout_data != suite.tests[i].expected) {
          if (parts[w].failures++ == 0) {
            parts[w].first_failure = std::string(rmg::RunStatusName(result.status)) + ": " + result.message +
                                     result.stderr_data.substr(0, 300);
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  Round round;
  round.tests_per_second =
      static_cast<double>(suite.tests.size()) / std::chrono::duration<double>(Clock::now() - start).count();
  for (Round& part : parts) {
    round.round_trip_ms.insert(round.round_trip_ms.end(), part.round_trip_ms.begin(), part.round_trip_ms.end());
    round.overhead_ms.insert(round.overhead_ms.end(), part.overhead_ms.begin(), part.overhead_ms.end());
    if (part.failures > 0 && round.failures == 0) round.first_failure = part.first_failure;
    round.failures += part.failures;
  }
  return round;
}

void Report(const char* name, const std::vector<Round>& rounds) {
  std::vector<double> rates, trips, overheads;
  size_t failures = 0;
  std::string first_failure;
  for (const Round& round : rounds) {
    rates.push_back(round.tests_per_second);
    trips.insert(trips.end(), round.round_trip_ms.begin(), round.round_trip_ms.end());
    overheads.insert(overheads.end(), round.overhead_ms.begin(), round.overhead_ms.end());
    if (round.failures > 0 && failures == 0) first_failure = round.first_failure;
    failures += round.failures;
  }
  std::printf("%-6s %9.1f tests/s   round trip p50 %7.2f ms  p99 %7.2f ms   overhead p50 %6.2f ms   failures %zu\n",
              name, Percentile(rates, 0.5), Percentile(trips, 0.5), Percentile(trips, 0.99),
              Percentile(overheads, 0.5), failures);
  if (failures > 0) std::printf("       first failure: %s\n", first_failure.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  size_t tests = 500, workers = 2, rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const size_t value = std::strtoul(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--tests") == 0) tests = value;
    else if (std::strcmp(argv[i], "--workers") == 0) workers = std::max<size_t>(1, value);
    else if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max<size_t>(1, value);
    else {
      std::fprintf(stderr, "usage: code_runner_bench [--tests N] [--workers W] [--rounds R]\n");
      return 2;
    }
  }
  std::printf("sandbox: %s\n", rmg::DescribeSandbox().c_str());
  rmg::code::TestSuite suite;
  suite.mode = rmg::code::TestMode::kStdio;
  for (size_t i = 0; i < tests; ++i) {
    rmg::code::TestCase test;
    test.input = std::to_string(i) + "\n";
    test.expected = std::to_string(2 * i) + "\n";
    suite.tests.push_back(test);
  }
  rmg::code::PoolOptions options;
  options.workers = workers;
  rmg::code::PythonPool pool(options);
  const rmg::code::ProgramRunner pool_runner = [&](const rmg::RunRequest& r) { return pool.Run(r); };
  const rmg::code::ProgramRunner naive_runner = rmg::code::SandboxRunner();
  RunRound(pool_runner, suite, workers);  // warm-up: starts the zygotes
  std::vector<Round> pool_rounds, naive_rounds;
  for (size_t r = 0; r < rounds; ++r) {
    pool_rounds.push_back(RunRound(pool_runner, suite, workers));
    naive_rounds.push_back(RunRound(naive_runner, suite, workers));
  }
  std::printf("%zu trivial stdin/stdout tests x %zu rounds, %zu workers\n", tests, rounds, workers);
  Report("pool", pool_rounds);
  Report("naive", naive_rounds);
  std::printf("zygote starts: %zu\n", pool.starts());
  return 0;
}
