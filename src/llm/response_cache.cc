#include "rmg/response_cache.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

namespace rmg {
namespace {

// The process-wide sums behind ResponseCache::ProcessTotals().
struct ProcessCacheCounters {
  std::atomic<uint64_t> hits{0}, misses{0}, writes{0}, write_errors{0};
};
ProcessCacheCounters& ProcessCounters() {
  static ProcessCacheCounters counters;
  return counters;
}

// Bumped whenever the tables change, or the key derivation changes so that an old key
// could name another request: an old file is then refused instead of answering with
// replies to differently keyed requests. Keys that only gained a field (the endpoint)
// cannot collide with old ones, whose entries just stop matching.
constexpr const char* kSchemaVersion = "1";

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

ResponseCache::ResponseCache(std::string path) : path_(std::move(path)) {}

ResponseCache::~ResponseCache() {
  sqlite3_finalize(get_);
  sqlite3_finalize(put_);
  sqlite3_close_v2(db_);
}

std::shared_ptr<ResponseCache> ResponseCache::Open(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) throw std::runtime_error("response cache " + path + ": cannot create its directory: " + error.message());
  std::shared_ptr<ResponseCache> cache(new ResponseCache(path));
  cache->Initialise();
  return cache;
}

void ResponseCache::Initialise() {
  auto fail = [&](const std::string& what) {
    throw std::runtime_error("response cache " + path_ + ": " + what +
                             (db_ != nullptr ? std::string(": ") + sqlite3_errmsg(db_) : ""));
  };
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(std::string("cannot run ") + sql);
  };
  // The first column of the first row of `sql`, "" when there is none.
  auto query = [&](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) fail(std::string("cannot run ") + sql);
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      if (text != nullptr) value = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(statement);
    return value;
  };

  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    fail("cannot open");
  }
  // Other processes may hold the file briefly; wait for them rather than fail, but not
  // for one that keeps it locked (each statement below waits at most this long).
  sqlite3_busy_timeout(db_, kOpenWaitMs);
  // WAL lets readers proceed while one process writes; NORMAL skips the fsync per
  // commit, which risks only the last replies on power loss — they can be asked again.
  // Switching a new file to WAL takes a lock SQLite does not wait for: when another
  // process opens the same new file at that moment it answers SQLITE_BUSY at once.
  // So retry, for as long as the busy timeout would have waited (a lock held for good
  // makes each attempt wait that long too).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kOpenWaitMs);
  for (;;) {
    const int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) break;
    if (rc == SQLITE_BUSY && std::chrono::steady_clock::now() >= give_up) {
      fail("another process has kept it locked for " + std::to_string(kOpenWaitMs / 1000) + " s");
    }
    if (rc != SQLITE_BUSY) fail("cannot switch to WAL");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  exec("PRAGMA synchronous=NORMAL");

  // IMMEDIATE: two processes creating the same new file must not both see it empty. A file
  // that already is a cache needs no write lock (another process may hold one for long).
  const bool made = query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") != "0";
  exec(made ? "BEGIN" : "BEGIN IMMEDIATE");
  try {
    const bool empty = query("SELECT count(*) FROM sqlite_master") == "0";
    if (empty) {
      exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
      exec("CREATE TABLE responses(key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL)"
           " WITHOUT ROWID");
      exec((std::string("INSERT INTO meta VALUES('schema', '") + kSchemaVersion + "')").c_str());
    } else if (query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") == "0") {
      throw std::runtime_error("response cache " + path_ + ": a SQLite database, but not an rmg response cache");
    }
    const std::string schema = query("SELECT value FROM meta WHERE key = 'schema'");
    if (schema != kSchemaVersion) {
      throw std::runtime_error("response cache " + path_ + ": has schema version \"" + schema + "\", this rmg uses " +
                               kSchemaVersion + " (delete the file to start a new cache)");
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }

  // From now on the file is worth little waiting for: a write is made on the thread that
  // completes the judge's requests and a read before a request is sent, and each is
  // serialised on this connection, so one wait per sample would add up over a batch.
  sqlite3_busy_timeout(db_, kBusyWaitMs);
  if (sqlite3_prepare_v3(db_, "SELECT value FROM responses WHERE key = ?1", -1, SQLITE_PREPARE_PERSISTENT, &get_,
                         nullptr) != SQLITE_OK ||
      sqlite3_prepare_v3(db_, "INSERT OR REPLACE INTO responses(key, value, created_at) VALUES(?1, ?2, ?3)", -1,
                         SQLITE_PREPARE_PERSISTENT, &put_, nullptr) != SQLITE_OK) {
    fail("cannot prepare its statements");
  }
}

CacheStats ResponseCache::ProcessTotals() {
  const ProcessCacheCounters& c = ProcessCounters();
  CacheStats totals;
  totals.hits = c.hits.load();
  totals.misses = c.misses.load();
  totals.writes = c.writes.load();
  totals.write_errors = c.write_errors.load();
  return totals;
}

std::shared_ptr<ResponseCache> ResponseCache::Shared(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<ResponseCache>> open;
  // "cache.sqlite" and "./cache.sqlite" are one file and so one connection.
  const std::string name = std::filesystem::absolute(path).lexically_normal().string();
  std::lock_guard<std::mutex> lock(mu);
  std::shared_ptr<ResponseCache> cache = open[name].lock();
  if (cache == nullptr) {
    cache = Open(path);
    open[name] = cache;
  }
  return cache;
}

std::string ResponseCache::DefaultPath() {
  if (const std::string dir = Env("RMG_CACHE_DIR"); !dir.empty()) return dir + "/llm_cache.sqlite";
  if (const std::string dir = Env("XDG_CACHE_HOME"); !dir.empty()) return dir + "/rmg/llm_cache.sqlite";
  return Env("HOME") + "/.cache/rmg/llm_cache.sqlite";
}

std::string ResponseCache::KeyFor(const Json& request) {
  // nlohmann::json keeps object keys in a std::map, so converting sorts them at
  // every depth; dump() is compact, which makes the text canonical.
  const std::string canonical = nlohmann::json(request).dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * length, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

std::optional<std::string> ResponseCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::string> value;
  if (std::chrono::steady_clock::now() >= skip_reads_until_) {
    sqlite3_bind_text(get_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(get_);
    if (rc == SQLITE_ROW) {
      const auto* text = static_cast<const char*>(sqlite3_column_blob(get_, 0));
      value.emplace(text == nullptr ? "" : std::string(text, static_cast<size_t>(sqlite3_column_bytes(get_, 0))));
    }
    sqlite3_reset(get_);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) skip_reads_until_ = BusyHoldEnd();
  }
  ++(value ? stats_.hits : stats_.misses);
  ++(value ? ProcessCounters().hits : ProcessCounters().misses);
  return value;
}

void ResponseCache::Put(const std::string& key, std::string_view value) {
  std::lock_guard<std::mutex> lock(mu_);
  bool stored = false;
  if (std::chrono::steady_clock::now() >= skip_writes_until_) {
    sqlite3_bind_text(put_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    // An empty view may have no data pointer, which SQLite would store as NULL.
    sqlite3_bind_text(put_, 2, value.empty() ? "" : value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    sqlite3_bind_int64(put_, 3, static_cast<sqlite3_int64>(std::time(nullptr)));
    const int rc = sqlite3_step(put_);
    stored = rc == SQLITE_DONE;
    sqlite3_reset(put_);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) skip_writes_until_ = BusyHoldEnd();
  }
  ++(stored ? stats_.writes : stats_.write_errors);
  ++(stored ? ProcessCounters().writes : ProcessCounters().write_errors);
}

std::chrono::steady_clock::time_point ResponseCache::BusyHoldEnd() {
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyHoldMs);
}

CacheStats ResponseCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace rmg
