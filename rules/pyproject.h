#pragma once

// The `python` inference rule (docs/inference.md): a uv workspace's projects as services.
// - Which directories are projects: the root pyproject.toml's `[tool.uv.workspace] members`
//   (directory globs) less those matching an `exclude` glob, each with a pyproject.toml; and the
//   root itself when its pyproject.toml has a `[project]` too (uv makes it a member). No
//   `[tool.uv.workspace]`: no services.
// - Each project is a service named by its `[project] name` (or, for a Poetry project without
//   one, `[tool.poetry] name`), normalized as PEP 503 says (python_name): lower case, each run
//   of '-', '_' and '.' one '-'. `My_Lib` and `my.lib` are one project to pip and uv, so one
//   service `my-lib`; a normalized name is always a legal service name.
// - Edges: every `[tool.uv.sources]` entry with `workspace = true` or a `path` inside the
//   repository, and every Poetry dependency with a `path` (`[tool.poetry.dependencies]`,
//   `[tool.poetry.dev-dependencies]`, `[tool.poetry.group.<name>.dependencies]`), naming the
//   project by the entry's key, normalized. The caller keeps those naming projects of the
//   workspace.
// Pure: the caller reads the files; text that is not TOML is an input error naming
// file:line:col.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"
#include "rules/inferred.h"

namespace ripple::rules {

inline constexpr const char* kPythonRule = "python";

// PEP 503's normalized form of a Python project name.
std::string python_name(std::string_view name);

struct UvWorkspace {
  std::vector<Located<std::string>> members;  // directory globs, workspace-relative
  std::vector<Located<std::string>> exclude;  // directory globs
  bool root_project = false;                  // the root pyproject.toml is a project too
};

// From the root pyproject.toml's `text`: its uv workspace, or nothing when it declares none.
Result<std::optional<UvWorkspace>> uv_workspace(std::string_view text);

// One project: its pyproject.toml `text` at `file` (workspace-relative) in `dir`. Nothing when
// it has no name (the caller warns).
Result<std::optional<InferredService>> python_project(std::string_view text,
                                                      const std::string& file, const RepoPath& dir);

// uv.lock read for each workspace project (`projects`: directory, normalized name): a
// canonical text of its resolved dependency tree, as cargo_lock_trees does for Cargo.lock —
// every package it reaches through `dependencies`, `optional-dependencies` and
// `dev-dependencies`, transitively, one sorted line each "name version source sdist-hash"
// (another workspace project: its name only). Nothing when `lock_text` is not TOML or has no
// `[[package]]` array.
std::optional<std::map<RepoPath, std::string>> uv_lock_trees(
    std::string_view lock_text, const std::vector<std::pair<RepoPath, std::string>>& projects);

}  // namespace ripple::rules
