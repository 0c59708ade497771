#include "cache/upload_queue.h"

#include <algorithm>

namespace ripple::cache {

UploadQueue::UploadQueue(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

UploadQueue::~UploadQueue() {
  drain(std::chrono::milliseconds(0));
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) {
    t.join();
  }
}

void UploadQueue::add(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

std::size_t UploadQueue::drain(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  idle_.wait_for(lock, wait, [this] { return jobs_.empty() && running_ == 0; });
  const std::size_t dropped = jobs_.size();
  jobs_.clear();
  idle_.wait(lock, [this] { return running_ == 0; });
  return dropped;
}

void UploadQueue::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) {
      return;  // stopping
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++running_;
    lock.unlock();
    job();
    lock.lock();
    --running_;
    if (jobs_.empty() && running_ == 0) {
      idle_.notify_all();
    }
  }
}

}  // namespace ripple::cache
