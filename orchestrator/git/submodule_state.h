#pragma once

// A submodule as its work tree holds it, as `git status` sees it: the commit checked out in it,
// and whether it has changes of its own (modified, staged or untracked files). Libgit2 stays
// inside the .cc of this folder.

#include <git2.h>

#include <optional>
#include <string>

namespace ripple::git {

// The id a submodule at `path` (repository-relative) has in the work tree: the hex of its
// checked-out commit; when its work tree has changes, that commit followed by a digest of them
// ("<hex>+dirty.<32 hex>": each changed path with its status and the blob id of its file), so the
// id moves whenever the content does. Nothing when it is not checked out (no repository there):
// the recorded commit stands then, as git status has it.
std::optional<std::string> submodule_worktree_id(git_repository* repo, const std::string& path);

}  // namespace ripple::git
