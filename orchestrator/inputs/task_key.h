#pragma once

// Task keys (DESIGN.md §4): SHA-256 over a canonical, versioned manifest of everything that can
// change a task's result. The manifest is kept (it is what `hash --diff` and
// `run --explain-misses` will compare), so it is a JSON document with sorted keys:
//
//   {"version": "ripple-task-v1", "service", "task", "command",
//    "env": {NAME: value|null, ...},      declared names only (ripple.yaml, service, task)
//    "inputs": <input digest>,             the task's own `inputs:` (task_inputs.h) or its
//    service's "deps": {"svc#task": key, ...},      the keys of the tasks it depends on "outputs":
//    [globs, sorted], "platform": "<os>-<arch>", "parts": {"compose.yaml#services.web": digest,
//    ...}}   only when the service has any
//
// `parts` are the service's parts of the shared files the inference rules read part by part
// (orchestrator/service_parts.h: its Compose block, the .env values it uses, its installed tree
// in a lockfile); a service without any has no `parts` field, so its key is what it was before.
// Undeclared environment variables never enter a key.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/input_index.h"
#include "orchestrator/platform/env_lookup.h"

namespace ripple {

inline constexpr const char* kTaskKeyVersion = "ripple-task-v1";

struct TaskKey {
  std::string key;       // 64 hex characters
  std::string manifest;  // the canonical JSON the key is the SHA-256 of
};

// A service's parts: part name → SHA-256 hex of its content.
using KeyParts = std::map<std::string, std::string>;

// Keys for every task of `tasks`, by TaskId, computed in dependency order. `own_inputs` (by
// TaskId, may be empty) holds the inputs of tasks with their own `inputs:`; `parts` (by
// ServiceId, may be empty) each service's parts.
std::vector<TaskKey> compute_task_keys(const graph::Workspace& ws, const graph::TaskGraph& tasks,
                                       const InputIndex& inputs,
                                       std::span<const std::optional<ServiceInputs>> own_inputs,
                                       const EnvLookup& env, std::span<const KeyParts> parts = {});

// "linux-x86_64" and the like: results built on one platform are not reused on another.
std::string platform_name();

}  // namespace ripple
