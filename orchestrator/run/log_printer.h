#pragma once

// How `ripple run` shows task logs (all on the Reporter's raw channel, stderr in the binary):
//
// - stream: every complete line as the task writes it, prefixed "service:task: ", so parallel
//   tasks interleave line by line but never mid-line; a partial last line is printed when the
//   task ends; then one status line per task. The default on a terminal.
// - grouped: nothing while a task runs; when it finishes, a header line and its whole log at
//   once. The default in CI (`CI` set). On GitHub Actions each task is a `::group::` …
//   `::endgroup::` block; on GitLab a collapsible section (`section_start`/`section_end`,
//   collapsed unless the task failed).
//
// Tasks without a command (status noop) print nothing.
//
// Thread-safe: output() and finished() are called from the scheduler's threads.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "graph/task_graph.h"
#include "orchestrator/ci_environment.h"
#include "orchestrator/reporter.h"
#include "orchestrator/run/process_runner.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

enum class LogOrder { stream, grouped };

class LogPrinter {
 public:
  // `ci` chooses how grouped logs are folded.
  LogPrinter(Reporter& out, const graph::TaskGraph& tasks, LogOrder order, CiKind ci);

  bool streams() const { return order_ == LogOrder::stream; }
  // A chunk of task `id`'s output as it arrives (or is replayed from the cache).
  void output(graph::TaskId id, OutputStream stream, std::string_view chunk);
  // Task `id` is done (ran, cached, failed or skipped).
  void finished(graph::TaskId id, const TaskOutcome& outcome);

 private:
  std::string prefix(graph::TaskId id) const;
  // Prints the complete lines of `pending` (with the prefix) and keeps the rest.
  void flush_lines(graph::TaskId id, std::string& pending, bool everything);

  Reporter& out_;
  const graph::TaskGraph& tasks_;
  LogOrder order_;
  CiKind ci_;
  std::mutex mutex_;
  std::vector<std::string> pending_;  // per task and stream: a line not yet ended
};

}  // namespace ripple
