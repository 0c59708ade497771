#pragma once

// The local cache (DESIGN.md §4): RocksDB in one directory with five column families —
//   ac     task key → encoded ActionRecord (an REAPI ActionResult)
//   cas    SHA-256 → blob bytes (BlobDB for large blobs, zstd-compressed)
//   atime  task key → last access (ns), for least-recently-used pruning
//   notes  task key → what the key was computed from (opaque to the store: the orchestrator
//          keeps the task's manifest and input listing there), for `hash --diff`
//   latest task label ("svc#task") → the key it last had here, for `run --explain-misses`
//
// Contracts:
// - put() writes an entry and all of its blobs in one atomic batch: an entry is visible only
//   once every blob it names is in, so a crash or kill mid-store leaves no half entry.
// - Blobs are stored under the SHA-256 of their bytes, checked on the way in and on get_blob().
// - open() waits for another process holding the database, up to `lock_timeout`, reporting
//   each wait through `on_wait`; then fails with an environment error.
// - Thread-safe: any method may be called from several threads at once.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cache/action_record.h"
#include "graph/support/error.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace ripple::cache {

struct StoreStats {
  std::uint64_t entries = 0;
  std::uint64_t blobs = 0;
  std::uint64_t blob_bytes = 0;
};

struct VerifyReport {
  std::uint64_t entries_checked = 0;
  std::uint64_t blobs_checked = 0;
  std::vector<std::string> problems;  // one line per corrupt entry or blob; empty when clean
};

class LocalStore {
 public:
  static Result<std::unique_ptr<LocalStore>> open(
      const std::string& dir, std::chrono::milliseconds lock_timeout,
      const std::function<void(const std::string&)>& on_wait = {});
  // Opens an existing cache for reading only: no lock is taken and nothing is written (not even
  // access times), so any number of readers can share it with one writer. For a run that the
  // cache answers entirely. put() then keeps the entry in memory until make_writable().
  static Result<std::unique_ptr<LocalStore>> open_read_only(const std::string& dir);

  // Whether put() kept entries in memory (read-only store; e.g. a corrupt blob made a task run).
  bool has_pending() const;
  // Reopens a read-only store for writing (waiting for the lock like open()) and stores what
  // put() kept. No-op for a writable store. Not concurrent with other calls. When the writer
  // cannot be opened, what was kept is dropped and the store is reopened read-only (if even
  // that fails, destroying it is the only safe call left).
  Status make_writable(std::chrono::milliseconds lock_timeout,
                       const std::function<void(const std::string&)>& on_wait = {});
  ~LocalStore();
  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  // The entry for `key`, or nothing. Touches its access time (to the hour: a younger one is
  // left alone) and, when `task` is given, makes `key` the task's latest; both are written
  // when the store is closed. A corrupt entry is nothing.
  Result<std::optional<ActionRecord>> get(const std::string& key, const std::string& task = {});

  // Stores `record` under `key` with `blobs` (the bytes of every output and log it names), and,
  // when `task` is given, `notes` beside it and `key` as the task's latest. Fails, storing
  // nothing, when a blob is missing or does not match its digest.
  Status put(const std::string& key, const ActionRecord& record,
             const std::vector<std::string>& blobs, const std::string& task = {},
             const std::string& notes = {});

  // The notes stored with `key`, or nothing.
  Result<std::optional<std::string>> notes(const std::string& key);
  // The key `task` last had in this cache (stored or hit), or nothing.
  Result<std::optional<std::string>> latest_key(const std::string& task);
  // Every stored key (with notes) that starts with `prefix`, at most `limit` of them.
  Result<std::vector<std::string>> keys_with_prefix(const std::string& prefix,
                                                    std::size_t limit = 2);

  // Whether a readable entry exists for `key`, without touching its access time.
  bool has(const std::string& key);
  // An entry exists for `key` (not decoded), and a get(key, task) would write nothing: its
  // access time is younger than the touch granularity and it is already the task's latest key.
  bool fresh(const std::string& key, const std::string& task);

  // The blob with this digest, verified, or nothing.
  Result<std::optional<std::string>> get_blob(const BlobDigest& digest);

  Result<StoreStats> stats();
  // Re-hashes every blob and checks every entry's blobs are present.
  Result<VerifyReport> verify();
  // Deletes the least recently used entries, then blobs no entry names, until the blobs total
  // at most `max_bytes`. Returns how many entries were removed.
  Result<std::uint64_t> prune(std::uint64_t max_bytes);
  Status clear();

  // For tests of corruption handling: writes raw bytes under an AC key, bypassing checks.
  Status put_raw_entry_for_test(const std::string& key, const std::string& bytes);

 private:
  struct Impl;
  explicit LocalStore(std::unique_ptr<Impl> impl);
  static std::unique_ptr<LocalStore> adopt(rocksdb::DB* raw,
                                           std::vector<rocksdb::ColumnFamilyHandle*> handles,
                                           bool read_only);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ripple::cache
