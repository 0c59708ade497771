#pragma once

// Renderings of an affected set for `ripple affected` (schemas in docs/cli.md).
//
// text:           one service name per line, topological order (removed services last)
// json:           [{"name", "dir", "reason", "because": [...], "more": N}] — `because` holds the
//                 changed paths (first few; `more` counts the rest) or, for reason dependency,
//                 the chain of services to the one that changed
// github-matrix:  {"include": [{"service", "dir"}]} (removed services left out: nothing to build)
// explain:        one sentence per service: "web: dependency → gateway → proto (… changed)"
// files:          one line per changed path with what it affected

#include <string>

#include "graph/affected.h"
#include "graph/workspace.h"

namespace ripple {

std::string format_affected_text(const graph::AffectedSet& set);
std::string format_affected_json(const graph::Workspace& ws, const graph::AffectedSet& set);
std::string format_affected_matrix(const graph::AffectedSet& set);
std::string format_affected_explain(const graph::Workspace& ws, const graph::AffectedSet& set);
std::string format_changed_files(const graph::Workspace& ws, const graph::AffectedSet& set);

}  // namespace ripple
