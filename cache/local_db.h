#pragma once

// One RocksDB instance of the local cache (local_store.h) with its column families, opened
// writable under RocksDB's lock or read-only without it. Internal to cache/: LocalStore and
// StoreWriter use it; nothing else does.
//
// RocksDB never writes an info LOG here: ripple reports what matters through its own errors, and
// RocksDB 7.8 (built with assertions, as Debian's is) aborts the process on the next line it logs
// after a write to LOG failed, which a full disk makes certain.
//
// RocksDB's lock is its LOCK file, taken with fcntl by a writable open and released when the
// instance closes (or its process dies). A read-only instance takes no lock and never writes, but
// RocksDB calls one beside a live writer "undefined behavior" for the reader: it sees the cache as
// it was when it opened, and a writer may delete files it has not opened yet. What that costs
// here, and how it is kept harmless, is said at open_read_only().

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cache/cache_lock.h"
#include "graph/support/error.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace ripple::cache {

// How long a writable open waits before trying again while another instance holds the lock.
inline constexpr std::chrono::milliseconds kLockRetryInterval{200};

enum class Family { ac, cas, atime, notes, latest };

// One value to write into a family. A Batch is written as one atomic RocksDB WriteBatch.
struct FamilyPut {
  Family family;
  std::string key;
  std::string value;
};
using Batch = std::vector<FamilyPut>;

using Notify = std::function<void(const std::string&)>;

class LocalDb;

// Why an open failed, for callers that act on it: `damaged` is RocksDB reporting corruption
// (a table, blob, manifest or CURRENT file that fails its checksum or is missing), `locked` is
// the lock held past the wait; the error's message says which and how to get out.
enum class OpenFailure { other, locked, damaged };
struct OpenError {
  OpenFailure why = OpenFailure::other;
  Error error;
  std::string status;  // RocksDB's own words, for a message of the caller's
};
using Opened = tl::expected<std::unique_ptr<LocalDb>, OpenError>;

class LocalDb {
 public:
  // Writable, creating the cache and any missing column family, under the cache's lock
  // (cache_lock.h), held while the instance lives. While another instance (in this process or
  // another) holds it, tries again every kLockRetryInterval up to `lock_timeout` (0: once),
  // calling `on_wait` before the first wait; then an environment error that says how to get out.
  static Opened open_writable(const std::string& dir, std::chrono::milliseconds lock_timeout,
                              const Notify& on_wait = {});
  // Read-only, without the lock. Null when there is no cache at `dir`, or one that lacks a column
  // family (made by an older ripple): a writable open creates what is missing.
  //
  // Beside a writer: every table file is opened here, at open (max_open_files = -1), so a writer
  // deleting one later (compaction) does not hurt this reader; a writer deleting a file between
  // this open reading the manifest and opening it is a failed open, tried again a few times.
  // A writer's open is the quiet danger: its recovery moves the newest log's entries into a table
  // and deletes the log, so an open that read the manifest from before it and lists the logs
  // after it would see neither, missing entries stored before it began, without any error. So
  // the open is tried again (a few times) when the cache's logs and manifests are not the same
  // after it as before (a writable open always makes a new one of each); the last try is kept
  // whatever happened, its cost at worst a few misses.
  // Blob files are opened on first read: one a writer has deleted since (only when every blob in
  // it was overwritten or deleted) is a failed read, which the store turns into a miss.
  //
  // Damage is not confirmed here: a reader racing a writer's deletions sees missing files as
  // RocksDB's "Corruption" too. A caller that acts on `damaged` confirms it with a writable open,
  // which holds the lock while it reads.
  static Opened open_read_only(const std::string& dir);

  ~LocalDb();
  LocalDb(const LocalDb&) = delete;
  LocalDb& operator=(const LocalDb&) = delete;

  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* family(Family f) const {
    return families_[static_cast<std::size_t>(f)];
  }
  bool read_only() const { return read_only_; }

  // Writes `batch` atomically; `what` names it in the error ("storing entry <key>").
  Status write(const Batch& batch, const std::string& what);

  // The bytes `batch` writes (keys and values), for checking the disk has room first.
  static std::uint64_t size_of(const Batch& batch);

 private:
  LocalDb(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles, bool read_only,
          std::unique_ptr<CacheLock> lock = nullptr);

  std::unique_ptr<CacheLock> lock_;  // a writable instance's; released after db_ closes
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;  // by Family
  bool read_only_;
};

}  // namespace ripple::cache
