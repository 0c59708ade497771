#pragma once

// `ripple run --profile F`: the run as a Chrome Trace Event document, for Perfetto
// (ui.perfetto.dev) and chrome://tracing:
//
//   {"traceEvents": [...], "displayTimeUnit": "ms"}
//
// One complete event (`"ph": "X"`) per task that ran, was cached or failed (name: the task's
// label, cat: its status, args: key, cache source, exit code), with `ts`/`dur` in microseconds
// from the run's start, on pid 1. Tasks are laid on worker tracks (`tid` 2, 3, ...: "worker 1",
// "worker 2", ...) greedily, so that the events on one track never overlap; ripple's own phases
// (select services, task graph, inputs, task keys, open the cache, run tasks, ...) are on track
// 1, "ripple". Every track used has a `"ph": "M"` thread_name event. Pure.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "orchestrator/run/run_summary.h"

namespace ripple {

// One of ripple's own phases, in µs from the run's start.
struct TracePhase {
  std::string name;
  std::int64_t start_us = 0;
  std::int64_t end_us = 0;
};

// The track of each interval [start, end) (by index): the lowest one whose previous interval
// ended at or before its start, taking intervals by start time. Tracks count from 0.
std::vector<int> assign_tracks(std::span<const std::pair<std::int64_t, std::int64_t>> intervals);

// The trace of `run` (tasks' times from their outcomes, relative to run.start_ms) with ripple's
// `phases`.
std::string format_trace(const RunRecord& run, std::span<const TracePhase> phases);

}  // namespace ripple
