#include "orchestrator/run/scheduler.h"

#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <memory>
#include <mutex>

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
  }
  return "skipped";
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

  tbb::task_arena arena(std::max(1, options.jobs));
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
  start = [&](graph::TaskId id) {
    group.run([&, id] {
      TaskOutcome outcome;
      if (blocked[id.value] || cancel.load()) {
        outcome.status = TaskOutcome::Status::skipped;
        outcome.note = blocked[id.value] ? "a dependency did not succeed" : "the run stopped";
      } else {
        outcome = executor.execute(id, cancel);
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
      release(id, outcome.status == TaskOutcome::Status::ran ||
                      outcome.status == TaskOutcome::Status::cached);
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
  return outcomes;
}

}  // namespace ripple
