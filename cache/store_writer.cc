#include "cache/store_writer.h"

namespace ripple::cache {

StoreWriter::StoreWriter(std::string dir, std::chrono::milliseconds lock_timeout, Notify on_wait,
                         Notify on_warning)
    : dir_(std::move(dir)),
      lock_timeout_(lock_timeout),
      on_wait_(std::move(on_wait)),
      on_warning_(std::move(on_warning)) {}

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

void StoreWriter::add(std::string key, Batch entry) {
  {
    std::lock_guard lock(mutex_);
    if (failed_) {
      return;
    }
    queue_.push_back({std::move(key), std::move(entry)});
    if (!thread_.joinable()) {
      thread_ = std::thread(&StoreWriter::run, this);
    }
  }
  wake_.notify_all();
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
  (void)session({}, touches, std::chrono::milliseconds(0));  // dropped when the lock is taken
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
    Batch touches = std::move(touches_);
    touches_.clear();
    busy_ = true;
    lock.unlock();
    Status written = session(entries, touches, lock_timeout_);
    lock.lock();
    busy_ = false;
    last_close_ = std::chrono::steady_clock::now();
    if (!written && !failed_) {
      failed_ = true;
      queue_.clear();
      if (on_warning_) {
        on_warning_(written.error().message + "; this run stores no more results in it");
      }
    }
    idle_.notify_all();
  }
}

Status StoreWriter::session(const std::vector<Entry>& entries, const Batch& touches,
                            std::chrono::milliseconds wait) {
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
  auto db = LocalDb::open_writable(dir_, wait, on_wait);
  if (!db) {
    return tl::unexpected(db.error());
  }
  for (const Entry& e : entries) {
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
