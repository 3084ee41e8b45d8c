#include "rmg/response_cache.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "core/testing/temp_dir.h"

namespace rmg {
namespace {

class ResponseCacheTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Path(name); }

  TempTestDir dir_;
};

Json Request(const std::string& prompt, double temperature = 0.0) {
  return Json{{"model", "judge"},
              {"messages", {{{"role", "user"}, {"content", prompt}}}},
              {"temperature", temperature}};
}

TEST_F(ResponseCacheTest, RoundTripAndStats) {
  auto cache = ResponseCache::Open(Path("nested/dirs/cache.sqlite"));
  EXPECT_EQ(cache->path(), Path("nested/dirs/cache.sqlite"));
  EXPECT_EQ(cache->Get("k1"), std::nullopt);
  cache->Put("k1", "<best>1</best>");
  cache->Put("k2", "");
  cache->Put("k3", std::string("with\0nul", 8));
  EXPECT_EQ(cache->Get("k1"), "<best>1</best>");
  EXPECT_EQ(cache->Get("k2"), "");
  EXPECT_EQ(cache->Get("k3"), std::string("with\0nul", 8));
  cache->Put("k1", "replaced");
  EXPECT_EQ(cache->Get("k1"), "replaced");

  const CacheStats stats = cache->stats();
  EXPECT_EQ(stats.hits, 4u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.writes, 4u);
  EXPECT_EQ(stats.write_errors, 0u);
}

TEST_F(ResponseCacheTest, PersistsAcrossOpens) {
  const std::string path = Path("cache.sqlite");
  ResponseCache::Open(path)->Put("key", "value");
  auto reopened = ResponseCache::Open(path);
  EXPECT_EQ(reopened->Get("key"), "value");
  EXPECT_EQ(reopened->Get("other"), std::nullopt);
}

TEST_F(ResponseCacheTest, SharedIsOneInstancePerFile) {
  const std::string path = Path("shared.sqlite");
  auto first = ResponseCache::Shared(path);
  auto second = ResponseCache::Shared(dir_.path().string() + "/./shared.sqlite");
  EXPECT_EQ(first.get(), second.get());
  EXPECT_NE(first.get(), ResponseCache::Shared(Path("other.sqlite")).get());
}

TEST_F(ResponseCacheTest, KeyIgnoresObjectKeyOrder) {
  const Json a = Json::parse(R"({"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.7})");
  const Json b = Json::parse(R"({"temperature": 0.7, "messages": [{"content": "hi", "role": "user"}], "model": "m"})");
  EXPECT_EQ(ResponseCache::KeyFor(a), ResponseCache::KeyFor(b));
  EXPECT_EQ(ResponseCache::KeyFor(a).size(), 64u);
}

TEST_F(ResponseCacheTest, KeyChangesWithWhatChangesTheReply) {
  const std::string key = ResponseCache::KeyFor(Request("hi"));
  EXPECT_NE(key, ResponseCache::KeyFor(Request("hi", 0.7)));
  EXPECT_NE(key, ResponseCache::KeyFor(Request("hi!")));
  Json other_model = Request("hi");
  other_model["model"] = "judge-2";
  EXPECT_NE(key, ResponseCache::KeyFor(other_model));
  // Message order is content, not formatting.
  Json two = Request("first");
  two["messages"].push_back({{"role", "user"}, {"content", "second"}});
  Json swapped = two;
  std::swap(swapped["messages"][0], swapped["messages"][1]);
  EXPECT_NE(ResponseCache::KeyFor(two), ResponseCache::KeyFor(swapped));
}

TEST_F(ResponseCacheTest, KeyIsSha256OfTheSortedCompactDump) {
  const Json request = Json::parse(
      R"({"model": "judge", "temperature": 0.5, "max_tokens": 64,
          "messages": [{"role": "user", "content": "Which is better? é"}],
          "extra": {"z": [1, 2, {"b": true, "a": null}], "a": "x"}})");
  // Computed independently with Python:
  //   s = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
  //   hashlib.sha256(s.encode()).hexdigest()
  EXPECT_EQ(ResponseCache::KeyFor(request), "6aedc3edbc04167ef62bcbb2e3c06d8591d89e338a13edabdd71027c5d139ec9");
}

TEST_F(ResponseCacheTest, TwoProcessesWriteOneFile) {
  const std::string path = Path("concurrent.sqlite");
  std::vector<pid_t> children;
  for (int child = 0; child < 2; ++child) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Both children create the file at once too: that race is part of the test.
      int code = 0;
      try {
        auto cache = ResponseCache::Open(path);
        for (int i = 0; i < 500; ++i) {
          cache->Put("child" + std::to_string(child) + "-" + std::to_string(i), std::to_string(i));
        }
        const CacheStats stats = cache->stats();
        code = stats.writes == 500 && stats.write_errors == 0 ? 0 : 1;
      } catch (...) {
        code = 2;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: a write failed, 2: Open threw";
  }
  auto cache = ResponseCache::Open(path);
  for (int child = 0; child < 2; ++child) {
    for (int i = 0; i < 500; ++i) {
      EXPECT_EQ(cache->Get("child" + std::to_string(child) + "-" + std::to_string(i)), std::to_string(i));
    }
  }
  EXPECT_EQ(cache->stats().hits, 1000u);
}

void ExpectOpenFailsNaming(const std::string& path, const std::string& reason) {
  try {
    ResponseCache::Open(path);
    FAIL() << "Open(" << path << ") should throw";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(reason), std::string::npos) << error.what();
  }
}

// Another process holding the file's write lock (a long transaction) neither stops a cache
// from opening nor holds a write for long: the write is counted as not stored.
TEST_F(ResponseCacheTest, AWriteLockHeldElsewhereCostsAWriteNotTheRun) {
  const std::string path = Path("locked.sqlite");
  ResponseCache::Open(path)->Put("before", "1");
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO meta VALUES('held', 'x')", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  auto cache = ResponseCache::Open(path);
  EXPECT_EQ(cache->Get("before"), "1");
  cache->Put("during", "2");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(cache->stats().write_errors, 1u);
  EXPECT_LT(seconds, 5.0);  // not the 10 s of the opening's busy timeout, twice over
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  // The cache leaves a busy file alone for a while, then uses it again.
  std::this_thread::sleep_for(std::chrono::milliseconds(ResponseCache::kBusyHoldMs + 100));
  cache->Put("after", "3");
  EXPECT_EQ(cache->Get("after"), "3");
}

// Each write used to wait a second for the lock, one after the other: 200 samples of
// a batch took the whole minute another process held the file.
TEST_F(ResponseCacheTest, ALockHeldElsewhereIsWaitedForOnceNotPerWrite) {
  const std::string path = Path("held.sqlite");
  auto cache = ResponseCache::Open(path);
  cache->Put("before", "1");
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO meta VALUES('held', 'x')", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 40; ++i) cache->Put("during" + std::to_string(i), "2");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(cache->stats().write_errors, 40u);
  EXPECT_LT(seconds, 2.0);  // one wait of kBusyWaitMs, not 40
  // In WAL mode the lock stops writes only: what is stored is still read.
  EXPECT_EQ(cache->Get("before"), "1");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

// A file another process keeps locked (an exclusive lock, a crashed writer's) made
// opening wait up to 1000 retries of 10 s each.
TEST_F(ResponseCacheTest, AFileLockedExclusivelyFailsToOpenInBoundedTime) {
  const std::string path = Path("exclusive.sqlite");
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other,
                         "PRAGMA locking_mode=EXCLUSIVE; CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t "
                         "VALUES(1)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  try {
    ResponseCache::Open(path);
    ADD_FAILURE() << "opened a file locked by another connection";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": another process has kept it locked for 2 s"), std::string::npos)
        << e.what();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 20.0);  // a few kOpenWaitMs at most
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

TEST_F(ResponseCacheTest, FileThatIsNotADatabase) {
  const std::string path = Path("notes.txt");
  std::ofstream(path) << std::string(4096, 'x');
  ExpectOpenFailsNaming(path, "not a database");
}

// Runs `sql` on the database at `path` behind the cache's back.
void RunSql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST_F(ResponseCacheTest, DatabaseThatIsNotACache) {
  const std::string path = Path("other.sqlite");
  RunSql(path, "CREATE TABLE people(name TEXT)");
  ExpectOpenFailsNaming(path, "not an rmg response cache");
}

TEST_F(ResponseCacheTest, OtherSchemaVersionIsRefused) {
  const std::string path = Path("future.sqlite");
  ResponseCache::Open(path)->Put("k", "v");
  RunSql(path, "UPDATE meta SET value = '2' WHERE key = 'schema'");
  ExpectOpenFailsNaming(path, "schema version \"2\"");
}

TEST_F(ResponseCacheTest, UnwritableDirectory) {
  const std::string file = Path("a_file");
  std::ofstream(file) << "x";
  ExpectOpenFailsNaming(file + "/cache.sqlite", "cannot create its directory");
}

TEST_F(ResponseCacheTest, DefaultPathFollowsTheEnvironment) {
  struct SavedEnv {
    std::string name;
    std::optional<std::string> value;
    ~SavedEnv() { value ? setenv(name.c_str(), value->c_str(), 1) : unsetenv(name.c_str()); }
  };
  std::vector<SavedEnv> saved;
  for (const char* name : {"RMG_CACHE_DIR", "XDG_CACHE_HOME", "HOME"}) {
    const char* value = std::getenv(name);
    saved.push_back({name, value ? std::optional<std::string>(value) : std::nullopt});
  }
  setenv("RMG_CACHE_DIR", "/r", 1);
  setenv("XDG_CACHE_HOME", "/x", 1);
  setenv("HOME", "/h", 1);
  EXPECT_EQ(ResponseCache::DefaultPath(), "/r/llm_cache.sqlite");
  unsetenv("RMG_CACHE_DIR");
  EXPECT_EQ(ResponseCache::DefaultPath(), "/x/rmg/llm_cache.sqlite");
  unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(ResponseCache::DefaultPath(), "/h/.cache/rmg/llm_cache.sqlite");
}

}  // namespace
}  // namespace rmg
