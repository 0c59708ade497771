#pragma once

// `ripple run --explain-misses`: for each task of the plan that the local cache cannot answer,
// what changed since the key that task last had in this cache (stored or hit), field by field
// (key_notes.h), from the local cache's key history (cache/key_history.h). Read-only: it looks
// entries up without touching them.

#include <functional>
#include <string>
#include <vector>

#include "cache/key_history.h"
#include "cache/store.h"
#include "graph/task_graph.h"
#include "orchestrator/inputs/task_key.h"

namespace ripple {

struct MissExplanation {
  graph::TaskId task;
  std::string previous_key;          // empty: the task has no earlier key in this cache
  std::vector<std::string> reasons;  // from diff_key_notes; empty when previous_key is
};

// `answers` is the store whose misses are explained (Store::has), `history` its key history;
// `cacheable(id)` says which tasks the cache is asked about at all; `notes(id)` builds the
// current notes of a task (only called for misses). In topological order.
std::vector<MissExplanation> explain_misses(cache::Store& answers, cache::KeyHistory& history,
                                            const graph::TaskGraph& tasks,
                                            const std::vector<TaskKey>& keys,
                                            const std::function<bool(graph::TaskId)>& cacheable,
                                            const std::function<std::string(graph::TaskId)>& notes);

// The explanation as text: a line naming the task, then one indented line per reason.
std::string format_miss(const graph::TaskGraph& tasks, const std::vector<TaskKey>& keys,
                        const MissExplanation& miss);

}  // namespace ripple
