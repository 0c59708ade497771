#include "orchestrator/run/task_executor.h"

#include <boost/filesystem.hpp>

#include "orchestrator/platform/beneath.h"

namespace ripple {

TaskExecutor::TaskExecutor(ExecutorSetup setup)
    : ws_(setup.ws),
      tasks_(setup.tasks),
      reporter_(setup.reporter),
      log_dir_(setup.log_dir),
      process_(ProcessSetup{setup.ws, setup.tasks, setup.keys, setup.root, setup.runner,
                            setup.printer}) {
  if (!setup.registry.empty() && setup.fs != nullptr) {
    images_.emplace(ImageSetup{setup.ws, setup.tasks, setup.keys, std::move(setup.registry),
                               setup.env, *setup.fs},
                    process_);
  }
  Executor& runs = images_ ? static_cast<Executor&>(*images_) : process_;
  if (setup.store != nullptr) {
    caching_.emplace(CacheSetup{setup.ws, setup.tasks, setup.keys, setup.root, *setup.store,
                                setup.reporter, setup.printer, std::move(setup.notes)},
                     runs);
  }
}

TaskOutcome TaskExecutor::execute(graph::TaskId id, const std::atomic<bool>& cancel) {
  Executor& below = caching_  ? static_cast<Executor&>(*caching_)
                    : images_ ? static_cast<Executor&>(*images_)
                              : process_;
  TaskOutcome outcome = below.execute(id, cancel);
  if (outcome.status == TaskOutcome::Status::ran || outcome.status == TaskOutcome::Status::failed ||
      outcome.status == TaskOutcome::Status::cached) {
    write_log(id, outcome.log);
  }
  // The streams apart were for the caching layer: the run keeps only the interleaved log.
  std::string().swap(outcome.stdout_text);
  std::string().swap(outcome.stderr_text);
  return outcome;
}

void TaskExecutor::write_log(graph::TaskId id, const std::string& log) {
  if (log_dir_.empty()) {
    return;
  }
  const graph::TaskNode& node = tasks_.node(id);
  // Beneath the log directory, as outputs are: a committed .ripple/logs link is never followed.
  boost::system::error_code ec;
  boost::filesystem::create_directories(log_dir_, ec);
  const std::string rel = ws_.service(node.service).name + "/" + node.name + ".log";
  if (auto st = write_file_beneath(log_dir_, rel, log, 0644, Replace::in_place); !st) {
    std::lock_guard lock(log_warning_mutex_);
    if (!log_warned_) {  // once: a directory that cannot be written fails every task's log
      log_warned_ = true;
      reporter_.warning("cannot keep the log of " + node.label + ": " + st.error().message +
                        " (the logs of other tasks may be missing too)");
    }
  }
}

}  // namespace ripple
