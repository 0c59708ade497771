#pragma once

// The local cache's directory as files, without opening RocksDB: what a cache needs when RocksDB
// cannot open it (damaged) or cannot write to it (a full disk). Internal to cache/ but for
// clear_cache_dir(), which `ripple cache clear` calls.
//
// The lock is the one every writable open takes (cache_lock.h, flock on <dir>/ripple.lock), so
// clearing or setting aside never races a writer of this or another process, and waits as a
// writable open does: every kLockRetryInterval up to `lock_timeout`, `on_wait` once.
//
// A cache's own files are RocksDB's (CURRENT, IDENTITY, LOCK, LOG*, MANIFEST-*, OPTIONS-*,
// <number>.sst|.log|.blob|.ldb|.dbtmp), ripple.lock, blobs/ (blob_files.h) and damaged-*/
// (below). Anything
// else in the directory is never touched: cache.dir may name a directory that holds more.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "graph/support/error.h"

namespace ripple::cache {

using Notify = std::function<void(const std::string&)>;

// Space kept free on the cache's filesystem: storing that would leave less is refused up front
// (RocksDB 7.8 handles a full disk badly: see local_db.cc), so a full disk is one warning.
inline constexpr std::uint64_t kDiskHeadroom = std::uint64_t{32} << 20;

// Bytes free for an unprivileged writer on the filesystem holding `dir` (or that would hold it:
// its nearest existing parent's); nothing when unknown.
std::optional<std::uint64_t> free_bytes(const std::string& dir);

// An environment error when writing `bytes` more into the cache at `dir` would leave less than
// kDiskHeadroom free (nothing said when the free space cannot be read).
Status check_room(const std::string& dir, std::uint64_t bytes);

// Whether `name` (one directory entry) is one of a cache's own files (above).
bool is_cache_file(const std::string& name);

// Removes every file of the cache at `dir` but its LOCK, under the lock, never opening RocksDB:
// works on a damaged cache. Returns how many other entries it left in `dir` (not the cache's).
// Nothing to do when `dir` does not exist.
Result<std::size_t> clear_cache_dir(const std::string& dir, std::chrono::milliseconds lock_timeout,
                                    const Notify& on_wait = {});

// Moves RocksDB's files of a damaged cache at `dir` into a new <dir>/damaged-<UTC time>/ under
// the lock, CURRENT first (an opener meanwhile sees no cache, never half of one); blobs/ stays,
// its files being checked by their SHA-256 whenever read. Inside the directory, not beside it:
// the same filesystem (a rename, never a copy, and it works when cache.dir is a mount point),
// never an input of the workspace, and `ripple cache clear` removes it. Returns the new path.
Result<std::string> set_aside(const std::string& dir, std::chrono::milliseconds lock_timeout);

// The warning for a damaged cache at `dir`: `what` was found, and `aside` is where it went, or
// why it could not be set aside.
std::string damage_warning(const std::string& dir, const std::string& what,
                           const Result<std::string>& aside);

// A run's answer to a damaged cache, shared by its lookups and its writer: the first report sets
// the cache aside and warns once through `on_warning`; later reports only return what the first
// did. Thread-safe.
class DamageLatch {
 public:
  DamageLatch(std::string dir, std::chrono::milliseconds lock_timeout, Notify on_warning);
  // `what` says what was found damaged. Returns whether the cache was set aside, so that a
  // fresh one may be made at the directory.
  bool report(const std::string& what);
  bool reported();

 private:
  const std::string dir_;
  const std::chrono::milliseconds lock_timeout_;
  const Notify on_warning_;
  std::mutex mutex_;
  std::optional<bool> set_aside_;  // set by the first report
};

}  // namespace ripple::cache
