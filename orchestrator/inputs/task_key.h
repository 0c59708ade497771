#pragma once

// Task keys (DESIGN.md §4): SHA-256 over a canonical, versioned manifest of everything that can
// change a task's result. The manifest is kept (it is what `hash --diff` and
// `run --explain-misses` will compare), so it is a JSON document with sorted keys:
//
//   {"version": "ripple-task-v1", "service", "task", "command",
//    "env": {NAME: value|null, ...},      declared names only (ripple.yaml, service, task)
//    "inputs": <input digest>,             the task's own `inputs:` (task_inputs.h) or its service's
//    "deps": {"svc#task": key, ...},      the keys of the tasks it depends on
//    "outputs": [globs, sorted], "platform": "<os>-<arch>"}
//
// Undeclared environment variables never enter a key.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/platform/env_lookup.h"
#include "orchestrator/inputs/input_index.h"

namespace ripple {

inline constexpr const char* kTaskKeyVersion = "ripple-task-v1";

struct TaskKey {
  std::string key;       // 64 hex characters
  std::string manifest;  // the canonical JSON the key is the SHA-256 of
};

// Keys for every task of `tasks`, by TaskId, computed in dependency order. `own_inputs` (by
// TaskId, may be empty) holds the inputs of tasks with their own `inputs:`.
std::vector<TaskKey> compute_task_keys(const graph::Workspace& ws, const graph::TaskGraph& tasks,
                                       const InputIndex& inputs,
                                       std::span<const std::optional<ServiceInputs>> own_inputs,
                                       const EnvLookup& env);

// "linux-x86_64" and the like: results built on one platform are not reused on another.
std::string platform_name();

}  // namespace ripple
