#pragma once

// The caching layer of the executor stack (task_executor.h), over any executor: for a task
// with a command whose spec lets it be cached, the store answers when it has the task's key
// (outputs restored, log replayed, status cached); otherwise the task goes to the executor below,
// and when that one ran it (status ran) the task's outputs and streams are stored under the key.
// Cache trouble never fails a task: it is a miss and one warning.
//
// Restoring refuses any output path that is absolute, climbs out of the service directory or
// goes through a symlink, and checks every blob before writing anything (a large blob as it is
// streamed). Each output is written beneath the service directory without following any link
// (platform/beneath.h) with the permission bits it was stored with, less the umask; an output
// that cannot be written whole (a full disk) makes the restore a miss: the task runs instead.
// Logs: stdout and stderr are stored apart (the entry's stdout and stderr digests, as REAPI has
// them); a cached task's log is replayed as its stdout, then its stderr.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cache/store.h"
#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/reporter.h"
#include "orchestrator/run/log_printer.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

// Everything borrowed must outlive the executor.
struct CacheSetup {
  const graph::Workspace& ws;
  const graph::TaskGraph& tasks;
  const std::vector<TaskKey>& keys;  // by TaskId
  std::string root;                  // the workspace root, absolute
  cache::Store& store;
  Reporter& reporter;
  LogPrinter* printer = nullptr;  // a replayed log goes to it when set
  // The notes kept beside a stored entry (see key_notes.h); none stored when empty.
  std::function<std::string(graph::TaskId)> notes;
};

class CachingExecutor final : public Executor {
 public:
  // `inner` runs what the cache does not answer; it must outlive this executor.
  CachingExecutor(CacheSetup setup, Executor& inner) : setup_(std::move(setup)), inner_(inner) {}

  TaskOutcome execute(graph::TaskId id, const std::atomic<bool>& cancel) override;

  // Output files of a task: regular files (and symlinks) under `service_dir` (absolute) whose
  // path relative to it matches one of `globs`. Sorted.
  static std::vector<std::string> collect_outputs(const std::string& service_dir,
                                                  const std::vector<std::string>& globs);

 private:
  std::optional<TaskOutcome> try_restore(graph::TaskId id);
  void store_result(graph::TaskId id, const TaskOutcome& ran);
  void warn_once(const std::string& message);

  CacheSetup setup_;
  Executor& inner_;
  std::mutex warn_mutex_;
  bool warned_ = false;
};

}  // namespace ripple
