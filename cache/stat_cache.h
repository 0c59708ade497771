#pragma once

// Memoised content ids of files, keyed by path and stat data, in RocksDB (DESIGN.md §4): a file
// whose size, mtime, ctime, inode and mode are unchanged since it was hashed keeps its id
// without being read again.
//
// The racy-timestamp guard (file_stat.h, settled()): an entry is trusted only if the file's mtime
// is older than the moment its content was read by more than kRacyWindow, since a write landing
// within the filesystem's timestamp granularity after the read would leave the stat data unchanged.
//
// Thread-safe: lookups and remember() may be called from many threads; flush() writes what was
// remembered in one atomic batch. Only one process can hold the database: open() fails with an
// environment error when another one does, and callers go on without a stat cache.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cache/file_stat.h"
#include "graph/support/error.h"

namespace ripple::cache {

class StatCache {
 public:
  // Opens (creating) the database in directory `dir`.
  static Result<std::unique_ptr<StatCache>> open(const std::string& dir);
  // The same, opened only when first needed (a clean checkout may never need it), and then
  // read-only for lookups (no lock, nothing written); flush() opens it for writing when there
  // is something to write, and returns the error when that fails. flush() must then not run
  // concurrently with lookup().
  static std::unique_ptr<StatCache> open_when_needed(const std::string& dir);
  ~StatCache();
  StatCache(const StatCache&) = delete;
  StatCache& operator=(const StatCache&) = delete;

  // The id remembered for `key` when `stat` matches and the entry is not racy; else nothing.
  std::optional<std::string> lookup(std::string_view key, const FileStat& stat) const;

  // Remembers `id` for `key`, whose content was read at `read_at_ns` (wall clock, taken before
  // the read). Buffered until flush().
  void remember(std::string_view key, const FileStat& stat, std::int64_t read_at_ns,
                std::string_view id);

  // Writes everything remembered so far. Failure is an environment error; the cache stays
  // consistent (the batch is all or nothing).
  Status flush();

 private:
  struct Impl;
  explicit StatCache(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ripple::cache
