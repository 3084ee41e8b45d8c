// Test-only: reading the external test data in ../shared/data.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rmg::testing {

// The records of the JSONL file at `path` (relative to the shared data directory),
// blank lines skipped.
inline std::vector<nlohmann::json> ReadSharedJsonl(const std::string& path) {
  std::ifstream in(std::string(RMG_SHARED_DATA_DIR) + "/" + path);
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) records.push_back(nlohmann::json::parse(line));
  }
  return records;
}

}  // namespace rmg::testing
