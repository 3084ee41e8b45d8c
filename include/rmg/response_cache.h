// ResponseCache: LLM replies stored on disk (SQLite) by a hash of the request, so a
// judge asked the same question twice — in this run or a later one — pays once.
// One file may be shared by many threads (one connection, serialised) and many
// processes (WAL journal, busy timeout). The cache is an optimisation: a read or a
// write that cannot get the file within kBusyWaitMs is a miss or a dropped write,
// never an error, and reads (or writes) then leave the file alone for kBusyHoldMs, so
// another process holding it locked costs each sample nothing past that one wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "rmg/schema.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rmg {

struct CacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t writes = 0;
  uint64_t write_errors = 0;  // writes dropped, e.g. the file stayed locked past the busy timeout
};

class ResponseCache {
 public:
  static constexpr int kOpenWaitMs = 2000;  // what opening waits for a file another process locked
  static constexpr int kBusyWaitMs = 100;   // what a read or write waits for it
  static constexpr int kBusyHoldMs = 1000;  // how long the cache is skipped after such a wait failed

  // Opens (creating if needed, with parent directories) the SQLite cache at `path`.
  // Throws std::runtime_error naming the path when it cannot be opened, is not a
  // SQLite database, holds another cache schema version or stays locked by another
  // process for about kOpenWaitMs.
  static std::shared_ptr<ResponseCache> Open(const std::string& path);

  // The process-wide instance for `path` (one connection per path per process,
  // shared by every reward that names it); opened on first use, closed when the
  // last user lets go. Throws as Open.
  static std::shared_ptr<ResponseCache> Shared(const std::string& path);

  // $RMG_CACHE_DIR/llm_cache.sqlite, else $XDG_CACHE_HOME/rmg/llm_cache.sqlite,
  // else $HOME/.cache/rmg/llm_cache.sqlite.
  static std::string DefaultPath();

  // Lower-case hex SHA-256 of the canonical form of `request` (object keys sorted
  // recursively, compact dump), so equal requests share a key whatever their key
  // order. The caller passes everything that changes the reply — model, messages,
  // sampling parameters — and nothing transport-only (timeouts, API keys).
  // Throws nlohmann::json::type_error on strings that are not UTF-8.
  static std::string KeyFor(const Json& request);

  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;
  ~ResponseCache();

  // The value stored for `key`, if any. Counts a hit or a miss; a read error is a miss.
  std::optional<std::string> Get(const std::string& key);

  // Stores `value` for `key`, replacing any earlier one. Counts a write, or a write
  // error when SQLite refused it (the value is then not stored).
  void Put(const std::string& key, std::string_view value);

  // Counters of this object since it was opened.
  CacheStats stats() const;

  // The sums over every cache this process opened (for run summaries).
  static CacheStats ProcessTotals();

  const std::string& path() const { return path_; }

 private:
  explicit ResponseCache(std::string path);
  void Initialise();
  static std::chrono::steady_clock::time_point BusyHoldEnd();

  const std::string path_;
  mutable std::mutex mu_;  // guards everything below
  sqlite3* db_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  CacheStats stats_;
  // The file was busy: reads miss, or writes are dropped, until then. Apart, because in WAL
  // mode another process's write lock stops writes only.
  std::chrono::steady_clock::time_point skip_reads_until_, skip_writes_until_;
};

}  // namespace rmg
