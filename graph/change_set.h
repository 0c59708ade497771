#pragma once

// What changed between the compared commit and the head, as the VCS adapter reports it, with
// paths relative to the workspace root. Pure data: the git adapter fills it, graph/ reads it.

#include <string>
#include <vector>

#include "graph/support/repo_path.h"

namespace ripple::graph {

enum class ChangeKind {
  added,     // absent at the base, present at head (the new side of a rename too)
  modified,  // present on both sides with other content or mode
  deleted,   // present at the base, absent at head (the old side of a rename too)
};

struct ChangedFile {
  RepoPath path;
  ChangeKind kind = ChangeKind::modified;
};

struct ChangeSet {
  std::vector<ChangedFile> files;  // sorted by path, each path once
  std::string base_ref;            // the ref the user (or CI) named, e.g. "origin/main"
  std::string merge_base;          // hex id of merge-base(base, head)
  std::string head;                // hex id of the head commit
  bool includes_worktree = false;  // staged, unstaged and untracked files are part of `files`
};

// A service that existed at the base and no longer does at head (its service.yaml is gone).
struct RemovedService {
  std::string name;
  RepoPath dir;
  RepoPath config_file;
};

}  // namespace ripple::graph
