#pragma once

// Renderings of the service graph for `ripple graph`.
//
// text: one line per service in topological order, "name: dep, dep" ("name" alone when it has
//       no deps), so `cut -d: -f1` yields the order.
// json: {"version": 1, "services": [...], "cycles": [[...]]}, schema in docs/cli.md. Services in
//       topological order; every list sorted; stable across runs.
// dot:  a Graphviz digraph, an edge from each service to each of its deps.
//
// `marked` (may be empty) flags services to highlight, indexed by ServiceId; used later by
// `graph --affected`.

#include <string>
#include <vector>

#include "graph/workspace.h"

namespace ripple {

std::string format_graph_text(const graph::Workspace& ws, const std::vector<bool>& marked = {});
std::string format_graph_json(const graph::Workspace& ws, const std::vector<bool>& marked = {});
// `graph --explain`: every service with its directory and where it was declared or found
// (file:line:col: a service.yaml, or the file an inference rule read), then each dependency with
// where it was written, and the service's inputs when they are not its whole directory. Marked
// services get a '*' after their name, as in the text format.
std::string format_graph_explain(const graph::Workspace& ws, const std::vector<bool>& marked = {});
std::string format_graph_dot(const graph::Workspace& ws, const std::vector<bool>& marked = {});

}  // namespace ripple
