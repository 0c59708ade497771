#pragma once

// The writing half of a run's store (LocalStore::open_for_run): entries handed to it are written
// by a thread of its own in write sessions. A session opens the cache writable (waiting for the
// lock), writes every entry queued by then, each as one atomic batch, writes the access times
// and latest keys touched by then, and closes the cache, releasing the lock. So the lock is held
// while writing, not while tasks run, and runs of several processes interleave their sessions.
// A session costs a writable open (~30 ms: a new manifest and log, synced), hence one session
// for whatever queued meanwhile rather than one per entry.
//
// No starvation: sessions start at least kSessionGap apart, longer than a waiting process's retry
// interval, so a process waiting for the lock gets it between two sessions of this one. Except
// while finish() waits: the last session starts at once (a waiting process waits one session
// more, not forever), so the end of a run is not delayed by the gap.
//
// Failure: a session that cannot open the cache within `lock_timeout`, fails to write, or would
// leave the disk fuller than kDiskHeadroom allows (checked before opening: RocksDB is never let
// near a full disk), calls `on_warning` once; what it held and everything added later is dropped
// (a miss next time), and the writer tries no more. stop() does the same for trouble found
// outside (a blob file that could not be written). A cache that a session finds damaged is
// handed to the run's DamageLatch (cache_dir.h): set aside, the session opens a fresh one once.
// An entry whose blob files are gone by its session (`cache prune` took them) is dropped.
// Nothing else is reported; the run goes on.
//
// Thread-safe: add(), touch() and finish() may be called from any thread. `on_wait` and
// `on_warning` are called from the writer's thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cache/blob_files.h"
#include "cache/cache_dir.h"
#include "cache/local_db.h"

namespace ripple::cache {

inline constexpr std::chrono::milliseconds kSessionGap = kLockRetryInterval * 3 / 2;

class StoreWriter {
 public:
  // `damage` must outlive the writer.
  StoreWriter(std::string dir, std::chrono::milliseconds lock_timeout, Notify on_wait,
              Notify on_warning, DamageLatch& damage);
  // finish(), then stops the thread.
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Queues an entry (written as one batch; `key` names it in messages; `files` the blob files
  // it names) and wakes the writer. Dropped once the writer has stopped.
  void add(std::string key, Batch entry, std::vector<BlobDigest> files = {});
  // The bytes of the entries queued and not yet written.
  std::uint64_t queued_bytes();
  // Stops storing as a failed session does: `why` is warned about, once (unless the writer has
  // stopped already), and queued entries are dropped.
  void stop(const std::string& why);
  bool stopped();
  // Access times and latest keys of hits: written with the next session, never starting one.
  void touch(Batch touches);
  // Returns once every entry added before it is written or dropped. Touches still waiting are
  // then written only if the lock is free at once, else dropped: they only steer pruning and
  // `run --explain-misses`, not worth a wait. The writer stays usable afterwards.
  void finish();

 private:
  struct Entry {
    std::string key;
    Batch batch;
    std::vector<BlobDigest> files;
  };
  void run();
  // `said` is set when the failure was warned about already (a damaged cache's latch).
  Status session(const std::vector<Entry>& entries, const Batch& touches,
                 std::chrono::milliseconds wait, bool* said);
  // Under mutex_: the first failure warns (unless `quiet`: already said) and drops the queue.
  void fail_locked(const std::string& why, bool quiet);

  const std::string dir_;
  const std::chrono::milliseconds lock_timeout_;
  const Notify on_wait_;
  const Notify on_warning_;
  DamageLatch& damage_;
  const BlobFiles files_;

  std::mutex mutex_;
  std::condition_variable wake_;  // to the writer: entries queued, or stopping
  std::condition_variable idle_;  // from the writer: a session ended
  std::vector<Entry> queue_;
  std::uint64_t queued_bytes_ = 0;
  Batch touches_;
  bool busy_ = false;      // a session is open (the writer's, or finish()'s for touches)
  int finishing_ = 0;      // how many finish() calls wait for the queue
  bool failed_ = false;    // a session failed: add() drops entries
  bool stopping_ = false;  // the destructor runs: the writer ends when the queue is empty
  bool told_wait_ = false;
  std::chrono::steady_clock::time_point last_close_{};
  std::thread thread_;  // started by the first add()
};

}  // namespace ripple::cache
