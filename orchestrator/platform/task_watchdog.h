#pragma once

// Stops a run's tasks when ripple itself dies without a chance to (kill -9, an OOM kill): a small
// watchdog process, forked once when the first task starts (a run the cache answers forks
// nothing; a fork costs about 10 ms), holds the read end of a pipe; ripple tells it the process
// group of each task it starts and ends. When the pipe reaches end of file — ripple exited, however
// — the watchdog sends SIGTERM to every group still listed, then SIGKILL after a grace period, and
// exits. When ripple stops it normally, no group is listed any more and it just exits.
//
// The write end is close-on-exec, so no task holds it open; the watchdog closes every descriptor
// the fork copied but its own (another task's pipe, the cache's lock, ripple's stdout). Messages
// are 4-byte writes, atomic on a pipe: watch() and unwatch() are safe from any thread. The
// watchdog, a fork of a threaded process, only makes system calls (read, kill, nanosleep, _exit),
// into memory set aside before the fork; it follows at most kMaxGroups groups at once (more are not
// watched).

#include <sys/types.h>

#include <mutex>

namespace ripple {

class TaskWatchdog {
 public:
  static constexpr int kMaxGroups = 4096;

  // The watchdog is forked by the first watch(); when that fails, the object does nothing (tasks
  // are then not stopped after a kill -9).
  explicit TaskWatchdog(int grace_ms = 2000) : grace_ms_(grace_ms) {}
  ~TaskWatchdog();  // stop()
  TaskWatchdog(const TaskWatchdog&) = delete;
  TaskWatchdog& operator=(const TaskWatchdog&) = delete;

  void watch(pid_t group);
  void unwatch(pid_t group);
  // Closes the pipe and waits for the watchdog to exit. Idempotent.
  void stop();

  bool running() const { return pid_ > 0; }

 private:
  void start();

  int grace_ms_;
  std::once_flag started_;
  int fd_ = -1;  // the pipe's write end
  pid_t pid_ = -1;
};

}  // namespace ripple
