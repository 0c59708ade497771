#pragma once

// The executor of `ripple run`: for each task, the local cache answers when it has the task's
// key (outputs restored, log replayed), or the task's command runs and, when it succeeds, its
// outputs and log are stored under the key. Cache trouble never fails a task: it is a miss and
// one warning.
//
// Restoring refuses any output path that is absolute, climbs out of the service directory or
// goes through a symlink, and checks every blob's digest before writing it.

#include <mutex>
#include <string>
#include <vector>

#include "cache/local_store.h"
#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/reporter.h"
#include "orchestrator/run/process_runner.h"
#include "orchestrator/run/scheduler.h"
#include "orchestrator/task_key.h"

namespace ripple {

class TaskExecutor final : public Executor {
 public:
  // `store` may be null (--cache off). Everything borrowed must outlive the executor.
  TaskExecutor(const graph::Workspace& ws, const graph::TaskGraph& tasks,
               const std::vector<TaskKey>& keys, std::string root, cache::LocalStore* store,
               ProcessRunner& runner, Reporter& reporter);

  TaskOutcome execute(graph::TaskId id, const std::atomic<bool>& cancel) override;

  // Output files of a task: regular files (and symlinks) under `service_dir` (absolute) whose
  // path relative to it matches one of `globs`. Sorted.
  static std::vector<std::string> collect_outputs(const std::string& service_dir,
                                                  const std::vector<std::string>& globs);

 private:
  std::optional<TaskOutcome> try_restore(graph::TaskId id);
  void store_result(graph::TaskId id, const ProcessResult& result);
  void warn_once(const std::string& message);

  const graph::Workspace& ws_;
  const graph::TaskGraph& tasks_;
  const std::vector<TaskKey>& keys_;
  std::string root_;
  cache::LocalStore* store_;
  ProcessRunner& runner_;
  Reporter& reporter_;
  std::mutex warn_mutex_;
  bool warned_ = false;
};

}  // namespace ripple
