#pragma once

// The executor of `ripple run`, a stack of layers in the way of buck2 and Turborepo: the
// scheduler hands a ready task to the top, each layer answers or passes it down.
//
//   TaskExecutor      keeps each task's log in `log_dir/<service>/<task>.log` (ran, failed or
//        │            cached; written beneath log_dir without following links)
//   CachingExecutor   answers from the store, or passes the task down and stores what ran
//        │            (caching_executor.h; absent with --cache off)
//   ImageExecutor     with --push: skips the images the registry has, pushes the ones it
//        │            builds (image_executor.h; absent without --push)
//   ProcessExecutor   runs the command (process_executor.h)

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cache/store.h"
#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/reporter.h"
#include "orchestrator/run/caching_executor.h"
#include "orchestrator/run/image_executor.h"
#include "orchestrator/run/log_printer.h"
#include "orchestrator/run/process_executor.h"
#include "orchestrator/run/process_runner.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

// What the stack works with. Everything borrowed must outlive the executor.
struct ExecutorSetup {
  const graph::Workspace& ws;
  const graph::TaskGraph& tasks;
  const std::vector<TaskKey>& keys;  // by TaskId
  std::string root;                  // the workspace root, absolute
  cache::Store* store = nullptr;     // null: --cache off (no caching layer)
  ProcessRunner& runner;
  Reporter& reporter;
  LogPrinter* printer = nullptr;  // streams output as it comes when set and streaming
  // The notes kept beside a stored entry (see key_notes.h); none stored when empty.
  std::function<std::string(graph::TaskId)> notes;
  std::string log_dir;  // absolute; no log files when empty
  // With --push: the registry's answers for the image tasks, by TaskId (image_executor.h), with
  // the environment and file system its pushes and digests use. Empty: no image layer.
  std::vector<std::optional<RegistryAnswer>> registry = {};
  EnvLookup env = {};
  const Filesystem* fs = nullptr;
};

class TaskExecutor final : public Executor {
 public:
  explicit TaskExecutor(ExecutorSetup setup);

  TaskOutcome execute(graph::TaskId id, const std::atomic<bool>& cancel) override;

  // The image layer, with --push: what it pushed. Null without one.
  const ImageExecutor* images() const { return images_ ? &*images_ : nullptr; }

  // CachingExecutor::collect_outputs.
  static std::vector<std::string> collect_outputs(const std::string& service_dir,
                                                  const std::vector<std::string>& globs) {
    return CachingExecutor::collect_outputs(service_dir, globs);
  }

 private:
  void write_log(graph::TaskId id, const std::string& log);

  const graph::Workspace& ws_;
  const graph::TaskGraph& tasks_;
  Reporter& reporter_;
  std::string log_dir_;
  ProcessExecutor process_;
  std::optional<ImageExecutor> images_;
  std::optional<CachingExecutor> caching_;
  std::mutex log_warning_mutex_;
  bool log_warned_ = false;
};

}  // namespace ripple
