// Test-only helpers for the sandbox's tests.
#pragma once

#include <dirent.h>

#include <fstream>
#include <sstream>
#include <string>

namespace rmg::sandbox_testing {

// Processes whose command line contains `marker` (ignoring the ones exiting right now);
// -1 when /proc cannot be read.
inline int CountProcesses(const std::string& marker) {
  int count = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return -1;
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/cmdline", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(marker) != std::string::npos) ++count;
  }
  closedir(proc);
  return count;
}

}  // namespace rmg::sandbox_testing
