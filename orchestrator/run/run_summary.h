#pragma once

// `ripple run --summary F`: what happened to the run, as one JSON document (schema version 2,
// documented field by field in docs/summary.md). Field names follow Turborepo's `--summarize`
// where the meaning is the same (taskId, hash, cache.status, execution.startTime, ...), with
// ripple's own nouns where it has them (service, not package).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/run/run_report.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

inline constexpr int kSummaryVersion = 2;

// Everything the summary tells, borrowed for the call.
struct RunRecord {
  std::string ripple_version;
  std::string command;  // the command line as given
  std::string root;     // the workspace root, absolute
  const RunSelection& selection;
  const graph::Workspace& ws;
  const graph::TaskGraph& tasks;
  const std::vector<TaskKey>& keys;       // by TaskId
  std::span<const TaskOutcome> outcomes;  // by TaskId
  std::int64_t start_ms = 0;              // ms since the epoch
  std::int64_t end_ms = 0;
  int exit_code = 0;
  bool cache_on = true;  // --cache off: no task is looked up
};

std::string format_run_summary(const RunRecord& run);

// Where task `task` of service `service` leaves its log, relative to the workspace root.
std::string task_log_path(const std::string& service, const std::string& task);

}  // namespace ripple
