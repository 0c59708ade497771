#pragma once

// Renderings of an affected set for `ripple affected` (schemas in docs/cli.md).
//
// text:           one service name per line, topological order (removed services last)
// json:           [{"name", "dir", "reason", "because": [...], "more": N}] — `because` holds the
//                 changed paths (first few; `more` counts the rest) or, for reason dependency,
//                 the chain of services to the one that changed
// github-matrix:  {"include": [{"service", "dir"}]}, one line, of the matrix's services
//                 (matrix_filter.h: removed services left out, --matrix-filter applied)
// github-output:  three lines for $GITHUB_OUTPUT: `matrix=<github-matrix>`, `any=true|false`,
//                 `count=N` (N entries in the matrix). GitHub rejects an empty `include` as a
//                 job matrix, so a workflow guards the job with `any`.
// explain:        one sentence per service: "web: dependency → gateway → proto (… changed)"
// files:          one line per changed path with what it affected

#include <span>
#include <string>

#include "graph/affected.h"
#include "graph/change_set.h"
#include "graph/workspace.h"

namespace ripple {

std::string format_affected_text(const graph::AffectedSet& set);
std::string format_affected_json(const graph::Workspace& ws, const graph::AffectedSet& set);
std::string format_affected_matrix(std::span<const graph::AffectedService> matrix);
std::string format_affected_github_output(std::span<const graph::AffectedService> matrix);
std::string format_affected_explain(const graph::Workspace& ws, const graph::AffectedSet& set);
std::string format_changed_files(const graph::Workspace& ws, const graph::AffectedSet& set);

// Where a change came from: "HEAD vs main (ripple.yaml, merge-base bc475183de) + work tree:
// 1 changed file". `head` is what was compared (--head or "HEAD"); `source` how the base was
// chosen (BaseChoice::source).
std::string format_change_source(const graph::ChangeSet& changes, const std::string& head,
                                 const std::string& source);

// "3 changed files belong to no service: .github/workflows/ci.yml, Makefile, x and 1 more" (the
// first few), or empty when every changed file has an owner (or is ignored).
std::string format_unowned(const graph::AffectedSet& set);

// Why nothing is affected, for a set with no service: "nothing affected (no changed files)",
// "nothing affected (3 changed files: 2 ignored, 1 owned by no service)".
std::string format_nothing_affected(const graph::AffectedSet& set);

}  // namespace ripple
