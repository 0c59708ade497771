#pragma once

// The signals that stop a run: Ctrl-C (SIGINT), a CI cancelling its job (SIGTERM), a closed
// terminal (SIGHUP) and Ctrl-\ (SIGQUIT). While a StopSignals is alive each of them sets a flag
// the scheduler and the process runner watch, instead of killing ripple with its tasks still
// running; the handlers before it come back when it is destroyed.
//
// A signal handler can only flip flags, so this is the one process-wide state of the run: at most
// one StopSignals may be alive at a time (a second is an internal error, caught by an assert).

#include <atomic>

namespace ripple {

class StopSignals {
 public:
  // `cancel` must outlive the object; it is set when a stop signal arrives.
  explicit StopSignals(std::atomic<bool>& cancel);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Whether a stop signal arrived while the object was alive (`cancel` may be set for other
  // reasons too, such as a failed task).
  bool received() const;
};

}  // namespace ripple
