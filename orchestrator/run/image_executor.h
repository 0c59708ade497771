#pragma once

// The image layer of the executor stack (task_executor.h), under the caching layer and over the
// process executor. With pushing on (`--push`, docs/images.md), an image task — the `image` task
// of a service with an `image:` — whose content-tagged reference the registry already holds is
// not run: it succeeds as cached, "in the registry" (an image whose tag exists is never rebuilt).
// One the registry lacks is built by the process executor, pushed under its content tag and each
// of its extra tags (images.push, or the builder's own push), and its digest asked of the
// registry; a failed push fails the task. Any other task, and every task without pushing, goes
// straight down.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/images/registry_client.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/platform/env_lookup.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/run/process_executor.h"
#include "orchestrator/run/scheduler.h"

namespace ripple {

// An image a run pushed (or found in the registry), as its digest says.
struct PushedImage {
  std::string reference;  // with the content tag
  std::string digest;     // the registry's Docker-Content-Digest; empty when it would not say
  bool built = false;     // false: the registry held it already
  std::vector<std::string> extra_references;  // the extra tags pushed beside it
};

// The image tasks of `tasks` with their references, in task order (`images` on):
// (task, reference) for each image task whose service has an `image:`.
std::vector<std::pair<graph::TaskId, std::string>> image_task_references(
    const graph::Workspace& ws, const graph::TaskGraph& tasks, const std::vector<TaskKey>& keys);

// Everything borrowed must outlive the executor.
struct ImageSetup {
  const graph::Workspace& ws;
  const graph::TaskGraph& tasks;
  const std::vector<TaskKey>& keys;  // by TaskId
  // The registry's answer for each image task, by TaskId, asked before the run
  // (image_task_references, check_registry): present → not rebuilt. Empty: pushing is off.
  std::vector<std::optional<RegistryAnswer>> registry;
  EnvLookup env;  // extra tags' ${VAR}s, registry credentials
  const Filesystem& fs;
};

class ImageExecutor final : public Executor {
 public:
  // `process` runs the builds and pushes; it must outlive this executor.
  ImageExecutor(ImageSetup setup, ProcessExecutor& process)
      : setup_(std::move(setup)), process_(process) {}

  TaskOutcome execute(graph::TaskId id, const std::atomic<bool>& cancel) override;

  // The image tasks that succeeded (pushed or found in the registry), by the service's name.
  std::map<std::string, PushedImage> pushed() const;

 private:
  TaskOutcome build_and_push(graph::TaskId id, const std::string& reference,
                             const std::atomic<bool>& cancel);

  ImageSetup setup_;
  ProcessExecutor& process_;
  mutable std::mutex mutex_;
  std::map<std::string, PushedImage> pushed_;
};

// An extra tag with each ${VAR} (or $VAR) replaced from `env`: nothing when a variable is unset
// or empty, or the result is not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}; a branch name's
// '/' becomes '-').
std::optional<std::string> expand_extra_tag(const std::string& tag, const EnvLookup& env);

}  // namespace ripple
