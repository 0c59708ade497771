#pragma once

// The bottom of the executor stack (task_executor.h): runs a task's command through a
// ProcessRunner in its service's directory, with RIPPLE_SERVICE, RIPPLE_TASK and RIPPLE_KEY set
// and the task's timeout, streaming its output to the printer when it streams. A task without a
// command (a grouping node) is a no-op. Knows nothing of the cache or of log files.

#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/run/log_printer.h"
#include "orchestrator/run/process_runner.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

// Everything borrowed must outlive the executor.
struct ProcessSetup {
  const graph::Workspace& ws;
  const graph::TaskGraph& tasks;
  const std::vector<TaskKey>& keys;  // by TaskId
  std::string root;                  // the workspace root, absolute
  ProcessRunner& runner;
  LogPrinter* printer = nullptr;  // streams output as it comes when set and streaming
};

class ProcessExecutor final : public Executor {
 public:
  explicit ProcessExecutor(ProcessSetup setup) : setup_(std::move(setup)) {}

  // ran (exit 0) or failed (with a note: exit code, timeout, stopped), with the interleaved log,
  // the streams apart and the process's times; noop for a task without a command. Thread-safe.
  TaskOutcome execute(graph::TaskId id, const std::atomic<bool>& cancel) override;

  // `command` run as the task's own would be (in its directory, with its variables and timeout),
  // for a layer above that runs more than the task's command (an image's push). Thread-safe.
  TaskOutcome run(graph::TaskId id, const std::string& command, const std::atomic<bool>& cancel);

 private:
  ProcessSetup setup_;
};

}  // namespace ripple
