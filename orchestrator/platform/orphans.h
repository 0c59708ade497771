#pragma once

// Processes a task leaves behind outside its own process group (a `setsid` daemon, which a
// process-group kill cannot reach). While an OrphanCatcher lives, this process is a child
// subreaper (prctl PR_SET_CHILD_SUBREAPER): orphaned descendants are reparented to it instead of
// to init, so that when the run's tasks have all ended, whatever is still its child is such a
// leftover, and stop_all() stops it.
//
// Only while no task runs and nothing else of ours is meant to outlive the run: stop_all() stops
// every child this process has. Not thread-safe; one per process.

#include <chrono>
#include <cstddef>

namespace ripple {

class OrphanCatcher {
 public:
  OrphanCatcher();
  ~OrphanCatcher();
  OrphanCatcher(const OrphanCatcher&) = delete;
  OrphanCatcher& operator=(const OrphanCatcher&) = delete;

  // SIGTERM to every child of this process, SIGKILL after `grace` to those still there, each
  // reaped. Returns how many there were.
  std::size_t stop_all(std::chrono::milliseconds grace);

 private:
  bool enabled_ = false;
};

}  // namespace ripple
