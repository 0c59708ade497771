#pragma once

// Who may write a local cache: an exclusive flock(2) on `<dir>/ripple.lock`, a file of ripple's
// own, taken before RocksDB is opened for writing and before the cache's files are moved or
// removed (clear, set aside), and held until then. Waiting for another ripple is waiting for
// this lock, never reading RocksDB's error text. The kernel releases it when the holder's
// process ends, however it ends. Readers (read-only RocksDB opens) take no lock.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "graph/support/error.h"

namespace ripple::cache {

class CacheLock {
 public:
  // The lock of the cache at `dir` (created when missing, with ripple.lock). While another holder
  // has it, tries again every kLockRetryInterval (local_db.h) up to `timeout` (0: once), calling
  // `on_wait` once before the first wait. An environment error when the file cannot be made or
  // opened (a read-only cache directory: "Permission denied"), or when the wait runs out: then
  // the message says another ripple is using the cache and the ways out.
  // `busy` (may be null) is set to whether the failure was the wait running out.
  static Result<std::unique_ptr<CacheLock>> take(
      const std::string& dir, std::chrono::milliseconds timeout,
      const std::function<void(const std::string&)>& on_wait = {}, bool* busy = nullptr);

  ~CacheLock();  // releases the lock
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;

  static constexpr const char* kFileName = "ripple.lock";

 private:
  explicit CacheLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ripple::cache
