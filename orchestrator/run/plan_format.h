#pragma once

// `ripple run --dry-run[=json]`: the plan as text or JSON (schema in docs/cli.md), with what the
// cache is expected to answer for each task.
//
// text: "service#task  <first 16 hex of the key>  <command or (no command)>[  [dep]][  (cached)]"
// json: {"version": 1, "tasks": [{"task", "service", "name", "dir", "key", "command", "deps",
//        "outputs", "requested", "cache": "hit"|"miss"|"never"|"no-op", "manifest"}]}
// An empty plan is no lines, or `"tasks": []`.

#include <string>
#include <vector>

#include "graph/task_graph.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/task_key.h"

namespace ripple {

// What the cache should do for a task: hit, miss, never (`cache: false` or --cache off), or
// nothing at all (no command).
enum class CacheExpectation { hit, miss, never, no_op };

const char* expectation_name(CacheExpectation e);  // "hit", "miss", "never", "no-op"

// Both by TaskId.
std::string format_plan_text(const graph::Workspace& ws, const graph::TaskGraph& tasks,
                             const std::vector<TaskKey>& keys,
                             const std::vector<CacheExpectation>& expected);
std::string format_plan_json(const graph::Workspace& ws, const graph::TaskGraph& tasks,
                             const std::vector<TaskKey>& keys,
                             const std::vector<CacheExpectation>& expected);

}  // namespace ripple
