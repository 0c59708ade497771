#pragma once

// The `go` inference rule (docs/inference.md): Go modules as services.
// - Which directories are modules: with a `go.work` at the workspace root, its `use` directories
//   (single and block form); without one, every directory holding a `go.mod` (the orchestrator
//   finds them).
// - Each module is a service. Its name is the last element of its module path, without a major
//   version suffix (`example.com/shop/pay/v2` is `pay`); when two modules would get the same
//   name, or that element cannot be a service name, each of them is named by its directory with
//   '/' spelled '-' (`services/pay` is `services-pay`).
// - Its edges: a `require` of another module of the workspace (by module path), and a
//   `replace X => ../dir` (a local path) pointing at another module's directory. A replacement by
//   another module (`=> example.com/fork v1.2.3`) is no edge.
// Pure: the caller reads the files; one that does not parse is an input error naming
// file:line:col. Directives other than `module`, `require` and `replace` (go.mod) and `use` and
// `replace` (go.work) are not read, but their syntax is checked all the same.

#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"
#include "graph/support/repo_path.h"
#include "rules/inferred.h"

namespace ripple::rules {

inline constexpr const char* kGoRule = "go";

// A go.work's modules: its `use` directories, workspace-relative, with where each is written.
// A directory outside the workspace (an absolute path, or one above the root) is left out with
// a warning.
struct GoWork {
  std::vector<Located<RepoPath>> uses;
  std::vector<Diagnostic> warnings;
};
Result<GoWork> go_work(std::string_view text, const std::string& file);

// One module: its go.mod `text` at `file` (workspace-relative) in `dir`. What the file says, as
// a service before naming: `name` is the module path (at its `module` line), and each edge's
// target is a required module's path, or, for a local-path `replace`, "./" followed by the
// workspace-relative directory it points at ("./" alone for the root). A replacement outside
// the workspace is no edge. go_services() turns these into services.
Result<InferredService> go_module(std::string_view text, const std::string& file,
                                  const RepoPath& dir);

// The workspace's modules (as go_module returns them, in directory order) as services: named
// (above), with each edge's target the name of the module it reaches; edges to modules outside
// the workspace are dropped. An input error when a module's name cannot be a service name.
Result<std::vector<InferredService>> go_services(std::vector<InferredService> modules);

}  // namespace ripple::rules
