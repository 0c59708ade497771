#pragma once

// Wall-clock time per phase of a command, reported on stderr when RIPPLE_TIMING is set: the
// cheap way to see where a slow run goes without a profiler.

#include <chrono>
#include <string>

#include "orchestrator/context.h"

namespace ripple {

class PhaseTimer {
 public:
  explicit PhaseTimer(const CommandContext& ctx)
      : ctx_(ctx),
        enabled_(ctx.env && ctx.env("RIPPLE_TIMING").has_value()),
        last_(std::chrono::steady_clock::now()) {}

  // Reports the time since the previous lap (or construction) under `phase`.
  void lap(const std::string& phase) {
    auto now = std::chrono::steady_clock::now();
    if (enabled_) {
      auto ms = std::chrono::duration<double, std::milli>(now - last_).count();
      ctx_.reporter.info("timing: " + phase + " " + std::to_string(ms) + " ms");
    }
    last_ = now;
  }

 private:
  const CommandContext& ctx_;
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace ripple
