#pragma once

// Work done beside a run by a few threads of its own: a remote store's uploads (http_store.h),
// so that a task's dependents never wait for its results to reach the server.
//
// Contracts: jobs run in the order added, up to `threads` at once. drain() waits for every job
// added before it, up to a deadline; jobs not started by then are dropped (and counted), and
// jobs still running are waited for: each is bounded by its own HTTP timeout. The destructor
// drains with no wait beyond the running jobs. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ripple::cache {

class UploadQueue {
 public:
  explicit UploadQueue(int threads);
  ~UploadQueue();
  UploadQueue(const UploadQueue&) = delete;
  UploadQueue& operator=(const UploadQueue&) = delete;

  void add(std::function<void()> job);
  // Waits up to `wait` for the queue to empty; returns how many jobs it dropped unstarted.
  std::size_t drain(std::chrono::milliseconds wait);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ripple::cache
