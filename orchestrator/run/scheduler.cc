#include "orchestrator/run/scheduler.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <chrono>
#include <memory>
#include <mutex>

#include "orchestrator/platform/parallel.h"

namespace ripple {

const char* status_name(TaskOutcome::Status status) {
  switch (status) {
    case TaskOutcome::Status::ran:
      return "ran";
    case TaskOutcome::Status::cached:
      return "cached";
    case TaskOutcome::Status::failed:
      return "failed";
    case TaskOutcome::Status::skipped:
      return "skipped";
    case TaskOutcome::Status::noop:
      return "no-op";
  }
  return "skipped";
}

bool succeeded(TaskOutcome::Status status) {
  return status == TaskOutcome::Status::ran || status == TaskOutcome::Status::cached ||
         status == TaskOutcome::Status::noop;
}

std::vector<TaskOutcome> run_schedule(const graph::TaskGraph& tasks, Executor& executor,
                                      const ScheduleOptions& options, std::atomic<bool>& cancel) {
  const std::size_t n = tasks.size();
  std::vector<TaskOutcome> outcomes(n);
  std::vector<std::vector<graph::TaskId>> dependents(n);
  auto waiting = std::make_unique<std::atomic<int>[]>(n);
  auto blocked = std::make_unique<std::atomic<bool>[]>(n);  // a dependency did not succeed
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto& deps = tasks.node(graph::TaskId{i}).deps;
    waiting[i] = static_cast<int>(deps.size());
    blocked[i] = false;
    for (graph::TaskId d : deps) {
      dependents[d.value].push_back(graph::TaskId{i});
    }
  }
  std::mutex report;  // on_done is called serialised; outcomes[i] is written by one task only

  // Tasks are processes a worker mostly waits on, so `jobs` is honoured whatever the number of
  // cores: oneTBB caps its workers at the core count (and says so on stderr) unless allowed more.
  const int jobs = std::max(1, options.jobs);
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(jobs) + 1);
  tbb::task_arena arena(jobs, 1);
  tbb::task_group group;
  std::function<void(graph::TaskId)> start;
  // A finished (or skipped) task releases its dependents; the last dependency to finish starts
  // the dependent, or skips it when any dependency failed or the run is stopping.
  std::function<void(graph::TaskId, bool)> release = [&](graph::TaskId id, bool ok) {
    for (graph::TaskId d : dependents[id.value]) {
      if (!ok) {
        blocked[d.value] = true;
      }
      if (--waiting[d.value] == 0) {
        start(d);
      }
    }
  };
  // TBB's hand-off of a task and its wait for the group are invisible to ThreadSanitizer
  // (orchestrator/platform/parallel.h): a task's outcome slot names the edge from whoever starts
  // it, and `finished` the edge from every task to the end of the wait.
  const char finished = 0;
  start = [&](graph::TaskId id) {
    happens_before(&outcomes[id.value]);
    group.run([&, id] {
      happens_after(&outcomes[id.value]);
      TaskOutcome outcome;
      if (blocked[id.value] || cancel.load()) {
        outcome.status = TaskOutcome::Status::skipped;
        outcome.note = blocked[id.value] ? "a dependency did not succeed" : "the run stopped";
      } else {
        if (options.on_start) {
          std::lock_guard lock(report);
          options.on_start(id);
        }
        const std::int64_t started = now_ms(options.clock);
        outcome = executor.execute(id, cancel);
        outcome.start_ms = started;
        outcome.end_ms = now_ms(options.clock);
        if (outcome.status == TaskOutcome::Status::failed && !options.keep_going) {
          cancel = true;
        }
      }
      outcomes[id.value] = outcome;
      {
        std::lock_guard lock(report);
        if (options.on_done) {
          options.on_done(id, outcomes[id.value]);
        }
      }
      release(id, succeeded(outcome.status));
      happens_before(&finished);
    });
  };
  arena.execute([&] {
    for (std::uint32_t i = 0; i < n; ++i) {
      if (waiting[i] == 0) {
        start(graph::TaskId{i});
      }
    }
    group.wait();
  });
  happens_after(&finished);
  return outcomes;
}

}  // namespace ripple
