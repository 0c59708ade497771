#pragma once

// Runs a task graph in dependency order on a oneTBB arena of `jobs` threads. The scheduler never
// runs anything itself: it hands each ready task to an Executor (which may answer from the cache
// or run a process) and reacts to the outcome.
//
// Failure: by default (fail-fast) no task starts after the first failure and running ones are
// asked to stop through `cancel`; with keep_going, everything that does not depend on a
// failure still runs. A task whose dependency failed, or that never started, is `skipped`.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "orchestrator/platform/wall_clock.h"

namespace ripple {

struct TaskOutcome {
  // noop: a task without a command (a grouping node). It succeeds at once, is never looked up in
  // the cache, and is neither "ran" nor a miss in any count.
  enum class Status { ran, cached, failed, skipped, noop };
  Status status = Status::skipped;
  int exit_code = 0;
  double seconds = 0;         // wall time of this run (0 for cached and skipped)
  std::int64_t start_ms = 0;  // when the executor got it, ms since the epoch (0: never started)
  std::int64_t end_ms = 0;    // when the executor returned it
  double saved_seconds = 0;   // for cached: how long the original run took
  bool remote_hit = false;    // for cached: the remote cache answered (cache/store.h tiers)
  std::string log;            // the task's output (replayed for cached)
  std::string note;           // why it failed or was skipped, when not in the log
  // What a process executor ran, for a caching layer to store (task_executor.h): its streams
  // apart and when it started and ended, in ns since the epoch. Empty otherwise.
  std::string stdout_text;
  std::string stderr_text;
  std::int64_t process_start_ns = 0;
  std::int64_t process_end_ns = 0;
};

// "ran", "cached", "failed", "skipped", "no-op".
const char* status_name(TaskOutcome::Status status);
// ran, cached and noop: what lets dependents start.
bool succeeded(TaskOutcome::Status status);

class Executor {
 public:
  virtual ~Executor() = default;
  // Called from scheduler threads, at most once per task, only after all of its dependencies
  // succeeded. `cancel` turns true when the run is being stopped.
  virtual TaskOutcome execute(graph::TaskId id, const std::atomic<bool>& cancel) = 0;
};

struct ScheduleOptions {
  int jobs = 1;  // tasks at once, whatever the number of cores (tasks mostly wait on processes)
  bool keep_going = false;
  // Called (serialised) as each task finishes, in completion order.
  std::function<void(graph::TaskId, const TaskOutcome&)> on_done;
  // Called (serialised with on_done) as the executor gets each task.
  std::function<void(graph::TaskId)> on_start;
  // Stamps each outcome's start_ms and end_ms; null: the system's wall clock.
  WallClock clock{};
};

// Outcomes by TaskId. `cancel` may be set from outside (Ctrl-C); the scheduler sets it on a
// failure unless keep_going.
std::vector<TaskOutcome> run_schedule(const graph::TaskGraph& tasks, Executor& executor,
                                      const ScheduleOptions& options, std::atomic<bool>& cancel);

}  // namespace ripple
