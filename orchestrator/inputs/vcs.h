#pragma once

// The version-control questions `affected` asks, behind an interface so the logic above it can be
// tested with a fake. The real implementation is git::GitVcs (libgit2, in process).
// Paths in and out are workspace-relative; refs are anything `git rev-parse` understands.

#include <optional>
#include <string>
#include <vector>

#include "cache/stat_cache.h"
#include "graph/change_set.h"
#include "graph/support/error.h"
#include "orchestrator/inputs/content_hasher.h"
#include "orchestrator/inputs/file_record.h"
#include "orchestrator/inputs/file_table.h"

namespace ripple {

struct ChangeQuery {
  std::string base_ref;                 // compared against merge-base(base_ref, head)
  std::optional<std::string> head_ref;  // empty: HEAD
  bool include_worktree = true;         // add staged, unstaged and untracked-not-ignored files
};

class Vcs {
 public:
  virtual ~Vcs() = default;

  // Whether `ref` names a commit.
  virtual bool ref_exists(const std::string& ref) const = 0;

  // The changed files of the query. Environment errors, each with the way out: the base does not
  // exist; the merge-base is missing from a shallow clone; base and head share no history.
  virtual Result<graph::ChangeSet> changes(const ChangeQuery& query) const = 0;

  // Every file of the workspace as it is now, with its content id (DESIGN.md §4 "File
  // identity"): clean tracked files take the id the VCS already knows, without a read; dirty
  // and untracked-not-ignored files come from `cache` (may be null) or are hashed by `hasher`.
  // Ignored files are left out. Sorted by path; as views (file_table.h), each with its source.
  virtual Result<FileTable> files(cache::StatCache* cache, const ContentHasher& hasher) const = 0;

  // The files as the VCS records them for the checkout (git: the index), trusting the work tree
  // to match: no file is stat'ed or read. For CI, where the checkout is fresh by construction.
  // Sorted by path; as views (file_table.h), since a large repository has many.
  virtual Result<FileTable> recorded_files() const = 0;

  // The content of `path` in commit `commit`, or nothing when the path does not exist there.
  virtual Result<std::optional<std::string>> read_at(const std::string& commit,
                                                     const RepoPath& path) const = 0;
};

}  // namespace ripple
