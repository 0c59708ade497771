#pragma once

// A small stat-keyed cache in one flat file, read with one read() and replaced atomically: for
// a few thousand values derived from files (parsed configs), where opening a database would cost
// more than the lookups. A value is handed back only when the file's stat data (size, mtime,
// ctime, inode, mode) is what it was when the value was made, and the file was not racily clean
// then (the stat cache's rule: mtime and ctime older than the read by more than kRacyWindowNs).
//
// The file starts with a magic, the container format and the caller's payload version, and ends
// with an xxh3-128 of everything before it: a file of another version, truncated or damaged is
// ignored as a whole, never partly trusted. Failing to read or write it is never an error to the
// command: the cache is simply empty, or not saved.
//
// Thread-safe: lookup() and remember() may be called from many threads; load() and save() not
// concurrently with anything else.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cache/stat_cache.h"

namespace ripple {

class StatSnapshot {
 public:
  // Reads `path` if it is a snapshot of `payload_version`; otherwise the snapshot starts empty.
  StatSnapshot(std::string path, std::uint32_t payload_version);

  // The value stored for `key` when `stat` matches and the entry was not racy. The view stays
  // valid as long as this object.
  std::optional<std::string_view> lookup(std::string_view key, const cache::FileStat& stat) const;

  // Whether there is an entry for `key` at all, whatever its stat data.
  bool contains(std::string_view key) const { return entries_.count(key) > 0; }

  // Stores `value` for `key`, made from the file's content read at `read_at_ns` (wall clock,
  // taken before the read) with `stat` taken before that; nothing unless cache::settled() (a
  // fresh checkout's files are all too new).
  void remember(std::string_view key, const cache::FileStat& stat, std::int64_t read_at_ns,
                std::string value);

  // Writes the entries looked up or remembered in this run (others are dropped), when they differ
  // from what was read; to a temporary file renamed over `path`. Creates the directory. An
  // environment error when it cannot be written.
  Status save() const;

  std::size_t loaded_entries() const { return entries_.size(); }

 private:
  struct Entry {
    cache::FileStat stat;
    std::int64_t read_at = 0;
    std::string_view value;  // into buffer_
    std::size_t index = 0;   // into used_
  };
  struct Fresh {
    std::string key;
    cache::FileStat stat;
    std::int64_t read_at = 0;
    std::string value;
  };

  std::string path_;
  std::uint32_t payload_version_;
  std::string buffer_;
  std::unordered_map<std::string_view, Entry> entries_;
  std::unique_ptr<std::atomic<bool>[]> used_;
  mutable std::mutex mutex_;
  std::vector<Fresh> fresh_;
};

// The stat data of `rel` (relative to the open directory `dir_fd`, or to the current directory
// with AT_FDCWD; symlinks followed) in the stat cache's terms; nothing when it cannot be stat'ed.
// Relative to a directory, the kernel resolves only `rel`'s own components.
std::optional<cache::FileStat> stat_path_at(int dir_fd, const std::string& rel);

}  // namespace ripple
