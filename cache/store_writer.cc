#include "cache/store_writer.h"

namespace ripple::cache {

StoreWriter::StoreWriter(std::string dir, std::chrono::milliseconds lock_timeout, Notify on_wait,
                         Notify on_warning, DamageLatch& damage)
    : dir_(std::move(dir)),
      lock_timeout_(lock_timeout),
      on_wait_(std::move(on_wait)),
      on_warning_(std::move(on_warning)),
      damage_(damage),
      files_(dir_) {}

StoreWriter::~StoreWriter() {
  finish();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void StoreWriter::add(std::string key, Batch entry, std::vector<BlobDigest> files) {
  {
    std::lock_guard lock(mutex_);
    if (failed_) {
      return;
    }
    queued_bytes_ += LocalDb::size_of(entry);
    queue_.push_back({std::move(key), std::move(entry), std::move(files)});
    if (!thread_.joinable()) {
      thread_ = std::thread(&StoreWriter::run, this);
    }
  }
  wake_.notify_all();
}

std::uint64_t StoreWriter::queued_bytes() {
  std::lock_guard lock(mutex_);
  return queued_bytes_;
}

void StoreWriter::fail_locked(const std::string& why, bool quiet) {
  if (failed_) {
    return;
  }
  failed_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  if (!quiet && on_warning_) {
    on_warning_(why + "; this run stores no more results in it");
  }
}

void StoreWriter::stop(const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    fail_locked(why, false);
  }
  idle_.notify_all();
}

bool StoreWriter::stopped() {
  std::lock_guard lock(mutex_);
  return failed_;
}

void StoreWriter::touch(Batch touches) {
  std::lock_guard lock(mutex_);
  for (FamilyPut& p : touches) {
    touches_.push_back(std::move(p));
  }
}

void StoreWriter::finish() {
  std::unique_lock lock(mutex_);
  ++finishing_;
  wake_.notify_all();  // a writer sleeping out the gap starts now
  idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
  --finishing_;
  if (touches_.empty()) {
    return;
  }
  Batch touches = std::move(touches_);
  touches_.clear();
  busy_ = true;  // the writer thread starts no session meanwhile
  lock.unlock();
  bool said = false;
  // Dropped when the lock is taken.
  (void)session({}, touches, std::chrono::milliseconds(0), &said);
  lock.lock();
  busy_ = false;
  last_close_ = std::chrono::steady_clock::now();
  lock.unlock();
  wake_.notify_all();
  idle_.notify_all();
}

void StoreWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return (!queue_.empty() && !busy_) || stopping_; });
    if (queue_.empty()) {
      return;  // stopping, nothing left
    }
    // Leave the lock to a process waiting for it (it retries every kLockRetryInterval); the
    // queue keeps filling meanwhile, so the next session writes more at once.
    if (auto next = last_close_ + kSessionGap;
        finishing_ == 0 && !stopping_ && std::chrono::steady_clock::now() < next) {
      wake_.wait_until(lock, next, [&] { return finishing_ > 0 || stopping_; });
      continue;
    }
    std::vector<Entry> entries = std::move(queue_);
    queue_.clear();
    queued_bytes_ = 0;
    Batch touches = std::move(touches_);
    touches_.clear();
    busy_ = true;
    lock.unlock();
    bool said = false;
    Status written = session(entries, touches, lock_timeout_, &said);
    lock.lock();
    busy_ = false;
    last_close_ = std::chrono::steady_clock::now();
    if (!written) {
      fail_locked(written.error().message, said);
    }
    idle_.notify_all();
  }
}

Status StoreWriter::session(const std::vector<Entry>& entries, const Batch& touches,
                            std::chrono::milliseconds wait, bool* said) {
  Notify on_wait;
  if (wait.count() > 0 && on_wait_) {
    on_wait = [&](const std::string& m) {
      std::lock_guard lock(mutex_);
      if (!told_wait_) {
        told_wait_ = true;
        on_wait_(m);
      }
    };
  }
  // Room first: RocksDB is never let near a full disk (local_db.h). What a session writes lands
  // twice before the first copy is freed: in the log now, in a table when the next open
  // recovers the log.
  std::uint64_t bytes = LocalDb::size_of(touches);
  for (const Entry& e : entries) {
    bytes += LocalDb::size_of(e.batch);
  }
  if (auto st = check_room(dir_, 2 * bytes); !st) {
    return st;
  }
  auto db = LocalDb::open_writable(dir_, wait, on_wait);
  if (!db && db.error().why == OpenFailure::damaged) {
    if (!damage_.report(db.error().status)) {
      *said = true;  // the latch warned: the cache is damaged and still there
      return tl::unexpected(db.error().error);
    }
    db = LocalDb::open_writable(dir_, wait, on_wait);  // a fresh cache where it was
  }
  if (!db) {
    return tl::unexpected(db.error().error);
  }
  for (const Entry& e : entries) {
    // Blob files first, checked under the lock: `cache prune` removes unnamed ones under it.
    bool complete = true;
    for (const BlobDigest& d : e.files) {
      complete = complete && files_.has(d);
    }
    if (!complete) {
      continue;  // a miss next time
    }
    if (auto st = (*db)->write(e.batch, "storing entry " + e.key); !st) {
      return st;
    }
  }
  if (!touches.empty()) {
    (void)(*db)->write(touches, "recording access times");  // best effort
  }
  return {};  // closing the instance releases the lock
}

}  // namespace ripple::cache
