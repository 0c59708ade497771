#pragma once

// The version-control questions `affected` asks, behind an interface so the logic above it can be
// tested with a fake. The real implementation is git::GitVcs (libgit2, in process), opened by
// workspace_vcs.h's open_workspace_vcs(); commands see only this interface.
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

// Asks a changes scan to also list every file of the workspace with its id, as files() would, from
// that same walk of the work tree: for a command that needs both (`run --affected`). `hasher`
// (and `cache`, which may be null) must outlive the call.
struct FileListing {
  cache::StatCache* cache = nullptr;
  const ContentHasher* hasher = nullptr;
};

// What scan_changes() found.
struct ChangeScan {
  graph::ChangeSet changes;
  // The listing asked for, or the error that listing met (the changes were then found without
  // it). Nothing when none was asked for, or when the query scanned no work tree (a head ref was
  // given, or include_worktree was false).
  std::optional<Result<FileTable>> files;
};

class Vcs {
 public:
  virtual ~Vcs() = default;

  // Whether `ref` names a commit.
  virtual bool ref_exists(const std::string& ref) const = 0;

  // The changed files of the query, and the listing when `listing` asks for one. Environment
  // errors, each with the way out: the base does not exist; the merge-base is missing from a
  // shallow clone; base and head share no history.
  virtual Result<ChangeScan> scan_changes(const ChangeQuery& query,
                                          std::optional<FileListing> listing) const = 0;

  // The changed files of the query alone.
  Result<graph::ChangeSet> changes(const ChangeQuery& query) const {
    auto scan = scan_changes(query, std::nullopt);
    if (!scan) {
      return tl::unexpected(scan.error());
    }
    return std::move(scan->changes);
  }

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
