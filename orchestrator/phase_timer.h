#pragma once

// Wall-clock time per phase of a command, reported on stderr when RIPPLE_TIMING is set: the
// cheap way to see where a slow run goes without a profiler. Every lap is also kept, with its
// start and end, for `ripple run --profile` (run/trace_format.h) to draw on ripple's own track.
// Not thread-safe: laps are taken by the command's thread.

#include <chrono>
#include <string>
#include <vector>

#include "orchestrator/context.h"

namespace ripple {

// One lap: `name` took from `start` to `end`.
struct Phase {
  std::string name;
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;
};

class PhaseTimer {
 public:
  explicit PhaseTimer(const CommandContext& ctx)
      : ctx_(ctx),
        enabled_(ctx.env && ctx.env("RIPPLE_TIMING").has_value()),
        last_(std::chrono::steady_clock::now()) {}

  // Records the time since the previous lap (or construction) under `phase`, and reports it
  // when RIPPLE_TIMING is set.
  void lap(const std::string& phase) {
    auto now = std::chrono::steady_clock::now();
    if (enabled_) {
      auto ms = std::chrono::duration<double, std::milli>(now - last_).count();
      ctx_.reporter.info("timing: " + phase + " " + std::to_string(ms) + " ms");
    }
    phases_.push_back(Phase{phase, last_, now});
    last_ = now;
  }

  // Every lap so far, in order; one ends where the next starts.
  const std::vector<Phase>& phases() const { return phases_; }

 private:
  const CommandContext& ctx_;
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
  std::vector<Phase> phases_;
};

}  // namespace ripple
