#pragma once

// The wall clock as commands read it, in milliseconds since the epoch: what a run's summary
// records as the run's and each task's start and end (run/run_summary.h). A function, so that a
// test gives a fixed one through CommandContext::clock; null means the system's.

#include <chrono>
#include <cstdint>
#include <functional>

namespace ripple {

using WallClock = std::function<std::int64_t()>;

inline std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// `clock`'s time, or the system's when it is null.
inline std::int64_t now_ms(const WallClock& clock) { return clock ? clock() : system_now_ms(); }

}  // namespace ripple
