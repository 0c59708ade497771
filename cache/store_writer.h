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
// Failure: a session that cannot open the cache within `lock_timeout` (or fails to write) calls
// `on_warning` once; what it held and everything added later is dropped (a miss next time), and
// the writer tries no more. Nothing else is reported; the run goes on.
//
// Thread-safe: add(), touch() and finish() may be called from any thread. `on_wait` and
// `on_warning` are called from the writer's thread.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cache/local_db.h"

namespace ripple::cache {

inline constexpr std::chrono::milliseconds kSessionGap = kLockRetryInterval * 3 / 2;

class StoreWriter {
 public:
  StoreWriter(std::string dir, std::chrono::milliseconds lock_timeout, Notify on_wait,
              Notify on_warning);
  // finish(), then stops the thread.
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Queues an entry (written as one batch; `key` names it in messages) and wakes the writer.
  void add(std::string key, Batch entry);
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
  };
  void run();
  Status session(const std::vector<Entry>& entries, const Batch& touches,
                 std::chrono::milliseconds wait);

  const std::string dir_;
  const std::chrono::milliseconds lock_timeout_;
  const Notify on_wait_;
  const Notify on_warning_;

  std::mutex mutex_;
  std::condition_variable wake_;  // to the writer: entries queued, or stopping
  std::condition_variable idle_;  // from the writer: a session ended
  std::vector<Entry> queue_;
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
