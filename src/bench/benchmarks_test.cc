// benchmarks.cc: the table `rmg bench` dispatches on.
#include "bench/benchmarks.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "bench/converters.h"

namespace rmg::bench {
namespace {

TEST(BenchmarksTest, EveryBenchmarkOfRmGalleryIsThereSortedByName) {
  std::vector<std::string> names;
  for (const Benchmark& benchmark : Benchmarks()) names.push_back(benchmark.name);
  EXPECT_EQ(names, (std::vector<std::string>{"conflict", "judgebench", "majority", "rewardbench", "rewardbench2", "rmb",
                                             "rmbench"}));
}

TEST(BenchmarksTest, FindReturnsTheEntryOrNull) {
  const Benchmark* rmbench = FindBenchmark("rmbench");
  ASSERT_NE(rmbench, nullptr);
  EXPECT_EQ(rmbench->name, "rmbench");
  EXPECT_EQ(FindBenchmark("RMBench"), nullptr);  // names are exact
  EXPECT_EQ(FindBenchmark(""), nullptr);
  EXPECT_EQ(FindBenchmark("rmbench2"), nullptr);
}

TEST(BenchmarksTest, EachEntryIsComplete) {
  for (const Benchmark& benchmark : Benchmarks()) {
    EXPECT_FALSE(benchmark.description.empty()) << benchmark.name;
    EXPECT_TRUE(static_cast<bool>(benchmark.evaluate)) << benchmark.name;
    // The suggested converter exists (or there is none to suggest).
    if (benchmark.published_format != "none") {
      EXPECT_NE(ConverterFor(benchmark.published_format), nullptr) << benchmark.name;
    }
  }
  // Only conflict detection rewrites the samples (one per pair of outputs) before scoring.
  for (const Benchmark& benchmark : Benchmarks()) {
    EXPECT_EQ(static_cast<bool>(benchmark.expand), benchmark.name == "conflict") << benchmark.name;
  }
}

TEST(BenchmarksTest, ASampleThatDoesNotFitIsNamed) {
  // RM-Bench needs its 3 x 3 layout; an empty sample names itself in the error.
  DataSample sample;
  sample.unique_id = "lonely";
  const Benchmark* rmbench = FindBenchmark("rmbench");
  ASSERT_NE(rmbench, nullptr);
  try {
    rmbench->evaluate({sample}, BenchmarkScores{});
    FAIL() << "an empty sample was accepted by rmbench";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("lonely"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rmg::bench
