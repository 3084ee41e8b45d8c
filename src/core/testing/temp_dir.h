// TempTestDir: a fresh directory for one test, removed with everything in it when the
// object goes away. Test-only (header-only, not part of librmg).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace rmg {

class TempTestDir {
 public:
  // Creates <tmp>/rmg_<suite>_<test>_<pid>, emptied first: named after the running
  // test so that a failed run's leftovers say where they came from, and by pid so that
  // two test processes (ctest -j) never share one.
  TempTestDir() {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "rmg";
    if (test != nullptr) name += std::string("_") + test->test_suite_name() + "_" + test->name();
    for (char& c : name) {
      if (c == '/') c = '_';  // parameterised tests are named "Suite/Test/0"
    }
    path_ = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()));
    std::error_code error;
    std::filesystem::remove_all(path_, error);
    std::filesystem::create_directories(path_, error);
    EXPECT_FALSE(error) << path_ << ": " << error.message();
  }
  ~TempTestDir() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  TempTestDir(const TempTestDir&) = delete;
  TempTestDir& operator=(const TempTestDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The path of `name` (may contain '/') inside the directory.
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

  // Writes `content` to `name`, creating its parent directories; returns its path.
  std::string Write(const std::string& name, std::string_view content) const {
    const std::filesystem::path file = path_ / name;
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    std::ofstream(file, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rmg
