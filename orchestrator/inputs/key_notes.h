#pragma once

// What a task key was computed from, kept beside the cache entry (the store's "notes") so that
// two keys can be compared field by field: `ripple hash --diff KEY_A KEY_B` and
// `ripple run --explain-misses`.
//
// Notes are a JSON document:
//   {"task": "svc#task", "key": "<64 hex>", "manifest": {...the canonical manifest...},
//    "input_files": {"<workspace-relative path>": "<mode> <id>", ...},   the task's inputs
//    "global_files": {...same, for global_inputs...}}
// The manifest is the exact document the key is the SHA-256 of; the file listings are what its
// "inputs" digest stands for, so a difference can be named down to the file.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "orchestrator/inputs/input_index.h"
#include "orchestrator/inputs/task_key.h"

namespace ripple {

// The notes for task `id`, whose key is `keys[id]`; `own_inputs` as for compute_task_keys.
std::string make_key_notes(const graph::TaskGraph& tasks, const std::vector<TaskKey>& keys,
                           const InputIndex& inputs,
                           std::span<const std::optional<ServiceInputs>> own_inputs,
                           graph::TaskId id);

// What differs from `before` to `after` (both notes documents), one human line per difference,
// in manifest order: key format, service, task, command, env (per name), inputs (per file, the
// first few and a count), dependencies (per dependency), outputs, platform. Empty when the two
// manifests are the same. Throws nothing: unreadable notes give one line saying so.
std::vector<std::string> diff_key_notes(const std::string& before, const std::string& after);

}  // namespace ripple
