#pragma once

// A task's own `inputs:` (DESIGN.md §3): a narrower set of files than its service's, so that a
// `test` task with `inputs: ["**/*_test.go"]` keeps its key when only main.go changes. Its input
// digest replaces the service digest in the task's key manifest; tasks without `inputs:` take
// their service's (InputIndex::services).
//
// The globs are relative to the service directory and read as a service's `inputs` are (`../`
// reaches outside, `!` excludes, the last match decides). A file counts when they match it and it
// is no one's input-to-be-ignored: not `ignore`d, not ripple's own state, not a task output of
// its owner, not a global input (those enter through the global digest, folded in as for
// services), and, inside the service's directory, not a file of a nested service.

#include <optional>
#include <span>
#include <vector>

#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/input_index.h"

namespace ripple {

// By TaskId: the inputs of each task with its own `inputs:`, nothing for the others. Needs
// `index.table` (an index built over a FileTable). Tasks of one service with the same globs share
// one computation.
std::vector<std::optional<ServiceInputs>> compute_task_inputs(const graph::Workspace& ws,
                                                              const graph::TaskGraph& tasks,
                                                              const InputIndex& index);

// The inputs task `id`'s key stands on: its own (`own`, by TaskId, may be empty), or its
// service's.
const ServiceInputs& inputs_of_task(const InputIndex& index,
                                    std::span<const std::optional<ServiceInputs>> own,
                                    const graph::TaskGraph& tasks, graph::TaskId id);

// The same for one service and one list of globs (`ripple hash --task T`).
ServiceInputs task_input_files(const graph::Workspace& ws, const InputIndex& index,
                               ServiceId service, const std::vector<std::string>& patterns);

}  // namespace ripple
