#pragma once

// The `cargo` inference rule (docs/inference.md): a Cargo workspace's crates as services.
// - Which directories are crates: the root Cargo.toml's `[workspace] members` (directory globs,
//   `crates/*`, or plain paths) less those under an `exclude` path, each with a Cargo.toml; and
//   the root itself when its Cargo.toml has a `[package]` too. No `[workspace]`: no services.
// - Each crate is a service named by its `[package] name` (a crate name is always a legal
//   service name: letters, digits, '-', '_').
// - Edges: every entry of `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]` (and
//   of the same tables under `[target.'cfg(..)']`) that is a local crate: one with `path = ...`
//   (inside the repository), or `workspace = true` where `[workspace.dependencies]` gives that
//   entry a path. The edge names the crate as Cargo does: the entry's `package = "..."` when it
//   renames, else its key. A registry or git dependency is no edge.
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

inline constexpr const char* kCargoRule = "cargo";

struct CargoWorkspace {
  std::vector<Located<std::string>> members;  // directory globs, workspace-relative, as written
  std::vector<Located<std::string>> exclude;  // directories: a member under one is no member
  bool root_package = false;                  // the root Cargo.toml is a crate too
  // `[workspace.dependencies]` entries with a path: key → the crate's name.
  std::map<std::string, std::string> local_deps;
};

// From the root Cargo.toml's `text`: its workspace, or nothing when it declares none.
Result<std::optional<CargoWorkspace>> cargo_workspace(std::string_view text);

// One crate: its Cargo.toml `text` at `file` (workspace-relative) in `dir`, with the
// workspace's `local_deps` for `workspace = true` entries. Nothing when it has no `[package]`
// name (a virtual manifest; the caller warns). Edges name local crates only.
Result<std::optional<InferredService>> cargo_crate(
    std::string_view text, const std::string& file, const RepoPath& dir,
    const std::map<std::string, std::string>& local_deps);

// Cargo.lock (version 1 to 4) read for each workspace crate (`crates`: directory, crate name):
// a canonical text of its resolved dependency tree — every package it reaches through the
// lockfile's `dependencies`, transitively, one sorted line each "name version source checksum"
// — so that a Cargo.lock change can be mapped to the crates whose tree changed (compare the
// texts of two sides). Another workspace crate reached is its name only, not its tree (its own
// changes reach a dependent through the dependency edge). A crate the lockfile does not list
// gets an empty text. Nothing when `lock_text` is not TOML or has no `[[package]]` array.
std::optional<std::map<RepoPath, std::string>> cargo_lock_trees(
    std::string_view lock_text, const std::vector<std::pair<RepoPath, std::string>>& crates);

}  // namespace ripple::rules
