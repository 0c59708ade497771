#pragma once

// The executor of `ripple run`: for each task, the local cache answers when it has the task's
// key (outputs restored, log replayed), or the task's command runs and, when it succeeds, its
// outputs and log are stored under the key. Cache trouble never fails a task: it is a miss and
// one warning.
//
// Restoring refuses any output path that is absolute, climbs out of the service directory or
// goes through a symlink, and checks every blob's digest before writing anything. Each output is
// written beneath the service directory without following any link (platform/beneath.h) with
// the permission bits it was stored with, less the umask; an output that cannot be written whole
// (a full disk) makes the restore a miss: the task runs instead.
//
// Logs: stdout and stderr are stored apart (the entry's stdout and stderr digests, as REAPI has
// them); a cached task's log is replayed as its stdout, then its stderr. Every task that ran or
// was restored also leaves its log in `log_dir/<service>/<task>.log`.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "cache/local_store.h"
#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/reporter.h"
#include "orchestrator/run/log_printer.h"
#include "orchestrator/run/process_runner.h"
#include "orchestrator/run/scheduler.h"
#include "orchestrator/inputs/task_key.h"

namespace ripple {

// What an executor works with. Everything borrowed must outlive the executor.
struct ExecutorSetup {
  const graph::Workspace& ws;
  const graph::TaskGraph& tasks;
  const std::vector<TaskKey>& keys;    // by TaskId
  std::string root;                    // the workspace root, absolute
  cache::LocalStore* store = nullptr;  // null: --cache off
  ProcessRunner& runner;
  Reporter& reporter;
  LogPrinter* printer = nullptr;  // streams output as it comes when set and streaming
  // The notes kept beside a stored entry (see key_notes.h); none stored when empty.
  std::function<std::string(graph::TaskId)> notes;
  std::string log_dir;  // absolute; no log files when empty
};

class TaskExecutor final : public Executor {
 public:
  explicit TaskExecutor(ExecutorSetup setup);

  TaskOutcome execute(graph::TaskId id, const std::atomic<bool>& cancel) override;

  // Output files of a task: regular files (and symlinks) under `service_dir` (absolute) whose
  // path relative to it matches one of `globs`. Sorted.
  static std::vector<std::string> collect_outputs(const std::string& service_dir,
                                                  const std::vector<std::string>& globs);

 private:
  std::optional<TaskOutcome> try_restore(graph::TaskId id);
  void store_result(graph::TaskId id, const ProcessResult& result);
  void write_log(graph::TaskId id, const std::string& log);
  void warn_once(const std::string& message);

  ExecutorSetup s_;
  std::mutex warn_mutex_;
  bool warned_ = false;
};

}  // namespace ripple
